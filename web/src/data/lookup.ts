import { signal, type Signal } from "@preact/signals";
import { doc, getDoc, type DocumentSnapshot } from "firebase/firestore";
import { firebase } from "./firebase";

/** A read that failed (offline, a token not yet refreshed) is tried again after this long. */
const RETRY_MS = 60_000;

/**
 * One document per id of `collection`, read once per page load (names change seldom, and many
 * lines name the same few): undefined while it is read, null when `read` finds nothing in it or
 * it cannot be read (the rules' refusal included).
 */
export function cachedLookup<T>(collection: string, read: (snap: DocumentSnapshot) => T | null): (id: string) => Signal<T | null | undefined> {
  const known = new Map<string, { value: Signal<T | null | undefined>; failedAt?: number }>();
  return (id) => {
    const cached = known.get(id);
    if (cached && (cached.failedAt === undefined || Date.now() - cached.failedAt < RETRY_MS)) return cached.value;
    const entry: { value: Signal<T | null | undefined>; failedAt?: number } = { value: cached?.value ?? signal(undefined) };
    known.set(id, entry);
    try {
      getDoc(doc(firebase().db, collection, id)).then(
        (snap) => {
          entry.value.value = read(snap);
        },
        () => {
          entry.failedAt = Date.now();
          entry.value.value = null;
        },
      );
    } catch {
      // Not a document id ("/" in it): nothing to look up.
      entry.value.value = null;
    }
    return entry.value;
  };
}
