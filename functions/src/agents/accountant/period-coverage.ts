import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { contractDayOf, contractDayStart, periodContractDays } from "../../domain/jv-settings";
import { CoverageTally, type CoverageEntry, type PeriodCoverage } from "../../domain/period-coverage";
import { type AgentDeps } from "../../shared/agent-deps";
import { COLLECTIONS } from "../../shared/collections";
import { boundedId } from "../../shared/document-id";
import { closeDispositionOf, MAX_PERIOD_ENTRIES, SELECTED_FIELDS, tooManyEntries, type ScanOptions } from "./entry-scan";
import { periodQueries, type RangeDocument, type RangeStream } from "./period-query";
import { readsForClose } from "./reconcile";
import { parseReceipt, refuseWithdrawn } from "./receipt-checks";

export const periodCoverageInput = z.object({ terminal_receipt_id: boundedId() }).strict();

export type PeriodCoverageResult = PeriodCoverage & { terminal_receipt_id: string; entries_read: number };

/**
 * The `periodCoverage` callable: for a receipt's period, the contract days each partner and each
 * of its meters has no used entry on, read as the close reads the period (one projected query,
 * every entry classified as reconcile would take it). Read-only; a coordinator's pre-flight.
 */
export async function periodCoverage(
  deps: Pick<AgentDeps, "db">,
  input: z.output<typeof periodCoverageInput>,
): Promise<PeriodCoverageResult> {
  const { db } = deps;
  const receiptId = input.terminal_receipt_id;
  const { receiptSnap, settings, partners } = await readsForClose(deps, input);
  if (!receiptSnap.exists) throw new HttpsError("not-found", `Terminal receipt ${receiptId} does not exist.`);
  refuseWithdrawn(receiptId, receiptSnap);
  const receipt = parseReceipt(receiptId, receiptSnap.data()!);
  const days = periodContractDays(receipt.period_start, receipt.period_end, settings);
  const jvStart = settings.jv_start_date
    ? { date: settings.jv_start_date, from: contractDayStart(settings.jv_start_date, settings) }
    : undefined;
  const tally = new CoverageTally();
  let read = 0;
  await new Promise<void>((resolve, reject) => {
    // Set once stream() returns: a document may in principle arrive before it does.
    const reading: { stream?: RangeStream } = {};
    let stopped = false;
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      reading.stream?.destroy();
      reject(error);
    };
    reading.stream = periodQueries(db).stream(
      {
        collectionId: COLLECTIONS.productionEntries,
        field: "measured_at",
        from: receipt.period_start,
        to: receipt.period_end,
        select: SELECTED_FIELDS,
        limit: MAX_PERIOD_ENTRIES + 1,
      },
      {
        data: (doc) => {
          if (stopped) return;
          read += 1;
          if (read > MAX_PERIOD_ENTRIES) return stop(tooManyEntries(MAX_PERIOD_ENTRIES));
          try {
            tally.add(coverageEntry(doc, settings, jvStart));
          } catch (error) {
            stop(error);
          }
        },
        error: stop,
        end: () => {
          if (!stopped) resolve();
        },
      },
    );
    if (stopped) reading.stream.destroy();
  });
  return { terminal_receipt_id: receiptId, entries_read: read, ...tally.coverage(days, partners) };
}

function coverageEntry(doc: RangeDocument, settings: Parameters<typeof contractDayOf>[1], jvStart: ScanOptions["jvStart"]): CoverageEntry {
  const { data } = doc;
  const at = data.measured_at instanceof Timestamp ? data.measured_at.toMillis() : Number.NaN;
  const kind = closeDispositionOf(doc.id, data, jvStart).kind;
  const meter = typeof data.meter_id === "string" && data.meter_id !== "" ? data.meter_id : undefined;
  return {
    partner_id: String(data.partner_id),
    ...(meter === undefined ? {} : { meter_id: meter }),
    // Floored to the millisecond, as the scan and the rules take a measurement's instant.
    day: contractDayOf(new Date(at), settings),
    kind: kind === "used" ? "used" : kind === "excluded" ? "excluded" : "pending",
  };
}
