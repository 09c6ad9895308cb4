import { capText, REASON_MAX_LENGTH } from "./bounded-id";
import { auditInputHash } from "./production-entry";

/**
 * What a reconciliation does with one production entry of its period:
 * - used: validated by the auditor, or flagged and approved by a coordinator;
 * - excluded (listed with the reason, at most REASON_MAX_LENGTH characters): rejected by
 *   the auditor or on review;
 * - blocking: not yet audited (or edited since its audit, or waiting to be audited again), or
 *   flagged without a review —
 *   an allocation is never computed on unexamined data.
 */
export type EntryDisposition =
  { kind: "used" } | { kind: "excluded"; reason: string } | { kind: "pending_audit" } | { kind: "awaiting_review" };

/** How an exclusion reason names the coordinator who rejected the entry (by uid, as the report freezes it). */
export const REVIEW_REJECTION = "rejected on review by ";

/** The account an exclusion reason names, when it is a rejection on review. */
export function reviewerOfReason(reason: string): string | undefined {
  return reason.startsWith(REVIEW_REJECTION) ? reason.slice(REVIEW_REJECTION.length) : undefined;
}

interface AuditView {
  status?: unknown;
  input_hash?: unknown;
  reasons?: unknown;
  /** Set when another entry's move asked for this one to be audited again (auditor). */
  recheck?: unknown;
}

function reasonCodes(audit: AuditView): string {
  if (!Array.isArray(audit.reasons)) return "";
  const codes = audit.reasons
    .filter((r: unknown): r is { code: string; severity?: string } => typeof (r as { code?: unknown })?.code === "string")
    .filter((r) => r.severity === undefined || r.severity === "critical")
    .map((r) => r.code);
  return codes.length > 0 ? ` (${codes.join(", ")})` : "";
}

export function entryDisposition(entry: Record<string, unknown>): EntryDisposition {
  const audit = entry.audit as AuditView | undefined;
  if (!audit || typeof audit !== "object" || audit.input_hash !== auditInputHash(entry) || audit.recheck !== undefined) {
    return { kind: "pending_audit" };
  }
  const review = entry.review as { decision?: unknown; by?: unknown; note?: unknown } | undefined;
  switch (audit.status) {
    case "validated":
      return { kind: "used" };
    case "rejected":
      return { kind: "excluded", reason: capText(`rejected by the auditor${reasonCodes(audit)}`, REASON_MAX_LENGTH) };
    case "flagged":
      if (review?.decision === "approved") return { kind: "used" };
      // The reviewer's note stays on the entry: a report shows who decided, so that editing
      // a note changes no report and no note can inflate one.
      if (review?.decision === "rejected") {
        return { kind: "excluded", reason: capText(`${REVIEW_REJECTION}${String(review.by ?? "a coordinator")}`, REASON_MAX_LENGTH) };
      }
      return { kind: "awaiting_review" };
    default:
      return { kind: "pending_audit" };
  }
}
