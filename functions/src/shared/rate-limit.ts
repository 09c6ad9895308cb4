import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

export interface RateLimit {
  /** Calls allowed per user and function in any window of `windowMs`. */
  maxCalls: number;
  windowMs: number;
}

/**
 * Sliding-log limit per user and function: `rate_limits/{uid}_{fn}` keeps the times of the
 * calls admitted in the last window (at most `maxCalls` numbers), inside a transaction. A call
 * is admitted only if fewer than `maxCalls` were admitted in the `windowMs` before it, so no
 * window of that length, wherever it starts, ever holds more than `maxCalls` calls (a fixed
 * window admits twice the limit around its boundary). Counted before the payload is parsed, so
 * invalid calls count too. One document per user and function: only one user's own bursts
 * touch it. `action` says in the refusal what the calls are ("reconciliations"), `fn` keys the log.
 */
export async function enforceRateLimit(db: Firestore, uid: string, fn: string, action: string, limit: RateLimit, now: Date): Promise<void> {
  const ref = db.doc(`${COLLECTIONS.rateLimits}/${uid}_${fn}`);
  const at = now.getTime();
  const oldest = await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const stored = snap.exists ? snap.get("admitted_ms") : undefined;
    const recent = (Array.isArray(stored) ? stored : []).filter((t): t is number => typeof t === "number" && t > at - limit.windowMs);
    recent.sort((a, b) => a - b);
    if (recent.length >= limit.maxCalls) return recent[recent.length - limit.maxCalls];
    tx.set(ref, {
      uid,
      fn,
      admitted_ms: [...recent, at],
      // For a TTL policy on rate_limits: an idle user's log deletes itself.
      expires_at: Timestamp.fromMillis(at + 2 * limit.windowMs),
    });
    return undefined;
  });
  if (oldest !== undefined) {
    const retryAfter = Math.max(1, Math.ceil((oldest + limit.windowMs - at) / 1000));
    throw new HttpsError(
      "resource-exhausted",
      `Too many ${action} in a short time: at most ${limit.maxCalls} in any ${Math.round(limit.windowMs / 1000)} s. Try again in ${retryAfter} s.`,
      { limit: limit.maxCalls, window_seconds: limit.windowMs / 1000, retry_after_seconds: retryAfter },
    );
  }
}
