/**
 * POST /v1/production: a SCADA gateway's batch of meter tickets becomes production entries
 * (source "api"), which the auditor audits like every other entry.
 *
 * Batch-level faults refuse the whole request with a JSON error and write nothing: method and
 * path, a query string (400: there are no parameters, and one ignored would mislead), the key (401), a batch with no ticket in the key's scope or an inactive partner (403),
 * rate (429), media type (415), size (413), the Idempotency-Key (400/409/422) and the body's
 * shape (400). Past those, every ticket gets its own result in ticket order: `created`,
 * `duplicate` (its deterministic id already holds an entry, nothing written) or `invalid` with
 * its issues (a ticket outside the key's scope among others is one of those). Since the Admin SDK bypasses the
 * security rules, this handler holds tickets to what the rules hold operators to: the key's
 * partner only, an active partner, open contract days only, measured_at neither in the future nor
 * before the JV's start date, the same
 * field bounds and sizes, and server-set created_by/created_at.
 */
import { createHash, randomUUID } from "node:crypto";
import { type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { logger } from "firebase-functions/logger";
import { HttpsError } from "firebase-functions/v2/https";
import { IDEMPOTENCY_KEY_SHAPE } from "../../domain/idempotency";
import { echoText, MAX_BODY_BYTES, MAX_TICKETS_PER_BATCH, ticketBatchSchema } from "../../domain/meter-ticket";
import { issueMessage } from "../../domain/issue-words";
import { type Clock } from "../../shared/clock";
import { type JvSettings } from "../../domain/jv-settings";
import { holdsSettings, JV_SETTINGS_PATH, readJvSettings } from "../../shared/jv-settings";
import { apiKeySha256 } from "../../domain/api-key";
import {
  apiKeyRef,
  checkGatewayKey,
  keyFormatFault,
  lookupGatewayKey,
  sameGrant,
  touchDue,
  touchLastUsed,
  type GatewayKey,
  type KeyLookup,
} from "./api-keys";
import { isAlreadyExists } from "../../shared/firestore-errors";
import { errorForLog, withoutKeyHashes } from "../../shared/log-text";
import { type InstanceMemory } from "./instance-memory";
import { closedAmong, closedDaysOf } from "./closed-days";
import { admitAndCreate, admitRequest, type Admission, type AdmittedCreate } from "./admission";
import { completeIdempotencyKey, idempotencyRef, releaseIdempotencyKey, type Reservation } from "./idempotency-store";
import {
  createPlannedEntries,
  planWrites,
  prepareTickets,
  scopeIssues,
  storedOnClosedDays,
  writeTickets,
  type PreparedTickets,
  type TicketResult,
} from "./ticket-writes";
import { type KeyRateLimit } from "./key-rate-limit";
import { versionsAfter, writeRemembered } from "./remembered-write";

export const INGEST_PATH = "/v1/production";

export interface IngestDeps {
  db: Firestore;
  clock: Clock;
  rateLimit: KeyRateLimit;
  /** What this instance remembers; without it every request reads its key and the settings before its batch. */
  memory?: InstanceMemory;
}

export interface IngestRequest {
  method: string;
  /** The path below the function's own URL, e.g. /v1/production. */
  path: string;
  /** The URL as the request gave it (req.originalUrl): only its query string is read, which the endpoint refuses. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
}

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ApiError {
  error: { code: string; message: string; issues?: unknown; correlation_id?: string };
}

function refuse(
  status: number,
  code: string,
  message: string,
  extra: { headers?: Record<string, string>; issues?: unknown } = {},
): IngestResponse {
  const error: ApiError["error"] = { code, message };
  if (extra.issues !== undefined) error.issues = extra.issues;
  return { status, headers: extra.headers ?? {}, body: { error } };
}

function header(request: IngestRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`; two keys at once must agree. With an
 * X-API-Key, an Authorization that is not Bearer (a proxy's Basic) is not the gateway's and is
 * ignored; an empty header is an absent one.
 */
function presentedKey(request: IngestRequest): { key?: string; fault?: string } {
  const xApiKey = header(request, "x-api-key")?.trim() || undefined;
  const given = header(request, "authorization")?.trim() || undefined;
  const authorization = xApiKey !== undefined && given !== undefined && !/^Bearer\s/i.test(given) ? undefined : given;
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { fault: "The Authorization header must be `Bearer <key>`." };
    bearer = match[1];
  }
  if (bearer !== undefined && xApiKey !== undefined && bearer !== xApiKey) {
    return { fault: "Authorization and X-API-Key carry different keys; send one key." };
  }
  const key = bearer ?? xApiKey;
  return key ? { key } : {};
}

/** How much of a query parameter's name a refusal echoes. */
const QUERY_NAME_ECHO_MAX_LENGTH = 40;

/**
 * A URL with a query string, even an empty `?`: the endpoint has no parameters, and one it ignored
 * (`?dry_run=true`) would have a gateway's test write real entries.
 */
function queryFault(url: string): IngestResponse | undefined {
  const at = url.indexOf("?");
  if (at < 0) return undefined;
  const first = url
    .slice(at + 1)
    .split(/[&;]/)[0]
    .split("=")[0];
  let name: string;
  try {
    name = decodeURIComponent(first.replace(/\+/g, " "));
  } catch {
    name = first;
  }
  const carried = name === "" ? "a query string" : `the query parameter "${echoText(name, QUERY_NAME_ECHO_MAX_LENGTH)}"`;
  return refuse(
    400,
    "query_not_accepted",
    `${INGEST_PATH} takes no query parameters, and this request's URL carries ${carried}. Nothing was written; POST to ${INGEST_PATH} alone (there is no dry run).`,
  );
}

/** A request whose key's grant or JV contract day or start date changed under its write this often is answered 503, not made again. */
const REREADS_MAX = 3;
const REREAD_RETRY_SECONDS = 5;

export async function handleIngest(
  deps: IngestDeps,
  request: IngestRequest,
  options: { fresh?: boolean; rereads?: number } = {},
): Promise<IngestResponse> {
  const path = request.path.replace(/\/+$/, "");
  if (path !== INGEST_PATH) {
    return refuse(404, "not_found", `No such resource ${request.path.slice(0, 100)}; gateways POST to ${INGEST_PATH}.`);
  }
  if (request.method !== "POST") {
    return refuse(405, "method_not_allowed", `${INGEST_PATH} accepts POST only.`, { headers: { Allow: "POST" } });
  }
  const query = queryFault(request.url);
  if (query) return query;

  const unauthorized = (code: string, message: string) =>
    refuse(401, code, message, { headers: { "WWW-Authenticate": 'Bearer realm="flowshare-ingestion"' } });
  const presented = presentedKey(request);
  if (presented.fault) return unauthorized("malformed_api_key", presented.fault);
  if (!presented.key)
    return unauthorized("missing_api_key", "Send the gateway's API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`.");
  const malformed = keyFormatFault(presented.key);
  if (malformed) return unauthorized(malformed.code, malformed.message);
  const now = deps.clock.now();
  const timer = phaseTimer();
  const sha256 = apiKeySha256(presented.key);
  const limitedFor = deps.memory?.limited.retryAfterSeconds(sha256, now.getTime());
  if (limitedFor !== undefined) return rateLimited(deps, limitedFor);
  // A key and settings this instance remembers are read and checked by the batch's own
  // transaction (instance-memory.ts); any other request reads them first.
  const memory = options.fresh ? undefined : deps.memory;
  const known = memory?.keys.get(sha256);
  const assumed = memory?.settings;
  // Unless remembered, the JV settings are read beside the key; a failure to read them is answered
  // only after the key and the count, as a 5xx (nothing of the request is written).
  const settingsRead: Promise<{ settings: JvSettings } | { error: unknown }> = assumed
    ? Promise.resolve({ settings: assumed })
    : readJvSettings(deps.db).then(
        (settings) => {
          if (deps.memory) deps.memory.settings = settings;
          return { settings };
        },
        (error: unknown) => ({ error }),
      );
  let key: GatewayKey;
  if (known) {
    key = known;
  } else {
    const lookup = await lookupGatewayKey(deps.db, presented.key, now);
    if (!lookup.ok) {
      deps.memory?.keys.forget(sha256);
      await settingsRead;
      return unauthorized(lookup.code, lookup.message);
    }
    key = lookup.key;
    deps.memory?.keys.remember(key);
  }
  const body = readBody(request);
  const read = await settingsRead;
  const settings = "settings" in read ? read.settings : undefined;
  timer.lap("lookup_and_parse");

  const fault = body.fault ?? scopeFaults(body.tickets, key);
  const prepared = fault || !settings ? undefined : prepareTickets(body.tickets, key, now, settings);
  // Only the one-transaction road reads a known key itself: any other answer waits for its lookup.
  if (known && !prepared) return handleIngest(deps, request, { fresh: true });
  const idempotency = fault
    ? undefined
    : { ref: idempotencyRef(deps.db, key.keyId, body.idempotencyKey), bodySha256: createHash("sha256").update(body.raw).digest("hex") };
  const days = prepared?.candidates.map((c) => c.day) ?? [];
  const few = new Set(days).size <= CLOSED_DAYS_READ_AHEAD;
  let closedAhead: Promise<ReadonlyArray<string | null>> | undefined;
  let touched: Promise<unknown> | undefined;
  // Bookkeeping only: a failed write must not fail the request.
  const touch = () =>
    touchLastUsed(deps.db, key, now).catch((error: unknown) =>
      logger.warn("ingestProduction: last_used_at not written", { key_id: key.keyId, error: withoutKeyHashes(String(error)) }),
    );
  try {
    let admission: Admission | undefined;
    const versions = memory?.versions;
    // A batch that writes last_used_at changes the key's document: it goes the usual road.
    const remembered = prepared && known && assumed && !touchDue(key, now) ? versions?.get(sha256) : undefined;
    if (remembered) {
      const written = await writeRemembered(deps.db, remembered, key, assumed!, prepared!, idempotency!, deps.rateLimit, now);
      if (written) {
        versions!.set(sha256, written.versions);
        timer.lap("write_remembered");
        touched = touch();
        return answered(key, body.tickets.length, written.results, timer);
      }
      timer.lap("remembered_refused");
    }
    // The usual road counts the request (a request made afresh too): what was remembered of the count no longer holds.
    deps.memory?.versions?.forget(sha256);
    if (prepared) {
      const { attempt, checked } = await admitAndWrite(deps, key, prepared, idempotency!, { days, known }, now);
      timer.lap("admit_and_write");
      if (attempt && "refused" in attempt) {
        const refused = attempt.refused;
        if (refused.code === "settings_changed") {
          if (deps.memory) deps.memory.settings = undefined;
        } else {
          deps.memory?.keys.forget(sha256);
        }
        // Prepared for a grant or settings that no longer hold: the request is made anew, reading both first.
        if (refused.code === "grant_changed" || refused.code === "settings_changed") {
          const rereads = (options.rereads ?? 0) + 1;
          if (rereads < REREADS_MAX) return handleIngest(deps, request, { fresh: true, rereads });
          return refuse(
            503,
            "changed_while_writing",
            `The API key's grant or the JV's contract day or start date changed while this batch was written, ${REREADS_MAX} times running. Nothing was written; send it again (the same Idempotency-Key may be reused).`,
            { headers: { "Retry-After": String(REREAD_RETRY_SECONDS) } },
          );
        }
        return unauthorized(refused.code, refused.message);
      }
      key = checked ?? key;
      if (attempt && "written" in attempt) {
        if (checked) deps.memory?.keys.remember(checked);
        if (versions && !touchDue(key, now)) {
          // Best effort: a batch written is answered whether or not the next one can skip its reads.
          const next = await versionsAfter(deps.db, key, attempt.reads).catch(() => undefined);
          if (next) versions.set(sha256, next);
          timer.lap("remember_versions");
        }
        touched = touch();
        return answered(key, body.tickets.length, attempt.written, timer);
      }
      admission = attempt?.admission;
    }
    if (!admission) {
      // A batch with a fault of its own (or unreadable settings), or one holding a ticket stored
      // already: admitted with its Idempotency-Key reserved for the write that sorts out the
      // duplicates. Its closed days are read beside the admission when they are few (a refused
      // request then costs at most that many reads), after it otherwise; a failed read is
      // answered once the admission is known, so that a reservation it made is released.
      closedAhead = prepared && few ? closedDaysOf(deps.db, days) : undefined;
      closedAhead?.catch(() => undefined);
      // Without settings the batch cannot be written, but a retry of one already answered gets its answer.
      const asked = idempotency && { ...idempotency, lookOnly: !prepared };
      admission = await admitRequest(deps.db, {
        keyId: key.keyId,
        partnerId: key.partnerId,
        limit: deps.rateLimit,
        now,
        idempotency: asked,
      });
      timer.lap("admission");
    }
    if (!admission.rate.allowed) {
      const retry = admission.rate.retryAfterSeconds;
      deps.memory?.limited.limit(sha256, now.getTime() + retry * 1000);
      return rateLimited(deps, retry);
    }
    touched = touch();
    if (fault) return fault;
    if (!settings) {
      if (admission.reservation && admission.reservation.kind !== "proceed") return standingAnswer(admission.reservation);
      const error = (read as { error: unknown }).error;
      if (error instanceof HttpsError && error.code === "failed-precondition") {
        return refuse(503, "settings_invalid", `${error.message} Nothing was written; send the batch again later.`, {
          headers: { "Retry-After": String(SETTINGS_INVALID_RETRY_SECONDS) },
        });
      }
      throw error;
    }
    // A retry of a batch already written (or being written) gets its answer, even once the partner is deactivated.
    const underWay = admission.reservation?.kind === "replay" || admission.reservation?.kind === "in_flight";
    if (admission.partner !== "active" && !underWay) {
      return refuse(403, "partner_inactive", `Partner ${key.partnerId} is ${admission.partner}: its gateways may not report production.`);
    }
    const ahead = closedAhead;
    const closed = () => ahead ?? closedDaysOf(deps.db, days);
    return await ingestAdmitted(deps, key, body.tickets.length, prepared!, closed, admission.reservation!, timer);
  } finally {
    // No read or write of this request outlives its answer.
    await Promise.all([touched, closedAhead?.catch(() => undefined)]);
  }
}

function rateLimited(deps: IngestDeps, retryAfterSeconds: number): IngestResponse {
  return refuse(
    429,
    "rate_limited",
    `At most ${deps.rateLimit.maxRequests} requests per ${deps.rateLimit.windowMs / 1000} s per key; retry in ${retryAfterSeconds} s.`,
    { headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

/** Why what the batch's transaction read of the key or the remembered settings stopped the batch. */
type Refusal = Extract<KeyLookup, { ok: false }> | { code: "grant_changed" | "settings_changed"; message: string };

/**
 * The usual batch, admitted and written in one transaction (admission.ts); no attempt when an
 * entry of it is stored already (nothing was written or counted). The key's document (remembered
 * or just looked up) and the settings the tickets were prepared under are read in that transaction
 * and must still hold, as the rules read them at an operator's commit: `checked` is the key as it read it.
 */
async function admitAndWrite(
  deps: IngestDeps,
  key: GatewayKey,
  prepared: PreparedTickets,
  idempotency: { ref: DocumentReference; bodySha256: string },
  { days, known }: { days: string[]; known?: GatewayKey },
  now: Date,
): Promise<{ attempt?: AdmittedCreate<TicketResult[], Refusal>; checked?: GatewayKey }> {
  let checked: GatewayKey | undefined;
  const keyRefusal = (snap: DocumentSnapshot): Refusal | undefined => {
    const found = checkGatewayKey(snap, key.sha256, now);
    if (!found.ok) return found;
    if (!sameGrant(found.key, key)) return { code: "grant_changed", message: "the key's partner or meters changed" };
    checked = found.key;
    return undefined;
  };
  const settingsRefusal = (snap: DocumentSnapshot): Refusal | undefined =>
    holdsSettings(snap, prepared.settings)
      ? undefined
      : { code: "settings_changed", message: "the JV's contract day or start date changed" };
  const checks = [
    // The key is read again in the transaction that writes even when just looked up: a
    // revocation committed since then refuses the batch.
    { ref: apiKeyRef(deps.db, key.sha256), refusal: keyRefusal },
    { ref: deps.db.doc(JV_SETTINGS_PATH), refusal: settingsRefusal },
  ];
  try {
    const attempt = await admitAndCreate(deps.db, {
      keyId: key.keyId,
      partnerId: key.partnerId,
      limit: deps.rateLimit,
      now,
      idempotency,
      days,
      checks,
      write: async (tx, snaps) => {
        const closed = closedAmong(days, snaps);
        const stored = await storedOnClosedDays(deps.db, prepared, closed, tx);
        const results = createPlannedEntries(deps.db, tx, planWrites(prepared, closed, stored), key);
        return { value: results, response: { status: 200, body: { results } } };
      },
    });
    return { attempt, checked };
  } catch (error) {
    if (isAlreadyExists(error)) return { checked };
    // Nothing of the transaction holds; the request is still counted, as every request with a
    // valid key is (a remembered key whose read never came back is not known to be valid).
    if (known && !checked) throw error;
    await admitRequest(deps.db, { keyId: key.keyId, partnerId: key.partnerId, limit: deps.rateLimit, now }).catch(() => undefined);
    throw error;
  }
}

/** A written batch's answer, logged with its counts and where its time went. */
function answered(key: GatewayKey, ticketCount: number, results: TicketResult[], timer: ReturnType<typeof phaseTimer>): IngestResponse {
  const counts = { created: 0, duplicate: 0, invalid: 0 };
  for (const r of results) counts[r.status] += 1;
  logger.info("ingestProduction: batch ingested", {
    key_id: key.keyId,
    partner_id: key.partnerId,
    tickets: ticketCount,
    ...counts,
    phases_ms: timer.phases,
  });
  return { status: 200, headers: {}, body: { results } };
}

/** Where a request's time goes, for the log (wall clock, not the injectable one). */
function phaseTimer() {
  const phases: Record<string, number> = {};
  let mark = performance.now();
  return {
    phases,
    lap(phase: string) {
      const now = performance.now();
      phases[phase] = Math.round(now - mark);
      mark = now;
    },
  };
}

/** More distinct contract days than this in one batch are looked up only once the request is admitted. */
const CLOSED_DAYS_READ_AHEAD = 31;

interface ReadBody {
  fault?: IngestResponse;
  raw: Buffer;
  idempotencyKey: string;
  tickets: unknown[];
}

/** How long a gateway waits before sending again while settings/jv is invalid: an admin must act. */
const SETTINGS_INVALID_RETRY_SECONDS = 300;

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The checks a request's own bytes and headers answer: media type, size, Idempotency-Key, JSON, batch shape. */
function readBody(request: IngestRequest): ReadBody {
  const raw = request.rawBody ?? Buffer.alloc(0);
  const idempotencyKey = header(request, "idempotency-key") ?? "";
  const failed = (fault: IngestResponse): ReadBody => ({ fault, raw, idempotencyKey, tickets: [] });
  const contentType = header(request, "content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return failed(refuse(415, "unsupported_media_type", "Send the batch as JSON with `Content-Type: application/json`."));
  }
  if (raw.length > MAX_BODY_BYTES) {
    return failed(
      refuse(
        413,
        "body_too_large",
        `The body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} bytes (1 MiB) are accepted. Send smaller batches.`,
      ),
    );
  }
  if (idempotencyKey === "") {
    return failed(
      refuse(
        400,
        "missing_idempotency_key",
        "Every POST needs an `Idempotency-Key` header (a fresh UUID per batch; the same one when retrying that batch).",
      ),
    );
  }
  if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
    return failed(refuse(400, "invalid_idempotency_key", "The Idempotency-Key must be 1 to 255 printable ASCII characters."));
  }
  let text: string;
  try {
    text = STRICT_UTF8.decode(raw);
  } catch {
    // Decoding leniently would store U+FFFD in place of each bad byte: a Latin-1 "ü" in a meter id
    // would make another meter.
    return failed(
      refuse(400, "malformed_json", "The body is not valid UTF-8: JSON must be sent in UTF-8 (RFC 8259), without a byte-order mark."),
    );
  }
  if (text.startsWith("\uFEFF")) {
    return failed(
      refuse(400, "malformed_json", "The body starts with a byte-order mark (U+FEFF): send the JSON in UTF-8 without one (RFC 8259)."),
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return failed(
      refuse(400, "malformed_json", `The body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : "parse error"}.`),
    );
  }
  const batch = ticketBatchSchema.safeParse(body);
  if (!batch.success) {
    const issues = batch.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: issueMessage(i) }));
    return failed(
      refuse(
        400,
        "invalid_batch",
        `The body must be {"tickets": [...]} with 1 to ${MAX_TICKETS_PER_BATCH} tickets: ${issues.map((i) => `${i.path || "body"}: ${i.message}`).join("; ")}.`,
        { issues },
      ),
    );
  }
  const tickets = batch.data.tickets;
  if (tickets.length > MAX_TICKETS_PER_BATCH) {
    return failed(
      refuse(413, "too_many_tickets", `The batch holds ${tickets.length} tickets; at most ${MAX_TICKETS_PER_BATCH} per request.`),
    );
  }
  return { raw, idempotencyKey, tickets };
}

/** An admitted batch: the stored response replayed, a refusal of the key's use, or the tickets written. */
async function ingestAdmitted(
  deps: IngestDeps,
  key: GatewayKey,
  ticketCount: number,
  prepared: PreparedTickets,
  closedDays: () => Promise<ReadonlyArray<string | null>>,
  reservation: Reservation,
  timer: ReturnType<typeof phaseTimer>,
): Promise<IngestResponse> {
  if (reservation.kind !== "proceed") return standingAnswer(reservation);
  try {
    const closed = await closedDays();
    const plan = planWrites(prepared, closed, await storedOnClosedDays(deps.db, prepared, closed));
    const now = deps.clock.now();
    const completed = await writeTickets(deps.db, plan, key, now, { ref: reservation.ref, now });
    if (!completed) await completeIdempotencyKey(reservation.ref, { status: 200, body: { results: plan.results } }, deps.clock.now());
    timer.lap("write");
    return answered(key, ticketCount, plan.results, timer);
  } catch (error) {
    await releaseIdempotencyKey(deps.db, reservation.ref, reservation.token).catch(() => undefined);
    throw error;
  }
}

/** What the Idempotency-Key's record answers a request that may not proceed: its stored response, 422 or 409. */
function standingAnswer(reservation: Exclude<Reservation, { kind: "proceed" }>): IngestResponse {
  switch (reservation.kind) {
    case "replay":
      return { status: reservation.response.status, headers: { "Idempotency-Replayed": "true" }, body: reservation.response.body };
    case "body_mismatch":
      return refuse(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was used with a different body in the last 24 h; use a fresh key for a new batch.",
      );
    case "in_flight":
      return refuse(
        409,
        "request_in_flight",
        "A request with this Idempotency-Key is still being processed; retry shortly to get its response.",
        {
          headers: { "Retry-After": String(reservation.retryAfterSeconds) },
        },
      );
  }
}

/**
 * A batch none of whose tickets the key may send (each names another partner or a meter outside
 * the key's): the gateway holds the wrong key, and the batch is refused whole. A batch with some
 * such tickets answers them as invalid beside the others (prepareTickets).
 */
function scopeFaults(tickets: readonly unknown[], key: GatewayKey): IngestResponse | undefined {
  const issues = tickets.map((raw, index) => scopeIssues(raw, key).map((issue) => ({ ...issue, path: `tickets.${index}.${issue.path}` })));
  if (tickets.length === 0 || issues.some((ticket) => ticket.length === 0)) return undefined;
  const all = issues.flat();
  if (all.some((issue) => issue.code === "partner_not_allowed")) {
    return refuse(
      403,
      "partner_not_allowed",
      `This key reports for partner ${key.partnerId} only, and no ticket of the batch is for it. Nothing was written.`,
      {
        issues: all,
      },
    );
  }
  return refuse(
    403,
    "meter_not_allowed",
    `This key reports for meters ${key.meterIds!.join(", ")} only, and no ticket of the batch is for one of them. Nothing was written.`,
    {
      issues: all,
    },
  );
}

/** An unexpected failure: logged in full, answered with a correlation id only. */
export function internalError(error: unknown, context: Record<string, unknown>): IngestResponse {
  const correlationId = randomUUID();
  logger.error(`ingestProduction: internal error ${correlationId}`, {
    ...context,
    correlation_id: correlationId,
    ...errorForLog(error),
  });
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        code: "internal",
        message: `FlowShare could not complete the request; it was logged with reference ${correlationId}. Retry with the same Idempotency-Key.`,
        correlation_id: correlationId,
      },
    },
  };
}
