import { randomBytes } from "node:crypto";
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from "firebase-admin/firestore";
import { CLOSE_CALL_ID, CLOSE_IN_PROGRESS_TTL_MS, isLive, type CallRecord } from "../domain/close-in-progress";
import { COLLECTIONS } from "./collections";

/**
 * `closing_days/{day}`: `{closes: {<call id>: {expires_at, entry_ids, changes}}}`, one record per
 * reconcile call closing the day, written before its scan and removed by its commit. A change to
 * an entry of the day (an audit, a review) records itself there in its own transaction
 * (stale-marks.ts), and the closing transaction reads it: a change committing between the scan
 * and the close is known to the close, one committing after it sees the closed day. Both are
 * point reads of the day's documents, which a transaction locks.
 */
export function closingDayRef(db: Firestore, day: string): DocumentReference {
  return db.doc(`${COLLECTIONS.closingDays}/${day}`);
}

export function newCloseCallId(): string {
  return randomBytes(8).toString("hex");
}

function requireCallId(callId: string): void {
  if (!CLOSE_CALL_ID.test(callId)) throw new Error(`not a close call id: ${callId}`);
}

/** Records the call on each of its days, with nothing changed yet; committed before the scan starts. */
export async function announceClose(db: Firestore, callId: string, days: readonly string[], now: Date): Promise<void> {
  requireCallId(callId);
  const record = { expires_at: Timestamp.fromMillis(now.getTime() + CLOSE_IN_PROGRESS_TTL_MS), entry_ids: [], changes: 0 };
  for (let first = 0; first < days.length; first += 500) {
    const batch = db.batch();
    for (const day of days.slice(first, first + 500)) batch.set(closingDayRef(db, day), { closes: { [callId]: record } }, { merge: true });
    await batch.commit();
  }
}

/** Removes the call's records: it ends without a commit (a refusal, nothing new, an error). */
export async function withdrawClose(db: Firestore, callId: string, days: readonly string[]): Promise<void> {
  requireCallId(callId);
  for (let first = 0; first < days.length; first += 500) {
    const batch = db.batch();
    for (const day of days.slice(first, first + 500)) {
      batch.set(closingDayRef(db, day), { closes: { [callId]: FieldValue.delete() } }, { merge: true });
    }
    await batch.commit();
  }
}

export function callRecordOf(snap: DocumentSnapshot, callId: string): CallRecord | undefined {
  const raw = (snap.get("closes") as Record<string, unknown> | undefined)?.[callId] as
    { expires_at?: unknown; entry_ids?: unknown; changes?: unknown } | undefined;
  if (!raw || !(raw.expires_at instanceof Timestamp)) return undefined;
  return {
    expires_at_ms: raw.expires_at.toMillis(),
    entry_ids: Array.isArray(raw.entry_ids) ? raw.entry_ids.filter((id): id is string => typeof id === "string") : [],
    changes: typeof raw.changes === "number" ? raw.changes : 0,
  };
}

/** The calls closing the day now. */
export function liveCallIds(snap: DocumentSnapshot, nowMs: number): string[] {
  const closes = snap.get("closes") as Record<string, unknown> | undefined;
  if (!snap.exists || !closes) return [];
  return Object.keys(closes).filter((id) => CLOSE_CALL_ID.test(id) && isLive(callRecordOf(snap, id), nowMs));
}

/** The closing commit ends the call on each day: the day's document goes once no other call closes it. */
export function endClose(tx: Transaction, snaps: readonly DocumentSnapshot[], callId: string, nowMs: number): void {
  requireCallId(callId);
  for (const snap of snaps) {
    if (!snap.exists) continue;
    if (liveCallIds(snap, nowMs).some((id) => id !== callId)) tx.update(snap.ref, { [`closes.${callId}`]: FieldValue.delete() });
    else tx.delete(snap.ref);
  }
}
