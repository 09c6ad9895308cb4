import type { Signal } from "@preact/signals";
import { doc, getDoc, type DocumentSnapshot } from "firebase/firestore";
import { firebase } from "./firebase";
import { Lookups, type Clock, type Looked } from "./lookup-state";

const browserClock: Clock = {
  now: () => Date.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * One document per id of `collection`, read once per page load (lookup-state.ts): undefined while
 * it is read, null when `read` finds nothing in it (or, with `deniedIsNone`, when the rules refuse
 * it), UNREADABLE while its read fails (tried again on its own, and when the window regains focus
 * or the network).
 */
export function cachedLookup<T>(
  collection: string,
  read: (snap: DocumentSnapshot) => T | null,
  options: { deniedIsNone?: boolean } = {},
): (id: string) => Signal<Looked<T>> {
  const lookups = new Lookups<T>((id) => {
    // doc() throws at once for an id that is no document id ("/" in it): nothing to look up.
    const ref = doc(firebase().db, collection, id);
    return getDoc(ref).then(read, (error: unknown) => {
      // A refusal that will not change while the page is open (a partner and a version not released to it) is not retried.
      if (options.deniedIsNone && (error as { code?: string } | null)?.code === "permission-denied") return null;
      throw error;
    });
  }, browserClock);
  if (typeof window !== "undefined") {
    const wake = () => lookups.wake();
    window.addEventListener("focus", wake);
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") wake();
    });
  }
  return (id) => lookups.get(id);
}
