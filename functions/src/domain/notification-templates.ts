// Deterministic notification texts: what every recipient gets when Gemini is off, fails,
// or writes a figure the report does not hold. Volumes and percents print with 2
// decimals and thousands separators, factors with 5, rounded half to even.

import type { NetPosition } from "./period-close";
import { type AuditReason, fieldName } from "./production-entry";
import {
  changesAgainstReason,
  changesComparedWith,
  type ChangesFromPrevious,
  type ReconciliationFigures,
  type ReportAllocation,
} from "./reconciliation-report";
import { ENTRY_ID_SHAPE } from "./meter-ticket";
import { methodInWords } from "./allocation";
import { plural } from "./plural";
import { roundHalfEven } from "./rounding";
import { contractDayOf, reportContractClock } from "./jv-settings";
import { inWords } from "./minus-sign";
import { meterShown, oneLine } from "./typed-text";
import { capText } from "./bounded-id";

/** A Date, an ISO string, or a Firestore Timestamp (structurally). */
export type DateLike = Date | string | { toDate(): Date };

/** The parts of a `reconciliations` document the texts use. */
export interface ReconciliationReport extends ReconciliationFigures {
  terminal_receipt_id: string;
  version: number;
  period_start: DateLike;
  period_end: DateLike;
  /** Each partner's count of excluded entries, among others (absent on reports made before it). */
  partner_inputs?: ReadonlyArray<{ partner_id: string; excluded?: number }> | null;
  /** The contract day the close used (absent on reports made before it: 00:00 UTC). */
  settings?: { contract_day_start_hour?: number; utc_offset_minutes?: number } | null;
  standard?: string;
  method?: string;
  supersedes?: string | null;
  /** The receipt a corrected terminal ticket replaces, its version then current, and why (when recorded). */
  supersedes_receipt?: { terminal_receipt_id: string; reconciliation_id: string | null; note?: string } | null;
  changes_from_previous?: ChangesFromPrevious | null;
  /** The last version the partners are settled on, when they are not on the version followed (null: none was released to them), and why. */
  changes_against?: string | null;
  changes_against_reason?: string;
  /** False while the version waits for its release to the partners (release.ts); absent on older reports. */
  released?: boolean;
  /** The entries that changed after the version before read the period (the report's `corrections`). */
  corrections?: ReadonlyArray<{ entry_id: string; partner_id: string; kind: string }> | null;
  /** Each partner's allocation with its carried prior-period adjustments. */
  net_positions?: readonly NetPosition[] | null;
  /** The LUAF band the shrinkage was judged against, and who accepted one outside it (absent on reports made before the band). */
  luaf?: LuafReport | null;
}

/** A report's `luaf`, as reconcile stores it (period-close.ts `luafStatus` and the acknowledgement). */
export interface LuafReport {
  tolerance_percent: number;
  shrinkage_percent: number;
  within_band: boolean;
  acknowledgement: { by: string; role: string; note: string } | null;
}

export interface FlaggedEntry {
  entry_id: string;
  partner_id: string;
  /** The partner's name (partners/{partner_id}), read when the notice is written; its id when it has none. */
  partner_name?: string;
  measured_at: DateLike;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
  meter_id?: string;
  /** Its correction note, when a coordinator entered it late or corrected it: the rules then let no operator edit it. */
  correction_note?: string;
}

/** An entry as read when its notice is written: the meter and the day its readers know it by. */
export interface EntryKnownAs {
  partner_id: string;
  meter_id?: string;
  /** "contract day 2026-11-04" (or the UTC day of an audit without one), as {@link entryDayText} writes it. */
  day: string;
}

/**
 * What the partners and entries a report's notice names are known as: partners' names (the
 * report's own, and partners/{id} for the others) and the listed entries' meters and days.
 * Whatever is missing is named by its id.
 */
export interface KnownAs {
  partners: ReadonlyMap<string, string>;
  entries: ReadonlyMap<string, EntryKnownAs>;
  /** Accounts' names (people/{uid}.display_name), such as the coordinator who accepted a shrinkage outside the LUAF band. */
  people?: ReadonlyMap<string, string>;
}

/** The report's own names: each allocated partner's. */
export function knownFromReport(report: Pick<ReconciliationReport, "allocations">): KnownAs {
  return { partners: new Map(report.allocations.map((a) => [a.partner_id, a.partner_name])), entries: new Map() };
}

const partnerCalled = (known: KnownAs, partnerId: string): string => oneLine(known.partners.get(partnerId) || partnerId);

/**
 * A listed entry: "Beta Oil · M-7, contract day 2026-11-02 (entry E-0419)", or "Beta Oil, entry
 * E-0419" when it could not be read; `own`: in its partner's own statement, without the partner.
 */
export function listedEntry(known: KnownAs, entryId: string, partnerId: string, own = false): string {
  const entry = known.entries.get(entryId);
  const partner = partnerCalled(known, partnerId);
  if (!entry) return own ? `entry ${entryId}` : `${partner}, entry ${entryId}`;
  const label = own
    ? `${entry.meter_id ? `${meterShown(entry.meter_id)}, ` : ""}${entry.day}`
    : entryLabel(partner, entry.meter_id, entry.day);
  return `${label} (entry ${entryId})`;
}

/**
 * Who corrects a rejected entry: the rules let an operator edit only its own entries that no
 * coordinator has entered or corrected; a gateway's entry (api_…) and a coordinator's are a
 * coordinator's to correct, with a correction note.
 */
export function rejectedEntryCorrector(entry: Pick<FlaggedEntry, "entry_id" | "correction_note">): "operator" | "gateway" | "coordinator" {
  if (ENTRY_ID_SHAPE.test(entry.entry_id)) return "gateway";
  return entry.correction_note ? "coordinator" : "operator";
}

/** How a rejected entry is corrected, as a clause: the rules lock an operator out of a closed day. */
export function rejectedEntryCorrection(entry: Pick<FlaggedEntry, "entry_id" | "correction_note">): string {
  return {
    operator:
      "the field operator who entered it corrects its measured fields and it is audited again; on a day already closed, a coordinator enters the correction",
    gateway:
      "it came from the SCADA gateway, so a coordinator corrects its measured fields, with a new correction note, and it is audited again",
    coordinator: "a coordinator entered or corrected it, so a coordinator corrects it, with a new correction note, and it is audited again",
  }[rejectedEntryCorrector(entry)];
}

/** The next step of an entry the auditor flagged or rejected: the notice and Gemini's brief say the same. */
export function auditedEntryNextStep(entry: Pick<FlaggedEntry, "entry_id" | "correction_note">, status: EntryAudit["status"]): string {
  if (status === "rejected") return `The entry will not be reconciled until it is corrected: ${rejectedEntryCorrection(entry)}.`;
  return status === "flagged"
    ? "A coordinator must approve or reject the entry before its period can be reconciled."
    : "No action is needed.";
}

export interface AuditExplanation {
  text: string;
  source: "gemini" | "rules";
}

export interface EntryAudit {
  status: "validated" | "flagged" | "rejected";
  reasons: readonly AuditReason[];
  explanation?: AuditExplanation | null;
  /** The contract day the auditor placed the entry in (settings/jv as it then stood). */
  contract_day?: string | null;
}

export interface NotificationText {
  title: string;
  body: string;
  highlights: string[];
}

/** What coordinators are told of a version waiting for its release, whoever writes the rest. */
export const AWAITING_RELEASE = {
  titleSuffix: " (awaiting approval)",
  line: "Awaiting approval: partners see this version and are told of it once a coordinator or admin other than the one who made it releases it.",
} as const;

const MAX_EXCLUDED_SHOWN = 10;
const MAX_CORRECTIONS_SHOWN = 10;
const MAX_HIGHLIGHTS = 6;

/** Grouped thousands, half-even to `decimals`, a negative figure with the minus sign U+2212 (as statements print it). */
export function formatNumber(x: number, decimals: number): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return inWords(x);
  // A reading too large to round exactly at these decimals (1e16 °F, typed or a SCADA "bad value")
  // has no such decimals to round: shown as the double holds it, never a throw that would stop
  // its notification for good.
  const rounded = Math.abs(x) * 10 ** decimals < Number.MAX_SAFE_INTEGER ? roundHalfEven(x, decimals) : x;
  const [whole, fraction] = Math.abs(rounded).toFixed(decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${rounded < 0 ? "\u2212" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/**
 * A measured input as entered: at least `decimals` decimals and every one it has (up to 12):
 * 1.004 % is not "1.00%", nor 1.0000001 % "1.000000%". A figure whose shortest form needs 16 or
 * 17 significant digits is binary noise of a computation (0.15000000000000002), read at 15: no
 * meter reads that finely.
 */
export function formatEntered(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return String(x);
  const digits = String(x).replace(/e.*$/i, "").replace(/\D/g, "").replace(/^0+/, "").length;
  const clean = digits > 15 ? Number(x.toPrecision(15)) : x;
  const text = /e-/i.test(String(clean)) ? clean.toFixed(12) : String(clean);
  const typed = (text.split(".")[1] ?? "").replace(/0+$/, "").length;
  return formatNumber(clean, Math.min(12, Math.max(decimals, typed)));
}

export const formatVolume = (bbl: number): string => `${formatNumber(bbl, 2)} bbl`;
/** A share or a shrinkage percent: 5 decimals, as the report stores it and the statement prints it. */
export const formatPercent = (percent: number): string => `${formatNumber(percent, 5)}%`;
export const formatFactor = (factor: number): string => formatNumber(factor, 5);

/** The UTC day of a date, YYYY-MM-DD; a string is shown as given. */
export function formatDay(value: DateLike): string {
  if (typeof value === "string") return value;
  const date = value instanceof Date ? value : value.toDate();
  return Number.isNaN(date.getTime()) ? "an unknown day" : date.toISOString().slice(0, 10);
}

/** A report's period as its first and last contract days, as the JV's day start and offset then named them (the closed_days ids). */
export function periodDays(report: Pick<ReconciliationReport, "period_start" | "period_end" | "settings">): {
  first: string;
  last: string;
} {
  const toDate = (value: DateLike) => (value instanceof Date ? value : typeof value === "string" ? new Date(value) : value.toDate());
  const day = reportContractClock(report.settings);
  const start = toDate(report.period_start);
  const end = toDate(report.period_end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return { first: "an unknown day", last: "an unknown day" };
  return { first: contractDayOf(start, day), last: contractDayOf(new Date(end.getTime() - 1), day) };
}

const signed = (bbl: number): string => `${bbl > 0 ? "+" : ""}${formatVolume(bbl)}`;

/** A partner's or the JV's shrinkage, a negative one (the terminal received more) named as a gain. */
const shrinkageOrGain = (bbl: number): string => (bbl < 0 ? `gain ${formatVolume(-bbl)}` : `shrinkage ${formatVolume(bbl)}`);

/**
 * The allocation method in words; another method by its id. No figure in it: a notice's every
 * figure is the report's own (Gemini's text is checked so, and so is the template's).
 */

function shrinkageText(bbl: number, percent: number): string {
  return bbl < 0
    ? `a gain of ${formatVolume(-bbl)} (shrinkage ${formatVolume(bbl)}, ${formatPercent(percent)} of field NSV)`
    : `shrinkage of ${formatVolume(bbl)} (${formatPercent(percent)} of field NSV)`;
}

function comparedWith(report: ReconciliationReport): string {
  if (report.changes_against !== undefined) {
    if (!report.changes_against) return "nothing released before";
    return changesAgainstReason(report) === "never released"
      ? `the last version released to the partners, ${report.changes_against}`
      : `the last version the partners are settled on, ${report.changes_against}`;
  }
  if (report.supersedes) return "the previous version";
  const replaced = changesComparedWith(report);
  return replaced ? `the replaced receipt's version ${replaced}` : "the replaced receipt's version";
}

const entries = (n: number): string => plural(n, "entry", "entries");

/** "±2.00%", "±0.125%": a tolerance as set, never rounded to a narrower band than the JV's. */
const luafBand = (luaf: LuafReport): string => `the LUAF band of ±${formatEntered(luaf.tolerance_percent, 2)}%`;

/** Who accepted a shrinkage outside the band: the account's name, else its role in words. */
function luafAcceptedBy(ack: NonNullable<LuafReport["acknowledgement"]>, known?: KnownAs): string {
  const name = known?.people?.get(ack.by);
  return name ? oneLine(name) : ack.role === "admin" ? "an admin" : "a coordinator";
}

/**
 * The JV's shrinkage outside the LUAF band and who accepted it, with their note (`noteMax`: its
 * length at most); null within the band, or on a report made before the band.
 */
export function luafOutsideLine(report: Pick<ReconciliationReport, "luaf">, known?: KnownAs, noteMax = LUAF_NOTE_SHOWN): string | null {
  const luaf = report.luaf;
  if (!luaf || luaf.within_band) return null;
  const ack = luaf.acknowledgement;
  const accepted = ack
    ? `accepted by ${luafAcceptedBy(ack, known)} when reconciling, with the note ${quotedNote(ack.note, noteMax)}`
    : "no acceptance is on record";
  return `${luafShrinkage(luaf).replace(/^./, (c) => c.toUpperCase())} is outside ${luafBand(luaf)}; ${accepted}.`;
}

/**
 * "shrinkage of 16.60%", or "gain of 3.10%" for a negative one: the JV's, as the band judges it,
 * with every decimal it has, so that 2.004 % is never written as the 2.00 % of the band it exceeds.
 */
const luafShrinkage = (luaf: LuafReport): string =>
  luaf.shrinkage_percent < 0
    ? `gain of ${formatEntered(-luaf.shrinkage_percent, 2)}%`
    : `shrinkage of ${formatEntered(luaf.shrinkage_percent, 2)}%`;

/** Of a LUAF acceptance's note (up to 2,000 characters, as the body), what a notice quotes. */
const LUAF_NOTE_SHOWN = 300;

/**
 * A person's note inside typographic quotes it cannot close: its own quote marks become
 * apostrophes, so that no text of the note reads as the notice's own words.
 */
export function quotedNote(note: string, max: number): string {
  return `“${capText(oneLine(note).replace(/["“”„‟]/g, "'"), max)}”`;
}

const present = (line: string | null): string[] => (line === null ? [] : [line]);

/** How many of `rows` are of each kind, in the order the kinds first appear: "1 late entry, 2 correction". */
export function kindCounts(rows: ReadonlyArray<{ kind: string }>): Array<{ kind: string; entries: number }> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => ({ kind, entries: n }));
}

/**
 * Why this version was made, as far as the report says: the corrected ticket it replaces (with
 * its reason) and the entries changed after the version before read the period. `partnerId`:
 * that partner's own entries are listed, the others only counted.
 */
export function whyThisVersionLines(report: ReconciliationReport, partnerId?: string, known = knownFromReport(report)): string[] {
  const lines: string[] = [];
  const replaced = report.supersedes_receipt;
  if (replaced) {
    const version = replaced.reconciliation_id ? ` (version ${replaced.reconciliation_id})` : "";
    lines.push(
      `Why this version: terminal receipt ${report.terminal_receipt_id} replaces receipt ${replaced.terminal_receipt_id}${version}` +
        (replaced.note ? `: "${oneLine(replaced.note)}"` : "; no reason was recorded with it."),
    );
  }
  const rows = report.corrections ?? [];
  if (rows.length === 0) return lines;
  const before = changesComparedWith(report) ?? "the version before";
  const lead = replaced ? "Also" : "Why this version";
  const listed = (own: ReadonlyArray<{ entry_id: string; partner_id: string; kind: string }>) => {
    const shown = own.slice(0, MAX_CORRECTIONS_SHOWN);
    return [
      ...shown.map((c) => `- ${listedEntry(known, c.entry_id, c.partner_id, partnerId !== undefined)}: ${c.kind}`),
      ...(own.length > shown.length ? [`- and ${own.length - shown.length} more.`] : []),
    ];
  };
  if (partnerId === undefined) {
    const kinds = kindCounts(rows)
      .map((k) => `${k.entries} ${k.kind}`)
      .join(", ");
    lines.push(`${lead}: ${entries(rows.length)} changed after ${before} read the period (${kinds}):`, ...listed(rows));
    return lines;
  }
  const own = rows.filter((c) => c.partner_id === partnerId);
  const others = rows.length - own.length;
  const othersText = `${entries(others)} of other partners`;
  if (own.length === 0) {
    lines.push(`${lead}: ${othersText} changed after ${before} read the period.`);
    return lines;
  }
  lines.push(`${lead}: ${own.length} of your entries changed after ${before} read the period:`, ...listed(own));
  if (others > 0) lines.push(`${othersText} changed too.`);
  return lines;
}

function versionLine(report: ReconciliationReport): string {
  const supersedes = report.supersedes ? ` (supersedes ${report.supersedes})` : "";
  return (
    `Terminal receipt ${report.terminal_receipt_id}, version ${report.version}${supersedes}, ` +
    `contract days ${periodDays(report).first} to ${periodDays(report).last}.`
  );
}

function terminalFactors(report: ReconciliationReport): string {
  const t = report.terminal;
  return (
    `CTL ${formatFactor(t.ctl)}, CPL ${formatFactor(t.cpl)} and CSW ${formatFactor(t.csw)} ` +
    `(API gravity at 60 °F ${formatNumber(t.api60, 2)}) take the terminal's gross ${formatVolume(t.gross_volume_bbl)} ` +
    `to its NSV of ${formatVolume(t.nsv_bbl)}`
  );
}

export function reconciliationSummaryForCoordinator(report: ReconciliationReport, known = knownFromReport(report)): NotificationText {
  const { totals, allocations } = report;
  const producing = allocations.filter((a) => a.entries > 0);
  const lines = [
    versionLine(report),
    ...(report.released === false ? [AWAITING_RELEASE.line] : []),
    `Terminal: ${terminalFactors(report)}.`,
    `Field: ${entries(totals.entries_used)} used, ${totals.entries_excluded} excluded; ` +
      `gross ${formatVolume(totals.field_gross_bbl)}, NSV ${formatVolume(totals.field_nsv_bbl)}.`,
    `Result: ${formatVolume(totals.terminal_nsv_bbl)} allocated to ${plural(producing.length, "partner")}, ` +
      `${shrinkageText(totals.shrinkage_bbl, totals.shrinkage_percent)}${report.luaf?.within_band ? `, within ${luafBand(report.luaf)}` : ""}.`,
    ...present(luafOutsideLine(report, known)),
    `Allocations${report.method ? ` (${methodInWords(report.method)})` : ""}:`,
    ...allocations.map((a) =>
      a.entries > 0
        ? `- ${oneLine(a.partner_name)} (${a.partner_id}): ${entries(a.entries)}, NSV ${formatVolume(a.nsv_bbl)}, ` +
          `share ${formatPercent(a.share_percent)}, allocated ${formatVolume(a.allocated_bbl)}, ` +
          `${shrinkageOrGain(a.shrinkage_bbl)}.`
        : `- ${oneLine(a.partner_name)} (${a.partner_id}): no used production entries, allocated ${formatVolume(0)}.`,
    ),
  ];
  if (totals.entries_excluded > 0) {
    lines.push("Excluded entries:");
    const shown = report.excluded.slice(0, MAX_EXCLUDED_SHOWN);
    lines.push(...shown.map((e) => `- ${listedEntry(known, e.entry_id, e.partner_id)}: ${oneLine(e.reason)}`));
    const more = totals.entries_excluded - shown.length;
    if (more > 0) lines.push(`- and ${more} more.`);
  }
  lines.push(...whyThisVersionLines(report, undefined, known));
  const changes = report.changes_from_previous;
  if (changes) {
    const d = changes.totals_delta;
    lines.push(
      `Changes from ${comparedWith(report)}: terminal NSV ${signed(d.terminal_nsv_bbl)}, ` +
        `field NSV ${signed(d.field_nsv_bbl)}, shrinkage ${signed(d.shrinkage_bbl)}.`,
      ...changes.partners.map(
        (p) =>
          `- ${partnerCalled(known, p.partner_id)}: allocated ${formatVolume(p.allocated_bbl_before)} → ${formatVolume(p.allocated_bbl_after)} ` +
          `(${signed(p.delta_bbl)}).`,
      ),
    );
  }

  // With more partners than shown, the two are said to be the largest, not read as all of them.
  const ranks = producing.length > 2 ? ["Largest allocation: ", "Second largest: "] : ["", ""];
  const largest = [...producing]
    .sort((a, b) => b.allocated_bbl - a.allocated_bbl || (a.partner_id < b.partner_id ? -1 : 1))
    .slice(0, 2)
    .map((a, i) => `${ranks[i]}${oneLine(a.partner_name)}: ${formatVolume(a.allocated_bbl)} (${formatPercent(a.share_percent)})`);
  const outsideBand = report.luaf !== undefined && report.luaf !== null && !report.luaf.within_band;
  const shrinkagePercent = formatPercent;
  const highlights = [
    `Terminal NSV ${formatVolume(totals.terminal_nsv_bbl)}`,
    `Field NSV ${formatVolume(totals.field_nsv_bbl)}`,
    (totals.shrinkage_bbl < 0
      ? `Gain ${formatVolume(-totals.shrinkage_bbl)} (${shrinkagePercent(-totals.shrinkage_percent)})`
      : `Shrinkage ${formatVolume(totals.shrinkage_bbl)} (${shrinkagePercent(totals.shrinkage_percent)})`) +
      (outsideBand ? `, outside ${luafBand(report.luaf!)}` : ""),
    `${entries(totals.entries_used)} used, ${totals.entries_excluded} excluded`,
    ...largest,
  ].slice(0, MAX_HIGHLIGHTS);

  return {
    title: `Version ${report.version} of receipt ${report.terminal_receipt_id}: ${formatVolume(totals.terminal_nsv_bbl)} allocated${report.released === false ? AWAITING_RELEASE.titleSuffix : ""}`,
    body: lines.join("\n"),
    highlights,
  };
}

/**
 * How many of a partner's entries the report excluded: its `partner_inputs` row says, or, on a
 * report made before those, the report's list when it is complete; null when neither tells.
 */
export function ownExcludedCount(
  report: Pick<ReconciliationReport, "excluded" | "totals" | "partner_inputs">,
  partnerId: string,
): number | null {
  if (Array.isArray(report.partner_inputs)) {
    const row = report.partner_inputs.find((r) => r.partner_id === partnerId);
    return typeof row?.excluded === "number" ? row.excluded : 0;
  }
  const listed = report.excluded.filter((e) => e.partner_id === partnerId).length;
  return report.excluded.length >= report.totals.entries_excluded ? listed : null;
}

/** The partner's own excluded entries among those the report lists (its first few of the JV's), and how many more it has. */
function ownExclusionLines(report: ReconciliationReport, partnerId: string, known: KnownAs): string[] {
  const own = report.excluded.filter((e) => e.partner_id === partnerId);
  const count = ownExcludedCount(report, partnerId);
  if (own.length === 0 && count === 0) return [];
  const shown = own.slice(0, MAX_EXCLUDED_SHOWN);
  if (count === null) {
    if (own.length === 0) {
      return [
        `The report lists only the first ${report.excluded.length} of the joint venture's ${report.totals.entries_excluded} excluded entries, none of them yours: your statement lists any of yours.`,
      ];
    }
    return [
      "Your entries excluded from this reconciliation:",
      ...shown.map((e) => `- ${listedEntry(known, e.entry_id, e.partner_id, true)}: ${oneLine(e.reason)}`),
      `The report lists the first ${report.excluded.length} of the joint venture's ${report.totals.entries_excluded} excluded entries: your statement lists every one of yours.`,
    ];
  }
  if (shown.length === 0)
    return [`Your entries excluded from this reconciliation: ${count}; your statement lists each one with its reason.`];
  const more = count - shown.length;
  return [
    `Your entries excluded from this reconciliation: ${count}.`,
    ...shown.map((e) => `- ${listedEntry(known, e.entry_id, e.partner_id, true)}: ${oneLine(e.reason)}`),
    ...(more > 0 ? [`- and ${more} more: your statement lists every one.`] : []),
  ];
}

/**
 * The partner's allocation line when it has used entries. A statement's zero line (a partner
 * that produced nothing, period-close.ts) allocates nothing: it is told as no line is.
 */
export function producingRow(report: Pick<ReconciliationReport, "allocations">, partnerId: string): ReportAllocation | undefined {
  return report.allocations.find((a) => a.partner_id === partnerId && a.entries > 0);
}

export function allocationStatementForPartner(
  report: ReconciliationReport,
  partnerId: string,
  known = knownFromReport(report),
): NotificationText {
  const row = producingRow(report, partnerId);
  const change = report.changes_from_previous?.partners.find((p) => p.partner_id === partnerId);
  // Why the version was made, then what it changed for the partner.
  const changeLine = [
    ...whyThisVersionLines(report, partnerId, known),
    ...(change
      ? [
          `Change from ${comparedWith(report)}: allocated ${formatVolume(change.allocated_bbl_before)} → ` +
            `${formatVolume(change.allocated_bbl_after)} (${signed(change.delta_bbl)}).`,
        ]
      : []),
  ];
  const exclusionLines = ownExclusionLines(report, partnerId, known);
  const net = netPositionWithAdjustments(report, partnerId);
  const netLine = net
    ? [
        `Your net position: allocated ${formatVolume(net.allocated_bbl)}, prior-period adjustments ${signed(net.adjustments_bbl)}, ` +
          `net ${formatVolume(net.net_bbl)}.`,
      ]
    : [];
  const title = `Allocation statement, version ${report.version} of receipt ${report.terminal_receipt_id}`;

  if (!row) {
    return {
      title: `${title}: nothing allocated to ${partnerCalled(known, partnerId)}`,
      body: [
        versionLine(report),
        `${partnerCalled(known, partnerId)} had no used production entries in this reconciliation, so nothing is allocated to it.`,
        ...netLine,
        ...exclusionLines,
        ...changeLine,
      ].join("\n"),
      highlights: [`Allocated ${formatVolume(0)}`, ...(net ? [`Net position ${formatVolume(net.net_bbl)}`] : [])],
    };
  }

  const { totals } = report;
  // The joint venture's shrinkage outside its band, told to every partner whose allocation it is in.
  const luafLine = present(luafOutsideLine(report, known));
  const body = [
    `${oneLine(row.partner_name)} (${row.partner_id}). ${versionLine(report)}`,
    `Your production: ${entries(row.entries)}, gross ${formatVolume(row.gross_bbl)}, NSV ${formatVolume(row.nsv_bbl)}.`,
    `Your share: ${formatPercent(row.share_percent)} of the field NSV of ${formatVolume(totals.field_nsv_bbl)}.`,
    `Your allocation: ${formatVolume(row.allocated_bbl)} of the terminal NSV of ${formatVolume(totals.terminal_nsv_bbl)}` +
      `${report.method ? ` (${methodInWords(report.method)})` : ""}.`,
    row.shrinkage_bbl < 0
      ? `Your gain: ${formatVolume(-row.shrinkage_bbl)} (your allocation exceeds your NSV: the terminal received more than the field measured).`
      : `Your shrinkage: ${formatVolume(row.shrinkage_bbl)} (your NSV less your allocation).`,
    ...luafLine,
    ...netLine,
    `How: ${row.entries === 1 ? "your NSV is your one entry's, corrected" : `your NSV is the sum of your ${row.entries} entries, each corrected`} with its own CTL, CPL and CSW ` +
      `for its temperature, pressure, gravity and BS&W; at the terminal, ${terminalFactors(report)}` +
      `${report.standard ? ` (${report.standard})` : ""}.`,
    ...exclusionLines,
    ...changeLine,
  ].join("\n");

  return {
    title: `${title}: ${oneLine(row.partner_name)} ${formatVolume(row.allocated_bbl)}`,
    body,
    highlights: [
      `Allocated ${formatVolume(row.allocated_bbl)}`,
      `Share ${formatPercent(row.share_percent)}`,
      `NSV ${formatVolume(row.nsv_bbl)} from ${entries(row.entries)}`,
      row.shrinkage_bbl < 0 ? `Gain ${formatVolume(-row.shrinkage_bbl)}` : `Shrinkage ${formatVolume(row.shrinkage_bbl)}`,
      ...(report.luaf && !report.luaf.within_band ? [`JV ${luafShrinkage(report.luaf)} outside ${luafBand(report.luaf)}`] : []),
      ...(net ? [`Net position ${formatVolume(net.net_bbl)} (adjustments ${signed(net.adjustments_bbl)})`] : []),
    ],
  };
}

/** The partner's net position, when carried prior-period adjustments make it differ from its allocation. */
export function netPositionWithAdjustments(report: ReconciliationReport, partnerId: string): NetPosition | undefined {
  const net = report.net_positions?.find((n) => n.partner_id === partnerId);
  return net && net.adjustments_bbl !== 0 ? net : undefined;
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The day an entry's notification names: its contract day as the auditor placed it (the day that
 * closes, and the one statements and the web app show); an audit without one gives the UTC day.
 */
export function entryDayText(entry: Pick<FlaggedEntry, "measured_at">, audit: Pick<EntryAudit, "contract_day">): string {
  return audit.contract_day ? `contract day ${audit.contract_day}` : `UTC day ${formatDay(entry.measured_at)}`;
}

/**
 * An entry as its readers know it: its partner's name, its meter and its day, as in
 * "Northwind Energy · NWE-LACT-01, contract day 2026-11-04". Its document id is not part of it.
 */
export function entryLabel(partnerName: string, meterId: string | undefined, day: string): string {
  return `${oneLine(partnerName)}${meterId ? ` · ${meterShown(meterId)}` : ""}, ${day}`;
}

/** The entry's id, once in a notice's body, for support and for the web app's link. */
export const entryIdLine = (entryId: string): string => `Entry id ${entryId}.`;

const partnerNameOf = (entry: Pick<FlaggedEntry, "partner_id" | "partner_name">): string => oneLine(entry.partner_name || entry.partner_id);

/** "the production entry of Beta Oil on meter M-7 for contract day 2026-11-02" */
function entryInWords(entry: Pick<FlaggedEntry, "partner_id" | "partner_name" | "meter_id">, day: string): string {
  return `the production entry of ${partnerNameOf(entry)}${entry.meter_id ? ` on meter ${meterShown(entry.meter_id)}` : ""} for ${day}`;
}

/** An entry's measured figures as entered: "gross 1,000.00 bbl, BS&W 0.30%, …" (pressure and meter factor when it has them). */
export function measuredInWords(
  entry: Pick<FlaggedEntry, "gross_volume_bbl" | "bsw_percent" | "temperature_degF" | "api_gravity" | "pressure_psig" | "meter_factor">,
): string {
  return [
    `gross ${formatEntered(entry.gross_volume_bbl, 2)} bbl`,
    `BS&W ${formatEntered(entry.bsw_percent, 2)}%`,
    `temperature ${formatEntered(entry.temperature_degF, 2)} °F`,
    `API gravity ${formatEntered(entry.api_gravity, 2)}`,
    ...(entry.pressure_psig !== undefined ? [`pressure ${formatEntered(entry.pressure_psig, 2)} psig`] : []),
    ...(entry.meter_factor !== undefined ? [`meter factor ${formatFactor(entry.meter_factor)}`] : []),
  ].join(", ");
}

export function flaggedEntryNotice(entry: FlaggedEntry, audit: EntryAudit): NotificationText {
  const reasons = [...audit.reasons].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
  const day = entryDayText(entry, audit);
  const next = auditedEntryNextStep(entry, audit.status);
  const findings = reasons.length === 1 ? "1 finding" : `${reasons.length} findings`;

  return {
    title: `${entryLabel(partnerNameOf(entry), entry.meter_id, day)}: ${audit.status}, ${findings}`,
    body: [
      `The auditor ${audit.status} ${entryInWords(entry, day)}.`,
      `Measured: ${measuredInWords(entry)}.`,
      "Findings:",
      ...reasons.map((r) => `- [${r.severity}] ${fieldName(r.field)}: ${oneLine(r.message)}`),
      ...(audit.explanation
        ? [
            `Auditor's explanation (${audit.explanation.source === "gemini" ? "written by Gemini" : "from the rules"}): ${audit.explanation.text}`,
          ]
        : []),
      next,
      entryIdLine(entry.entry_id),
    ].join("\n"),
    highlights: reasons.slice(0, MAX_HIGHLIGHTS).map((r) => r.message),
  };
}

/** A coordinator's decision on a flagged entry, as reviewEntry stores it (with the reviewer's name). */
export interface EntryReviewDecision {
  decision: "approved" | "rejected";
  note: string;
  /** The decision this one replaces on the same figures (null for the first): a reworded note keeps it. */
  previous_decision: "approved" | "rejected" | null;
  /** The reviewer's name (people/{uid}); null when the account has none. */
  reviewer_name: string | null;
  reviewer_role: string;
}

/**
 * What coordinators and the partner's operators are told once a day, in place of each further
 * flag or rejection, once `shown` of the partner's entries have been told one by one that day (a
 * gateway's glitch or a hostile script would otherwise send one notice an entry, thousands a day).
 */
export function flagDigestNotice(
  partner: { partner_id: string; partner_name?: string | null },
  day: string,
  shown: number,
): NotificationText {
  const name = oneLine(partner.partner_name ?? partner.partner_id);
  return {
    title: `${name}: more than ${shown} entries flagged or rejected on contract day ${day}`,
    body: [
      `The auditor has flagged or rejected more than ${shown} of ${name}'s production entries on contract day ${day}. The first ${shown} were told one by one; the others are not, so that a flood of them does not bury every other notice.`,
      "Coordinators: the review queue lists every flagged entry waiting for a decision, and Decide many at once decides up to 100 of a partner's at once.",
      "Field operators: your entries list shows each verdict; a rejected entry is left out of its period's allocation until it is corrected.",
    ].join("\n"),
    highlights: [`More than ${shown} entries of ${name} flagged or rejected on contract day ${day}`],
  };
}

/**
 * What the partner's field operators are told of one decision over many of their flagged entries
 * (reviewEntries): once for the call, not once an entry. `entries`: how many of the partner's the
 * call named; some may have carried the decision already, or been refused, which each entry shows.
 */
export function bulkReviewNotice(
  partner: { partner_id: string; partner_name?: string | null },
  entries: number,
  review: EntryReviewDecision,
): NotificationText {
  const admin = review.reviewer_role === "admin";
  const who = review.reviewer_name ?? (admin ? "An admin" : "A coordinator");
  const byWhom = review.reviewer_name ?? (admin ? "an admin" : "a coordinator");
  const name = oneLine(partner.partner_name ?? partner.partner_id);
  // How many the call named, not how many it decided: some may have been refused or carried it already.
  const named = entries === 1 ? "1 of its entries" : `${entries} of its entries`;
  const next =
    review.decision === "approved"
      ? "Those decided count in their periods' allocations; a period already reconciled counts them when a coordinator reconciles it again."
      : "Those decided are left out of their periods' allocations unless a coordinator approves them after all, or until each is corrected: " +
        "the field operator who entered one corrects its measured fields and it is audited again (a gateway's ticket, or an entry on a day already closed, a coordinator corrects).";
  return {
    title: `${name}: flagged entries ${review.decision} on review at once`,
    body: [
      `${who} ${review.decision} flagged entries of ${name} in one decision naming ${named}. An entry that carried this decision already, or that could not be decided, is unchanged: your entries list and each entry's page show its review.`,
      ...(review.note ? [`Note: "${oneLine(review.note)}"`] : []),
      next,
    ].join("\n"),
    highlights: [
      `${review.decision === "approved" ? "Approved" : "Rejected"} by ${byWhom}`,
      `${entries} named`,
      ...(review.note ? [`"${oneLine(review.note)}"`] : []),
    ],
  };
}

/**
 * What the partner's field operators are told of a coordinator's decision on their flagged
 * entry: they were told of the flag, and a rejection leaves the entry out of the allocation
 * until it is corrected — by the operator who entered it (the rules let no other operator edit
 * it), or by a coordinator.
 */
export function entryReviewNotice(
  entry: Pick<FlaggedEntry, "entry_id" | "partner_id" | "partner_name" | "meter_id" | "measured_at" | "correction_note">,
  audit: Pick<EntryAudit, "contract_day">,
  review: EntryReviewDecision,
): NotificationText {
  const day = entryDayText(entry, audit);
  const admin = review.reviewer_role === "admin";
  const who = review.reviewer_name ?? (admin ? "An admin" : "A coordinator");
  const byWhom = review.reviewer_name ?? (admin ? "an admin" : "a coordinator");
  const which = entryInWords(entry, day);
  const change = review.previous_decision === null ? "first" : review.previous_decision === review.decision ? "note" : "decision";
  const next =
    review.decision === "approved"
      ? "It counts in its period's allocation; a period already reconciled counts it when a coordinator reconciles it again."
      : `It is left out of its period's allocation (a period already reconciled leaves it out when a coordinator reconciles it again) unless a coordinator approves it after all, or until it is corrected: ${rejectedEntryCorrection(entry)}.`;
  const decided = {
    first: `${who} ${review.decision} ${which}, which the auditor had flagged.`,
    decision: `${who} changed the decision on ${which}, which the auditor had flagged: now ${review.decision}.`,
    note: `${who} reworded the note of the decision on ${which}, which the auditor had flagged: still ${review.decision}.`,
  }[change];
  const suffix = { first: "", decision: " (decision changed)", note: " (note reworded)" }[change];
  return {
    title: `${entryLabel(partnerNameOf(entry), entry.meter_id, day)}: ${review.decision} on review${suffix}`,
    body: [decided, ...(review.note ? [`Note: "${oneLine(review.note)}"`] : []), next, entryIdLine(entry.entry_id)].join("\n"),
    highlights: [
      `${review.decision === "approved" ? "Approved" : "Rejected"} by ${byWhom}`,
      ...(review.note ? [`"${oneLine(review.note)}"`] : []),
    ],
  };
}
