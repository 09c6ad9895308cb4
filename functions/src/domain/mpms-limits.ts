// The limits of API MPMS Ch. 11.1 (2004) for crude oil (commodity group A), and a
// non-throwing check that lists every input outside them.

import { fieldName } from "./field-names";
import { inWords } from "./minus-sign";

/** Density at 60 °F, kg/m3: the limits the standard is defined on. */
export const DENSITY_MIN_KG_M3 = 610.6;
export const DENSITY_MAX_KG_M3 = 1163.5;

/** Water density at 60 °F used by the 2004 standard to convert API gravity, kg/m3. */
export const WATER_DENSITY_60F_KG_M3 = 999.016;

/**
 * API gravity equivalents of the density limits, rounded for display (the exact
 * equivalents are 100.011 and -10.004 °API). Checks are made on density, not on these.
 */
export const API_GRAVITY_MIN_APPROX = -10;
export const API_GRAVITY_MAX_APPROX = 100;

export const TEMPERATURE_MIN_DEGF = -58;
export const TEMPERATURE_MAX_DEGF = 302;

export const PRESSURE_MIN_PSIG = 0;
export const PRESSURE_MAX_PSIG = 1500;

/**
 * The standard counts a negative gauge pressure as 0 psig (its own Example 11.1.6.2
 * No. 1 uses -5 psig), so readings between absolute vacuum and 0 are accepted.
 * A gauge pressure below absolute vacuum (one standard atmosphere, 14.696 psi)
 * cannot be real and is rejected.
 */
export const ABSOLUTE_VACUUM_PSIG = -14.696;

export type MeasurementField = "api_gravity" | "temperature_degF" | "pressure_psig" | "api_temperature_degF" | "api_pressure_psig";

export interface RangeLimit {
  min: number;
  max: number;
  unit: string;
}

export interface MeasurementProblem {
  field: MeasurementField;
  message: string;
  limit: RangeLimit;
}

export interface MeasurementReading {
  apiGravity: number;
  temperatureF: number;
  /** Missing pressure means 0 psig. */
  pressurePsig?: number;
  /** Where the gravity was read, when not at the volume's conditions (e.g. a lab hydrometer). */
  apiTemperatureF?: number;
  apiPressurePsig?: number;
}

export const API_GRAVITY_LIMIT: RangeLimit = {
  min: API_GRAVITY_MIN_APPROX,
  max: API_GRAVITY_MAX_APPROX,
  unit: "°API",
};
export const TEMPERATURE_LIMIT: RangeLimit = { min: TEMPERATURE_MIN_DEGF, max: TEMPERATURE_MAX_DEGF, unit: "°F" };
export const PRESSURE_LIMIT: RangeLimit = { min: PRESSURE_MIN_PSIG, max: PRESSURE_MAX_PSIG, unit: "psig" };

/** 141.5 x 999.016 / (API + 131.5): the 2004 standard's API-to-density conversion. */
export function densityFromApi(api: number): number {
  return (141.5 * WATER_DENSITY_60F_KG_M3) / (api + 131.5);
}

export function apiFromDensity(density: number): number {
  return (141.5 * WATER_DENSITY_60F_KG_M3) / density - 131.5;
}

export function isDensityInRange(density: number): boolean {
  return Number.isFinite(density) && density >= DENSITY_MIN_KG_M3 && density <= DENSITY_MAX_KG_M3;
}

function outside(field: MeasurementField, value: number, limit: RangeLimit, detail = ""): MeasurementProblem {
  const what = Number.isFinite(value)
    ? `${inWords(value)} ${limit.unit} is outside`
    : `is ${value}, not a finite number; it must be within`;
  return {
    field,
    message: `${fieldName(field)} ${what} the standard's range of ${inWords(limit.min)} to ${inWords(limit.max)} ${limit.unit}${detail}`,
    limit,
  };
}

/** API gravity problem, judged on the density it converts to (610.6 to 1163.5 kg/m3). */
export function apiGravityProblem(apiGravity: number): MeasurementProblem | undefined {
  if (isDensityInRange(densityFromApi(apiGravity))) return undefined;
  const detail = ` (density ${DENSITY_MIN_KG_M3} to ${DENSITY_MAX_KG_M3} kg/m3)`;
  return outside("api_gravity", apiGravity, API_GRAVITY_LIMIT, detail);
}

export function temperatureProblem(temperatureF: number, field: MeasurementField = "temperature_degF"): MeasurementProblem | undefined {
  if (Number.isFinite(temperatureF) && temperatureF >= TEMPERATURE_MIN_DEGF && temperatureF <= TEMPERATURE_MAX_DEGF) {
    return undefined;
  }
  return outside(field, temperatureF, TEMPERATURE_LIMIT);
}

export function pressureProblem(pressurePsig: number, field: MeasurementField = "pressure_psig"): MeasurementProblem | undefined {
  if (Number.isFinite(pressurePsig) && pressurePsig >= ABSOLUTE_VACUUM_PSIG && pressurePsig <= PRESSURE_MAX_PSIG) {
    return undefined;
  }
  if (Number.isFinite(pressurePsig) && pressurePsig < ABSOLUTE_VACUUM_PSIG) {
    return {
      field,
      message:
        `${fieldName(field)} ${pressurePsig} psig is below absolute vacuum (${ABSOLUTE_VACUUM_PSIG} psig); ` +
        `the standard's range is ${PRESSURE_MIN_PSIG} to ${PRESSURE_MAX_PSIG} psig ` +
        `and a negative gauge pressure counts as 0`,
      limit: PRESSURE_LIMIT,
    };
  }
  return outside(field, pressurePsig, PRESSURE_LIMIT);
}

/**
 * Every reading outside the standard's limits, without throwing. `apiGravity` is
 * screened as reported against the limits of the density at 60 °F; the engine
 * (mpms.ts) also checks the density at 60 °F that Table 5A derives from it.
 */
export function checkMeasurementRange(reading: MeasurementReading): MeasurementProblem[] {
  const { apiTemperatureF, apiPressurePsig } = reading;
  return [
    apiGravityProblem(reading.apiGravity),
    temperatureProblem(reading.temperatureF),
    pressureProblem(reading.pressurePsig ?? 0),
    apiTemperatureF === undefined ? undefined : temperatureProblem(apiTemperatureF, "api_temperature_degF"),
    apiPressurePsig === undefined ? undefined : pressureProblem(apiPressurePsig, "api_pressure_psig"),
  ].filter((problem): problem is MeasurementProblem => problem !== undefined);
}
