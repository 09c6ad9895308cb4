/**
 * The endpoint's per-key limit: a fixed window counted in a transaction on
 * `rate_limits/apikey_{key_id}`, one document per key (a gateway's bursts touch only its own).
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";

export interface KeyRateLimit {
  maxRequests: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function countKeyRequest(db: Firestore, keyId: string, limit: KeyRateLimit, now: Date): Promise<RateDecision> {
  const ref = db.doc(`${COLLECTIONS.rateLimits}/apikey_${keyId}`);
  const windowStart = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const allowed = await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const count = snap.exists && snap.get("window_start_ms") === windowStart ? Number(snap.get("count")) : 0;
    if (count >= limit.maxRequests) return false;
    tx.set(ref, {
      key_id: keyId,
      fn: "ingestProduction",
      window_start_ms: windowStart,
      count: count + 1,
      expires_at: Timestamp.fromMillis(windowStart + 2 * limit.windowMs),
    });
    return true;
  });
  if (allowed) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limit.windowMs - now.getTime()) / 1000)) };
}
