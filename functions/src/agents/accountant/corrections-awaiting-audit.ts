import { Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { auditInputHash, MEASURED_FIELDS } from "../../domain/production-entry";
import { COLLECTIONS } from "../../shared/collections";

/** The newest corrections since a version one look reads. */
export const CORRECTIONS_LOOKED_AT = 50;
/** The version's call start is on the function's clock, `corrected_at` on the database's: a margin for the two. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * A coordinator's correction or late entry on a closed day is a client write: the rules sign it
 * (`corrected_at`) but it marks nothing. The day's version is marked stale when the auditor stores
 * the new audit, seconds later or, behind a backlog, much later. Until then the version looks
 * current; this finds such entries: corrected since the version's call began, on one of its days
 * (now, or when last audited), and not yet audited as they stand.
 */
export async function correctionsAwaitingAudit(db: Firestore, version: DocumentData): Promise<{ ids: string[]; reads: number }> {
  const created = version.created_at instanceof Timestamp ? version.created_at.toMillis() : 0;
  const since = created - (typeof version.duration_ms === "number" ? version.duration_ms : 0) - CLOCK_MARGIN_MS;
  // Newest first: those are the ones whose audit may still be missing.
  const snap = await db
    .collection(COLLECTIONS.productionEntries)
    .where("corrected_at", ">", Timestamp.fromMillis(Math.max(0, since)))
    .orderBy("corrected_at", "desc")
    .limit(CORRECTIONS_LOOKED_AT)
    .select(...MEASURED_FIELDS, "audit.input_hash", "audit.contract_day")
    .get();
  const start = millis(version.period_start);
  const end = millis(version.period_end);
  const days = new Set(Array.isArray(version.closed_days) ? version.closed_days : []);
  const ids = snap.docs
    .filter((d) => {
      const at = millis(d.get("measured_at"));
      const onItsDays =
        (at !== undefined && start !== undefined && end !== undefined && at >= start && at < end) || days.has(d.get("audit.contract_day"));
      return onItsDays && d.get("audit.input_hash") !== auditInputHash(d.data());
    })
    .map((d) => d.id);
  // A query that finds nothing is billed as one read.
  return { ids, reads: Math.max(1, snap.size) };
}

function millis(value: unknown): number | undefined {
  return value instanceof Timestamp ? value.toMillis() : value instanceof Date ? value.getTime() : undefined;
}
