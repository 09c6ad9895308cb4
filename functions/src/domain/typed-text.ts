import { asRead, isIdLike } from "./figures-check";

/**
 * Line breaks of every kind (the Unicode separators too), other controls, bidirectional controls
 * and private-use or unassigned code points: what would let typed text start a line of its own
 * in a notice, or show other characters or another order than it holds.
 */
const BREAKING = /[\p{Cc}\u0085\u2028\u2029\u202A-\u202E\u2066-\u2069\p{Co}\p{Cn}]/gu;

/**
 * What people typed (a meter id, a partner's name, a note, a reason quoting one), as one line a
 * notice or a statement may show: nothing a reader does not see, no line break, no reordering.
 */
export function oneLine(text: string): string {
  return asRead(text).replace(BREAKING, " ").replace(/\s+/gu, " ").trim();
}

/** A meter id as shown: as is when it is one token of letters, digits, `_` and `-`; quoted otherwise ("LACT 01A" with its space). */
export function meterShown(meterId: string): string {
  const line = oneLine(meterId);
  return isIdLike(line) ? line : `"${line}"`;
}
