import { randomBytes } from "node:crypto";
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
  type WriteBatch,
} from "firebase-admin/firestore";
import { CLOSE_CALL_ID, CLOSE_IN_PROGRESS_TTL_MS, closingMonths, isLive, type CallRecord } from "../domain/close-in-progress";
import { COLLECTIONS } from "./collections";

/**
 * `closing_months/{YYYY-MM}`: `{closes: {<call id>: {expires_at, first_day, last_day, entry_ids,
 * changes}}}`, one record per reconcile call closing days of the month, written before its scan
 * and removed by its commit. A change to an entry of one of the call's days (an audit, a review)
 * records itself there in its own transaction (stale-marks.ts), and the closing transaction reads
 * it: a change committing between the scan and the close is known to the close, one committing
 * after it sees the closed day. Both are point reads of the months' documents, which a
 * transaction locks.
 */
export function closingMonthRef(db: Firestore, month: string): DocumentReference {
  return db.doc(`${COLLECTIONS.closingMonths}/${month}`);
}

export function newCloseCallId(): string {
  return randomBytes(8).toString("hex");
}

function requireCallId(callId: string): void {
  if (!CLOSE_CALL_ID.test(callId)) throw new Error(`not a close call id: ${callId}`);
}

/** Records the call in the month of each of its days, with nothing changed yet; committed before the scan starts. */
export async function announceClose(db: Firestore, callId: string, days: readonly string[], now: Date): Promise<void> {
  requireCallId(callId);
  if (days.length === 0) return;
  const sorted = [...days].sort();
  const record = {
    expires_at: Timestamp.fromMillis(now.getTime() + CLOSE_IN_PROGRESS_TTL_MS),
    first_day: sorted[0],
    last_day: sorted[sorted.length - 1],
    entry_ids: [],
    changes: 0,
  };
  await inOneBatch(db, closingMonths(days), (batch, month) =>
    batch.set(closingMonthRef(db, month), { closes: { [callId]: record } }, { merge: true }),
  );
}

/** Removes the call's records: it ends without a commit (a refusal, nothing new, an error). */
export async function withdrawClose(db: Firestore, callId: string, days: readonly string[]): Promise<void> {
  requireCallId(callId);
  await inOneBatch(db, closingMonths(days), (batch, month) =>
    batch.set(closingMonthRef(db, month), { closes: { [callId]: FieldValue.delete() } }, { merge: true }),
  );
}

/** A period spans at most 13 months (MAX_PERIOD_DAYS): its records are one batch. */
async function inOneBatch(db: Firestore, months: readonly string[], write: (batch: WriteBatch, month: string) => void): Promise<void> {
  if (months.length === 0) return;
  const batch = db.batch();
  for (const month of months) write(batch, month);
  await batch.commit();
}

export function callRecordOf(snap: DocumentSnapshot, callId: string): CallRecord | undefined {
  const raw = (snap.get("closes") as Record<string, unknown> | undefined)?.[callId] as
    { expires_at?: unknown; first_day?: unknown; last_day?: unknown; entry_ids?: unknown; changes?: unknown } | undefined;
  if (!raw || !(raw.expires_at instanceof Timestamp)) return undefined;
  return {
    expires_at_ms: raw.expires_at.toMillis(),
    ...(typeof raw.first_day === "string" && typeof raw.last_day === "string" ? { first_day: raw.first_day, last_day: raw.last_day } : {}),
    entry_ids: Array.isArray(raw.entry_ids) ? raw.entry_ids.filter((id): id is string => typeof id === "string") : [],
    changes: typeof raw.changes === "number" ? raw.changes : 0,
  };
}

/** The calls closing days of the month now. */
export function liveCallIds(snap: DocumentSnapshot, nowMs: number): string[] {
  const closes = snap.get("closes") as Record<string, unknown> | undefined;
  if (!snap.exists || !closes) return [];
  return Object.keys(closes).filter((id) => CLOSE_CALL_ID.test(id) && isLive(callRecordOf(snap, id), nowMs));
}

/** The closing commit ends the call in each month: the month's document goes once no other live call is recorded there. */
export function endClose(tx: Transaction, snaps: readonly DocumentSnapshot[], callId: string, nowMs: number): void {
  requireCallId(callId);
  for (const snap of snaps) {
    if (!snap.exists) continue;
    if (liveCallIds(snap, nowMs).some((id) => id !== callId)) tx.update(snap.ref, { [`closes.${callId}`]: FieldValue.delete() });
    else tx.delete(snap.ref);
  }
}
