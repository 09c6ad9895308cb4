import { useRef, useState } from "preact/hooks";
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
 * rows listed stay (not "Loading…") while the longer read answers. Another `key` (another partner's
 * list, another user's) starts again at one page, with none of the last key's rows.
 */
export function usePagedQuery<T>(make: (limit: number) => QuerySpec | undefined, key: string, page: number): { live: Live<Doc<T>[]>; older: OlderPages } {
  const [read, setRead] = useState({ key, limit: page });
  const limit = read.key === key ? read.limit : page;
  const lastKey = useRef(key);
  const sameList = lastKey.current === key;
  lastKey.current = key;
  const live = useLiveQuery<T>(make(limit), `${key}:${limit}`, { keepDocs: sameList }).value;
  const loading = live.loading && live.docs.length > 0;
  return {
    live: loading ? { ...live, loading: false } : live,
    // While the longer read answers, the rows listed are the last read's.
    older: { limit: loading ? limit - page : limit, loading, cut: live.docs.length >= limit || loading, more: () => setRead({ key, limit: limit + page }) },
  };
}
