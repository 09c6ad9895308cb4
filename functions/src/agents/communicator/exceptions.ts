/**
 * Tells the JV (coordinators, admins, auditors) of a partner's exception to a statement, and the
 * partner's people of the operator's answer and of the version recorded as its correction: one
 * template notification per recipient and step, keyed by the exception, so a redelivered event
 * creates none twice. The partner's own words are quoted as typed, never given to Gemini.
 */
import { Timestamp } from "firebase-admin/firestore";
import type { AgentDeps } from "../../shared/agent-deps";
import { withAgentStatus } from "../../shared/agent-status";
import { statementExceptionNotificationId } from "../../domain/notification-ids";
import {
  EXCEPTION_OUTCOMES,
  exceptionAnsweredNotice,
  exceptionCorrectedNotice,
  exceptionRaisedNotice,
  type ExceptionCorrection,
  type ExceptionOutcome,
} from "../../domain/statement-exception";
import { readPartnerNames, readPersonName } from "./known-as";
import { findRecipients, WHOLE_PICTURE_ROLES, type Recipient } from "./recipients";
import { writeTemplateNotices } from "./template-notices";

export interface ExceptionEvent {
  exceptionId: string;
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
}

export type ExceptionOutcomeResult = { outcome: "skipped"; reason: string } | { outcome: "notified"; recipients: number; created: number };

const isOutcome = (value: unknown): value is ExceptionOutcome => (EXCEPTION_OUTCOMES as readonly unknown[]).includes(value);

const hasCorrection = (doc: Record<string, unknown> | undefined): boolean =>
  typeof (doc?.correction as { reconciliation_id?: unknown } | null | undefined)?.reconciliation_id === "string";

/** Which step of the exception this write is: raised, answered, or its correction recorded. */
export function stepOf(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): "raised" | "answered" | "corrected" | undefined {
  if (before === undefined && after?.status === "open") return "raised";
  if (before?.status === "open" && isOutcome(after?.status)) return "answered";
  if (before !== undefined && !hasCorrection(before) && hasCorrection(after)) return "corrected";
  return undefined;
}

export async function notifyStatementException(
  deps: Pick<AgentDeps, "db" | "clock">,
  input: ExceptionEvent,
): Promise<ExceptionOutcomeResult> {
  const { before, after } = input;
  const step = stepOf(before, after);
  if (!after || !step) return { outcome: "skipped", reason: "neither raised, answered nor corrected" };
  if (![after.reconciliation_id, after.partner_id, after.text, after.terminal_receipt_id].every((v) => typeof v === "string")) {
    return { outcome: "skipped", reason: "not an exception raiseStatementException wrote" };
  }
  const partnerId = String(after.partner_id);
  return withAgentStatus(deps.db, "communicator", deps.clock, async (): Promise<ExceptionOutcomeResult> => {
    const answer = (after.answer ?? {}) as { by?: unknown; text?: unknown };
    const correction = after.correction as ExceptionCorrection & { by: unknown };
    const actor = String(step === "raised" ? after.raised_by : step === "answered" ? answer.by : correction.by);
    const [list, partnerNames, actorName] = await Promise.all([
      findRecipients(deps.db, step === "raised" ? { roles: WHOLE_PICTURE_ROLES } : { roles: ["jv_partner"], partnerId }),
      readPartnerNames(deps.db, [partnerId]),
      readPersonName(deps.db, actor),
    ]);
    const facts = {
      reconciliation_id: String(after.reconciliation_id),
      terminal_receipt_id: String(after.terminal_receipt_id),
      version: Number(after.version),
      partner_name: partnerNames.get(partnerId) ?? partnerId,
      text: String(after.text),
    };
    const { title, body } =
      step === "raised"
        ? exceptionRaisedNotice({ ...facts, raised_by_name: actorName ?? actor })
        : step === "answered"
          ? exceptionAnsweredNotice({
              ...facts,
              outcome: after.status as ExceptionOutcome,
              answer: String(answer.text),
              answered_by_name: actorName ?? actor,
            })
          : exceptionCorrectedNotice({ ...facts, correction, recorded_by_name: actorName ?? actor });
    // No guard read: an exception is never deleted, and a late event for a step since passed (answered
    // before its raising was told) tells the step it is about, as it was.
    const created = await writeTemplateNotices(deps, {
      recipients: list.recipients,
      notificationId: (uid) => statementExceptionNotificationId(input.exceptionId, step, uid),
      notice: (r: Recipient) => ({
        recipient_uid: r.uid,
        type: `statement_exception_${step}`,
        title,
        body,
        data: {
          // The correction's notice leads to the version that corrects.
          reconciliation_id: step === "corrected" ? correction.reconciliation_id : facts.reconciliation_id,
          terminal_receipt_id: step === "corrected" ? correction.terminal_receipt_id : facts.terminal_receipt_id,
          exception_id: input.exceptionId,
          partner_id: partnerId,
          ...(step === "answered" ? { outcome: after.status } : {}),
        },
        summary_source: "template",
        read: false,
        created_at: Timestamp.fromDate(deps.clock.now()),
      }),
    });
    return { outcome: "notified", recipients: list.recipients.length, created: created ?? 0 };
  });
}
