// Two written figures set against each other must stand that way round: "1,502.4 bbl is above the
// meter's median of 1,000 bbl" is refused when the entry is the smaller.

interface ComparedNumber {
  raw: string;
  value: number;
  decimals: number;
  negative: boolean;
  percent: boolean;
}

/** A figure as the figures check reads it, with where it stands in the text (as read). */
export interface LocatedNumber<N extends ComparedNumber = ComparedNumber> {
  at: number;
  end: number;
  number: N;
}

/**
 * Words that put the figure before them above or below the figure after. Not "more than" and
 * "less than", which as often count a difference ("35.28 bbl more than version 1"), nor "over"
 * and "under", which as often measure a span ("2 entries over 7 days").
 */
const COMPARISON =
  /(?<!\p{L})(?:(above|higher\s+than|greater\s+than|larger\s+than|exceeds|exceeded|exceeding)|(below|lower\s+than|smaller\s+than))(?!\p{L})/giu;
const NEGATION = /(?<!\p{L})(?:not|never|no|nor)(?!\p{L})|n['’]t(?!\p{L})/iu;
/**
 * Between the first figure and the comparison word: its unit, if any, and a verb that makes the
 * figure itself the one compared ("1,840.26 bbl is above", "2 % was well above"). Without one the
 * figure is as often the gap ("3.2 deviations above the median", "35 bbl above it"): not judged.
 */
const COMPARED_BY_VERB =
  /^\s*(?:[\p{L}°%'’/&-]+\s+)?(?:is|was|are|were|remains|remained|stands|stood|sits|sat|lies|lay|came\s+in|comes\s+in)\s+(?:(?:well|far|just|slightly|still|also|clearly|much|significantly)\s+)?$/iu;
/** Between two figures compared: words only ("bbl is", "the meter's median of"), no other figure, clause or sentence break. */
const WORDS_ONLY = /^[\p{L}\s'’°%&/-]*$/u;

/**
 * The comparisons of two neighbouring figures that do not hold, as "1,000 above 1,502.4": only
 * words between them, one comparison word after the first figure's verb (COMPARED_BY_VERB), both
 * percents or neither, no negation, and the figures further apart than their rounding. Anything
 * else is not judged.
 */
export function misorderedComparisons(read: string, numbers: readonly LocatedNumber[]): string[] {
  const wrong: string[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 1) {
    const [a, b] = [numbers[i].number, numbers[i + 1].number];
    if (!Number.isFinite(a.value) || !Number.isFinite(b.value) || a.percent !== b.percent) continue;
    const between = read.slice(numbers[i].end, numbers[i + 1].at);
    if (!WORDS_ONLY.test(between) || NEGATION.test(between)) continue;
    const words = [...between.matchAll(COMPARISON)];
    if (words.length !== 1 || !COMPARED_BY_VERB.test(between.slice(0, words[0].index))) continue;
    const [x, y] = [a.negative ? -a.value : a.value, b.negative ? -b.value : b.value];
    // Figures within either's rounding of each other may stand either way round ("1,502 bbl is above 1,501.6 bbl").
    const rounding = 0.5 * 10 ** -Math.min(a.decimals, b.decimals);
    const larger = words[0][1] !== undefined;
    if (Math.abs(x - y) > rounding && larger !== x > y) wrong.push(`${a.raw} ${words[0][0].toLowerCase()} ${b.raw}`);
  }
  return wrong;
}
