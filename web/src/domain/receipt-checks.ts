/**
 * What `reconcile` will refuse about a terminal receipt, said before it is pressed: days of the
 * period another receipt's version holds (its tiling check), a period not over yet, figures
 * outside the auditor's bands (`examineReceipt`), and a period with nothing to allocate to.
 * Pure: the pre-flight and the unit tests share it.
 */
import { figureText, MEASURED_INPUTS, receiptFieldHint, type EntryField } from "./entry-checks";
import { reportIdParts, reportInWords } from "./statement-label";
import { signedMeasured } from "../format";
import { daysInWords } from "./days-in-words";

/** A `closed_days/{YYYY-MM-DD}` record as reconcile writes it. */
export interface ClosedDayRecord {
  day: string;
  reconciliation_id?: string;
  terminal_receipt_id?: string;
}

export interface Overlap {
  reconciliation_id: string;
  terminal_receipt_id: string;
  days: string[];
  /** The holding receipt names this one in supersedes_receipt_id: a corrected ticket replaced it. */
  replacesThis?: boolean;
}

/**
 * The period's closed days that another receipt's current version holds, by version. A day held
 * by this receipt's own version is its to take over; one held by the receipt it replaces
 * (`supersedes_receipt_id`) is the replacement's to take over.
 */
export function overlapsOf(closed: readonly ClosedDayRecord[], receipt: { id: string; supersedes_receipt_id?: string | null }): Overlap[] {
  const byVersion = new Map<string, Overlap>();
  for (const c of closed) {
    const holder = c.reconciliation_id ?? "";
    const holderReceipt = c.terminal_receipt_id ?? reportIdParts(holder)?.receiptId ?? "";
    if (holderReceipt === receipt.id || (receipt.supersedes_receipt_id && holderReceipt === receipt.supersedes_receipt_id)) continue;
    const o = byVersion.get(holder) ?? { reconciliation_id: holder, terminal_receipt_id: holderReceipt, days: [] };
    o.days.push(c.day);
    byVersion.set(holder, o);
  }
  return [...byVersion.values()].map((o) => ({ ...o, days: [...o.days].sort() }));
}

/** "2026-10-30 is already allocated by version 2 of receipt …: enter this receipt as replacing that one …". */
export function overlapInWords(o: Overlap): string {
  if (o.replacesThis) {
    return `${daysInWords(o.days)} ${o.days.length === 1 ? "is" : "are"} allocated by ${reportInWords(o.reconciliation_id)}, the receipt that replaces this one: reconcile receipt ${o.terminal_receipt_id} instead; to correct the ticket again, enter a new receipt that replaces ${o.terminal_receipt_id}`;
  }
  return `${daysInWords(o.days)} ${o.days.length === 1 ? "is" : "are"} already allocated by ${reportInWords(o.reconciliation_id)}: enter this receipt as replacing that one (“Replaces receipt”), or withdraw it and enter it again for its own days`;
}

const UNIT_TEXT = (unit: string) => (unit === "" ? "" : unit === "%" ? " %" : ` ${unit}`);

/**
 * The receipt's own figures that reconcile refuses (the auditor's critical bands, as
 * `examineReceipt` holds a receipt to them): "Temperature 857 °F: outside −58 to 302 °F".
 */
export function receiptFigureProblems(receipt: Partial<Record<EntryField, number | null>>): string[] {
  return MEASURED_INPUTS.flatMap((f) => {
    const value = receipt[f.key];
    if (value === undefined || value === null) return [];
    const hint = receiptFieldHint(f.key, figureText(value));
    if (hint.level !== "critical" || !hint.message) return [];
    return [`${f.label} ${signedMeasured(value)}${UNIT_TEXT(f.unit)}: ${hint.message.replace(/^(cannot be saved|refused by reconcile): /, "")}`];
  });
}

/**
 * A period with nothing to allocate the terminal's volume to: no entry, or none used (every one
 * rejected). Undefined while entries still wait for a verdict or a review (they may yet be used).
 */
export function nothingToAllocate(p: { entries: number; usable: number; pending: number; terminalGrossBbl: number }): string | undefined {
  if (!(p.terminalGrossBbl > 0) || p.pending > 0 || p.usable > 0) return undefined;
  return p.entries === 0
    ? "No production entry in the period: the terminal's volume has nothing to be allocated to. Add the partners' entries (Add a late entry) or correct the receipt's period."
    : `None of the period's ${p.entries} ${p.entries === 1 ? "entry is" : "entries are"} used (each rejected by the auditor or on review): the terminal's volume has nothing to be allocated to. Correct or add entries first.`;
}
