import { auditInputHash } from "./production-entry";
import { type MetricValues, STAT_METRICS } from "./robust-stats";

/** The statistics' figures of an entry as it stands, for its audit to keep (`audit.figures`): null where one is not a number. */
export function auditedFigures(entry: Record<string, unknown>): Record<string, number | null> {
  return Object.fromEntries(STAT_METRICS.map((metric) => [metric, numberOrNull(entry[metric])]));
}

/**
 * A history entry's figures as its audit scored and accepted them. An entry edited since is
 * audited again on its own event, but until then its new figures are no one's verdict: a batch
 * edit of a meter's entries would otherwise make each edited entry the others' history, and
 * every one of them pass. An entry audited before its audit kept its figures counts by its
 * figures as they are now, only while they are still the audited ones (its input hash).
 */
export function auditedHistoryRow(entry: Record<string, unknown>): MetricValues | undefined {
  const audit = entry.audit as { figures?: unknown; input_hash?: unknown } | undefined;
  const figures = audit?.figures;
  const source =
    figures !== null && typeof figures === "object"
      ? (figures as Record<string, unknown>)
      : audit?.input_hash === auditInputHash(entry)
        ? entry
        : undefined;
  if (!source) return undefined;
  // NaN leaves the row out of the statistics (scoreAgainstHistory skips unusable rows).
  return Object.fromEntries(STAT_METRICS.map((metric) => [metric, numberOrNull(source[metric]) ?? NaN])) as MetricValues;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
