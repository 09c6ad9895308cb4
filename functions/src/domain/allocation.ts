// Pro-rata allocation of the terminal's net standard volume to the partners, in
// proportion to their field NSV, published to 0.01 bbl and summing exactly to the
// terminal NSV (API MPMS allocation practice, see reference/api-mpms-11.1.md):
//
// 1. work in integer cent-barrels;
// 2. each partner gets floor(terminal × partner NSV / field NSV);
// 3. the cent-barrels left over go one each to the largest remainders;
//    ties go to the larger partner NSV, then to the smaller partner_id in plain
//    string (UTF-16 code unit) order, never a locale order.
//
// terminal × partner NSV exceeds 2^53 for realistic periods (1e10 cb × 1e9 cb), so
// every product and division is done in BigInt.

import { formatBbl, percentOfCb } from "./cent-barrels";

/** The allocation rule, as recorded in a reconciliation's `method`. */
export const ALLOCATION_METHOD = "pro-rata-nsv-largest-remainder-0.01bbl";

/** A report's `method` in words, as partners read it; one not known here, as recorded. */
export function methodInWords(method: string): string {
  return method === ALLOCATION_METHOD ? "pro rata to each partner's NSV, rounded to the cent-barrel by largest remainder" : method;
}

export interface PartnerNsv {
  partner_id: string;
  nsv_cb: number;
}

export interface AllocationRow {
  partner_id: string;
  allocated_cb: number;
}

function requireNonNegativeCb(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer of cent-barrels, got ${value}`);
  }
}

interface Quota {
  index: number;
  partner_id: string;
  nsv: bigint;
  floor: bigint;
  remainder: bigint; // of terminal × nsv divided by field NSV: comparable across partners
}

/** Who gets a leftover cent-barrel first: a negative result puts `a` first. */
function byLeftoverPriority(a: Quota, b: Quota): number {
  if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
  if (a.nsv !== b.nsv) return a.nsv > b.nsv ? -1 : 1;
  if (a.partner_id !== b.partner_id) return a.partner_id < b.partner_id ? -1 : 1;
  return 0;
}

/**
 * Allocates `terminalNsvCb` to `partners` pro rata to their `nsv_cb`. Returns one row
 * per partner, in input order; the `allocated_cb` sum to `terminalNsvCb` exactly, every
 * row is within 1 cb of its exact share, and a partner with zero NSV gets zero.
 *
 * Handles gains (terminal above field NSV) like losses. Throws a RangeError for a
 * negative or non-integer volume, a duplicate partner_id, or a positive terminal with
 * zero field NSV (nothing to prorate on). A zero terminal gives every partner zero.
 */
export function allocateProRata(terminalNsvCb: number, partners: readonly PartnerNsv[]): AllocationRow[] {
  requireNonNegativeCb(terminalNsvCb, "terminal NSV");
  const seen = new Set<string>();
  let field = 0n;
  for (const partner of partners) {
    requireNonNegativeCb(partner.nsv_cb, `NSV of partner ${partner.partner_id}`);
    if (seen.has(partner.partner_id)) throw new RangeError(`partner ${partner.partner_id} is listed twice`);
    seen.add(partner.partner_id);
    field += BigInt(partner.nsv_cb);
  }
  if (field === 0n) {
    if (terminalNsvCb > 0) {
      throw new RangeError(
        `nothing to prorate on: the field NSV of the ${partners.length} partner(s) is 0 bbl ` +
          `but the terminal NSV is ${formatBbl(terminalNsvCb)} bbl`,
      );
    }
    return partners.map((p) => ({ partner_id: p.partner_id, allocated_cb: 0 }));
  }

  const terminal = BigInt(terminalNsvCb);
  const quotas: Quota[] = partners.map((partner, index) => {
    const nsv = BigInt(partner.nsv_cb);
    const product = terminal * nsv;
    return { index, partner_id: partner.partner_id, nsv, floor: product / field, remainder: product % field };
  });

  const allocated = quotas.map((q) => q.floor);
  const leftover = Number(terminal - allocated.reduce((sum, x) => sum + x, 0n));
  // The leftover is the sum of the fractional parts, each below 1, so fewer partners
  // than `leftover` have a zero remainder: zero-NSV partners (remainder 0) never get one.
  if (leftover > 0) {
    const order = [...quotas].sort(byLeftoverPriority);
    for (let k = 0; k < leftover; k += 1) allocated[order[k]!.index]! += 1n;
  }
  return quotas.map((q) => ({ partner_id: q.partner_id, allocated_cb: Number(allocated[q.index]) }));
}

/**
 * A partner's share of the field NSV as a percent rounded half to even to 5 decimals.
 * Informational only: shares are rounded and need not sum to 100; money and barrels
 * follow `allocated_cb`, never the share. With zero field NSV every share is 0.
 */
export function sharePercent(partnerNsvCb: number, fieldNsvCb: number): number {
  requireNonNegativeCb(partnerNsvCb, "partner NSV");
  requireNonNegativeCb(fieldNsvCb, "field NSV");
  if (partnerNsvCb > fieldNsvCb) {
    throw new RangeError(`partner NSV ${partnerNsvCb} cb exceeds the field NSV ${fieldNsvCb} cb`);
  }
  return fieldNsvCb === 0 ? 0 : percentOfCb(partnerNsvCb, fieldNsvCb);
}
