/**
 * Which tickets fall on a closed contract day. closed_days ids are contract days (settings/jv),
 * as the rules and the accountant speak them; the caller names each ticket's day.
 */
import { type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";

/** One reference per distinct day. */
export function closedDayRefs(db: Firestore, days: readonly string[]): DocumentReference[] {
  return [...new Set(days)].map((day) => db.doc(`${COLLECTIONS.closedDays}/${day}`));
}

/** For each day, itself when one of `snaps` (the distinct days' records) shows it closed, or null. */
export function closedAmong(days: readonly string[], snaps: readonly DocumentSnapshot[]): Array<string | null> {
  const closed = new Set(snaps.filter((s) => s.exists).map((s) => s.id));
  return days.map((day) => (closed.has(day) ? day : null));
}

/** For each contract day, itself when it is closed, or null when it is open. One read per distinct day. */
export async function closedDaysOf(db: Firestore, days: readonly string[]): Promise<Array<string | null>> {
  const refs = closedDayRefs(db, days);
  return refs.length === 0 ? [] : closedAmong(days, await db.getAll(...refs));
}
