import { z } from "zod";
import { asRead, isIdLike } from "./figures-check";

/** C0 controls, DEL and C1 controls (U+0085, the "next line", among them). */
const CONTROLS = "\\p{Cc}";
/** Line breaks that are neither LF nor CR: U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR. */
const SEPARATORS = "\\u2028\\u2029";
/** Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069): they reorder the text after them. */
const BIDI_CONTROLS = "\\u202A-\\u202E\\u2066-\\u2069";
/**
 * Invisible in an id: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
 * space, left-to-right and right-to-left marks, word joiner, zero-width no-break space. Two ids
 * that differ only by one of them look the same. (The joiners U+200C and U+200D, which some
 * scripts spell with, are kept.)
 */
const INVISIBLE_IN_ID = "\\u00AD\\u061C\\u180E\\u200B\\u200E\\u200F\\u2060\\uFEFF";

/**
 * Line breaks of every kind (the Unicode separators too), other controls, bidirectional controls
 * and private-use or unassigned code points: what would let typed text start a line of its own
 * in a notice, or show other characters or another order than it holds.
 */
const BREAKING = new RegExp(`[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}\\p{Co}\\p{Cn}]`, "gu");

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

/**
 * What kind of typed text a field holds: `lines`, a note (tabs and line breaks, LF and CR, are
 * its own); `line`, one line such as a name; `id`, one line compared character by character (a
 * meter id), where an invisible character is refused too.
 */
export type TypedTextKind = "lines" | "line" | "id";

const REFUSED: Record<TypedTextKind, RegExp> = {
  lines: new RegExp(`(?![\\t\\n\\r])[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}]`, "u"),
  line: new RegExp(`[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}]`, "u"),
  id: new RegExp(`[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}${INVISIBLE_IN_ID}]`, "u"),
};

const codePointName = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;

function characterKind(codePoint: number): string {
  if (codePoint === 0x09) return "a tab";
  if (codePoint === 0x0a || codePoint === 0x0d) return "a line break";
  if (codePoint <= 0x9f) return "a control character";
  if (codePoint === 0x2028) return "a line separator";
  if (codePoint === 0x2029) return "a paragraph separator";
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) return "a bidirectional control";
  return "an invisible character";
}

/**
 * The first character that typed text of this kind may not hold, named ("U+202E (a bidirectional
 * control)", "U+0000 (a control character)"), or undefined. Refused: controls (C0, DEL, C1; in a
 * note, not tab, LF and CR), U+2028 and U+2029, and the bidirectional embeddings, overrides and
 * isolates, with which a note could show a figure in another order than it holds. Other
 * direction-sensitive text (Arabic, Hebrew, the marks U+200E and U+200F) is kept.
 */
export function forbiddenCharacter(text: string, kind: TypedTextKind): string | undefined {
  const found = REFUSED[kind].exec(text);
  if (!found) return undefined;
  const codePoint = found[0].codePointAt(0)!;
  return `${codePointName(codePoint)} (${characterKind(codePoint)})`;
}

/** The refusal of typed text holding `character` (as forbiddenCharacter names it). */
export const forbiddenCharacterMessage = (character: string): string => `must not hold ${character}`;

/** A zod refinement: typed text of this kind, its first forbidden character named in the issue. */
export function typedText(kind: TypedTextKind) {
  return (text: string, ctx: z.RefinementCtx): void => {
    const character = forbiddenCharacter(text, kind);
    if (character !== undefined) ctx.addIssue({ code: "custom", input: text, message: forbiddenCharacterMessage(character) });
  };
}

/** A note as a callable takes it: trimmed, at most `max` characters, none of them forbidden. */
export const typedNote = (max: number) => z.string().trim().max(max).superRefine(typedText("lines"));
