import { getDocs } from "firebase/firestore";
import { buildQuery, countOf } from "../../data/live";
import { closedDaysSince, periodAwaitingReview, periodEntries, periodEntriesWithStatus } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import type { ClosedDayRecord } from "../../domain/receipt-checks";
import { awaitingDecision } from "../../domain/review-queue";

export interface Preflight {
  entries: number;
  /** Entries of the period without a verdict yet (the auditor has not written `audit`). */
  notAudited: number;
  /** Flagged entries of the period without a coordinator's review. */
  awaitingReview: Array<{ id: string; entry: ProductionEntry }>;
  /** Entries reconcile would use: validated, or flagged and approved on review. */
  usable: number;
}

/**
 * What would block `reconcile` for a period, asked before calling it: unaudited entries (a
 * count difference: Firestore cannot query a missing `audit`) and unreviewed flags. The callable
 * decides (it also catches an entry edited since its audit); this is the coordinator's preview.
 */
export async function preflight(from: Date, to: Date): Promise<Preflight> {
  const [entries, audited, validated, marked, flagged] = await Promise.all([
    countOf(periodEntries(from, to)),
    countOf(periodEntriesWithStatus(["validated", "flagged", "rejected"], from, to)),
    countOf(periodEntriesWithStatus(["validated"], from, to)),
    getDocs(buildQuery(periodAwaitingReview(from, to))),
    // Only for flags audited before the auditor marked `awaiting_review` (as the review queue does).
    getDocs(buildQuery(periodEntriesWithStatus(["flagged"], from, to))),
  ]);
  const listed = (snap: typeof marked) => snap.docs.map((d) => ({ id: d.id, data: d.data() as ProductionEntry }));
  return {
    entries,
    notAudited: Math.max(0, entries - audited),
    awaitingReview: awaitingDecision(listed(marked), listed(flagged)).map(({ id, data }) => ({ id, entry: data })),
    usable: validated + listed(flagged).filter((d) => d.data.review?.decision === "approved").length,
  };
}

/**
 * The closed_days records of the contract days `first` to `last` (`count` days): read by key from
 * `first`, at most one record a day, so `count` of them reach past `last`.
 */
export async function closedDaysOf(first: string, last: string, count: number): Promise<ClosedDayRecord[]> {
  const snap = await getDocs(buildQuery(closedDaysSince(first, Math.max(1, count))));
  return snap.docs
    .filter((d) => d.id <= last)
    .map((d) => ({ day: d.id, ...(d.data() as { reconciliation_id?: string; terminal_receipt_id?: string }) }));
}
