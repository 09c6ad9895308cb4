/**
 * What one decision over many flagged entries did, in words (reviewEntries answers per entry:
 * decided, unchanged (it carried this decision and note already) or refused, with the reason).
 */
export interface BulkOutcome {
  decided: number;
  unchanged: number;
  refused: Array<{ entry_id: string; reason: string }>;
}

/** Refusals named in full before the rest are only counted. */
const REFUSALS_NAMED = 5;

export function bulkOutcomeText(decision: "approved" | "rejected", outcome: BulkOutcome): string {
  const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;
  const parts = [`${entries(outcome.decided)} ${decision}.`];
  if (outcome.unchanged > 0) parts.push(`${entries(outcome.unchanged)} carried this decision and note already.`);
  if (outcome.refused.length > 0) {
    const named = outcome.refused.slice(0, REFUSALS_NAMED).map((r) => `${r.entry_id}: ${r.reason}`);
    const rest = outcome.refused.length - named.length;
    parts.push(`${entries(outcome.refused.length)} refused (${named.join("; ")}${rest > 0 ? `; ${rest} more` : ""}).`);
  }
  return parts.join(" ");
}

/** The ids in calls of at most `max` (reviewEntries takes 100), in order. */
export function inCalls(ids: readonly string[], max: number): string[][] {
  const calls: string[][] = [];
  for (let i = 0; i < ids.length; i += max) calls.push(ids.slice(i, i + max));
  return calls;
}
