/**
 * A production entry as its users know it: the meter and the contract day it measured ("NWE-LACT-01
 * on 2026-11-04"), not its document id. Pure: the screens and the unit tests share it.
 */
export function entryLabel(entry: { meter_id?: string | null }, day: string): string {
  const meter = entry.meter_id?.trim();
  return meter ? `${meter} on ${day}` : `Entry of ${day}`;
}
