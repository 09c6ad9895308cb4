import { type Firestore } from "firebase-admin/firestore";
import { logger } from "firebase-functions/logger";
import { COLLECTIONS, type AgentName } from "./collections";
import { incrementSharded } from "./sharded-counter";

/** The summary document is rewritten at most this often per instance (no hot document). */
export const STATUS_WRITE_INTERVAL_MS = 5_000;

const lastWritten = new Map<string, number>();

export interface AgentRun {
  ok: boolean;
  durationMs: number;
  error?: string;
}

/**
 * Counts every run exactly (sharded increments): the run when it begins, beside its work, so that
 * an answer waits for no count; a failure once it is known.
 */
function countRun(db: Firestore, agent: AgentName, amounts: { runs?: number; failures: number }): Promise<void> {
  return incrementSharded(db, `${COLLECTIONS.agentStatus}/${agent}`, amounts);
}

/**
 * Keeps `agent_status/{agent}` current: last run, last duration and last error, written at most
 * every few seconds per instance; a failure is written as soon as the interval allows, never
 * skipped for a success.
 */
async function recordLastRun(db: Firestore, agent: AgentName, run: AgentRun, now: Date): Promise<void> {
  const key = `${agent}:${run.ok ? "ok" : "error"}`;
  const previous = lastWritten.get(key) ?? 0;
  if (now.getTime() - previous < STATUS_WRITE_INTERVAL_MS) return;
  lastWritten.set(key, now.getTime());
  const summary: Record<string, unknown> = {
    agent,
    last_run_at: now,
    last_duration_ms: Math.round(run.durationMs),
    last_outcome: run.ok ? "ok" : "error",
  };
  if (!run.ok) {
    summary.last_error = (run.error ?? "unknown error").slice(0, 1000);
    summary.last_error_at = now;
  }
  await db.doc(`${COLLECTIONS.agentStatus}/${agent}`).set(summary, { merge: true });
}

/**
 * Times an agent's work and records it, rethrowing the failure after recording it; a failure to
 * record changes neither the result nor the error. An error
 * `isFailure` does not count (a callable's refusal of a bad request: the agent did its job) is
 * recorded as a run that went well.
 */
export async function withAgentStatus<T>(
  db: Firestore,
  agent: AgentName,
  clock: { now(): Date },
  work: () => Promise<T>,
  isFailure: (error: unknown) => boolean = () => true,
): Promise<T> {
  const started = clock.now().getTime();
  const counted = countRun(db, agent, { runs: 1, failures: 0 });
  counted.catch(() => undefined);
  try {
    const result = await work();
    // Bookkeeping only: its failure must not turn work that was done into an error (createApiKey's
    // answer is the only place its new key is ever shown).
    await Promise.all([counted, recordLastRun(db, agent, { ok: true, durationMs: clock.now().getTime() - started }, clock.now())]).catch(
      (error: unknown) => logger.warn("agent status not recorded", { agent, error: String(error) }),
    );
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const run: AgentRun = isFailure(error)
      ? { ok: false, durationMs: clock.now().getTime() - started, error: message }
      : { ok: true, durationMs: clock.now().getTime() - started };
    await Promise.all([
      counted,
      run.ok ? undefined : countRun(db, agent, { failures: 1 }),
      recordLastRun(db, agent, run, clock.now()),
    ]).catch(() => undefined);
    throw error;
  }
}

/**
 * Records a failed run of work done before a handler's {@link withAgentStatus} began (a trigger's
 * bookkeeping ahead of its run, such as the auditor's event lease): counted as a run and a
 * failure, then rethrown, so that an outage there shows on the agent's health as well.
 */
export async function countingFailures<T>(db: Firestore, agent: AgentName, clock: { now(): Date }, work: () => Promise<T>): Promise<T> {
  const started = clock.now().getTime();
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await Promise.all([
      countRun(db, agent, { runs: 1, failures: 1 }),
      recordLastRun(db, agent, { ok: false, durationMs: clock.now().getTime() - started, error: message }, clock.now()),
    ]).catch(() => undefined);
    throw error;
  }
}
