// A partner's written exception to a released statement, and the operator's answer (COPAS
// practice: a statement stands unless a non-operator takes exception to it within a set time,
// and the operator answers). Pure: the callables are agents/accountant/statement-exceptions.ts.
import { createHash } from "node:crypto";
import { quotedNote } from "./notification-templates";
import { oneLine } from "./typed-text";

/** The audit stream of every exception raised and answered. */
export const EXCEPTIONS_STREAM = "statement_exceptions";
export const EXCEPTION_TEXT_MIN = 20;
export const EXCEPTION_TEXT_MAX = 2_000;
export const ANSWER_TEXT_MAX = 2_000;
/** Exceptions a partner may have open on one version at once: enough for any dispute, never a flood. */
export const OPEN_EXCEPTIONS_MAX = 20;
export const EXCEPTION_OUTCOMES = ["upheld", "rejected"] as const;
export type ExceptionOutcome = (typeof EXCEPTION_OUTCOMES)[number];
export type ExceptionStatus = "open" | ExceptionOutcome;

const DAY_MS = 86_400_000;

/**
 * One exception per version, partner and text: the same text sent again (a retry, a double
 * click) is the same exception, never a second one. 32 hex digits: a bounded document id.
 */
export function statementExceptionId(reconciliationId: string, partnerId: string, text: string): string {
  const digest = createHash("sha256").update(`${reconciliationId}\n${partnerId}\n${text}`, "utf8").digest("hex");
  return `x_${digest.slice(0, 32)}`;
}

/** The last instant a partner may take exception: `windowDays` after the statement was issued to it. */
export function exceptionWindowEnds(issuedAt: Date, windowDays: number): Date {
  return new Date(issuedAt.getTime() + windowDays * DAY_MS);
}

export const exceptionRaisedEventId = (exceptionId: string) => `exception_raised_${exceptionId}`;
export const exceptionAnsweredEventId = (exceptionId: string) => `exception_answered_${exceptionId}`;

export function outcomeInWords(outcome: ExceptionOutcome): string {
  return outcome === "upheld" ? "Upheld: the operator agrees; the correction follows in a later version" : "Rejected: the statement stands";
}

interface ExceptionFacts {
  reconciliation_id: string;
  terminal_receipt_id: string;
  version: number;
  partner_name: string;
  text: string;
}

/**
 * What coordinators, admins and auditors are told of an exception raised. Names on one line, the
 * partner's words inside quotes they cannot close: no text of theirs reads as the notice's own.
 */
export function exceptionRaisedNotice(e: ExceptionFacts & { raised_by_name: string }): { title: string; body: string } {
  const partner = oneLine(e.partner_name);
  return {
    title: `${partner} takes exception to version ${e.version} of receipt ${e.terminal_receipt_id}`,
    body: [
      `${oneLine(e.raised_by_name)} (${partner}) takes exception to statement ${e.reconciliation_id}:`,
      quotedNote(e.text, EXCEPTION_TEXT_MAX),
      "A coordinator or an admin answers it on the statement's page: upholds it (then corrects the figures with a late entry or a corrected ticket, and reconciles again) or rejects it, saying why.",
    ].join("\n"),
  };
}

/** What the partner's people are told of the answer. */
export function exceptionAnsweredNotice(e: ExceptionFacts & { outcome: ExceptionOutcome; answer: string; answered_by_name: string }): {
  title: string;
  body: string;
} {
  return {
    title: `Your exception to version ${e.version} of receipt ${e.terminal_receipt_id} was ${e.outcome}`,
    body: [
      `${oneLine(e.answered_by_name)} answered ${oneLine(e.partner_name)}'s exception to statement ${e.reconciliation_id}. ${outcomeInWords(e.outcome)}.`,
      quotedNote(e.answer, ANSWER_TEXT_MAX),
      `Your exception: ${quotedNote(e.text, EXCEPTION_TEXT_MAX)}`,
    ].join("\n"),
  };
}
