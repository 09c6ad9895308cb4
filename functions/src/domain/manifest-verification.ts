// The entries behind a report: its manifest rows and the exclusion chunks beside it, against the
// report's inputs and exclusions digests, its counts and its per-partner digests.

import { measureFields } from "./measured-fields";
import { MAX_EXCLUDED_LISTED } from "./reconciliation-report";
import {
  hashSchemeOf,
  InputsDigest,
  inputsDigestVersion,
  exclusionsDigest,
  isSealedRow,
  partnerInputs,
  type InputRow,
  type MeasuredInputRow,
} from "./report-hash";
import { type ReportEvidence } from "./report-evidence";
import { UNCHECKED } from "./unchecked-in-words";
import { attempt, isMeasuredRow, receiptFields, record, type Context, type SectionCheck } from "./verification-context";

/**
 * Whether the manifest and exclusion chunks read beside a report are the ones it was made
 * from: their digests recomputed against `inputs_digest` and `exclusions_digest`. What an
 * export names before it prints entries it would otherwise take on trust; empty when they hold.
 */
export function alteredChunks(evidence: ReportEvidence): string[] {
  const report = evidence.report;
  const altered: string[] = [];
  if (evidence.rows && typeof report.inputs_digest === "string") {
    let digest: string | undefined;
    try {
      const d = new InputsDigest(inputsDigestVersion(hashSchemeOf(report)));
      for (const row of evidence.rows) d.addRow(row);
      digest = d.setReceipt(receiptFields(record(report.terminal_inputs))).digest();
    } catch {
      digest = undefined;
    }
    if (digest !== report.inputs_digest) altered.push("its entries manifest (its rows do not give the report's inputs digest)");
  }
  if (
    evidence.exclusions &&
    typeof report.exclusions_digest === "string" &&
    exclusionsDigest(evidence.exclusions) !== report.exclusions_digest
  ) {
    altered.push("its list of excluded entries (its rows do not give the report's exclusions digest)");
  }
  return altered;
}

/** Reports of the monthly close: manifest rows and exclusions in entry-id order, exclusions beside the report. */
const isCloseReport = (report: Record<string, unknown>) => report.content_digest !== undefined;

function usableRows(ctx: Context): Array<InputRow | MeasuredInputRow> | undefined {
  if (!ctx.evidence.rows) ctx.fail("manifest", ctx.evidence.rows_problem ?? "the manifest rows could not be read");
  return ctx.evidence.rows;
}

export const checkManifest: SectionCheck = (ctx) => {
  const rows = usableRows(ctx);
  if (!rows) return;
  if (ctx.partnerId === undefined) ctx.check("manifest.rows", record(ctx.report.manifest).rows, rows.length);
  else {
    const strangers = rows.filter((r) => r.partner_id !== ctx.partnerId).map((r) => r.entry_id);
    ctx.check("manifest.partner", strangers, [], `every row belongs to ${ctx.partnerId}`);
  }
  if (isCloseReport(ctx.report)) {
    const outOfOrder = rows.findIndex((r, i) => i > 0 && !(rows[i - 1]!.entry_id < r.entry_id));
    ctx.check(
      "manifest.order",
      outOfOrder < 0 ? null : rows[outOfOrder]!.entry_id,
      null,
      "rows in entry-id order, as the inputs digest runs over them",
    );
  }
  const seen = new Set<string>();
  const duplicates = rows.filter((r) => (seen.has(r.entry_id) ? true : (seen.add(r.entry_id), false))).map((r) => r.entry_id);
  ctx.check("manifest.unique_entries", duplicates, []);

  const legacy = rows.filter((r) => !isMeasuredRow(r)).length;
  if (legacy > 0) {
    ctx.skip(`entry NSVs of ${legacy} manifest rows: written before rows carried their measured inputs`, UNCHECKED.oldEntries(legacy));
  }
  const wrong: Array<{ entry_id: string; stored: unknown; recomputed: unknown }> = [];
  let derived = 0;
  for (const row of rows) {
    if (!isMeasuredRow(row)) continue;
    derived += 1;
    let nsv: unknown;
    try {
      nsv = measureFields(row).nsvBbl;
    } catch (error) {
      nsv = `unmeasurable: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (nsv !== row.nsv_bbl) wrong.push({ entry_id: row.entry_id, stored: row.nsv_bbl, recomputed: nsv });
  }
  ctx.checks.push({
    check: "manifest.entry_nsv",
    ok: wrong.length === 0,
    note:
      wrong.length === 0
        ? `${derived} entry NSVs re-derived from their measured inputs`
        : `${wrong.length} of ${derived} entry NSVs differ`,
    ...(wrong.length > 0
      ? {
          stored: wrong.slice(0, 20).map((w) => ({ entry_id: w.entry_id, nsv_bbl: w.stored })),
          recomputed: wrong.slice(0, 20).map((w) => ({ entry_id: w.entry_id, nsv_bbl: w.recomputed })),
        }
      : {}),
  });

  if (ctx.partnerId !== undefined) {
    ctx.skip("inputs_digest: it runs over every partner's rows, and this bundle holds only the partner's own", UNCHECKED.othersSealed);
    return;
  }
  const digest = attempt(ctx, "inputs_digest", () => {
    const d = new InputsDigest(inputsDigestVersion(ctx.scheme));
    for (const row of rows) d.addRow(row);
    return d.setReceipt(receiptFields(record(ctx.report.terminal_inputs))).digest();
  });
  if (digest !== undefined) ctx.check("inputs_digest", ctx.report.inputs_digest, digest);
};

type Exclusion = { entry_id: string; partner_id: string; reason: string };

export const checkExclusions: SectionCheck = (ctx) => {
  const excluded = Array.isArray(ctx.report.excluded) ? (ctx.report.excluded as unknown[]) : [];
  const count = Number(record(ctx.report.totals).entries_excluded);
  const clear = excluded.filter((e) => !isSealedRow(e)).map(record);
  if (ctx.partnerId !== undefined) {
    const strangers = clear.filter((e) => e.partner_id !== ctx.partnerId).map((e) => e.entry_id);
    ctx.check("excluded.partner", strangers, [], `only ${ctx.partnerId}'s excluded entries are in the clear`);
    if (ctx.evidence.exclusions) {
      ctx.check(
        "exclusions.partner",
        ctx.evidence.exclusions.filter((e) => e.partner_id !== ctx.partnerId).map((e) => e.entry_id),
        [],
        `every excluded entry this bundle lists is ${ctx.partnerId}'s`,
      );
    }
  }
  const used = new Set((ctx.evidence.rows ?? []).map((r) => r.entry_id));
  const full = ctx.partnerId === undefined ? ctx.evidence.exclusions : undefined;
  if (full) {
    checkExclusionChunks(ctx, full, excluded, count, used);
    return;
  }
  if (ctx.evidence.exclusions_problem) ctx.fail("exclusions", ctx.evidence.exclusions_problem);
  else if (ctx.report.exclusions !== undefined && ctx.partnerId === undefined) {
    ctx.skip(
      "the exclusion chunks beside the report: this evidence does not hold them (the preview and count are checked)",
      UNCHECKED.exclusionList,
    );
  }
  // The list is cut only at MAX_EXCLUDED_LISTED: below that it is the whole count.
  const complete = excluded.length < MAX_EXCLUDED_LISTED;
  ctx.checks.push({
    check: "totals.entries_excluded",
    ok: Number.isSafeInteger(count) && (complete ? count === excluded.length : count >= excluded.length),
    stored: count,
    recomputed: excluded.length,
    note: complete ? "the excluded entries listed" : `at least the ${MAX_EXCLUDED_LISTED} excluded entries listed`,
  });
  ctx.check(
    "excluded.not_used",
    clear.filter((e) => used.has(String(e.entry_id))).map((e) => e.entry_id),
    [],
    "no excluded entry is also a manifest row",
  );
  if (ctx.partnerId !== undefined) {
    ctx.skip("exclusions_digest: it runs over every partner's excluded entries", UNCHECKED.othersSealed);
    return;
  }
  if (excluded.length < count) {
    ctx.skip(
      `exclusions_digest: ${count} entries excluded but only ${excluded.length} listed in the report`,
      UNCHECKED.exclusionListCut(count, excluded.length),
    );
    return;
  }
  ctx.check("exclusions_digest", ctx.report.exclusions_digest, exclusionsDigest(clear as Exclusion[]));
};

/** The full exclusion list (the chunks beside the report): count, order, preview, digest. */
function checkExclusionChunks(
  ctx: Context,
  full: readonly Exclusion[],
  preview: unknown[],
  count: number,
  used: ReadonlySet<string>,
): void {
  const info = record(ctx.report.exclusions);
  ctx.check("exclusions.rows", info.rows, full.length, "rows in the exclusion chunks");
  ctx.check("totals.entries_excluded", count, full.length, "the exclusion chunks' rows");
  const outOfOrder = full.findIndex((r, i) => i > 0 && !(full[i - 1]!.entry_id < r.entry_id));
  ctx.check("exclusions.order", outOfOrder < 0 ? null : full[outOfOrder]!.entry_id, null, "unique entry ids in entry-id order");
  ctx.check(
    "excluded",
    preview,
    full.slice(0, MAX_EXCLUDED_LISTED),
    `the report's preview is the first ${MAX_EXCLUDED_LISTED} rows of the chunks`,
  );
  ctx.check(
    "excluded.not_used",
    full.filter((e) => used.has(e.entry_id)).map((e) => e.entry_id),
    [],
    "no excluded entry is also a manifest row",
  );
  const digest = attempt(ctx, "exclusions_digest", () => exclusionsDigest(full));
  if (digest !== undefined) ctx.check("exclusions_digest", ctx.report.exclusions_digest, digest);
}

/**
 * Each partner's own manifest rows and exclusions against the report's `partner_inputs`
 * digests, which the integrity hash binds: in a partner's bundle, where the inputs and
 * exclusions digests over everyone's rows cannot be recomputed, this is what shows that its own
 * entries and exclusions are the reconciled ones (not renamed, moved or dropped).
 */
export const checkPartnerInputs: SectionCheck = (ctx) => {
  const stored = ctx.report.partner_inputs;
  if (stored === undefined) {
    if (ctx.partnerId === undefined) {
      ctx.skip("partner_inputs: the report predates per-partner digests of its rows and exclusions", UNCHECKED.oldPartnerDigests);
    } else {
      ctx.skip(
        "partner_inputs: the report predates per-partner digests, so this bundle's own entries are checked by their sums only and its own exclusions not at all",
        UNCHECKED.oldOwnDigests,
      );
    }
    return;
  }
  if (!Array.isArray(stored)) {
    ctx.fail("partner_inputs", "must be a list of per-partner digests", stored);
    return;
  }
  const scope = ctx.partnerId;
  const clear = stored.filter((r) => !isSealedRow(r)).map(record);
  if (scope !== undefined) {
    const strangers = clear.map((r) => r.partner_id).filter((p) => p !== scope);
    ctx.check("partner_inputs.partner", strangers, [], `only ${scope}'s digests are in the clear`);
  }
  const rows = ctx.evidence.rows;
  if (!rows || !rows.every(isMeasuredRow)) {
    ctx.skip("partner_inputs: this evidence does not hold the manifest rows with their measured inputs", UNCHECKED.partnerDigestInputs);
    return;
  }
  const exclusions = ctx.evidence.exclusions;
  const own = <T extends { partner_id: string }>(list: readonly T[]) =>
    scope === undefined ? list : list.filter((x) => x.partner_id === scope);
  const storedOwn = scope === undefined ? clear : clear.filter((r) => r.partner_id === scope);
  if (scope !== undefined && !exclusions && storedOwn.some((r) => Number(r.excluded) > 0)) {
    ctx.fail("partner_inputs.exclusions", `the report states excluded entries of ${scope}, and this bundle holds none of its exclusions`);
  }
  // The partners the report digests: those with an allocation line (in a bundle, its own when in the clear).
  const lined = new Set(
    (Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [])
      .filter((a) => !isSealedRow(a))
      .map((a) => String(record(a).partner_id)),
  );
  const recomputed = partnerInputs(own(rows as MeasuredInputRow[]), exclusions ? own(exclusions) : [], lined);
  // Without the exclusion chunks, the rows' digests only (a partner with exclusions alone then has nothing to compare).
  const compared = (list: ReadonlyArray<Record<string, unknown>>) =>
    list
      .filter((r) => exclusions !== undefined || Number(r.entries) > 0)
      .map((r) =>
        exclusions !== undefined
          ? {
              partner_id: r.partner_id,
              entries: r.entries,
              rows_digest: r.rows_digest,
              excluded: r.excluded,
              exclusions_digest: r.exclusions_digest,
            }
          : { partner_id: r.partner_id, entries: r.entries, rows_digest: r.rows_digest },
      );
  ctx.check(
    "partner_inputs",
    compared(storedOwn),
    compared(recomputed as unknown as Array<Record<string, unknown>>),
    scope === undefined
      ? "every partner's rows and exclusions digested as the report states them"
      : `${scope}'s own entries${exclusions ? " and exclusions" : ""} digested as the report states them`,
  );
  if (!exclusions) {
    ctx.skip(
      "partner_inputs: the exclusions' digests (this evidence does not hold the exclusion chunks)",
      UNCHECKED.partnerDigestExclusions,
    );
  }
};
