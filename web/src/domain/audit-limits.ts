/**
 * The auditor's thresholds, copied for the entry form so an operator sees them while typing.
 * A copy, not an import: the web bundle must not pull in the functions' sources. The unit test
 * functions/test/unit/web-audit-limits.test.ts imports this file together with
 * functions/src/domain/audit-config.ts and mpms-limits.ts and fails when they differ.
 */
export const WEB_RULES_VERSION = "2025.3";

export const AUDIT_LIMITS = {
  bsw: { typicalMaxPercent: 1.0, maxAcceptablePercent: 5.0 },
  meterFactor: { flagBelow: 0.95, flagAbove: 1.05, rejectBelow: 0.9, rejectAbove: 1.1 },
  futureToleranceMs: 5 * 60 * 1000,
  statistics: { window: 30, minHistory: 5, zThreshold: 3.5 },
} as const;

/** API MPMS Ch. 11.1 (2004) limits, crude oil. */
export const MPMS_LIMITS = {
  densityMinKgM3: 610.6,
  densityMaxKgM3: 1163.5,
  waterDensity60FKgM3: 999.016,
  apiGravityMinApprox: -10,
  apiGravityMaxApprox: 100,
  temperatureMinDegF: -58,
  temperatureMaxDegF: 302,
  pressureMaxPsig: 1500,
  absoluteVacuumPsig: -14.696,
} as const;
