import { canonicalJson } from "./canonical-json";
import { sha256Hex } from "./report-hash";

/** The hash before a stream's first event. */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditEventContent {
  seq: number;
  at: Date;
  stream: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  prev_hash: string;
}

export interface ChainedAuditEvent extends AuditEventContent {
  id: string;
  hash: string;
}

/** sha256 over the canonical content, including the previous event's hash. */
export function auditEventHash(event: AuditEventContent): string {
  return sha256Hex(
    canonicalJson({
      seq: event.seq,
      at: event.at.toISOString(),
      stream: event.stream,
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      details: event.details,
      prev_hash: event.prev_hash,
    }),
  );
}

export type ChainProblemKind = "edited" | "missing" | "inserted" | "head_mismatch";

export interface ChainProblem {
  kind: ChainProblemKind;
  stream: string;
  seq: number;
  event_id?: string;
  message: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Where the walk of one stream stands: the next sequence number and hash it expects. */
export interface ChainWalk {
  stream: string;
  next_seq: number;
  prev_hash: string;
  /** Its first break is reported: the events after it are not judged. */
  broken: boolean;
  /** The last event walked, to name beside one that repeats its sequence number. */
  prev_id?: string;
}

export function startChainWalk(stream: string): ChainWalk {
  return { stream, next_seq: 1, prev_hash: GENESIS_HASH, broken: false };
}

/** Takes the stream's next event in sequence order; the first break is returned, and the walk is broken from then on. */
export function stepChainWalk(walk: ChainWalk, event: ChainedAuditEvent): ChainProblem | null {
  if (walk.broken) return null;
  const problem = eventProblem(walk, event);
  if (problem) {
    walk.broken = true;
    return problem;
  }
  walk.prev_hash = event.hash;
  walk.prev_id = event.id;
  walk.next_seq += 1;
  return null;
}

function eventProblem(walk: ChainWalk, event: ChainedAuditEvent): ChainProblem | null {
  const { stream } = walk;
  if (!Number.isInteger(event.seq)) {
    return {
      kind: "edited",
      stream,
      seq: walk.next_seq,
      event_id: event.id,
      message: `event ${event.id} holds no sequence number: it was edited`,
    };
  }
  if (event.seq < walk.next_seq) {
    // Which of the two is genuine the chain cannot tell when the other's hash links too: both are named.
    const other = event.seq === walk.next_seq - 1 && walk.prev_id ? ` of event ${walk.prev_id}` : "";
    return {
      kind: "inserted",
      stream,
      seq: event.seq,
      event_id: event.id,
      message: `event ${event.id} repeats sequence number ${event.seq}${other}`,
    };
  }
  if (event.seq > walk.next_seq) {
    return {
      kind: "missing",
      stream,
      seq: walk.next_seq,
      message: `event ${walk.next_seq} of stream ${stream} is missing (next found: ${event.seq})`,
    };
  }
  if (event.prev_hash !== walk.prev_hash) {
    return {
      kind: "inserted",
      stream,
      seq: event.seq,
      event_id: event.id,
      message: `event ${event.id} does not follow event ${event.seq - 1} (prev_hash differs)`,
    };
  }
  if (hashOf(event) !== event.hash) {
    return {
      kind: "edited",
      stream,
      seq: event.seq,
      event_id: event.id,
      message: `event ${event.id} (seq ${event.seq}) was edited: its content no longer matches its hash`,
    };
  }
  return null;
}

/**
 * The stream's end against its head: a head beyond the last event (missing), a head not holding
 * the last event's hash, or events with no head. Events beyond the head are not judged here: a
 * reader of the head before the events may meet later appends (see shared/audit-log-walk.ts).
 */
export function endChainWalk(walk: ChainWalk, head: ChainHead | null): ChainProblem | null {
  if (walk.broken) return null;
  const { stream } = walk;
  const lastSeq = walk.next_seq - 1;
  if (head && head.seq > lastSeq) {
    return {
      kind: "missing",
      stream,
      seq: lastSeq + 1,
      message: `stream ${stream} ends at event ${lastSeq} but its head says ${head.seq}`,
    };
  }
  if (head && head.seq === lastSeq && lastSeq > 0 && head.hash !== walk.prev_hash) {
    return { kind: "head_mismatch", stream, seq: lastSeq, message: `the head of stream ${stream} does not hold the last event's hash` };
  }
  if (!head && lastSeq > 0) {
    return { kind: "head_mismatch", stream, seq: lastSeq, message: `stream ${stream} has events but no head` };
  }
  return null;
}

/**
 * Walks one stream's events in sequence order and reports the first break: an event whose
 * content no longer matches its hash (edited), a gap in the sequence or a head beyond the
 * last event (missing), or an event that does not follow its predecessor (inserted).
 */
export function verifyChain(stream: string, events: readonly ChainedAuditEvent[], head: ChainHead | null): ChainProblem | null {
  const walk = startChainWalk(stream);
  for (const event of events) {
    const problem = stepChainWalk(walk, event);
    if (problem) return problem;
  }
  return endChainWalk(walk, head);
}

/** The event's hash, or null when its content cannot be hashed (a time or a detail edited into something else). */
function hashOf(event: ChainedAuditEvent): string | null {
  try {
    return auditEventHash(event);
  } catch {
    return null;
  }
}

/**
 * The ids a receipt stream's events are written under: business keys made of their action and the
 * id of the document they are about (their subject, `collection/id`). An event's hash covers its
 * subject but not its id, so the verifier checks the id against this rule.
 */
const RECEIPT_EVENT_IDS = {
  reconciliation_completed: { collection: "reconciliations", prefix: "reconcile_" },
  reconciliation_superseded: { collection: "reconciliations", prefix: "superseded_" },
  reconciliation_released: { collection: "reconciliations", prefix: "release_" },
  receipt_withdrawn: { collection: "terminal_receipts", prefix: "receipt_withdrawn_" },
} as const;

export type ReceiptEventAction = keyof typeof RECEIPT_EVENT_IDS;

/** The id of a receipt stream's `action` event about the document `documentId`. */
export function receiptEventId(action: ReceiptEventAction, documentId: string): string {
  return `${RECEIPT_EVENT_IDS[action].prefix}${documentId}`;
}

/**
 * The ids a notification round's event could have in a receipt's stream, where rounds were logged
 * until 2026-11-30 (since then in `notify_receipt_{id}`): `notify_{version}`, and `_release` after
 * it for a release's round. Empty for any other event.
 */
export function legacyReceiptNotifyIds(event: Pick<AuditEventContent, "action" | "subject">): string[] {
  const prefix = "reconciliations/";
  if (event.action !== "notifications_sent" || typeof event.subject !== "string" || !event.subject.startsWith(prefix)) return [];
  const version = event.subject.slice(prefix.length);
  return version === "" || version.includes("/") ? [] : [`notify_${version}`, `notify_${version}_release`];
}

/** The id an event of a receipt stream must have, from its action and subject; undefined when no rule covers them. */
export function expectedReceiptEventId(event: Pick<AuditEventContent, "action" | "subject">): string | undefined {
  if (typeof event.action !== "string" || typeof event.subject !== "string" || !Object.hasOwn(RECEIPT_EVENT_IDS, event.action)) {
    return undefined;
  }
  const rule = RECEIPT_EVENT_IDS[event.action as ReceiptEventAction];
  if (!event.subject.startsWith(`${rule.collection}/`)) return undefined;
  const documentId = event.subject.slice(rule.collection.length + 1);
  return documentId === "" || documentId.includes("/") ? undefined : `${rule.prefix}${documentId}`;
}
