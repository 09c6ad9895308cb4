// Cent-barrels (cb): volumes as integer hundredths of a barrel. Published volumes are
// 0.01 bbl values, so every sum, difference and allocation is done on cb integers and
// is exact; bbl numbers appear only at the edges (inputs read, reports written).
//
// A plain number holds any cb integer up to 2^53 exactly, so sums stay exact. Products
// of two volumes do not fit: use BigInt for them (see allocation.ts). A bbl double
// tells cents apart only below 2^46 bbl (beyond, its spacing exceeds 0.01), so the
// conversions to and from bbl stop at MAX_BBL_CB: ten trillion barrels.

import { divideHalfEven, toScaledInteger } from "./rounding";

export const MAX_BBL_CB = 1e15;

function requireSafeCb(cb: number, what: string): void {
  if (!Number.isSafeInteger(cb)) {
    throw new RangeError(`${what} must be a safe integer number of cent-barrels, got ${cb}`);
  }
}

/**
 * The exact cb count of a volume already rounded to 0.01 bbl (e.g. 9771.9 → 977190).
 * Throws a RangeError for a non-finite value, one too large for exact cb, or one that
 * is not a whole number of cent-barrels (e.g. 0.1 + 0.2, or 12.345): such a value was
 * never rounded to 0.01 bbl, and silently rounding it here would hide the bug.
 */
export function bblToCb(bbl: number): number {
  if (!Number.isFinite(bbl)) throw new RangeError(`volume must be a finite number of bbl, got ${bbl}`);
  const cb = Math.round(bbl * 100);
  if (Math.abs(cb) > MAX_BBL_CB) throw new RangeError(`volume ${bbl} bbl is too large for exact cent-barrels`);
  // c / 100 is correctly rounded, so it is the very double a 0.01 bbl value parses to:
  // equality holds exactly when bbl is a whole number of cent-barrels.
  if (cb / 100 !== bbl) throw new RangeError(`volume ${bbl} bbl is not rounded to 0.01 bbl`);
  return cb === 0 ? 0 : cb; // no -0
}

/**
 * Any finite bbl value rounded to the nearest cent-barrel, half to even (the standard's
 * rule, with its tie tolerance: 1.005 is the tie a writer meant and gives 100).
 * For observed inputs that may carry more than two decimals, such as a gross volume.
 */
export function roundBblToCb(bbl: number): number {
  if (!Number.isFinite(bbl)) throw new RangeError(`volume must be a finite number of bbl, got ${bbl}`);
  const cb = toScaledInteger(bbl, 2);
  if (Math.abs(cb) > MAX_BBL_CB) throw new RangeError(`volume ${bbl} bbl is too large for exact cent-barrels`);
  return cb;
}

/** The bbl number of a cb count: the double nearest to cb / 100, so it prints with at most 2 decimals. */
export function cbToBbl(cb: number): number {
  requireSafeCb(cb, "volume");
  if (Math.abs(cb) > MAX_BBL_CB) throw new RangeError(`${cb} cb is too large to write exactly in bbl`);
  return cb === 0 ? 0 : cb / 100;
}

/** A cb count as a bbl string with exactly two decimals ("1234.50", "-0.05"), for text. */
export function formatBbl(cb: number): string {
  requireSafeCb(cb, "volume");
  const magnitude = Math.abs(cb);
  const whole = Math.floor(magnitude / 100);
  const cents = String(magnitude % 100).padStart(2, "0");
  return `${cb < 0 ? "-" : ""}${whole}.${cents}`;
}

/** Exact sum of cb counts; throws if a term or the sum leaves the safe-integer range. */
export function sumCb(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    requireSafeCb(value, "volume");
    total += value;
    requireSafeCb(total, "sum of volumes");
  }
  return total;
}

/**
 * part / whole as a percent rounded half to even to 5 decimals (12.34567), computed
 * exactly in integers: the only rounding is the final one. `whole` must be positive.
 */
export function percentOfCb(partCb: number, wholeCb: number): number {
  requireSafeCb(partCb, "part");
  requireSafeCb(wholeCb, "whole");
  if (wholeCb <= 0) throw new RangeError(`a percent needs a positive whole, got ${wholeCb} cb`);
  // percent × 10^5 = part / whole × 10^7
  const hundredThousandths = divideHalfEven(BigInt(partCb) * 10_000_000n, BigInt(wholeCb));
  return Number(hundredThousandths) / 100_000;
}
