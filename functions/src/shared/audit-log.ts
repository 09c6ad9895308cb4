import { runTransaction } from "./transaction";
import {
  Timestamp,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from "firebase-admin/firestore";
import { auditEventHash, GENESIS_HASH, type AuditEventContent, type ChainedAuditEvent } from "../domain/audit-chain";
import { COLLECTIONS } from "./collections";

/**
 * The append-only audit log: one hash chain per stream (per partner, per receipt, per
 * agent), so no single head document takes every write of a burst. Each event's hash
 * covers its content and the previous event's hash; the head document
 * `audit_chains/{stream}` holds the last sequence number and hash, allocated in the same
 * transaction that creates the event. Event ids are business keys (for example the trigger
 * event id), so a replay finds its event already there and appends nothing.
 */
export interface AuditEventInput {
  /** Business key of the event: the same key twice appends once. */
  eventId: string;
  stream: string;
  actor: string;
  action: string;
  subject: string;
  /** Plain JSON data (no Timestamps): it is hashed canonically. */
  details: Record<string, unknown>;
}

export interface PreparedAppend {
  input: AuditEventInput;
  alreadyLogged: boolean;
  seq: number;
  prevHash: string;
}

/** Transaction step 1 (reads): where the event goes, or that it is already logged. */
export async function prepareAuditAppend(db: Firestore, tx: Transaction, input: AuditEventInput): Promise<PreparedAppend> {
  const [event, head] = await tx.getAll(...auditAppendRefs(db, input));
  return preparedAppend(input, event, head);
}

/**
 * What step 1 reads, [event, head]: a transaction that knows the event's id and stream before it
 * starts reads them with its other documents, in one round trip, and prepares with preparedAppend.
 */
export function auditAppendRefs(db: Firestore, key: { eventId: string; stream: string }): [DocumentReference, DocumentReference] {
  return [db.doc(`${COLLECTIONS.auditLog}/${key.eventId}`), db.doc(`${COLLECTIONS.auditChains}/${key.stream}`)];
}

export function preparedAppend(input: AuditEventInput, event: DocumentSnapshot, head: DocumentSnapshot): PreparedAppend {
  const seq = head.exists ? Number(head.get("seq")) + 1 : 1;
  const prevHash = head.exists ? String(head.get("hash")) : GENESIS_HASH;
  return { input, alreadyLogged: event.exists, seq, prevHash };
}

/** Transaction step 2 (writes): the event and the chain's new head. */
export function writeAuditAppend(db: Firestore, tx: Transaction, prepared: PreparedAppend, at: Date): void {
  if (prepared.alreadyLogged) return;
  const { eventId, ...content } = prepared.input;
  const stored: AuditEventContent = { ...content, seq: prepared.seq, at, prev_hash: prepared.prevHash };
  const hash = auditEventHash(stored);
  tx.create(db.doc(`${COLLECTIONS.auditLog}/${eventId}`), { ...stored, at: Timestamp.fromDate(at), hash });
  tx.set(db.doc(`${COLLECTIONS.auditChains}/${prepared.input.stream}`), {
    stream: prepared.input.stream,
    seq: prepared.seq,
    hash,
    last_event_id: eventId,
    updated_at: Timestamp.fromDate(at),
  });
}

/** Appends one event in its own transaction; returns false when it was already logged. */
export async function appendAuditEvent(db: Firestore, input: AuditEventInput, at: Date): Promise<boolean> {
  return runTransaction(db, async (tx) => {
    const prepared = await prepareAuditAppend(db, tx, input);
    writeAuditAppend(db, tx, prepared, at);
    return !prepared.alreadyLogged;
  });
}

/** A stored audit-log event as the chain check reads it. */
export function auditEventOf(id: string, data: DocumentData): ChainedAuditEvent {
  return {
    id,
    seq: Number(data.seq),
    at: data.at instanceof Timestamp ? data.at.toDate() : new Date(NaN),
    stream: String(data.stream),
    actor: String(data.actor),
    action: String(data.action),
    subject: String(data.subject),
    details: (data.details ?? {}) as Record<string, unknown>,
    prev_hash: String(data.prev_hash),
    hash: String(data.hash),
  };
}
