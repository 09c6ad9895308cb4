/**
 * The communicator: turns a completed reconciliation and a newly flagged entry into
 * notification documents, one per recipient, each written for its audience (see
 * docs/communicator.md). Gemini writes the text when it can; the report's figures decide
 * whether its text is used.
 */
import { logger } from "firebase-functions/logger";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import {
  allocationStatementBrief,
  entryReviewBrief,
  bulkReviewBrief,
  flagDigestBrief,
  flaggedEntryBrief,
  partnersInReport,
  reconciliationBrief,
  type NotificationBrief,
} from "../../domain/notification-briefs";
import { correctionChanges, entryCorrectionBrief, lateEntryBrief } from "../../domain/entry-correction";
import { releaseBrief } from "../../domain/release-notice";
import { auditInputHash } from "../../domain/production-entry";
import {
  bulkReviewNotificationId,
  entryCorrectionNotificationId,
  lateEntryNotificationId,
  entryReviewNotificationId,
  flagDigestNotificationId,
  reconciliationNotificationId,
  releaseNotificationId,
} from "../../domain/notification-ids";
import type { AgentDeps } from "../../shared/agent-deps";
import { entryDayText, type ReconciliationReport } from "../../domain/notification-templates";
import { withAgentStatus } from "../../shared/agent-status";
import { contractDayOf, contractDayStart, type JvSettings } from "../../domain/jv-settings";
import { readJvSettings } from "../../shared/jv-settings";
import { COLLECTIONS } from "../../shared/collections";
import { entryAuditStream, isValidDocumentId } from "../../shared/entry-stream";
import { mapLimited } from "../../shared/map-limited";
import { deliverRound, type Audience, type RoundResult } from "./deliver";
import { deliverFlaggedRound } from "./flagged-round";
import { readKnownAs, readPartnerNames, readPersonName } from "./known-as";
import {
  ENTRY_OPERATOR_ROLES,
  ENTRY_REVIEWER_ROLES,
  findRecipients,
  PARTNER_STATEMENT_ROLES,
  type RecipientList,
  WHOLE_PICTURE_ROLES,
} from "./recipients";
import {
  carriesReview,
  isNewCorrection,
  isNewLateEntry,
  isNewFlag,
  isNewReviewDecision,
  parseCorrectedEntry,
  parseLateEntry,
  parseFlaggedEntry,
  parseReconciliation,
  parseRelease,
  parseReviewedEntry,
  previousDecision,
} from "./sources";

export type NotifyOutcome =
  | ({ outcome: "notified"; debounced?: boolean } & RoundResult)
  | { outcome: "skipped"; reason: string }
  | { outcome: "invalid"; error: string };

/** Partner recipient queries in flight at once. */
const QUERY_CONCURRENCY = 10;

/** A source document that can never be notified as it stands: recorded, not retried. */
class InvalidSource extends Error {}

export interface ReconciliationEvent {
  reconciliationId: string;
  eventId: string;
  data: Record<string, unknown> | undefined;
}

/**
 * Coordinators, admins and auditors get the whole picture; each partner's jv_partner and
 * field_operator users get that partner's own allocation statement — once the version is
 * released to them: at once, or, when the JV requires approval, on its release
 * (`notifyReleasedReconciliation`).
 */
export async function notifyReconciliation(deps: AgentDeps, input: ReconciliationEvent): Promise<NotifyOutcome> {
  const subject = `${COLLECTIONS.reconciliations}/${input.reconciliationId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseReconciliation(input.data);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid reconciliation: ${parsed.error}`);
    const report = parsed.value;
    if (report.status !== "completed") return { outcome: "skipped", reason: `status is ${report.status}` };
    return notifyRound(deps, input, report, { wholePicture: true, partners: report.released !== false });
  });
}

/** The partners' round of a version released after it was made (its update from released false to true). */
export async function notifyReleasedReconciliation(
  deps: AgentDeps,
  input: ReconciliationEvent & { before: Record<string, unknown> | undefined },
): Promise<NotifyOutcome> {
  if (input.before?.released !== false || input.data?.released !== true) return { outcome: "skipped", reason: "not a release" };
  const subject = `${COLLECTIONS.reconciliations}/${input.reconciliationId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseReconciliation(input.data);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid reconciliation: ${parsed.error}`);
    const partners = await notifyRound(deps, input, parsed.value, { wholePicture: false, partners: true, sourceSuffix: "_release" });
    const release = parseRelease(input.data);
    if (!release.ok) {
      // Not releaseReconciliation's write (it signs all three): the partners are told, the JV is not told who released it.
      logger.warn("communicator: a release without its record; coordinators are not told of it", { subject, error: release.error });
      return partners;
    }
    const jv = await notifyReleaseToJv(deps, input, parsed.value, release.value);
    return partners.outcome === "notified" ? { ...partners, ...bothRounds(partners, jv) } : partners;
  });
}

/**
 * Coordinators, admins and auditors hear that a version they were told awaits approval is
 * released, by whom and with what note: its maker waits on it, and its adjustments can now be decided.
 */
async function notifyReleaseToJv(
  deps: AgentDeps,
  input: ReconciliationEvent,
  report: ReconciliationReport,
  release: { released_by: string; released_at: Date; release_note: string },
): Promise<RoundResult> {
  const [jv, releaser] = await Promise.all([
    findRecipients(deps.db, { roles: WHOLE_PICTURE_ROLES }),
    readPersonName(deps.db, release.released_by),
  ]);
  const brief = releaseBrief({
    reconciliation_id: input.reconciliationId,
    terminal_receipt_id: report.terminal_receipt_id,
    version: report.version,
    ...release,
    releaser_name: releaser,
  });
  return deliverRound(deps, {
    sourceId: `${input.reconciliationId}_release_jv`,
    subject: `${COLLECTIONS.reconciliations}/${input.reconciliationId}`,
    stream: `notify_receipt_${report.terminal_receipt_id}`,
    triggerEventId: input.eventId,
    notificationId: (uid) => releaseNotificationId(input.reconciliationId, uid),
    audiences: [{ brief, recipients: jv.recipients }],
    recipientsTruncated: anyTruncated([jv]),
  });
}

/** Two rounds of one event, counted as one. */
function bothRounds(a: RoundResult, b: RoundResult): RoundResult {
  return {
    replay: a.replay && b.replay,
    recipients: a.recipients + b.recipients,
    created: a.created + b.created,
    ...(a.roleChanged || b.roleChanged ? { roleChanged: (a.roleChanged ?? 0) + (b.roleChanged ?? 0) } : {}),
    geminiCalls: a.geminiCalls + b.geminiCalls,
    summaries: [...a.summaries, ...b.summaries],
  };
}

async function notifyRound(
  deps: AgentDeps,
  input: ReconciliationEvent,
  report: ReconciliationReport,
  who: { wholePicture: boolean; partners: boolean; sourceSuffix?: string },
): Promise<NotifyOutcome> {
  const subject = `${COLLECTIONS.reconciliations}/${input.reconciliationId}`;
  const partnerIds = who.partners ? partnersInReport(report) : [];
  const [lists, known] = await Promise.all([
    mapLimited(
      [
        ...(who.wholePicture ? [{ roles: WHOLE_PICTURE_ROLES }] : []),
        ...partnerIds.map((partnerId) => ({ roles: PARTNER_STATEMENT_ROLES, partnerId })),
      ],
      QUERY_CONCURRENCY,
      (query) => findRecipients(deps.db, query),
    ),
    // The listed entries, the partners without an allocation and who accepted the LUAF, as readers know them.
    readKnownAs(deps.db, {
      report,
      entryIds: [...report.excluded, ...(report.corrections ?? [])].map((e) => e.entry_id),
      partnerIds: partnersInReport(report),
      accountIds: [report.luaf?.acknowledgement?.by],
    }),
  ]);
  const partnerLists = who.wholePicture ? lists.slice(1) : lists;
  const audiences: Audience[] = [
    ...(who.wholePicture ? [{ brief: reconciliationBrief(input.reconciliationId, report, known), recipients: lists[0]!.recipients }] : []),
    ...partnerIds.map((partnerId, i) => ({
      brief: allocationStatementBrief(input.reconciliationId, report, partnerId, known),
      recipients: partnerLists[i]!.recipients,
    })),
  ];
  const result = await deliverRound(deps, {
    sourceId: `${input.reconciliationId}${who.sourceSuffix ?? ""}`,
    subject,
    // Not the receipt's own stream: every partner's statement bundle carries that chain, and a
    // round's audiences name each partner.
    stream: `notify_receipt_${report.terminal_receipt_id}`,
    triggerEventId: input.eventId,
    notificationId: (uid) => reconciliationNotificationId(input.reconciliationId, uid),
    audiences,
    recipientsTruncated: anyTruncated(lists),
  });
  return { outcome: "notified", ...result };
}

export interface EntryUpdateEvent {
  entryId: string;
  eventId: string;
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
}

/**
 * Coordinators, admins and the partner's field operators hear of an entry the auditor has
 * just flagged. Every other update of an entry returns at once, without any write.
 */
export async function notifyFlaggedEntry(deps: AgentDeps, input: EntryUpdateEvent): Promise<NotifyOutcome> {
  if (!isNewFlag(input.before, input.after)) return { outcome: "skipped", reason: "not a new flag or rejection" };
  const subject = `${COLLECTIONS.productionEntries}/${input.entryId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseFlaggedEntry(input.entryId, input.after);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid audited entry: ${parsed.error}`);
    const { audit } = parsed.value;

    const checkedAt = audit.checked_at ?? deps.clock.now();
    const [reviewers, operators, names, earlier] = await Promise.all([
      findRecipients(deps.db, { roles: ENTRY_REVIEWER_ROLES }),
      findRecipients(deps.db, { roles: ENTRY_OPERATOR_ROLES, partnerId: parsed.value.entry.partner_id }),
      readPartnerNames(deps.db, [parsed.value.entry.partner_id]),
      flagsEarlierThatDay(deps.db, parsed.value.entry.partner_id, checkedAt).catch((error: unknown) => {
        // Without the count (an index still building after a deploy, JV settings out of range) each flag is told on its own.
        logger.warn("communicator: the day's earlier flags could not be counted; told on its own", { subject, error: String(error) });
        return { day: "", earlier: 0 };
      }),
    ]);
    const entry = { ...parsed.value.entry, partner_name: names.get(parsed.value.entry.partner_id) };
    // A partner id that names no document has no stream of its own to count in: each flag is told.
    if (isValidDocumentId(entry.partner_id) && earlier.earlier >= FLAG_NOTICES_PER_PARTNER_DAY) {
      // Past the day's first flags of the partner, one notice a day stands for the others.
      const { day } = earlier;
      const result = await deliverRound(deps, {
        sourceId: `flag_digest_${entry.partner_id}_${day}`,
        subject: `${COLLECTIONS.partners}/${entry.partner_id}`,
        stream: entryAuditStream(entry.partner_id),
        triggerEventId: input.eventId,
        notificationId: (uid) => flagDigestNotificationId(entry.partner_id, day, uid),
        shared: true,
        audiences: [
          {
            brief: flagDigestBrief(entry, day, FLAG_NOTICES_PER_PARTNER_DAY),
            recipients: [...reviewers.recipients, ...operators.recipients],
          },
        ],
        recipientsTruncated: anyTruncated([reviewers, operators]),
      });
      return { outcome: "notified", ...result };
    }
    const result = await deliverFlaggedRound(deps, {
      entryId: input.entryId,
      inputHash: audit.input_hash,
      checkedAt,
      status: audit.status === "rejected" ? "rejected" : "flagged",
      partnerId: entry.partner_id,
      triggerEventId: input.eventId,
      brief: flaggedEntryBrief(entry, audit),
      recipients: [...reviewers.recipients, ...operators.recipients],
      recipientsTruncated: anyTruncated([reviewers, operators]),
    });
    if ("superseded" in result) return { outcome: "skipped", reason: "a newer verdict of the entry superseded this one" };
    return { outcome: "notified", ...result };
  });
}

/** An entry's update: a new flag or rejection by the auditor, or a coordinator's new decision on a flag. */
export async function notifyEntryUpdate(deps: AgentDeps, input: EntryUpdateEvent): Promise<NotifyOutcome> {
  if (isNewReviewDecision(input.before, input.after)) return notifyEntryReview(deps, input);
  if (isNewCorrection(input.before, input.after)) return notifyEntryCorrection(deps, input);
  if (isNewLateEntry(input.before, input.after)) {
    // Its first verdict may be a flag too: the operators hear of both.
    const late = await notifyLateEntry(deps, input);
    const flag = await notifyFlaggedEntry(deps, input);
    if (late.outcome === "notified" && flag.outcome === "notified") return { ...flag, ...bothRounds(late, flag) };
    return flag.outcome === "notified" ? flag : late;
  }
  return notifyFlaggedEntry(deps, input);
}

/**
 * The partner's field operators hear of an entry a coordinator (or admin) entered for their
 * partner after the fact, with its first verdict: it is in their list though none of them filed
 * it, and only a coordinator can change it.
 */
export async function notifyLateEntry(deps: AgentDeps, input: EntryUpdateEvent): Promise<NotifyOutcome> {
  if (!isNewLateEntry(input.before, input.after)) return { outcome: "skipped", reason: "not a late entry's first verdict" };
  const subject = `${COLLECTIONS.productionEntries}/${input.entryId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseLateEntry(input.entryId, input.after);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid late entry: ${parsed.error}`);
    const { entry, audit } = parsed.value;
    const [operators, corrector, names] = await Promise.all([
      findRecipients(deps.db, { roles: ENTRY_OPERATOR_ROLES, partnerId: entry.partner_id }),
      readPersonName(deps.db, parsed.value.corrected_by),
      readPartnerNames(deps.db, [entry.partner_id]),
    ]);
    const brief = lateEntryBrief(
      { ...entry, partner_name: names.get(entry.partner_id) },
      {
        corrected_by: parsed.value.corrected_by,
        corrector_name: corrector,
        entered_at: parsed.value.corrected_at,
        correction_note: parsed.value.correction_note,
        contract_day: audit.contract_day ?? null,
        day: entryDayText(entry, audit),
        status: audit.status,
      },
    );
    return tellEntryOperators(deps, input, {
      partnerId: entry.partner_id,
      sourceId: `late_${input.entryId}`,
      notificationId: (uid) => lateEntryNotificationId(input.entryId, uid),
      brief,
      operators,
    });
  });
}

/** One round to an entry's partner's field operators, logged in the partner's chain. */
async function tellEntryOperators(
  deps: AgentDeps,
  input: EntryUpdateEvent,
  round: {
    partnerId: string;
    sourceId: string;
    notificationId: (uid: string) => string;
    brief: NotificationBrief;
    operators: RecipientList;
  },
): Promise<NotifyOutcome> {
  const result = await deliverRound(deps, {
    sourceId: round.sourceId,
    subject: `${COLLECTIONS.productionEntries}/${input.entryId}`,
    stream: entryAuditStream(round.partnerId),
    triggerEventId: input.eventId,
    notificationId: round.notificationId,
    audiences: [{ brief: round.brief, recipients: round.operators.recipients }],
    recipientsTruncated: anyTruncated([round.operators]),
  });
  return { outcome: "notified", ...result };
}

/**
 * The partner's field operators hear of a coordinator's (or admin's) correction of one of their
 * entries: which fields changed from what to what, by whom and why. The rules then let no
 * operator edit it again. Every correction is told, a later one too: each says what it changed.
 */
export async function notifyEntryCorrection(deps: AgentDeps, input: EntryUpdateEvent): Promise<NotifyOutcome> {
  if (!isNewCorrection(input.before, input.after)) return { outcome: "skipped", reason: "not a new correction" };
  const subject = `${COLLECTIONS.productionEntries}/${input.entryId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseCorrectedEntry(input.entryId, input.after);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid corrected entry: ${parsed.error}`);
    const entry = parsed.value;
    const [operators, corrector, names, settings] = await Promise.all([
      findRecipients(deps.db, { roles: ENTRY_OPERATOR_ROLES, partnerId: entry.partner_id }),
      readPersonName(deps.db, entry.corrected_by),
      readPartnerNames(deps.db, [entry.partner_id]),
      readJvSettings(deps.db).catch((error: unknown) => {
        logger.warn("communicator: the JV settings could not be read; the correction names the UTC day", { subject, error: String(error) });
        return undefined;
      }),
    ]);
    const contractDay = settings ? contractDayOf(entry.measured_at, settings) : null;
    const correctedAtMs = entry.corrected_at.getTime();
    const brief = entryCorrectionBrief(
      { ...entry, partner_name: names.get(entry.partner_id) },
      {
        corrected_by: entry.corrected_by,
        corrector_name: corrector,
        corrected_at: entry.corrected_at,
        correction_note: entry.correction_note,
        changes: correctionChanges(input.before ?? {}, input.after ?? {}),
        reaudited: auditInputHash(input.before) !== auditInputHash(input.after),
        contract_day: contractDay,
        // Settings out of range leave the contract day unknown: the UTC day, said so.
        day: contractDay ? `contract day ${contractDay}` : `UTC day ${entry.measured_at.toISOString().slice(0, 10)}`,
      },
    );
    return tellEntryOperators(deps, input, {
      partnerId: entry.partner_id,
      sourceId: `correction_${input.entryId}_t${correctedAtMs}`,
      notificationId: (uid) => entryCorrectionNotificationId(input.entryId, correctedAtMs, uid),
      brief,
      operators,
    });
  });
}

/**
 * The partner's field operators hear of a coordinator's decision on their flagged entry (they
 * were told of the flag): one notification each per decision, a changed decision included.
 */
export async function notifyEntryReview(deps: AgentDeps, input: EntryUpdateEvent): Promise<NotifyOutcome> {
  if (!isNewReviewDecision(input.before, input.after)) return { outcome: "skipped", reason: "not a new review decision" };
  const subject = `${COLLECTIONS.productionEntries}/${input.entryId}`;
  return recorded(deps, subject, async () => {
    const parsed = parseReviewedEntry(input.entryId, input.after);
    if (!parsed.ok) throw new InvalidSource(`${subject} is not a valid reviewed entry: ${parsed.error}`);
    const { audit, review } = parsed.value;
    const [operators, reviewer, names] = await Promise.all([
      findRecipients(deps.db, { roles: ENTRY_OPERATOR_ROLES, partnerId: parsed.value.entry.partner_id }),
      readPersonName(deps.db, review.by),
      readPartnerNames(deps.db, [parsed.value.entry.partner_id]),
    ]);
    const entry = { ...parsed.value.entry, partner_name: names.get(parsed.value.entry.partner_id) };
    const decision = {
      decision: review.decision,
      note: review.note,
      previous_decision: previousDecision(input.before, review.input_hash),
      reviewer_name: reviewer,
      reviewer_role: review.by_role,
    };
    // One decision over many entries is told once for the call: the first of its entries' rounds
    // writes the notices, the others find them written and only log their round.
    const bulk = review.bulk;
    const brief = bulk ? bulkReviewBrief(entry, bulk, decision) : entryReviewBrief(entry, audit, decision);
    const decidedAt = review.at.getTime();
    const result = await deliverRound(deps, {
      sourceId: `review_${input.entryId}_${review.input_hash.slice(0, 16)}_r${review.revision}_t${decidedAt}`,
      subject,
      stream: entryAuditStream(entry.partner_id),
      triggerEventId: input.eventId,
      notificationId: (uid) =>
        bulk
          ? bulkReviewNotificationId(bulk.call, entry.partner_id, uid)
          : entryReviewNotificationId(input.entryId, review.input_hash, review.revision, decidedAt, uid),
      shared: bulk !== undefined,
      audiences: [{ brief, recipients: operators.recipients }],
      recipientsTruncated: anyTruncated([operators]),
      guard: { ref: deps.db.doc(subject), holds: (stored) => carriesReview(stored, review) },
    });
    if (result.superseded) return { outcome: "skipped", reason: "a later decision or correction of the entry superseded this one" };
    return { outcome: "notified", ...result };
  });
}

/** A partner's flags and rejections told one by one in a contract day; past them, flagDigestNotice. */
export const FLAG_NOTICES_PER_PARTNER_DAY = 50;

/**
 * The contract day (settings/jv as it is now) the flag was logged in, and how many flags and
 * rejections of the partner's entries the auditor logged earlier that day: its `entry_audited`
 * events, which nothing changes afterwards. Not the entries' own audits: an entry flagged and then
 * fixed would drop out of such a count, and a script could flag and fix without end, each flag told.
 */
export async function flagsEarlierThatDay(
  db: Firestore,
  partnerId: string,
  checkedAt: Date,
  settings?: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">,
): Promise<{ day: string; earlier: number }> {
  const clock = settings ?? (await readJvSettings(db));
  const day = contractDayOf(checkedAt, clock);
  const dayStart = contractDayStart(day, clock);
  const counted = await db
    .collection(COLLECTIONS.auditLog)
    .where("stream", "==", entryAuditStream(partnerId))
    .where("action", "==", "entry_audited")
    .where("details.verdict", "in", ["flagged", "rejected"])
    .where("at", ">=", Timestamp.fromDate(dayStart))
    .where("at", "<", Timestamp.fromDate(checkedAt))
    .orderBy("at")
    .count()
    .get();
  return { day, earlier: counted.data().count };
}

/**
 * Runs the work under agent_status. An invalid source is recorded as a failure and
 * returned, not thrown: a retry would find the same document and fail the same way.
 */
async function recorded(deps: AgentDeps, subject: string, work: () => Promise<NotifyOutcome>): Promise<NotifyOutcome> {
  try {
    return await withAgentStatus(deps.db, "communicator", deps.clock, work);
  } catch (error) {
    if (!(error instanceof InvalidSource)) throw error;
    logger.error(`communicator: ${error.message}`, { subject });
    return { outcome: "invalid", error: error.message };
  }
}

function anyTruncated(lists: readonly RecipientList[]): boolean {
  const truncated = lists.some((l) => l.truncated);
  if (truncated) logger.warn("communicator: a recipient query hit its bound; some users were not notified");
  return truncated;
}
