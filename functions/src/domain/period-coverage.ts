/**
 * Which contract days of a period each partner, and each of its meters, has production for: a
 * partner or meter day without a used entry allocates nothing to it, and the other partners take
 * its share of the terminal's barrels, silently when the loss stays inside the LUAF band. A
 * coordinator sees the gaps before reconciling (`periodCoverage`); a gap may be true (a shut-in
 * well), so it is shown, never refused.
 */

import { type PartnerInfo, partyTo } from "./period-close";

/** How the close would take an entry: used, excluded, or still awaiting its audit or a review (reconcile refuses then). */
export type CoverageKind = "used" | "excluded" | "pending";

export interface CoverageEntry {
  partner_id: string;
  /** Absent: a ticket without a meter, counted for its partner only. */
  meter_id?: string;
  /** Its contract day, "YYYY-MM-DD". */
  day: string;
  kind: CoverageKind;
}

/** Days of the period without production, split by whether entries were there but all excluded. */
export interface DayGaps {
  /** Days without any entry. */
  days_without_entries: string[];
  /** Days whose every entry is excluded (rejected by the auditor or on review). */
  days_only_excluded: string[];
}

export interface MeterCoverage extends DayGaps {
  meter_id: string;
  entries: number;
}

export interface PartnerCoverage extends DayGaps {
  partner_id: string;
  name: string;
  active: boolean;
  /** It left the JV on that contract day: the period's days from it on are not its to cover. */
  left_jv_on?: string;
  entries: number;
  /** Entries the close would use. */
  used: number;
  /** Each meter seen for the partner in the period, by id. */
  meters: MeterCoverage[];
}

export interface PeriodCoverage {
  days: string[];
  /** Every partner that was a party to the JV on one of its days, and any other with entries in the period, by id. */
  partners: PartnerCoverage[];
  /** Every listed partner and meter has a used or pending entry on every day. */
  complete: boolean;
}

interface Tally {
  entries: number;
  used: number;
  /** Day → whether some entry of it is used or pending (true) or all are excluded (false). */
  days: Map<string, boolean>;
}

const newTally = (): Tally => ({ entries: 0, used: 0, days: new Map() });

function count(tally: Tally, entry: CoverageEntry): void {
  tally.entries += 1;
  if (entry.kind === "used") tally.used += 1;
  tally.days.set(entry.day, tally.days.get(entry.day) === true || entry.kind !== "excluded");
}

function gaps(days: readonly string[], tally: Tally): DayGaps {
  const gap: DayGaps = { days_without_entries: [], days_only_excluded: [] };
  for (const day of days) {
    const taken = tally.days.get(day);
    if (taken === undefined) gap.days_without_entries.push(day);
    else if (!taken) gap.days_only_excluded.push(day);
  }
  return gap;
}

/** Entries counted one at a time (a period may hold hundreds of thousands), then read as gaps per partner and meter. */
export class CoverageTally {
  private readonly partners = new Map<string, { tally: Tally; meters: Map<string, Tally> }>();

  add(entry: CoverageEntry): void {
    let partner = this.partners.get(entry.partner_id);
    if (!partner) {
      partner = { tally: newTally(), meters: new Map() };
      this.partners.set(entry.partner_id, partner);
    }
    count(partner.tally, entry);
    if (entry.meter_id === undefined) return;
    let meter = partner.meters.get(entry.meter_id);
    if (!meter) {
      meter = newTally();
      partner.meters.set(entry.meter_id, meter);
    }
    count(meter, entry);
  }

  coverage(days: readonly string[], known: readonly PartnerInfo[]): PeriodCoverage {
    const byId = new Map(known.map((p) => [p.partner_id, p]));
    const [first, last] = [days[0] ?? "", days[days.length - 1] ?? ""];
    // A partner that joined after the period, or left before it, is no party to it: listed only with entries.
    const ids = new Set([...known.filter((p) => partyTo(p, first, last)).map((p) => p.partner_id), ...this.partners.keys()]);
    const partners = [...ids].sort().map((id): PartnerCoverage => {
      const seen = this.partners.get(id);
      const tally = seen?.tally ?? newTally();
      const partner = byId.get(id);
      const left = partner?.active === true ? undefined : partner?.left_jv_on;
      const joined = partner?.joined_jv_on;
      const own = days.filter((d) => (left === undefined || d < left) && (joined === undefined || d >= joined));
      const meters = [...(seen?.meters ?? new Map<string, Tally>())]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([meter_id, m]) => ({ meter_id, entries: m.entries, ...gaps(own, m) }));
      return {
        partner_id: id,
        name: partner?.name ?? id,
        active: partner?.active ?? false,
        ...(left === undefined ? {} : { left_jv_on: left }),
        entries: tally.entries,
        used: tally.used,
        ...gaps(own, tally),
        meters,
      };
    });
    const whole = (g: DayGaps) => g.days_without_entries.length === 0 && g.days_only_excluded.length === 0;
    return { days: [...days], partners, complete: partners.every((p) => whole(p) && p.meters.every(whole)) };
  }
}
