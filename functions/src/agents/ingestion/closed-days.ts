/**
 * Which tickets fall on a closed contract day. closed_days ids are contract days (settings/jv),
 * as the rules and the accountant speak them; the caller names each ticket's day.
 */
import { type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";

/** For each contract day, itself when it is closed, or null when it is open. One read per distinct day. */
export async function closedDaysOf(db: Firestore, days: readonly string[]): Promise<Array<string | null>> {
  const distinct = [...new Set(days)];
  if (distinct.length === 0) return [];
  const snaps = await db.getAll(...distinct.map((day) => db.doc(`${COLLECTIONS.closedDays}/${day}`)));
  const closed = new Set(snaps.filter((s) => s.exists).map((s) => s.id));
  return days.map((day) => (closed.has(day) ? day : null));
}
