import { contractDayOf, type DayClock } from "./jv-settings";

/**
 * An entry already listed on the meter (or, both without one, on no meter) and contract day about
 * to be saved: saving another there makes the auditor flag it as a duplicate (its key is the
 * partner, the meter as stored and the contract day, functions/src/agents/auditor/audit-reads.ts).
 * `except`: the entry being corrected, which is not its own duplicate.
 */
export function listedOnMeterAndDay<T extends { meter_id?: string | null; measured_at?: Date }>(
  listed: ReadonlyArray<{ id: string; entry: T }>,
  meterId: string | null,
  day: string,
  clock: DayClock,
  except?: string,
): { id: string; entry: T } | undefined {
  return listed.find(
    ({ id, entry }) =>
      id !== except &&
      (entry.meter_id ?? null) === meterId &&
      entry.measured_at !== undefined &&
      contractDayOf(entry.measured_at, clock) === day,
  );
}
