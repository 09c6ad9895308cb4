// The figures of a reconciliation version: the `terminal`, `totals`, `allocations` and
// `excluded` parts of a `reconciliations` document (data-model.md), built from the
// terminal measurement and the per-partner aggregates. All arithmetic is in integer
// cent-barrels; bbl numbers are produced only at the end.

import { allocateProRata, sharePercent } from "./allocation";
import { bblToCb, cbToBbl, roundBblToCb, sumCb } from "./cent-barrels";
import { partnerShrinkages, totalShrinkage } from "./shrinkage";

/** The terminal receipt measured to net standard volume (domain/mpms.ts produces it). */
export interface TerminalMeasurement {
  gross_volume_bbl: number;
  api60: number;
  ctl: number;
  cpl: number;
  csw: number;
  nsv_bbl: number;
}

/** A partner's production over the period, summed exactly. */
export interface PartnerAggregate {
  partner_id: string;
  partner_name: string;
  entries: number;
  gross_cb: number;
  nsv_cb: number;
}

export interface ExcludedEntry {
  entry_id: string;
  partner_id: string;
  reason: string;
}

export interface ReportTotals {
  entries_used: number;
  entries_excluded: number;
  field_gross_bbl: number;
  field_nsv_bbl: number;
  terminal_nsv_bbl: number;
  shrinkage_bbl: number;
  shrinkage_percent: number;
}

export interface ReportAllocation {
  partner_id: string;
  partner_name: string;
  entries: number;
  gross_bbl: number;
  nsv_bbl: number;
  share_percent: number;
  allocated_bbl: number;
  shrinkage_bbl: number;
}

export interface ReconciliationFigures {
  terminal: TerminalMeasurement;
  totals: ReportTotals;
  allocations: ReportAllocation[];
  /** At most MAX_EXCLUDED_LISTED rows; `totals.entries_excluded` is the full count. */
  excluded: ExcludedEntry[];
}

export interface ReconciliationInput {
  terminal: TerminalMeasurement;
  partners: readonly PartnerAggregate[];
  entries_used: number;
  entries_excluded: number;
  excluded: readonly ExcludedEntry[];
}

/**
 * The report shows this many excluded entries as a preview; the full list is written beside
 * it (the `exclusions` chunks) and `totals.entries_excluded` is the count, so no number of
 * exclusions can push a report past Firestore's 1 MiB.
 */
export const MAX_EXCLUDED_LISTED = 20;

function requireCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

function byPartnerId<T extends { partner_id: string }>(a: T, b: T): number {
  return a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0;
}

function terminalPart(terminal: TerminalMeasurement): TerminalMeasurement {
  const part = {
    gross_volume_bbl: terminal.gross_volume_bbl,
    api60: terminal.api60,
    ctl: terminal.ctl,
    cpl: terminal.cpl,
    csw: terminal.csw,
    nsv_bbl: terminal.nsv_bbl,
  };
  for (const [name, value] of Object.entries(part)) {
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new RangeError(`terminal ${name} must be a finite number, got ${value}`);
  }
  return part;
}

/**
 * Builds the figures of a reconciliation. Allocations are sorted by partner_id (code
 * unit order); their `allocated_bbl` sum to `terminal_nsv_bbl` exactly in cent-barrels
 * (sum them with bblToCb, not as floats), and their `shrinkage_bbl` to `shrinkage_bbl`.
 *
 * Throws a RangeError when the inputs disagree (entries_used is not the partners' entry
 * count, fewer excluded entries counted than listed, a duplicate partner, a terminal NSV
 * not rounded to 0.01 bbl) or when there is nothing to prorate on (terminal NSV > 0
 * with zero field NSV).
 */
export function buildReconciliationReport(input: ReconciliationInput): ReconciliationFigures {
  const terminal = terminalPart(input.terminal);
  const terminalNsvCb = bblToCb(terminal.nsv_bbl);
  if (terminalNsvCb < 0) throw new RangeError(`terminal NSV must not be negative, got ${terminal.nsv_bbl} bbl`);
  requireCount(input.entries_used, "entries_used");
  requireCount(input.entries_excluded, "entries_excluded");
  if (input.excluded.length > input.entries_excluded) {
    throw new RangeError(`${input.excluded.length} excluded entries listed but entries_excluded is ${input.entries_excluded}`);
  }

  const partners = [...input.partners].sort(byPartnerId);
  for (const p of partners) requireCount(p.entries, `entries of partner ${p.partner_id}`);
  const partnerEntries = partners.reduce((sum, p) => sum + p.entries, 0);
  if (partnerEntries !== input.entries_used) {
    throw new RangeError(`entries_used is ${input.entries_used} but the partners' entries add up to ${partnerEntries}`);
  }

  const allocations = allocateProRata(terminalNsvCb, partners); // checks nsv_cb and duplicates
  const shrinkages = partnerShrinkages(partners, allocations);
  const fieldNsvCb = sumCb(partners.map((p) => p.nsv_cb));
  const fieldGrossCb = sumCb(partners.map((p) => p.gross_cb));
  const shrinkage = totalShrinkage(fieldNsvCb, terminalNsvCb);

  return {
    terminal,
    totals: {
      entries_used: input.entries_used,
      entries_excluded: input.entries_excluded,
      field_gross_bbl: cbToBbl(fieldGrossCb),
      field_nsv_bbl: cbToBbl(fieldNsvCb),
      terminal_nsv_bbl: cbToBbl(terminalNsvCb),
      shrinkage_bbl: cbToBbl(shrinkage.shrinkage_cb),
      shrinkage_percent: shrinkage.shrinkage_percent,
    },
    allocations: partners.map((p, i) => ({
      partner_id: p.partner_id,
      partner_name: p.partner_name,
      entries: p.entries,
      gross_bbl: cbToBbl(p.gross_cb),
      nsv_bbl: cbToBbl(p.nsv_cb),
      share_percent: sharePercent(p.nsv_cb, fieldNsvCb),
      allocated_bbl: cbToBbl(allocations[i]!.allocated_cb),
      shrinkage_bbl: cbToBbl(shrinkages[i]!.shrinkage_cb),
    })),
    excluded: input.excluded.slice(0, MAX_EXCLUDED_LISTED).map((e) => ({
      entry_id: e.entry_id,
      partner_id: e.partner_id,
      reason: e.reason,
    })),
  };
}

/** One production entry, as the aggregator needs it. */
export interface AggregatedEntry {
  partner_id: string;
  gross_bbl: number;
  nsv_bbl: number;
}

/**
 * Sums entries per partner in integer cent-barrels, one entry at a time, so memory is
 * O(partners) however many entries a period has. NSV must already be rounded to
 * 0.01 bbl (it is a computed, published figure: anything else is a bug upstream); an
 * observed gross volume may carry more decimals and is rounded to 0.01 bbl, half to even.
 */
export class PartnerAggregator {
  private readonly totals = new Map<string, { entries: number; gross_cb: number; nsv_cb: number }>();
  private count = 0;

  add(entry: Readonly<AggregatedEntry>): void {
    if (typeof entry.partner_id !== "string" || entry.partner_id === "") {
      throw new TypeError("an aggregated entry needs a partner_id");
    }
    const nsvCb = bblToCb(entry.nsv_bbl);
    const grossCb = roundBblToCb(entry.gross_bbl);
    if (nsvCb < 0 || grossCb < 0) {
      throw new RangeError(`entry of partner ${entry.partner_id} has a negative volume`);
    }
    let total = this.totals.get(entry.partner_id);
    // Summed before anything is kept: an entry whose sum overflows leaves the totals as they were.
    const gross = sumCb([total?.gross_cb ?? 0, grossCb]);
    const nsv = sumCb([total?.nsv_cb ?? 0, nsvCb]);
    if (total === undefined) {
      total = { entries: 0, gross_cb: 0, nsv_cb: 0 };
      this.totals.set(entry.partner_id, total);
    }
    total.entries += 1;
    total.gross_cb = gross;
    total.nsv_cb = nsv;
    this.count += 1;
  }

  /** Entries added so far. */
  get entryCount(): number {
    return this.count;
  }

  /** One aggregate per partner seen, sorted by partner_id; `nameOf` supplies partner_name. */
  aggregates(nameOf: (partnerId: string) => string): PartnerAggregate[] {
    return [...this.totals.entries()].map(([partner_id, t]) => ({ partner_id, partner_name: nameOf(partner_id), ...t })).sort(byPartnerId);
  }
}

export interface PartnerChange {
  partner_id: string;
  allocated_bbl_before: number;
  allocated_bbl_after: number;
  delta_bbl: number;
  nsv_bbl_before: number;
  nsv_bbl_after: number;
}

/** after − before for each total; volumes exact to 0.01 bbl, the percent to 5 decimals. */
export type TotalsDelta = ReportTotals;

export interface ChangesFromPrevious {
  /** Partners whose allocation or NSV changed, sorted by partner_id; absent on one side counts as 0. */
  partners: PartnerChange[];
  totals_delta: TotalsDelta;
}

type AllocationFigures = Pick<ReportAllocation, "partner_id" | "allocated_bbl" | "nsv_bbl">;

function deltaBbl(before: number, after: number): number {
  return cbToBbl(bblToCb(after) - bblToCb(before));
}

/** Percents are 5-decimal figures: subtract them as integers of 1e-5 so 0.1 − 0.3 is not −0.19999999999999998. */
function deltaPercent(before: number, after: number): number {
  const units = (x: number): number => {
    const scaled = Math.round(x * 100_000);
    if (!Number.isSafeInteger(scaled) || scaled / 100_000 !== x) throw new RangeError(`percent ${x} is not rounded to 5 decimals`);
    return scaled;
  };
  const delta = units(after) - units(before);
  return delta === 0 ? 0 : delta / 100_000;
}

/**
 * Why a report's changes are against `changes_against`, not the version it follows: that one was
 * never released to the partners, or its restatement (its prior-period adjustments) was rejected,
 * or was still undecided and is withdrawn in favour of this version's. Either way the partners
 * are settled on the version that one was compared with.
 */
export type ChangesAgainstReason = "never released" | "restatement rejected" | "restatement replaced";

/** The reason a report records (reports made before it was recorded named another version only when the one followed was never released). */
export function changesAgainstReason(report: { changes_against?: unknown; changes_against_reason?: unknown }): ChangesAgainstReason | null {
  if (report.changes_against === undefined) return null;
  const reason = report.changes_against_reason;
  return reason === "restatement rejected" || reason === "restatement replaced" ? reason : "never released";
}

/** Whether a report raised prior-period adjustments: a partner's allocation moved against the version it was compared with. */
export function raisedAdjustments(report: { changes_from_previous?: unknown }): boolean {
  return adjustmentsRaisedBy("", report).size > 0;
}

/** An adjustment a version raised: its id is the version's id and the index of the change among those that moved. */
export interface RaisedAdjustment {
  id: string;
  partner_id: string;
  delta_bbl: number;
}

/** The prior-period adjustments `versionId` raised, by id: each partner's non-zero change, in the report's order. */
export function adjustmentsRaisedBy(versionId: string, report: { changes_from_previous?: unknown }): Map<string, RaisedAdjustment> {
  const partners = (report.changes_from_previous as { partners?: unknown } | null | undefined)?.partners;
  const moved = (Array.isArray(partners) ? (partners as Array<{ partner_id?: unknown; delta_bbl?: unknown }>) : []).filter(
    (p) => typeof p?.delta_bbl === "number" && p.delta_bbl !== 0,
  );
  return new Map(
    moved.map((p, index) => {
      const id = `${versionId}_${index}`;
      return [id, { id, partner_id: String(p.partner_id), delta_bbl: p.delta_bbl as number }];
    }),
  );
}

/**
 * A corrected ticket's first version made before such versions recorded their changes (they
 * raised adjustments against the replaced version, but stored `changes_from_previous: null`):
 * what it raised cannot be read back from it.
 */
export function raisedUnrecorded(source: { changes_from_previous?: unknown; supersedes_receipt?: unknown }): boolean {
  const replaced = (source.supersedes_receipt as { reconciliation_id?: unknown } | null | undefined)?.reconciliation_id;
  return (source.changes_from_previous ?? null) === null && typeof replaced === "string";
}

/** What is wrong with an adjustment against the version it names, and what an admin does about it. */
const DELETE_IT = "an admin finds out who wrote it and deletes it";

export interface AdjustmentOriginFault {
  kind: "edited" | "invented" | "no_version";
  text: string;
  /** What puts it right, for the refusal's reader. */
  remedy: string;
}

/**
 * What is wrong with an adjustment document against the version that raised it (whose figures its
 * integrity hash binds), or undefined when it is what that version raised, or when that version
 * cannot tell (raisedUnrecorded): the document is written once by reconcile, so a difference was
 * made outside FlowShare.
 */
export function adjustmentOriginFault(
  adjustment: { id: string; partner_id: unknown; delta_bbl: unknown; from_reconciliation_id: unknown },
  source: { changes_from_previous?: unknown; supersedes_receipt?: unknown } | null | undefined,
): AdjustmentOriginFault | undefined {
  const from = adjustment.from_reconciliation_id;
  if (typeof from !== "string" || from === "") {
    return { kind: "no_version", text: "it names no version that raised it", remedy: DELETE_IT };
  }
  if (!source) {
    return {
      kind: "no_version",
      text: `the version it names, ${from}, does not exist`,
      remedy: DELETE_IT,
    };
  }
  if (raisedUnrecorded(source)) return undefined;
  const raised = adjustmentsRaisedBy(from, source).get(adjustment.id);
  if (!raised) {
    return {
      kind: "invented",
      text: `${from} raised no adjustment ${adjustment.id}`,
      remedy: DELETE_IT,
    };
  }
  if (raised.partner_id !== adjustment.partner_id || raised.delta_bbl !== adjustment.delta_bbl) {
    return {
      kind: "edited",
      text: `it says ${String(adjustment.delta_bbl)} bbl for ${String(adjustment.partner_id)}, where ${from} raised ${raised.delta_bbl} bbl for ${raised.partner_id}`,
      remedy: `an admin restores its partner and change from ${from} and the audit log`,
    };
  }
  return undefined;
}

/**
 * The adjustments `versionId` raised that are not among `present`: deleted outside FlowShare
 * (reconcile creates a version's whole set in the commit that makes it, and nothing deletes one).
 * The set sums to the version's change of the terminal NSV only whole. None when the version
 * cannot tell what it raised (raisedUnrecorded) or is gone (adjustmentOriginFault says so).
 */
export function missingAdjustments(
  versionId: string,
  source: { changes_from_previous?: unknown; supersedes_receipt?: unknown } | null | undefined,
  present: ReadonlySet<string>,
): RaisedAdjustment[] {
  if (!source || raisedUnrecorded(source)) return [];
  return [...adjustmentsRaisedBy(versionId, source).values()].filter((a) => !present.has(a.id));
}

/** The refusal's words for the missing members of a set, and what puts it right. */
export function missingAdjustmentsText(versionId: string, missing: readonly RaisedAdjustment[]): string {
  const listed = missing
    .slice(0, 5)
    .map((a) => `${a.id} (${a.delta_bbl > 0 ? "+" : ""}${a.delta_bbl} bbl for ${a.partner_id})`)
    .join(", ");
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : "";
  const them = missing.length === 1 ? "it" : "them";
  return (
    `${versionId} raised ${missing.length === 1 ? "an adjustment" : `${missing.length} adjustments`} that no longer exist${missing.length === 1 ? "s" : ""}: ${listed}${more}. ` +
    `Its adjustments sum to its change of the terminal NSV only together; an admin restores ${them} from ${versionId}'s changes and the audit log`
  );
}

/**
 * The version a report's `changes_from_previous` is against: the one it supersedes, or, on a
 * receipt's first version replacing another receipt's, that receipt's version it replaced —
 * unless the report names another in `changes_against` (the last version the partners are
 * settled on, when they are not on the one it follows; null: none was released to them).
 */
export function changesComparedWith(report: {
  supersedes?: unknown;
  supersedes_receipt?: unknown;
  changes_against?: unknown;
}): string | null {
  if (report.changes_against !== undefined) return typeof report.changes_against === "string" ? report.changes_against : null;
  if (typeof report.supersedes === "string") return report.supersedes;
  const replaced = (report.supersedes_receipt as { reconciliation_id?: unknown } | null | undefined)?.reconciliation_id;
  return typeof replaced === "string" ? replaced : null;
}

/** A corrected ticket's report: the receipt it replaces and that receipt's version then current. */
export interface ReplacedReceipt {
  terminal_receipt_id: string;
  reconciliation_id: string | null;
  /** Why the ticket was corrected, who entered the new receipt and when (absent on receipts entered before the note was required). */
  note?: string;
  by?: string | null;
  at?: Date | null;
}

/**
 * What a new version changes against the one it supersedes (a prior-period adjustment):
 * the partners whose allocation or NSV moved, and the change of every total. Figures are
 * read back from stored documents, so they must be 0.01 bbl (and 5-decimal percent) values.
 */
export function changesFromPrevious(
  previousAllocations: readonly AllocationFigures[],
  nextAllocations: readonly AllocationFigures[],
  previousTotals: Readonly<ReportTotals>,
  nextTotals: Readonly<ReportTotals>,
): ChangesFromPrevious {
  const index = (rows: readonly AllocationFigures[], which: string): Map<string, AllocationFigures> => {
    const byId = new Map<string, AllocationFigures>();
    for (const row of rows) {
      if (byId.has(row.partner_id)) throw new RangeError(`partner ${row.partner_id} appears twice in the ${which} allocations`);
      byId.set(row.partner_id, row);
    }
    return byId;
  };
  const before = index(previousAllocations, "previous");
  const after = index(nextAllocations, "next");
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();

  const partners: PartnerChange[] = [];
  for (const partner_id of ids) {
    const b = before.get(partner_id);
    const a = after.get(partner_id);
    const allocatedBeforeCb = b === undefined ? 0 : bblToCb(b.allocated_bbl);
    const allocatedAfterCb = a === undefined ? 0 : bblToCb(a.allocated_bbl);
    const nsvBeforeCb = b === undefined ? 0 : bblToCb(b.nsv_bbl);
    const nsvAfterCb = a === undefined ? 0 : bblToCb(a.nsv_bbl);
    if (allocatedBeforeCb === allocatedAfterCb && nsvBeforeCb === nsvAfterCb) continue;
    partners.push({
      partner_id,
      allocated_bbl_before: cbToBbl(allocatedBeforeCb),
      allocated_bbl_after: cbToBbl(allocatedAfterCb),
      delta_bbl: cbToBbl(allocatedAfterCb - allocatedBeforeCb),
      nsv_bbl_before: cbToBbl(nsvBeforeCb),
      nsv_bbl_after: cbToBbl(nsvAfterCb),
    });
  }

  return {
    partners,
    totals_delta: {
      entries_used: nextTotals.entries_used - previousTotals.entries_used,
      entries_excluded: nextTotals.entries_excluded - previousTotals.entries_excluded,
      field_gross_bbl: deltaBbl(previousTotals.field_gross_bbl, nextTotals.field_gross_bbl),
      field_nsv_bbl: deltaBbl(previousTotals.field_nsv_bbl, nextTotals.field_nsv_bbl),
      terminal_nsv_bbl: deltaBbl(previousTotals.terminal_nsv_bbl, nextTotals.terminal_nsv_bbl),
      shrinkage_bbl: deltaBbl(previousTotals.shrinkage_bbl, nextTotals.shrinkage_bbl),
      shrinkage_percent: deltaPercent(previousTotals.shrinkage_percent, nextTotals.shrinkage_percent),
    },
  };
}
