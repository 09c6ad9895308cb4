import type { ReportEvidence, VerificationCheck, VerificationReport } from "./report-verification";

/** What a partner reads where a failed check named another partner's entry. */
export const ANOTHER_PARTNERS_ENTRY = "(an entry of another partner)";

type Attributed = { entry_id?: unknown; partner_id?: unknown };

/**
 * The entry ids the evidence attributes to partners other than `partnerId` (and never to it):
 * manifest rows, excluded entries, the report's exclusion preview and its corrections.
 */
export function entriesOfOtherPartners(evidence: ReportEvidence, partnerId: string): Set<string> {
  const report = evidence.report;
  const lists: unknown[] = [evidence.rows, evidence.exclusions, report.excluded, report.corrections];
  const foreign = new Set<string>();
  const own = new Set<string>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Attributed[]) {
      if (typeof item?.entry_id !== "string") continue;
      (item.partner_id === partnerId ? own : foreign).add(item.entry_id);
    }
  }
  for (const id of own) foreign.delete(id);
  return foreign;
}

/**
 * A verification as a partner may read it: a failed check (damaged or tampered data) can name
 * entries, and another partner's entry ids and per-entry figures are not the partner's to read
 * (the rules keep those rows from it). Each such id, or each row that carries one, becomes
 * ANOTHER_PARTNERS_ENTRY; which checks failed, and everything else, stays as it is.
 */
export function verificationForPartner(report: VerificationReport, foreign: ReadonlySet<string>): VerificationReport {
  if (foreign.size === 0 || report.checks.every((c) => c.ok)) return report;
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return foreign.has(value) ? ANOTHER_PARTNERS_ENTRY : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (value === null || typeof value !== "object" || value instanceof Date) return value;
    const row = value as Attributed;
    if (typeof row.entry_id === "string" && foreign.has(row.entry_id)) return ANOTHER_PARTNERS_ENTRY;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
  };
  const checks = report.checks.map((c): VerificationCheck => {
    if (c.ok) return c;
    const shown: VerificationCheck = { ...c };
    if ("stored" in c) shown.stored = scrub(c.stored);
    if ("recomputed" in c) shown.recomputed = scrub(c.recomputed);
    if (c.note !== undefined) shown.note = scrub(c.note) as string;
    return shown;
  });
  return { ...report, checks };
}
