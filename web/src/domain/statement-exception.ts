/**
 * A statement exception's bounds and window as raiseStatementException and
 * answerStatementException hold them (functions/src/domain/statement-exception.ts), copied
 * because the bundle must not import the functions' sources;
 * functions/test/unit/web-statement-exception.test.ts fails when they differ.
 */
export const EXCEPTION_TEXT_MIN = 20;
export const EXCEPTION_TEXT_MAX = 2000;
export const ANSWER_TEXT_MAX = 2000;

const DAY_MS = 86_400_000;

/** The last instant a partner may take exception: `windowDays` after the statement was issued to it. */
export function exceptionWindowEnds(issuedAt: Date, windowDays: number): Date {
  return new Date(issuedAt.getTime() + windowDays * DAY_MS);
}
