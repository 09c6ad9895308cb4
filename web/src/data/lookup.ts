import type { Signal } from "@preact/signals";
import { doc, getDoc, type DocumentSnapshot } from "firebase/firestore";
import { firebase } from "./firebase";
import { Lookups, UNREADABLE, type Clock, type Looked } from "./lookup-state";

const browserClock: Clock = {
  now: () => Date.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export interface CachedLookup<T> {
  (id: string): Signal<Looked<T>>;
  /** Reads again now those of `ids` whose read failed or was refused (the caller saw them become readable). */
  recheck(ids: Iterable<string>): void;
}

/**
 * One document per id of `collection`, read once per page load (lookup-state.ts): undefined while
 * it is read, null when `read` finds nothing in it (or, with `deniedIsNone`, while the rules refuse
 * it), UNREADABLE while its read fails. A failed or refused read is tried again on its own, when
 * the window regains focus or the network, and on `recheck`: a refusal can end while the page is
 * open (a version released to the partners).
 */
export function cachedLookup<T>(
  collection: string,
  read: (snap: DocumentSnapshot) => T | null,
  options: { deniedIsNone?: boolean } = {},
): CachedLookup<T> {
  const lookups = new Lookups<T>(
    // doc() throws at once for an id that is no document id ("/" in it): nothing to look up.
    (id) => getDoc(doc(firebase().db, collection, id)).then(read),
    browserClock,
    (error) => (options.deniedIsNone && (error as { code?: string } | null)?.code === "permission-denied" ? null : UNREADABLE),
  );
  if (typeof window !== "undefined") {
    const wake = () => lookups.wake();
    window.addEventListener("focus", wake);
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") wake();
    });
  }
  return Object.assign((id: string) => lookups.get(id), { recheck: (ids: Iterable<string>) => lookups.recheck(ids) });
}
