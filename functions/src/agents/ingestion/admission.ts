/**
 * A request's admission in one transaction: the per-key count, the partner's state and, for a
 * batch that passed every check of its own, the Idempotency-Key reservation. One round trip of
 * reads (three documents) and one commit, whatever the outcome.
 */
import { type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";
import { reserveIdempotencyKey, type Reservation } from "./idempotency-store";
import { countKeyRequest, keyRateRef, type KeyRateLimit, type RateDecision } from "./key-rate-limit";

export type PartnerState = "active" | "not active" | "unknown";

export interface Admission {
  rate: RateDecision;
  partner: PartnerState;
  /** Only for an admitted request of an active partner that asked for one. */
  reservation?: Reservation;
}

export async function admitRequest(
  db: Firestore,
  request: {
    keyId: string;
    partnerId: string;
    limit: KeyRateLimit;
    now: Date;
    idempotency?: { ref: DocumentReference; bodySha256: string };
  },
): Promise<Admission> {
  const { keyId, partnerId, limit, now, idempotency } = request;
  const refs = [keyRateRef(db, keyId), db.doc(`${COLLECTIONS.partners}/${partnerId}`), ...(idempotency ? [idempotency.ref] : [])];
  return db.runTransaction(async (tx) => {
    const [counter, partner, record] = await tx.getAll(...refs);
    const state: PartnerState = !partner.exists ? "unknown" : partner.get("active") === true ? "active" : "not active";
    const rate = countKeyRequest(tx, counter, keyId, limit, now);
    if (!rate.allowed || !idempotency || state !== "active") return { rate, partner: state };
    return { rate, partner: state, reservation: reserveIdempotencyKey(tx, record, idempotency.bodySha256, now) };
  });
}
