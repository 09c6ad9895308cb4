import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { type ChainProblem } from "../../domain/audit-chain";
import { type AgentDeps } from "../../shared/agent-deps";
import { START_OF_LOG, walkAuditLogSegment, type AuditLogWalkState } from "../../shared/audit-log-walk";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId } from "../../shared/document-id";
import { isUnmetPrecondition } from "../../shared/firestore-errors";

/** Events one call walks by default: a few seconds' reading, far inside the callable's time. */
export const SEGMENT_EVENTS = 20_000;
export const MAX_SEGMENT_EVENTS = 50_000;
/** Problems a run keeps whole; the count says how many there were. */
const PROBLEMS_KEPT = 100;
/** A run left unfinished longer is not walked on: a verdict spread over days would speak of no moment of the log. */
const RUN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export const verifyAuditLogInput = z
  .object({
    /** A verification this user started: the call walks on from where its last call stopped. */
    run_id: documentId(40).optional(),
    max_events: z.number().int().min(1).max(MAX_SEGMENT_EVENTS).optional(),
  })
  .strict()
  .nullish();

export interface AuditLogVerification {
  run_id: string;
  /** The walk reached the log's end: `ok` and the counts then speak of the whole log. */
  complete: boolean;
  /** Every chain walked to its end with no break; false while the walk is not complete. */
  ok: boolean;
  streams: number;
  events: number;
  /** Each broken chain's first break, the first PROBLEMS_KEPT of them. */
  problems: ChainProblem[];
  problems_count: number;
  started_at: string;
  /** When the walk reached the log's end; null while it has not. */
  finished_at: string | null;
}

interface StoredRun {
  started_by: string;
  started_at: Timestamp;
  status: "running" | "complete";
  state: AuditLogWalkState;
  streams: number;
  events: number;
  problems: ChainProblem[];
  problems_count: number;
  calls: number;
  updated_at: Timestamp;
  finished_at?: Timestamp;
}

/**
 * The `verifyAuditLog` callable (auditors, admins): walks every chain a segment at a time and
 * reports each first break. A call without `run_id` starts a verification; each later call with
 * it walks on, until `complete`. The run is kept server-side (`audit_verifications/{run_id}`):
 * its verdict is the server's, and who verified the log, and when, is on record.
 */
export async function verifyAuditLogCallable(
  deps: AgentDeps,
  input: z.output<typeof verifyAuditLogInput>,
  caller: Caller,
): Promise<AuditLogVerification> {
  const { db, clock } = deps;
  const maxEvents = input?.max_events ?? SEGMENT_EVENTS;
  const runs = db.collection(COLLECTIONS.auditVerifications);
  const ref = input?.run_id ? runs.doc(input.run_id) : runs.doc();
  let run: StoredRun;
  let readAt: Timestamp | undefined;
  if (input?.run_id) {
    const snap = await ref.get();
    if (!snap.exists) throw new HttpsError("not-found", `No audit-log verification ${input.run_id}; start one without run_id.`);
    run = snap.data() as StoredRun;
    if (run.started_by !== caller.uid) {
      throw new HttpsError("permission-denied", `Audit-log verification ${input.run_id} was started by another user; start your own.`);
    }
    if (run.status === "complete") return answer(ref.id, run);
    if (clock.now().getTime() - run.started_at.toMillis() > RUN_MAX_AGE_MS) {
      throw new HttpsError(
        "failed-precondition",
        `Audit-log verification ${input.run_id} was started more than a day ago and never finished; start a new one.`,
      );
    }
    readAt = snap.updateTime;
  } else {
    const now = Timestamp.fromDate(clock.now());
    run = {
      started_by: caller.uid,
      started_at: now,
      status: "running",
      state: START_OF_LOG,
      streams: 0,
      events: 0,
      problems: [],
      problems_count: 0,
      calls: 0,
      updated_at: now,
    };
  }
  const segment = await walkAuditLogSegment(db, run.state, maxEvents);
  const now = Timestamp.fromDate(clock.now());
  const next: StoredRun = {
    ...run,
    status: segment.complete ? "complete" : "running",
    state: segment.state,
    streams: run.streams + segment.streams,
    events: run.events + segment.events,
    problems: [...run.problems, ...segment.problems].slice(0, PROBLEMS_KEPT),
    problems_count: run.problems_count + segment.problems.length,
    calls: run.calls + 1,
    updated_at: now,
    ...(segment.complete ? { finished_at: now } : {}),
  };
  try {
    // Two calls walking on from the same point would count the same events twice: the second is refused.
    if (readAt) await ref.update({ ...next }, { lastUpdateTime: readAt });
    else await ref.create(next);
  } catch (error) {
    if (!isUnmetPrecondition(error)) throw error;
    throw new HttpsError(
      "aborted",
      `Audit-log verification ${ref.id} was walked on by another call meanwhile; call again to go on from where it stands.`,
    );
  }
  return answer(ref.id, next);
}

function answer(runId: string, run: StoredRun): AuditLogVerification {
  const complete = run.status === "complete";
  return {
    run_id: runId,
    complete,
    ok: complete && run.problems_count === 0,
    streams: run.streams,
    events: run.events,
    problems: run.problems,
    problems_count: run.problems_count,
    started_at: run.started_at.toDate().toISOString(),
    finished_at: run.finished_at ? run.finished_at.toDate().toISOString() : null,
  };
}
