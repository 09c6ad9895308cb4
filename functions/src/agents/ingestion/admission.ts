/**
 * A request's admission: the per-key count, the partner's state and the Idempotency-Key, read in
 * one round trip inside a transaction. Usually the batch is written in that same transaction
 * (`admitAndCreate`); a batch holding a ticket already stored is admitted by `admitRequest`,
 * which reserves the Idempotency-Key for the slower write that sorts out its duplicates.
 */
import { runTransaction } from "../../shared/transaction";
import { type DocumentReference, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";
import { CLOSE_HORIZON_PATH, daysToCheck, readHorizon, writeHorizon } from "../../shared/close-horizon";
import { idempotencyStanding, reserveIdempotencyKey, storeCompleted, type Reservation, type StoredResponse } from "./idempotency-store";
import { countKeyRequest, keyRateDecision, keyRateRef, type KeyRateLimit, type RateDecision } from "./key-rate-limit";

export type PartnerState = "active" | "not active" | "unknown";

export interface Admission {
  rate: RateDecision;
  partner: PartnerState;
  /**
   * Only for an admitted request that asked for one: of an active partner, or the replay of a
   * completed request (or the word that it still runs) whatever the partner's state now.
   */
  reservation?: Reservation;
}

interface AdmissionRequest {
  keyId: string;
  partnerId: string;
  limit: KeyRateLimit;
  now: Date;
}

/**
 * With `idempotency`, the request's Idempotency-Key is reserved, or, with `lookOnly` (a request
 * that cannot be written now), only what its record says is told: a replay, another body, in flight.
 */
export async function admitRequest(
  db: Firestore,
  request: AdmissionRequest & { idempotency?: { ref: DocumentReference; bodySha256: string; lookOnly?: boolean } },
): Promise<Admission> {
  const { keyId, limit, now, idempotency } = request;
  return runTransaction(db, async (tx) => {
    const [counter, partner, record] = await tx.getAll(...admissionRefs(db, request), ...(idempotency ? [idempotency.ref] : []));
    const state = partnerState(partner);
    const rate = countKeyRequest(tx, counter, keyId, limit, now);
    if (!rate.allowed || !idempotency) return { rate, partner: state };
    const standing = idempotencyStanding(record, idempotency.bodySha256, now);
    if (state !== "active") return { rate, partner: state, ...replayOnly(standing) };
    if (idempotency.lookOnly) return { rate, partner: state, ...(standing ? { reservation: standing } : {}) };
    return { rate, partner: state, reservation: reserveIdempotencyKey(tx, record, idempotency.bodySha256, now) };
  });
}

/**
 * What the one-transaction path did: wrote the batch, was stopped by its admission (nothing of
 * the batch written), or was refused by one of its checks (nothing written or counted).
 */
export type AdmittedCreate<T, R> = { written: T; reads: AdmissionReads } | { admission: Admission } | { refused: R };

/** What a written batch's transaction read, as of its commit: the partner, the horizon (absent or rebuilt: none) and the checks' documents. */
export interface AdmissionReads {
  partner: DocumentSnapshot;
  horizon?: DocumentSnapshot;
  checks: DocumentSnapshot[];
}

/**
 * Admission and write in one transaction: the count, the partner, the Idempotency-Key record and
 * the close horizon (close-horizon.ts) in one round trip of reads, then the batch's days on or
 * before the horizon (usually none: a gateway reports days after the last close), then `write`
 * creates the entries in the transaction and the response is stored, completed, in the same
 * commit. A concurrent request with the same Idempotency-Key finds the completed record when its
 * own transaction is retried. Should an entry of the batch exist already, the commit fails with
 * ALREADY_EXISTS and nothing is written, counted or stored.
 */
export async function admitAndCreate<T, R = never>(
  db: Firestore,
  request: AdmissionRequest & {
    idempotency: { ref: DocumentReference; bodySha256: string };
    /** The batch's contract days: those that may be closed are read in the transaction. */
    days: readonly string[];
    /** Documents read in the same round trip and checked first; a refusal ends the transaction before any write. */
    checks?: ReadonlyArray<{ ref: DocumentReference; refusal: (snap: DocumentSnapshot) => R | undefined }>;
    /** Creates the batch; `closedDays` holds the records of the days that may be closed (absent ones are open). */
    write: (tx: Transaction, closedDays: DocumentSnapshot[]) => Promise<{ value: T; response: StoredResponse }>;
  },
): Promise<AdmittedCreate<T, R>> {
  const { keyId, limit, now, idempotency, days, checks = [], write } = request;
  return runTransaction(db, async (tx) => {
    const snaps = await tx.getAll(...admissionRefs(db, request), idempotency.ref, db.doc(CLOSE_HORIZON_PATH), ...checks.map((c) => c.ref));
    const [counter, partner, record, horizonSnap] = snaps;
    for (const [i, check] of checks.entries()) {
      const refused = check.refusal(snaps[4 + i]);
      if (refused !== undefined) return { refused };
    }
    const state = partnerState(partner);
    const standing = idempotencyStanding(record, idempotency.bodySha256, now);
    if (!keyRateDecision(counter, limit, now).allowed || state !== "active" || standing) {
      const rate = countKeyRequest(tx, counter, keyId, limit, now);
      if (!rate.allowed) return { admission: { rate, partner: state } };
      return { admission: { rate, partner: state, ...(state === "active" ? { reservation: standing } : replayOnly(standing)) } };
    }
    // Every read before the first write, as a transaction requires.
    const horizon = await readHorizon(db, tx, horizonSnap);
    const mayBeClosed = daysToCheck(days, horizon.latest).map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`));
    const closedDays = mayBeClosed.length > 0 ? await tx.getAll(...mayBeClosed) : [];
    // `write` may read (the entries of tickets on closed days) before it writes: it goes first.
    const { value, response } = await write(tx, closedDays);
    if (horizon.rebuilt) writeHorizon(db, tx, horizon.latest);
    countKeyRequest(tx, counter, keyId, limit, now);
    storeCompleted(tx, idempotency.ref, idempotency.bodySha256, response, now);
    return { written: value, reads: { partner, ...(horizon.rebuilt ? {} : { horizon: horizonSnap }), checks: snaps.slice(4) } };
  });
}

/**
 * A partner no longer active gets back only what a request already under way says: a completed
 * one's stored answer, or, while it runs, that it runs (its own write checks the partner again).
 */
function replayOnly(standing: Reservation | undefined): { reservation?: Reservation } {
  return standing?.kind === "replay" || standing?.kind === "in_flight" ? { reservation: standing } : {};
}

function admissionRefs(db: Firestore, request: AdmissionRequest): DocumentReference[] {
  return [keyRateRef(db, request.keyId), db.doc(`${COLLECTIONS.partners}/${request.partnerId}`)];
}

function partnerState(partner: DocumentSnapshot): PartnerState {
  return !partner.exists ? "unknown" : partner.get("active") === true ? "active" : "not active";
}
