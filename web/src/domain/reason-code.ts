/**
 * The auditor's reason codes (functions/src/domain/audit-rules.ts) as a short title in words,
 * for the badge before each reason's sentence and the lists that name reasons only; the code
 * stays on hover and in data-code, for support. Pure: the screens and the unit tests share it.
 */
import { codeInWords } from "./code-words";

export const REASON_TITLES: Readonly<Record<string, string>> = {
  GROSS_VOLUME_NOT_POSITIVE: "Gross volume not above 0",
  GROSS_VOLUME_TOO_LARGE: "Gross volume too large",
  GROSS_VOLUME_OUTLIER: "Gross volume outlier",
  BSW_OUT_OF_RANGE: "BS&W out of range",
  BSW_ABOVE_LIMIT: "BS&W above limit",
  BSW_ABOVE_TYPICAL: "BS&W above typical",
  BSW_OUTLIER: "BS&W outlier",
  TEMPERATURE_OUT_OF_RANGE: "Temperature out of range",
  TEMPERATURE_OUTLIER: "Temperature outlier",
  API_GRAVITY_OUT_OF_RANGE: "API gravity out of range",
  API_GRAVITY_OUTLIER: "API gravity outlier",
  PRESSURE_OUT_OF_RANGE: "Pressure out of range",
  PRESSURE_NEGATIVE_COUNTED_AS_ZERO: "Negative pressure counted as 0",
  METER_FACTOR_UNUSUAL: "Meter factor unusual",
  METER_FACTOR_IMPLAUSIBLE: "Meter factor implausible",
  MEASURED_AT_IN_FUTURE: "Measured in the future",
  MEASURED_AT_BEFORE_JV_START: "Measured before the JV start",
  MEASURED_AT_BEFORE_FLOOR: "Measured too long ago",
  DUPLICATE_ENTRY: "Duplicate entry",
  PARTNER_UNKNOWN: "Partner unknown",
  PARTNER_INACTIVE: "Partner inactive",
};

/** "BSW_ABOVE_TYPICAL" → "BS&W above typical"; a code not listed, in words all the same. */
export const reasonTitle = (code: string): string => (Object.hasOwn(REASON_TITLES, code) ? REASON_TITLES[code] : codeInWords(code));
