/**
 * What the auditor's rules will say about one field of an entry, judged as the operator types.
 * Only the field-level rules (ranges and thresholds); the duplicate check and the statistics
 * against the partner's history are the auditor's, after saving.
 *
 * Two kinds of "no": a value the security rules refuse (firestore.rules, validMeasurement: gross
 * volume above 0, BS&W from 0 to below 100 %, a meter factor above 0, every figure a finite
 * number) cannot be saved at all (`refused`); a value the auditor will flag or reject is saved,
 * and the verdict follows.
 */
import { signedMeasured } from "../format";
import { AUDIT_LIMITS, MPMS_LIMITS } from "./audit-limits";

export type HintLevel = "ok" | "info" | "warning" | "critical";

export interface FieldHint {
  level: HintLevel;
  /** The limits, always shown. */
  limits: string;
  /** What the current value triggers, when anything. */
  message?: string;
  /** The security rules refuse the value: the entry cannot be saved with it (the message says why). */
  refused?: boolean;
  /** Not a plain decimal number (`parseFigure`): refused, the message saying what to type instead. */
  malformed?: boolean;
}

export type EntryField = "gross_volume_bbl" | "bsw_percent" | "temperature_degF" | "api_gravity" | "pressure_psig" | "meter_factor";

const { bsw, meterFactor } = AUDIT_LIMITS;
const m = MPMS_LIMITS;

export const FIELD_LIMITS: Record<EntryField, string> = {
  gross_volume_bbl: "must be above 0 bbl",
  bsw_percent: `flagged above ${bsw.typicalMaxPercent.toFixed(1)} %, rejected above ${bsw.maxAcceptablePercent.toFixed(1)} %`,
  temperature_degF: `accepted ${signedMeasured(m.temperatureMinDegF)} to ${signedMeasured(m.temperatureMaxDegF)} °F (API MPMS 11.1)`,
  api_gravity: `accepted about ${signedMeasured(m.apiGravityMinApprox)} to ${signedMeasured(m.apiGravityMaxApprox)} °API (density ${m.densityMinKgM3}–${m.densityMaxKgM3} kg/m³ at 60 °F)`,
  pressure_psig: `accepted up to ${m.pressureMaxPsig} psig; below 0 counts as 0, below ${signedMeasured(m.absoluteVacuumPsig)} is rejected; empty = 0`,
  meter_factor: `flagged outside ${meterFactor.flagBelow.toFixed(2)}–${meterFactor.flagAbove.toFixed(2)}, rejected outside ${meterFactor.rejectBelow.toFixed(2)}–${meterFactor.rejectAbove.toFixed(2)}; empty = 1.0000`,
};

const densityFromApi = (api: number) => (141.5 * m.waterDensity60FKgM3) / (api + 131.5);

/** What the security rules refuse, for any field (validMeasurement in firestore.rules). */
function refusedByRules(field: EntryField, x: number): string | undefined {
  switch (field) {
    case "gross_volume_bbl":
      return x > 0 ? undefined : "must be above 0 bbl";
    case "bsw_percent":
      return x >= 0 && x < 100 ? undefined : "must be from 0 to below 100 %";
    case "meter_factor":
      return x > 0 ? undefined : "must be above 0";
    default:
      return undefined;
  }
}

function judge(field: EntryField, x: number): Omit<FieldHint, "limits"> {
  const refusal = refusedByRules(field, x);
  if (refusal) return { level: "critical", refused: true, message: `cannot be saved: ${refusal}` };
  switch (field) {
    case "gross_volume_bbl":
      // Volumes are measured to 0.01 bbl, rounded half to even with the standard's tie tolerance (1e-7 of 0.01 bbl): 0.005 bbl is 0.00.
      return x * 100 - 0.5 > 1e-7
        ? { level: "ok" }
        : { level: "critical", message: "rejected: rounds to 0.00 bbl (volumes are measured to 0.01 bbl)" };
    case "bsw_percent":
      if (x > bsw.maxAcceptablePercent)
        return { level: "critical", message: `rejected: above ${bsw.maxAcceptablePercent} %, no terminal accepts crude this wet` };
      if (x > bsw.typicalMaxPercent)
        return { level: "warning", message: `flagged: above the typical ${bsw.typicalMaxPercent} % pipeline spec` };
      return { level: "ok" };
    case "temperature_degF":
      return x >= m.temperatureMinDegF && x <= m.temperatureMaxDegF
        ? { level: "ok" }
        : {
            level: "critical",
            message: `rejected: outside ${signedMeasured(m.temperatureMinDegF)} to ${signedMeasured(m.temperatureMaxDegF)} °F`,
          };
    case "api_gravity": {
      const density = densityFromApi(x);
      return density >= m.densityMinKgM3 && density <= m.densityMaxKgM3
        ? { level: "ok" }
        : { level: "critical", message: "rejected: outside the standard's density range" };
    }
    case "pressure_psig":
      if (x < m.absoluteVacuumPsig) return { level: "critical", message: "rejected: below absolute vacuum" };
      if (x > m.pressureMaxPsig) return { level: "critical", message: `rejected: above ${m.pressureMaxPsig} psig` };
      if (x < 0) return { level: "info", message: "a negative gauge pressure counts as 0 psig" };
      return { level: "ok" };
    case "meter_factor":
      if (x < meterFactor.rejectBelow || x > meterFactor.rejectAbove)
        return { level: "critical", message: "rejected: not a meter correction but a mistake or a failed meter" };
      if (x < meterFactor.flagBelow || x > meterFactor.flagAbove)
        return { level: "warning", message: "flagged: the meter is drifting badly or the factor was mistyped" };
      return { level: "ok" };
  }
}

/** A figure as typed: its value, or why it is not a plain decimal number and what to type instead. */
export type ParsedFigure = { value: number } | { problem: string };

const PLAIN_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * The app's own reading of a typed or pasted figure: digits with at most one decimal point and an
 * optional leading sign (the minus sign U+2212 too, as the app shows negatives), nothing else.
 * `Number()` and `<input type="number">` would take "1e3" or drop what they cannot read ("3050,5"
 * became 30505); a figure that is not plain is refused, never guessed at.
 */
export function parseFigure(raw: string): ParsedFigure {
  const text = raw.trim().replace(/^\u2212/, "-");
  if (PLAIN_DECIMAL.test(text)) {
    const value = Number(text);
    return Number.isFinite(value)
      ? { value }
      : { problem: `Out of range: ${text.replace(/\D/g, "").length} digits are more than any reading has` };
  }
  const quoted = `“${raw.trim()}”`;
  const digits = text.replace(/[^0-9]/g, "");
  const sign = /^[+-]/.test(text) ? text[0] : "";
  if (/^[+-]?\d+,\d+$/.test(text)) {
    const [whole, fraction] = text.slice(sign.length).split(",");
    const decimal = `${sign}${whole}.${fraction}`;
    // "3,050" reads as 3.050 in Europe and as 3050 in English: say both, guess neither.
    return {
      problem:
        fraction.length === 3
          ? `Use a point as the decimal separator and no thousands separator: ${decimal}, or ${sign}${whole}${fraction}`
          : `Use a point as the decimal separator: ${decimal}`,
    };
  }
  if (/^[+-]?\d{1,3}([, \u00a0\u202f']\d{3})+(\.\d*)?$/.test(text)) {
    return { problem: `Leave out the thousands separators: ${sign}${text.slice(sign.length).replace(/[, \u00a0\u202f']/g, "")}` };
  }
  if ((text.match(/\./g) ?? []).length > 1) return { problem: `Not a number: ${quoted} has more than one decimal point` };
  const stray = text.slice(sign.length).match(/[^0-9.]/);
  if (stray) {
    const what = /[a-z]/i.test(stray[0]) ? `the letter ${stray[0]}` : stray[0] === " " ? "a space" : `“${stray[0]}”`;
    return {
      problem: `Not a number: ${quoted} has ${what}${/^o$/i.test(stray[0]) ? " (a zero is 0)" : ""}; use only digits and a decimal point`,
    };
  }
  return { problem: digits === "" ? `Not a number: ${quoted} has no digits` : `Not a number: ${quoted}` };
}

/** A stored figure as the form shows it: plain decimals, never "1e-7", which `parseFigure` refuses. */
export function figureText(x: number): string {
  const text = String(x);
  const exp = text.match(/^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/);
  if (!exp) return text;
  const [, sign, lead, rest = "", power] = exp;
  const digits = lead + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  return point >= digits.length
    ? `${sign}${digits}${"0".repeat(point - digits.length)}`
    : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The hint for a field's raw input text ("" is "not entered"). */
export function fieldHint(field: EntryField, raw: string): FieldHint {
  const limits = FIELD_LIMITS[field];
  if (raw.trim() === "") return { level: "ok", limits };
  const parsed = parseFigure(raw);
  if ("problem" in parsed) return { level: "critical", limits, refused: true, malformed: true, message: parsed.problem };
  return { limits, ...judge(field, parsed.value) };
}

/** What is refused of a field, after its label: "must be above 0 bbl", "“3050,5” is not a plain decimal number". */
export function refusalText(hint: FieldHint, raw: string): string | undefined {
  if (!hint.refused) return undefined;
  return hint.malformed ? `“${raw.trim()}” is not a plain decimal number` : (hint.message ?? "").replace(/^cannot be saved: /, "");
}

/** A figure the form has checked (`refusedFields` is empty): its number; "" is null. */
export function figureValue(raw: string): number | null {
  if (raw.trim() === "") return null;
  const parsed = parseFigure(raw);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.value;
}

/** The measured fields as the entry and receipt forms ask for them, in the order they show them. */
export const MEASURED_INPUTS = [
  { key: "gross_volume_bbl", label: "Gross volume", unit: "bbl", required: true },
  { key: "bsw_percent", label: "BS&W", unit: "%", required: true },
  { key: "temperature_degF", label: "Temperature", unit: "°F", required: true },
  { key: "api_gravity", label: "API gravity", unit: "°API", required: true },
  { key: "pressure_psig", label: "Pressure", unit: "psig", required: false },
  { key: "meter_factor", label: "Meter factor", unit: "", required: false },
] as const satisfies ReadonlyArray<{ key: EntryField; label: string; unit: string; required: boolean }>;

/** The fields that cannot be saved as they are, with why, in the form's order ("Gross volume must be above 0 bbl", "Pressure “2O” is not a plain decimal number"). `hintOf`: the receipt form's hints. */
export function refusedFields(
  values: Record<EntryField, string>,
  hintOf: (field: EntryField, raw: string) => FieldHint = fieldHint,
): string[] {
  return MEASURED_INPUTS.flatMap((f) => {
    const refusal = refusalText(hintOf(f.key, values[f.key]), values[f.key]);
    return refusal ? [`${f.label} ${refusal}`] : [];
  });
}

/**
 * The hint for a terminal receipt's field: the same limits, but a receipt has no verdict. The
 * rules refuse what they refuse for an entry; `reconcile` refuses a receipt with a value the
 * auditor would reject (`examineReceipt`), and ignores what it would only flag.
 */
export function receiptFieldHint(field: EntryField, raw: string): FieldHint {
  const entry = fieldHint(field, raw);
  // The limits without the flags, which a receipt never gets: "refused above 5.0 %".
  const hint = { ...entry, limits: entry.limits.replace(/flagged [^,;]+, /, "").replace(/\brejected\b/g, "refused") };
  if (hint.refused) return hint;
  if (hint.level === "critical" && hint.message) return { ...hint, message: hint.message.replace(/^rejected: /, "refused by reconcile: ") };
  return hint.level === "warning" ? { level: "ok", limits: hint.limits } : hint;
}
