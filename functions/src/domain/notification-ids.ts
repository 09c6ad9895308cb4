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

/**
 * One per recipient and audited version of the entry: a replay of the same flag adds
 * nothing, a new flag after a correction (another input hash) notifies again.
 */
export function flaggedEntryNotificationId(entryId: string, inputHash: string, uid: string): string {
  return `ef_${idPart(entryId)}_${idPart(inputHash.slice(0, 16))}_${idPart(uid)}`;
}
