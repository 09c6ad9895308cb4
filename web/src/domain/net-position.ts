/**
 * A partner's net position as lines that add up: this period's allocation, each prior-period
 * adjustment carried, and the net, in cent-barrels so that the sum shown is the sum of the lines.
 */
import type { CarriedAdjustment, NetPosition } from "../data/types";

export interface NetLedger {
  partner_id: string;
  allocated_cb: number;
  adjustments: Array<{ id: string; from_reconciliation_id: string; delta_cb: number }>;
  /** The net the report records. */
  net_cb: number;
  /** Whether the report's adjustments total and net are the sums of the lines shown. */
  adds_up: boolean;
}

const cb = (bbl: number) => Math.round(bbl * 100);

/** Figures to 0.01 bbl summed exactly, in cent-barrels: the totals rows' sums are the sums of the rows shown. */
export function sumCb(bbls: readonly number[]): number {
  return bbls.reduce((sum, x) => sum + cb(x), 0);
}

/**
 * The adjustments a report carries for `partner`: shown whenever there are any, also when they
 * offset one another (+5.00 and −5.00 sum to 0.00 but are still two changes to the partner's barrels).
 */
export function carriedFor<A extends Pick<CarriedAdjustment, "partner_id">>(carried: readonly A[] | undefined, partner: string): A[] {
  return (carried ?? []).filter((a) => a.partner_id === partner);
}

/** One ledger per net position, with the carried adjustments of that partner in the report's order. */
export function netLedgers(net: readonly NetPosition[], carried: readonly CarriedAdjustment[]): NetLedger[] {
  return net.map((n) => {
    const adjustments = carriedFor(carried, n.partner_id).map((a) => ({ id: a.id, from_reconciliation_id: a.from_reconciliation_id, delta_cb: cb(a.delta_bbl) }));
    const adjusted = adjustments.reduce((sum, a) => sum + a.delta_cb, 0);
    const allocated = cb(n.allocated_bbl);
    const net_cb = cb(n.net_bbl);
    return { partner_id: n.partner_id, allocated_cb: allocated, adjustments, net_cb, adds_up: adjusted === cb(n.adjustments_bbl) && allocated + adjusted === net_cb };
  });
}
