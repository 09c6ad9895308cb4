// The allocation statement as a partner or the JV reads it: the figures of one verified
// report, arranged for the PDF and CSV exports. A partner's statement is built from its
// scoped evidence (statement-bundle.ts), so other partners' rows are not even in reach.

import { releaseText } from "./release";
import { type ReportEvidence } from "./report-verification";
import { hashSchemeOf, isSealedRow, type InputRow, type MeasuredInputRow } from "./report-hash";
import { correctionText, noteOf, STALE_ENTRY_IDS_LISTED, type CorrectionNote, type VersionCorrection } from "./version-corrections";
import {
  changesAgainstReason,
  changesComparedWith,
  type ChangesAgainstReason,
  type ReplacedReceipt,
  type ExcludedEntry,
  type ReportAllocation,
  type ReportTotals,
} from "./reconciliation-report";
import { ZERO_FIGURES } from "./period-close";
import { periodDays, type ReconciliationReport } from "./notification-templates";
import { nsvFigures, type NsvFigures } from "./measured-fields";
import { utcMinute } from "./utc-minute";
import { REVIEW_REJECTION, reviewerOfReason } from "./entry-disposition";
import { contractDayOf, type JvSettings } from "./jv-settings";
import { meterShown } from "./typed-text";

export interface StatementAdjustment {
  partner_id: string;
  partner_name: string;
  /** A change from the version this one supersedes, or from the replaced receipt's (a corrected ticket), or an adjustment carried. */
  kind:
    | "change from superseded version"
    | "change from replaced receipt's version"
    | "change from last released version"
    | "change from last settled version"
    | "prior-period adjustment";
  reference: string;
  delta_bbl: number;
  allocated_bbl_before?: number;
  allocated_bbl_after?: number;
  /** A carried adjustment's origin and approval, as its document records them (absent when it is not on record). */
  origin?: AdjustmentOrigin;
}

/**
 * Where a carried prior-period adjustment comes from and who approved it, from its document:
 * the report binds the adjustment's id, partner, change and origin report; these fields are
 * shown beside them, read from the document whose partner, change and origin match.
 */
export interface AdjustmentOrigin {
  terminal_receipt_id: string;
  period_start: Date | null;
  period_end: Date | null;
  /** The origin period's first and last contract days; null without both instants. */
  contract_days: { first: string; last: string } | null;
  decided_by: string;
  decided_at: Date | null;
  note: string | null;
}

/** A statement's allocation line: the report's line, or a zero line the statement adds (see `statementOf`). */
export interface StatementAllocation extends ReportAllocation {
  /** Why the line is zero: the report's own reason (with the day the partner left the JV, on its zero line), or NO_LINE_REASON on a line the statement adds. */
  reason?: string;
  /** The day its partner left the JV (its first day outside it), after the period's first contract day; a zero line's reason says it too. */
  left_jv_on?: string;
}

/** A report line as a statement shows it: a zero line's reason says the day its partner left the JV, when it has left since the period began. */
function statementLine(line: StatementAllocation & { left_jv_on?: unknown }): StatementAllocation {
  const { left_jv_on: left, ...rest } = line;
  if (typeof left !== "string") return rest;
  if (rest.reason === undefined) return { ...rest, left_jv_on: left };
  return { ...rest, reason: `${rest.reason}; it left the JV on ${left}`, left_jv_on: left };
}

/**
 * What a statement says beside the figures of a line with entries whose partner left the JV
 * (`left`, its first day outside it) during the period or after it (`lastDay`, the period's last contract day).
 */
export function leftJvText(left: string, lastDay: string): string {
  return left <= lastDay
    ? `left the JV on ${left}, its first day outside it: this line counts its entries of the contract days before`
    : `left the JV on ${left}, after this period: this line counts its entries of the whole period`;
}

/**
 * The reason on the zero line a statement shows for a partner that has carried prior-period
 * adjustments but no line in the report. A monthly-close report has a line for every partner
 * that was a party to the period (active when it was made, or left since the period began), so a
 * partner without one produced nothing and was not active.
 */
export const NO_LINE_REASON = "no production this period; not an active partner when the report was made, so the report has no line for it";

export interface Statement {
  reconciliation_id: string;
  /** Null for the whole JV statement. */
  partner_id: string | null;
  partner_name: string | null;
  terminal_name: string;
  /** False on a report made before it recorded the terminal's name: the name is the receipt's as it is now, and nothing checks it. */
  terminal_name_sealed: boolean;
  terminal_receipt_id: string;
  period_start: Date;
  period_end: Date;
  /** The period's first and last contract days, as the JV's settings stored on the report name them (the closed_days ids). */
  contract_days: { first: string; last: string };
  version: number;
  supersedes: string | null;
  /** Another receipt's reconciliation this report replaces (a corrected terminal ticket). */
  supersedes_receipt: ReplacedReceipt | null;
  /** Set when the partners are not settled on the version this one follows: the last version they are (null: none was released to them), and why. */
  changes_against?: string | null;
  changes_against_reason?: ChangesAgainstReason;
  status: string;
  /** The loss and unaccounted-for band the shrinkage was judged against, and who released a shrinkage outside it (reports made before the band: null). */
  luaf: {
    tolerance_percent: number;
    within_band: boolean;
    acknowledgement: { by: string; role: string; note: string; at: Date | null } | null;
  } | null;
  /** Set when entries of the period changed after this version was made: its figures no longer hold. */
  stale: { since: Date | null; changes: number } | null;
  /** The close's check for entries changed while the version was made has not run (the call that made it ended first). */
  close_check_pending: boolean;
  superseded_by: string | null;
  /** Its release to the partners (release.ts); null on reports made before releases were recorded. */
  release: { required: boolean; released: boolean; by: string | null; at: Date | null; note: string | null } | null;
  created_at: Date | null;
  created_by: string;
  standard: string;
  method: string;
  hash_scheme: string;
  terminal_inputs: Record<string, number>;
  terminal: Record<string, number>;
  /** The report's lines in the clear, plus a zero line (NO_LINE_REASON) for each partner with carried adjustments and no line. */
  allocations: StatementAllocation[];
  /** The partners the JV total covers: the report's lines, whether shown or sealed, and the zero lines added here. */
  partner_count: number;
  totals: ReportTotals;
  entries: MeasuredInputRow[] | InputRow[];
  /**
   * A partner's entries as its people name them, "contract day · meter", by entry id: from the
   * entries as recorded when the statement was made (the manifest holds the measured inputs only).
   */
  entry_labels?: Readonly<Record<string, string>>;
  adjustments: StatementAdjustment[];
  /** Per partner: this period's allocation plus the prior-period adjustments carried (empty on reports without them). */
  net_positions: Array<{ partner_id: string; partner_name: string; allocated_bbl: number; adjustments_bbl: number; net_bbl: number }>;
  excluded: ExcludedEntry[];
  /**
   * Why this version was made: the corrections behind it (a partner's statement: its own), each
   * with its note when the entry's last correction is still that one (read at export).
   */
  corrections: Array<VersionCorrection & { note?: string }>;
  /** Corrections of other partners' entries, sealed in a partner's statement (0 in the JV's). */
  corrections_of_others: number;
  integrity_hash: string;
  anchor: { event_id: string; stream: string; seq: number; hash: string } | null;
  /**
   * What became of the prior-period adjustments this version's changes raised (a partner's
   * statement: its own), read at export; null when none were read. Lifecycle, outside the report.
   */
  restatement: Restatement | null;
}

/** The accounts a statement names by their uid: who approved an adjustment, corrected an entry, acknowledged a shrinkage, released, entered a corrected ticket, decided a restatement. */
export function accountsNamed(s: Statement): string[] {
  const uids = [
    ...s.adjustments.map((a) => a.origin?.decided_by),
    ...s.corrections.map((c) => c.by),
    s.luaf?.acknowledgement?.by,
    s.release?.by,
    s.supersedes_receipt?.by,
    s.restatement?.decided_by,
    ...s.excluded.map((e) => reviewerOfReason(e.reason)),
  ];
  return [...new Set(uids.filter((u): u is string => typeof u === "string" && u !== ""))].sort();
}

/**
 * The statement with each account it names shown as "Name (uid)" where `names` knows it (from
 * `people/{uid}`), as its readers know them; the uid stays beside the name, for the audit log.
 */
export function withAccountNames(s: Statement, names: ReadonlyMap<string, string>): Statement {
  const named = <T extends string | null | undefined>(uid: T): T | string => (uid && names.has(uid) ? `${names.get(uid)} (${uid})` : uid);
  return {
    ...s,
    adjustments: s.adjustments.map((a) => (a.origin ? { ...a, origin: { ...a.origin, decided_by: named(a.origin.decided_by) } } : a)),
    corrections: s.corrections.map((c) => ({ ...c, by: named(c.by) })),
    luaf: s.luaf?.acknowledgement
      ? { ...s.luaf, acknowledgement: { ...s.luaf.acknowledgement, by: named(s.luaf.acknowledgement.by) } }
      : s.luaf,
    release: s.release ? { ...s.release, by: named(s.release.by) } : s.release,
    supersedes_receipt: s.supersedes_receipt ? { ...s.supersedes_receipt, by: named(s.supersedes_receipt.by) } : s.supersedes_receipt,
    restatement: s.restatement ? { ...s.restatement, decided_by: named(s.restatement.decided_by) } : s.restatement,
    excluded: s.excluded.map((e) => {
      const by = reviewerOfReason(e.reason);
      return by === undefined ? e : { ...e, reason: `${REVIEW_REJECTION}${named(by)}` };
    }),
  };
}

/** An entry as it is recorded now: what its statement line is named by. */
export interface RecordedEntry {
  entry_id: string;
  partner_id: unknown;
  measured_at: Date | undefined;
  meter_id: unknown;
}

/**
 * The partner's statement with its entries named "2026-09-01 · LACT-01": the contract day of each
 * entry's `measured_at` by the report's clock, and its meter. An entry of another partner, or one
 * without a time or a meter, keeps its id alone.
 */
export function withEntryLabels(
  s: Statement,
  recorded: readonly RecordedEntry[],
  clock: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">,
): Statement {
  const labels: Record<string, string> = {};
  for (const e of recorded) {
    const at = e.measured_at?.getTime();
    if (e.partner_id !== s.partner_id || at === undefined || Number.isNaN(at) || typeof e.meter_id !== "string" || e.meter_id === "")
      continue;
    labels[e.entry_id] = `${contractDayOf(new Date(at), clock)} · ${meterShown(e.meter_id)}`;
  }
  return { ...s, entry_labels: labels };
}

export interface Restatement {
  /** The set's status, or "decided apart" when its adjustments differ (`counts` says how). */
  status: string;
  counts: Record<string, number>;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  withdrawn_in: string | null;
}

/** The adjustments a version raised, as their documents stand, summed up for its statement. */
export function restatementOf(raised: readonly Record<string, unknown>[]): Restatement | null {
  if (raised.length === 0) return null;
  const counts: Record<string, number> = {};
  for (const d of raised) counts[String(d.status)] = (counts[String(d.status)] ?? 0) + 1;
  const statuses = Object.keys(counts);
  const first = raised[0]!;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    status: statuses.length === 1 ? statuses[0]! : "decided apart",
    counts,
    decided_by: text(first.decided_by),
    decided_at: asDate(first.decided_at),
    note: text(first.note),
    withdrawn_in: text(first.withdrawn_in),
  };
}

/** What became of the changes raised as adjustments, once decided or withdrawn; null while pending (or not read). */
function restatementDecided(s: Pick<Statement, "restatement">): string | null {
  const r = s.restatement;
  if (!r || r.status === "pending") return null;
  const decided = `${r.decided_by ? ` by ${r.decided_by}` : ""}${r.decided_at ? ` on ${utcMinute(r.decided_at)}` : ""}${r.note ? `: "${r.note}"` : ""}`;
  switch (r.status) {
    case "approved":
      return `Each change was raised as a prior-period adjustment, and the coordinators approved the restatement${decided}: a later period's statement carries it. It is not part of this statement's net position.`;
    case "rejected":
      return `Each change was raised as a prior-period adjustment, and the coordinators rejected the restatement${decided}: nothing is carried, and the partners stay settled on the figures before it. It is not part of this statement's net position.`;
    case "withdrawn":
      return `Each change was raised as a prior-period adjustment, withdrawn undecided when ${r.withdrawn_in ?? "a later version"} replaced this version: nothing is carried from it.`;
    default:
      return `Each change was raised as a prior-period adjustment, decided apart: ${Object.entries(r.counts)
        .map(([status, n]) => `${n} ${status}`)
        .join(", ")}. None is part of this statement's net position.`;
  }
}

const clearRows = <T>(rows: unknown): T[] => (Array.isArray(rows) ? (rows.filter((r) => !isSealedRow(r)) as T[]) : []);

const asDate = (value: unknown): Date | null => (value instanceof Date ? value : null);

function supersedesReceiptOf(value: unknown): Statement["supersedes_receipt"] {
  const replaced = value as
    { terminal_receipt_id?: unknown; reconciliation_id?: unknown; note?: unknown; by?: unknown; at?: unknown } | null | undefined;
  if (typeof replaced?.terminal_receipt_id !== "string") return null;
  return {
    terminal_receipt_id: replaced.terminal_receipt_id,
    reconciliation_id: typeof replaced.reconciliation_id === "string" ? replaced.reconciliation_id : null,
    ...(typeof replaced.note === "string"
      ? { note: replaced.note, by: typeof replaced.by === "string" ? replaced.by : null, at: asDate(replaced.at) }
      : {}),
  };
}

/** What a statement says of a terminal name it takes from the receipt, not from the report's hash. */
export const TERMINAL_NAME_UNSEALED = "not sealed: the receipt's as it is now (a version made before the seal covered it)";

/** The terminal's name as the report binds it, or, on a report made before it did, the receipt's. */
function terminalNameOf(
  r: Record<string, unknown>,
  receipt: Record<string, unknown>,
): Pick<Statement, "terminal_name" | "terminal_name_sealed"> {
  if (r.terminal_name !== undefined)
    return { terminal_name: typeof r.terminal_name === "string" ? r.terminal_name : "", terminal_name_sealed: true };
  return { terminal_name: typeof receipt.terminal_name === "string" ? receipt.terminal_name : "", terminal_name_sealed: false };
}

/** What a statement says of the receipt its report replaces, e.g. "receipt R1 (R1_v2)". */
export function replacedReceiptText(replaced: NonNullable<Statement["supersedes_receipt"]>): string {
  return `receipt ${replaced.terminal_receipt_id}${replaced.reconciliation_id ? ` (${replaced.reconciliation_id})` : ""}`;
}

/**
 * Why a corrected terminal ticket replaces the receipt, as its receipt says, e.g.
 * `entered by u1 on 2026-10-02 09:15 UTC: "the terminal re-proved its meter"`; undefined when it
 * says nothing (a receipt entered before the note was required).
 */
export function replacementReasonText(replaced: NonNullable<Statement["supersedes_receipt"]>): string | undefined {
  if (replaced.note === undefined) return undefined;
  return `entered by ${replaced.by ?? "an unknown user"}${replaced.at ? ` on ${utcMinute(replaced.at)}` : ""}: "${replaced.note}"`;
}

function luafOf(value: unknown): Statement["luaf"] {
  if (value === null || typeof value !== "object") return null;
  const luaf = value as { tolerance_percent?: unknown; within_band?: unknown; acknowledgement?: unknown };
  if (typeof luaf.tolerance_percent !== "number" || typeof luaf.within_band !== "boolean") return null;
  const ack = luaf.acknowledgement as { by?: unknown; role?: unknown; note?: unknown; at?: unknown } | null | undefined;
  return {
    tolerance_percent: luaf.tolerance_percent,
    within_band: luaf.within_band,
    acknowledgement:
      ack && typeof ack === "object"
        ? {
            by: String(ack.by ?? ""),
            role: String(ack.role ?? ""),
            note: String(ack.note ?? ""),
            at: ack.at instanceof Date ? ack.at : null,
          }
        : null,
  };
}

/** What a statement says of its shrinkage against the LUAF band, e.g. "within the LUAF band of ±2 %". */
/** `jv`: said on a partner's statement, where the shrinkage is the JV's, not the partner's own line's. */
export function luafText(luaf: NonNullable<Statement["luaf"]>, shrinkagePercent: number, jv = false): string {
  const band = `the LUAF band of ±${luaf.tolerance_percent} %`;
  const shrinkage = `${jv ? "The JV's shrinkage" : "Shrinkage"} ${shrinkageText(fixedNumber(shrinkagePercent, 5), " %")}`;
  if (luaf.within_band) return `${shrinkage} is within ${band}.`;
  const ack = luaf.acknowledgement;
  const released = ack
    ? ` Released by ${ack.by} (${ack.role})${ack.at ? ` on ${utcMinute(ack.at)}` : ""}: "${ack.note}"`
    : " Released without an acknowledgement on record.";
  return `${shrinkage} is OUTSIDE ${band}.${released}`;
}

/** The warning a statement carries while its close's post-close check has not run. */
export const CLOSE_CHECK_PENDING_TEXT =
  "Close not confirmed yet: the check for entries changed while this version was being made has not run, so such a change may be missing from these figures. It runs when a coordinator reconciles the receipt again.";

/** The warning a stale statement carries: its figures no longer hold, until a re-run or, once one replaced it, for good. */
export function staleText(s: Pick<Statement, "stale" | "status" | "superseded_by">): string {
  const stale = s.stale ?? { since: null, changes: 1 };
  const since = stale.since ? ` (the first on ${utcMinute(stale.since)})` : "";
  const changes = `${stale.changes} change${stale.changes === 1 ? "" : "s"}`;
  const after =
    s.status === "superseded"
      ? `Its figures no longer hold: it was superseded${s.superseded_by ? ` by ${s.superseded_by}` : ""}.`
      : "Its figures no longer hold until the period is reconciled again.";
  return `Stale: ${changes} to entries of this period during or after its close${since}. ${after}`;
}

const partnerOf = (row: unknown): string | undefined =>
  row !== null && typeof row === "object" && typeof (row as { partner_id?: unknown }).partner_id === "string"
    ? (row as { partner_id: string }).partner_id
    : undefined;

/**
 * Partners with a prior-period adjustment, a net position or a change from the superseded
 * version in the clear but no allocation line in the clear, sorted: an inactive partner with no
 * production whose earlier adjustment this report carries, or whose line in the superseded
 * version this one no longer has. Their statement is the adjustment, the change and the net position.
 */
export function partnersWithoutLine(report: Readonly<Record<string, unknown>>): string[] {
  const ids = (rows: unknown) =>
    clearRows<unknown>(rows)
      .map(partnerOf)
      .filter((id): id is string => id !== undefined);
  const lined = new Set(ids(report.allocations));
  const changes = (report.changes_from_previous as { partners?: unknown } | null | undefined)?.partners;
  const carried = [...ids(report.prior_period_adjustments), ...ids(report.net_positions), ...ids(changes)].filter((id) => !lined.has(id));
  return [...new Set(carried)].sort();
}

const byPartnerId = (a: { partner_id: string }, b: { partner_id: string }) =>
  a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0;

/**
 * The statement of one report's evidence (the JV's, or a partner's scoped evidence).
 * `partnerNames` names partners that have no line in the report (the report stores names on
 * lines only); a partner not named there is shown by its id.
 */
export function statementOf(
  evidence: ReportEvidence,
  partnerNames: Readonly<Record<string, string>> = {},
  adjustmentDocs: Readonly<Record<string, Record<string, unknown>>> = evidence.adjustments ?? {},
  correctionNotes: Readonly<Record<string, CorrectionNote>> = evidence.correction_notes ?? {},
  raisedAdjustments: readonly Record<string, unknown>[] = [],
): Statement {
  const r = evidence.report;
  const lines = clearRows<StatementAllocation>(r.allocations).map(statementLine);
  const names = new Map(lines.map((a) => [a.partner_id, a.partner_name]));
  const nameOf = (id: string) => names.get(id) ?? partnerNames[id] ?? id;
  // Presentation only: the report (its content digest, integrity hash and verification) is unchanged.
  const unlined = partnersWithoutLine(r);
  const allocations = [
    ...lines,
    ...unlined.map((partner_id): StatementAllocation => ({
      partner_id,
      partner_name: nameOf(partner_id),
      ...ZERO_FIGURES,
      reason: NO_LINE_REASON,
    })),
  ].sort(byPartnerId);
  const changes = clearRows<{ partner_id: string; delta_bbl: number; allocated_bbl_before: number; allocated_bbl_after: number }>(
    (r.changes_from_previous as { partners?: unknown } | null)?.partners,
  );
  const prior = clearRows<{ id?: string; partner_id: string; delta_bbl: number; from_reconciliation_id?: string }>(
    r.prior_period_adjustments,
  );
  const replaced = supersedesReceiptOf(r.supersedes_receipt);
  const comparedWith = changesComparedWith(r) ?? "";
  const anchor = evidence.audit_events.find(
    (e) => e.action === "reconciliation_completed" && e.subject === `reconciliations/${evidence.reconciliation_id}`,
  );
  return {
    reconciliation_id: evidence.reconciliation_id,
    partner_id: evidence.partner_id ?? null,
    partner_name: evidence.partner_id === undefined ? null : nameOf(evidence.partner_id),
    ...terminalNameOf(r, evidence.receipt ?? {}),
    terminal_receipt_id: String(r.terminal_receipt_id),
    period_start: asDate(r.period_start) ?? new Date(NaN),
    period_end: asDate(r.period_end) ?? new Date(NaN),
    contract_days: periodDays({
      period_start: asDate(r.period_start) ?? new Date(NaN),
      period_end: asDate(r.period_end) ?? new Date(NaN),
      settings: r.settings as ReconciliationReport["settings"],
    }),
    version: Number(r.version),
    supersedes: typeof r.supersedes === "string" ? r.supersedes : null,
    supersedes_receipt: replaced,
    ...(r.changes_against !== undefined
      ? {
          changes_against: typeof r.changes_against === "string" ? r.changes_against : null,
          changes_against_reason: changesAgainstReason(r) ?? undefined,
        }
      : {}),
    status: String(r.status ?? ""),
    luaf: luafOf(r.luaf),
    stale: r.stale === true ? { since: asDate(r.stale_since), changes: typeof r.stale_changes === "number" ? r.stale_changes : 1 } : null,
    close_check_pending: r.close_check_pending === true && r.status === "completed",
    superseded_by: typeof r.superseded_by === "string" ? r.superseded_by : null,
    release:
      typeof r.released === "boolean"
        ? {
            required: r.release_required === true,
            released: r.released,
            by: typeof r.released_by === "string" ? r.released_by : null,
            at: asDate(r.released_at),
            note: typeof r.release_note === "string" ? r.release_note : null,
          }
        : null,
    created_at: asDate(r.created_at),
    created_by: String(r.created_by ?? ""),
    standard: String(r.standard ?? ""),
    method: String(r.method ?? ""),
    hash_scheme: hashSchemeOf(r),
    terminal_inputs: (r.terminal_inputs ?? {}) as Record<string, number>,
    terminal: (r.terminal ?? {}) as Record<string, number>,
    allocations,
    partner_count: (Array.isArray(r.allocations) ? r.allocations.length : 0) + unlined.length,
    totals: r.totals as ReportTotals,
    entries: evidence.rows ?? [],
    adjustments: [
      ...changes.map((c) => ({
        partner_id: c.partner_id,
        partner_name: nameOf(c.partner_id),
        kind:
          r.changes_against !== undefined
            ? changesAgainstReason(r) === "never released"
              ? ("change from last released version" as const)
              : ("change from last settled version" as const)
            : typeof r.supersedes === "string"
              ? ("change from superseded version" as const)
              : ("change from replaced receipt's version" as const),
        reference: comparedWith,
        delta_bbl: c.delta_bbl,
        allocated_bbl_before: c.allocated_bbl_before,
        allocated_bbl_after: c.allocated_bbl_after,
      })),
      ...prior.map((p) => {
        const origin = originOf(p, adjustmentDocs[String(p.id ?? "")], r.settings as ReconciliationReport["settings"]);
        return {
          partner_id: p.partner_id,
          partner_name: nameOf(p.partner_id),
          kind: "prior-period adjustment" as const,
          reference: `${String(p.id ?? "")} (from ${String(p.from_reconciliation_id ?? "")})`,
          delta_bbl: p.delta_bbl,
          ...(origin ? { origin } : {}),
        };
      }),
    ],
    net_positions: clearRows<{ partner_id: string; allocated_bbl: number; adjustments_bbl: number; net_bbl: number }>(r.net_positions).map(
      (n) => ({
        partner_id: n.partner_id,
        partner_name: nameOf(n.partner_id),
        allocated_bbl: n.allocated_bbl,
        adjustments_bbl: n.adjustments_bbl,
        net_bbl: n.net_bbl,
      }),
    ),
    // The exclusion chunks when read (the report's `excluded` is a preview of MAX_EXCLUDED_LISTED rows).
    excluded: evidence.exclusions ?? clearRows<ExcludedEntry>(r.excluded),
    corrections: clearRows<VersionCorrection>(r.corrections).map((c) => {
      const row = { ...c, at: asDate(c.at) };
      const note = noteOf(row, correctionNotes[c.entry_id]);
      return note === undefined ? row : { ...row, note };
    }),
    corrections_of_others: Array.isArray(r.corrections) ? r.corrections.filter(isSealedRow).length : 0,
    integrity_hash: String(r.integrity_hash),
    anchor: anchor ? { event_id: anchor.id, stream: anchor.stream, seq: anchor.seq, hash: anchor.hash } : null,
    restatement: restatementOf(
      evidence.partner_id === undefined ? raisedAdjustments : raisedAdjustments.filter((d) => d.partner_id === evidence.partner_id),
    ),
  };
}

/**
 * The origin of a carried adjustment, when its approved document matches the report's row. Its
 * contract days are named with this report's settings: setJvSettings refuses to move the contract
 * day once a day is closed, so the earlier, closed period was named by the same ones.
 */
function originOf(
  row: { partner_id: string; delta_bbl: number; from_reconciliation_id?: string },
  doc: Record<string, unknown> | undefined,
  settings: ReconciliationReport["settings"],
): AdjustmentOrigin | undefined {
  if (!doc || doc.status !== "approved") return undefined;
  if (doc.partner_id !== row.partner_id || doc.delta_bbl !== row.delta_bbl || doc.from_reconciliation_id !== row.from_reconciliation_id) {
    return undefined;
  }
  const [periodStart, periodEnd] = [asDate(doc.period_start), asDate(doc.period_end)];
  return {
    terminal_receipt_id: String(doc.terminal_receipt_id ?? ""),
    period_start: periodStart,
    period_end: periodEnd,
    contract_days: periodStart && periodEnd ? periodDays({ period_start: periodStart, period_end: periodEnd, settings }) : null,
    decided_by: String(doc.decided_by ?? ""),
    decided_at: asDate(doc.decided_at),
    note: typeof doc.note === "string" && doc.note !== "" ? doc.note : null,
  };
}

/** What a statement says of a carried adjustment's origin period, e.g. "contract days 2026-09-01 to 2026-09-03 (receipt R1)". */
export function originPeriodText(origin: AdjustmentOrigin): string {
  if (origin.contract_days)
    return `contract days ${origin.contract_days.first} to ${origin.contract_days.last} (receipt ${origin.terminal_receipt_id})`;
  const day = (d: Date | null) => (d ? formatDay(d) : "?");
  return `${day(origin.period_start)} to ${day(origin.period_end)} (end exclusive; receipt ${origin.terminal_receipt_id})`;
}

/** What a statement says of a correction behind its version, e.g. `correction by u1 on 2026-10-02 09:15 UTC: "meter factor mistyped"`. */
export const correctionLine = (c: VersionCorrection & { note?: string }): string => correctionText(c, c.note, utcMinute);

/** The sentence above a statement's corrections, or undefined when it has none to show or count. */
export function correctionsIntro(
  s: Pick<
    Statement,
    "corrections" | "corrections_of_others" | "supersedes" | "supersedes_receipt" | "changes_against" | "changes_against_reason"
  >,
): string | undefined {
  const shown = s.corrections.length;
  const others = s.corrections_of_others;
  if (shown + others === 0) return undefined;
  const total = shown + others;
  const sealed =
    others > 0 ? ` ${others} of them changed other partners' entries and ${others === 1 ? "is" : "are"} sealed in this statement.` : "";
  // The stale marks name at most STALE_ENTRY_IDS_LISTED entries: a full list may not be all.
  const listed = total >= STALE_ENTRY_IDS_LISTED ? ` (a version names at most ${STALE_ENTRY_IDS_LISTED}: there may be more)` : "";
  return (
    `Why this version: ${total} entr${total === 1 ? "y" : "ies"} of the period changed after ${s.changes_against ?? s.supersedes ?? s.supersedes_receipt?.reconciliation_id ?? "the version it replaces"} read it${listed}, ` +
    `each with who changed it and when, and the correction's note as the entry holds it.${sealed}`
  );
}

/**
 * What a statement says above its changes from the version before: which version they are
 * against (the last released one, when the version followed never was) and that each is raised
 * as a pending prior-period adjustment, with a corrected ticket's reason.
 */
export function changesIntro(s: Statement, changed: boolean): string {
  const ticketWhy = s.supersedes_receipt
    ? ` Why the terminal's ticket was corrected: ${replacementReasonText(s.supersedes_receipt) ?? "not recorded (a receipt entered before a reason was required)."}`
    : "";
  const decided = restatementDecided(s);
  const raised =
    decided ??
    "Each change of allocation is raised as a pending prior-period adjustment (a row whose allocation did not move, only its NSV, raises none): once the coordinators approve its restatement, a later period's statement carries it. It is not part of this statement's net position.";
  const unchanged = (against: string) =>
    s.partner_id
      ? `${s.partner_name}'s allocation did not change against ${against}.`
      : `No partner's allocation changed against ${against}.`;
  if (s.changes_against !== undefined) {
    const followed = s.supersedes ?? s.supersedes_receipt?.reconciliation_id ?? "The version it follows";
    if (!s.changes_against)
      return `${followed} was never released to the partners: no version was released to them before, so there is nothing to change from.${ticketWhy}`;
    const head =
      s.changes_against_reason === "restatement rejected"
        ? `The coordinators rejected the restatement of ${followed}, so the partners are settled on ${s.changes_against}: the changes are against it.`
        : s.changes_against_reason === "restatement replaced"
          ? `The restatement of ${followed} was still waiting for the coordinators' decision: it is withdrawn, and the changes are against ${s.changes_against}, the last version the partners are settled on.`
          : `${followed} was never released to the partners: the changes are against ${s.changes_against}, the last version released to them.`;
    return `${head} ${changed ? raised : unchanged(s.changes_against)}${ticketWhy}`;
  }
  if (s.supersedes) return `${changed ? `Against ${s.supersedes}. ${raised}` : unchanged(s.supersedes)}${ticketWhy}`;
  const replaces = s.supersedes_receipt ? replacedReceiptText(s.supersedes_receipt) : "another receipt's version";
  if (decided) return `This report replaces ${replaces}. ${decided}${ticketWhy}`;
  return `This report replaces ${replaces}: each partner's change of allocation from it is raised as a pending prior-period adjustment, carried by a later period's statement once approved; it is not part of this statement's net position.${ticketWhy}`;
}

/** An unreleased version that turned stale: releaseReconciliation refuses it until a re-run settles which version stands. */
export const STALE_UNRELEASED =
  "Not released: stale before its release. Entries of its period changed during or after its close, so it cannot be released as it stands: reconcile the receipt again, and release the version that then stands (a new one, or this one when its figures still hold).";

/**
 * Why an unreleased version cannot be released, as the web's release panel says it: superseded
 * before its release (never), or stale (not until a re-run); null for one that may be.
 */
function neverReleased(s: Pick<Statement, "release" | "status" | "stale" | "superseded_by">): string | null {
  if (!s.release || s.release.released) return null;
  if (s.superseded_by !== null || s.status === "superseded") {
    return `Not released: superseded${s.superseded_by ? ` by ${s.superseded_by}` : ""} before its release; the partners never saw this version.`;
  }
  if (s.stale) return STALE_UNRELEASED;
  return null;
}

/** The release as the statement's status says it: "awaiting approval", "not released", or nothing once released. */
export function releaseStatus(s: Pick<Statement, "release" | "status" | "stale" | "superseded_by">): string {
  if (!s.release || s.release.released) return "";
  return neverReleased(s) === null ? "awaiting approval" : "not released";
}

/** What a statement says of its release to the partners, e.g. "Approved and released by u2 on 2026-10-02 09:15 UTC: \"checked\"." */
export function releaseLine(s: Pick<Statement, "release" | "status" | "stale" | "superseded_by">): string {
  const r = s.release;
  if (!r) return "Released as it was made (before releases were recorded).";
  const never = neverReleased(s);
  if (never) return never;
  return releaseText(
    { release_required: r.required, released: r.released, released_by: r.by, released_at: r.at, release_note: r.note },
    utcMinute,
  );
}

/** What a statement says of a carried adjustment's approval, e.g. "approved by u1 on 2026-10-02 09:15 UTC: \"late meter ticket\"". */
export function approvalText(origin: AdjustmentOrigin): string {
  const at = origin.decided_at ? ` on ${utcMinute(origin.decided_at)}` : "";
  return `approved by ${origin.decided_by}${at}${origin.note ? `: "${origin.note}"` : ""}`;
}

/**
 * An entry's correction factors and intermediate volumes, re-derived from its measured inputs
 * by the engine that measured it (the verifier checks the NSV they lead to); undefined for a
 * row without measured inputs (hash scheme v1) or outside the standard's range.
 */
export function entryFactors(row: MeasuredInputRow | InputRow): NsvFigures | undefined {
  const m = row as Partial<MeasuredInputRow>;
  if (m.gross_volume_bbl === undefined || m.api_gravity === undefined || m.temperature_degF === undefined || m.bsw_percent === undefined) {
    return undefined;
  }
  return nsvFigures(m as MeasuredInputRow);
}

/** `statement-<receipt>-v<n>[-<partner>].<ext>`, safe as a file name. */
export function statementFilename(statement: Statement, ext: string): string {
  const base = `statement-${statement.terminal_receipt_id}-v${statement.version}${statement.partner_id ? `-${statement.partner_id}` : ""}`;
  return `${base.replace(/[^A-Za-z0-9._-]/g, "_")}.${ext}`;
}

export const formatBblText = (bbl: number): string => bbl.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A change in bbl with its sign, "+2,309.42" or "-2.25" (the PDF's standard fonts hold no U+2212); zero unsigned. */
export const signedBblText = (bbl: number): string => `${bbl > 0 ? "+" : ""}${formatBblText(bbl)}`;
export const formatFixed = (value: number, decimals: number): string => value.toFixed(decimals);
/**
 * A shrinkage as formatted, with its unit, and "(gain)" after a negative one (the terminal
 * received more than the field measured): "-39.96 bbl (gain)", "-0.34000 % (gain)".
 */
export const shrinkageText = (formatted: string, unit = ""): string =>
  `${formatted}${unit}${/^-[\d,.]*[1-9]/.test(formatted) ? " (gain)" : ""}`;
/**
 * A measured reading as the report stores it: `decimals` places, or all of its own when it
 * has more (the engine rounds readings half to even, toFixed would round 35.25 up to 35.3).
 */
export const formatReading = (value: number, decimals: number): string =>
  Number(value.toFixed(decimals)) === value ? value.toFixed(decimals) : plainNumber(value);
/** A volume reading: as formatBblText, or all of its decimals when it has more than two. */
export const formatReadingBbl = (bbl: number): string => (Number(bbl.toFixed(2)) === bbl ? formatBblText(bbl) : plainNumber(bbl));
/**
 * Every decimal a number has, never in exponent form: the digits JavaScript's shortest form holds,
 * with the point moved (1e-7 is 0.0000001, 2.5e+22 is 25000000000000000000000).
 */
export function plainNumber(value: number): string {
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, rest = "", power] = exponent;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The total of the shares as a statement prints it: each line's share to 5 decimals, summed in hundred-thousandths. */
export function shareTotalPercent(allocations: ReadonlyArray<{ share_percent: number }>): number {
  return allocations.reduce((sum, a) => sum + Math.round(a.share_percent * 100_000), 0) / 100_000;
}

/**
 * `value.toFixed(decimals)`, never in exponent form (toFixed writes one from 1e21 on, where a double
 * is whole). A RangeError for NaN or an infinity: no statement prints "NaN.00000".
 */
export function fixedNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`a statement figure must be a finite number, got ${value} (to ${decimals} decimals)`);
  if (Math.abs(value) < 1e21) return value.toFixed(decimals);
  return decimals > 0 ? `${plainNumber(value)}.${"0".repeat(decimals)}` : plainNumber(value);
}
export const formatDay = (date: Date): string =>
  Number.isNaN(date.getTime()) ? "" : date.toISOString().replace(".000Z", "Z").replace("T00:00:00Z", "");
