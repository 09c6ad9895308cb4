import type { ProductionEntry } from "../../src/domain/production-entry";

/** A production entry every rule accepts (on 2025-03-14, meter M-1), with `overrides` applied. */
export function soundProductionEntry(overrides: Partial<ProductionEntry> = {}): ProductionEntry {
  return {
    partner_id: "partner-a",
    measured_at: new Date("2025-03-14T06:00:00.000Z"),
    gross_volume_bbl: 5000,
    bsw_percent: 0.4,
    temperature_degF: 86.5,
    api_gravity: 35.2,
    pressure_psig: 12,
    meter_factor: 1.0012,
    meter_id: "M-1",
    note: undefined,
    correction_note: undefined,
    created_by: "uid-1",
    ...overrides,
  };
}
