/**
 * A statement exception's bounds and window as raiseStatementException and
 * answerStatementException hold them (functions/src/domain/statement-exception.ts), copied
 * because the bundle must not import the functions' sources;
 * functions/test/unit/web-statement-exception.test.ts fails when they differ. And the versions
 * offered to a coordinator as an upheld exception's correction (recordExceptionCorrection).
 */
export const EXCEPTION_TEXT_MIN = 20;
export const EXCEPTION_TEXT_MAX = 2000;
export const ANSWER_TEXT_MIN = 20;
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
  /** The receipt its receipt replaces (its `supersedes_receipt`), when it is a replacing one's. */
  replaces?: string;
  /**
   * Why the callable would refuse it (functions/src/domain/statement-exception.ts, correctionRefusal),
   * in a few words; undefined: it may be recorded.
   */
  refused?: "not released" | "no line" | "unchanged";
}

/** How many receipts replacing one another recordExceptionCorrection follows back from a correcting version (REPLACED_CHAIN_MAX). */
export const REPLACED_CHAIN_MAX = 10;

/**
 * The exception's receipt, then the receipts entered to replace it, then those replacing them, as
 * far as the callable follows a correcting version back: the receipts whose versions may correct
 * it, in that order. `versions` are the versions read so far of receipts replacing one of them
 * (their `supersedes_receipt`); a receipt found here is read in turn.
 */
export function replacementChain(
  receiptId: string,
  versions: ReadonlyArray<{ terminal_receipt_id: string; supersedes_receipt?: { terminal_receipt_id: string } | null }>,
): string[] {
  const chain = [receiptId];
  for (let at = 0; at < chain.length && chain.length <= REPLACED_CHAIN_MAX; at += 1) {
    for (const v of versions) {
      if (v.supersedes_receipt?.terminal_receipt_id !== chain[at] || chain.includes(v.terminal_receipt_id)) continue;
      if (chain.length > REPLACED_CHAIN_MAX) break;
      chain.push(v.terminal_receipt_id);
    }
  }
  return chain;
}

/**
 * The versions that may correct the exception: the later ones of its receipt, newest first, then
 * those of receipts entered to replace it, in the order of `chain` (replacementChain; without it,
 * by receipt id), each newest first (`versions` holds them with the receipt's own), each marked
 * with what the callable would refuse (not released to the partners yet, without a line of the
 * exception's partner, or with that line's figures as on the version excepted to, `excepted`).
 * The callable decides.
 */
export function correctionChoices(
  exception: { version: number; partner_id: string; terminal_receipt_id: string },
  excepted: { allocations?: readonly Line[] } | undefined,
  versions: ReadonlyArray<{
    id: string;
    version: number;
    terminal_receipt_id: string;
    released?: boolean;
    allocations?: readonly Line[];
    supersedes_receipt?: { terminal_receipt_id: string } | null;
  }>,
  chain: readonly string[] = [],
): CorrectionChoice[] {
  const lineOf = (report: { allocations?: readonly Line[] } | undefined) =>
    (report?.allocations ?? []).find((a) => a.partner_id === exception.partner_id);
  const before = lineOf(excepted);
  const own = (v: { terminal_receipt_id: string }) => v.terminal_receipt_id === exception.terminal_receipt_id;
  const place = (v: { terminal_receipt_id: string }) => {
    const at = chain.indexOf(v.terminal_receipt_id);
    return at < 0 ? chain.length : at;
  };
  // A version read by two of the queries (receipts replacing one another in a loop) is offered once.
  const unique = [...new Map(versions.map((v) => [v.id, v])).values()];
  return unique
    .filter((v) => !own(v) || v.version > exception.version)
    .sort(
      (a, b) =>
        Number(own(b)) - Number(own(a)) ||
        place(a) - place(b) ||
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
      const replaces = own(v) ? undefined : v.supersedes_receipt?.terminal_receipt_id;
      const choice = {
        id: v.id,
        terminal_receipt_id: v.terminal_receipt_id,
        version: v.version,
        replacing: !own(v),
        ...(replaces ? { replaces } : {}),
      };
      return refused ? { ...choice, refused } : choice;
    });
}
