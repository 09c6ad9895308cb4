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

/**
 * Walks one stream's events in sequence order and reports the first break: an event whose
 * content no longer matches its hash (edited), a gap in the sequence or a head beyond the
 * last event (missing), or an event that does not follow its predecessor (inserted).
 */
export function verifyChain(stream: string, events: readonly ChainedAuditEvent[], head: ChainHead | null): ChainProblem | null {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const event of events) {
    if (event.seq < expectedSeq) {
      return {
        kind: "inserted",
        stream,
        seq: event.seq,
        event_id: event.id,
        message: `event ${event.id} repeats sequence number ${event.seq}`,
      };
    }
    if (event.seq > expectedSeq) {
      return {
        kind: "missing",
        stream,
        seq: expectedSeq,
        message: `event ${expectedSeq} of stream ${stream} is missing (next found: ${event.seq})`,
      };
    }
    if (event.prev_hash !== prevHash) {
      return {
        kind: "inserted",
        stream,
        seq: event.seq,
        event_id: event.id,
        message: `event ${event.id} does not follow event ${event.seq - 1} (prev_hash differs)`,
      };
    }
    if (auditEventHash(event) !== event.hash) {
      return {
        kind: "edited",
        stream,
        seq: event.seq,
        event_id: event.id,
        message: `event ${event.id} (seq ${event.seq}) was edited: its content no longer matches its hash`,
      };
    }
    prevHash = event.hash;
    expectedSeq += 1;
  }
  const lastSeq = expectedSeq - 1;
  if (head && head.seq > lastSeq) {
    return {
      kind: "missing",
      stream,
      seq: lastSeq + 1,
      message: `stream ${stream} ends at event ${lastSeq} but its head says ${head.seq}`,
    };
  }
  if (head && head.seq === lastSeq && lastSeq > 0 && head.hash !== prevHash) {
    return { kind: "head_mismatch", stream, seq: lastSeq, message: `the head of stream ${stream} does not hold the last event's hash` };
  }
  if (!head && lastSeq > 0) {
    return { kind: "head_mismatch", stream, seq: lastSeq, message: `stream ${stream} has events but no head` };
  }
  return null;
}
