import { type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/** Each account's name from `people/{uid}`, for those that have one (a gateway's or an agent's id has none). */
export async function accountNames(db: Firestore, uids: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(uids)].filter((uid) => uid !== "" && !uid.includes("/")).slice(0, 200);
  if (ids.length === 0) return new Map();
  const snaps = await db.getAll(...ids.map((uid) => db.doc(`${COLLECTIONS.people}/${uid}`)));
  return new Map(
    snaps.flatMap((snap) => {
      const name = snap.get("display_name") as unknown;
      return typeof name === "string" && name.trim() !== "" ? [[snap.id, name.trim()] as const] : [];
    }),
  );
}

/** An account as a sentence names it to people: "Priya Raman (uid)", or the uid alone when no name is on record. */
export async function accountInWords(db: Firestore, uid: string): Promise<string> {
  const name = (await accountNames(db, [uid])).get(uid);
  return name ? `${name} (${uid})` : uid;
}
