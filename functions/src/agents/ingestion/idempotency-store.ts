/**
 * Idempotency records, `ingest_requests/{key_id}_{hash of the Idempotency-Key}`: one per key and
 * idempotency key (two gateways may pick the same UUID), holding the body's hash, a lease while
 * the request runs and the response once it is done. `expires_at` is for a TTL policy.
 */
import { runTransaction } from "../../shared/transaction";
import { createHash, randomUUID } from "node:crypto";
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { decideIdempotency, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, type IdempotencyRecord } from "../../domain/idempotency";
import { COLLECTIONS } from "../../shared/collections";

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type Reservation =
  | { kind: "proceed"; ref: DocumentReference; token: string }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "body_mismatch" }
  | { kind: "in_flight"; retryAfterSeconds: number };

export function idempotencyRef(db: Firestore, keyId: string, idempotencyKey: string): DocumentReference {
  const digest = createHash("sha256").update(idempotencyKey, "utf8").digest("hex").slice(0, 40);
  return db.doc(`${COLLECTIONS.ingestRequests}/${keyId}_${digest}`);
}

/** What the record (`snap`, as a transaction read it) says of this request, before anything is reserved. */
export function idempotencyStanding(
  snap: DocumentSnapshot,
  bodySha256: string,
  now: Date,
): Exclude<Reservation, { kind: "proceed" }> | undefined {
  const record = snap.exists ? (snap.data() as IdempotencyRecord & { response_json?: string }) : undefined;
  const decision = decideIdempotency(record, bodySha256, now.getTime());
  if (decision.kind === "replay") return { kind: "replay", response: JSON.parse(String(record?.response_json)) as StoredResponse };
  return decision.kind === "proceed" ? undefined : decision;
}

/** Reserves the key in `tx` when the record (`snap`, as the transaction read it) allows; otherwise says why not. */
export function reserveIdempotencyKey(tx: Transaction, snap: DocumentSnapshot, bodySha256: string, now: Date): Reservation {
  const standing = idempotencyStanding(snap, bodySha256, now);
  if (standing) return standing;
  const token = randomUUID();
  tx.set(snap.ref, {
    state: "in_flight",
    body_sha256: bodySha256,
    token,
    started_at: Timestamp.fromDate(now),
    lease_until_ms: now.getTime() + IDEMPOTENCY_LEASE_MS,
    ...expiry(now),
  });
  return { kind: "proceed", ref: snap.ref, token };
}

/** A request answered in the transaction that did its work: the record is born completed, no lease. */
export function storeCompleted(tx: Transaction, ref: DocumentReference, bodySha256: string, response: StoredResponse, now: Date): void {
  tx.set(ref, completedRecord(bodySha256, response, now));
}

/** The record of a request answered in the commit that did its work. */
export function completedRecord(bodySha256: string, response: StoredResponse, now: Date): Record<string, unknown> {
  return { body_sha256: bodySha256, started_at: Timestamp.fromDate(now), ...expiry(now), ...completionFields(response, now) };
}

function expiry(now: Date) {
  return { expires_at_ms: now.getTime() + IDEMPOTENCY_TTL_MS, expires_at: Timestamp.fromMillis(now.getTime() + IDEMPOTENCY_TTL_MS) };
}

/** The response is kept as JSON text: one opaque field, nothing for Firestore to index. */
export function completionFields(response: StoredResponse, now: Date): Record<string, unknown> {
  return { state: "completed", response_json: JSON.stringify(response), completed_at: Timestamp.fromDate(now) };
}

export async function completeIdempotencyKey(ref: DocumentReference, response: StoredResponse, now: Date): Promise<void> {
  await ref.update(completionFields(response, now));
}

/** After a failure: frees the key for a retry, unless another request has taken it over since. */
export async function releaseIdempotencyKey(db: Firestore, ref: DocumentReference, token: string): Promise<void> {
  await runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists && snap.get("token") === token && snap.get("state") === "in_flight") tx.delete(ref);
  });
}
