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

/** A key's window as its counter stores it. */
export interface KeyCount {
  windowStart: number;
  count: number;
}

/** The counter's window and count as `snap` holds them (undefined when it holds none). */
export function storedCount(snap: DocumentSnapshot): KeyCount | undefined {
  if (!snap.exists) return undefined;
  return { windowStart: Number(snap.get("window_start_ms")), count: Number(snap.get("count")) || 0 };
}

/** Whether the window (`snap`, the counter as a transaction read it) has room for one more request. */
export function keyRateDecision(snap: DocumentSnapshot, limit: KeyRateLimit, now: Date): RateDecision {
  return countAfter(storedCount(snap), limit, now).decision;
}

/** Counts the request in `tx` when the window has room; `snap` is the counter as the transaction read it. */
export function countKeyRequest(tx: Transaction, snap: DocumentSnapshot, keyId: string, limit: KeyRateLimit, now: Date): RateDecision {
  const { decision, next } = countAfter(storedCount(snap), limit, now);
  if (next) tx.set(snap.ref, counterFields(keyId, next, limit));
  return decision;
}

/** The decision for one more request against the stored window, and the window counting it when allowed. */
export function countAfter(stored: KeyCount | undefined, limit: KeyRateLimit, now: Date): { decision: RateDecision; next?: KeyCount } {
  const { windowStart, count } = windowOf(stored, limit, now);
  if (count >= limit.maxRequests) {
    return {
      decision: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limit.windowMs - now.getTime()) / 1000)) },
    };
  }
  return { decision: { allowed: true }, next: { windowStart, count: count + 1 } };
}

/** The counter document holding `next`. */
export function counterFields(keyId: string, next: KeyCount, limit: KeyRateLimit): Record<string, unknown> {
  return {
    key_id: keyId,
    fn: "ingestProduction",
    window_start_ms: next.windowStart,
    count: next.count,
    expires_at: Timestamp.fromMillis(next.windowStart + 2 * limit.windowMs),
  };
}

function windowOf(stored: KeyCount | undefined, limit: KeyRateLimit, now: Date): KeyCount {
  const current = Math.floor(now.getTime() / limit.windowMs) * limit.windowMs;
  // A request whose clock was read before the next window's first request committed counts in that
  // window: an older window never replaces it (which would start the count over). A window further
  // ahead (an instance with a clock gone wrong) is not honoured: it would hold the count for long.
  if (stored && (stored.windowStart === current || stored.windowStart === current + limit.windowMs)) return stored;
  return { windowStart: current, count: 0 };
}
