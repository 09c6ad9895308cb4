/**
 * Which measurements fall on a closed contract day. closed_days ids are contract days
 * (settings/jv), as the rules and the accountant speak them.
 */
import { type Firestore } from "firebase-admin/firestore";
import { contractDayOf, type JvSettings } from "../../domain/jv-settings";
import { COLLECTIONS } from "../../shared/collections";

/** For each instant, the id of its closed contract day, or null when its day is open. One read per distinct day. */
export async function closedDaysOf(db: Firestore, instants: readonly Date[], settings: JvSettings): Promise<Array<string | null>> {
  const days = instants.map((at) => contractDayOf(at, settings));
  const distinct = [...new Set(days)];
  if (distinct.length === 0) return [];
  const snaps = await db.getAll(...distinct.map((day) => db.doc(`${COLLECTIONS.closedDays}/${day}`)));
  const closed = new Set(snaps.filter((s) => s.exists).map((s) => s.id));
  return days.map((day) => (closed.has(day) ? day : null));
}
