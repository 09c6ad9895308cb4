import { type AuditReason, type AuditSeverity, fieldName, SCHEMA_CODE_PREFIX } from "./production-entry";
import { historyOwner, type HistoryStats, OUTLIER_CODES } from "./robust-stats";
import { plural } from "./plural";

export type Verdict = "validated" | "flagged" | "rejected";

/** Any critical reason rejects, else any warning flags; info never changes the verdict. */
export function decideVerdict(reasons: readonly AuditReason[]): Verdict {
  if (reasons.some((r) => r.severity === "critical")) return "rejected";
  if (reasons.some((r) => r.severity === "warning")) return "flagged";
  return "validated";
}

const SEVERITY_ORDER: Record<AuditSeverity, number> = { critical: 0, warning: 1, info: 2 };

function statisticsSentence(stats: HistoryStats | null, outliers: number): string {
  if (stats === null) return "No statistical comparison was made.";
  if (!stats.enough_history) {
    return (
      `Statistical checks were skipped: the partner has ${plural(stats.n, "accepted entry", "accepted entries")} ` +
      `on record and at least ${stats.min_history} are needed.`
    );
  }
  const basis = `${historyOwner(stats.scope, "the")} last ${plural(stats.n, "accepted entry", "accepted entries")}`;
  if (outliers === 0) {
    return `Gross volume, BS&W, temperature and API gravity are in line with ${basis}.`;
  }
  return `Compared with ${basis}, ${plural(outliers, "figure")} stand${outliers === 1 ? "s" : ""} out (see above).`;
}

/**
 * A deterministic plain-text explanation of the verdict, written for the coordinator:
 * what was decided, every reason (most severe first), what the history says, and what to
 * do next. Used as is when Gemini is unavailable.
 */
export function ruleExplanation(reasons: readonly AuditReason[], stats: HistoryStats | null): string {
  const verdict = decideVerdict(reasons);
  const ordered = reasons
    .map((reason, index) => ({ reason, index }))
    .sort((a, b) => SEVERITY_ORDER[a.reason.severity] - SEVERITY_ORDER[b.reason.severity] || a.index - b.index)
    .map(({ reason }) => reason);
  const count = (severity: AuditSeverity) => reasons.filter((r) => r.severity === severity).length;
  const schemaOnly = reasons.length > 0 && reasons.every((r) => r.code.startsWith(SCHEMA_CODE_PREFIX));
  const outlierCodes: readonly string[] = Object.values(OUTLIER_CODES);
  const outliers = reasons.filter((r) => outlierCodes.includes(r.code)).length;

  const lines: string[] = [];
  if (verdict === "rejected") {
    lines.push(`Rejected: ${plural(count("critical"), "problem")} must be fixed before this entry can be allocated.`);
  } else if (verdict === "flagged") {
    const warnings = count("warning");
    const verb = warnings === 1 ? "needs" : "need";
    lines.push(`Flagged for review: ${plural(warnings, "point")} ${verb} a coordinator's check.`);
  } else {
    lines.push("Validated: the entry passed every rule.");
  }
  for (const reason of ordered) {
    const tag = reason.severity === "critical" ? "Problem" : reason.severity === "warning" ? "Check" : "Note";
    lines.push(`- ${tag} (${fieldName(reason.field)}): ${reason.message}`);
  }
  if (!schemaOnly) lines.push(statisticsSentence(stats, outliers));
  if (verdict === "rejected") {
    lines.push(
      schemaOnly
        ? "The entry could not be read as a production entry. " + "Re-enter it with every required field filled in correctly."
        : "Correct the figures (a coordinator's correction needs a correction note); the entry is then audited again.",
    );
  } else if (verdict === "flagged") {
    lines.push(
      "Approve the entry if the figures are confirmed, or reject it and ask the operator to correct them. " +
        "It is not allocated until it is approved.",
    );
  }
  return lines.join("\n");
}
