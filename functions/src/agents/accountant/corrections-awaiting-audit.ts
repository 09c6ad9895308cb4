import { Timestamp, type DocumentData, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { auditInputHash, MEASURED_FIELDS } from "../../domain/production-entry";
import { COLLECTIONS } from "../../shared/collections";
import { dateOf } from "../../shared/timestamps";

/** Corrections read per page, newest first. */
export const CORRECTIONS_PAGE = 50;
/** The version's call start is on the function's clock, `corrected_at` on the database's: a margin for the two. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** When the call that made a stored version began (on the function's clock; its reading of the period followed). */
export function callStartOf(version: DocumentData): Date {
  const created = version.created_at instanceof Timestamp ? version.created_at.toMillis() : 0;
  return new Date(created - (typeof version.duration_ms === "number" ? version.duration_ms : 0));
}

export interface AwaitingAudit {
  ids: string[];
  reads: number;
  /** False when `maxPages` pages were read and more corrections remain unread. */
  complete: boolean;
}

/**
 * A coordinator's correction or late entry on a closed day is a client write: the rules sign it
 * (`corrected_at`) but it marks nothing. The day's version is marked stale when the auditor stores
 * the new audit, seconds later or, behind a backlog, much later. Until then the version looks
 * current; this finds such entries: corrected since the version's call began, on one of its days
 * (now, or when last audited), and not yet audited as they stand.
 */
export async function correctionsAwaitingAudit(db: Firestore, version: DocumentData, maxPages: number): Promise<AwaitingAudit> {
  const since = Timestamp.fromMillis(Math.max(0, callStartOf(version).getTime() - CLOCK_MARGIN_MS));
  const query = db
    .collection(COLLECTIONS.productionEntries)
    .where("corrected_at", ">", since)
    .orderBy("corrected_at", "desc")
    .limit(CORRECTIONS_PAGE)
    .select(...MEASURED_FIELDS, "audit.input_hash", "audit.contract_day");
  const start = dateOf(version.period_start)?.getTime();
  const end = dateOf(version.period_end)?.getTime();
  const days = new Set(Array.isArray(version.closed_days) ? version.closed_days : []);
  const awaiting = (d: QueryDocumentSnapshot) => {
    const at = dateOf(d.get("measured_at"))?.getTime();
    const onItsDays =
      (at !== undefined && start !== undefined && end !== undefined && at >= start && at < end) || days.has(d.get("audit.contract_day"));
    return onItsDays && d.get("audit.input_hash") !== auditInputHash(d.data());
  };
  const ids: string[] = [];
  let reads = 0;
  let cursor: QueryDocumentSnapshot | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const snap = await (cursor ? query.startAfter(cursor) : query).get();
    // A query that finds nothing is billed as one read.
    reads += Math.max(1, snap.size);
    ids.push(...snap.docs.filter(awaiting).map((d) => d.id));
    if (snap.size < CORRECTIONS_PAGE) return { ids, reads, complete: true };
    cursor = snap.docs[snap.size - 1];
  }
  return { ids, reads, complete: false };
}
