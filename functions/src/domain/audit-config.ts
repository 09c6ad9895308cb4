/**
 * Every threshold the auditor uses, in one place. docs/auditor.md
 * documents the same values; change both together and bump RULES_VERSION, which is
 * stored on every audit so that a verdict can be traced to the rules that made it.
 *
 * Range limits of the measurement standard (temperature, pressure, API gravity) are
 * not here: they belong to the standard and live in `mpms-limits.ts`.
 */

export const RULES_VERSION = "2025.3";

/** A rules version as [year, revision], or undefined when it is not one ("2025.3"). */
function rulesOrder(version: unknown): [number, number] | undefined {
  const match = typeof version === "string" ? /^(\d{4})\.(\d{1,6})$/.exec(version) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const CURRENT_RULES = rulesOrder(RULES_VERSION)!;

/**
 * Whether an audit stored under rules `stored` ("2025.3") is by these rules or later ones, in
 * year-then-revision order ("2025.10" after "2025.9"). While a deploy serves two revisions at once,
 * the older leaves the newer's audits alone, so the two do not re-audit each other's writes.
 */
export function rulesAtLeastCurrent(stored: unknown): boolean {
  const have = rulesOrder(stored);
  if (!have) return false;
  return have[0] > CURRENT_RULES[0] || (have[0] === CURRENT_RULES[0] && have[1] >= CURRENT_RULES[1]);
}

/** A spread floor: the smallest scale (in the metric's unit) treated as real variation. */
export interface SpreadFloor {
  /** Absolute floor, in the metric's unit. */
  absolute: number;
  /** Floor as a fraction of |median| (0 for none); the larger of the two applies. */
  relative: number;
}

export type StatMetric = "gross_volume_bbl" | "bsw_percent" | "temperature_degF" | "api_gravity";

export interface AuditConfig {
  bsw: {
    /**
     * Above this BS&W (%) the entry is flagged. Pipeline and export crude is sold at
     * <= 0.5 % BS&W and custody (LACT) units typically divert at about 1 %: a delivery
     * above 1 % is off the usual specification and worth a coordinator's look.
     */
    typicalMaxPercent: number;
    /**
     * Above this BS&W (%) the entry is rejected: no trunk line or terminal accepts crude
     * this wet, so the figure is either a sampling/typing error (0.5 keyed as 5.5) or a
     * delivery that must not enter the commingled stream. It must be re-sampled/corrected.
     */
    maxAcceptablePercent: number;
  };
  meterFactor: {
    /**
     * A proven custody meter sits within about ±2 % of 1.0000; beyond ±5 % the meter is
     * drifting badly or the factor was mistyped, so the entry is flagged.
     */
    flagBelow: number;
    flagAbove: number;
    /**
     * Outside ±10 % a factor is not a meter correction but a mistake (e.g. 1.0 keyed as
     * 0.1 or 10) or a failed meter: it would move the partner's allocation by more than a
     * tenth, so the entry is rejected.
     */
    rejectBelow: number;
    rejectAbove: number;
  };
  /** Tolerated clock skew between the operator's device and the server, in ms. */
  futureToleranceMs: number;
  /**
   * No production is measured before this instant (firestore.rules holds the same floor):
   * an earlier `measured_at` (0001-01-01, a two-digit year read as 19xx) is rejected.
   */
  measuredAtFloor: Date;
  statistics: StatisticsConfig;
}

export interface StatisticsConfig {
  /**
   * Size of the history window: the partner's most recent validated or approved
   * entries, newest first (the trigger's query limit). A month of daily entries is
   * long enough to be stable and short enough to follow a field's decline.
   */
  window: number;
  /**
   * Below this many history entries no statistical reason is raised: a median and a
   * MAD of a handful of points say little about what is unusual.
   */
  minHistory: number;
  /**
   * |modified z| above this is an outlier (Iglewicz & Hoaglin, 1993, recommend 3.5 for
   * the modified z-score 0.6745 (x - median) / MAD).
   */
  zThreshold: number;
  /**
   * Per metric, the smallest spread treated as real: readings are taken to a finite
   * resolution, so a history whose MAD is below it (a partner that reports the same
   * API gravity every day, say) must not turn a reading-resolution change into an
   * outlier. Volume: 1 % of the median; BS&W: 0.1 percentage point (centrifuge reading
   * resolution); temperature: 1 °F; API gravity: 0.2 °API (hydrometer read to 0.1).
   */
  spreadFloor: Record<StatMetric, SpreadFloor>;
}

export const AUDIT_CONFIG: AuditConfig = {
  bsw: { typicalMaxPercent: 1.0, maxAcceptablePercent: 5.0 },
  meterFactor: { flagBelow: 0.95, flagAbove: 1.05, rejectBelow: 0.9, rejectAbove: 1.1 },
  futureToleranceMs: 5 * 60 * 1000,
  measuredAtFloor: new Date("2000-01-01T00:00:00Z"),
  statistics: {
    window: 30,
    minHistory: 5,
    zThreshold: 3.5,
    spreadFloor: {
      gross_volume_bbl: { absolute: 1, relative: 0.01 },
      bsw_percent: { absolute: 0.1, relative: 0 },
      temperature_degF: { absolute: 1, relative: 0 },
      api_gravity: { absolute: 0.2, relative: 0 },
    },
  },
};
