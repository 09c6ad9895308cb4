import type { FlaggedEntry, ReconciliationReport } from "../../src/domain/notification-templates";

// Consistent figures: allocations sum to the terminal NSV, shrinkages to the total.
export const sampleReport: ReconciliationReport = {
  terminal_receipt_id: "RCPT-2026-11-A",
  version: 2,
  supersedes: "RCPT-2026-11-A_v1",
  period_start: new Date("2026-11-01T00:00:00Z"),
  period_end: { toDate: () => new Date("2026-11-08T00:00:00Z") },
  standard: "API MPMS 11.1-2004",
  method: "pro-rata-nsv-largest-remainder-0.01bbl",
  terminal: { gross_volume_bbl: 10250, api60: 34.2, ctl: 0.99123, cpl: 1.00034, csw: 0.995, nsv_bbl: 10112.74 },
  totals: {
    entries_used: 31,
    entries_excluded: 2,
    field_gross_bbl: 10475.5,
    field_nsv_bbl: 10220.75,
    terminal_nsv_bbl: 10112.74,
    shrinkage_bbl: 108.01,
    shrinkage_percent: 1.05677,
  },
  allocations: [
    {
      partner_id: "alpha",
      partner_name: "Alpha Energy",
      entries: 18,
      gross_bbl: 6260.4,
      nsv_bbl: 6100.25,
      share_percent: 59.68495,
      allocated_bbl: 6035.78,
      shrinkage_bbl: 64.47,
    },
    {
      partner_id: "beta",
      partner_name: "Beta Oil",
      entries: 13,
      gross_bbl: 4215.1,
      nsv_bbl: 4120.5,
      share_percent: 40.31505,
      allocated_bbl: 4076.96,
      shrinkage_bbl: 43.54,
    },
  ],
  excluded: [
    { entry_id: "E-0419", partner_id: "beta", reason: "flagged, not reviewed" },
    { entry_id: "E-0422", partner_id: "alpha", reason: "rejected by the auditor" },
  ],
  changes_from_previous: {
    partners: [
      {
        partner_id: "alpha",
        allocated_bbl_before: 6000.5,
        allocated_bbl_after: 6035.78,
        delta_bbl: 35.28,
        nsv_bbl_before: 6065,
        nsv_bbl_after: 6100.25,
      },
      {
        partner_id: "beta",
        allocated_bbl_before: 4112.24,
        allocated_bbl_after: 4076.96,
        delta_bbl: -35.28,
        nsv_bbl_before: 4120.5,
        nsv_bbl_after: 4120.5,
      },
    ],
    totals_delta: {
      entries_used: 1,
      entries_excluded: 0,
      field_gross_bbl: 36.2,
      field_nsv_bbl: 35.25,
      terminal_nsv_bbl: 0,
      shrinkage_bbl: 35.25,
      shrinkage_percent: 0.34242,
    },
  },
};

export const sampleFlaggedEntry: FlaggedEntry = {
  entry_id: "E-0419",
  partner_id: "beta",
  partner_name: "Beta Oil",
  measured_at: new Date("2026-11-03T06:00:00Z"),
  gross_volume_bbl: 1840.256,
  bsw_percent: 0.45,
  temperature_degF: 88.4,
  api_gravity: 33.1,
  meter_factor: 1.0012,
  meter_id: "M-7",
};
