import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

export interface RateLimit {
  /** Calls allowed per user and function in one window. */
  maxCalls: number;
  windowMs: number;
}

/**
 * Fixed-window limit per user and function: `rate_limits/{uid}_{fn}` counts the calls of
 * the current window inside a transaction. One document per user and function, so only one
 * user's own bursts touch it.
 */
export async function enforceRateLimit(
  db: Firestore,
  uid: string,
  fn: string,
  limit: RateLimit,
  now: Date,
): Promise<void> {
  const ref = db.doc(`${COLLECTIONS.rateLimits}/${uid}_${fn}`);
  const windowStart = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const allowed = await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const sameWindow = snap.exists && snap.get("window_start_ms") === windowStart;
    const count = sameWindow ? Number(snap.get("count")) : 0;
    if (count >= limit.maxCalls) return false;
    tx.set(ref, {
      uid,
      fn,
      window_start_ms: windowStart,
      count: count + 1,
      // For a TTL policy on rate_limits: stale windows delete themselves.
      expires_at: Timestamp.fromMillis(windowStart + 2 * limit.windowMs),
    });
    return true;
  });
  if (!allowed) {
    const retryAfter = Math.ceil((windowStart + limit.windowMs - now.getTime()) / 1000);
    throw new HttpsError(
      "resource-exhausted",
      `Rate limit: at most ${limit.maxCalls} ${fn} calls per ${Math.round(limit.windowMs / 1000)} s; try again in ${retryAfter} s.`,
      { limit: limit.maxCalls, window_seconds: limit.windowMs / 1000, retry_after_seconds: retryAfter },
    );
  }
}
