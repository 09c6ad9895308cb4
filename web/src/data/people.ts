import { signal, type Signal } from "@preact/signals";
import { doc, getDoc } from "firebase/firestore";
import { firebase } from "./firebase";

export interface Person {
  name: string;
  role: string | null;
}

/** Read once per page load: names change seldom, and many lines name the same few people. */
const known = new Map<string, { person: Signal<Person | null | undefined>; failedAt?: number }>();
/** A read that failed (offline, a token not yet refreshed) is tried again after this long. */
const RETRY_MS = 60_000;

/**
 * The account `uid` as `people/{uid}` names it: undefined while it is read, null when there is
 * no such document or no name in it (a gateway's `api_key:…`, an account without a display
 * name) or it cannot be read.
 */
export function personOf(uid: string): Signal<Person | null | undefined> {
  const cached = known.get(uid);
  if (cached && (cached.failedAt === undefined || Date.now() - cached.failedAt < RETRY_MS)) return cached.person;
  const entry: { person: Signal<Person | null | undefined>; failedAt?: number } = { person: cached?.person ?? signal(undefined) };
  known.set(uid, entry);
  const { person } = entry;
  try {
    getDoc(doc(firebase().db, "people", uid)).then(
      (snap) => {
        const name = snap.get("display_name");
        person.value = snap.exists() && typeof name === "string" && name !== "" ? { name, role: (snap.get("role") as string | null) ?? null } : null;
      },
      () => {
        entry.failedAt = Date.now();
        person.value = null;
      },
    );
  } catch {
    // Not a document id ("/" in it): no one to look up.
    person.value = null;
  }
  return person;
}
