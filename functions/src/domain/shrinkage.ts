// Shrinkage: what the field measured but the terminal did not receive (evaporation,
// flashing, meter error). Shrinkage = field NSV − terminal NSV; a negative shrinkage
// is a gain. Each partner bears the shrinkage of its own allocation, so partner
// shrinkages sum exactly to the total.

import { percentOfCb } from "./cent-barrels";
import type { AllocationRow, PartnerNsv } from "./allocation";

export interface Shrinkage {
  /** field NSV − terminal NSV, in cent-barrels; negative for a gain. */
  shrinkage_cb: number;
  /**
   * shrinkage as a percent of the field NSV, rounded half to even to 5 decimals
   * (a thousandth of a basis point: finer than any meter, coarse enough to print).
   */
  shrinkage_percent: number;
}

export interface PartnerShrinkage {
  partner_id: string;
  shrinkage_cb: number;
}

function requireNonNegativeCb(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer of cent-barrels, got ${value}`);
  }
}

/**
 * The period's shrinkage. With zero field NSV the terminal must be zero too (the
 * percent is then 0); a positive terminal against no field volume is a RangeError,
 * as it is for the allocation.
 */
export function totalShrinkage(fieldNsvCb: number, terminalNsvCb: number): Shrinkage {
  requireNonNegativeCb(fieldNsvCb, "field NSV");
  requireNonNegativeCb(terminalNsvCb, "terminal NSV");
  const shrinkageCb = fieldNsvCb - terminalNsvCb;
  if (fieldNsvCb === 0) {
    if (terminalNsvCb > 0) throw new RangeError("no shrinkage percent: the field NSV is 0 but the terminal NSV is not");
    return { shrinkage_cb: 0, shrinkage_percent: 0 };
  }
  return { shrinkage_cb: shrinkageCb, shrinkage_percent: percentOfCb(shrinkageCb, fieldNsvCb) };
}

/**
 * Each partner's shrinkage: its field NSV minus its allocation, in the order of
 * `partners`. `allocations` must hold exactly the same partner_ids.
 */
export function partnerShrinkages(partners: readonly PartnerNsv[], allocations: readonly AllocationRow[]): PartnerShrinkage[] {
  const allocatedById = new Map<string, number>();
  for (const row of allocations) {
    requireNonNegativeCb(row.allocated_cb, `allocation of partner ${row.partner_id}`);
    if (allocatedById.has(row.partner_id)) throw new RangeError(`partner ${row.partner_id} is allocated twice`);
    allocatedById.set(row.partner_id, row.allocated_cb);
  }
  if (allocatedById.size !== partners.length) {
    throw new RangeError(`${partners.length} partner(s) but ${allocatedById.size} allocation row(s)`);
  }
  const seen = new Set<string>();
  return partners.map((partner) => {
    requireNonNegativeCb(partner.nsv_cb, `NSV of partner ${partner.partner_id}`);
    if (seen.has(partner.partner_id)) throw new RangeError(`partner ${partner.partner_id} is listed twice`);
    seen.add(partner.partner_id);
    const allocated = allocatedById.get(partner.partner_id);
    if (allocated === undefined) throw new RangeError(`partner ${partner.partner_id} has no allocation row`);
    return { partner_id: partner.partner_id, shrinkage_cb: partner.nsv_cb - allocated };
  });
}
