// A two-partner report's evidence for the statement tests: only the figures a statement draws matter.
import { type ReportEvidence } from "../../src/domain/report-verification";

const line = (partner_id: string, partner_name: string, allocated: number) => ({
  partner_id,
  partner_name,
  entries: 1,
  gross_bbl: allocated,
  nsv_bbl: allocated,
  share_percent: 50,
  allocated_bbl: allocated,
  shrinkage_bbl: 0,
});

/** A two-partner report; only the figures the PDF draws matter here. */
export function twoPartnerEvidence(names: [string, string], partnerId?: string): ReportEvidence {
  const allocations = [line("a", names[0], 990), line("b", names[1], 990)];
  return {
    reconciliation_id: "r1_v1",
    report: {
      terminal_receipt_id: "r1",
      version: 1,
      status: "completed",
      period_start: new Date("2026-09-01T00:00:00Z"),
      period_end: new Date("2026-09-02T00:00:00Z"),
      created_at: new Date("2026-09-02T00:00:00Z"),
      integrity_hash: "h",
      terminal: { api60: 33.3, ctl: 0.99256, cpl: 1, ctpl: 0.99256, csw: 0.99875, meter_factor: 1.0012, gsv_bbl: 1990, nsv_bbl: 1980 },
      // Readings with more decimals than the PDF's usual places (the engine rounds API half to even: 35.2).
      terminal_inputs: {
        gross_volume_bbl: 2000.125,
        api_gravity: 35.25,
        temperature_degF: 76.25,
        pressure_psig: 0,
        bsw_percent: 0.125,
        meter_factor: 1.0012,
      },
      totals: {
        entries_used: 2,
        entries_excluded: 0,
        field_gross_bbl: 1980,
        field_nsv_bbl: 1980,
        terminal_nsv_bbl: 1980,
        shrinkage_bbl: 0,
        shrinkage_percent: 0,
      },
      allocations: partnerId === undefined ? allocations : allocations.map((a) => (a.partner_id === partnerId ? a : { sealed: "x" })),
      excluded: [],
    },
    ...(partnerId === undefined ? {} : { partner_id: partnerId }),
    rows: [
      {
        entry_id: "e1",
        partner_id: "a",
        nsv_bbl: 990,
        gross_volume_bbl: 1000.125,
        api_gravity: 35.25,
        temperature_degF: 84.25,
        pressure_psig: 120.5,
        bsw_percent: 0.125,
        meter_factor: 1.00125,
      },
    ].filter((r) => partnerId === undefined || r.partner_id === partnerId),
    receipt: { terminal_name: "Forcados" },
    audit_events: [],
  };
}
