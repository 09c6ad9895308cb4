import { expect } from "chai";
import { auditEventHash, GENESIS_HASH, type ChainedAuditEvent } from "../../src/domain/audit-chain";
import { ALLOCATION_METHOD } from "../../src/domain/allocation";
import { bblToCb } from "../../src/domain/cent-barrels";
import { measureFields } from "../../src/domain/measured-fields";
import { buildReconciliationReport } from "../../src/domain/reconciliation-report";
import { InputsDigest, integrityHash, sha256Hex, type InputRow } from "../../src/domain/report-hash";
import { verifyReportEvidence, type ReportEvidence } from "../../src/domain/report-verification";
import { periodDays } from "../../src/domain/terminal-receipt";

/** A report as written before hash scheme v2: no hash_scheme, three-field manifest rows, an anchor without the hash. */
function legacyEvidence(): ReportEvidence {
  const receipt = { gross_volume_bbl: 2990, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30, pressure_psig: 0, meter_factor: 1 };
  const rows: InputRow[] = [
    { entry_id: "e1", partner_id: "a", nsv_bbl: 995 },
    { entry_id: "e2", partner_id: "b", nsv_bbl: 995 },
    { entry_id: "e3", partner_id: "c", nsv_bbl: 995 },
  ];
  const t = measureFields(receipt);
  const figures = buildReconciliationReport({
    terminal: { gross_volume_bbl: t.grossVolumeBbl, api60: t.api60, ctl: t.ctl, cpl: t.cpl, csw: t.csw, nsv_bbl: t.nsvBbl },
    partners: rows.map((r) => ({
      partner_id: r.partner_id,
      partner_name: r.partner_id.toUpperCase(),
      entries: 1,
      gross_cb: 100_000,
      nsv_cb: bblToCb(r.nsv_bbl),
    })),
    entries_used: 3,
    entries_excluded: 0,
    excluded: [],
  });
  const digest = new InputsDigest(1);
  for (const r of rows) digest.addRow(r);
  const start = new Date("2026-01-01T00:00:00Z");
  const end = new Date("2026-01-03T00:00:00Z");
  const body: Record<string, unknown> = {
    terminal_receipt_id: "r",
    version: 1,
    status: "completed",
    supersedes: null,
    period_start: start,
    period_end: end,
    standard: "API MPMS Ch. 11.1",
    method: ALLOCATION_METHOD,
    terminal: { ...figures.terminal, ctpl: t.ctpl, meter_factor: t.meterFactor, gsv_bbl: t.gsvBbl },
    terminal_inputs: receipt,
    totals: figures.totals,
    allocations: figures.allocations,
    excluded: [],
    inputs_digest: digest.setReceipt(receipt).digest(),
    exclusions_digest: sha256Hex(""),
    manifest: { prefix: "p", chunks: 1, rows: 3 },
    closed_days: periodDays(start, end),
    changes_from_previous: null,
    created_by: "u",
    created_at: end,
    duration_ms: 5,
  };
  const report: Record<string, unknown> = { ...body, integrity_hash: integrityHash(body) };
  const content = {
    seq: 1,
    at: end,
    stream: "receipt_r",
    actor: "u",
    action: "reconciliation_completed",
    subject: "reconciliations/r_v1",
    details: { version: 1, supersedes: null, inputs_digest: report.inputs_digest },
    prev_hash: GENESIS_HASH,
  };
  const event: ChainedAuditEvent = { ...content, id: "reconcile_r_v1", hash: auditEventHash(content) };
  return { reconciliation_id: "r_v1", report, rows, receipt: { ...receipt, period_start: start, period_end: end }, audit_events: [event] };
}

describe("verifyReportEvidence on a report of hash scheme v1", () => {
  it("verifies it, says it used the old scheme, and lists what v1 evidence cannot show", () => {
    const result = verifyReportEvidence(legacyEvidence());
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(result).to.include({ ok: true, hash_scheme: "flowshare/report-hash/v1", scope: "jv" });
    expect(result.not_checked.join("\n"))
      .to.match(/hash scheme v1/)
      .and.match(/entry NSVs of 3 manifest rows/)
      .and.match(/gross volumes/);
    expect(result.checks.map((c) => c.check)).to.include.members([
      "inputs_digest",
      "allocations[0].allocated_bbl",
      "totals.shrinkage_bbl",
      "audit_anchor.inputs_digest",
    ]);
  });

  it("still names an edited figure and a manifest row moved to another partner", () => {
    const edited = legacyEvidence();
    const allocations = edited.report.allocations as Array<{ allocated_bbl: number }>;
    allocations[0]!.allocated_bbl += 1;
    allocations[1]!.allocated_bbl -= 1;
    edited.report.integrity_hash = integrityHash(edited.report);
    const failed = verifyReportEvidence(edited)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);
    // A v1 anchor holds no hash, so the recomputed hash passes: the figures do not.
    expect(failed).to.deep.equal(["allocations[0].allocated_bbl", "allocations[1].allocated_bbl"]);

    const moved = legacyEvidence();
    moved.rows![0] = { ...moved.rows![0]!, partner_id: "b" };
    expect(
      verifyReportEvidence(moved)
        .checks.filter((c) => !c.ok)
        .map((c) => c.check),
    ).to.include.members(["inputs_digest", "allocations.partners"]);
  });
});
