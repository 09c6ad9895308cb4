import { AUDIT_CONFIG, type AuditConfig } from "./audit-config";
import { measurementProblems, VOLUME_DECIMALS } from "./mpms";
import { ABSOLUTE_VACUUM_PSIG, type MeasurementField } from "./mpms-limits";
import { partnerWords } from "./partner-words";
import { type AuditReason, type ProductionEntry, productionDay } from "./production-entry";
import { roundHalfEven } from "./rounding";
import { utcMinute } from "./utc-minute";
import { oneLine } from "./typed-text";

export const RULE_CODES = {
  grossVolumeNotPositive: "GROSS_VOLUME_NOT_POSITIVE",
  grossVolumeTooLarge: "GROSS_VOLUME_TOO_LARGE",
  bswOutOfRange: "BSW_OUT_OF_RANGE",
  bswAboveLimit: "BSW_ABOVE_LIMIT",
  bswAboveTypical: "BSW_ABOVE_TYPICAL",
  apiGravityOutOfRange: "API_GRAVITY_OUT_OF_RANGE",
  temperatureOutOfRange: "TEMPERATURE_OUT_OF_RANGE",
  pressureOutOfRange: "PRESSURE_OUT_OF_RANGE",
  pressureNegative: "PRESSURE_NEGATIVE_COUNTED_AS_ZERO",
  meterFactorImplausible: "METER_FACTOR_IMPLAUSIBLE",
  meterFactorUnusual: "METER_FACTOR_UNUSUAL",
  measuredInFuture: "MEASURED_AT_IN_FUTURE",
  measuredTooOld: "MEASURED_AT_BEFORE_FLOOR",
  measuredBeforeJvStart: "MEASURED_AT_BEFORE_JV_START",
  partnerUnknown: "PARTNER_UNKNOWN",
  partnerInactive: "PARTNER_INACTIVE",
  duplicateEntry: "DUPLICATE_ENTRY",
} as const;

export interface RuleContext {
  /** The audit time (the domain has no clock). */
  now: Date;
  /** The entry's partner as read at the audit; its name, when it has one, is how reasons name it. */
  partner: { exists: boolean; active: boolean; name?: string };
  /** Ids of other entries of the same partner, meter and contract day. */
  duplicateEntryIds: readonly string[];
  /** The entry's contract day (jv-settings.ts); the UTC date when not given. */
  contractDay?: string;
  /** The JV's first contract day, YYYY-MM-DD (settings/jv); none when null or absent. */
  jvStartDate?: string | null;
}

const RANGE_RULES: Partial<Record<MeasurementField, { code: string; hint: string }>> = {
  api_gravity: {
    code: RULE_CODES.apiGravityOutOfRange,
    hint: "Check the hydrometer reading and that it is in °API, not a density or specific gravity.",
  },
  temperature_degF: {
    code: RULE_CODES.temperatureOutOfRange,
    hint: "Check the reading and that it is in °F, not °C.",
  },
  pressure_psig: {
    code: RULE_CODES.pressureOutOfRange,
    hint: "Check the gauge reading and that it is in psig, not kPa or bar.",
  },
};

const MAX_LISTED_IDS = 5;

/**
 * A hundred billion barrels, far beyond any meter: rejected rather than left to fail the
 * reconciliation, whose sums of a period's volumes must stay exact cent-barrels (MAX_BBL_CB,
 * 1e13 bbl) and whose GSV of one entry must stay below 2^53 cb.
 */
const MAX_MEASURABLE_BBL = 1e11;

function grossVolume(entry: ProductionEntry): AuditReason[] {
  if (entry.gross_volume_bbl >= MAX_MEASURABLE_BBL) {
    return [
      {
        code: RULE_CODES.grossVolumeTooLarge,
        field: "gross_volume_bbl",
        severity: "critical",
        message:
          `Gross volume is ${entry.gross_volume_bbl} bbl, beyond any meter and what an allocation can sum exactly to 0.01 bbl ` +
          `(it must be below 100,000,000,000 bbl). Check the meter reading and its units.`,
      },
    ];
  }
  // Volumes are measured to 0.01 bbl: one that rounds to 0.00 (0.004 bbl) has no NSV either.
  if (entry.gross_volume_bbl > 0 && roundHalfEven(entry.gross_volume_bbl, VOLUME_DECIMALS) > 0) return [];
  return [
    {
      code: RULE_CODES.grossVolumeNotPositive,
      field: "gross_volume_bbl",
      severity: "critical",
      message:
        `Gross volume is ${entry.gross_volume_bbl} bbl; it must be greater than 0 (at least 0.01 bbl once rounded). ` +
        "Enter the metered volume; if nothing was delivered, leave the entry rejected (entries are never deleted) and note why.",
    },
  ];
}

function bsw(entry: ProductionEntry, config: AuditConfig): AuditReason[] {
  const value = entry.bsw_percent;
  const { typicalMaxPercent, maxAcceptablePercent } = config.bsw;
  const reason = (code: string, severity: AuditReason["severity"], message: string): AuditReason[] => [
    { code, field: "bsw_percent", severity, message },
  ];
  if (value < 0 || value >= 100) {
    return reason(
      RULE_CODES.bswOutOfRange,
      "critical",
      `BS&W is ${value} %; it must be at least 0 and below 100 %. Check the sample result.`,
    );
  }
  if (value > maxAcceptablePercent) {
    return reason(
      RULE_CODES.bswAboveLimit,
      "critical",
      `BS&W is ${value} %, above the ${maxAcceptablePercent} % acceptance limit: crude this wet cannot ` +
        "enter the commingled stream. Re-sample, or correct the figure if it was mistyped.",
    );
  }
  if (value > typicalMaxPercent) {
    return reason(
      RULE_CODES.bswAboveTypical,
      "warning",
      `BS&W is ${value} %, above the typical ${typicalMaxPercent} % for pipeline crude. ` +
        "Confirm the sample result and the dehydration upstream of the meter.",
    );
  }
  return [];
}

function measurementRange(entry: ProductionEntry): AuditReason[] {
  // The engine's own test, not only the screen of the inputs: a gravity inside the limits as
  // read can still give a density at 60 °F outside them (99 °API at -50 °F), and an entry
  // the engine cannot measure must not be validated and then fail its reconciliation.
  const problems = measurementProblems({
    apiGravity: entry.api_gravity,
    temperatureF: entry.temperature_degF,
    pressurePsig: entry.pressure_psig,
  });
  const reasons: AuditReason[] = problems.map((problem) => {
    const rule = RANGE_RULES[problem.field] ?? { code: `${problem.field.toUpperCase()}_OUT_OF_RANGE`, hint: "" };
    return {
      code: rule.code,
      field: problem.field,
      severity: "critical",
      // The problem names its field by label, with the value and the range in their unit.
      message:
        `${problem.message}. No net standard volume can be computed ` + `outside the limits of API MPMS Ch. 11.1. ${rule.hint}`.trimEnd(),
    };
  });
  const pressure = entry.pressure_psig;
  if (pressure < 0 && pressure >= ABSOLUTE_VACUUM_PSIG) {
    reasons.push({
      code: RULE_CODES.pressureNegative,
      field: "pressure_psig",
      severity: "info",
      message: `Pressure is ${pressure} psig; the standard counts a negative gauge pressure as 0 psig.`,
    });
  }
  return reasons;
}

function meterFactor(entry: ProductionEntry, config: AuditConfig): AuditReason[] {
  const value = entry.meter_factor;
  const band = config.meterFactor;
  if (value < band.rejectBelow || value > band.rejectAbove) {
    return [
      {
        code: RULE_CODES.meterFactorImplausible,
        field: "meter_factor",
        severity: "critical",
        message:
          `Meter factor ${value} is outside the plausible ${band.rejectBelow}–${band.rejectAbove}: ` +
          "it would change the volume by more than a tenth. Enter the factor from the latest proving report.",
      },
    ];
  }
  if (value < band.flagBelow || value > band.flagAbove) {
    return [
      {
        code: RULE_CODES.meterFactorUnusual,
        field: "meter_factor",
        severity: "warning",
        message:
          `Meter factor ${value} is outside the usual ${band.flagBelow}–${band.flagAbove} of a proven meter. ` +
          "Check it against the latest proving report; the meter may need re-proving.",
      },
    ];
  }
  return [];
}

/** "7 min", "5 h", "6 days": rounded down, enough for a person to see the size of the gap. */
function roughDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

function measuredAt(entry: ProductionEntry, context: RuleContext, config: AuditConfig): AuditReason[] {
  // The fixed floor, then the JV's own start date (settings/jv), which raises it.
  const floor = config.measuredAtFloor;
  if (entry.measured_at.getTime() < floor.getTime()) {
    return [
      {
        code: RULE_CODES.measuredTooOld,
        field: "measured_at",
        severity: "critical",
        message:
          `Measurement time ${utcMinute(entry.measured_at)} is before ${floor.toISOString().slice(0, 10)}, ` +
          "the earliest date FlowShare accepts; such a date is a typing or device error, not production. Check the date.",
      },
    ];
  }
  const day = context.contractDay ?? entry.measured_at.toISOString().slice(0, 10);
  if (context.jvStartDate && day < context.jvStartDate) {
    return [
      {
        code: RULE_CODES.measuredBeforeJvStart,
        field: "measured_at",
        severity: "critical",
        message:
          `Measurement time ${utcMinute(entry.measured_at)} falls in contract day ${day}, before the joint venture's ` +
          `start date ${context.jvStartDate} (in the JV settings); production before the JV is not allocated. Check the date.`,
      },
    ];
  }
  const aheadMs = entry.measured_at.getTime() - context.now.getTime();
  if (aheadMs <= config.futureToleranceMs) return [];
  return [
    {
      code: RULE_CODES.measuredInFuture,
      field: "measured_at",
      severity: "critical",
      message:
        `Measurement time ${utcMinute(entry.measured_at)} is more than ${roughDuration(aheadMs)} after ` +
        `the audit time ${utcMinute(context.now)}; production cannot be reported ahead of time. ` +
        "Check the date and the device's clock.",
    },
  ];
}

function partnerText(entry: ProductionEntry, context: RuleContext): string {
  return partnerWords(entry.partner_id, context.partner.name);
}

function partner(entry: ProductionEntry, context: RuleContext): AuditReason[] {
  if (!context.partner.exists) {
    return [
      {
        code: RULE_CODES.partnerUnknown,
        field: "partner_id",
        severity: "critical",
        message:
          `Partner "${entry.partner_id}" does not exist, so the volume cannot be allocated. ` + "Check the operator's partner assignment.",
      },
    ];
  }
  if (!context.partner.active) {
    return [
      {
        code: RULE_CODES.partnerInactive,
        field: "partner_id",
        severity: "warning",
        message:
          `${partnerText(entry, context)} is not active. Approve the entry only if the partner was ` +
          "still in the joint venture on the production day.",
      },
    ];
  }
  return [];
}

function duplicate(entry: ProductionEntry, context: RuleContext): AuditReason[] {
  if (context.duplicateEntryIds.length === 0) return [];
  const ids = [...context.duplicateEntryIds].sort();
  const listed = ids.slice(0, MAX_LISTED_IDS).join(", ");
  const more = ids.length > MAX_LISTED_IDS ? ` and ${ids.length - MAX_LISTED_IDS} more` : "";
  const meter = entry.meter_id === undefined ? "with no meter id" : `on meter "${oneLine(entry.meter_id)}"`;
  return [
    {
      code: RULE_CODES.duplicateEntry,
      field: "meter_id",
      severity: "warning",
      message:
        `${partnerText(entry, context)} already has an entry ${meter} for contract day ${context.contractDay ?? productionDay(entry.measured_at)} ` +
        `(${listed}${more}). Keep one per meter and day: reject or correct the duplicate.`,
    },
  ];
}

/** The measured fields the bands below look at: an entry's, or a terminal receipt's. */
export type BandedFields = Pick<
  ProductionEntry,
  "gross_volume_bbl" | "bsw_percent" | "temperature_degF" | "api_gravity" | "pressure_psig" | "meter_factor"
>;

/**
 * The auditor's bands on the measured fields alone (volume, BS&W, the standard's ranges of
 * temperature, API gravity and pressure, meter factor): what a terminal receipt is held to.
 */
export function measurementBandReasons(fields: BandedFields, config: AuditConfig = AUDIT_CONFIG): AuditReason[] {
  const banded = fields as ProductionEntry;
  return [...grossVolume(banded), ...bsw(banded, config), ...measurementRange(banded), ...meterFactor(banded, config)];
}

/** Every business rule, in a fixed order; no reasons means the rules found nothing. */
export function evaluateRules(entry: ProductionEntry, context: RuleContext, config: AuditConfig = AUDIT_CONFIG): AuditReason[] {
  return [
    ...grossVolume(entry),
    ...bsw(entry, config),
    ...measurementRange(entry),
    ...meterFactor(entry, config),
    ...measuredAt(entry, context, config),
    ...partner(entry, context),
    ...duplicate(entry, context),
  ];
}
