import { getDocs } from "firebase/firestore";
import { buildQuery, countOf } from "../../data/live";
import { periodAwaitingReview, periodEntries, periodEntriesWithStatus } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import { awaitingDecision } from "../../domain/review-queue";

export interface Preflight {
  entries: number;
  /** Entries of the period without a verdict yet (the auditor has not written `audit`). */
  notAudited: number;
  /** Flagged entries of the period without a coordinator's review. */
  awaitingReview: Array<{ id: string; entry: ProductionEntry }>;
}

/**
 * What would block `reconcile` for a period, asked before calling it: unaudited entries (a
 * count difference: Firestore cannot query a missing `audit`) and unreviewed flags. The callable
 * decides (it also catches an entry edited since its audit); this is the coordinator's preview.
 */
export async function preflight(from: Date, to: Date): Promise<Preflight> {
  const [entries, audited, marked, flagged] = await Promise.all([
    countOf(periodEntries(from, to)),
    countOf(periodEntriesWithStatus(["validated", "flagged", "rejected"], from, to)),
    getDocs(buildQuery(periodAwaitingReview(from, to))),
    // Only for flags audited before the auditor marked `awaiting_review` (as the review queue does).
    getDocs(buildQuery(periodEntriesWithStatus(["flagged"], from, to))),
  ]);
  const listed = (snap: typeof marked) => snap.docs.map((d) => ({ id: d.id, data: d.data() as ProductionEntry }));
  return {
    entries,
    notAudited: Math.max(0, entries - audited),
    awaitingReview: awaitingDecision(listed(marked), listed(flagged)).map(({ id, data }) => ({ id, entry: data })),
  };
}
