/**
 * Which measurements fall on a closed production day. This is the endpoint's only notion of a
 * closed day: when closed days become contract days (settings/jv), only this function changes.
 */
import { type Firestore } from "firebase-admin/firestore";
import { productionDay } from "../../domain/production-entry";
import { COLLECTIONS } from "../../shared/collections";

/** For each instant, the id of its closed day, or null when its day is open. One read per distinct day. */
export async function closedDaysOf(db: Firestore, instants: readonly Date[]): Promise<Array<string | null>> {
  const days = instants.map(productionDay);
  const distinct = [...new Set(days)];
  if (distinct.length === 0) return [];
  const snaps = await db.getAll(...distinct.map((day) => db.doc(`${COLLECTIONS.closedDays}/${day}`)));
  const closed = new Set(snaps.filter((s) => s.exists).map((s) => s.id));
  return days.map((day) => (closed.has(day) ? day : null));
}
