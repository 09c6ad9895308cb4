import { auditInputHash } from "./production-entry";

/**
 * What a reconciliation does with one production entry of its period:
 * - used: validated by the auditor, or flagged and approved by a coordinator;
 * - excluded (listed with the reason): rejected by the auditor or on review;
 * - blocking: not yet audited (or edited since its audit), or flagged without a review —
 *   an allocation is never computed on unexamined data.
 */
export type EntryDisposition =
  { kind: "used" } | { kind: "excluded"; reason: string } | { kind: "pending_audit" } | { kind: "awaiting_review" };

interface AuditView {
  status?: unknown;
  input_hash?: unknown;
  reasons?: unknown;
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
  if (!audit || typeof audit !== "object" || audit.input_hash !== auditInputHash(entry)) {
    return { kind: "pending_audit" };
  }
  const review = entry.review as { decision?: unknown; by?: unknown; note?: unknown } | undefined;
  switch (audit.status) {
    case "validated":
      return { kind: "used" };
    case "rejected":
      return { kind: "excluded", reason: `rejected by the auditor${reasonCodes(audit)}` };
    case "flagged":
      if (review?.decision === "approved") return { kind: "used" };
      if (review?.decision === "rejected") {
        const note = typeof review.note === "string" && review.note ? `: ${review.note}` : "";
        return { kind: "excluded", reason: `rejected on review by ${String(review.by ?? "a coordinator")}${note}` };
      }
      return { kind: "awaiting_review" };
    default:
      return { kind: "pending_audit" };
  }
}
