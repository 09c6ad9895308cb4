import type { ReportEvidence, VerificationCheck, VerificationReport } from "./report-verification";

/** What a partner reads where a failed check named another partner's entry. */
export const ANOTHER_PARTNERS_ENTRY = "(an entry of another partner)";

type Attributed = { entry_id?: unknown; partner_id?: unknown };

/**
 * The entry ids the evidence attributes to a partner other than `partnerId` anywhere: manifest
 * rows, excluded entries, the report's exclusion preview and its corrections. An id also given
 * to the partner itself counts as another's: on damaged data, hiding one of its own is the
 * safer mistake.
 */
export function entriesOfOtherPartners(evidence: ReportEvidence, partnerId: string): Set<string> {
  const report = evidence.report;
  const lists: unknown[] = [evidence.rows, evidence.exclusions, report.excluded, report.corrections];
  const foreign = new Set<string>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Attributed[]) {
      if (typeof item?.entry_id === "string" && item.partner_id !== partnerId) foreign.add(item.entry_id);
    }
  }
  return foreign;
}

/**
 * A verification as a partner may read it: a failed check (damaged or tampered data) can name
 * entries, and another partner's entry ids and per-entry figures are not the partner's to read
 * (the rules keep the manifest and exclusion chunks from it). Each such id, inside a text too
 * (a row that cannot be read is named in its check's note), or each row that carries one,
 * becomes ANOTHER_PARTNERS_ENTRY; which checks failed, and everything else, stays as it is.
 */
export function verificationForPartner(report: VerificationReport, foreign: ReadonlySet<string>): VerificationReport {
  if (foreign.size === 0 || report.checks.every((c) => c.ok)) return report;
  // Longest first, so that an id inside a longer one is not replaced in part.
  const ids = [...foreign].sort((a, b) => b.length - a.length);
  const scrubText = (text: string) => {
    if (foreign.has(text)) return ANOTHER_PARTNERS_ENTRY;
    let shown = text;
    for (const id of ids) if (shown.includes(id)) shown = shown.split(id).join(ANOTHER_PARTNERS_ENTRY);
    return shown;
  };
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return scrubText(value);
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
    if (c.note !== undefined) shown.note = scrubText(c.note);
    return shown;
  });
  return { ...report, checks };
}
