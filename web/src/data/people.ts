import { signal, type Signal } from "@preact/signals";
import { doc, getDoc } from "firebase/firestore";
import { firebase } from "./firebase";

export interface Person {
  name: string;
  role: string | null;
}

/** Read once per page load: names change seldom, and many lines name the same few people. */
const known = new Map<string, Signal<Person | null | undefined>>();

/**
 * The account `uid` as `people/{uid}` names it: undefined while it is read, null when there is
 * no such document (a gateway's `api_key:…`, an account never given a role) or it cannot be read.
 */
export function personOf(uid: string): Signal<Person | null | undefined> {
  let entry = known.get(uid);
  if (entry) return entry;
  const person = signal<Person | null | undefined>(undefined);
  known.set(uid, person);
  entry = person;
  try {
    getDoc(doc(firebase().db, "people", uid)).then(
      (snap) => {
        const name = snap.get("display_name");
        person.value = snap.exists() && typeof name === "string" && name !== "" ? { name, role: (snap.get("role") as string | null) ?? null } : null;
      },
      () => {
        person.value = null;
      },
    );
  } catch {
    // Not a document id ("/" in it): no one to look up.
    person.value = null;
  }
  return entry;
}
