/**
 * Idempotency-Key semantics for POST /v1/production: the same key with the same body gets the
 * stored response for 24 h; with another body it is refused; while the first request is still
 * being processed a second one is told so. A request whose processing died leaves a lease that
 * expires, after which the key may be used again.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Longer than the endpoint's timeout, so a live request's lease never lapses under it. */
export const IDEMPOTENCY_LEASE_MS = 120_000;
/** Printable ASCII, 1 to 255 characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;

export interface IdempotencyRecord {
  state: "in_flight" | "completed";
  body_sha256: string;
  expires_at_ms: number;
  lease_until_ms?: number;
}

export type IdempotencyDecision =
  { kind: "proceed" } | { kind: "replay" } | { kind: "body_mismatch" } | { kind: "in_flight"; retryAfterSeconds: number };

export function decideIdempotency(record: IdempotencyRecord | undefined, bodySha256: string, nowMs: number): IdempotencyDecision {
  if (record === undefined || nowMs >= record.expires_at_ms) return { kind: "proceed" };
  if (record.body_sha256 !== bodySha256) return { kind: "body_mismatch" };
  if (record.state === "completed") return { kind: "replay" };
  const leaseUntil = record.lease_until_ms ?? 0;
  // A live request usually finishes in seconds: ask for a short wait, not the whole lease.
  if (leaseUntil > nowMs) return { kind: "in_flight", retryAfterSeconds: Math.min(5, Math.max(1, Math.ceil((leaseUntil - nowMs) / 1000))) };
  return { kind: "proceed" };
}
