/**
 * What text people type and others read may not hold, checked before saving: the security rules
 * and the callables refuse it (functions/src/domain/typed-text.ts, forbiddenCharacter). A copy, not
 * an import: the web bundle must not pull in the functions' sources. The unit test
 * functions/test/unit/web-typed-text.test.ts compares the two over every character.
 *
 * Refused: controls (C0, DEL, C1; a note keeps tab, LF and CR), U+2028, U+2029, and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), with which a
 * note could show a figure in another order than it holds; in an id, invisible characters too.
 */
export type TypedTextKind = "lines" | "line" | "id";

const CONTROLS = "\\p{Cc}";
const SEPARATORS = "\\u2028\\u2029";
const BIDI_CONTROLS = "\\u202A-\\u202E\\u2066-\\u2069";
const INVISIBLE_IN_ID = "\\u00AD\\u061C\\u180E\\u200B\\u200E\\u200F\\u2060\\uFEFF";

const REFUSED: Record<TypedTextKind, RegExp> = {
  lines: new RegExp(`(?![\\t\\n\\r])[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}]`, "u"),
  line: new RegExp(`[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}]`, "u"),
  id: new RegExp(`[${CONTROLS}${SEPARATORS}${BIDI_CONTROLS}${INVISIBLE_IN_ID}]`, "u"),
};

function kindOf(c: number): string {
  if (c === 0x09) return "a tab";
  if (c === 0x0a || c === 0x0d) return "a line break";
  if (c <= 0x9f) return "a control character";
  if (c === 0x2028) return "a line separator";
  if (c === 0x2029) return "a paragraph separator";
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ? "a bidirectional control" : "an invisible character";
}

/** The first character this kind of text may not hold, named as the server names it ("U+202E (a bidirectional control)"). */
export function forbiddenCharacter(text: string, kind: TypedTextKind): string | undefined {
  const found = REFUSED[kind].exec(text);
  if (!found) return undefined;
  const c = found[0].codePointAt(0)!;
  return `U+${c.toString(16).toUpperCase().padStart(4, "0")} (${kindOf(c)})`;
}

/** Why a field's text cannot be saved, after its label ("Note must not hold U+202E (a bidirectional control)"), or undefined. */
export function typedTextProblem(label: string, text: string, kind: TypedTextKind): string | undefined {
  const character = forbiddenCharacter(text, kind);
  return character && `${label} must not hold ${character}`;
}
