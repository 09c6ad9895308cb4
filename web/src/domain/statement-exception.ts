/**
 * A statement exception's bounds and window as raiseStatementException and
 * answerStatementException hold them (functions/src/domain/statement-exception.ts), copied
 * because the bundle must not import the functions' sources;
 * functions/test/unit/web-statement-exception.test.ts fails when they differ. And the versions
 * offered to a coordinator as an upheld exception's correction (recordExceptionCorrection).
 */
export const EXCEPTION_TEXT_MIN = 20;
export const EXCEPTION_TEXT_MAX = 2000;
export const ANSWER_TEXT_MAX = 2000;

const DAY_MS = 86_400_000;

/** The last instant a partner may take exception: `windowDays` after the statement was issued to it. */
export function exceptionWindowEnds(issuedAt: Date, windowDays: number): Date {
  return new Date(issuedAt.getTime() + windowDays * DAY_MS);
}

/** A partner's figures on a statement line that a correction must restate, one at least (recordExceptionCorrection's LINE_FIGURES). */
export const LINE_FIGURES = ["entries", "gross_bbl", "nsv_bbl", "share_percent", "allocated_bbl", "shrinkage_bbl"] as const;

type Line = { partner_id: string } & Partial<Record<(typeof LINE_FIGURES)[number], number>>;

/** A version offered as an exception's correction, and what recordExceptionCorrection would refuse in it, if anything. */
export interface CorrectionChoice {
  id: string;
  terminal_receipt_id: string;
  version: number;
  /** Of a receipt entered to replace the exception's, not of its own. */
  replacing: boolean;
  /**
   * Why the callable would refuse it (functions/src/domain/statement-exception.ts, correctionRefusal),
   * in a few words; undefined: it may be recorded.
   */
  refused?: "not released" | "no line" | "unchanged";
}

/**
 * The versions that may correct the exception: the later ones of its receipt, newest first, then
 * those of receipts entered to replace it (`versions` holds them with the receipt's own), each
 * marked with what the callable would refuse (not released to the partners yet, without a line of
 * the exception's partner, or with that line's figures as on the version excepted to, `excepted`).
 * The callable decides.
 */
export function correctionChoices(
  exception: { version: number; partner_id: string; terminal_receipt_id: string },
  excepted: { allocations?: readonly Line[] } | undefined,
  versions: ReadonlyArray<{ id: string; version: number; terminal_receipt_id: string; released?: boolean; allocations?: readonly Line[] }>,
): CorrectionChoice[] {
  const lineOf = (report: { allocations?: readonly Line[] } | undefined) =>
    (report?.allocations ?? []).find((a) => a.partner_id === exception.partner_id);
  const before = lineOf(excepted);
  const own = (v: { terminal_receipt_id: string }) => v.terminal_receipt_id === exception.terminal_receipt_id;
  return versions
    .filter((v) => !own(v) || v.version > exception.version)
    .sort(
      (a, b) =>
        Number(own(b)) - Number(own(a)) ||
        (a.terminal_receipt_id < b.terminal_receipt_id ? -1 : a.terminal_receipt_id > b.terminal_receipt_id ? 1 : 0) ||
        b.version - a.version,
    )
    .map((v) => {
      const line = lineOf(v);
      // Reports made before releases carry no `released`: released as made.
      const refused: CorrectionChoice["refused"] =
        v.released === false
          ? "not released"
          : !line
            ? "no line"
            : before && LINE_FIGURES.every((f) => before[f] === line[f])
              ? "unchanged"
              : undefined;
      const choice = { id: v.id, terminal_receipt_id: v.terminal_receipt_id, version: v.version, replacing: !own(v) };
      return refused ? { ...choice, refused } : choice;
    });
}
