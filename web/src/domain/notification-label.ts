/**
 * A notification's kind as its badge says it ("Flagged entry"), not its type key. Pure: the inbox
 * and the unit tests share it. The types are the communicator's (functions/src/agents/communicator).
 */
const KINDS: Readonly<Record<string, string>> = {
  reconciliation_completed: "Reconciliation",
  allocation_statement: "Allocation statement",
  reconciliation_stale: "Stale statement",
  entry_flagged: "Flagged entry",
  entry_rejected: "Rejected entry",
  entry_reviewed: "Review decision",
  entry_corrected: "Corrected entry",
  entry_entered_late: "Late entry",
  reconciliation_released: "Released to partners",
  statement_exception_raised: "Exception raised",
  statement_exception_answered: "Exception answered",
  statement_exception_corrected: "Exception corrected",
};

export function notificationKind(type: string): string {
  if (Object.hasOwn(KINDS, type)) return KINDS[type];
  const words = type.replace(/_/g, " ").trim();
  return words === "" ? "Notification" : words.charAt(0).toUpperCase() + words.slice(1);
}
