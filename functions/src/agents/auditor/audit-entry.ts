/**
 * The auditor: audits a production entry when it is created and again whenever a measured
 * field changes. Verdicts come from the schema, the business rules and robust statistics
 * only; Gemini, asked only about flagged entries, writes the explanation, never the verdict.
 *
 * Guarantees:
 * - no loops: a write that leaves the measured fields as audited (the auditor's own write,
 *   a review, a note edit) is recognised by `audit.input_hash` and skipped without a read;
 * - at most once per event: a lease on the event id makes a replayed delivery do nothing
 *   and a concurrent one fail (to be retried), so no second Gemini call and no second
 *   audit-log event;
 * - never stale: the result is written in a transaction that re-reads the entry and gives
 *   up if a measured field changed meanwhile (the newer write's event audits it);
 * - failures are not swallowed: a failed read or write releases the lease and rethrows,
 *   so agent_status records it and the platform retries the event (a retry on the same instance
 *   after Gemini had answered does not ask it the same question again).
 */
import { runTransaction } from "../../shared/transaction";
import { nsvFigures, type NsvFigures } from "../../domain/measured-fields";
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { logger } from "firebase-functions/logger";
import { AUDIT_CONFIG, RULES_VERSION, rulesAtLeastCurrent } from "../../domain/audit-config";
import {
  checkExplanation,
  explanationPrompt,
  EXPLANATION_SYSTEM_PROMPT,
  type ExplanationSource,
  geminiExplanationText,
  rulesExplanation,
  type StoredExplanation,
} from "../../domain/audit-explanation";
import { evaluateRules } from "../../domain/audit-rules";
import { decideVerdict, type Verdict } from "../../domain/audit-verdict";
import { entryExplanationSchema, type EntryExplanation } from "../../domain/llm-schemas";
import {
  auditInputHash,
  type AuditReason,
  parseProductionEntry,
  type ParseResult,
  type ProductionEntry,
  SCHEMA_CODE_PREFIX,
} from "../../domain/production-entry";
import { BOUNDED_ID_RULE, isBoundedId } from "../../domain/bounded-id";
import { type HistoryStats, scoreAgainstHistory } from "../../domain/robust-stats";
import { auditedFigures } from "../../domain/audited-history";
import { type AgentDeps } from "../../shared/agent-deps";
import { countingFailures, withAgentStatus } from "../../shared/agent-status";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { acquireEventLease, completeEventLease, releaseEventLease } from "../../shared/event-lease";
import { NOT_ASKED, takeGeminiCall } from "../../shared/gemini-budget";
import { recordLlmUsage } from "../../shared/llm-usage";
import { readJvSettings } from "../../shared/jv-settings";
import { entryDays, prepareStaleMarks, writeStaleMarks } from "../../shared/stale-marks";
import { contractDayOf, contractDayStart, type JvSettings } from "../../domain/jv-settings";
import {
  duplicateKey,
  duplicatesLeftBehind,
  findEarlierDuplicates,
  readHistory,
  readPartner,
  ReadMeter,
  type PartnerState,
} from "./audit-reads";
import { entryAuditStream, entryPath } from "../../shared/entry-stream";
import { Recent } from "../../shared/recent";

export interface AuditEntryInput {
  entryId: string;
  /** The trigger event's id: the key that makes a replay do nothing. */
  eventId: string;
  /** The document as written (for an update, the `after` data); undefined when deleted. */
  data: Record<string, unknown> | undefined;
  /** The document's server create time, which orders same-day duplicates. */
  createTime?: Date;
  /** The document before an update (its contract day may have been closed). */
  before?: Record<string, unknown>;
}

export type AuditOutcome =
  | { status: "audited"; verdict: Verdict; explanationSource: ExplanationSource; inputHash: string }
  | { status: "skipped"; reason: "deleted" | "up_to_date" | "replayed" }
  | { status: "abandoned"; reason: Exclude<StoreResult, "written"> };

type Deps = Pick<AgentDeps, "db" | "gemini" | "clock" | "geminiBudget">;

/** Handler of both triggers (create and update) on production_entries/{entryId}. */
export async function auditEntry(deps: Deps, input: AuditEntryInput): Promise<AuditOutcome> {
  const { data } = input;
  if (data === undefined) return { status: "skipped", reason: "deleted" };
  // Skips are no runs; a failure of the correction's event or of the lease is one (agent_status).
  await countingFailures(deps.db, "auditor", deps.clock, () => logCorrection(deps, input, data));
  const inputHash = auditInputHash(data);
  if (isAuditCurrent(data, inputHash) || onlyAuditBookkeeping(input.before, data, inputHash)) {
    return { status: "skipped", reason: "up_to_date" };
  }

  const started = deps.clock.now().getTime();
  const leaseKey = `auditor_${input.eventId}`;
  const lease = await countingFailures(deps.db, "auditor", deps.clock, () => acquireEventLease(deps.db, leaseKey, deps.clock.now()));
  if (lease === "done") {
    logger.info("auditor: event already audited", { entryId: input.entryId, eventId: input.eventId });
    return { status: "skipped", reason: "replayed" };
  }
  if (lease === "busy") {
    // Another delivery holds the lease. Failing (rather than returning) makes the platform
    // redeliver later: if that holder crashed, the retry takes the lease once it expires.
    throw new EventInProgressError(input.eventId);
  }
  return withAgentStatus(deps.db, "auditor", deps.clock, async () => {
    let outcome: AuditOutcome;
    try {
      outcome = await audit(deps, input, data, inputHash, started);
    } catch (error) {
      await releaseEventLease(deps.db, leaseKey).catch(() => undefined);
      throw error;
    }
    // The audit is written (or decided against): a lease left held after a failed completion
    // only expires. Given back with a failure, the platform's retry would audit the entry again
    // and ask Gemini a second time for an explanation it then throws away.
    const result = outcome.status === "audited" ? outcome.verdict : outcome.reason;
    await completeEventLease(deps.db, leaseKey, deps.clock.now(), result).catch((error: unknown) =>
      logger.warn("auditor: event lease not marked done; it expires", {
        entryId: input.entryId,
        eventId: input.eventId,
        error: String(error),
      }),
    );
    return outcome;
  });
}

/**
 * An update that changed nothing but `audit` of an entry whose audit still describes its measured
 * fields and asks for no recheck (`npm run migrate` writing `audit.awaiting_review`): no new audit,
 * even under rules newer than that audit's. A change of rules alone re-audits no entry (nothing
 * visits them all); a bookkeeping write must not either, since a re-audit of an entry on a closed
 * day marks that day's report stale.
 */
export function onlyAuditBookkeeping(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  inputHash: string,
): boolean {
  if (before === undefined) return false;
  const audit = after.audit as { input_hash?: unknown; recheck?: unknown } | undefined;
  if (audit?.input_hash !== inputHash || audit.recheck !== undefined) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) if (key !== "audit" && !isDeepStrictEqual(before[key], after[key])) return false;
  return true;
}

export class EventInProgressError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is being audited by another delivery; failing so that the platform retries it later`);
    this.name = "EventInProgressError";
  }
}

/**
 * True when `audit` already describes these measured fields under the current rules (or later
 * ones, of a revision deployed after this one), and no other entry's audit asked for it again
 * (`audit.recheck`: an entry it duplicated moved away).
 */
export function isAuditCurrent(data: Record<string, unknown>, inputHash: string): boolean {
  const audit = data.audit as { input_hash?: unknown; rules_version?: unknown; recheck?: unknown } | undefined;
  return audit?.input_hash === inputHash && rulesAtLeastCurrent(audit?.rules_version) && audit?.recheck === undefined;
}

interface Assessment {
  verdict: Verdict;
  reasons: AuditReason[];
  stats: HistoryStats | null;
  explanation: StoredExplanation;
  geminiCalls: number;
  nsv?: NsvFigures;
  /** Where the entry stands for the duplicate check, and since when (see findEarlierDuplicates). */
  place?: { key: string; since: Date };
  /** Reconciliations marked stale for this change before Gemini was asked (markStaleAtOnce). */
  staleCovered?: string[];
}

async function audit(
  deps: Deps,
  input: AuditEntryInput,
  data: Record<string, unknown>,
  inputHash: string,
  started: number,
): Promise<AuditOutcome> {
  const meter = new ReadMeter();
  meter.reads += 2; // the lease, the JV settings
  const settings = await readJvSettings(deps.db);
  const parsed = withEntryIdCheck(input.entryId, parseProductionEntry(data));
  const assessment: Assessment = parsed.ok
    ? await assess(deps, input, parsed.entry, data, meter, settings)
    : {
        verdict: "rejected",
        reasons: parsed.reasons,
        stats: null,
        explanation: rulesExplanation(parsed.reasons, null),
        geminiCalls: 0,
      };
  const stored = await store(deps, input, data.partner_id, inputHash, assessment, meter, started, settings);
  if (stored !== "written") {
    logger.info("auditor: result not written", { entryId: input.entryId, eventId: input.eventId, why: stored });
    return { status: "abandoned", reason: stored };
  }
  return {
    status: "audited",
    verdict: assessment.verdict,
    explanationSource: assessment.explanation.source,
    inputHash,
  };
}

/**
 * An entry whose id the rules would refuse (written around them, with the Admin SDK) is
 * rejected like a schema problem: every id derived from it must stay bounded.
 */
function withEntryIdCheck(entryId: string, parsed: ParseResult): ParseResult {
  if (isBoundedId(entryId)) return parsed;
  const reason: AuditReason = {
    code: `${SCHEMA_CODE_PREFIX}ENTRY_ID`,
    field: "document",
    severity: "critical",
    message: `The entry's document id must be ${BOUNDED_ID_RULE}; re-enter the entry under a generated id.`,
  };
  return { ok: false, reasons: [reason, ...(parsed.ok ? [] : parsed.reasons)] };
}

function millisOf(value: unknown): number | undefined {
  const date =
    value instanceof Date
      ? value
      : typeof (value as { toDate?: unknown })?.toDate === "function"
        ? (value as { toDate(): Date }).toDate()
        : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.getTime() : undefined;
}

/**
 * A coordinator's late entry or correction (signed corrected_by/corrected_at by the rules) is
 * logged with the coordinator as actor, once per signature (a retried event appends nothing).
 */
async function logCorrection(deps: Deps, input: AuditEntryInput, data: Record<string, unknown>): Promise<void> {
  const at = millisOf(data.corrected_at);
  if (at === undefined || typeof data.corrected_by !== "string" || at === millisOf(input.before?.corrected_at)) return;
  const { db } = deps;
  const ref = db.doc(entryPath(input.entryId));
  await runTransaction(db, async (tx) => {
    const prepared = await prepareAuditAppend(db, tx, {
      eventId: `correction_${input.entryId}_${at}`,
      stream: entryAuditStream(data.partner_id),
      actor: String(data.corrected_by).slice(0, 128),
      action: input.before === undefined ? "entry_entered_late" : "entry_corrected",
      subject: ref.path,
      details: {
        correction_note: typeof data.correction_note === "string" ? data.correction_note : null,
        corrected_at: new Date(at).toISOString(),
        measured_at: millisOf(data.measured_at) === undefined ? null : new Date(millisOf(data.measured_at)!).toISOString(),
      },
    });
    writeAuditAppend(db, tx, prepared, deps.clock.now());
  });
}

/** Whether the entry's previous audit put it in its partner's history (a re-audit). */
function isInHistory(data: Record<string, unknown>): boolean {
  return (data.audit as { history_eligible?: unknown } | undefined)?.history_eligible === true;
}

/**
 * Since when the entry stands on `key` (partner, meter, contract day): since its last audit's
 * time there when that audit was made on the same key, since now when a correction moved it
 * (its last audit, or the version before this write, stood elsewhere), else since its creation.
 */
function placeSince(
  input: AuditEntryInput,
  data: Record<string, unknown>,
  key: string,
  contractDay: string,
  settings: JvSettings,
  now: Date,
  createdAt: Date,
): Date {
  const previous = data.audit as { duplicate_key?: unknown; key_since?: unknown; contract_day?: unknown } | undefined;
  if (previous?.duplicate_key !== undefined) {
    const since = millisOf(previous.key_since);
    return previous.duplicate_key === key && since !== undefined ? new Date(since) : now;
  }
  // No key kept (not audited yet, or audited before keys were): the write itself tells a move.
  const beforeParsed = input.before === undefined ? undefined : parseProductionEntry(input.before);
  const movedByWrite =
    beforeParsed?.ok === true && duplicateKey(beforeParsed.entry, contractDayOf(beforeParsed.entry.measured_at, settings)) !== key;
  const movedSinceAudit = typeof previous?.contract_day === "string" && previous.contract_day !== contractDay;
  return movedByWrite || movedSinceAudit ? now : createdAt;
}

async function assess(
  deps: Deps,
  input: AuditEntryInput,
  entry: ProductionEntry,
  data: Record<string, unknown>,
  meter: ReadMeter,
  settings: JvSettings,
): Promise<Assessment> {
  const now = deps.clock.now();
  const contractDay = contractDayOf(entry.measured_at, settings);
  const key = duplicateKey(entry, contractDay);
  const since = placeSince(input, data, key, contractDay, settings, now, input.createTime ?? entry.created_at ?? now);
  const self = { id: input.entryId, createdAt: since };
  const place = { key, since };
  const [partner, duplicateEntryIds, history] = await Promise.all([
    readPartner(deps.db, entry.partner_id, meter),
    findEarlierDuplicates(deps.db, entry, self, meter, contractDayStart(contractDay, settings), key),
    readHistory(
      deps.db,
      { partnerId: entry.partner_id, meterId: entry.meter_id, measuredAt: entry.measured_at },
      { id: input.entryId, mayBeInHistory: isInHistory(data) },
      meter,
    ),
  ]);
  const score = scoreAgainstHistory(entry, history.rows, AUDIT_CONFIG.statistics, history.scope);
  const reasons = [
    ...evaluateRules(entry, { now, partner, duplicateEntryIds, contractDay, jvStartDate: settings.jv_start_date }),
    ...score.reasons,
  ];
  const verdict = decideVerdict(reasons);
  const nsv = nsvFigures(entry);
  if (verdict !== "flagged") {
    return { verdict, reasons, stats: score.stats, explanation: rulesExplanation(reasons, score.stats), geminiCalls: 0, nsv, place };
  }
  const staleCovered = await markStaleAtOnce(deps, input, data, settings, meter);
  const { explanation, geminiCalls } = await explainFlagged(deps, input.entryId, entry, partner, reasons, score.stats, contractDay);
  return { verdict, reasons, stats: score.stats, explanation, geminiCalls, nsv, place, staleCovered };
}

/** Which re-audit request the entry carries (`audit.recheck`: reason, entry, time), if any. */
function recheckKey(data: Record<string, unknown> | undefined): string | null {
  const recheck = (data?.audit as { recheck?: { reason?: unknown; entry_id?: unknown; at?: unknown } } | undefined)?.recheck;
  return recheck ? `${String(recheck.reason)}|${String(recheck.entry_id)}|${millisOf(recheck.at) ?? String(recheck.at)}` : null;
}

/**
 * A flagged entry's audit is stored only once Gemini has explained it, seconds (up to the
 * trigger's timeout) later: the reconciliations of the closed days it changes are marked stale
 * first, in a transaction of their own, so that their statements say so as soon as the change is
 * accepted. A retried event marks nothing twice (a version listing the entry already is left
 * alone), and the audit's own transaction leaves the versions marked here alone.
 */
async function markStaleAtOnce(
  deps: Deps,
  input: AuditEntryInput,
  data: Record<string, unknown>,
  settings: JvSettings,
  meter: ReadMeter,
): Promise<string[]> {
  const { db } = deps;
  const inputHash = auditInputHash(data);
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(db.doc(entryPath(input.entryId)));
    meter.reads += 1;
    const current = snap.data();
    if (!current || auditInputHash(current) !== inputHash || isAuditCurrent(current, inputHash)) return [];
    const plan = await prepareStaleMarks(db, tx, changedDays(settings, current, input.before), [input.entryId], {
      unlistedOnly: true,
      tellCloses: false,
    });
    meter.reads += plan.reads;
    writeStaleMarks(tx, plan, deps.clock.now());
    return plan.covered;
  });
}

/**
 * The contract days the entry was on and is on: a closed one's reconciliation turns stale. The
 * day of its last audit too: edits that came faster than their audits left no trace of the days
 * in between (only the last of them is audited), and a report may have used that day.
 */
function changedDays(settings: JvSettings, current: Record<string, unknown>, before: Record<string, unknown> | undefined): string[] {
  const lastAuditedDay = (current.audit as { contract_day?: unknown } | undefined)?.contract_day;
  return [...entryDays(settings, current, before), ...(typeof lastAuditedDay === "string" ? [lastAuditedDay] : [])];
}

/** Gemini's accepted answers this instance was given, by entry and question: see explainFlagged. */
const answeredHere = new Recent<{ value: EntryExplanation; model: string }>(200);

function geminiExplanation(value: EntryExplanation, model: string): StoredExplanation {
  return {
    text: geminiExplanationText(value),
    source: "gemini",
    model,
    likely_causes: value.likely_causes,
    checks_to_make: value.checks_to_make,
  };
}

async function explainFlagged(
  deps: Deps,
  entryId: string,
  entry: ProductionEntry,
  partner: PartnerState,
  reasons: AuditReason[],
  stats: HistoryStats,
  contractDay: string,
): Promise<{ explanation: StoredExplanation; geminiCalls: number }> {
  const facts = { entryId, entry, partnerName: partner.name, verdict: "flagged" as const, reasons, stats, contractDay };
  const prompt = explanationPrompt(facts);
  // The same question (the same entry, figures, reasons and history) is not asked, nor paid for,
  // twice on an instance: above all an audit whose write failed after Gemini answered, retried. The
  // answer is checked again against the facts as they are now (a correction's note is not in the prompt).
  const askedBefore = `${entryId}|${createHash("sha256").update(prompt).digest("hex")}`;
  const answered = answeredHere.get(askedBefore);
  if (answered && checkExplanation(answered.value, facts).ok) {
    logger.info("auditor: Gemini's answer to the same question reused on this instance", { entryId });
    return { geminiCalls: 0, explanation: geminiExplanation(answered.value, answered.model) };
  }
  // Without a key Gemini is never asked: nothing to take from the budget (the answer below is `no_key`).
  const budget = deps.gemini.configured ? await takeGeminiCall(deps.db, deps.geminiBudget, entry.partner_id, deps.clock.now()) : NOT_ASKED;
  if (!budget.ok) {
    logger.info("auditor: Gemini budget used up, using the rules' text", { entryId, scope: budget.scope, limit: budget.limit });
    return {
      geminiCalls: 0,
      explanation: rulesExplanation(reasons, stats, { kind: "budget_exhausted", attempts: 0, detail: budget.words }),
    };
  }
  const result = await deps.gemini.generateJson({
    system: EXPLANATION_SYSTEM_PROMPT,
    prompt,
    schema: entryExplanationSchema,
    label: "auditor.entry_explanation",
  });
  // Gemini explains; the entry and the statistics hold the figures. A text citing any other
  // figure, or repeating what the operator typed, is not stored as Gemini's.
  const check = result.ok ? checkExplanation(result.value, facts) : undefined;
  // Usage is bookkeeping: losing one increment must not lose the audit (or call Gemini again on retry).
  // A refused answer counts as a template fallback, as the communicator counts its own.
  await recordLlmUsage(deps.db, "auditor", result, !result.ok || check?.ok === false, deps.clock.now()).catch((error: unknown) =>
    logger.warn("auditor: llm_usage not recorded", { entryId, error: String(error) }),
  );
  if (result.ok) {
    if (check && !check.ok) {
      logger.warn("auditor: Gemini's explanation refused, using the rules' text", {
        entryId,
        why: check.kind,
        unknown_figures: check.figures.unknown,
        echoed: check.echoed,
      });
      return {
        geminiCalls: result.attempts,
        explanation: rulesExplanation(reasons, stats, { kind: check.kind, attempts: result.attempts }),
      };
    }
    answeredHere.set(askedBefore, { value: result.value, model: result.model });
    return { geminiCalls: result.attempts, explanation: geminiExplanation(result.value, result.model) };
  }
  logger.warn("auditor: Gemini explanation unavailable, using the rules' text", { entryId, error: result.error });
  return {
    geminiCalls: result.attempts,
    explanation: rulesExplanation(reasons, stats, { ...result.error, attempts: result.attempts }),
  };
}

type StoreResult = "written" | "edited_meanwhile" | "deleted_meanwhile" | "already_audited" | "recheck_meanwhile";

async function store(
  deps: Deps,
  input: AuditEntryInput,
  partnerId: unknown,
  inputHash: string,
  assessment: Assessment,
  meter: ReadMeter,
  started: number,
  settings: JvSettings,
): Promise<StoreResult> {
  const { db } = deps;
  const ref = db.doc(entryPath(input.entryId));
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    meter.reads += 1;
    if (!snap.exists) return "deleted_meanwhile";
    const current = snap.data() ?? {};
    if (auditInputHash(current) !== inputHash) return "edited_meanwhile";
    if (isAuditCurrent(current, inputHash)) return "already_audited";
    // Another entry asked for a new audit of this one (audit.recheck) since this event's version:
    // this verdict may predate what it saw, and its write would erase the request. Its event audits.
    if (recheckKey(current) !== recheckKey(input.data)) return "recheck_meanwhile";

    const review = current.review as { decision?: unknown; input_hash?: unknown; by?: unknown } | undefined;
    const reviewedHash = review?.input_hash ?? (current.audit as { input_hash?: unknown } | undefined)?.input_hash;
    const staleReview = review !== undefined && reviewedHash !== inputHash;
    const approved = review !== undefined && !staleReview && review.decision === "approved";
    const historyEligible = assessment.verdict === "validated" || (assessment.verdict === "flagged" && approved);

    const details: Record<string, unknown> = {
      verdict: assessment.verdict,
      reason_codes: assessment.reasons.map((r) => r.code),
      input_hash: inputHash,
      rules_version: RULES_VERSION,
      explanation_source: assessment.explanation.source,
    };
    if (staleReview) details.stale_review_removed = String(review?.decision);
    const stalePlan = await prepareStaleMarks(db, tx, changedDays(settings, current, input.before), [input.entryId], {
      covered: new Set(assessment.staleCovered),
      now: deps.clock.now(),
    });
    meter.reads += stalePlan.reads;
    const previousKey = (current.audit as { duplicate_key?: unknown } | undefined)?.duplicate_key;
    const leftBehind =
      typeof previousKey === "string" && assessment.place !== undefined && previousKey !== assessment.place.key
        ? await duplicatesLeftBehind(db, tx, previousKey, input.entryId, meter)
        : [];
    const prepared = await prepareAuditAppend(db, tx, {
      eventId: `audit_${input.eventId}`,
      stream: entryAuditStream(partnerId),
      actor: "auditor",
      action: "entry_audited",
      subject: ref.path,
      details,
    });
    meter.reads += 2;

    const now = deps.clock.now();
    const audit: Record<string, unknown> = {
      status: assessment.verdict,
      reasons: assessment.reasons,
      stats: assessment.stats,
      explanation: assessment.explanation,
      input_hash: inputHash,
      // What other entries' statistics score against while this entry counts as history, even once it is edited.
      figures: auditedFigures(current),
      rules_version: RULES_VERSION,
      contract_day: entryDays(settings, current)[0] ?? null,
      checked_at: Timestamp.fromDate(now),
      history_eligible: historyEligible,
      // The review queue's query: flagged with no review of these figures.
      awaiting_review: assessment.verdict === "flagged" && (review === undefined || staleReview),
      cost: { reads: meter.reads, gemini_calls: assessment.geminiCalls, duration_ms: now.getTime() - started },
    };
    if (assessment.nsv !== undefined) audit.nsv = assessment.nsv;
    if (assessment.place !== undefined) {
      audit.duplicate_key = assessment.place.key;
      audit.key_since = Timestamp.fromDate(assessment.place.since);
    }
    // changed_at: the server time of the entry's last change of disposition.
    const changedAt = FieldValue.serverTimestamp();
    tx.update(ref, staleReview ? { audit, review: FieldValue.delete(), changed_at: changedAt } : { audit, changed_at: changedAt });
    writeStaleMarks(tx, stalePlan, now);
    for (const other of leftBehind) {
      // Their update events audit them again; the audit they get replaces this field.
      tx.update(other, { "audit.recheck": { reason: "moved_away", entry_id: input.entryId, at: Timestamp.fromDate(now) } });
    }
    writeAuditAppend(db, tx, prepared, now);
    if (staleReview) {
      logger.info("auditor: measured fields changed after a review; the review was removed", {
        entryId: input.entryId,
        decision: review?.decision,
        by: review?.by,
      });
    }
    return "written";
  });
}
