// A partner's written exception to a released statement, and the operator's answer (COPAS
// practice: a statement stands unless a non-operator takes exception to it within a set time,
// and the operator answers). Pure: the callables are agents/accountant/statement-exceptions.ts.
import { createHash } from "node:crypto";
import { quotedNote } from "./notification-templates";
import { oneLine } from "./typed-text";
import { formatBblText } from "./statement";

/** The audit stream of every exception raised, answered and corrected. */
export const EXCEPTIONS_STREAM = "statement_exceptions";
export const EXCEPTION_TEXT_MIN = 20;
export const EXCEPTION_TEXT_MAX = 2_000;
export const ANSWER_TEXT_MIN = 20;
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
export const exceptionCorrectedEventId = (exceptionId: string) => `exception_corrected_${exceptionId}`;

/** The version an upheld exception was corrected in, as recordExceptionCorrection stores it on the exception. */
export interface ExceptionCorrection {
  reconciliation_id: string;
  terminal_receipt_id: string;
  version: number;
  /** The partner's allocation on the version excepted to, and on the correcting version. */
  allocated_bbl_before: number;
  allocated_bbl_after: number;
}

/** How many receipts replacing one another recordExceptionCorrection follows back from a correcting version. */
export const REPLACED_CHAIN_MAX = 10;

/** A partner's figures on a statement line: what a correction must restate. */
export const LINE_FIGURES = ["entries", "gross_bbl", "nsv_bbl", "share_percent", "allocated_bbl", "shrinkage_bbl"] as const;
export type LineFigures = Record<(typeof LINE_FIGURES)[number], number>;

/** What of an exception decides whether a version corrects it. */
export interface ExceptionForCorrection {
  id: string;
  status: unknown;
  reconciliation_id: string;
  terminal_receipt_id: string;
  version: number;
  partner_id: string;
  /** The partner's line on the version excepted to (null: none there). */
  line: LineFigures | null;
  /** The correction recorded already, with who recorded it and when, in words. */
  correction: (ExceptionCorrection & { recorded: string }) | null;
}

/** What of a report version decides whether it corrects an exception. */
export interface CorrectingVersion {
  id: string;
  terminal_receipt_id: string;
  version: number;
  released: boolean;
  /** The receipts its receipt replaces, nearest first (its report's supersedes_receipt, then that version's, …). */
  replaced_receipt_ids: readonly string[];
  /** The partner's line on it (null: none). */
  line: LineFigures | null;
  receipt_withdrawn: boolean;
}

/**
 * Why `version` cannot be recorded as the correction of `exception`, or undefined when it can (or
 * is recorded already). A correction is a later version of the exception's receipt, or a version
 * of a receipt entered to replace it (directly or through receipts replacing each other), released
 * to the partners, whose line for the partner restates at least one of its figures: the statement
 * the partner is pointed to must be one it can read and that changes what it excepted to.
 */
export function correctionRefusal(exception: ExceptionForCorrection, version: CorrectingVersion): string | undefined {
  const recorded = exception.correction;
  if (recorded) {
    if (recorded.reconciliation_id === version.id) return undefined;
    return `The correction of statement exception ${exception.id} is recorded already (${recorded.recorded}): version ${recorded.version} (${recorded.reconciliation_id}).`;
  }
  if (exception.status === "open") {
    return `Statement exception ${exception.id} is not answered yet: uphold it before recording the version that corrects it.`;
  }
  if (exception.status === "rejected") {
    return `Statement exception ${exception.id} was rejected: the statement stands, and no version corrects it.`;
  }
  if (exception.status !== "upheld") {
    return `Statement exception ${exception.id} has no known status (${JSON.stringify(exception.status)}): only an upheld exception has a correction.`;
  }
  if (!Number.isSafeInteger(exception.version) || !Number.isSafeInteger(version.version)) {
    return `The version numbers of reconciliation ${version.id} and of the statement excepted to (${exception.reconciliation_id}) cannot be read: which came later cannot be told.`;
  }
  const sameReceipt = version.terminal_receipt_id === exception.terminal_receipt_id;
  if (version.id === exception.reconciliation_id || (sameReceipt && version.version <= exception.version)) {
    return `Reconciliation ${version.id} is version ${version.version} of receipt ${version.terminal_receipt_id}; the exception is to version ${exception.version}: a correction is a later version.`;
  }
  if (!sameReceipt && !version.replaced_receipt_ids.includes(exception.terminal_receipt_id)) {
    return `Reconciliation ${version.id} is of receipt ${version.terminal_receipt_id}, which does not replace receipt ${exception.terminal_receipt_id}: a correction is a later version of the exception's receipt or of a receipt entered to replace it.`;
  }
  if (version.receipt_withdrawn) {
    return `Terminal receipt ${version.terminal_receipt_id} was withdrawn: its versions correct nothing.`;
  }
  if (!version.released) {
    return `Reconciliation ${version.id} has not been released to the partners yet: release it first, so that the partner can read the correction it is pointed to.`;
  }
  if (!version.line) {
    return `Partner ${exception.partner_id} has no line on reconciliation ${version.id}: it does not restate the partner's figures.`;
  }
  const before = exception.line;
  if (before && LINE_FIGURES.every((f) => before[f] === version.line![f])) {
    return `Reconciliation ${version.id} restates none of partner ${exception.partner_id}'s figures: ${version.line.entries} entries, ${formatBblText(version.line.nsv_bbl)} bbl net and ${formatBblText(version.line.allocated_bbl)} bbl allocated, as on ${exception.reconciliation_id}. Record the version that corrects what the partner excepted to.`;
  }
  return undefined;
}

export function outcomeInWords(outcome: ExceptionOutcome): string {
  return outcome === "upheld"
    ? "Upheld: the JV operator agrees; the correction follows in a later version"
    : "Rejected: the statement stands";
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

/** What the partner's people are told once the version correcting their upheld exception is recorded. */
export function exceptionCorrectedNotice(e: ExceptionFacts & { correction: ExceptionCorrection; recorded_by_name: string }): {
  title: string;
  body: string;
} {
  return {
    title: `The correction of your exception to version ${e.version} of receipt ${e.terminal_receipt_id} is version ${e.correction.version}`,
    body: [
      `${oneLine(e.recorded_by_name)} recorded statement ${e.correction.reconciliation_id} (version ${e.correction.version} of receipt ${e.correction.terminal_receipt_id}) as the correction of ${oneLine(e.partner_name)}'s upheld exception to statement ${e.reconciliation_id}.`,
      `Allocated to ${oneLine(e.partner_name)}: ${formatBblText(e.correction.allocated_bbl_before)} bbl on the statement excepted to, ${formatBblText(e.correction.allocated_bbl_after)} bbl on the correction. Its figures, and any prior-period adjustment it raised, are on that statement.`,
      `Your exception: ${quotedNote(e.text, EXCEPTION_TEXT_MAX)}`,
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
