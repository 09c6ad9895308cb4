// The report's figures recomputed from its manifest rows and terminal measurement: every allocation
// line and total of the JV's report, a partner's own line and the shared totals in its bundle, and
// the LUAF band its shrinkage falls in.

import { sharePercent } from "./allocation";
import { bblToCb, cbToBbl } from "./cent-barrels";
import { measureFields } from "./measured-fields";
import { dayField } from "./partner-membership";
import { luafStatus, NO_PRODUCTION_REASON } from "./period-close";
import { buildReconciliationReport, type PartnerAggregate, type TerminalMeasurement } from "./reconciliation-report";
import { isSealedRow, type InputRow, type MeasuredInputRow } from "./report-hash";
import { totalShrinkage } from "./shrinkage";
import { UNCHECKED } from "./unchecked-in-words";
import { attempt, isMeasuredRow, receiptFields, record, type Context, type SectionCheck } from "./verification-context";

/** Stored allocation lines with their index; zero lines (an active partner without used entries) apart. */
function storedLines(report: Record<string, unknown>): {
  lines: Array<{ index: number; line: Record<string, unknown> }>;
  zero: Array<{ index: number; line: Record<string, unknown> }>;
} {
  const all = Array.isArray(report.allocations) ? (report.allocations as unknown[]) : [];
  const lines: Array<{ index: number; line: Record<string, unknown> }> = [];
  const zero: Array<{ index: number; line: Record<string, unknown> }> = [];
  all.forEach((a, index) => {
    if (isSealedRow(a)) return;
    const line = record(a);
    (line.entries === 0 ? zero : lines).push({ index, line });
  });
  return { lines, zero };
}

/**
 * Per-partner sums of the rows, in cent-barrels. Gross volumes need the measured inputs:
 * for rows without them (v1 manifests) the stored gross stands in, `grossKnown` says so.
 */
function aggregate(
  rows: Array<InputRow | MeasuredInputRow>,
  stored: Map<string, { partner_name: string; gross_bbl: number }>,
): PartnerAggregate[] & { grossKnown?: boolean } {
  const byPartner = new Map<string, PartnerAggregate>();
  let grossKnown = true;
  for (const row of rows) {
    let total = byPartner.get(row.partner_id);
    if (!total) {
      total = {
        partner_id: row.partner_id,
        partner_name: stored.get(row.partner_id)?.partner_name ?? row.partner_id,
        entries: 0,
        gross_cb: 0,
        nsv_cb: 0,
      };
      byPartner.set(row.partner_id, total);
    }
    total.entries += 1;
    if (isMeasuredRow(row)) total.gross_cb += bblToCb(measureFields(row).grossVolumeBbl);
    else grossKnown = false;
    total.nsv_cb += bblToCb(row.nsv_bbl);
  }
  if (!grossKnown) for (const total of byPartner.values()) total.gross_cb = bblToCb(stored.get(total.partner_id)?.gross_bbl ?? 0);
  const sorted: PartnerAggregate[] & { grossKnown?: boolean } = [...byPartner.values()].sort((a, b) =>
    a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0,
  );
  sorted.grossKnown = grossKnown;
  return sorted;
}

export const ALLOCATION_FIELDS = [
  "partner_id",
  "partner_name",
  "entries",
  "gross_bbl",
  "nsv_bbl",
  "share_percent",
  "allocated_bbl",
  "shrinkage_bbl",
] as const;
export const TOTAL_FIELDS = [
  "entries_used",
  "entries_excluded",
  "field_gross_bbl",
  "field_nsv_bbl",
  "terminal_nsv_bbl",
  "shrinkage_bbl",
  "shrinkage_percent",
] as const;

export const checkFiguresJv: SectionCheck = (ctx) => {
  const rows = ctx.evidence.rows;
  if (!rows) return;
  const { lines, zero } = storedLines(ctx.report);
  const storedAllocations = lines.map((l) => l.line);
  const storedTotals = record(ctx.report.totals);
  const stored = new Map(
    storedAllocations.map((a) => [String(a.partner_id), { partner_name: String(a.partner_name), gross_bbl: Number(a.gross_bbl) }]),
  );
  checkZeroLines(ctx, zero);
  checkProducingLinesLeft(ctx, lines);
  const all = Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as Array<Record<string, unknown>>) : [];
  const ids = all.map((a) => String(a.partner_id));
  ctx.check(
    "allocations.order",
    ids,
    [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    "lines in partner_id order",
  );
  const partners = attempt(ctx, "allocations", () => aggregate(rows, stored));
  if (partners === undefined) return;
  const grossKnown = partners.grossKnown !== false;
  if (!grossKnown)
    ctx.skip("gross volumes (gross_bbl, totals.field_gross_bbl): manifest rows without measured inputs", UNCHECKED.grossVolumes);
  const excluded = Array.isArray(ctx.report.excluded)
    ? (ctx.report.excluded as Array<{ entry_id: string; partner_id: string; reason: string }>)
    : [];
  const figures = attempt(ctx, "allocations", () =>
    buildReconciliationReport({
      terminal: terminalMeasurement(ctx),
      partners,
      entries_used: rows.length,
      entries_excluded: Math.max(Number(storedTotals.entries_excluded) || 0, excluded.length),
      excluded,
    }),
  );
  if (!figures) return;
  ctx.check(
    "allocations.partners",
    storedAllocations.map((a) => a.partner_id),
    figures.allocations.map((a) => a.partner_id),
    "one line per partner with used entries, in partner_id order (zero lines apart)",
  );
  // Lines are matched by partner: a check names the stored line it recomputed.
  const byPartner = new Map(lines.map((l) => [String(l.line.partner_id), l]));
  const recomputedIds = new Set(figures.allocations.map((a) => a.partner_id));
  figures.allocations.forEach((row, i) => {
    const match = byPartner.get(row.partner_id);
    const stored = match?.line ?? {};
    const at = match?.index ?? all.length + i;
    for (const field of ALLOCATION_FIELDS) {
      if (field === "partner_name") continue; // from the partners collection: covered by the hash and its anchor
      if (field === "gross_bbl" && !grossKnown) continue;
      ctx.check(`allocations[${at}].${field}`, stored[field], row[field]);
    }
  });
  for (const { index, line } of lines) {
    if (recomputedIds.has(String(line.partner_id))) continue;
    // Entries counted for a partner the manifest has no row of: its id or its count is wrong.
    const note = `the line counts ${String(line.entries)} entries of ${String(line.partner_id)}; the manifest has none`;
    ctx.fail(`allocations[${index}].partner_id`, note);
    ctx.fail(`allocations[${index}].entries`, note);
  }
  for (const field of TOTAL_FIELDS) {
    if (field === "entries_excluded") continue; // checkExclusions
    if (field === "field_gross_bbl" && !grossKnown) continue;
    ctx.check(`totals.${field}`, storedTotals[field], figures.totals[field]);
  }
};

/**
 * A zero line holds zeros only, says why, and belongs to a partner that was active, or to one that
 * left the JV after the period's first contract day (it was a party to some of its days).
 */
function checkZeroLines(ctx: Context, zero: Array<{ index: number; line: Record<string, unknown> }>): void {
  const days = closedDays(ctx);
  for (const { index, line } of zero) {
    for (const field of ["gross_bbl", "nsv_bbl", "share_percent", "allocated_bbl", "shrinkage_bbl"] as const) {
      ctx.check(`allocations[${index}].${field}`, line[field], 0, "a zero line (no used entries)");
    }
    if (line.left_jv_on === undefined) {
      ctx.check(
        `allocations[${index}].partner_active`,
        line.partner_active,
        true,
        "zero lines are written for active partners, and for a partner that left the JV after the period's first contract day (with left_jv_on)",
      );
    } else {
      checkLeftJvOn(ctx, index, line, days);
    }
    ctx.check(`allocations[${index}].reason`, line.reason, NO_PRODUCTION_REASON);
  }
  if (zero.length > 0) {
    ctx.skip(
      "which partners were active when the report was made (zero lines and partner_active): the partners collection changes; bound by the integrity hash and its anchor",
      UNCHECKED.activePartners,
    );
  }
}

/** The closed days of the report, in order. */
function closedDays(ctx: Context): string[] {
  return Array.isArray(ctx.report.closed_days) ? (ctx.report.closed_days as unknown[]).map(String).sort() : [];
}

/** A line's left_jv_on: written only for a partner no longer active that left after the period's first contract day. */
function checkLeftJvOn(ctx: Context, index: number, line: Record<string, unknown>, days: readonly string[]): void {
  const left = line.left_jv_on;
  const day = dayField(left);
  const after = line.partner_active === false && day !== null && days.length > 0 && day > days[0]!;
  const note = `left_jv_on is written only on the line of a partner no longer active that left the JV after the period's first contract day (${days[0] ?? "unknown"})`;
  if (after) ctx.check(`allocations[${index}].left_jv_on`, left, left, note);
  else ctx.fail(`allocations[${index}].left_jv_on`, note, { partner_active: line.partner_active, left_jv_on: left });
}

/** The left_jv_on of lines with used entries (a zero line's is checked with its zero figures). */
function checkProducingLinesLeft(ctx: Context, lines: Array<{ index: number; line: Record<string, unknown> }>): void {
  const days = closedDays(ctx);
  for (const { index, line } of lines) if (line.left_jv_on !== undefined) checkLeftJvOn(ctx, index, line, days);
}

function terminalMeasurement(ctx: Context): TerminalMeasurement {
  const m = measureFields(receiptFields(record(ctx.report.terminal_inputs)));
  return { gross_volume_bbl: m.grossVolumeBbl, api60: m.api60, ctl: m.ctl, cpl: m.cpl, csw: m.csw, nsv_bbl: m.nsvBbl };
}

/** A partner's bundle: its own row from its entries; the shared totals from the terminal and each other. */
export const checkFiguresPartner: SectionCheck = (ctx) => {
  const rows = ctx.evidence.rows;
  const partnerId = ctx.partnerId!;
  const storedAllocations = Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [];
  const index = storedAllocations.findIndex((a) => !isSealedRow(a) && record(a).partner_id === partnerId);
  const { lines, zero } = storedLines(ctx.report);
  checkZeroLines(ctx, zero);
  checkProducingLinesLeft(ctx, lines);
  const clear = storedAllocations.filter((a) => !isSealedRow(a));
  // A partner with used entries has its line in the clear (sealed, its figures would go unchecked),
  // and so has one whose change from the version compared with leaves it a line: the bundle's
  // holder, who has the partner's salt, could otherwise seal the line and drop its entries.
  const hasEntries = (rows ?? []).some((r) => r.partner_id === partnerId);
  const ownChange = (
    Array.isArray(record(ctx.report.changes_from_previous).partners) ? (record(ctx.report.changes_from_previous).partners as unknown[]) : []
  )
    .filter((r) => !isSealedRow(r))
    .map(record)
    .find((r) => r.partner_id === partnerId);
  const lineAfter = ownChange !== undefined && (Number(ownChange.allocated_bbl_after) !== 0 || Number(ownChange.nsv_bbl_after) !== 0);
  ctx.check(
    "allocations.partners",
    clear.map((a) => record(a).partner_id),
    index >= 0 || hasEntries || lineAfter ? [partnerId] : [],
    `only ${partnerId}'s row is in the clear, and it is when the manifest has its entries or its change leaves it a line`,
  );
  // A statement is issued only for a partner the report speaks of: a line, a carried adjustment, or
  // a change from the version compared with (a partner dropped since). The holder of a partner's
  // bundle knows its salt and could seal its own rows: its line, net position, entries and
  // exclusions are required in the clear; a sealed own row elsewhere cannot be told apart.
  const clearOwn = (rows: unknown) =>
    (Array.isArray(rows) ? (rows as unknown[]) : []).some((r) => !isSealedRow(r) && record(r).partner_id === partnerId);
  const spoken = index >= 0 || clearOwn(ctx.report.net_positions) || clearOwn(record(ctx.report.changes_from_previous).partners);
  ctx.check(
    "partner.line",
    spoken,
    true,
    `${partnerId}'s line, or without one its net position of carried adjustments or its change from the version compared with, is in the clear`,
  );
  ctx.skip(
    `that none of ${partnerId}'s rows in changes_from_previous and corrections is sealed: whoever holds this bundle holds ${partnerId}'s salt`,
    UNCHECKED.ownRowsOpen,
  );
  const totals = record(ctx.report.totals);
  const terminal = attempt(ctx, "totals.terminal_nsv_bbl", () => terminalMeasurement(ctx));
  if (!terminal) return;
  const terminalCb = bblToCb(terminal.nsv_bbl);
  ctx.check("totals.terminal_nsv_bbl", totals.terminal_nsv_bbl, terminal.nsv_bbl);
  const fieldCb = attempt(ctx, "totals.field_nsv_bbl", () => bblToCb(Number(totals.field_nsv_bbl)));
  if (fieldCb === undefined) return;
  const shrinkage = attempt(ctx, "totals.shrinkage_bbl", () => totalShrinkage(fieldCb, terminalCb));
  if (shrinkage) {
    ctx.check("totals.shrinkage_bbl", totals.shrinkage_bbl, cbToBbl(shrinkage.shrinkage_cb));
    ctx.check("totals.shrinkage_percent", totals.shrinkage_percent, shrinkage.shrinkage_percent);
  }
  ctx.skip(
    "other partners' NSVs, gross volumes and entry counts (totals.field_nsv_bbl, field_gross_bbl, entries_used): their rows are sealed; " +
      "their sum is checked to be what the totals leave after this partner, and the sealed rows are bound by the integrity hash and its anchor",
    UNCHECKED.othersRows,
  );
  if (index < 0 || !rows) return;
  const own = record(storedAllocations[index]);
  const aggregates = attempt(ctx, `allocations[${index}]`, () => aggregate(rows, new Map()));
  if (!aggregates) return;
  if (aggregates.grossKnown === false)
    ctx.fail(`allocations[${index}].gross_bbl`, "a partner bundle's rows must carry their measured inputs");
  const mine = aggregates[0] ?? { entries: 0, gross_cb: 0, nsv_cb: 0 };
  ctx.check(`allocations[${index}].entries`, own.entries, mine.entries);
  ctx.check(`allocations[${index}].gross_bbl`, own.gross_bbl, cbToBbl(mine.gross_cb));
  ctx.check(`allocations[${index}].nsv_bbl`, own.nsv_bbl, cbToBbl(mine.nsv_cb));
  const share = attempt(ctx, `allocations[${index}].share_percent`, () => sharePercent(mine.nsv_cb, fieldCb));
  if (share !== undefined) ctx.check(`allocations[${index}].share_percent`, own.share_percent, share);
  // Pro rata with largest remainders: floor(T x own / field) or one cent-barrel more.
  const floorCb = fieldCb === 0 ? 0 : Number((BigInt(terminalCb) * BigInt(mine.nsv_cb)) / BigInt(fieldCb));
  const allocatedCb = attempt(ctx, `allocations[${index}].allocated_bbl`, () => bblToCb(Number(own.allocated_bbl)));
  if (allocatedCb !== undefined) {
    ctx.checks.push({
      check: `allocations[${index}].allocated_bbl`,
      ok: allocatedCb === floorCb || allocatedCb === floorCb + 1,
      stored: own.allocated_bbl,
      recomputed: [cbToBbl(floorCb), cbToBbl(floorCb + 1)],
      note: "within a cent-barrel of the exact pro-rata share (which partner gets the leftover cent-barrels needs every partner's NSV)",
    });
    ctx.check(`allocations[${index}].shrinkage_bbl`, own.shrinkage_bbl, cbToBbl(mine.nsv_cb - allocatedCb));
  }
  const othersCb = fieldCb - mine.nsv_cb;
  ctx.checks.push({
    check: "totals.others_nsv_bbl",
    // Sealed zero lines (active partners without production) look like any other sealed row.
    ok: othersCb >= 0 && (othersCb === 0 || storedAllocations.length > 1),
    recomputed: cbToBbl(othersCb),
    note: `field NSV less this partner's: what the ${storedAllocations.length - 1} sealed partner row(s) hold together`,
  });
  const othersEntries = Number(totals.entries_used) - mine.entries;
  ctx.checks.push({ check: "totals.others_entries", ok: othersEntries >= (othersCb > 0 ? 1 : 0), recomputed: othersEntries });
};

/** The LUAF band: the report's shrinkage against the tolerance of the settings it was made under. */
export const checkLuaf: SectionCheck = (ctx) => {
  if (ctx.report.luaf === undefined) return;
  const { acknowledgement, ...band } = record(ctx.report.luaf);
  const tolerance = record(ctx.report.settings).luaf_tolerance_percent;
  const recomputed = attempt(ctx, "luaf", () => luafStatus(Number(record(ctx.report.totals).shrinkage_percent), Number(tolerance)));
  if (recomputed) {
    ctx.check("luaf", band, recomputed, "shrinkage against settings.luaf_tolerance_percent");
    // Outside the band a coordinator acknowledged it with a note; inside, nobody had to.
    ctx.check("luaf.acknowledgement", acknowledgement !== null && acknowledgement !== undefined, !recomputed.within_band);
  }
  if (ctx.report.context_digest !== undefined) {
    ctx.skip(
      "context_digest: it runs over the partners collection as it was at reconcile time (names, active flags); bound by the integrity hash and its anchor",
      UNCHECKED.partnerNames,
    );
  }
};
