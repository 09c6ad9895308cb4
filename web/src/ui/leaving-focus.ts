import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/** Items remembered after each one: more than can leave the list at once. */
const FOLLOWERS_KEPT = 20;

/**
 * A decided item leaves its live list, and the focus with it: the status line says what was
 * decided, and once the item has left, the focus goes to the first item listed after it at the
 * decision, or the last item, or the status line. Each item's followers are kept as last listed:
 * the answer to a decision may come after its item has gone.
 *
 * `listed` are the ids shown, in order; each item's element is `[data-testid=<testId>]` with the
 * id in `data-<idAttribute>`, inside `list`.
 */
export function useLeavingFocus(listed: readonly string[], list: RefObject<HTMLElement | null>, testId: string, idAttribute: string) {
  const [decided, setDecided] = useState<{ id: string; after: string[]; text: string; moved: boolean }>();
  const followers = useRef(new Map<string, string[]>());
  listed.forEach((id, i) => followers.current.set(id, listed.slice(i + 1, i + 1 + FOLLOWERS_KEPT)));
  const listedNow = useRef(new Set<string>());
  listedNow.current = new Set(listed);
  const status = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!decided || decided.moved || listedNow.current.has(decided.id)) return;
    const items = [...(list.current?.querySelectorAll<HTMLElement>(`[data-testid=${testId}]`) ?? [])];
    const next = decided.after.map((id) => items.find((item) => item.dataset[idAttribute] === id)).find((item) => item !== undefined);
    (next ?? items[items.length - 1] ?? status.current)?.focus();
    setDecided({ ...decided, moved: true });
  });
  return {
    /** What the status line says: the last decision. */
    text: decided?.text,
    /** A decision on `id`, said as `text`. */
    decide: (id: string, text: string) => setDecided({ id, after: followers.current.get(id) ?? [], text, moved: false }),
    /** Whether `id` is listed now (not as of some earlier render). */
    isListed: (id: string) => listedNow.current.has(id),
    status,
  };
}
