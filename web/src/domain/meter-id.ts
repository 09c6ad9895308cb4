/**
 * What the security rules refuse in a meter id (optionalMeterId in firestore.rules, the same
 * characters as the gateways' isPlainMeterId): a control, line-separator, bidirectional or
 * invisible character, which would break, hide or reorder the id wherever it is shown.
 */
const UNSHOWABLE = /[\p{Cc}\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

/** Why the rules refuse this meter id, or undefined when they accept it. */
export function meterIdProblem(meterId: string): string | undefined {
  return UNSHOWABLE.test(meterId)
    ? "The meter id holds a control, line-separator, bidirectional or invisible character (perhaps pasted with it); type it again."
    : undefined;
}
