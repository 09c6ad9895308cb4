import { runTransaction } from "./transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";
import { isUnmetPrecondition } from "./firestore-errors";
import { Recent } from "./recent";

export interface RateLimit {
  /** Calls allowed per user and function in any window of `windowMs`. */
  maxCalls: number;
  windowMs: number;
}

/** A user's log for a function as this instance last wrote it, and the version that write made. */
interface KnownLog {
  admitted: number[];
  updateTime: Timestamp;
}

const knownLogs = new Recent<KnownLog>(1_000);

/**
 * Sliding-log limit per user and function: `rate_limits/{uid}_{fn}` keeps the times of the
 * calls admitted in the last window (at most `maxCalls` numbers). A call is admitted only if
 * fewer than `maxCalls` were admitted in the `windowMs` before it, so no window of that length,
 * wherever it starts, ever holds more than `maxCalls` calls (a fixed window admits twice the
 * limit around its boundary). Counted before the payload is parsed, so invalid calls count too.
 * One document per user and function: only one user's own bursts touch it. `action` says in the
 * refusal what the calls are ("reconciliations"), `fn` keys the log.
 *
 * The log grown by a call is written on condition that the document is still the version read
 * (or still absent), and the instance remembers what it wrote with the version the write made:
 * the user's next call there writes without reading first, a round trip less. Any other write
 * in between (another instance, a deletion) fails the condition with nothing written, and the
 * call then reads, decides and writes in one transaction, as does a call the remembered log
 * would refuse. A refusal is only ever decided on the log as stored.
 */
export async function enforceRateLimit(db: Firestore, uid: string, fn: string, action: string, limit: RateLimit, now: Date): Promise<void> {
  const ref = db.doc(`${COLLECTIONS.rateLimits}/${uid}_${fn}`);
  const at = now.getTime();
  const id = `${uid}_${fn}`;
  const known = knownLogs.get(id);
  knownLogs.forget(id);
  const log = known ?? (await storedLog(ref));
  const recent = inWindow(log.admitted, at, limit);
  if (recent.length < limit.maxCalls) {
    const admitted = [...recent, at];
    const fields = logFields(uid, fn, admitted, at, limit);
    const written = await (log.updateTime ? ref.update(fields, { lastUpdateTime: log.updateTime }) : ref.create(fields)).catch(
      (error: unknown) => {
        if (isUnmetPrecondition(error)) return undefined;
        throw error;
      },
    );
    if (written) {
      knownLogs.set(id, { admitted, updateTime: written.writeTime });
      return;
    }
  } else if (!known) {
    throw refusal(action, limit, recent[recent.length - limit.maxCalls], at);
  }
  const oldest = await admitInTransaction(db, ref, uid, fn, limit, at);
  if (oldest !== undefined) throw refusal(action, limit, oldest, at);
}

async function storedLog(ref: DocumentReference): Promise<{ admitted: unknown[]; updateTime: Timestamp | null }> {
  const snap = await ref.get();
  const stored: unknown = snap.exists ? snap.get("admitted_ms") : undefined;
  return { admitted: Array.isArray(stored) ? stored : [], updateTime: snap.exists ? snap.updateTime! : null };
}

/** The log read, decided and written in one transaction: undefined when the call is admitted, else the admitted time that must leave the window first. */
async function admitInTransaction(
  db: Firestore,
  ref: DocumentReference,
  uid: string,
  fn: string,
  limit: RateLimit,
  at: number,
): Promise<number | undefined> {
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const stored: unknown = snap.exists ? snap.get("admitted_ms") : undefined;
    const recent = inWindow(Array.isArray(stored) ? stored : [], at, limit);
    if (recent.length >= limit.maxCalls) return recent[recent.length - limit.maxCalls];
    tx.set(ref, logFields(uid, fn, [...recent, at], at, limit));
    return undefined;
  });
}

function refusal(action: string, limit: RateLimit, oldest: number, at: number): HttpsError {
  const retryAfter = Math.max(1, Math.ceil((oldest + limit.windowMs - at) / 1000));
  return new HttpsError(
    "resource-exhausted",
    `Too many ${action} in a short time: at most ${limit.maxCalls} in any ${Math.round(limit.windowMs / 1000)} s. Try again in ${retryAfter} s.`,
    { limit: limit.maxCalls, window_seconds: limit.windowMs / 1000, retry_after_seconds: retryAfter },
  );
}

/** The admitted times within the window before `at`, oldest first. */
function inWindow(stored: readonly unknown[], at: number, limit: RateLimit): number[] {
  return stored.filter((t): t is number => typeof t === "number" && t > at - limit.windowMs).sort((a, b) => a - b);
}

function logFields(uid: string, fn: string, admitted: number[], at: number, limit: RateLimit) {
  return {
    uid,
    fn,
    admitted_ms: admitted,
    // For a TTL policy on rate_limits: an idle user's log deletes itself.
    expires_at: Timestamp.fromMillis(at + 2 * limit.windowMs),
  };
}
