/**
 * What the review queue lists: the entries the auditor marks `audit.awaiting_review` (its own
 * query, oldest first, however many reviewed flags are newer), and any unreviewed flag among
 * the newest flagged whose audit does not carry that mark. Oldest first: those hold back the
 * earliest close. Pure: the screen and the unit tests share it.
 */
interface Queued {
  id: string;
  data: {
    measured_at: { toMillis(): number };
    audit?: { status?: string; awaiting_review?: boolean };
    review?: unknown;
  };
}

export function awaitingDecision<T extends Queued>(queue: readonly T[], newestFlagged: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const d of queue) byId.set(d.id, d);
  for (const d of newestFlagged) if (d.data.audit?.awaiting_review === undefined && !byId.has(d.id)) byId.set(d.id, d);
  return [...byId.values()]
    .filter((d) => !d.data.review && d.data.audit?.status === "flagged")
    .sort((a, b) => a.data.measured_at.toMillis() - b.data.measured_at.toMillis() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Of the listed ones, those the auditor did not mark (counted beside the server's count of the marked). */
export const unmarked = (listed: readonly Queued[]) => listed.filter((d) => d.data.audit?.awaiting_review === undefined).length;
