// API MPMS Ch. 11.1 (2004), crude oil (commodity group A): Table 6A (CTL, CPL, CTPL
// from API gravity at 60 °F), Table 5A (API gravity at 60 °F from an observed one),
// and FlowShare's net standard volume of one ticket. Pure: no I/O, no clock.
//
// Every intermediate stays at full double precision; only outputs are rounded.

import {
  API_GRAVITY_LIMIT,
  apiFromDensity,
  apiGravityProblem,
  checkMeasurementRange,
  densityFromApi,
  DENSITY_MAX_KG_M3,
  DENSITY_MIN_KG_M3,
  isDensityInRange,
  type MeasurementProblem,
  type MeasurementReading,
  pressureProblem,
  temperatureProblem,
} from "./mpms-limits";
import { divideHalfEven, roundHalfEven, toScaledInteger } from "./rounding";
import { fieldName } from "./field-names";
import { inWords } from "./minus-sign";

const K0 = 341.0957;
const K1 = 0;
const K2 = 0;
/** Shift of the 60 °F base between ITS-90 and IPTS-68, °F. */
const DELTA_60 = 0.01374979547;
/** 60 °F (ITS-90) expressed on the IPTS-68 scale, °F. */
const BASE_TEMPERATURE_IPTS68_DEGF = 60.0068749;
/** a1..a8 of the ITS-90 → IPTS-68 temperature shift, in powers of tC / 630. */
const ITS90_TO_IPTS68 = [-0.148759, -0.267408, 1.08076, 1.269056, -4.089591, -1.871251, 7.438081, -3.536296];
const ITS90_TO_IPTS68_SCALE_DEGC = 630;

const TABLE_5A_TOLERANCE_KG_M3 = 1e-6;
const TABLE_5A_MAX_ROUNDS = 15;

export const CORRECTION_FACTOR_DECIMALS = 5;
export const API_GRAVITY_DECIMALS = 1;
export const TEMPERATURE_DECIMALS = 1;
export const PRESSURE_DECIMALS = 0;
export const VOLUME_DECIMALS = 2;
/** API MPMS Ch. 12.2 carries meter factors to 4 decimals. */
export const METER_FACTOR_DECIMALS = 4;

/** Unrounded values of steps 1-7 of Table 6A, named as in the standard. */
export interface Table6AIntermediates {
  /** Density at 60 °F, kg/m3. */
  rho60: number;
  /** Observed temperature shifted to IPTS-68, °F. */
  tStar: number;
  /** Density at 60 °F shifted to the IPTS-68 basis, kg/m3. */
  rhoStar: number;
  /** Thermal expansion coefficient at 60 °F, per °F. */
  alpha60: number;
  /** t* - 60.0068749, °F. */
  deltaT: number;
  ctl: number;
  /** Scaled compressibility factor: the liquid's compressibility is Fp x 1e-5 per psi. */
  fp: number;
  cpl: number;
  ctpl: number;
}

export interface Table5AResult extends Table6AIntermediates {
  /** The observed density the iteration started from, kg/m3. */
  rhoObserved: number;
  /** Unrounded API gravity at 60 °F. */
  api60: number;
  /** Number of CTPL evaluations until convergence. */
  rounds: number;
}

function rangeError(problem: MeasurementProblem | undefined): void {
  if (problem) throw new RangeError(problem.message);
}

/** Step 2: an ITS-90 temperature in °F expressed on the IPTS-68 scale. */
export function ipts68TemperatureF(tempF: number): number {
  const tC = (tempF - 32) / 1.8;
  const tau = tC / ITS90_TO_IPTS68_SCALE_DEGC;
  let shift = 0;
  for (let i = ITS90_TO_IPTS68.length - 1; i >= 0; i--) shift = (shift + ITS90_TO_IPTS68[i]!) * tau;
  return 1.8 * (tC - shift) + 32;
}

/** Steps 1-7 from a density at 60 °F, unvalidated and unrounded. Negative pressure counts as 0. */
export function table6AFromDensity(rho60: number, tempF: number, psig = 0): Table6AIntermediates {
  const tStar = ipts68TemperatureF(tempF);

  const a = (DELTA_60 / 2) * ((K0 / rho60 + K1) / rho60 + K2);
  const b = (2 * K0 + K1 * rho60) / (K0 + (K1 + K2 * rho60) * rho60);
  const rhoStar = rho60 * (1 + (Math.exp(a * (1 + 0.8 * a)) - 1) / (1 + a * (1 + 1.6 * a) * b));

  const alpha60 = (K0 / rhoStar + K1) / rhoStar + K2;
  const deltaT = tStar - BASE_TEMPERATURE_IPTS68_DEGF;
  const ctl = Math.exp(-alpha60 * deltaT * (1 + 0.8 * alpha60 * (deltaT + DELTA_60)));

  const fp = Math.exp(-1.9947 + 0.00013427 * tStar + (793920 + 2326 * tStar) / (rhoStar * rhoStar));
  const pressure = Math.max(0, psig);
  const cpl = 1 / (1 - 1e-5 * fp * pressure);

  return { rho60, tStar, rhoStar, alpha60, deltaT, ctl, fp, cpl, ctpl: ctl * cpl };
}

/** Table 6A with the standard's limits enforced (RangeError naming the limit); unrounded. */
export function table6A(api60: number, tempF: number, psig = 0): Table6AIntermediates {
  rangeError(apiGravityProblem(api60) ?? temperatureProblem(tempF) ?? pressureProblem(psig));
  return table6AFromDensity(densityFromApi(api60), tempF, psig);
}

/** CTL to 60 °F, rounded half to even to 5 decimals. */
export function ctlTable6A(api60: number, tempF: number): number {
  return roundHalfEven(table6A(api60, tempF, 0).ctl, CORRECTION_FACTOR_DECIMALS);
}

/** CPL to 0 psig, rounded half to even to 5 decimals. */
export function cplTable6A(api60: number, tempF: number, psig: number): number {
  return roundHalfEven(table6A(api60, tempF, psig).cpl, CORRECTION_FACTOR_DECIMALS);
}

/** CTPL from the unrounded CTL x CPL, rounded half to even to 5 decimals. */
export function ctplTable6A(api60: number, tempF: number, psig: number): number {
  return roundHalfEven(table6A(api60, tempF, psig).ctpl, CORRECTION_FACTOR_DECIMALS);
}

function describeDensity60(rho60: number): string {
  return `density at 60 °F ${roundHalfEven(rho60, 3)} kg/m3 (${roundHalfEven(apiFromDensity(rho60), 2)} °API)`;
}

/**
 * Table 5A from an observed density (kg/m3) at tempF and psig: the standard's
 * Newton iteration on rho60, unrounded. Throws RangeError when the temperature or
 * pressure is outside the limits, when the iteration does not converge in 15 rounds,
 * or when the density at 60 °F it finds is outside 610.6 to 1163.5 kg/m3.
 */
export function table5AFromDensity(rhoObserved: number, tempF: number, psig = 0): Table5AResult {
  rangeError(temperatureProblem(tempF) ?? pressureProblem(psig));
  if (!(Number.isFinite(rhoObserved) && rhoObserved > 0)) {
    throw new RangeError(
      `API gravity: observed density ${rhoObserved} kg/m3 is not a positive finite number; ` +
        `the standard's range at 60 °F is ${DENSITY_MIN_KG_M3} to ${DENSITY_MAX_KG_M3} kg/m3`,
    );
  }
  const pressure = Math.max(0, psig);
  const dt = tempF - 60;
  // The first guess is the observed density brought inside the limits at 60 °F. The
  // reference note says "start from rho_obs"; the clamp is what reproduces the standard's
  // Example 11.1.6.3 No. 13 (observed 105.3 °API → 610.603878491534 kg/m3) to 12 decimals,
  // and it changes nothing when rho_obs is already inside the limits.
  let rho60 = Math.min(DENSITY_MAX_KG_M3, Math.max(DENSITY_MIN_KG_M3, rhoObserved));
  for (let round = 1; round <= TABLE_5A_MAX_ROUNDS; round++) {
    const step = table6AFromDensity(rho60, tempF, pressure);
    if (Math.abs(rhoObserved - rho60 * step.ctpl) < TABLE_5A_TOLERANCE_KG_M3) {
      if (!isDensityInRange(rho60)) {
        throw new RangeError(
          `API gravity: the ${describeDensity60(rho60)} is outside the standard's range of ` +
            `${DENSITY_MIN_KG_M3} to ${DENSITY_MAX_KG_M3} kg/m3 (about −10 to 100 °API)`,
        );
      }
      // Fields listed rather than spread: V8 (Node 20) builds `{...step, more}` on a slow
      // path, and a reconciliation measures 100,000 entries (see scripts/bench).
      const { tStar, rhoStar, alpha60, deltaT, ctl, fp, cpl, ctpl } = step;
      return { rho60, tStar, rhoStar, alpha60, deltaT, ctl, fp, cpl, ctpl, rhoObserved, api60: apiFromDensity(rho60), rounds: round };
    }
    const e = rhoObserved / step.ctpl - rho60;
    const dtTerm = 2 * step.alpha60 * dt * (1 + 1.6 * step.alpha60 * dt);
    const dpTerm = (-2 * step.cpl * pressure * step.fp * (7.9392 + 0.02326 * tempF)) / (rho60 * rho60);
    rho60 += e / (1 + dtTerm + dpTerm);
    if (!(Number.isFinite(rho60) && rho60 > 0)) break;
  }
  throw new RangeError(
    `API gravity: Table 5A did not converge within ${TABLE_5A_MAX_ROUNDS} rounds for observed density ` +
      `${rhoObserved} kg/m3 at ${inWords(tempF)} °F; the standard's range at 60 °F is ` +
      `${DENSITY_MIN_KG_M3} to ${DENSITY_MAX_KG_M3} kg/m3`,
  );
}

/** Table 5A: API gravity at 60 °F from an observed API gravity, rounded half to even to 0.1 °API. */
export function api60Table5A(apiObserved: number, tempF: number, psig = 0): number {
  const result = table5AFromDensity(densityFromApi(apiObserved), tempF, psig);
  return roundHalfEven(result.api60, API_GRAVITY_DECIMALS);
}

export interface NetStandardVolumeInput {
  grossVolumeBbl: number;
  /** API gravity as read, at apiTemperatureF and apiPressurePsig. */
  apiObserved: number;
  /** Temperature of the gross volume, °F. */
  temperatureF: number;
  /** Pressure of the gross volume; missing pressure is 0 psig. */
  pressurePsig?: number;
  /**
   * Where the gravity was read when that differs from the volume's conditions (a lab
   * hydrometer, or a gravity already corrected to 60 °F). Default: temperatureF and
   * pressurePsig.
   */
  apiTemperatureF?: number;
  apiPressurePsig?: number;
  bswPercent: number;
  /** Missing meter factor is 1.0000. */
  meterFactor?: number;
}

export interface NetStandardVolume {
  /** The inputs as used, after FlowShare's input rounding. */
  grossVolumeBbl: number;
  apiObserved: number;
  temperatureF: number;
  pressurePsig: number;
  apiTemperatureF: number;
  apiPressurePsig: number;
  bswPercent: number;
  meterFactor: number;
  /** Factors, each rounded half to even as printed on a ticket. */
  api60: number;
  ctl: number;
  cpl: number;
  ctpl: number;
  csw: number;
  /** Volumes to 0.01 bbl, and the same volumes as exact integer cent-barrels (cb). */
  gsvBbl: number;
  nsvBbl: number;
  gsvCb: number;
  nsvCb: number;
}

function requirePositive(field: string, value: number, decimals: number, unit: string): number {
  const scaled = Number.isFinite(value) && value > 0 ? toScaledInteger(value, decimals) : 0;
  if (scaled <= 0) {
    throw new RangeError(
      `${fieldName(field)} ${value}${unit} must be a finite number greater than 0${unit} (after rounding to ${decimals} decimals)`,
    );
  }
  return scaled;
}

function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`volume ${value} cb is too large`);
  return n;
}

/**
 * A reading after FlowShare's input rounding (API 0.1, temperatures 0.1 °F, pressures
 * 1 psi). A negative gauge pressure counts as 0 psig, so it is recorded as the 0 used.
 */
interface RoundedReading {
  apiObserved: number;
  temperatureF: number;
  pressurePsig: number;
  apiTemperatureF: number;
  apiPressurePsig: number;
}

function roundReading(reading: MeasurementReading): RoundedReading {
  const pressurePsig = reading.pressurePsig ?? 0;
  return {
    apiObserved: roundHalfEven(reading.apiGravity, API_GRAVITY_DECIMALS),
    temperatureF: roundHalfEven(reading.temperatureF, TEMPERATURE_DECIMALS),
    pressurePsig: roundHalfEven(Math.max(0, pressurePsig), PRESSURE_DECIMALS),
    apiTemperatureF: roundHalfEven(reading.apiTemperatureF ?? reading.temperatureF, TEMPERATURE_DECIMALS),
    apiPressurePsig: roundHalfEven(Math.max(0, reading.apiPressurePsig ?? pressurePsig), PRESSURE_DECIMALS),
  };
}

/**
 * Every reason the engine would refuse a reading, without throwing: the screen of
 * `checkMeasurementRange` (inputs as given) and, when that passes, the standard's own
 * test that Table 5A finds a density at 60 °F inside 610.6 to 1163.5 kg/m3 (rounded
 * inputs, as netStandardVolume uses them). Empty exactly when netStandardVolume accepts
 * the reading's gravity, temperatures and pressures.
 */
export function measurementProblems(reading: MeasurementReading): MeasurementProblem[] {
  const screened = checkMeasurementRange(reading);
  if (screened.length > 0) return screened;
  const rounded = roundReading(reading);
  try {
    table5AFromDensity(densityFromApi(rounded.apiObserved), rounded.apiTemperatureF, rounded.apiPressurePsig);
    return [];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [{ field: "api_gravity", message: error.message, limit: API_GRAVITY_LIMIT }];
  }
}

/**
 * Net standard volume of one ticket or daily entry, in FlowShare's calculation order:
 * 1. inputs rounded: observed API 0.1, temperatures 0.1 °F, pressures 1 psi (negative
 *    counts as 0), gross volume 0.01 bbl, meter factor 4 decimals (the last two are
 *    Ch. 12.2 practice: volumes are printed to 0.01 bbl, meter factors to 4 decimals);
 * 2. API60 by Table 5A at the conditions the gravity was read, rounded to 0.1;
 * 3. CTL and CPL at 5 decimals, and CTPL from the unrounded CTL x CPL at 5 decimals;
 * 4. CSW = 1 - BS&W/100 at 5 decimals;
 * 5. GSV = GOV x MF x CTPL and NSV = GSV x CSW, each rounded to 0.01 bbl.
 *
 * Step 5 multiplies the rounded decimals as exact integers (cent-barrels x 1e-4 x 1e-5
 * units, in BigInt) and divides once, half to even, so 10,000.00 x 0.98210 is exactly
 * 9,821.00 and a half-cent is a true tie, whatever binary floating point would make of it.
 *
 * Limits are checked on the inputs as given, before rounding, with `checkMeasurementRange`,
 * so whatever the auditor rejects this rejects too; Table 5A then also refuses a gravity
 * whose density at 60 °F is outside the limits (see `measurementProblems`). Every refusal
 * is a RangeError whose message names the limit.
 */
export function netStandardVolume(input: NetStandardVolumeInput): NetStandardVolume {
  const govCb = requirePositive("gross_volume_bbl", input.grossVolumeBbl, VOLUME_DECIMALS, " bbl");
  const meterFactorUnits = requirePositive("meter_factor", input.meterFactor ?? 1, METER_FACTOR_DECIMALS, "");
  if (!(Number.isFinite(input.bswPercent) && input.bswPercent >= 0 && input.bswPercent < 100)) {
    throw new RangeError(`BS&W ${input.bswPercent} % is outside the range 0 (inclusive) to 100 (exclusive) %`);
  }
  const reading: MeasurementReading = {
    apiGravity: input.apiObserved,
    temperatureF: input.temperatureF,
    pressurePsig: input.pressurePsig,
    apiTemperatureF: input.apiTemperatureF,
    apiPressurePsig: input.apiPressurePsig,
  };
  const problems = checkMeasurementRange(reading);
  if (problems.length > 0) throw new RangeError(problems.map((p) => p.message).join("; "));
  const rounded = roundReading(reading);

  const api60 = api60Table5A(rounded.apiObserved, rounded.apiTemperatureF, rounded.apiPressurePsig);
  const factors = table6A(api60, rounded.temperatureF, rounded.pressurePsig);
  const ctlUnits = toScaledInteger(factors.ctl, CORRECTION_FACTOR_DECIMALS);
  const cplUnits = toScaledInteger(factors.cpl, CORRECTION_FACTOR_DECIMALS);
  const ctplUnits = toScaledInteger(factors.ctpl, CORRECTION_FACTOR_DECIMALS);
  const cswUnits = toScaledInteger(1 - input.bswPercent / 100, CORRECTION_FACTOR_DECIMALS);

  const gsvCb = toSafeNumber(divideHalfEven(BigInt(govCb) * BigInt(meterFactorUnits) * BigInt(ctplUnits), 10n ** 9n));
  const nsvCb = toSafeNumber(divideHalfEven(BigInt(gsvCb) * BigInt(cswUnits), 10n ** 5n));

  const factorScale = 10 ** CORRECTION_FACTOR_DECIMALS;
  return {
    // Listed rather than spread (see table5AFromDensity).
    apiObserved: rounded.apiObserved,
    temperatureF: rounded.temperatureF,
    pressurePsig: rounded.pressurePsig,
    apiTemperatureF: rounded.apiTemperatureF,
    apiPressurePsig: rounded.apiPressurePsig,
    grossVolumeBbl: govCb / 100,
    bswPercent: input.bswPercent,
    meterFactor: meterFactorUnits / 10 ** METER_FACTOR_DECIMALS,
    api60,
    ctl: ctlUnits / factorScale,
    cpl: cplUnits / factorScale,
    ctpl: ctplUnits / factorScale,
    csw: cswUnits / factorScale,
    gsvBbl: gsvCb / 100,
    nsvBbl: nsvCb / 100,
    gsvCb,
    nsvCb,
  };
}
