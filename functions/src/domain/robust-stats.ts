import { AUDIT_CONFIG, type SpreadFloor, type StatisticsConfig, type StatMetric } from "./audit-config";
import type { AuditReason } from "./production-entry";
import { inWords } from "./minus-sign";

export const STAT_METRICS: readonly StatMetric[] = ["gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity"];

export type MetricValues = Record<StatMetric, number>;

/** Φ⁻¹(0.75): for normal data MAD ≈ 0.6745 σ, so 0.6745 (x − median) / MAD is z-like. */
export const MAD_Z_FACTOR = 0.6745;
/** √(π/2): for normal data σ ≈ 1.253314 × mean absolute deviation. */
export const MEAN_AD_SIGMA_FACTOR = 1.253314;

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Mean absolute deviation from the given center (the median, in this module). */
export function meanAbsoluteDeviation(values: readonly number[], center: number): number {
  if (values.length === 0) throw new RangeError("mean absolute deviation of an empty list");
  return values.reduce((sum, v) => sum + Math.abs(v - center), 0) / values.length;
}

/** Iglewicz–Hoaglin modified z-score; `mad` must be > 0 (see `scoreMetric` for MAD = 0). */
export function modifiedZScore(x: number, center: number, mad: number): number {
  if (!(mad > 0)) throw new RangeError("modified z-score needs a MAD > 0");
  return (MAD_Z_FACTOR * (x - center)) / mad;
}

/**
 * Which spread the z-score was divided by:
 * - "mad": MAD / 0.6745, the modified z-score proper;
 * - "mean_ad": 1.253314 × mean absolute deviation, when MAD = 0 (more than half the
 *   history sits on the median) but the history does vary — the fallback IBM SPSS and
 *   Iglewicz–Hoaglin's followers use;
 * - "floor": the metric's spread floor (config), when the history's spread is below
 *   the reading resolution or zero: a change smaller than a few resolution steps is
 *   never an outlier, and a history of identical values still yields a finite z.
 */
export type ScaleBasis = "mad" | "mean_ad" | "floor";

export interface MetricScore {
  value: number;
  median: number;
  mad: number;
  /** The σ-equivalent spread the z-score was divided by. */
  scale: number;
  basis: ScaleBasis;
  z: number;
}

export function spreadFloor(center: number, floor: SpreadFloor): number {
  return Math.max(floor.absolute, floor.relative * Math.abs(center));
}

/** Robust z-score of `value` against a non-empty history of one metric. */
export function scoreMetric(value: number, history: readonly number[], floor: SpreadFloor): MetricScore {
  const center = median(history);
  const mad = medianAbsoluteDeviation(history, center);
  const minScale = spreadFloor(center, floor);
  const deviation = value - center;
  const result = (scale: number, basis: ScaleBasis, z: number): MetricScore => ({
    value,
    median: center,
    mad,
    scale,
    basis,
    z,
  });

  if (mad > 0 && mad / MAD_Z_FACTOR >= minScale) {
    return result(mad / MAD_Z_FACTOR, "mad", modifiedZScore(value, center, mad));
  }
  const meanAdScale = mad > 0 ? 0 : MEAN_AD_SIGMA_FACTOR * meanAbsoluteDeviation(history, center);
  if (meanAdScale > 0 && meanAdScale >= minScale) {
    return result(meanAdScale, "mean_ad", deviation / meanAdScale);
  }
  // A zero floor (a misconfiguration) must still give a finite, deterministic answer.
  if (minScale <= 0) return result(0, "floor", deviation === 0 ? 0 : Math.sign(deviation) * Number.MAX_VALUE);
  return result(minScale, "floor", deviation / minScale);
}

/**
 * Whose history an entry is scored against: its meter's, once the meter has enough accepted
 * entries (a partner's meters may run at very different rates), else its partner's.
 */
export type HistoryScope = "meter" | "partner";

export interface HistoryStats {
  /** History entries used (within the window, all four metrics finite). */
  n: number;
  /** Absent on audits made before rules 2025.3: the partner's. */
  scope: HistoryScope;
  window: number;
  min_history: number;
  enough_history: boolean;
  z_threshold: number;
  /** Null when there is not enough history: no statistics count then. */
  metrics: Record<StatMetric, MetricScore> | null;
}

export interface HistoryScore {
  stats: HistoryStats;
  /** One warning per metric whose |z| exceeds the threshold. */
  reasons: AuditReason[];
}

const METRIC_TEXT: Record<StatMetric, { code: string; label: string; unit: string; hint: string }> = {
  gross_volume_bbl: {
    code: "GROSS_VOLUME_OUTLIER",
    label: "Gross volume",
    unit: " bbl",
    hint: "Check the meter reading, its units and that the entry covers a single day.",
  },
  bsw_percent: {
    code: "BSW_OUTLIER",
    label: "BS&W",
    unit: " %",
    hint: "Check the sample analysis: water breakthrough and a sampling error both show this way.",
  },
  temperature_degF: {
    code: "TEMPERATURE_OUTLIER",
    label: "Temperature",
    unit: " °F",
    hint: "Check the thermometer reading and that it is in °F.",
  },
  api_gravity: {
    code: "API_GRAVITY_OUTLIER",
    label: "API gravity",
    unit: " °API",
    hint: "Check the hydrometer reading and its temperature; a change of crude source also shows this way.",
  },
};

export const OUTLIER_CODES: Record<StatMetric, string> = {
  gross_volume_bbl: METRIC_TEXT.gross_volume_bbl.code,
  bsw_percent: METRIC_TEXT.bsw_percent.code,
  temperature_degF: METRIC_TEXT.temperature_degF.code,
  api_gravity: METRIC_TEXT.api_gravity.code,
};

/** Fixed-decimal text without trailing zeros; deterministic (no locale). */
export function formatNumber(x: number, decimals: number): string {
  return String(Number(x.toFixed(decimals)));
}

/** Whose accepted entries a sentence compares with: "this meter's" or "this partner's". */
export function historyOwner(scope: HistoryScope | undefined, article: "this" | "the" = "this"): string {
  return `${article} ${scope === "meter" ? "meter" : "partner"}'s`;
}

function outlierReason(metric: StatMetric, score: MetricScore, n: number, threshold: number, scope: HistoryScope): AuditReason {
  const text = METRIC_TEXT[metric];
  const direction = score.z > 0 ? "above" : "below";
  return {
    code: text.code,
    field: metric,
    severity: "warning",
    message:
      // The entry's figure as entered (the band rules quote it so): 1.004 % is not "1 %".
      `${text.label} ${inWords(formatNumber(score.value, 6))}${text.unit} is far ${direction} ${historyOwner(scope)} ` +
      `last ${n} accepted entries (median ${inWords(formatNumber(score.median, 2))}${text.unit}; robust z-score ` +
      `${inWords(formatNumber(score.z, 1))}, outlier beyond ±${threshold}). ${text.hint}`,
  };
}

function isUsable(row: MetricValues): boolean {
  return STAT_METRICS.every((metric) => Number.isFinite(row[metric]));
}

/** Whether a history (newest first) holds enough usable entries within the window to score against. */
export function holdsEnoughHistory(history: readonly MetricValues[], config: StatisticsConfig = AUDIT_CONFIG.statistics): boolean {
  return history.slice(0, config.window).filter(isUsable).length >= Math.max(1, config.minHistory);
}

/**
 * Scores an entry against a history (its meter's or its partner's, `scope`): the most recent
 * validated or approved entries, newest first, as the trigger's bounded query returns them
 * (anything past the window is ignored). With fewer than `minHistory` usable entries nothing is scored.
 */
export function scoreAgainstHistory(
  entry: MetricValues,
  history: readonly MetricValues[],
  config: StatisticsConfig = AUDIT_CONFIG.statistics,
  scope: HistoryScope = "partner",
): HistoryScore {
  const used = history.slice(0, config.window).filter(isUsable);
  const minHistory = Math.max(1, config.minHistory);
  const stats: HistoryStats = {
    n: used.length,
    scope,
    window: config.window,
    min_history: minHistory,
    enough_history: used.length >= minHistory,
    z_threshold: config.zThreshold,
    metrics: null,
  };
  if (!stats.enough_history) return { stats, reasons: [] };

  const metrics = {} as Record<StatMetric, MetricScore>;
  const reasons: AuditReason[] = [];
  for (const metric of STAT_METRICS) {
    const score = scoreMetric(
      entry[metric],
      used.map((row) => row[metric]),
      config.spreadFloor[metric],
    );
    metrics[metric] = score;
    if (Math.abs(score.z) > config.zThreshold) {
      reasons.push(outlierReason(metric, score, used.length, config.zThreshold, scope));
    }
  }
  stats.metrics = metrics;
  return { stats, reasons };
}
