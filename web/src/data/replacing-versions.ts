import { useEffect, useState } from "preact/hooks";
import { REPLACED_CHAIN_MAX, replacementChain } from "../domain/statement-exception";
import { useLiveQueries, type Doc, type Live } from "./live";
import { versionsReplacing } from "./queries";
import type { Reconciliation } from "./types";

/**
 * The versions of the receipts replacing `receiptId`, and of those replacing them, as far as
 * recordExceptionCorrection follows them back (replacementChain), live; with the chain of
 * receipts in order. Each receipt found is read in turn, so the list grows a step at a time.
 */
export function useReplacingVersions(receiptId: string, enabled: boolean): { versions: Live<Doc<Reconciliation>[]>; chain: string[] } {
  const [found, setFound] = useState<string[]>([receiptId]);
  const chain = found[0] === receiptId ? found : [receiptId];
  const live = useLiveQueries<Reconciliation>(
    // The last receipt the callable follows back to is read as a replacement, never for its own.
    enabled ? chain.slice(0, REPLACED_CHAIN_MAX).map((id) => versionsReplacing(id)) : [],
    `replacing:${enabled}:${chain.join(",")}`,
    { keepDocs: true },
  ).value;
  const next = replacementChain(
    receiptId,
    live.docs.map((d) => d.data),
  );
  const grown = next.join(",") !== chain.join(",");
  useEffect(() => {
    if (grown) setFound(next);
  }, [grown, next.join(",")]);
  return { versions: { ...live, loading: live.loading || grown }, chain };
}
