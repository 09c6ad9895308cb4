/**
 * Text Firestore can store: its strings are UTF-8, so a lone UTF-16 surrogate (which JSON's
 * "\ud800" escape can carry in) fails the whole write it is part of. Checked where text comes in.
 */
export const isWellFormedText = (text: string): boolean => !/\p{Surrogate}/u.test(text);

/** The dotted path of the first string or key holding a lone surrogate ("" for `value` itself), or undefined. */
export function malformedTextPath(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return isWellFormedText(value) ? undefined : "";
  if (typeof value !== "object" || value === null || depth > 32) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (!isWellFormedText(key)) return key.replace(/\p{Surrogate}/gu, "?");
    const below = malformedTextPath(child, depth + 1);
    if (below !== undefined) return below === "" ? key : `${key}.${below}`;
  }
  return undefined;
}
