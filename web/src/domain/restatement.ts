/**
 * What became of the prior-period adjustments one version raised (one per partner whose
 * allocation moved), as its statement says it: the PDF's words (functions/src/domain/statement.ts,
 * restatementDecided) for the page. The set is decided together, so one decision speaks for it;
 * sets decided before that rule may differ, and then the counts are shown.
 */
export interface RaisedAdjustment {
  status: string;
  decided_by?: string | null;
  decided_at?: unknown;
  note?: string | null;
  withdrawn_in?: string | null;
  carried_in?: string | null;
}

export type RestatementState =
  | { kind: "none" }
  | { kind: "pending"; count: number }
  | {
      kind: "approved";
      by: string | null;
      at: unknown;
      note: string | null;
      /** The statements that carry the set, those the reader may open only. */
      carriedIn: string[];
      /** A statement that carries it is not released to the reader (a partner): it awaits its release. */
      awaitingRelease: boolean;
      /** Whether the reader may open a statement that carries it is still being read. */
      reading: boolean;
    }
  | { kind: "rejected"; by: string | null; at: unknown; note: string | null }
  | { kind: "withdrawn"; withdrawnIn: string | null }
  | { kind: "apart"; counts: Array<[status: string, count: number]> };

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

/**
 * Whether the reader may open a version: true, false (a partner and a version not released to
 * it), undefined while that is being read.
 */
export type MayOpen = (reportId: string) => boolean | undefined;

/**
 * `mayOpen`: for a partner. `carried_in` names the newest version carrying an adjustment, which may
 * await its release (a corrected period reconciled again): a partner is never pointed at it, a
 * link the rules refuse to follow.
 */
export function restatementState(raised: readonly RaisedAdjustment[], mayOpen: MayOpen = () => true): RestatementState {
  if (raised.length === 0) return { kind: "none" };
  const counts = new Map<string, number>();
  for (const a of raised) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  if (counts.size > 1) return { kind: "apart", counts: [...counts].sort(([a], [b]) => a.localeCompare(b)) };
  const first = raised[0]!;
  switch (first.status) {
    case "pending":
      return { kind: "pending", count: raised.length };
    case "approved": {
      const carriers = [...new Set(raised.map((a) => text(a.carried_in)).filter((c): c is string => c !== null))].sort();
      return {
        kind: "approved",
        by: text(first.decided_by),
        at: first.decided_at ?? null,
        note: text(first.note),
        carriedIn: carriers.filter((c) => mayOpen(c) === true),
        awaitingRelease: carriers.some((c) => mayOpen(c) === false),
        reading: carriers.some((c) => mayOpen(c) === undefined),
      };
    }
    case "rejected":
      return { kind: "rejected", by: text(first.decided_by), at: first.decided_at ?? null, note: text(first.note) };
    case "withdrawn":
      return { kind: "withdrawn", withdrawnIn: text(first.withdrawn_in) };
    default:
      return { kind: "apart", counts: [[first.status, raised.length]] };
  }
}
