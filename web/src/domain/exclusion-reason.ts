/**
 * An excluded entry's reason as a report stores it (functions/src/domain/entry-disposition.ts),
 * read back into its parts so that a statement can say it in words: the auditor's reason codes
 * by their titles, a reviewer by name. A reason in any other form (the JV start date, an id the
 * rules refuse, one cut at its length bound) is shown as it is.
 */
export type ExclusionReason = { kind: "auditor"; codes: string[] } | { kind: "review"; by: string } | { kind: "text"; text: string };

const AUDITOR = /^rejected by the auditor(?: \(([A-Z0-9_]+(?:, [A-Z0-9_]+)*)\))?$/;
// A uid has no space; "rejected on review by a coordinator" (no reviewer recorded) stays text.
const REVIEW = /^rejected on review by (\S+)$/;

export function exclusionReason(reason: string): ExclusionReason {
  const auditor = AUDITOR.exec(reason);
  if (auditor) return { kind: "auditor", codes: auditor[1] ? auditor[1].split(", ") : [] };
  const review = REVIEW.exec(reason);
  if (review) return { kind: "review", by: review[1] };
  return { kind: "text", text: reason };
}
