import { type Readable } from "node:stream";
import { HttpsError } from "firebase-functions/v2/https";
import { FieldPath, Timestamp, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { entryDisposition } from "../../domain/entry-disposition";
import { measureFields, type MeasuredFields } from "../../domain/measured-fields";
import { MEASURED_FIELDS } from "../../domain/production-entry";
import { type ExcludedEntry, MAX_EXCLUDED_LISTED, PartnerAggregator } from "../../domain/reconciliation-report";
import { InputsDigest, sha256Hex, type MeasuredInputRow } from "../../domain/report-hash";
import { canonicalJson } from "../../domain/canonical-json";
import { COLLECTIONS } from "../../shared/collections";

/**
 * The most entries one reconciliation reads: the period query is bounded by it, and a
 * period holding more is refused rather than left to run into the callable's timeout.
 * 100,000 entries take well under a minute (see scripts/bench); this is five times that.
 */
export const MAX_PERIOD_ENTRIES = 500_000;
/** How many blocking entry ids an error lists (the count tells the rest). */
export const BLOCKING_LISTED = 200;

export const SELECTED_FIELDS = [
  ...MEASURED_FIELDS,
  "audit.status",
  "audit.input_hash",
  "audit.reasons",
  "review.decision",
  "review.by",
  "review.note",
];

export interface EntryScan {
  aggregator: PartnerAggregator;
  /** Used entries in read order, with their measured inputs: the manifest, written in chunks. */
  rows: MeasuredInputRow[];
  digest: InputsDigest;
  /** sha256 over the excluded entries and their reasons, in read order. */
  exclusionsDigest: string;
  excluded: ExcludedEntry[];
  excludedCount: number;
  pendingAudit: string[];
  pendingAuditCount: number;
  awaitingReview: string[];
  awaitingReviewCount: number;
  /** Entries whose measurement the engine refuses although the auditor passed them. */
  unmeasurable: Array<{ entry_id: string; reason: string }>;
  documentsRead: number;
}

/**
 * One pass over the period's entries, streamed in (measured_at, id) order: each is
 * classified (used, excluded, blocking), used ones are measured to NSV and summed per
 * partner in cent-barrels, and the manifest rows and digests are built as they go by.
 *
 * One streamed query rather than pages with cursors: every entry is handled as it arrives
 * (no page of documents is ever held), the measuring overlaps the reading, the whole period
 * is read at one snapshot (the Admin SDK resumes a broken stream after the last document
 * it received, at the same read time), and the Firestore emulator, which evaluates a
 * limited query's whole range for every page, is not made to do that once per page.
 */
export async function scanPeriodEntries(
  db: Firestore,
  periodStart: Date,
  periodEnd: Date,
  options: { maxEntries?: number } = {},
): Promise<EntryScan> {
  const maxEntries = options.maxEntries ?? MAX_PERIOD_ENTRIES;
  const scan: EntryScan = {
    aggregator: new PartnerAggregator(),
    rows: [],
    digest: new InputsDigest(),
    exclusionsDigest: "",
    excluded: [],
    excludedCount: 0,
    pendingAudit: [],
    pendingAuditCount: 0,
    awaitingReview: [],
    awaitingReviewCount: 0,
    unmeasurable: [],
    documentsRead: 0,
  };
  const exclusionLines: string[] = [];
  const query = db
    .collection(COLLECTIONS.productionEntries)
    .where("measured_at", ">=", Timestamp.fromDate(periodStart))
    .where("measured_at", "<", Timestamp.fromDate(periodEnd))
    .orderBy("measured_at")
    .orderBy(FieldPath.documentId())
    .select(...SELECTED_FIELDS)
    .limit(maxEntries + 1);
  await new Promise<void>((resolve, reject) => {
    const stream = query.stream() as Readable;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      stream.destroy();
      reject(error);
    };
    // A plain 'data' handler rather than `for await`: no promise per entry.
    stream.on("data", (doc: QueryDocumentSnapshot) => {
      if (failed) return;
      scan.documentsRead += 1;
      if (scan.documentsRead > maxEntries) {
        fail(
          new HttpsError(
            "failed-precondition",
            `The period holds more than ${maxEntries} production entries, more than one reconciliation reads; split it into shorter receipt periods.`,
            { max_entries: maxEntries },
          ),
        );
        return;
      }
      try {
        classify(scan, doc.id, doc.data(), exclusionLines);
      } catch (error) {
        fail(error);
      }
    });
    stream.on("error", fail);
    stream.on("end", () => {
      if (!failed) resolve();
    });
  });
  scan.exclusionsDigest = sha256Hex(exclusionLines.join("\n"));
  return scan;
}

function classify(scan: EntryScan, entryId: string, data: Record<string, unknown>, exclusionLines: string[]): void {
  const partnerId = String(data.partner_id);
  const disposition = entryDisposition(data);
  switch (disposition.kind) {
    case "pending_audit":
      scan.pendingAuditCount += 1;
      if (scan.pendingAudit.length < BLOCKING_LISTED) scan.pendingAudit.push(entryId);
      return;
    case "awaiting_review":
      scan.awaitingReviewCount += 1;
      if (scan.awaitingReview.length < BLOCKING_LISTED) scan.awaitingReview.push(entryId);
      return;
    case "excluded":
      scan.excludedCount += 1;
      if (scan.excluded.length < MAX_EXCLUDED_LISTED)
        scan.excluded.push({ entry_id: entryId, partner_id: partnerId, reason: disposition.reason });
      exclusionLines.push(canonicalJson({ entry_id: entryId, partner_id: partnerId, reason: disposition.reason }));
      return;
    case "used": {
      let nsvBbl: number;
      let grossBbl: number;
      try {
        // The auditor passed the entry, so its fields parse; the engine still checks every limit.
        const measured = measureFields(data as unknown as MeasuredFields);
        nsvBbl = measured.nsvBbl;
        grossBbl = measured.grossVolumeBbl;
      } catch (error) {
        // The auditor rejects what the engine refuses; reaching this means the two disagree.
        scan.unmeasurable.push({ entry_id: entryId, reason: error instanceof Error ? error.message : String(error) });
        return;
      }
      scan.aggregator.add({ partner_id: partnerId, gross_bbl: grossBbl, nsv_bbl: nsvBbl });
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
      scan.rows.push(row);
      scan.digest.addRow(row);
    }
  }
}
