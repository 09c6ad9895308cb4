import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { entryDisposition, type EntryDisposition } from "../../domain/entry-disposition";
import { measureFields, type MeasuredFields } from "../../domain/measured-fields";
import { MEASURED_FIELDS } from "../../domain/production-entry";
import { BOUNDED_ID_RULE, capText, isBoundedId, REASON_MAX_LENGTH } from "../../domain/bounded-id";
import { type ExcludedEntry, PartnerAggregator } from "../../domain/reconciliation-report";
import { InputsDigest, measuredRowLine, sha256Hex, type MeasuredInputRow } from "../../domain/report-hash";
import { exclusionsDigest } from "./exclusions";
import { periodSlices } from "../../domain/period-slices";
import { COLLECTIONS } from "../../shared/collections";
import { periodQueries, type RangeStream } from "./period-query";
import { canonicalJson } from "../../domain/canonical-json";

/**
 * The most entries one reconciliation reads: the period query is bounded by it, and a
 * period holding more is refused rather than left to run into the callable's timeout.
 * 100,000 entries take well under a minute (see scripts/bench); this is five times that.
 */
export const MAX_PERIOD_ENTRIES = 500_000;
/** How many blocking entry ids an error lists (the count tells the rest). */
export const BLOCKING_LISTED = 200;

/**
 * What the scan reads of an entry: the measured inputs, the audit (verdict, input hash, the
 * reasons an exclusion's text names, a pending recheck) and who decided a review (a note
 * changes no report).
 */
export const SELECTED_FIELDS = [
  ...MEASURED_FIELDS,
  "audit.status",
  "audit.input_hash",
  "audit.reasons",
  "audit.recheck",
  "review.decision",
  "review.by",
];

export interface EntryScan {
  aggregator: PartnerAggregator;
  /**
   * Used entries in entry-id order, with their measured inputs: the manifest, written in
   * chunks. Not in read order, so that moving an entry within the period changes neither
   * the manifest nor the digest.
   */
  rows: MeasuredInputRow[];
  /**
   * Each row's measuredRowLine, index for index: hashed into the inputs digest and the partners'
   * rows digests, and stored as the manifest's text, made once.
   */
  lines: string[];
  digest: InputsDigest;
  /** sha256 over the excluded entries and their reasons, in entry-id order (exclusions.ts). */
  exclusionsDigest: string;
  /** Every excluded entry, in entry-id order: written beside the report, never into it. */
  excluded: ExcludedEntry[];
  excludedCount: number;
  /** The first BLOCKING_LISTED ids by id; the count is of all. */
  pendingAudit: string[];
  pendingAuditCount: number;
  awaitingReview: string[];
  awaitingReviewCount: number;
  /** Entries whose measurement the engine refuses although the auditor passed them. */
  unmeasurable: Array<{ entry_id: string; reason: string }>;
  documentsRead: number;
}

/**
 * Sub-ranges of measured_at read side by side. One query is served by one stream; two keep the
 * database's threads busy while this process measures. More cost the emulator more than they
 * give: it goes through the whole collection once per query (docs/benchmarks.md).
 */
export const SCAN_SLICES = 2;

/** A used entry's row and its measuredRowLine, made as it arrives: the line's cost is then spent while the reads stream. */
export interface UsedEntry {
  row: MeasuredInputRow;
  line: string;
}

/** What the scan classified of the period, as it arrived. */
export interface ClassifiedEntries {
  /** Used entries, with their NSV, in arrival order. */
  used: UsedEntry[];
  excluded: ExcludedEntry[];
  pendingAudit: string[];
  awaitingReview: string[];
  unmeasurable: Array<{ entry_id: string; reason: string }>;
  documentsRead: number;
}

export interface ScanOptions {
  maxEntries?: number;
  slices?: number;
  signal?: AbortSignal;
  /** The JV's start (settings/jv): an entry measured before it is excluded, whatever its audit says. */
  jvStart?: { date: string; from: Date };
}

/**
 * One pass over the period's entries: each entry is classified (used, excluded, blocking) as it
 * arrives and used ones are measured to NSV; then the entries are summed per partner in
 * cent-barrels (order-free integer sums), and the manifest rows and digests are built in
 * entry-id order, so arrival order changes nothing.
 *
 * The slices are read at their own snapshots: an entry moved from one slice to another during
 * the scan is counted once (by id), and any change that commits after the scan began is
 * recorded for reconcile's commit by the call's record in its month (shared/closing-months.ts) or,
 * after the close, marks the closed day's version stale.
 */
export async function scanPeriodEntries(db: Firestore, periodStart: Date, periodEnd: Date, options: ScanOptions = {}): Promise<EntryScan> {
  const maxEntries = options.maxEntries ?? MAX_PERIOD_ENTRIES;
  return finishScan(await readAndClassify(db, periodStart, periodEnd, { ...options, maxEntries }));
}

/** The refusal of a period holding more entries than one reconciliation reads. */
export function tooManyEntries(maxEntries: number): HttpsError {
  return new HttpsError(
    "failed-precondition",
    `The period holds more than ${maxEntries} production entries, more than one reconciliation reads; split it into shorter receipt periods.`,
    { max_entries: maxEntries },
  );
}

export const SCAN_ABANDONED = "scan abandoned: the reconciliation was refused";

/**
 * Reads [from, to) as `slices` streamed sub-range queries at once (period-query.ts) and
 * classifies each entry.
 *
 * Streams rather than pages with cursors: no page of documents is ever held, the measuring
 * overlaps the reading, and the Firestore emulator, which evaluates a limited query's whole
 * range for every page, is not made to do that once per page.
 */
async function readAndClassify(
  db: Firestore,
  from: Date,
  to: Date,
  options: ScanOptions & { maxEntries: number },
): Promise<ClassifiedEntries> {
  const { maxEntries } = options;
  const classified = noneClassified();
  const seen = new Set<string>();
  const jvStart = jvStartRule(options.jvStart);
  const streams: RangeStream[] = [];
  const queries = periodQueries(db);
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let open = 0;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const stream of streams) stream.destroy();
      reject(error);
    };
    const { signal } = options;
    if (signal) {
      const abandon = () => fail(new Error(SCAN_ABANDONED));
      if (signal.aborted) return abandon();
      signal.addEventListener("abort", abandon, { once: true });
    }
    for (const [sliceFrom, sliceTo] of periodSlices(from, to, options.slices ?? SCAN_SLICES)) {
      // Counted before it starts: a stream may end at once.
      open += 1;
      const stream = queries.stream(
        {
          collectionId: COLLECTIONS.productionEntries,
          field: "measured_at",
          from: sliceFrom,
          to: sliceTo,
          select: SELECTED_FIELDS,
          limit: maxEntries + 1,
        },
        {
          data: (doc) => {
            if (failed) return;
            classified.documentsRead += 1;
            if (seen.has(doc.id)) return;
            if (seen.size >= maxEntries) {
              fail(tooManyEntries(maxEntries));
              return;
            }
            seen.add(doc.id);
            try {
              classify(classified, doc.id, doc.data, jvStart);
            } catch (error) {
              fail(error);
            }
          },
          error: fail,
          end: () => {
            open -= 1;
            if (open === 0 && !failed) resolve();
          },
        },
      );
      streams.push(stream);
    }
  });
  return classified;
}

/** What the scan classified, as a scan: summed, listed and digested in entry-id order. */
export function finishScan(classified: ClassifiedEntries): EntryScan {
  const scan: EntryScan = {
    aggregator: new PartnerAggregator(),
    rows: [],
    lines: [],
    digest: new InputsDigest(),
    exclusionsDigest: "",
    excluded: classified.excluded,
    excludedCount: 0,
    pendingAudit: classified.pendingAudit,
    pendingAuditCount: 0,
    awaitingReview: classified.awaitingReview,
    awaitingReviewCount: 0,
    unmeasurable: classified.unmeasurable,
    documentsRead: classified.documentsRead,
  };
  // Summed in entry-id order: which entry a sum beyond exact cent-barrels stops at does not
  // depend on arrival order (the engine refused every entry's own volume already).
  classified.used.sort((a, b) => byEntryId(a.row, b.row));
  for (const { row, line } of classified.used) {
    try {
      scan.aggregator.add({ partner_id: row.partner_id, gross_bbl: row.gross_volume_bbl, nsv_bbl: row.nsv_bbl });
    } catch (error) {
      scan.unmeasurable.push({ entry_id: row.entry_id, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    scan.rows.push(row);
    scan.lines.push(line);
  }
  scan.excludedCount = scan.excluded.length;
  // The first BLOCKING_LISTED by id, whatever order the entries arrived in.
  scan.pendingAuditCount = scan.pendingAudit.length;
  scan.pendingAudit = scan.pendingAudit.sort().slice(0, BLOCKING_LISTED);
  scan.awaitingReviewCount = scan.awaitingReview.length;
  scan.awaitingReview = scan.awaitingReview.sort().slice(0, BLOCKING_LISTED);
  scan.unmeasurable.sort(byEntryId);
  scan.rows.forEach((row, i) => scan.digest.addRow(row, scan.lines[i]));
  scan.excluded.sort(byEntryId);
  scan.exclusionsDigest = exclusionsDigest(scan.excluded);
  return scan;
}

function noneClassified(): ClassifiedEntries {
  return { used: [], excluded: [], pendingAudit: [], awaitingReview: [], unmeasurable: [], documentsRead: 0 };
}

function jvStartRule(jvStart: ScanOptions["jvStart"]): { ms: number; reason: string } | undefined {
  return jvStart ? { ms: jvStart.from.getTime(), reason: `measured before the JV start date ${jvStart.date}` } : undefined;
}

/**
 * What the scan took of each of `ids`, as comparable text: `used <its manifest line>` or
 * `excluded <its exclusion row>`; an id it did not take is absent from the map.
 */
export function takenInScan(scan: EntryScan, ids: ReadonlySet<string>): Map<string, string> {
  const taken = new Map<string, string>();
  scan.rows.forEach((row, i) => {
    if (ids.has(row.entry_id)) taken.set(row.entry_id, takenUsed(scan.lines[i]));
  });
  for (const row of scan.excluded) if (ids.has(row.entry_id)) taken.set(row.entry_id, takenExcluded(row));
  return taken;
}

/** The two sides' one text for an entry taken: takenInScan and takenNow must agree to the character. */
const takenUsed = (line: string) => `used ${line}`;
const takenExcluded = (row: ExcludedEntry) => `excluded ${canonicalJson(row)}`;

/**
 * What a scan of [from, to) would take of the entry as `data` (its SELECTED_FIELDS) stands now, in
 * takenInScan's terms; undefined when it would take nothing (outside the period, or not there),
 * `blocking` when the call would be refused for it (pending its audit or a review, unmeasurable).
 */
export function takenNow(
  entryId: string,
  data: Record<string, unknown> | undefined,
  from: Date,
  to: Date,
  jvStart?: ScanOptions["jvStart"],
): string | undefined {
  const at = data?.measured_at instanceof Timestamp ? data.measured_at.toMillis() : undefined;
  if (!data || at === undefined || at < from.getTime() || at >= to.getTime()) return undefined;
  const classified = noneClassified();
  classify(classified, entryId, data, jvStartRule(jvStart));
  if (classified.used.length === 1) return takenUsed(classified.used[0].line);
  if (classified.excluded.length === 1) return takenExcluded(classified.excluded[0]);
  return "blocking";
}

const byEntryId = (a: { entry_id: string }, b: { entry_id: string }) => (a.entry_id < b.entry_id ? -1 : a.entry_id > b.entry_id ? 1 : 0);

/** Partner ids as listed on exclusion rows: the schema's bound (a rejected entry may exceed it). */
const PARTNER_ID_LISTED = 128;

/** How a close takes the entry as `data` (its SELECTED_FIELDS) stands: used, excluded with a reason, or blocking it. */
function closeDisposition(entryId: string, data: Record<string, unknown>, jvStart?: { ms: number; reason: string }): EntryDisposition {
  // An id the rules refuse (written with the Admin SDK) is never used and listed by its hash; an
  // entry audited before the JV's start date was set is never used either.
  if (!isBoundedId(entryId)) return { kind: "excluded", reason: `document id not allowed (must be ${BOUNDED_ID_RULE})` };
  if (jvStart && (data.measured_at as Timestamp).toMillis() < jvStart.ms) return { kind: "excluded", reason: jvStart.reason };
  return entryDisposition(data);
}

/** closeDisposition with the scan's JV start option, for a reader of the period other than the close (period coverage). */
export function closeDispositionOf(entryId: string, data: Record<string, unknown>, jvStart?: ScanOptions["jvStart"]): EntryDisposition {
  return closeDisposition(entryId, data, jvStartRule(jvStart));
}

function classify(
  classified: ClassifiedEntries,
  entryId: string,
  data: Record<string, unknown>,
  jvStart?: { ms: number; reason: string },
): void {
  const partnerId = String(data.partner_id);
  const disposition = closeDisposition(entryId, data, jvStart);
  switch (disposition.kind) {
    case "pending_audit":
      classified.pendingAudit.push(entryId);
      return;
    case "awaiting_review":
      classified.awaitingReview.push(entryId);
      return;
    case "excluded":
      classified.excluded.push({
        entry_id: isBoundedId(entryId) ? entryId : `sha256-${sha256Hex(entryId).slice(0, 40)}`,
        partner_id: capText(partnerId, PARTNER_ID_LISTED),
        reason: capText(disposition.reason, REASON_MAX_LENGTH),
      });
      return;
    case "used": {
      let nsvBbl: number;
      try {
        // The auditor passed the entry, so its fields parse; the engine still checks every limit.
        nsvBbl = measureFields(data as unknown as MeasuredFields).nsvBbl;
      } catch (error) {
        // The auditor rejects what the engine refuses; reaching this means the two disagree.
        classified.unmeasurable.push({ entry_id: entryId, reason: error instanceof Error ? error.message : String(error) });
        return;
      }
      const fields = data as unknown as MeasuredFields;
      const row: MeasuredInputRow = {
        entry_id: entryId,
        partner_id: partnerId,
        nsv_bbl: nsvBbl,
        gross_volume_bbl: fields.gross_volume_bbl,
        bsw_percent: fields.bsw_percent,
        temperature_degF: fields.temperature_degF,
        api_gravity: fields.api_gravity,
        pressure_psig: fields.pressure_psig ?? 0,
        meter_factor: fields.meter_factor ?? 1,
      };
      classified.used.push({ row, line: measuredRowLine(row) });
    }
  }
}
