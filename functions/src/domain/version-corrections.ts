// Why a version was made: the corrections on closed days that turned the version before it stale.

import { capText } from "./bounded-id";

/** How many changed entry ids a stale reconciliation lists (its count of changes tells the rest), so a new version's corrections at most. */
export const STALE_ENTRY_IDS_LISTED = 50;

/** How much of a correction note a report keeps (the entry keeps it whole, the audit log every one). */
export const CORRECTION_NOTE_KEPT = 500;

export type CorrectionKind = "late entry" | "correction" | "no correction note";

/**
 * One entry behind a new version, as it stood when the version was made: who entered it late or
 * last corrected it, when, and the note saying why. An entry that changed without a correction
 * (its review or verdict changed) has no author or note here.
 */
export interface VersionCorrection {
  entry_id: string;
  partner_id: string;
  kind: CorrectionKind;
  by: string | null;
  at: Date | null;
  note: string | null;
}

const sameTime = (a: unknown, b: unknown) => a instanceof Date && b instanceof Date && a.getTime() === b.getTime();

/** `entry`: the entry's plain data (dates as Dates). */
export function versionCorrection(entryId: string, entry: Readonly<Record<string, unknown>>): VersionCorrection {
  const partnerId = typeof entry.partner_id === "string" ? entry.partner_id : String(entry.partner_id ?? "");
  const by = typeof entry.corrected_by === "string" ? entry.corrected_by : null;
  const note = typeof entry.correction_note === "string" && entry.correction_note.trim() !== "" ? entry.correction_note : null;
  if (by === null || note === null)
    return { entry_id: entryId, partner_id: partnerId, kind: "no correction note", by: null, at: null, note: null };
  // A coordinator's late entry is created and signed in one write: one author, one server time.
  const late = entry.created_by === by && sameTime(entry.created_at, entry.corrected_at);
  return {
    entry_id: entryId,
    partner_id: partnerId,
    kind: late ? "late entry" : "correction",
    by,
    at: entry.corrected_at instanceof Date ? entry.corrected_at : null,
    note: capText(note, CORRECTION_NOTE_KEPT),
  };
}

/** Oldest first (those without a time last), then by entry id: the order a reader follows them in. */
export function byCorrectionTime(a: VersionCorrection, b: VersionCorrection): number {
  const ta = a.at?.getTime() ?? Number.POSITIVE_INFINITY;
  const tb = b.at?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.entry_id < b.entry_id ? -1 : a.entry_id > b.entry_id ? 1 : 0;
}

/** What a statement says of one: `late entry by u1 on 2026-10-02 09:15 UTC: "ticket found"`. */
export function correctionText(c: Readonly<VersionCorrection>, when: (d: Date) => string): string {
  if (c.kind === "no correction note") return "changed without a correction note (its review or verdict changed)";
  return `${c.kind} by ${c.by}${c.at ? ` on ${when(c.at)}` : ""}: "${c.note}"`;
}
