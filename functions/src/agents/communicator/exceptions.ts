/**
 * Tells the JV (coordinators, admins, auditors) of a partner's exception to a statement, and the
 * partner's people of the operator's answer: one template notification per recipient and step,
 * keyed by the exception, so a redelivered event creates none twice. The partner's own words are
 * quoted as typed, never given to Gemini.
 */
import { Timestamp } from "firebase-admin/firestore";
import type { AgentDeps } from "../../shared/agent-deps";
import { withAgentStatus } from "../../shared/agent-status";
import { statementExceptionNotificationId } from "../../domain/notification-ids";
import {
  EXCEPTION_OUTCOMES,
  exceptionAnsweredNotice,
  exceptionRaisedNotice,
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

export async function notifyStatementException(
  deps: Pick<AgentDeps, "db" | "clock">,
  input: ExceptionEvent,
): Promise<ExceptionOutcomeResult> {
  const { before, after } = input;
  const raised = before === undefined && after?.status === "open";
  const answered = before?.status === "open" && isOutcome(after?.status);
  if (!after || (!raised && !answered)) return { outcome: "skipped", reason: "neither raised nor answered" };
  if (![after.reconciliation_id, after.partner_id, after.text, after.terminal_receipt_id].every((v) => typeof v === "string")) {
    return { outcome: "skipped", reason: "not an exception raiseStatementException wrote" };
  }
  const partnerId = String(after.partner_id);
  return withAgentStatus(deps.db, "communicator", deps.clock, async (): Promise<ExceptionOutcomeResult> => {
    const answer = (after.answer ?? {}) as { by?: unknown; text?: unknown };
    const actor = String(raised ? after.raised_by : answer.by);
    const [list, partnerNames, actorName] = await Promise.all([
      findRecipients(deps.db, raised ? { roles: WHOLE_PICTURE_ROLES } : { roles: ["jv_partner"], partnerId }),
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
    const { title, body } = raised
      ? exceptionRaisedNotice({ ...facts, raised_by_name: actorName ?? actor })
      : exceptionAnsweredNotice({
          ...facts,
          outcome: after.status as ExceptionOutcome,
          answer: String(answer.text),
          answered_by_name: actorName ?? actor,
        });
    const step = raised ? "raised" : "answered";
    // No guard read: an exception is never deleted, and a late event for a step since passed (answered
    // before its raising was told) tells the step it is about, as it was.
    const created = await writeTemplateNotices(deps, {
      recipients: list.recipients,
      notificationId: (uid) => statementExceptionNotificationId(input.exceptionId, step, uid),
      notice: (r: Recipient) => ({
        recipient_uid: r.uid,
        type: raised ? "statement_exception_raised" : "statement_exception_answered",
        title,
        body,
        data: {
          reconciliation_id: facts.reconciliation_id,
          terminal_receipt_id: facts.terminal_receipt_id,
          exception_id: input.exceptionId,
          partner_id: partnerId,
          ...(answered ? { outcome: after.status } : {}),
        },
        summary_source: "template",
        read: false,
        created_at: Timestamp.fromDate(deps.clock.now()),
      }),
    });
    return { outcome: "notified", recipients: list.recipients.length, created: created ?? 0 };
  });
}
