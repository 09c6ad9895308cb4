import { useState } from "preact/hooks";
import { useLiveQuery, type Doc, type Live } from "./live";
import type { QuerySpec } from "./queries";

export interface OlderPages {
  /** How many the query reads: a list that long may be cut. */
  limit: number;
  /** A longer read is on its way; the rows listed stay meanwhile. */
  loading: boolean;
  /** The list may hold older rows than it shows. */
  cut: boolean;
  more: () => void;
}

/**
 * A newest-first live list read `page` rows at a time: `older.more()` reads `page` more, and the
 * rows listed stay (not "Loading…") while the longer read answers.
 */
export function usePagedQuery<T>(make: (limit: number) => QuerySpec | undefined, key: string, page: number): { live: Live<Doc<T>[]>; older: OlderPages } {
  const [limit, setLimit] = useState(page);
  const live = useLiveQuery<T>(make(limit), `${key}:${limit}`, { keepDocs: true }).value;
  const loading = live.loading && live.docs.length > 0;
  return {
    live: loading ? { ...live, loading: false } : live,
    older: { limit, loading, cut: live.docs.length >= limit || loading, more: () => setLimit(limit + page) },
  };
}
