import { signal, type Signal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import {
  collection,
  doc,
  documentId,
  getCountFromServer,
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
  type DocumentData,
  type Query,
  type QueryConstraint,
} from "firebase/firestore";
import { firebase } from "./firebase";
import type { QuerySpec } from "./queries";
import { listenUntilAnswered } from "./relisten";
import { documentInWords } from "../domain/document-label";

export interface Doc<T = DocumentData> {
  id: string;
  data: T;
}

export interface Live<T> {
  docs: T;
  loading: boolean;
  error?: string;
  /** The error is the security rules' refusal. */
  denied?: boolean;
}

export function buildQuery(spec: QuerySpec, withLimit = true): Query {
  const fieldOf = (f: string) => (f === "__name__" ? documentId() : f);
  const constraints: QueryConstraint[] = [
    ...spec.filters.map((f) => where(fieldOf(f.field), f.op, f.value)),
    ...spec.orders.map((o) => orderBy(fieldOf(o.field), o.direction)),
  ];
  if (withLimit) constraints.push(limit(spec.limit));
  return query(collection(firebase().db, spec.collection), ...constraints);
}

function describe(spec: QuerySpec, error: unknown): string {
  const code = (error as { code?: string }).code;
  return code === "permission-denied"
    ? `You may not read ${spec.name}.`
    : `Could not load ${spec.name}: ${(error as Error).message ?? String(error)}`;
}

/** How long a live query may go without the server's first answer before it is first asked again. */
export const RELISTEN_MS = 15_000;

export interface LiveQueryOptions {
  /** The documents listed stay (marked loading) until the new query answers, e.g. a longer list of the same query. */
  keepDocs?: boolean;
  /**
   * Nothing is shown until the server has answered. For an ordered, limited window whose place
   * matters (the review queue's oldest first): the cache answers it from whatever other listeners
   * brought in, which may be another window of the same entries.
   */
  serverFirst?: boolean;
}

/** A live query as a signal (listenToQuery); re-subscribes when `key` changes, unsubscribes on unmount. */
export function useLiveQuery<T = DocumentData>(spec: QuerySpec | undefined, key: string, options: LiveQueryOptions = {}): Signal<Live<Doc<T>[]>> {
  const { keepDocs = false, serverFirst = false } = options;
  // A signal per key, made as the key changes: the render with a new key already reads "loading",
  // never the last key's documents (one partner's list under another's name) until the effect runs.
  const previous = useRef<Signal<Live<Doc<T>[]>> | undefined>(undefined);
  const state = useMemo(() => {
    const docs = keepDocs && previous.current ? previous.current.peek().docs : [];
    previous.current = signal<Live<Doc<T>[]>>({ docs, loading: spec !== undefined });
    return previous.current;
  }, [key]);
  useEffect(() => {
    if (!spec) {
      state.value = { docs: [], loading: false };
      return undefined;
    }
    return listenToQuery<T>(spec, serverFirst, (live) => {
      state.value = live;
    });
  }, [key]);
  return state;
}

/**
 * Several live queries as one list, in the order of `specs` (e.g. one query cut into Firestore's
 * 30-value `in` filters), shown once each has answered, with the first error if any. With
 * `keepDocs` the last key's list stays (marked loading) until then.
 */
export function useLiveQueries<T = DocumentData>(specs: QuerySpec[], key: string, options: Pick<LiveQueryOptions, "keepDocs"> = {}): Signal<Live<Doc<T>[]>> {
  const previous = useRef<Signal<Live<Doc<T>[]>> | undefined>(undefined);
  const state = useMemo(() => {
    const docs = options.keepDocs && previous.current ? previous.current.peek().docs : [];
    previous.current = signal<Live<Doc<T>[]>>({ docs, loading: specs.length > 0 });
    return previous.current;
  }, [key]);
  useEffect(() => {
    const parts: Array<Live<Doc<T>[]> | undefined> = specs.map(() => undefined);
    const show = () => {
      if (parts.some((p) => p === undefined)) return;
      const error = parts.find((p) => p?.error)?.error;
      state.value = { docs: parts.flatMap((p) => p?.docs ?? []), loading: false, ...(error ? { error } : {}) };
    };
    show();
    const stops = specs.map((spec, i) =>
      listenToQuery<T>(spec, false, (live) => {
        parts[i] = live;
        show();
      }),
    );
    return () => stops.forEach((stop) => stop());
  }, [key]);
  return state;
}

/**
 * One query listened to: what the cache holds first (unless `serverFirst`), then each change; a
 * query the server has not answered in RELISTEN_MS is asked again (listenUntilAnswered).
 */
function listenToQuery<T>(spec: QuerySpec, serverFirst: boolean, show: (live: Live<Doc<T>[]>) => void): () => void {
  return listenUntilAnswered((answered) => {
    let shown = false;
    let fromServer = false;
    // Metadata changes too: a server answer equal to what the cache showed changes only `fromCache`
    // (and is not shown again: the list is the same).
    return onSnapshot(
      buildQuery(spec),
      { includeMetadataChanges: true },
      (snap) => {
        if (!snap.metadata.fromCache) {
          fromServer = true;
          answered();
        }
        if (serverFirst && !fromServer) return;
        if (shown && snap.docChanges().length === 0) return;
        shown = true;
        show({ docs: snap.docs.map((d) => ({ id: d.id, data: d.data() as T })), loading: false });
      },
      (error) => {
        answered();
        show({ docs: [], loading: false, error: describe(spec, error) });
      },
    );
  }, RELISTEN_MS);
}

/**
 * One live document (undefined data: it does not exist). An error ends a listener: a new `again`
 * listens afresh, e.g. to a document the rules refused and may now allow.
 */
export function useLiveDoc<T = DocumentData>(path: string | undefined, again = 0): Signal<Live<T | undefined>> {
  // As useLiveQuery: a new path reads "loading" from its first render, not the last path's document.
  const state = useMemo(() => signal<Live<T | undefined>>({ docs: undefined, loading: path !== undefined && path !== "" }), [path]);
  useEffect(() => {
    if (!path) {
      state.value = { docs: undefined, loading: false };
      return undefined;
    }
    return onSnapshot(
      doc(firebase().db, path),
      (snap) => {
        state.value = { docs: snap.exists() ? (snap.data() as T) : undefined, loading: false };
      },
      (error) => {
        const denied = error.code === "permission-denied";
        state.value = { docs: undefined, loading: false, denied, error: denied ? `You may not read ${documentInWords(path)}, or it does not exist: the security rules refuse both alike.` : `Could not load ${documentInWords(path)}: ${error.message}` };
      },
    );
  }, [path, again]);
  return state;
}

export async function countOf(spec: QuerySpec): Promise<number> {
  const snap = await getCountFromServer(buildQuery(spec, false));
  return snap.data().count;
}
