import { typedTextProblem } from "./typed-text";

/**
 * What the security rules refuse in a meter id (plainMeterId in firestore.rules, the same
 * characters as the gateways' isPlainMeterId): a control, line-separator, bidirectional or
 * invisible character, which would break, hide or reorder the id wherever it is shown.
 */
export function meterIdProblem(meterId: string): string | undefined {
  return typedTextProblem("Meter id", meterId, "id");
}
