// Notification ids are business keys: the source event and the recipient. Creating a
// notification whose id exists is refused, so a replayed or re-delivered event adds none.

/** A Firestore id may not contain "/": escape it, and the escape character, in each part. */
function idPart(value: string): string {
  return value.replace(/%/g, "%25").replace(/\//g, "%2F");
}

/** One notification per recipient and reconciliation version, whatever its type. */
export function reconciliationNotificationId(reconciliationId: string, uid: string): string {
  return `rc_${idPart(reconciliationId)}_${idPart(uid)}`;
}

/** One per recipient and stale mark (the reconciliation's `stale_since`, in ms). */
export function staleReconciliationNotificationId(reconciliationId: string, staleSinceMs: number, uid: string): string {
  return `st_${idPart(reconciliationId)}_${staleSinceMs}_${idPart(uid)}`;
}

/**
 * Flagged-entry notifications are debounced per entry: one per recipient and window of this
 * length (from the audit's `checked_at`), which a later flag in the same window overwrites
 * with the entry's latest state.
 */
export const FLAG_NOTIFY_WINDOW_MS = 15 * 60_000;

export function flagWindowKey(checkedAt: Date): string {
  return String(Math.floor(checkedAt.getTime() / FLAG_NOTIFY_WINDOW_MS));
}

/** One per recipient, entry and debounce window: a burst of edits notifies each recipient once. */
export function flaggedEntryNotificationId(entryId: string, windowKey: string, uid: string): string {
  return `ef_${idPart(entryId)}_w${idPart(windowKey)}_${idPart(uid)}`;
}

/** One per recipient, partner and contract day: the notice that stands for a day's flags past the first ones. */
export function flagDigestNotificationId(partnerId: string, day: string, uid: string): string {
  return `fd_${idPart(partnerId)}_${day}_${idPart(uid)}`;
}

/** One per recipient, bulk decision (reviewEntries' call) and partner: its operators hear of the call once. */
export function bulkReviewNotificationId(call: string, partnerId: string, uid: string): string {
  return `erb_${idPart(call)}_${idPart(partnerId)}_${idPart(uid)}`;
}

/**
 * One per recipient and review decision: the figures it judged and when it was made (its revision
 * starts again at 1 once a correction dropped the review, so the time tells decisions apart).
 */
export function entryReviewNotificationId(entryId: string, inputHash: string, revision: number, decidedAtMs: number, uid: string): string {
  return `er_${idPart(entryId)}_${inputHash.slice(0, 16)}_r${revision}_t${decidedAtMs}_${idPart(uid)}`;
}

/** One per recipient and correction of an entry (its `corrected_at`, in ms). */
export function entryCorrectionNotificationId(entryId: string, correctedAtMs: number, uid: string): string {
  return `ec_${idPart(entryId)}_t${correctedAtMs}_${idPart(uid)}`;
}

/** One per recipient and version released (a version is released once). */
export function releaseNotificationId(reconciliationId: string, uid: string): string {
  return `rr_${idPart(reconciliationId)}_${idPart(uid)}`;
}

/** One per recipient and late entry (an entry is entered once). */
export function lateEntryNotificationId(entryId: string, uid: string): string {
  return `el_${idPart(entryId)}_${idPart(uid)}`;
}

/** One per recipient, exception and step: its raising, its answer, and the correction recorded for it. */
export function statementExceptionNotificationId(exceptionId: string, step: "raised" | "answered" | "corrected", uid: string): string {
  return `sx_${idPart(exceptionId)}_${step}_${idPart(uid)}`;
}
