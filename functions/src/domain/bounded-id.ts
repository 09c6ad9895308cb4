// Ids a client may choose for the documents a reconciliation names (production entries,
// terminal receipts): short and plain, so that every id derived from them (manifest rows,
// audit events, notification ids, prior-period adjustment ids) stays far below
// Firestore's 1,500-byte key limit and a report can never be inflated through its ids.
// firestore.rules holds the same pattern.

export const BOUNDED_ID_MAX_LENGTH = 64;
export const BOUNDED_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Firestore reserves ids of the form __name__: writing one fails. */
const RESERVED_ID_PATTERN = /^__.*__$/;
export const BOUNDED_ID_RULE = "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-', not of the form __name__ (reserved by Firestore)";

export function isBoundedId(id: unknown): id is string {
  return typeof id === "string" && BOUNDED_ID_PATTERN.test(id) && !RESERVED_ID_PATTERN.test(id);
}

/** Longest exclusion reason a report or its exclusion list shows. */
export const REASON_MAX_LENGTH = 200;

/**
 * `text` cut to `max` characters (UTF-16 code units), an ellipsis marking the cut. Never between
 * the two halves of a surrogate pair: Firestore stores a lone half as U+FFFD, so a hash over the
 * text as written would not match the text read back.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
