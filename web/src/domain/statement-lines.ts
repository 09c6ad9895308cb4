/**
 * The allocation lines a statement screen shows. A copy of the functions' rule
 * (functions/src/domain/statement.ts, `statementOf`), not an import: the web bundle must not
 * pull in the functions' sources. functions/test/unit/web-statement-lines.test.ts keeps the
 * two equal.
 *
 * A monthly-close report has a line for every partner that was a party to the period (active
 * when it was made, or left since the period began). Another inactive partner with no
 * production has none, yet the report may carry an approved prior-period adjustment of its (and
 * so a net position): its statement shows a zero line with this reason.
 */
import type { AllocationRow, Reconciliation } from "../data/types";
import { toDate } from "../format";
import { contractDayOf, type JvSettings } from "./jv-settings";

export const NO_LINE_REASON = "no production this period; not an active partner when the report was made, so the report has no line for it";

type Lines = Pick<Reconciliation, "allocations" | "prior_period_adjustments" | "net_positions" | "changes_from_previous">;

/** The partner ids of the changes from the superseded version (a partner it had a line for, this version none). */
function changedPartners(changes: unknown): string[] {
  const partners = (changes as { partners?: unknown } | null | undefined)?.partners;
  return Array.isArray(partners)
    ? partners.map((p) => (p as { partner_id?: unknown } | null)?.partner_id).filter((id): id is string => typeof id === "string")
    : [];
}

/** Partners with a carried adjustment, a net position or a change from the superseded version but no allocation line, sorted. */
export function partnersWithoutLine(report: Lines): string[] {
  const lined = new Set(report.allocations.map((a) => a.partner_id));
  const carried = [
    ...[...(report.prior_period_adjustments ?? []), ...(report.net_positions ?? [])].map((r) => r.partner_id),
    ...changedPartners(report.changes_from_previous),
  ].filter((id) => !lined.has(id));
  return [...new Set(carried)].sort();
}

/** A report line as a statement shows it (`statementLine` in the functions' statement.ts): a zero line's reason says the day its partner left the JV, when it has left since the period began. */
function statementLine(line: AllocationRow): AllocationRow {
  const { left_jv_on: left, ...rest } = line;
  if (typeof left !== "string") return rest;
  if (rest.reason === undefined) return { ...rest, left_jv_on: left };
  return { ...rest, reason: `${rest.reason}; it left the JV on ${left}`, left_jv_on: left };
}

/** What a statement says beside the figures of a line with entries whose partner left the JV (`leftJvText` in the functions' statement.ts). */
export function leftJvText(left: string, lastDay: string): string {
  return left <= lastDay
    ? `left the JV on ${left}, its first day outside it: this line counts its entries of the contract days before`
    : `left the JV on ${left}, after this period: this line counts its entries of the whole period`;
}

/**
 * The lines to show: every report line (the JV's view) or the partner's own, plus a zero line
 * (NO_LINE_REASON) for a partner without a line but with carried adjustments. `names` names
 * such partners (the report stores names on its lines only); the id stands in otherwise.
 */
export function statementRows(report: Lines, onlyPartner?: string, names: Readonly<Record<string, string>> = {}): AllocationRow[] {
  const zero = partnersWithoutLine(report).map(
    (partner_id): AllocationRow => ({
      partner_id,
      partner_name: names[partner_id] ?? partner_id,
      entries: 0,
      gross_bbl: 0,
      nsv_bbl: 0,
      share_percent: 0,
      allocated_bbl: 0,
      shrinkage_bbl: 0,
      reason: NO_LINE_REASON,
    }),
  );
  const rows = [...report.allocations.map(statementLine), ...zero].filter((a) => onlyPartner === undefined || a.partner_id === onlyPartner);
  return rows.sort((a, b) => (a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0));
}

export interface TrendPoint {
  /** The period's start (ms), for the order. */
  start: number;
  /** The contract day the period starts on (settings/jv), as the statements name periods. */
  label: string;
  /** Allocated barrels per day of the period: periods of different lengths compare. */
  perDay: number;
  total: number;
}

/** The receipt a version id names ("R1_v3" -> "R1"). */
export const receiptOfVersion = (id: string) => id.replace(/_v\d+$/, "");

/**
 * The versions a partner holds as current, from the released ones it reads: the completed ones,
 * and a superseded one whose successor is not released to it (not among them) and which no
 * released version among them follows — as far as the partner is concerned its statement still,
 * marked completed for the trend and the latest figures.
 */
export function asPartnerSees<
  T extends { id: string; data: Pick<Reconciliation, "status" | "superseded_by" | "terminal_receipt_id" | "version" | "supersedes_receipt"> },
>(released: readonly T[]): T[] {
  const ids = new Set(released.map((d) => d.id));
  // Whether a released version in the list comes after `d`, through versions the partner cannot read:
  // a later version of its receipt, or one of a receipt replacing its receipt or its successor's.
  const laterReleased = (d: T) => {
    const receipts = new Set([d.data.terminal_receipt_id, receiptOfVersion(String(d.data.superseded_by))]);
    return released.some((r) => {
      const replaced = r.data.supersedes_receipt?.terminal_receipt_id;
      return (
        (r.data.terminal_receipt_id === d.data.terminal_receipt_id && Number(r.data.version) > Number(d.data.version)) ||
        (r.data.terminal_receipt_id !== d.data.terminal_receipt_id && receipts.has(r.data.terminal_receipt_id)) ||
        (typeof replaced === "string" && receipts.has(replaced))
      );
    });
  };
  return released.map((d) =>
    d.data.status === "superseded" && typeof d.data.superseded_by === "string" && !ids.has(d.data.superseded_by) && !laterReleased(d)
      ? { ...d, data: { ...d.data, status: "completed" } }
      : d,
  );
}

type PartnerVisible = Pick<Reconciliation, "status" | "superseded_by" | "terminal_receipt_id" | "version" | "supersedes_receipt">;

/**
 * One statement as its partner sees it when the version named in its superseded_by is refused to
 * the partner (not released): it stands while no released version follows it (asPartnerSees), and
 * is otherwise superseded by the newest released version of the receipt that replaced it (another
 * receipt's, when superseded_by names one), or of its own receipt. `released`: the released
 * versions the partner reads of this report's receipt and of the successor's.
 */
export function partnerSeesOne<T extends PartnerVisible>(
  id: string,
  report: T,
  released: ReadonlyArray<{ id: string; data: T }>,
): T {
  const others = released.filter((v) => v.id !== id);
  const seen = asPartnerSees([...others, { id, data: report }]).find((v) => v.id === id)!;
  if (seen.data.status === "completed") return { ...report, status: "completed", superseded_by: undefined };
  const successorReceipt = typeof report.superseded_by === "string" ? receiptOfVersion(report.superseded_by) : undefined;
  const ofSuccessor = others.filter((v) => v.data.terminal_receipt_id === successorReceipt);
  const newest = (ofSuccessor.length > 0 ? ofSuccessor : others).reduce<(typeof others)[number] | undefined>(
    (a, v) => (!a || Number(v.data.version) > Number(a.data.version) ? v : a),
    undefined,
  );
  return newest ? { ...report, superseded_by: newest.id } : report;
}

/** A partner's allocation in each completed report, oldest period first: the trend chart's bars. */
export function trendPoints(
  reports: Array<{ data: Pick<Reconciliation, "status" | "allocations" | "period_start" | "period_end"> }>,
  partner: string,
  settings: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">,
): TrendPoint[] {
  return reports
    .filter((d) => d.data.status === "completed")
    .map((d) => {
      const start = toDate(d.data.period_start);
      const row = d.data.allocations.find((a) => a.partner_id === partner);
      const days = Math.max(1, Math.round(((toDate(d.data.period_end)?.getTime() ?? 0) - (start?.getTime() ?? 0)) / 86_400_000));
      return { start: start?.getTime() ?? 0, label: start ? contractDayOf(start, settings) : "—", perDay: (row?.allocated_bbl ?? 0) / days, total: row?.allocated_bbl ?? 0 };
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * The excluded entries a statement lists, and its card's title. A report keeps only the first
 * few exclusions (MAX_EXCLUDED_LISTED, 20) beside the count of all (totals.entries_excluded): a
 * partner's own among the listed ones are then not all of its exclusions, and the JV's list is
 * not complete either; `partial` says so rather than a count that looks complete.
 */
export function excludedListing(
  report: Pick<Reconciliation, "excluded" | "totals">,
  onlyPartner?: string,
): { rows: NonNullable<Reconciliation["excluded"]>; title: string; partial?: string } {
  const listed = report.excluded ?? [];
  const rows = listed.filter((e) => !onlyPartner || e.partner_id === onlyPartner);
  const total = report.totals.entries_excluded;
  // A partner's list is its own: titled so, beside the summary's count of the JV's exclusions.
  if (listed.length >= total) return { rows, title: onlyPartner ? `Our excluded entries (${rows.length})` : `Excluded entries (${total})` };
  return {
    rows,
    title: onlyPartner ? "Our excluded entries" : `Excluded entries (${total})`,
    partial: `The report lists the first ${listed.length} of the JV's ${total} excluded entries${onlyPartner ? ": any more of yours are not among them" : "; the full list is stored beside it (its exclusions)"}.`,
  };
}

/** The allocation rule a report records (`method`, functions/src/domain/allocation.ts) in words; one not known here, as recorded. */
export function methodInWords(method: string | undefined): string {
  if (method === "pro-rata-nsv-largest-remainder-0.01bbl") return "pro rata to each partner's NSV, rounded to 0.01 bbl by largest remainder";
  return method ?? "—";
}
