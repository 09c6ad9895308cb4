/**
 * The endpoint's per-key limit: a fixed window on `rate_limits/apikey_{key_id}`, one document per
 * key (a gateway's bursts touch only its own), counted inside the request's admission transaction.
 */
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";

export interface KeyRateLimit {
  maxRequests: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function keyRateRef(db: Firestore, keyId: string): DocumentReference {
  return db.doc(`${COLLECTIONS.rateLimits}/apikey_${keyId}`);
}

/** Whether the window (`snap`, the counter as a transaction read it) has room for one more request. */
export function keyRateDecision(snap: DocumentSnapshot, limit: KeyRateLimit, now: Date): RateDecision {
  const { windowStart, count } = windowOf(snap, limit, now);
  if (count < limit.maxRequests) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limit.windowMs - now.getTime()) / 1000)) };
}

/** Counts the request in `tx` when the window has room; `snap` is the counter as the transaction read it. */
export function countKeyRequest(tx: Transaction, snap: DocumentSnapshot, keyId: string, limit: KeyRateLimit, now: Date): RateDecision {
  const decision = keyRateDecision(snap, limit, now);
  if (!decision.allowed) return decision;
  const { windowStart, count } = windowOf(snap, limit, now);
  tx.set(snap.ref, {
    key_id: keyId,
    fn: "ingestProduction",
    window_start_ms: windowStart,
    count: count + 1,
    expires_at: Timestamp.fromMillis(windowStart + 2 * limit.windowMs),
  });
  return decision;
}

function windowOf(snap: DocumentSnapshot, limit: KeyRateLimit, now: Date): { windowStart: number; count: number } {
  const current = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  const stored = snap.exists ? Number(snap.get("window_start_ms")) : NaN;
  // A request whose clock was read before the next window's first request committed counts in that
  // window: an older window never replaces it (which would start the count over). A window further
  // ahead (an instance with a clock gone wrong) is not honoured: it would hold the count for long.
  if (stored === current || stored === current + limit.windowMs) return { windowStart: stored, count: Number(snap.get("count")) || 0 };
  return { windowStart: current, count: 0 };
}
