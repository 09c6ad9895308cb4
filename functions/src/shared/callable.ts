import { randomUUID } from "node:crypto";
import { logger } from "firebase-functions/logger";
import { errorForLog, withoutKeyHashes } from "./log-text";
import { HttpsError, onCall, type CallableOptions, type CallableRequest } from "firebase-functions/v2/https";
import { type z } from "zod";
import { productionDeps, type AgentDeps } from "./agent-deps";
import { withAgentStatus } from "./agent-status";
import { confirmCurrentRole, parseInput, requireRole, type Caller } from "./callable-guard";
import { malformedTextPath } from "../domain/well-formed-text";
import { type AgentName, type Role } from "./collections";
import { enforceRateLimit } from "./rate-limit";
import { isContention } from "./firestore-errors";

/** `prefetched`: the spec's prefetch, when it has one and the payload was well-formed. */
export type CallableHandler<S extends z.ZodType, R, P = never> = (
  deps: AgentDeps,
  input: z.output<S>,
  caller: Caller,
  prefetched?: Promise<P>,
) => Promise<R>;

interface CallableSpecBase<S extends z.ZodType, P> {
  /** The deployed function's name: the rate-limit key and the logs' `fn`. */
  name: string;
  roles: readonly Role[];
  input: S;
  /** The agent whose `agent_status` records each run, or none. */
  status?: AgentName;
  /** Bind the Gemini secret and hand the handler a client that may call out. */
  gemini?: boolean;
  options?: CallableOptions;
  /**
   * Reads the handler needs whoever calls, begun beside the rate-limit count and the role lookup
   * once the payload parses (a round trip less on every call). Only reads: a refused call drops
   * what they found, after waiting for them.
   */
  prefetch?: (deps: AgentDeps, input: z.output<S>) => Promise<P>;
  /**
   * A partner user whose partner left the JV may call (its audit rights): the handler gets
   * `caller.partnerLeft` and must keep it to the versions of periods that began before.
   */
  formerPartners?: boolean;
}

/**
 * `rateLimit`: count the call against the per-user limit (before the payload is parsed); its
 * `action` is what the calls are in the refusal's words ("Too many reconciliations …").
 */
export type CallableSpec<S extends z.ZodType, P = never> = CallableSpecBase<S, P> &
  ({ rateLimit: false } | { rateLimit: true; action: string });

export interface CallableDefinition<S extends z.ZodType, R, P = never> {
  spec: CallableSpec<S, P>;
  handler: CallableHandler<S, R, P>;
}

export function defineCallable<S extends z.ZodType, R, P = never>(
  spec: CallableSpec<S, P>,
  handler: CallableHandler<S, R, P>,
): CallableDefinition<S, R, P> {
  return { spec, handler };
}

/**
 * Every callable's one pipeline, in one order: the token's role, the rate-limit count (before
 * anything costly, so stale or invalid calls are counted too) with the caller's current role in
 * Firebase Auth looked up beside it (see confirmCurrentRole), zod parse, agent_status, structured log, and errors
 * as HttpsErrors. An unexpected error is logged with
 * its stack and context and reaches the caller only as a correlation id.
 */
export async function runCallable<S extends z.ZodType, R, P = never>(
  definition: CallableDefinition<S, R, P>,
  deps: AgentDeps,
  request: Pick<CallableRequest, "auth" | "data">,
): Promise<R> {
  const { spec, handler } = definition;
  const started = Date.now();
  let caller: Caller | undefined;
  let input: z.output<S> | undefined;
  let prefetched: Promise<P> | undefined;
  try {
    caller = requireRole(request, spec.roles);
    // The current role is looked up beside the count (one round trip less for every call); the
    // count answers first, so a refused call is told 429 whatever its role has become.
    const current = confirmCurrentRole(deps, request, spec.roles, { formerPartners: spec.formerPartners });
    current.catch(() => undefined);
    prefetched = prefetchFor(spec, deps, request.data);
    if (spec.rateLimit) {
      await enforceRateLimit(deps.db, caller.uid, spec.name, spec.action, deps.rateLimit, deps.clock.now()).catch(
        async (error: unknown) => {
          await current.catch(() => undefined);
          throw error;
        },
      );
    }
    caller = await current;
    input = parseInput(spec.input, request.data);
    const parsed = input;
    const who = caller;
    const early = prefetched;
    const work = () => handler(deps, parsed, who, early);
    const result = await (spec.status ? withAgentStatus(deps.db, spec.status, deps.clock, work, isServerFault) : work());
    // A handler that answered without them: no read outlives the answer.
    await prefetched?.catch(() => undefined);
    logger.info(`${spec.name}: ok`, {
      fn: spec.name,
      uid: caller.uid,
      role: caller.role,
      ids: idsOf(input),
      duration_ms: Date.now() - started,
    });
    return result;
  } catch (error) {
    // A refused call still waits for the reads it began: nothing outlives the answer.
    await prefetched?.catch(() => undefined);
    throw toHttpsError(error, { fn: spec.name, uid: caller?.uid ?? request.auth?.uid ?? null, ids: idsOf(input) });
  }
}

/** The spec's prefetch of a payload that parses, begun now; none for a payload the pipeline will refuse. */
function prefetchFor<S extends z.ZodType, P>(spec: CallableSpec<S, P>, deps: AgentDeps, data: unknown): Promise<P> | undefined {
  if (!spec.prefetch || malformedTextPath(data) !== undefined) return undefined;
  const parsed = spec.input.safeParse(data);
  if (!parsed.success) return undefined;
  const reads = spec.prefetch(deps, parsed.data);
  reads.catch(() => undefined);
  return reads;
}

/** The deployed callable: `runCallable` with the production wiring. */
export function callable<S extends z.ZodType, R, P = never>(definition: CallableDefinition<S, R, P>) {
  const { spec } = definition;
  return onCall(spec.options ?? {}, (request) => runCallable(definition, productionDeps({ gemini: spec.gemini ?? false }), request));
}

interface ErrorContext {
  fn: string;
  uid: string | null;
  ids: Record<string, unknown>;
}

/**
 * An HttpsError is the caller's answer as it stands (firebase-functions does not log it, so
 * refusals are logged here at info). Anything else is logged in full and replaced by a
 * generic `internal` error carrying only a correlation id.
 */
export function toHttpsError(error: unknown, context: ErrorContext): HttpsError {
  if (error instanceof HttpsError) {
    logger.info(`${context.fn}: refused (${error.code})`, { ...context, code: error.code, message: error.message });
    return error;
  }
  const correlationId = randomUUID();
  if (isContention(error)) {
    // Firestore gave up on a transaction that simultaneous requests kept taking from it: busy, not broken.
    logger.warn(`${context.fn}: contention ${correlationId}`, {
      ...context,
      correlation_id: correlationId,
      error: withoutKeyHashes(String(error)),
    });
    return new HttpsError(
      "aborted",
      `Other requests were changing the same records at the same moment and this one could not complete; call again. Reference ${correlationId}.`,
      { correlation_id: correlationId },
    );
  }
  logger.error(`${context.fn}: internal error ${correlationId}`, {
    ...context,
    correlation_id: correlationId,
    ...errorForLog(error),
  });
  return new HttpsError(
    "internal",
    `FlowShare could not complete the request. The failure was logged with reference ${correlationId}; quote it when you report the problem.`,
    { correlation_id: correlationId },
  );
}

/** The request's own ids (fields named `*_id` or `uid`), for the logs: never whole payloads. */
function idsOf(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== "object") return {};
  const ids: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((key === "uid" || key.endsWith("_id")) && (typeof value === "string" || typeof value === "number")) ids[key] = value;
  }
  return ids;
}

/** Codes that say the server failed; any other HttpsError is the handler refusing the request as it should. */
const SERVER_FAULT_CODES = new Set(["internal", "unknown", "unavailable", "data-loss", "deadline-exceeded", "aborted"]);

/** Whether a callable's error is the agent failing (a bug, an outage), not a refusal it meant to give. */
export function isServerFault(error: unknown): boolean {
  return !(error instanceof HttpsError) || SERVER_FAULT_CODES.has(error.code);
}
