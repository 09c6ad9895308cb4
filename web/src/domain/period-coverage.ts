/** The pre-flight's coverage in words: which partner and meter lacks production on which days (periodCoverage). */

const DAY_MS = 86_400_000;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/**
 * Contract days as runs: "2026-11-01 to 2026-11-03, 2026-11-05"; past `max` runs, "and N more
 * days". `days` in order, as periodCoverage lists them.
 */
export function dayRuns(days: readonly string[], max = 6): string {
  const runs: Array<{ from: string; to: string; count: number }> = [];
  for (const day of days) {
    const last = runs[runs.length - 1];
    if (last && nextDay(last.to) === day) {
      last.to = day;
      last.count += 1;
    } else runs.push({ from: day, to: day, count: 1 });
  }
  const shown = runs.slice(0, max).map((r) => (r.count === 1 ? r.from : `${r.from} to ${r.to}`));
  const more = runs.slice(max).reduce((n, r) => n + r.count, 0);
  return more > 0 ? `${shown.join(", ")} and ${more} more day${more === 1 ? "" : "s"}` : shown.join(", ");
}

interface Gaps {
  days_without_entries: readonly string[];
  days_only_excluded: readonly string[];
}

/** "no entry on …; only excluded entries on …", or undefined when every day has production. */
export function gapWords(gaps: Gaps): string | undefined {
  const parts: string[] = [];
  if (gaps.days_without_entries.length > 0) parts.push(`no entry on ${dayRuns(gaps.days_without_entries)}`);
  if (gaps.days_only_excluded.length > 0) {
    parts.push(`only excluded entries (rejected by the auditor or on review) on ${dayRuns(gaps.days_only_excluded)}`);
  }
  return parts.length > 0 ? parts.join("; ") : undefined;
}

export interface PartnerGaps extends Gaps {
  partner_id: string;
  name: string;
  /** It left the JV on that day: the period's days from it on are not its to cover. */
  left_jv_on?: string;
  entries: number;
  meters: ReadonlyArray<Gaps & { meter_id: string }>;
}

/**
 * One line per partner with a gap: the partner's own days, then each meter's that are not the
 * partner's already (a meter missing a day the partner has other production on). A partner with
 * no entry at all is said so, once.
 */
export function coverageLines(
  partners: readonly PartnerGaps[],
  dayCount: number,
): Array<{ partner_id: string; name: string; text: string }> {
  const lines: Array<{ partner_id: string; name: string; text: string }> = [];
  for (const p of partners) {
    if (p.entries === 0) {
      // A partner that joined or left within the period covers only its own days of it.
      const own = p.days_without_entries.length;
      const days =
        own === dayCount
          ? dayCount === 1
            ? "the period's contract day"
            : `any of the period's ${dayCount} contract days`
          : `${own === 1 ? "its one contract day" : `any of its ${own} contract days`} in the period${p.left_jv_on ? ` (it left the JV on ${p.left_jv_on})` : ""}`;
      lines.push({ partner_id: p.partner_id, name: p.name, text: `no entry on ${days}: it would be allocated nothing` });
      continue;
    }
    const own = new Set([...p.days_without_entries, ...p.days_only_excluded]);
    const parts: string[] = [];
    const partnerWords = gapWords(p);
    if (partnerWords) parts.push(partnerWords);
    for (const m of p.meters) {
      const words = gapWords({
        days_without_entries: m.days_without_entries.filter((d) => !own.has(d)),
        days_only_excluded: m.days_only_excluded.filter((d) => !own.has(d)),
      });
      if (words) parts.push(`meter ${m.meter_id}: ${words}`);
    }
    if (parts.length > 0) lines.push({ partner_id: p.partner_id, name: p.name, text: parts.join("; ") });
  }
  return lines;
}
