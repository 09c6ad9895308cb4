// Rounding as API MPMS Ch. 11.1 (2004) prescribes it: half to even, where a value
// that is within TIE_TOLERANCE of a half *in units of the last kept digit* is a tie.
//
// Why a tolerance: binary floating point cannot hold most decimal halves. 1.005 is
// stored as 1.00499999999999989…, and 1.005 × 100 evaluates to 100.49999999999999.
// Measured against the unit being kept (here 0.01), that is 1.4e-14 units away from
// the half, so it is treated as the tie the writer meant and goes to the even
// neighbour (1.00). A genuine non-tie such as 1.0050002 is 2e-5 units away and rounds
// up as usual. The tolerance is therefore relative to the rounding unit, not absolute:
// for 5 decimals it is 1e-12 in the value itself, for 0.01 bbl it is 1e-9 bbl.

export const TIE_TOLERANCE = 1e-7;

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;

function powerOfTen(decimals: number): number {
  const power = POWERS_OF_TEN[decimals];
  if (!Number.isInteger(decimals) || power === undefined) {
    throw new RangeError(`decimals must be an integer from 0 to ${POWERS_OF_TEN.length - 1}, got ${decimals}`);
  }
  return power;
}

function requireFinite(x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${x}: not a finite number`);
}

/** Rounds a non-negative value to an integer, half to even with the tie tolerance. */
function roundMagnitudeHalfEven(scaled: number): number {
  const floor = Math.floor(scaled);
  const fraction = scaled - floor; // exact in binary floating point
  if (Math.abs(fraction - 0.5) <= TIE_TOLERANCE) return floor % 2 === 0 ? floor : floor + 1;
  return fraction < 0.5 ? floor : floor + 1;
}

/**
 * x rounded half to even at `decimals` places, returned as the integer count of
 * 10^-decimals units (e.g. 0.98210 at 5 decimals → 98210). Use it to do further
 * arithmetic exactly in integers.
 */
export function toScaledInteger(x: number, decimals: number): number {
  requireFinite(x);
  const scaled = Math.abs(x) * powerOfTen(decimals);
  if (scaled >= Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`cannot round ${x} to ${decimals} decimals exactly: too large`);
  }
  const units = roundMagnitudeHalfEven(scaled);
  return x < 0 && units !== 0 ? -units : units;
}

/**
 * x rounded half to even at `decimals` places. The result is the double nearest to
 * the rounded decimal (an integer divided by an exact power of ten is correctly rounded).
 */
export function roundHalfEven(x: number, decimals: number): number {
  return toScaledInteger(x, decimals) / powerOfTen(decimals);
}

/** Alias of roundHalfEven: the only rounding rule FlowShare uses. */
export const roundTo = roundHalfEven;

/**
 * numerator / denominator rounded half to even, in exact integer arithmetic
 * (for products of already-rounded decimals, where every tie is a true tie).
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = 2n * (n % d);
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}
