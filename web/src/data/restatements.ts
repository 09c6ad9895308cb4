import { useRef } from "preact/hooks";
import { useLiveQueries } from "./live";
import { partnerRestatementsOf } from "./queries";
import type { PriorPeriodAdjustment } from "./types";

/** Firestore's bound on the values of an `in` filter. */
const IN_VALUES = 30;

/**
 * The adjustment each listed version raised for the partner, by version id: read for the versions
 * listed, however far back, not from the partner's newest adjustments (a statement past those would
 * lose its "Restated" line).
 */
export function useRestatements(partner: string | undefined, reportIds: string[]): { restated: Map<string, PriorPeriodAdjustment>; error?: string } {
  const lastPartner = useRef(partner);
  const samePartner = lastPartner.current === partner;
  lastPartner.current = partner;
  const ids = partner ? [...new Set(reportIds)].sort() : [];
  const chunks = Array.from({ length: Math.ceil(ids.length / IN_VALUES) }, (_, i) => ids.slice(i * IN_VALUES, (i + 1) * IN_VALUES));
  const live = useLiveQueries<PriorPeriodAdjustment>(
    chunks.map((chunk) => partnerRestatementsOf(chunk, partner!)),
    `restatements-${partner ?? "none"}:${ids.join(",")}`,
    // More versions listed (older ones read): the lines shown stay while the longer read answers;
    // never another partner's.
    { keepDocs: samePartner },
  ).value;
  return { restated: new Map(live.docs.map((a) => [a.data.from_reconciliation_id, a.data])), error: live.error };
}
