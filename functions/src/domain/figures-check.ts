/**
 * Gemini explains; it never decides a number. Before a generated text is shown, every
 * figure written in it must be one of the source report's figures, as a person would
 * write it. The rules, for a written number w and a report number a:
 *
 * - Reading: `1,234.56` (comma thousands separators), `-12.5` / `−12.5` / `–12.5` (any dash,
 *   a minus only when it starts the token: in `M-101` or `10-12` it is a separator), `+12.5`, `12.5%`,
 *   `12.5 %`, `12.5 percent`. Digits inside words count (`12.5bbl`, `3rd`), so a figure
 *   cannot hide in a unit. Numbers in words count too ("seven", "twenty-one" are 7 and 21; not
 *   the pronoun "one" after a determiner: "no one", "the previous one");
 *   digits of other scripts ("４", "٤"), superscripts and fraction signs ("½") match nothing.
 *   A figure scaled by a word or suffix ("1.2 thousand", "2 million", "4k", "13 Mbbl", "a
 *   dozen") matches nothing, nor do spaced groups ("1 234"), so such a text is rejected: the safe side.
 * - Rounding: w may give fewer decimals than a, rounded (1234.56 → 1,234.6 or 1,235), or
 *   more when they are zeros (12.5 → 12.50). A rounding to a whole number below 10 is not
 *   accepted (0.99123 is not "1"): single digits are counts, and counts must be exact.
 * - Sign: w may be a or |a| (a shrinkage of -12.5 written as "a gain of 12.5 bbl"); a
 *   written minus needs a negative a, a written plus one that is not negative.
 * - Percent: w% may be a (a share_percent) or, for a figure the caller lists as a factor (CTL,
 *   CPL, CTPL, CSW, a meter factor: {@link FACTOR_KEY}), a × 100 (0.995 as 99.5%, a CPL of 1 as
 *   100%); a BS&W of 0.45 (%) is never "45%", nor a shrinkage percent of 1.06 "106%".
 * - Strings: occurrences of the report's strings that contain digits (ids, meter ids,
 *   dates, names) are skipped when they stand as whole tokens; the year, month and day of
 *   any ISO date (YYYY-MM-DD) among them are allowed numbers too ("1 November 2026"). In
 *   {@link groundedFigures} they are allowed only written as that date ("1 November 2026",
 *   "November 1–8, 2026", "November 2026"): the day of a period is never a volume or a count.
 * - Counts (entries, partners, a version number) are allowed only if the caller lists
 *   them: {@link collectFigures} adds every array length for that reason.
 */

import { misorderedComparisons, type LocatedNumber } from "./figure-comparisons";
import { partnersNamed, type PartnerLabels } from "./partner-mentions";
import { escapeRegExp } from "./regexp-text";

export type { PartnerLabels };

export interface WrittenNumber {
  /** As written, sign and percent sign included. */
  raw: string;
  /** Magnitude, separators removed. */
  value: number;
  decimals: number;
  negative: boolean;
  percent: boolean;
  /** Written with a volume unit after it ("12.5 bbl", "12.5 barrels"). */
  volume: boolean;
  /** Written as a version number ("version 2", "v2"). */
  version: boolean;
  /** Written as a change in one direction: "rose by 35.28 bbl", "a loss of 2 bbl", "a 35.28 bbl decrease". */
  direction?: DirectionClaim;
}

export type Direction = "up" | "down";

export interface DirectionClaim {
  direction: Direction;
  /** Told as a gain or a loss ("a net loss of"), not as a rise or a fall ("fell by"). */
  balance: boolean;
}

export interface FiguresCheck {
  ok: boolean;
  /** Written figures that match no report figure, as written, first occurrence order. */
  unknown: string[];
}

const SCALE_WORDS = "hundred|thousand|million|billion|trillion|lakh|lac|crore|dozen|grand|basis points?";
/**
 * Scale suffixes and scaled units ("4k", "13B", "13 kb/d", "2 MMscf", "2 Mio.", "13 MSTB", "2 Gbbl",
 * "13 bps"): a figure so written matches nothing.
 */
const SCALE_SUFFIXES =
  "k|m|mm|mmm|mn|mln|mil|mio|mrd|b|bn|bln|kb|mb|mmb|kbbl|mbbl|mmbbl|gbbl|kilobarrel|megabarrel|kbd|mbd|mmbd|bpd|mscf|mmscf|bcf|tcf|mstb|mmstb|mboe|mmboe|mbo|mmbo|bps|bp";
/** Minus signs a reader takes for one (hyphens and dashes, modifier, heavy, superscript, subscript and box-drawing minus), and plus signs. */
const MINUS_SIGNS = "-−‐‑‒–—﹣－˗➖―⁻₋─";
const PLUS_SIGNS = "+➕";
const SIGN = `[${MINUS_SIGNS}${PLUS_SIGNS}]`;
const NUMBER = new RegExp(
  `(${SIGN}?)(?<!\\d)` +
    "(\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.(\\d+))?(\\s?%|\\s(?:percent|per cent)\\b)?" +
    `(\\s?(?:${SCALE_WORDS}|${SCALE_SUFFIXES})s?\\b\\.?)?`,
  "giu",
);
const UNIT_WORDS =
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(
    " ",
  );
const TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split(" ");
/** Tens as people misspell them ("fourty-two"): a figure, never the report's. */
const MISSPELT_TENS = "fourty|ninty|nintey";
const UNIT_AFTER_TENS = `(?:[-‐‑‒–—\\s]?(${UNIT_WORDS.slice(1, 10).join("|")}))?`;
/** "one fifth", "two-thirds", "a quarter", "half": a share in words, never the report's figure. */
const FRACTION_WORDS = "halves|half|thirds|quarters|fifths|sixths|sevenths|eighths|ninths|tenths";
const FRACTION = `(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine)[-‐‑\\s](?:third|quarter|fifth|sixth|seventh|eighth|ninth|tenth|${FRACTION_WORDS})|${FRACTION_WORDS})`;
const NUMBER_WORD = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(${TEN_WORDS.join("|")})${UNIT_AFTER_TENS}|${FRACTION}|(${UNIT_WORDS.join("|")})|(?:${MISSPELT_TENS})${UNIT_AFTER_TENS}|(?:${SCALE_WORDS})s?)(?![\\p{L}\\p{N}])`,
  "giu",
);
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** What stands before "one" when it is the pronoun: a determiner, or "the" and one word ("the previous one"). */
const PRONOUN_ONE_BEFORE = /(?<![\p{L}\p{N}])(?:no|each|every|any|this|that|which|another|the(?:\s+\p{L}+)?)\s+$/iu;
const OTHER_DIGITS = /(?:(?![0-9])[\p{Nd}\p{Nl}\p{No}])+/gu;
/**
 * Characters a reader does not see (zero-width space and joiners, soft hyphen, BOM, direction
 * marks, variation selectors, tags) and a combining mark on a digit. The check reads a text, and
 * the strings it is grounded on, without them, as a reader does: "1\u200b4,076.96" is 14,076.96.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}|(?<=\p{Nd}\p{M}*)\p{M}/gu;
/**
 * What could show a reader other characters, or the same in another order, than the check reads:
 * bidi embeddings, overrides and isolates, controls other than tab and line breaks, other format
 * characters a reader may see nothing of, line and paragraph separators, private-use and unassigned
 * code points; and look-alikes of ASCII a notice never needs (fullwidth and small forms, mathematical
 * letters and digits: "１ＯＯ,ＯＯＯ", "2．13", "＋35.28"). A text holding any is refused.
 */
const MISLEADING =
  /[\u202A-\u202E\u2066-\u2069\u2028\u2029\uFE50-\uFE6B\uFF01-\uFF5E\u{1D400}-\u{1D7FF}\p{Co}\p{Cn}]|(?![\t\n\r])\p{Cc}|(?!\p{Default_Ignorable_Code_Point})\p{Cf}/gu;
/** Two figures with only spaces between them ("1 4,076.96", "1 234") read as one to many readers. */
const SPACES_ONLY = /^[\p{Zs}\t]+$/u;

/** `text` as a reader reads it: without the characters no one sees. */
export function asRead(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** The characters of `text` that could mislead a reader (see {@link MISLEADING}), each once, as "U+202E". */
export function misleadingCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const [c] of text.matchAll(MISLEADING)) found.add(`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return [...found];
}

/**
 * What the check cannot read as a reader would, so a text holding any is refused: misleading
 * characters, and a day written as an ordinal word ("the twelfth of November"), which is never
 * one of the report's (looked for before dates are masked, since "November 2026" may be masked).
 */
function unreadableFigures(text: string): string[] {
  const read = asRead(text);
  return [...misleadingCharacters(text), ...ordinalDays(read), ...ambiguousFigures(read)];
}

/** Letters and signs a reader takes for digits: O o I l |, Greek, Cyrillic, Armenian, Coptic and Lisu O, Greek and Cyrillic I, U+01C0. */
const DIGIT_LIKE = "OoIl|\u0399\u039F\u03BF\u041E\u043E\u0406\u0456\u04C0\u04CF\u01C0\u0555\u0585\u2C9E\u2C9F\uA4F3";
/**
 * Figures a reader reads otherwise than the check, or the check cannot read at all: letters that
 * pass for digits in a figure's shape ("lOO,OOO bbl", Greek "ΙΟ,ΟΟΟ"); digits joined by a sign
 * other than the comma and the point ("1‚000", "1，000", "1'000", "1⠀000"); a point before three
 * digits that may be thousands ("1.000", "12.500": never a figure of a report, whose volumes have
 * two decimals and factors five) and a comma before other than three ("1,5"); an exponent ("1e3"),
 * a fraction ("1/2") and per-mille signs.
 */
const AMBIGUOUS = new RegExp(
  [
    `(?<![\\p{L}\\p{N}])(?=[${DIGIT_LIKE}\\d]*[${DIGIT_LIKE}])(?=[${DIGIT_LIKE}]*\\d|[${DIGIT_LIKE}\\d]{1,3}[,.][${DIGIT_LIKE}\\d]{3}|[${DIGIT_LIKE}\\d]{2,}\\s?(?:%|bbl|barrels?)(?![\\p{L}\\p{N}]))[${DIGIT_LIKE}\\d]+(?:[,.][${DIGIT_LIKE}\\d]+)*(?![\\p{L}\\p{N}])`,
    "\\p{Nd}\\s*[\\u201A\\uFF0C\\u3001\\u060C\\u066B\\u066C\\u2800\\u02CC\\u00B7\\u2027\\u2219'\\u2019\\u2018\\u2032\\u2035\\u02B9\\u02BB\\u02BC\\u00B4`\\u2024\\u22C5][\\s\\u2800]*\\p{Nd}",
    "(?<![\\p{N}.,])[1-9]\\d{0,2}\\.\\d{3}(?![\\p{N}]|[.,]\\p{N})",
    // "13.000,00", "2.000.000": thousands grouped by points, as many countries write them.
    "(?<![\\p{N}.,])\\d{1,3}(?:\\.\\d{3})+,\\d+(?![\\p{N}])",
    "(?<![\\p{N}.,])\\d{1,3}(?:\\.\\d{3}){2,}(?![\\p{N}])",
    "(?<![\\p{N}.,])\\d+,(?:\\d{1,2}|\\d{4,})(?![\\p{N}])",
    "(?<![\\p{L}\\p{N}])\\d+(?:\\.\\d+)?[eE][+-]?\\d+(?![\\p{L}\\p{N}])",
    "(?<![\\p{L}\\p{N}/])\\d+[/\\u2044\\u2215]\\d+(?![\\p{L}\\p{N}/])",
    "[\\u2030\\u2031]",
    // Money: a notice speaks barrels, never an amount of a currency ("$4,076.96").
    "\\p{Sc}\\s?\\d|\\d\\s?\\p{Sc}",
  ].join("|"),
  "gu",
);

function ambiguousFigures(text: string): string[] {
  return [...new Set([...text.matchAll(AMBIGUOUS)].map((m) => m[0]))];
}

const ISO_DATE = /(\d{4})-(\d{2})-(\d{2})/g;

const SIGN_CHAR = new RegExp(SIGN, "u");
const MINUS_WORD_BEFORE = /(?<![\p{L}\p{N}])(?:minus|negative)\s+$/iu;
/** A volume unit after a figure, past a closing parenthesis or a trailing minus ("(35.28) bbl", "35.28- bbl"). */
const VOLUME_AFTER = new RegExp(`^[)\\-${MINUS_SIGNS.slice(1)}]?\\s?(?:bbls?|barrels?|stb|bo|boe)(?![\\p{L}\\p{N}])`, "iu");
const SCALED_AFTER = new RegExp(`^\\s?(?:${SCALE_WORDS}|${SCALE_SUFFIXES})s?(?![\\p{L}\\p{N}])`, "iu");
const POINT_AFTER = /^\s+point\s+\p{L}/iu;
const VERSION_BEFORE = /(?<![\p{L}\p{N}])(?:version|ver|v)\.?\s*$/iu;

/** Verbs that make "up" and "down" no rise or fall: "picks up 43.54 bbl", "broken down: 35.28 bbl". */
const PHRASAL_UP =
  "pick|picks|picked|picking|take|takes|took|taken|taking|make|makes|made|making|give|gives|gave|given|eat|eats|ate|eaten|use|uses|used|add|adds|added|sum|sums|summed|end|ends|ended|split|splits|break|breaks|broke|broken|set|sets|tally|tallies|tallied|bring|brings|brought|shore|shored|free|freed|open|opened|back|backed";
const PHRASAL_DOWN = "break|breaks|broke|broken|breaking|set|sets|put|puts|lay|lays|laid|shut|shuts|settle|settled|settles|narrow|narrowed";
const RISE_WORDS = `increase|increased|increases|increasing|rise|rises|rose|risen|rising|(?<!(?:${PHRASAL_UP})\\s+)up|upward|upwards|grew|grown|grow|grows|added|climbed|jumped|raised|boosted`;
const FALL_WORDS = `decrease|decreased|decreases|decreasing|fall|falls|fell|fallen|falling|(?<!(?:${PHRASAL_DOWN})\\s+)down|downward|downwards|drop|drops|dropped|decline|declined|declines|reduced|reduction|cut|shrank|shrunk|lowered|dipped|slipped|sank|trimmed`;
const GAIN_WORDS = "gain|gains|gained|surplus";
const LOSS_WORDS = "loss|losses|lost|lose|shortfall";
const DIRECTION_WORDS = `(?:(${RISE_WORDS})|(${FALL_WORDS})|(${GAIN_WORDS})|(${LOSS_WORDS}))`;
/** Words that may stand between a direction and its figure: "rose sharply by about 35.28", "a net loss of 2", "by as much as 2". */
const CONNECTORS = "by|of|a|an|as|much|some|about|around|just|net|total|overall|\\p{L}+ly";
/**
 * Between the words of a direction and its figure: spaces, or an opening parenthesis, a colon or a
 * dash ("rose (by 35.28 bbl)"), or a comma before "by" ("increased slightly, by 35.28 bbl").
 */
const GAP = "(?:\\s+|\\s*[(:—–]\\s*|,\\s*(?=by\\b))";
const DIRECTION_BEFORE = new RegExp(`(?<![\\p{L}\\p{N}])${DIRECTION_WORDS}(?:${GAP}(?:${CONNECTORS})(?![\\p{L}\\p{N}]))*${GAP}$`, "iu");
const DIRECTION_AFTER = new RegExp(
  `^[)\\-‐‑]?(?:\\s?(?:bbls?|barrels?|stb|bo|boe|percentage points?))?\\s+${DIRECTION_WORDS}(?![\\p{L}\\p{N}])`,
  "iu",
);

/**
 * The direction the words next to a figure give it: a word of change before it, or after it and
 * its unit ("a 35.28 bbl decrease"). Comparatives ("higher", "more", "less") give none: whether
 * "35.28 bbl more" is a rise depends on which side is the subject ("version 1 gave you 35.28 bbl
 * more"), which the check cannot read.
 */
function directionAt(text: string, start: number, end: number): { direction?: DirectionClaim } {
  const claims = new Map<string, DirectionClaim>();
  for (const m of [DIRECTION_BEFORE.exec(text.slice(Math.max(0, start - 80), start)), DIRECTION_AFTER.exec(text.slice(end, end + 40))]) {
    if (!m) continue;
    const claim: DirectionClaim = {
      direction: m[1] !== undefined || m[3] !== undefined ? "up" : "down",
      balance: m[3] !== undefined || m[4] !== undefined,
    };
    claims.set(`${claim.direction}:${claim.balance}`, claim);
  }
  // "rose by a 2 bbl loss": two claims that differ say nothing a check could hold to.
  return claims.size === 1 ? { direction: [...claims.values()][0] } : {};
}

/** Whether the figure at `at` is written as a version number ("version 2", "v2", "ver. 2"). */
function versionBefore(text: string, at: number): boolean {
  return VERSION_BEFORE.test(text.slice(Math.max(0, at - 12), at));
}

/** `read`: the text before any masking, of the same length, where the gap between two figures is looked at. */
export function extractNumbers(text: string, read: string = text): WrittenNumber[] {
  return locateNumbers(text, read).map((f) => f.number);
}

/** {@link extractNumbers}, each with where it starts and ends in `text`. */
function locateNumbers(text: string, read: string): LocatedNumber<WrittenNumber>[] {
  const found: LocatedNumber<WrittenNumber>[] = [];
  const spans: [number, number][] = [];
  let previousPlain = false;
  for (const m of text.matchAll(NUMBER)) {
    const [whole, sign, integer, fraction = "", percent, scale] = m;
    const before = m.index > 0 ? text[m.index - 1] : "";
    const signed = sign !== "" && !WORD_CHAR.test(before);
    const raw = signed ? whole : whole.slice(sign.length);
    // ".13" is 0.13 (a dash before the point makes it unreadable); "end.13" is not a fraction.
    const digitsAt = m.index + sign.length;
    const pointed = text[digitsAt - 1] === "." && !WORD_CHAR.test(text[digitsAt - 2] ?? "");
    const dashed = pointed && SIGN_CHAR.test(text[digitsAt - 2] ?? "");
    const previous = spans.at(-1);
    const joined = previous !== undefined && previousPlain && SPACES_ONLY.test(read.slice(previous[1], m.index));
    if (joined) found.at(-1)!.number.value = Number.NaN;
    const plain = percent === undefined && scale === undefined;
    previousPlain = plain;
    const end = m.index + whole.length;
    spans.push([m.index, end]);
    // An accountant's negative volume, "(35.28) bbl" or "35.28- bbl", and "minus 35.28": a figure in
    // parentheses without a unit is a parenthesis ("the CTL (0.99123)"), a dash before words a dash.
    const unitAfter = VOLUME_AFTER.test(text.slice(end));
    const writtenNegative =
      plain &&
      ((text[m.index - 1] === "(" && sign === "" && text[end] === ")" && unitAfter) ||
        (MINUS_SIGNS.includes(text[end] ?? "") && (unitAfter || !/[\s\p{L}\p{N}]/u.test(text[end + 1] ?? ""))) ||
        MINUS_WORD_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index)));
    found.push({
      at: m.index,
      end,
      number: {
        raw: pointed ? `.${raw.trim()}` : raw.trim(),
        // A scaled figure is never one of the report's: it matches nothing.
        value:
          scale !== undefined || dashed || joined || (pointed && fraction !== "")
            ? Number.NaN
            : pointed
              ? Number(`0.${integer.replace(/,/g, "")}`)
              : Number(`${integer.replace(/,/g, "")}${fraction ? `.${fraction}` : ""}`),
        decimals: pointed ? integer.length : fraction.length,
        negative: (signed && !PLUS_SIGNS.includes(sign)) || writtenNegative,
        percent: percent !== undefined,
        volume: percent === undefined && unitAfter,
        version: versionBefore(text, m.index),
        ...directionAt(text, m.index, end),
      },
    });
  }
  for (const m of text.matchAll(NUMBER_WORD)) {
    if (spans.some(([start, end]) => m.index < end && start < m.index + m[0].length)) continue;
    const [whole, tens, unit, small] = m;
    // "no one", "each one", "the critical one": the pronoun, no figure.
    if (small?.toLowerCase() === "one" && PRONOUN_ONE_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    const end = m.index + whole.length;
    // "thirteen K bbl", "thirteen point two": scaled, or with decimals in words, it is no figure of the report's.
    const scaled = SCALED_AFTER.test(text.slice(end)) || POINT_AFTER.test(text.slice(end));
    const value = scaled
      ? Number.NaN
      : tens !== undefined
        ? (TEN_WORDS.indexOf(tens.toLowerCase()) + 2) * 10 + (unit ? UNIT_WORDS.indexOf(unit.toLowerCase()) : 0)
        : small !== undefined
          ? UNIT_WORDS.indexOf(small.toLowerCase())
          : Number.NaN;
    found.push({
      at: m.index,
      end,
      number: {
        raw: whole,
        value,
        decimals: 0,
        negative: false,
        percent: false,
        volume: VOLUME_AFTER.test(text.slice(end)),
        version: versionBefore(text, m.index),
        ...directionAt(text, m.index, end),
      },
    });
  }
  // Digits of other scripts, superscripts, Roman numerals and fraction signs are figures too, never the report's.
  for (const m of text.matchAll(OTHER_DIGITS)) {
    found.push({
      at: m.index,
      end: m.index + m[0].length,
      number: { raw: m[0], value: Number.NaN, decimals: 0, negative: false, percent: false, volume: false, version: false },
    });
  }
  return found.sort((a, b) => a.at - b.at);
}

/** `factors`: figures that may also be written × 100 as a percent (collectFigures' `factors`). */
export function allFiguresFromReport(
  text: string,
  allowedNumbers: readonly number[],
  allowedStrings: readonly string[] = [],
  factors: readonly number[] = [],
): FiguresCheck {
  const unreadable = unreadableFigures(text);
  if (unreadable.length > 0) return { ok: false, unknown: unreadable };
  const read = asRead(text);
  const strings = allowedStrings.map(asRead);
  return checkFigures(read, read, [...allowedNumbers, ...dateParts(strings)], strings, factors);
}

/**
 * The standard's reference temperature as texts name it ("API gravity at 60 °F"): trusted
 * strings, so that 60 is grounded only written as a temperature, never as a share or a volume.
 */
export const REFERENCE_TEMPERATURES = ["60 °F", "60 degrees Fahrenheit", "60 deg F"];

/**
 * What a generated text may cite, split by trust. `numbers` come from structured fields;
 * `trustedStrings` are server-written texts (a standard's name, an ISO day): they are masked,
 * and their figures and dates count where written as there ("MPMS 11.1", "1 November 2026"),
 * never as another figure. `untrustedStrings` are what people typed (ids,
 * names, notes, meter ids) or free text built from it (findings, explanations): they never
 * ground a figure. Only the id-like ones (one token of letters, digits, `_` and `-`, with a
 * letter) that start with a letter are masked, so "entry M-101" may be named; a sentence
 * smuggled into an id is not, nor an id that reads as a figure ("12500bbl").
 */
export interface Grounding {
  numbers: readonly number[];
  trustedStrings: readonly string[];
  untrustedStrings: readonly string[];
  /**
   * Partners' names (an admin writes them), among the untrusted strings: one that
   * {@link isNameLike} or {@link isWholeNameLike} may be written whole ("Block 42 Energy"); it grounds no figure. Meter ids,
   * which operators and gateways choose, are masked only as one id-like token ("LACT-01").
   */
  names?: readonly string[];
  /** Among `numbers`, the factors, which may also be written × 100 as a percent ("CSW 99.5%"). */
  factors?: readonly number[];
  /**
   * Among `numbers`, what each kind of figure may be (collectFigures' `kinds`): given, a figure
   * written as a percent, a volume or a version must be one of its kind, never another number
   * of the report that happens to be equal ("13%" from 13 entries, "40.32 bbl" from a share).
   */
  kinds?: FigureKinds;
}

/**
 * The report's numbers by what they are, from their field names. A percent written may be a
 * percent or a number of no known kind (a statistic), a volume written a volume or such a number,
 * a version written only a version: counts, factors and measurements (API gravity, temperature,
 * pressure) are none of those.
 */
export interface FigureKinds {
  percents: readonly number[];
  volumes: readonly number[];
  versions: readonly number[];
  /** Numbers of no known kind. */
  other: readonly number[];
  /**
   * Among the numbers, changes and gains or losses, with the direction their sign gives them: a
   * figure written as a rise or a fall ("fell by 35.28 bbl") must be one of these in that
   * direction, or a number that is not one of them.
   */
  directed?: readonly DirectedFigure[];
  /**
   * Among the numbers, the partners' own: a figure written in a clause that names partners must
   * be one of theirs, or one of no partner's ("Beta Oil was allocated 6,035.78 bbl" when that is
   * Alpha Energy's allocation is refused).
   */
  owned?: readonly OwnedFigure[];
  partners?: readonly PartnerLabels[];
}

/** Undefined for a zero: no rise or fall, no gain or loss. */
export interface DirectedFigure {
  value: number;
  /** Which way it went, as "rose" or "fell" tell it. */
  rise: Direction | undefined;
  /** Which way it went for its holder, as "gain" or "loss" tell it: more shrinkage is more loss. */
  balance: Direction | undefined;
  /** The partner whose figure it is, when it stands in one partner's object (see {@link OwnedFigure}). */
  partner?: string;
}

/** A figure that stands in an object of one partner's (one with its `partner_id`): that partner's. */
export interface OwnedFigure {
  value: number;
  partner: string;
}

const NAME_WORDS = 4;

/**
 * A name with digits that reads as a name, not a figure: it starts with a letter, has at most
 * four words of letters, digits and `&'._-`, and no decimal, thousands group or percent sign.
 */
export function isNameLike(s: string): boolean {
  return /^\p{L}[\p{L}\p{N} &'._-]*$/u.test(s) && !/\d[.,]\d/.test(s) && words(s).length <= NAME_WORDS;
}

export function groundedFigures(text: string, grounding: Grounding): FiguresCheck {
  const unreadable = unreadableFigures(text);
  if (unreadable.length > 0) return { ok: false, unknown: unreadable };
  const read = asRead(text);
  const trusted = grounding.trustedStrings.map(asRead);
  const untrusted = grounding.untrustedStrings.map(asRead);
  // A trusted string's dates ground only themselves, written as dates; its other figures only
  // themselves, written beside a word they stand beside there ("MPMS 11.1", "0.01 bbl").
  // A typed id that starts with a digit ("12500bbl", "2k") reads as a figure: it is never masked.
  // A typed name of up to three words with a number word ("Seven Energy") names, never counts;
  // a partner's name with digits ("Block 42 Energy Partners Limited") names where written whole.
  const maskable = [
    ...trusted,
    ...untrusted.filter((s) => isIdLike(s) && /^\p{L}/u.test(s)),
    ...untrusted.filter((s) => !/\d/.test(s) && words(s).length <= 3 && namesWithNumberWord(s)),
    ...(grounding.names ?? []).map(asRead).filter((s) => isNameLike(s) || isWholeNameLike(s)),
  ];
  // Ids first: a receipt "TR-DEC-01" or a meter "MAY-3" is no day of a month.
  const days = maskWrittenDays(maskStrings(read, maskable), isoDays(trusted));
  // A day the data does not hold ("18 November") is no figure of it, whatever number its day is.
  const otherDays = writtenDays(days);
  if (otherDays.length > 0) return { ok: false, unknown: otherDays };
  return checkFigures(maskQuotedFigures(days, trusted), read, grounding.numbers, maskable, grounding.factors ?? [], grounding.kinds);
}

const NOT_WORD = "[^\\p{L}\\p{N}]";

/** Blanks each figure of a trusted string where the text writes it, exactly, after the word before it there or before the word after it. */
function maskQuotedFigures(text: string, trusted: readonly string[]): string {
  const spans: [number, number][] = [];
  for (const t of trusted) {
    const plain = t.replace(ISO_STAMP, " ");
    for (const m of plain.matchAll(NUMBER)) {
      const written = `${m[2]}${m[3] !== undefined ? `.${m[3]}` : ""}`;
      const figure = escapeRegExp(written);
      const start = m.index + m[1].length;
      const end = start + written.length;
      const before = /([\p{L}\p{N}]+(?:[.,]\p{N}+)*)[^\p{L}\p{N}]{0,3}$/u.exec(plain.slice(0, start))?.[1];
      const after = /^[^\p{L}\p{N}]{0,3}([\p{L}\p{N}]+)/u.exec(plain.slice(end))?.[1];
      const alone = `(?<![\\p{N}]|\\p{N}[.,])${figure}(?![\\p{N}]|[.,]\\p{N})`;
      // A capitalised name written before it there ("API", "MPMS" of "API MPMS Ch. 11.1"), its chapter
      // word written or not, in full or not: "API MPMS 11.1", "MPMS Chapter 11.1".
      const names = [
        ...new Set([...plain.slice(0, start).matchAll(/(?<![\p{L}\p{N}])\p{L}*\p{Lu}\p{L}*(?![\p{L}\p{N}])/gu)].map((n) => n[0])),
      ];
      const contexts = [
        ...(before ? [`(?<=(?<![\\p{L}\\p{N}])${escapeRegExp(before)}${NOT_WORD}{0,3})${alone}`] : []),
        ...(names.length > 0
          ? [
              `(?<=(?<![\\p{L}\\p{N}])(?:${names.map(escapeRegExp).join("|")})(?:${NOT_WORD}{1,3}(?:ch|chap|chapter))?${NOT_WORD}{1,3})${alone}`,
            ]
          : []),
        ...(after ? [`${alone}(?=${NOT_WORD}{0,3}${escapeRegExp(after)}(?![\\p{L}\\p{N}]))`] : []),
      ];
      for (const context of contexts) {
        for (const w of text.matchAll(new RegExp(context, "giu"))) spans.push([w.index, w.index + w[0].length]);
      }
    }
  }
  let masked = text;
  for (const [start, end] of spans) masked = masked.slice(0, start) + " ".repeat(end - start) + masked.slice(end);
  return masked;
}

const ORDINAL_WORDS =
  "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth";
const ORDINAL = `(?:(?:twenty|thirty)[-\\s])?(?:${ORDINAL_WORDS.split(" ").join("|")})`;
const ISO_STAMP = /\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?/g;
const MONTHS = "january february march april may june july august september october november december".split(" ");
const MONTH = `(${MONTHS.join("|")}|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?`;
/** "the twelfth of November", "November the twelfth.", "November twelfth, 2026"; the month capitalised ("may first" is no date). */
const ORDINAL_DAY = new RegExp(
  `(?<![\\p{L}\\p{N}])${ORDINAL}(?=\\s+(?:day\\s+)?of\\s+${MONTH}(?![\\p{L}\\p{N}]))|(?<=(?<![\\p{L}\\p{N}])${MONTH}\\s+(?:the\\s+)?)${ORDINAL}(?=\\s*(?:[,.;:!?)]|$)|,?\\s+\\d{4})`,
  "giu",
);

function ordinalDays(text: string): string[] {
  return [...text.matchAll(ORDINAL_DAY)].filter((m) => /^\p{Lu}/u.test(m[1] ?? m[2] ?? "")).map((m) => m[0]);
}
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)";
const DAYS = `${DAY}(?:\\s*(?:-|–|—|to|and|through|until)\\s*${DAY})?`;
const YEAR = "(?:,?\\s+(\\d{4}))?";
const ALONE_BEFORE = "(?<![\\p{L}\\p{N}.,])";
const ALONE_AFTER = "(?![\\p{L}\\p{N}])";
/** Written dates: "1 November 2026", "1–8 Nov", "November 1, 2026", "November 2026", "2026-11-01", "1-Nov-2026", "01/11/2026". */
const WRITTEN_DAYS: { pattern: RegExp; parts(m: RegExpMatchArray): { days: string[]; month: string; year?: string } }[] = [
  {
    pattern: new RegExp(`${ALONE_BEFORE}${DAYS}\\s+(?:of\\s+)?${MONTH}${YEAR}${ALONE_AFTER}`, "giu"),
    parts: ([, d1, d2, month, year]) => ({ days: [d1!, ...(d2 ? [d2] : [])], month: month!, year }),
  },
  // "November 1", "November the 13th".
  {
    pattern: new RegExp(`${ALONE_BEFORE}${MONTH}\\s+(?:the\\s+)?${DAYS}${YEAR}${ALONE_AFTER}`, "giu"),
    parts: ([, month, d1, d2, year]) => ({ days: [d1!, ...(d2 ? [d2] : [])], month: month!, year }),
  },
  // "November, 13." with a comma only where the day ends the phrase: "In November, 13 entries" is a count.
  {
    pattern: new RegExp(`${ALONE_BEFORE}${MONTH},\\s+(?:the\\s+)?${DAYS}${YEAR}(?=\\s*(?:[.;:!?)]|$))`, "giu"),
    parts: ([, month, d1, d2, year]) => ({ days: [d1!, ...(d2 ? [d2] : [])], month: month!, year }),
  },
  {
    pattern: new RegExp(`${ALONE_BEFORE}${MONTH},?\\s+(\\d{4})${ALONE_AFTER}`, "giu"),
    parts: ([, month, year]) => ({ days: [], month: month!, year }),
  },
  {
    pattern: new RegExp(`${ALONE_BEFORE}(\\d{4})-(\\d{2})-(\\d{2})${ALONE_AFTER}`, "gu"),
    parts: ([, year, month, day]) => ({ days: [day!], month: month!, year }),
  },
  // "1-Nov-2026", as run tickets write it.
  {
    pattern: new RegExp(`${ALONE_BEFORE}(\\d{1,2})-${MONTH}-(\\d{4})${ALONE_AFTER}`, "giu"),
    parts: ([, day, month, year]) => ({ days: [day!], month: month!, year }),
  },
  // "13-Nov", "Nov-13".
  {
    pattern: new RegExp(`(?<![\\p{L}\\p{N}.,-])(\\d{1,2})-${MONTH}(?![-\\p{L}\\p{N}])`, "giu"),
    parts: ([, day, month]) => ({ days: [day!], month: month! }),
  },
  {
    pattern: new RegExp(`(?<![\\p{L}\\p{N}.,-])${MONTH}-(\\d{1,2})(?![-\\p{L}\\p{N}])`, "giu"),
    parts: ([, month, day]) => ({ days: [day!], month: month! }),
  },
  // "01/11/2026" (day first) or "11/01/2026" (month first): masked when either reading is a known day.
  {
    pattern: new RegExp(`${ALONE_BEFORE}(\\d{1,2})/(\\d{1,2})/(\\d{4})${ALONE_AFTER}`, "gu"),
    parts: ([, day, month, year]) => ({ days: [day!], month: month!, year }),
  },
  {
    pattern: new RegExp(`${ALONE_BEFORE}(\\d{1,2})/(\\d{1,2})/(\\d{4})${ALONE_AFTER}`, "gu"),
    parts: ([, month, day, year]) => ({ days: [day!], month: month!, year }),
  },
];

function isoDays(strings: readonly string[]): { year: number; month: number; day: number }[] {
  return strings.flatMap((s) => [...s.matchAll(ISO_DATE)].map(([, y, m, d]) => ({ year: Number(y), month: Number(m), day: Number(d) })));
}

function monthNumber(written: string): number {
  if (/^\d+$/.test(written)) return Number(written);
  const name = written.toLowerCase();
  return MONTHS.findIndex((m) => m.startsWith(name)) + 1;
}

/** Blanks the written dates whose every day, month and year is one of `days`. */
function maskWrittenDays(text: string, days: readonly { year: number; month: number; day: number }[]): string {
  let masked = text;
  for (const { pattern, parts } of WRITTEN_DAYS) {
    for (const m of [...masked.matchAll(pattern)]) {
      const { days: written, month, year } = parts(m);
      const inMonth = days.filter((d) => d.month === monthNumber(month) && (year === undefined || d.year === Number(year)));
      const known = inMonth.length > 0 && written.every((w) => inMonth.some((d) => d.day === Number(w)));
      if (known) masked = masked.slice(0, m.index) + " ".repeat(m[0].length) + masked.slice(m.index + m[0].length);
    }
  }
  return masked;
}

/** The written dates with a day left in `text` (its month capitalised, or in digits): after the known ones are masked, days the data does not hold. */
function writtenDays(text: string): string[] {
  const found = new Set<string>();
  for (const { pattern, parts } of WRITTEN_DAYS) {
    for (const m of text.matchAll(pattern)) {
      const { days, month } = parts(m);
      if (days.length > 0 && (/^\d/.test(month) || /^\p{Lu}/u.test(month))) found.add(m[0]);
    }
  }
  return [...found];
}

const ID_LIKE = /^(?=.*\p{L})[\p{L}\p{N}_-]{1,128}$/u;

/** One token of letters, digits, `_` and `-` with at least one letter: an id, never a figure. */
export function isIdLike(s: string): boolean {
  return ID_LIKE.test(s);
}

function checkFigures(
  text: string,
  read: string,
  allowedNumbers: readonly number[],
  maskable: readonly string[],
  factors: readonly number[],
  kinds?: FigureKinds,
): FiguresCheck {
  const allowed = allowedNumbers.filter(Number.isFinite);
  const asPercent = factors.filter(Number.isFinite);
  const candidates = (written: WrittenNumber): readonly number[] => {
    if (!kinds) return allowed;
    if (written.percent) return [...kinds.percents, ...kinds.other];
    if (written.volume) return [...kinds.volumes, ...kinds.other];
    return allowed;
  };
  const directed = kinds?.directed ?? [];
  const owned = kinds?.owned ?? [];
  const namedAt = partnersNamed(
    read,
    (kinds?.partners ?? []).map((p) => ({ id: p.id, labels: p.labels.map(asRead) })),
  );
  // A figure written where partners are named must be one of theirs or of no partner's; a number
  // the report holds there only as a change answers for its direction ("rose by"), and one it also
  // holds there as a level ("increased to 1,234.56 bbl" is no change) is not judged by it.
  const told = (a: number, claim: DirectionClaim | undefined, named: ReadonlySet<string>): boolean => {
    const all = allowed.filter((n) => n === a).length;
    const theirs = owned.filter((o) => o.value === a);
    const pool = named.size === 0 ? all : all - theirs.length + theirs.filter((o) => named.has(o.partner)).length;
    if (pool <= 0) return false;
    if (claim === undefined) return true;
    const asChange = directed.filter((d) => d.value === a && (named.size === 0 || d.partner === undefined || named.has(d.partner)));
    if (asChange.length === 0 || asChange.length < pool) return true;
    return asChange.some((d) => (claim.balance ? d.balance : d.rise) === claim.direction);
  };
  const unknown = new Set<string>();
  const located = locateNumbers(maskStrings(text, maskable), read);
  for (const { at, number: written } of located) {
    const named = namedAt(at);
    // A version is written as it is: "version 2", never a rounding of another figure.
    const grounded =
      written.version && kinds
        ? kinds.versions.some((v) => v === written.value && !written.negative)
        : candidates(written).some((a) => matches(written, a, false) && told(a, written.direction, named)) ||
          asPercent.some((f) => matches(written, f, true));
    if (!grounded) unknown.add(written.raw);
  }
  for (const comparison of misorderedComparisons(read, located)) unknown.add(comparison);
  return { ok: unknown.size === 0, unknown: [...unknown] };
}

/**
 * Whether `text` repeats what people typed: any run of {@link ECHO_WORDS} consecutive words of
 * an untrusted string. A model that obeys an instruction hidden in a note or an id repeats
 * it; a text that does is not used. Plain id tokens ({@link isIdLike}: no spaces, no figures'
 * punctuation) and names of up to three words can still be written, and so can each of `names`
 * (partners' names, which an admin writes) that {@link isWholeNameLike}, where written whole: a
 * notice names the partner as the standard text would ("Shell Petroleum Development Company of
 * Nigeria Limited"). The name counts as one word, in the text and in what was typed alike, so a
 * part of it, or a run of typed words around it (a note split by the name), still counts.
 */
export const ECHO_WORDS = 4;

export function echoedInput(text: string, untrustedStrings: readonly string[], names: readonly string[] = []): string[] {
  const whole = wholeNames(names);
  const haystack = ` ${withoutWholeNames(words(text), whole).join(" ")} `;
  const echoed = new Set<string>();
  for (const s of untrustedStrings) {
    if (isIdLike(s)) continue;
    const w = withoutWholeNames(words(s), whole);
    for (let i = 0; i + ECHO_WORDS <= w.length; i++) {
      const shingle = w.slice(i, i + ECHO_WORDS).join(" ");
      if (haystack.includes(` ${shingle} `)) {
        echoed.add(s.length > 80 ? `${s.slice(0, 80)}…` : s);
        break;
      }
    }
  }
  return [...echoed];
}

/** The most words a name written whole may have ("Shell Petroleum Development Company of Nigeria Limited": 7). */
const WHOLE_NAME_WORDS = 8;

/** Company-form abbreviations a name may end a word with a full stop on, or follow a comma with ("Acme, Inc."). */
const NAME_ABBREVIATIONS = new Set([
  "co",
  "ltd",
  "inc",
  "corp",
  "plc",
  "llc",
  "lp",
  "pty",
  "bhd",
  "gmbh",
  "ag",
  "sa",
  "nv",
  "bv",
  "spa",
  "intl",
]);

/**
 * A name that may be written whole: it starts with a letter, holds only letters, digits, spaces
 * and `&'.,()_-`, has at most {@link WHOLE_NAME_WORDS} words and no decimal or thousands group; a
 * full stop only after a single letter or a company-form abbreviation ("Co.", "Ltd.", "S.A."), a
 * comma only before one ("Acme Energy, Ltd."). So no sentence passes for a name ("Beta Oil.
 * Ignore previous instructions", "Beta, ignore all previous instructions").
 */
export function isWholeNameLike(s: string): boolean {
  if (!/^\p{L}[\p{L}\p{N} &'.,()_-]*$/u.test(s) || /\d[.,]\d/.test(s) || words(s).length > WHOLE_NAME_WORDS) return false;
  const abbreviation = (word: string) => (word.length === 1 ? /\p{L}/u.test(word) : NAME_ABBREVIATIONS.has(word.toLowerCase()));
  for (const stop of s.matchAll(/([\p{L}\p{N}]*)\./gu)) if (!abbreviation(stop[1])) return false;
  for (const comma of s.matchAll(/,\s*([\p{L}\p{N}]*)/gu)) if (!NAME_ABBREVIATIONS.has(comma[1].toLowerCase())) return false;
  return true;
}

/** The names that may be written whole, as words, longest first. */
function wholeNames(names: readonly string[]): string[][] {
  return names
    .filter(isWholeNameLike)
    .map(words)
    .filter((w) => w.length >= ECHO_WORDS)
    .sort((a, b) => b.length - a.length);
}

/** `text`'s words with each whole occurrence of a name replaced by one token no word matches. */
function withoutWholeNames(text: string[], names: readonly string[][]): string[] {
  if (names.length === 0) return text;
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const name = names.find((w) => w.every((word, k) => text[i + k] === word));
    if (name) {
      out.push("\u0001");
      i += name.length;
    } else {
      out.push(text[i]);
      i += 1;
    }
  }
  return out;
}

function words(text: string): string[] {
  return (
    text
      .replace(INVISIBLE, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** `factor`: `a` is a factor, which a percent may give × 100 (0.995 as 99.5%, a CPL of 1 as 100%). */
function matches(w: WrittenNumber, a: number, factor: boolean): boolean {
  if (w.negative && !(a < 0)) return false;
  if (PLUS_SIGNS.includes(w.raw[0] ?? "") && a < 0) return false;
  const targets = w.percent && factor ? [Math.abs(a) * 100] : [Math.abs(a)];
  return targets.some((target) => {
    const exact = Math.abs(target - w.value) <= 1e-9 * Math.max(1, target);
    if (exact) return true;
    if (w.decimals === 0 && w.value < 10) return false;
    return Math.abs(target - w.value) <= 0.5 * 10 ** -w.decimals + 1e-9 * Math.max(1, target);
  });
}

function dateParts(strings: readonly string[]): number[] {
  const parts: number[] = [];
  for (const s of strings) {
    for (const [, y, m, d] of s.matchAll(ISO_DATE)) parts.push(Number(y), Number(m), Number(d));
  }
  return parts;
}

/**
 * A string with a number word that is not only number words ("Seven Energy", "NORTH-ONE"): a
 * name, masked where it stands whole. One of number words only ("Twelve Thousand") reads as a figure.
 */
function namesWithNumberWord(s: string): boolean {
  const all = words(s);
  const numberWords = all.filter((w) => new RegExp(`^(?:${NUMBER_WORD.source})$`, "iu").test(w));
  return numberWords.length > 0 && numberWords.length < all.length;
}

/** Blanks whole-token occurrences (any case) of the allowed strings that contain a digit or name with a number word, longest first. */
function maskStrings(text: string, strings: readonly string[]): string {
  const candidates = [...new Set(strings)].filter((s) => /\d/.test(s) || namesWithNumberWord(s)).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const s of candidates) {
    const pattern = new RegExp(escapeRegExp(s), "giu");
    for (const m of [...masked.matchAll(pattern)]) {
      const end = m.index + m[0].length;
      if (standsAlone(masked, m.index, end)) {
        masked = masked.slice(0, m.index) + " ".repeat(m[0].length) + masked.slice(end);
      }
    }
  }
  return masked;
}

/** No letter or digit touches [start, end), nor a decimal point or separator that continues a number. */
function standsAlone(text: string, start: number, end: number): boolean {
  const at = (i: number) => (i >= 0 && i < text.length ? text[i] : "");
  const continues = (mark: string, next: string) => /[.,]/.test(mark) && /\d/.test(next);
  return (
    !WORD_CHAR.test(at(start - 1)) &&
    !WORD_CHAR.test(at(end)) &&
    !continues(at(start - 1), at(start - 2)) &&
    !continues(at(end), at(end + 1))
  );
}

/**
 * Every number and string in a JSON-like value (a report), for {@link allFiguresFromReport}:
 * numbers, array lengths (counts), strings, and Dates or Timestamp-likes as ISO strings.
 */
/** The fields whose numbers are factors: only these may be written × 100 as a percent. */
export const FACTOR_KEY = /^(?:ctl|cpl|ctpl|csw|meter_factor)$/;

/** Field names of each kind of figure (FigureKinds); counts are array lengths and the keys below. */
const PERCENT_KEY = /(?:^|_)percent(?:_|$)/;
const VOLUME_KEY = /(?:^|_)bbl(?:_|$)/;
const VERSION_KEY = /^version$/;
const VERSION_ID = /_v(\d{1,6})$/;
const VERSION_ID_KEY = /^(?:reconciliation_id|supersedes|changes_against|replaced_version|superseded_by)$/;
const COUNT_OR_MEASURE_KEY =
  /^(?:entries|entries_\w+|\w+_not_listed|\w+_count|n|window|min_history|z_threshold|api\w*|temperature\w*|pressure\w*)$/;

/** Changes, whose sign is their direction: a delta, an adjustment, anything in a `…_delta` object. */
const CHANGE_KEY = /^(?:delta_\w+|\w+_delta|adjustments?_bbl)$/;
/** Shrinkage, positive as a loss (field NSV above the terminal's), negative as a gain. */
const LOSS_KEY = /^shrinkage_(?:bbl|percent)$/;

function directionOf(value: number, positiveIsDown: boolean): Direction | undefined {
  if (value === 0 || !Number.isFinite(value)) return undefined;
  return value > 0 !== positiveIsDown ? "up" : "down";
}

/**
 * A change rises and gains with its sign; a shrinkage is a fall and a loss when positive; a
 * change of shrinkage rises with its sign, and is more loss when positive.
 */
function directedFigure(value: number, change: boolean, loss: boolean): DirectedFigure {
  return { value, rise: directionOf(value, loss && !change), balance: directionOf(value, loss) };
}

export function collectFigures(value: unknown): { numbers: number[]; strings: string[]; factors: number[]; kinds: FigureKinds } {
  const numbers: number[] = [];
  const strings: string[] = [];
  const factors: number[] = [];
  const directed: DirectedFigure[] = [];
  const owned: OwnedFigure[] = [];
  const labels = new Map<string, Set<string>>();
  const kinds = { percents: [] as number[], volumes: [] as number[], versions: [] as number[], other: [] as number[], directed, owned };
  const walk = (v: unknown, key?: string, inChange = false, partner?: string): void => {
    if (typeof v === "number") {
      numbers.push(v);
      if (partner !== undefined) owned.push({ value: v, partner });
      const k = key ?? "";
      const change = inChange || CHANGE_KEY.test(k);
      const loss = LOSS_KEY.test(k);
      if (change || loss) directed.push({ ...directedFigure(v, change, loss), ...(partner !== undefined ? { partner } : {}) });
      if (FACTOR_KEY.test(k)) factors.push(v);
      else if (PERCENT_KEY.test(k)) kinds.percents.push(v);
      else if (VOLUME_KEY.test(k)) kinds.volumes.push(v);
      else if (VERSION_KEY.test(k)) kinds.versions.push(v);
      else if (key !== undefined && !COUNT_OR_MEASURE_KEY.test(k)) kinds.other.push(v);
    } else if (typeof v === "string") {
      strings.push(v);
      // A version's id in a field the server writes ("RCPT-7_v1"): "v1" names that version. A typed
      // string ending "_v7" (a receipt's id, a meter's) grounds no version.
      const version = key !== undefined && VERSION_ID_KEY.test(key) ? VERSION_ID.exec(v) : null;
      if (version) kinds.versions.push(Number(version[1]));
    } else if (v instanceof Date) strings.push(v.toISOString());
    else if (Array.isArray(v)) {
      numbers.push(v.length);
      if (partner !== undefined) owned.push({ value: v.length, partner });
      v.forEach((item) => walk(item, undefined, inChange, partner));
    } else if (v && typeof v === "object") {
      const toDate = (v as { toDate?: unknown }).toDate;
      if (typeof toDate === "function") {
        walk(toDate.call(v));
        return;
      }
      const fields = v as Record<string, unknown>;
      const own = typeof fields.partner_id === "string" && fields.partner_id !== "" ? fields.partner_id : partner;
      if (own !== undefined && own === fields.partner_id) {
        const known = labels.get(own) ?? new Set([own]);
        if (typeof fields.partner_name === "string" && fields.partner_name.trim() !== "") known.add(fields.partner_name.trim());
        labels.set(own, known);
      }
      for (const [k, child] of Object.entries(fields)) walk(child, k, inChange || CHANGE_KEY.test(k), own);
    }
  };
  walk(value);
  const partners = [...labels].map(([id, names]) => ({ id, labels: [...names] }));
  return { numbers, strings, factors, kinds: { ...kinds, partners } };
}
