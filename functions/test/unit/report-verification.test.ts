import { expect } from "chai";
import { recordsWithLoggedApproval } from "../../src/domain/adjustment-approval";
import { auditEventHash, GENESIS_HASH, type ChainedAuditEvent } from "../../src/domain/audit-chain";
import { ALLOCATION_METHOD } from "../../src/domain/allocation";
import { bblToCb, cbToBbl } from "../../src/domain/cent-barrels";
import { measureFields } from "../../src/domain/measured-fields";
import {
  buildReconciliationReport,
  changesFromPrevious,
  type ChangesFromPrevious,
  type ReportAllocation,
  type ReportTotals,
} from "../../src/domain/reconciliation-report";
import {
  exclusionsDigest,
  InputsDigest,
  integrityHash,
  leafHash,
  partnerInputs,
  sha256Hex,
  type InputRow,
  type MeasuredInputRow,
} from "../../src/domain/report-hash";
import { contentDigest, netPositions, NO_PRODUCTION_REASON, reportContent } from "../../src/domain/period-close";
import { verifyReportEvidence, versionOfReceipt, type ReportEvidence } from "../../src/domain/report-verification";
import {
  BundleRefused,
  evidenceOfBundle,
  partnerEvidence,
  verifyStatementBundle,
  verifyStatementBundleText,
} from "../../src/domain/statement-bundle";
import { periodDays } from "../../src/domain/terminal-receipt";
import { statementOf } from "../../src/domain/statement";
import { UNCHECKED, uniqueTexts } from "../../src/domain/unchecked-in-words";
import { verificationPrintout } from "../../src/domain/verification-printout";
import { bundleOf, v2Evidence } from "../support/v2-evidence";

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
    expect(result.not_checked_in_words).to.include.members([UNCHECKED.oldHashScheme, UNCHECKED.oldEntries(3), UNCHECKED.grossVolumes]);
    expect(UNCHECKED.oldEntries(3)).to.match(/^The net volumes of 3 older entries\. They were recorded/);
    expect(UNCHECKED.oldEntries(1)).to.match(/^The net volumes of 1 older entry\. It was recorded/);
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

/** The legacy report reshaped as the monthly close writes it: a zero line (`zeroLine` over it), exclusions beside it, a content digest. */
function closeEvidence(zeroLine: Record<string, unknown> = {}, firstLine: Record<string, unknown> = {}): ReportEvidence {
  const evidence = legacyEvidence();
  const excludedRow = { entry_id: "e9", partner_id: "b", reason: "audit rejected" };
  const body: Record<string, unknown> = { ...evidence.report };
  delete body.integrity_hash;
  const zero = {
    partner_id: "z",
    partner_name: "Z",
    entries: 0,
    gross_bbl: 0,
    nsv_bbl: 0,
    share_percent: 0,
    allocated_bbl: 0,
    shrinkage_bbl: 0,
    partner_active: true,
    reason: NO_PRODUCTION_REASON,
    ...zeroLine,
  };
  body.allocations = [
    ...(body.allocations as Array<Record<string, unknown>>).map((a, i) => ({ ...a, partner_active: true, ...(i === 0 ? firstLine : {}) })),
    zero,
  ];
  body.totals = { ...(body.totals as Record<string, unknown>), entries_excluded: 1 };
  body.excluded = [excludedRow];
  body.exclusions = { prefix: "x", chunks: 1, rows: 1 };
  body.exclusions_digest = exclusionsDigest([excludedRow]);
  body.content_digest = contentDigest(reportContent(body));
  return { ...evidence, report: { ...body, integrity_hash: integrityHash(body) }, exclusions: [excludedRow] };
}

describe("verifyReportEvidence on a monthly close's report", () => {
  it("verifies the exclusion chunks, the zero line and the content digest", () => {
    const result = verifyReportEvidence(closeEvidence());
    expect(result.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(result.checks.map((c) => c.check)).to.include.members([
      "exclusions.rows",
      "exclusions_digest",
      "excluded",
      "manifest.order",
      "allocations[3].allocated_bbl",
      "allocations[3].reason",
      "allocations[0].allocated_bbl",
      "content_digest",
    ]);
  });

  it("names barrels given to a zero line, and keeps it out of the pro-rata recomputation", () => {
    const evidence = closeEvidence();
    (evidence.report.allocations as Array<Record<string, unknown>>)[3]!.allocated_bbl = 0.01;
    const failed = verifyReportEvidence(evidence)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);
    expect(failed).to.include.members(["allocations[3].allocated_bbl", "content_digest"]);
    expect(failed.filter((c) => /^allocations\[[0-2]\]/.test(c))).to.deep.equal([]);
  });

  it("passes the zero line of a partner that left the JV after the period's first day, and names one that left on it, without a day, or an active one with a day", () => {
    const failed = (zeroLine: Record<string, unknown>) =>
      verifyReportEvidence(closeEvidence(zeroLine))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    const left = verifyReportEvidence(closeEvidence({ partner_active: false, left_jv_on: "2026-01-02" }));
    expect(left.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(left.checks.map((c) => c.check))
      .to.include("allocations[3].left_jv_on")
      .and.not.include("allocations[3].partner_active");
    // The period's days are 2026-01-01 and 2026-01-02: one that left on the first was a party to none of them.
    expect(failed({ partner_active: false, left_jv_on: "2026-01-01" })).to.deep.equal(["allocations[3].left_jv_on"]);
    expect(failed({ partner_active: false })).to.deep.equal(["allocations[3].partner_active"]);
    expect(failed({ partner_active: false, left_jv_on: "15 Jan 2026" })).to.deep.equal(["allocations[3].left_jv_on"]);
    expect(failed({ left_jv_on: "2026-01-02" })).to.deep.equal(["allocations[3].left_jv_on"]);
    expect(failed({ partner_active: "no" })).to.deep.equal(["allocations[3].partner_active"]);
  });

  it("passes the day a partner with used entries left the JV after the period's first day on its line, and names the same wrongs as on a zero line", () => {
    const failed = (firstLine: Record<string, unknown>) =>
      verifyReportEvidence(closeEvidence({}, firstLine))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    const left = verifyReportEvidence(closeEvidence({}, { partner_active: false, left_jv_on: "2026-01-02" }));
    expect(left.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(left.checks.map((c) => c.check)).to.include("allocations[0].left_jv_on");
    expect(failed({ partner_active: false, left_jv_on: "2026-01-01" })).to.deep.equal(["allocations[0].left_jv_on"]);
    expect(failed({ partner_active: false, left_jv_on: "2 Jan 2026" })).to.deep.equal(["allocations[0].left_jv_on"]);
    expect(failed({ left_jv_on: "2026-01-02" })).to.deep.equal(["allocations[0].left_jv_on"]);
    // Without the day, a partner no longer active keeps its line as before: nothing to check.
    expect(failed({ partner_active: false })).to.deep.equal([]);
  });

  it("names an exclusion row edited in its chunk and a manifest out of entry-id order", () => {
    const evidence = closeEvidence();
    evidence.exclusions = [{ entry_id: "e9", partner_id: "b", reason: "approved" }];
    evidence.rows = [...evidence.rows!].reverse();
    const failed = verifyReportEvidence(evidence)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);
    expect(failed).to.include.members(["exclusions_digest", "excluded", "manifest.order", "inputs_digest"]);
  });
});

describe("versionOfReceipt: a reconciliation id matched exactly, never by prefix", () => {
  it("reads the version of the receipt's own ids only", () => {
    expect(versionOfReceipt("r_v1", "r")).to.equal(1);
    expect(versionOfReceipt("r_v12", "r")).to.equal(12);
    expect(versionOfReceipt("r_v2_v1", "r")).to.equal(undefined);
    expect(versionOfReceipt("r_v2_v1", "r_v2")).to.equal(1);
    expect(versionOfReceipt("r_v", "r")).to.equal(undefined);
    expect(versionOfReceipt("rr_v1", "r")).to.equal(undefined);
    expect(versionOfReceipt("a-b_v3", "a-b")).to.equal(3);
    expect(versionOfReceipt("axb_v3", "a.b")).to.equal(undefined);
    expect(versionOfReceipt(null, "r")).to.equal(undefined);
  });
});

/** The event reconcile appends to receipt r's chain (after `prevHash`) when receipt s's version s_v1 replaces r_v1. */
function replacedByS(prevHash: string): ChainedAuditEvent {
  const content = {
    seq: 2,
    at: new Date("2026-02-10T00:00:00Z"),
    stream: "receipt_r",
    actor: "u",
    action: "reconciliation_superseded",
    subject: "reconciliations/r_v1",
    details: { superseded_by: "s_v1", terminal_receipt_id: "s" },
    prev_hash: prevHash,
  };
  return { ...content, id: "superseded_r_v1", hash: auditEventHash(content) };
}

describe("verifyReportEvidence on a version superseded by another receipt", () => {
  const failures = (e: ReportEvidence) =>
    verifyReportEvidence(e)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);

  /** closeEvidence() (receipt "r", reconciliation r_v1) carrying one approved adjustment, stored as `carried_in`. */
  function carriedEvidence(lifecycle: { status: string; superseded_by?: string }, carriedIn: string): ReportEvidence {
    const evidence = closeEvidence();
    const body: Record<string, unknown> = { ...evidence.report };
    delete body.integrity_hash;
    const carried = [{ id: "q_v2_0", partner_id: "a", delta_bbl: 1.5, from_reconciliation_id: "q_v2" }];
    body.prior_period_adjustments = carried;
    body.net_positions = netPositions(body.allocations as Array<{ partner_id: string; allocated_bbl: number }>, carried);
    body.content_digest = contentDigest(reportContent(body));
    evidence.report = { ...body, integrity_hash: integrityHash(body), ...lifecycle };
    evidence.adjustments = {
      q_v2_0: { status: "approved", partner_id: "a", delta_bbl: 1.5, from_reconciliation_id: "q_v2", carried_in: carriedIn },
    };
    return evidence;
  }

  it("control: superseded by receipt s's version s_v1 verifies", () => {
    const evidence = closeEvidence();
    evidence.report.status = "superseded";
    evidence.report.superseded_by = "s_v1";
    expect(failures(evidence)).to.deep.equal([]);
  });

  it("superseded by receipt r_v2's version r_v2_v1 verifies (r_v2_v1 is no version of receipt r)", () => {
    const evidence = closeEvidence();
    evidence.report.status = "superseded";
    evidence.report.superseded_by = "r_v2_v1";
    expect(failures(evidence)).to.deep.equal([]);
    // The same with the successor's own receipt id in the evidence (the live verifier reads it).
    evidence.successors = [{ reconciliation_id: "r_v2_v1", terminal_receipt_id: "r_v2" }];
    expect(failures(evidence)).to.deep.equal([]);
  });

  it("superseded by r_v2 of its own receipt still needs that version's anchor in the receipt's chain", () => {
    const evidence = closeEvidence();
    evidence.report.status = "superseded";
    evidence.report.superseded_by = "r_v2";
    expect(failures(evidence)).to.deep.equal(["status", "superseded_by"]);
    // A successor document naming another receipt does not turn r_v2 into another receipt's version.
    evidence.successors = [{ reconciliation_id: "r_v2", terminal_receipt_id: "s" }];
    expect(failures(evidence)).to.deep.equal(["status", "superseded_by"]);
    // Nor does a successor whose document says it is of this receipt, whatever its id.
    evidence.report.superseded_by = "x_v1";
    evidence.successors = [{ reconciliation_id: "x_v1", terminal_receipt_id: "r" }];
    expect(failures(evidence)).to.deep.equal(["status", "superseded_by"]);
  });

  it("another receipt's version named in superseded_by must name this version as the one it replaced (live evidence)", () => {
    const evidence = closeEvidence();
    evidence.report.status = "superseded";
    evidence.report.superseded_by = "s_v1";
    evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s", replaces: "r_v1" }];
    expect(failures(evidence)).to.deep.equal([]);
    // s_v1 replaced another receipt's version: this report's superseded_by was written by someone else.
    evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s", replaces: "q_v3" }];
    expect(failures(evidence)).to.deep.equal(["superseded_by"]);
    evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s", replaces: null }];
    expect(failures(evidence)).to.deep.equal(["superseded_by"]);
  });

  it("a bundle's own successors never check a superseded_by of another receipt's version: it stays not checked", () => {
    const evidence = v2Evidence();
    Object.assign(evidence.report, { status: "superseded", superseded_by: "s_v1" });
    evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s", replaces: "r_v1" }];
    const supersededBy = (v: ReturnType<typeof verifyReportEvidence>) => v.checks.filter((c) => c.check === "superseded_by");
    expect(supersededBy(verifyReportEvidence(evidence)).map((c) => c.ok)).to.deep.equal([true]);
    // A current report's lifecycle fields edited in a bundle, successors written in to match.
    const jv = JSON.parse(JSON.stringify(bundleOf(evidence))) as Record<string, unknown>;
    const partner = { ...(JSON.parse(JSON.stringify(bundleOf(partnerEvidence(evidence, "a")))) as Record<string, unknown>) };
    partner.successors = evidence.successors;
    for (const [scope, bundle] of [
      ["jv", jv],
      ["partner", partner],
    ] as const) {
      const verdict = verifyStatementBundleText(JSON.stringify(bundle));
      expect(supersededBy(verdict), scope).to.deep.equal([]);
      expect(
        verdict.not_checked.some((n) => n.startsWith("superseded_by s_v1:")),
        scope,
      ).to.equal(true);
      expect(verdict.not_checked_in_words, scope).to.include(UNCHECKED.replacedElsewhere);
    }
  });

  it("a current report made to look replaced by another receipt's version fails: live, when that version does not exist; anywhere, when its anchor promised the replacement's event", () => {
    const ghost = closeEvidence();
    Object.assign(ghost.report, { status: "superseded", superseded_by: "ghost_v1" });
    expect(failures(ghost)).to.deep.equal([]);
    ghost.superseded_by_missing = true;
    expect(failures(ghost)).to.deep.equal(["superseded_by"]);
    expect(verifyReportEvidence(ghost).checks.find((c) => c.check === "superseded_by")?.note).to.contain(
      "ghost_v1 names no reconciliation the JV's database holds",
    );
    // A bundle says nothing of the database: its own flag is not taken.
    expect(failures({ ...ghost, from_bundle: true })).to.deep.equal([]);

    // An anchor made since a replacement appends reconciliation_superseded: without that event, the replacement is not one.
    const promised = closeEvidence();
    const [event] = promised.audit_events;
    const { id: eventId, hash: _hash, ...content } = event!;
    const marked = { ...content, details: { ...content.details, replacement_recorded: true } };
    promised.audit_events = [{ ...marked, id: eventId, hash: auditEventHash(marked) }];
    expect(failures(promised)).to.deep.equal([]);
    Object.assign(promised.report, { status: "superseded", superseded_by: "s_v1" });
    expect(failures(promised)).to.deep.equal(["superseded_by"]);
    promised.audit_events.push(replacedByS(promised.audit_events[0]!.hash));
    expect(failures(promised)).to.deep.equal([]);
  });

  it("a report that says it is current must hold every day it closed (a supersede with its lifecycle fields put back fails)", () => {
    const evidence = closeEvidence();
    const days = evidence.report.closed_days as string[];
    expect(days.length).to.be.greaterThan(0);
    evidence.day_holders = Object.fromEntries(days.map((d) => [d, "r_v1"]));
    expect(failures(evidence)).to.deep.equal([]);
    evidence.day_holders = { ...evidence.day_holders, [days[0]!]: "s_v1" };
    expect(failures(evidence)).to.deep.equal(["closed_days.held_by"]);
    // A current report made to look replaced by a version that does not exist still holds its days.
    evidence.day_holders = Object.fromEntries(days.map((d) => [d, "r_v1"]));
    evidence.report.status = "superseded";
    evidence.report.superseded_by = "zzz_v1";
    expect(failures(evidence)).to.deep.equal(["closed_days.held_by"]);
    evidence.report.status = "completed";
    delete evidence.report.superseded_by;
    // Without the day records (a partner's bundle), it is said not to be checked.
    delete evidence.day_holders;
    const report = verifyReportEvidence(evidence);
    expect(report.not_checked.some((n) => n.startsWith("closed_days:"))).to.equal(true);
  });

  it("a carried adjustment re-carried by the superseding receipt's version verifies on the superseded report", () => {
    expect(failures(carriedEvidence({ status: "superseded", superseded_by: "s_v1" }, "s_v1"))).to.deep.equal([]);
    // ... and by a later version of its own receipt, as before.
    expect(failures(carriedEvidence({ status: "superseded", superseded_by: "s_v1" }, "r_v2"))).to.deep.equal([]);
    // The approval a statement prints is the document's, sealed by nothing: said so.
    const verdict = verifyReportEvidence(carriedEvidence({ status: "completed" }, "r_v1"));
    expect(verdict.not_checked_in_words).to.include(UNCHECKED.adjustmentApprovals);
    expect(verifyReportEvidence(closeEvidence()).not_checked_in_words).to.not.include(UNCHECKED.adjustmentApprovals);
  });

  it("a carried adjustment's approval is checked against its decision's audit event: a rewritten approver, note or time, an edited or missing event fail", () => {
    const at = new Date("2026-10-02T09:15:00.000Z");
    /** The event decideAdjustment logs when a coordinator approves q_v2's set by deciding `called`. */
    const decision = (called: string, over: Partial<ChainedAuditEvent> = {}): ChainedAuditEvent => {
      const content = {
        seq: 4,
        at,
        stream: "prior_period_adjustments",
        actor: "coord-1",
        action: "adjustment_approved",
        subject: `prior_period_adjustments/${called}`,
        details: {
          decision: "approved",
          note: "Meter proved late; agreed at the JV meeting",
          role: "jv_coordinator",
          partner_id: "b",
          delta_bbl: -1.5,
          from_reconciliation_id: "q_v2",
          set: [
            { adjustment_id: "q_v2_0", partner_id: "a", delta_bbl: 1.5 },
            { adjustment_id: "q_v2_1", partner_id: "b", delta_bbl: -1.5 },
          ],
          set_total_bbl: 0,
        },
        prev_hash: GENESIS_HASH,
        ...over,
      };
      return { ...content, id: `adjustment_${called}_approved`, hash: auditEventHash(content) };
    };
    const approved = (approvals: ReportEvidence["adjustment_approvals"], record: Record<string, unknown> = {}) => {
      const evidence = carriedEvidence({ status: "completed" }, "r_v1");
      Object.assign(evidence.adjustments!.q_v2_0!, {
        decided_by: "coord-1",
        decided_at: at,
        note: "Meter proved late; agreed at the JV meeting",
        decided_with: "q_v2_1",
        ...record,
      });
      evidence.adjustment_approvals = approvals;
      return evidence;
    };
    const honest = approved({ q_v2_0: decision("q_v2_1") });
    expect(failures(honest)).to.deep.equal([]);
    const verdict = verifyReportEvidence(honest);
    expect(verdict.not_checked_in_words).to.include(UNCHECKED.adjustmentApprovalChain);
    expect(verdict.not_checked_in_words).to.not.include(UNCHECKED.adjustmentApprovals);

    const approval = (e: ReportEvidence) => verifyReportEvidence(e).checks.find((c) => c.check === "prior_period_adjustments[0].approval");
    const rewritten = approved({ q_v2_0: decision("q_v2_1") }, { decided_by: "mallory", note: "approved at the meeting" });
    expect(failures(rewritten)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(approval(rewritten)?.note).to.contain('decided_by "mallory" where the event says "coord-1"');
    expect(approval(rewritten)?.note).to.contain('note "approved at the meeting" where the event says "Meter proved late');
    expect(failures(approved({ q_v2_0: decision("q_v2_1") }, { decided_at: new Date("2020-01-01T00:00:00Z") }))).to.deep.equal([
      "prior_period_adjustments[0].approval",
    ]);
    // Approved by writing the record, with no decision logged; or pointing at another set's decision.
    const unlogged = approved({ q_v2_0: null });
    expect(failures(unlogged)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(approval(unlogged)?.note).to.contain("no approval of it is in the audit log (no event adjustment_q_v2_1_approved)");
    const otherSet = decision("q_v2_1", {
      details: {
        ...decision("q_v2_1").details,
        from_reconciliation_id: "p_v3",
        set: [{ adjustment_id: "p_v3_0", partner_id: "a", delta_bbl: 9 }],
      },
    });
    expect(failures(approved({ q_v2_0: otherSet }))).to.deep.equal(["prior_period_adjustments[0].approval"]);
    // The event's actor edited to match a rewritten record: its hash no longer matches.
    const edited = { ...decision("q_v2_1"), actor: "mallory" };
    const forged = approved({ q_v2_0: edited }, { decided_by: "mallory" });
    expect(failures(forged)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(approval(forged)?.note).to.contain("was changed after it was logged");
    // A bundle carries them: the same check offline.
    const offline = (e: ReportEvidence) =>
      verifyStatementBundleText(JSON.stringify(bundleOf(e)))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    expect(offline(honest)).to.deep.equal([]);
    expect(verifyStatementBundleText(JSON.stringify(bundleOf(honest))).not_checked_in_words).to.include(
      UNCHECKED.bundledAdjustmentApprovals,
    );
    // A malformed set fails the check, never the verifier.
    const malformed = decision("q_v2_1", { details: { ...decision("q_v2_1").details, set: [null, 7, "q_v2_0"] } });
    expect(failures(approved({ q_v2_0: malformed }))).to.deep.equal(["prior_period_adjustments[0].approval"]);
    // Decided one by one, before sets were decided whole: the event names the adjustment, its partner and change.
    const single = (over: Record<string, unknown>) => {
      const { set: _set, set_total_bbl: _total, ...details } = decision("q_v2_0").details;
      return decision("q_v2_0", { details: { ...details, partner_id: "a", delta_bbl: 1.5, ...over } });
    };
    expect(failures(approved({ q_v2_0: single({}) }, { decided_with: undefined }))).to.deep.equal([]);
    expect(failures(approved({ q_v2_0: single({ delta_bbl: 9.5 }) }, { decided_with: undefined }))).to.deep.equal([
      "prior_period_adjustments[0].approval",
    ]);
    // What a statement may print as the approval: only what the log holds.
    const lines = [{ id: "q_v2_0", partner_id: "a", delta_bbl: 1.5, from_reconciliation_id: "q_v2" }];
    expect(Object.keys(recordsWithLoggedApproval(lines, honest.adjustments!, honest.adjustment_approvals))).to.deep.equal(["q_v2_0"]);
    expect(recordsWithLoggedApproval(lines, rewritten.adjustments!, rewritten.adjustment_approvals)).to.deep.equal({});
    expect(offline(rewritten)).to.deep.equal(["prior_period_adjustments[0].approval"]);

    // The set put back to pending and rejected later, its record then rewritten to the first approval:
    // the later decision stands. Decisions on other adjustments, or before the approval, do not count.
    const rejection = (seq: number, set = decision("q_v2_1").details.set): ChainedAuditEvent => {
      const content = { ...decision("q_v2_1"), seq, actor: "coord-2", action: "adjustment_rejected", at: new Date("2026-10-05T08:00:00Z") };
      const { id: _id, hash: _hash, ...rest } = { ...content, details: { ...content.details, decision: "rejected", set } };
      return { ...rest, id: `adjustment_q_v2_1_rejected_${seq}`, hash: auditEventHash(rest) };
    };
    const decided = (decisions: ChainedAuditEvent[]) => ({ ...honest, adjustment_decisions: { q_v2_0: decisions } });
    const overruled = decided([rejection(2), decision("q_v2_1"), rejection(9)]);
    expect(failures(overruled)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(approval(overruled)?.note).to.contain(
      "a later decision on it is logged: rejected by coord-2 at 2026-10-05T08:00:00.000Z (event adjustment_q_v2_1_rejected_9",
    );
    expect(
      recordsWithLoggedApproval(lines, overruled.adjustments!, overruled.adjustment_approvals, overruled.adjustment_decisions),
    ).to.deep.equal({});
    expect(offline(overruled)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(failures(decided([rejection(2), decision("q_v2_1")]))).to.deep.equal([]);
    expect(verifyReportEvidence(decided([decision("q_v2_1")])).not_checked_in_words).to.not.include(UNCHECKED.laterAdjustmentDecisions);
    // A malformed list of decisions in a bundle fails the check, never the verifier.
    for (const malformed of ["x", [null], {}] as unknown as ChainedAuditEvent[][]) {
      expect(failures(decided(malformed))).to.deep.equal(["prior_period_adjustments[0].approval"]);
      expect(approval(decided(malformed))?.note).to.equal(
        "the decisions logged on it, as this evidence holds them, are not a list of audit events",
      );
    }
    // Evidence made before it held the later decisions says what it could not look for.
    expect(verdict.not_checked_in_words).to.include(UNCHECKED.laterAdjustmentDecisions);
  });

  it("a carried adjustment further along the successors the evidence holds verifies; not without that evidence", () => {
    const evidence = carriedEvidence({ status: "superseded", superseded_by: "s_v1" }, "s_v2");
    expect(failures(evidence)).to.deep.equal(["prior_period_adjustments[0].carried_in"]);
    evidence.successors = [
      { reconciliation_id: "s_v1", terminal_receipt_id: "s" },
      { reconciliation_id: "s_v2", terminal_receipt_id: "s" },
    ];
    expect(failures(evidence)).to.deep.equal([]);
    // A chain that does not start at the report's superseded_by is not this report's.
    evidence.successors = [
      { reconciliation_id: "t_v1", terminal_receipt_id: "t" },
      { reconciliation_id: "s_v2", terminal_receipt_id: "s" },
    ];
    expect(failures(evidence)).to.deep.equal(["prior_period_adjustments[0].carried_in"]);
  });

  it("a current report whose adjustment is carried in another report fails", () => {
    for (const elsewhere of ["s_v1", "r_v2", "t_v1"]) {
      const evidence = carriedEvidence({ status: "completed" }, elsewhere);
      evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s" }];
      expect(failures(evidence), elsewhere).to.deep.equal(["prior_period_adjustments[0].carried_in"]);
    }
    expect(failures(carriedEvidence({ status: "completed" }, "r_v1"))).to.deep.equal([]);
  });

  it("a superseded report whose adjustment is carried in a third, unrelated report fails", () => {
    // t_v1: another receipt's; r_v2_v1: receipt r_v2's, which a prefix test took for r's; s_v1x: no version
    // id at all; r_v0: a version of r, but not a later one.
    for (const unrelated of ["t_v1", "r_v2_v1", "s_v1x", "r_v0"]) {
      const evidence = carriedEvidence({ status: "superseded", superseded_by: "s_v1" }, unrelated);
      evidence.successors = [{ reconciliation_id: "s_v1", terminal_receipt_id: "s" }];
      expect(failures(evidence), unrelated).to.deep.equal(["prior_period_adjustments[0].carried_in"]);
    }
  });

  it("a statement bundle keeps the successors", () => {
    const evidence = carriedEvidence({ status: "superseded", superseded_by: "s_v1" }, "s_v2");
    evidence.successors = [
      { reconciliation_id: "s_v1", terminal_receipt_id: "s" },
      { reconciliation_id: "s_v2", terminal_receipt_id: "s" },
    ];
    const back = evidenceOfBundle(JSON.parse(JSON.stringify(bundleOf(evidence))));
    expect(back.successors).to.deep.equal(evidence.successors);
    expect(failures(back)).to.deep.equal([]);
    const bad = { ...bundleOf(evidence), successors: [{ reconciliation_id: "s_v1" }] };
    expect(() => evidenceOfBundle(JSON.parse(JSON.stringify(bad)))).to.throw(TypeError, /successors/);
  });
});

type Json = Record<string, unknown>;

describe("verifyReportEvidence on a partner's bundle (hash scheme v2)", () => {
  const failures = (e: ReportEvidence) =>
    verifyReportEvidence(e)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);

  it("control: the JV evidence and each partner's verify", () => {
    expect(failures(v2Evidence())).to.deep.equal([]);
    for (const p of ["a", "b", "c"]) expect(failures(partnerEvidence(v2Evidence(), p)), p).to.deep.equal([]);
  });

  it("checks the day a partner left the JV on its own line with entries, as the JV's evidence does", () => {
    // The period's contract days are 2026-01-01 and 2026-01-02.
    const left = (line: Record<string, unknown>) => partnerEvidence(v2Evidence({ lines: { a: line } }), "a");
    const passed = verifyReportEvidence(left({ partner_active: false, left_jv_on: "2026-01-02" }));
    expect(passed.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(passed.checks.map((c) => c.check)).to.include("allocations[0].left_jv_on");
    expect(failures(left({ partner_active: false, left_jv_on: "2026-01-01" }))).to.deep.equal(["allocations[0].left_jv_on"]);
    expect(failures(left({ partner_active: true, left_jv_on: "2026-01-02" }))).to.deep.equal(["allocations[0].left_jv_on"]);
  });

  it("fails a bundle whose holder sealed the partner's own line, net position and digests with its salt and dropped its entries, its change row left in the clear", () => {
    const evidence = v2Evidence();
    const report = evidence.report;
    const [a] = report.allocations as ReportAllocation[];
    const { integrity_hash: _hash, ...body } = report;
    Object.assign(body, {
      version: 2,
      supersedes: "r_v0",
      net_positions: netPositions(report.allocations as ReportAllocation[], []),
      changes_from_previous: {
        partners: [
          {
            partner_id: "a",
            allocated_bbl_before: 990,
            allocated_bbl_after: a!.allocated_bbl,
            delta_bbl: cbToBbl(bblToCb(a!.allocated_bbl) - bblToCb(990)),
            nsv_bbl_before: 990,
            nsv_bbl_after: a!.nsv_bbl,
          },
        ],
        totals_delta: {},
      },
    });
    const resealed = { ...evidence, report: { ...body, integrity_hash: integrityHash(body) } };
    const anchor = { ...resealed.audit_events[0]! };
    const { id, hash: _h, ...content } = anchor;
    const details = { ...content.details, version: 2, supersedes: "r_v0", integrity_hash: resealed.report.integrity_hash };
    const event = { ...content, details };
    resealed.audit_events = [{ ...event, id, hash: auditEventHash(event) }];
    const bundle = partnerEvidence(resealed, "a");
    expect(failures(bundle).filter((f) => f !== "changes_from_previous")).to.deep.equal([]);
    const salt = bundle.salts!.a!;
    const own = bundle.report as Record<string, unknown>;
    for (const section of ["allocations", "net_positions", "partner_inputs"]) {
      own[section] = (own[section] as Array<Record<string, unknown>>).map((row) =>
        row.partner_id === "a" ? { sealed: leafHash(salt, row) } : row,
      );
    }
    bundle.rows = [];
    expect(failures(bundle)).to.include("allocations.partners");
  });

  it("control: with an exclusion of a's, the JV evidence and each partner's verify, its own inputs checked", () => {
    expect(failures(v2Evidence({ excluded: true }))).to.deep.equal([]);
    for (const p of ["a", "b", "c"]) {
      const report = verifyReportEvidence(partnerEvidence(v2Evidence({ excluded: true }), p));
      expect(
        report.checks.filter((c) => !c.ok).map((c) => c.check),
        p,
      ).to.deep.equal([]);
      expect(report.checks.find((c) => c.check === "partner_inputs")?.ok, p).to.equal(true);
    }
  });

  it("fails a bundle whose own entries were edited keeping their sums: renamed, or barrels moved between them", () => {
    const renamed = partnerEvidence(v2Evidence(), "a");
    renamed.rows = renamed.rows!.map((r) => (r.entry_id === "e1" ? { ...r, entry_id: "FORGED-1" } : r));
    expect(failures(renamed)).to.deep.equal(["partner_inputs"]);

    const moved = partnerEvidence(v2Evidence(), "a");
    const remeasured = (row: Record<string, unknown>, gross: number) => {
      const fields = { ...(row as unknown as Parameters<typeof measureFields>[0]), gross_volume_bbl: gross };
      return { ...row, gross_volume_bbl: gross, nsv_bbl: measureFields(fields).nsvBbl };
    };
    moved.rows = moved.rows!.map((r) =>
      r.entry_id === "e1"
        ? remeasured(r as unknown as Record<string, unknown>, 990)
        : remeasured(r as unknown as Record<string, unknown>, 20),
    ) as typeof moved.rows;
    const failed = failures(moved);
    expect(failed).to.include("partner_inputs");
  });

  it("fails a bundle whose own exclusions were dropped or rewritten", () => {
    const dropped = partnerEvidence(v2Evidence({ excluded: true }), "a");
    dropped.exclusions = [];
    expect(failures(dropped)).to.include("partner_inputs");
    const rewritten = partnerEvidence(v2Evidence({ excluded: true }), "a");
    rewritten.exclusions = rewritten.exclusions!.map((e) => ({ ...e, reason: "duplicate of e1" }));
    expect(failures(rewritten)).to.include("partner_inputs");
    const removed = partnerEvidence(v2Evidence({ excluded: true }), "a");
    delete removed.exclusions;
    expect(failures(removed)).to.deep.equal(["partner_inputs.exclusions"]);
  });

  it("fails a bundle listing another partner's excluded entry beside its own", () => {
    const offline = (e: ReportEvidence) =>
      verifyStatementBundleText(JSON.stringify(bundleOf(e)))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    const bundle = partnerEvidence(v2Evidence({ excluded: true }), "a");
    expect(offline(bundle)).to.deep.equal([]);
    bundle.exclusions = [...bundle.exclusions!, { entry_id: "e3", partner_id: "b", reason: "fraudulent meter" }];
    expect(offline(bundle)).to.deep.equal(["exclusions.partner"]);
    // b's bundle, which has no exclusions of its own, the same.
    const other = partnerEvidence(v2Evidence(), "b");
    other.exclusions = [{ entry_id: "x9", partner_id: "c", reason: "fraudulent meter" }];
    expect(offline(other)).to.deep.equal(["exclusions.partner"]);
  });

  it("digests the partners with an allocation line only: an unknown partner id's exclusions stay in the JV's exclusions digest", () => {
    const rows = v2Evidence().rows as MeasuredInputRow[];
    const strangers = Array.from({ length: 50 }, (_, i) => ({ entry_id: `u${i}`, partner_id: `made-up-${i}`, reason: "unknown partner" }));
    const digests = partnerInputs(rows, strangers, new Set(["a", "b", "c"]));
    expect(digests.map((d) => d.partner_id)).to.deep.equal(["a", "b", "c"]);
  });

  it("fails a bundle whose own line is sealed while it holds the partner's entries (its allocation removed from view)", () => {
    const bundle = partnerEvidence(v2Evidence(), "a");
    const allocations = bundle.report.allocations as unknown[];
    allocations[0] = { sealed: leafHash(bundle.salts!.a!, allocations[0]) };
    expect(failures(bundle)).to.include("allocations.partners");
  });
});

/**
 * v2Evidence() with `change` applied to the report body, the integrity hash recomputed and the
 * anchor rewritten to it (what someone who can write the database and the chain can do), its
 * details extended by `anchored`.
 */
function resealed(change: (body: Record<string, unknown>) => void, anchored: Record<string, unknown> = {}): ReportEvidence {
  const evidence = v2Evidence();
  const { integrity_hash: _hash, ...body } = evidence.report;
  change(body);
  const report = { ...body, integrity_hash: integrityHash(body) };
  const { id, hash: _h, ...content } = evidence.audit_events[0]!;
  const event = { ...content, details: { ...content.details, integrity_hash: report.integrity_hash, ...anchored } };
  return { ...evidence, report, audit_events: [{ ...event, id, hash: auditEventHash(event) }] };
}

/** `net` with `bbl` moved from the first partner's net position to the second's. */
function moved(net: ReturnType<typeof netPositions>, bbl: number): ReturnType<typeof netPositions> {
  return net.map((n, i) =>
    i > 1 ? n : { ...n, adjustments_bbl: i === 0 ? -bbl : bbl, net_bbl: cbToBbl(bblToCb(n.allocated_bbl) + bblToCb(i === 0 ? -bbl : bbl)) },
  );
}

describe("verifyReportEvidence: net positions and the adjustments carried", () => {
  const failures = (e: ReportEvidence) =>
    verifyReportEvidence(e)
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);
  const offline = (e: ReportEvidence) =>
    verifyStatementBundleText(JSON.stringify(bundleOf(e)))
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);

  it("recomputes net positions on a report without prior_period_adjustments as carrying none", () => {
    const honest = resealed((body) => {
      body.net_positions = netPositions(body.allocations as ReportAllocation[], []);
    });
    expect(failures(honest)).to.deep.equal([]);
    for (const p of ["a", "b"]) expect(offline(partnerEvidence(honest, p)), p).to.deep.equal([]);
    // 500 bbl moved from a's net position to b's, with no adjustment carried to explain it.
    const shifted = resealed((body) => {
      body.net_positions = moved(netPositions(body.allocations as ReportAllocation[], []), 500);
    });
    expect(failures(shifted)).to.deep.equal(["net_positions"]);
    expect(offline(shifted)).to.deep.equal(["net_positions"]);
    for (const p of ["a", "b"]) expect(offline(partnerEvidence(shifted, p)), p).to.deep.equal(["net_positions.partner"]);
    // A report made before either field existed still verifies.
    expect(v2Evidence().report).to.not.have.any.keys("net_positions", "prior_period_adjustments");
    expect(offline(partnerEvidence(v2Evidence(), "a"))).to.deep.equal([]);
  });

  it("fails one adjustment carried twice, in the JV's evidence and in every partner's bundle (another partner's sealed)", () => {
    const line = { id: "q_v2_1", partner_id: "b", delta_bbl: -1.5, from_reconciliation_id: "q_v2" };
    const carrying = (lines: (typeof line)[], anchored: Record<string, unknown> = {}) =>
      resealed((body) => {
        body.prior_period_adjustments = lines;
        body.net_positions = netPositions(body.allocations as ReportAllocation[], lines);
      }, anchored);
    expect(failures(carrying([line]))).to.deep.equal([]);
    const twice = carrying([line, line]);
    expect(failures(twice)).to.deep.equal(["prior_period_adjustments.unique_ids"]);
    expect(verifyReportEvidence(twice).checks.find((c) => c.check === "prior_period_adjustments.unique_ids")?.stored).to.deep.equal([
      "q_v2_1",
    ]);
    expect(offline(twice)).to.deep.equal(["prior_period_adjustments.unique_ids"]);
    // b sees its own line twice; a sees b's sealed line twice.
    for (const p of ["a", "b"]) expect(offline(partnerEvidence(twice, p)), p).to.deep.equal(["prior_period_adjustments.unique_ids"]);
  });

  it("holds the ids carried to the anchoring event's adjustments_carried where it records them", () => {
    const line = (id: string, partner_id: string, delta_bbl: number) => ({ id, partner_id, delta_bbl, from_reconciliation_id: "q_v2" });
    const carrying = (lines: Array<ReturnType<typeof line>> | undefined, anchored: unknown) =>
      resealed(
        (body) => {
          if (lines) body.prior_period_adjustments = lines;
          body.net_positions = netPositions(body.allocations as ReportAllocation[], lines ?? []);
        },
        anchored === undefined ? {} : { adjustments_carried: anchored },
      );
    const both = [line("q_v2_0", "a", 1.5), line("q_v2_1", "b", -1.5)];
    const honest = carrying(both, ["q_v2_0", "q_v2_1"]);
    expect(failures(honest)).to.deep.equal([]);
    for (const p of ["a", "b", "c"]) expect(offline(partnerEvidence(honest, p)), p).to.deep.equal([]);
    // One of them dropped from the report, or the list left out: the anchor says what was carried.
    const dropped = carrying([both[0]!], ["q_v2_0", "q_v2_1"]);
    expect(failures(dropped)).to.deep.equal(["audit_anchor.adjustments_carried"]);
    expect(offline(partnerEvidence(dropped, "a"))).to.deep.equal(["audit_anchor.adjustments_carried"]);
    expect(failures(carrying(undefined, ["q_v2_0"]))).to.deep.equal(["audit_anchor.adjustments_carried"]);
    // In a's bundle, b's line is sealed: compared by position, a's own by id.
    const renamed = carrying(both, ["q_v2_9", "q_v2_1"]);
    expect(offline(partnerEvidence(renamed, "a"))).to.deep.equal(["audit_anchor.adjustments_carried"]);
    expect(offline(partnerEvidence(renamed, "b"))).to.deep.equal([]);
    // An anchor made before it recorded them: nothing to compare.
    expect(failures(carrying([both[0]!], undefined))).to.deep.equal([]);
  });
});

describe("verifyReportEvidence: changes of a receipt's first version replacing another receipt's", () => {
  const changeChecks = (e: ReportEvidence) =>
    verifyReportEvidence(e)
      .checks.filter((c) => c.check === "changes_from_previous")
      .map((c) => c.ok);
  /** r_v1 as if it replaced receipt r0's version r0_v1, which allocated a 10 bbl more and b 10 bbl less. */
  function replacing(
    changes: (computed: ChangesFromPrevious) => unknown,
    supersedesReceipt: unknown = { terminal_receipt_id: "r0", reconciliation_id: "r0_v1" },
  ) {
    const e = v2Evidence();
    const allocations = e.report.allocations as ReportAllocation[];
    const totals = e.report.totals as ReportTotals;
    const before = allocations.map((a) => ({
      ...a,
      allocated_bbl: a.allocated_bbl + (a.partner_id === "a" ? 10 : a.partner_id === "b" ? -10 : 0),
    }));
    const computed = changesFromPrevious(before, allocations, totals, totals);
    return {
      ...e,
      report: { ...e.report, supersedes_receipt: supersedesReceipt, changes_from_previous: changes(computed) },
      previous: { allocations: before, totals },
    };
  }

  it("recomputes them against the replaced version's figures", () => {
    const e = replacing((c) => c);
    expect((e.report.changes_from_previous as ChangesFromPrevious).partners.map((p) => [p.partner_id, p.delta_bbl])).to.deep.equal([
      ["a", -10],
      ["b", 10],
    ]);
    expect(changeChecks(e)).to.deep.equal([true]);
  });

  it("names changes that are not the replaced version's, and changes on a report that replaces nothing", () => {
    const moved = replacing((c) => ({ ...c, partners: c.partners.map((p, i) => (i === 0 ? { ...p, delta_bbl: p.delta_bbl + 0.01 } : p)) }));
    expect(changeChecks(moved)).to.deep.equal([false]);
    expect(changeChecks(replacing((c) => c, null))).to.deep.equal([false]);
  });

  it("says, offline, that they were checked against the bundle's own copy of the version replaced", () => {
    const e = replacing((c) => c);
    expect(changeChecks({ ...e, from_bundle: true })).to.deep.equal([true]);
    expect(verifyReportEvidence({ ...e, from_bundle: true }).not_checked_in_words).to.include(UNCHECKED.bundledPrevious);
    expect(verifyReportEvidence(e).not_checked_in_words).to.not.include(UNCHECKED.bundledPrevious);
  });

  it("accepts none on a replacing report made before they were recorded", () => {
    expect(changeChecks(replacing(() => null))).to.deep.equal([true]);
  });

  it("fails them, live, when the version they are measured against is gone; a bundle's evidence only leaves them unchecked", () => {
    const { previous: _previous, ...gone } = replacing((c) => c);
    expect(changeChecks(gone)).to.deep.equal([]);
    const live = { ...gone, previous_missing: true };
    expect(changeChecks(live)).to.deep.equal([false]);
    expect(verifyReportEvidence(live).checks.find((c) => c.check === "changes_from_previous")?.note).to.contain(
      "r0_v1, the version its changes are measured against, names no reconciliation the JV's database holds",
    );
    expect(changeChecks({ ...live, from_bundle: true })).to.deep.equal([]);
  });
});

describe("statement bundles verified offline", () => {
  /** Partner a's bundle of v2Evidence() as the export writes it. */
  const bundleText = (evidence = v2Evidence()) => JSON.stringify(bundleOf(partnerEvidence(evidence, "a")), null, 2);
  const notChecked = (prefix: string, notes: string[]) => notes.filter((n) => n.startsWith(prefix));

  it("verifyStatementBundleText refuses a repeated key, which verifyStatementBundle(JSON.parse(text)) cannot see", () => {
    const text = bundleText();
    expect(text).to.contain('"allocated_bbl": 998.27');
    const forged = text.replace('"allocated_bbl": 998.27', '"allocated_bbl": 1998.27, "allocated_bbl": 998.27');
    expect(verifyStatementBundle(JSON.parse(forged)).ok).to.equal(true);
    expect(() => verifyStatementBundleText(forged)).to.throw(
      TypeError,
      'key "allocated_bbl" appears twice in the object at $.report.allocations[0]: a bundle must read the same in every JSON reader',
    );
    expect(verifyStatementBundleText(text).ok).to.equal(true);
    expect(verifyStatementBundleText(`\uFEFF${text}`).ok).to.equal(true);
    expect(() => verifyStatementBundleText(text.slice(1))).to.throw(TypeError, /^not JSON: /);
    expect(() => verifyStatementBundleText("{}")).to.throw(BundleRefused, /^not a FlowShare statement bundle: format must be/);
  });

  it("refuses a __proto__ key, whose fields JavaScript would inherit where the hash covers own keys only", () => {
    const proto = '"__proto__": {"changes_against": "r_v0", "corrections": [{"partner_id": "a", "entry_id": "e1"}]}, ';
    const inReport = bundleText().replace('"report": {', `"report": {${proto}`);
    expect(() => verifyStatementBundleText(inReport)).to.throw(
      TypeError,
      'key "__proto__" in the object at $.report is refused: JavaScript would read it as the object\'s prototype, not as data',
    );
    expect(() => evidenceOfBundle(JSON.parse(inReport))).to.throw(TypeError, 'the object at $.report has a "__proto__" key');
    // Also in the parts evidenceOfBundle passes on as parsed (not through fromTypedJson).
    const bundle = JSON.parse(bundleText()) as { manifest_rows: unknown[] };
    const row = JSON.parse(`{${proto}"entry_id": "e1"}`) as unknown;
    bundle.manifest_rows[0] = row;
    expect(() => evidenceOfBundle(bundle)).to.throw(TypeError, 'the object at $.manifest_rows[0] has a "__proto__" key');
  });

  it("refuses every key the exporter does not write outside the report, naming its JSON path", () => {
    const jv = () => JSON.parse(JSON.stringify(bundleOf(v2Evidence()))) as Json;
    const partner = () => JSON.parse(bundleText()) as Json;
    expect(verifyStatementBundleText(JSON.stringify(jv())).ok).to.equal(true);
    expect(verifyStatementBundleText(bundleText()).ok).to.equal(true);
    const cases: Array<[string, () => Json, (b: Json) => void, string]> = [
      ["top-level key", jv, (b) => (b.approved_by_all_partners = true), "$.approved_by_all_partners is not a field"],
      ["manifest row", jv, (b) => ((b.manifest_rows as Json[])[0]!.nsv_bbl_override = 9999), "$.manifest_rows[0].nsv_bbl_override is not"],
      ["receipt", partner, (b) => ((b.receipt as Json).comment = "x"), "$.receipt.comment is not a field"],
      ["audit event", jv, (b) => ((b.audit_events as Json[])[0]!.note = "x"), "$.audit_events[0].note is not a field"],
      ["scope", partner, (b) => ((b.scope as Json).partner_name = "Someone Else"), "$.scope.partner_name is not a field"],
      ["chain head", jv, (b) => ((b.chain_head as Json).extra = 1), "$.chain_head.extra is not a field"],
      ["another partner's salt", partner, (b) => ((b.salts as Json).b = "00"), "$.salts.b is not a field"],
      ["salts in a JV bundle", jv, (b) => (b.salts = { a: "00" }), "$.salts is not a field of a JV bundle"],
      ["previous of a first version", jv, (b) => (b.previous = { allocations: [], totals: {} }), "$.previous must be null"],
      ["manifest_problem beside rows", partner, (b) => (b.manifest_problem = "x"), "$.manifest_problem is a string said only"],
      ["how_to_verify", jv, (b) => (b.how_to_verify = "trust us"), "$.how_to_verify must read"],
      ["no chain head", partner, (b) => (b.chain_head = null), "$.chain_head must be {seq, hash}: the stream has events"],
      ["odd key", jv, (b) => (b["a b"] = 1), '$["a b"] is not a field'],
    ];
    for (const [what, make, edit, message] of cases) {
      const bundle = make();
      edit(bundle);
      expect(() => verifyStatementBundleText(JSON.stringify(bundle)), what).to.throw(
        BundleRefused,
        `not a FlowShare statement bundle: ${message}`,
      );
    }
  });

  it("tells to compare the statement's hash, and reads bundles exported with the earlier how_to_verify text", () => {
    const bundle = JSON.parse(bundleText()) as Json;
    expect(bundle.how_to_verify).to.equal(
      'npm run verify -- --bundle <file>.json --expect-hash <the "Integrity hash" of the statement you were given> (FlowShare\'s scripts/verify.ts; no network, no Firebase)',
    );
    bundle.how_to_verify = "npm run verify -- --bundle <file>.json (FlowShare's scripts/verify.ts; no network, no Firebase)";
    expect(verifyStatementBundleText(JSON.stringify(bundle)).ok).to.equal(true);
    bundle.how_to_verify = "npm run verify -- --bundle <file>.json";
    expect(() => verifyStatementBundleText(JSON.stringify(bundle))).to.throw(
      BundleRefused,
      /\$\.how_to_verify must read "npm run verify -- --bundle <file>\.json --expect-hash .*" \(or an earlier exporter's "npm run verify -- --bundle <file>\.json \(FlowShare's/,
    );
  });

  it("refuses a bundle without the exclusion chunks of a report that has them, and carries the receipt's known fields only", () => {
    const withExclusions = v2Evidence({ excluded: true });
    const bundle = JSON.parse(JSON.stringify(bundleOf(withExclusions))) as Json;
    expect(verifyStatementBundleText(JSON.stringify(bundle)).ok).to.equal(true);
    delete bundle.exclusions;
    expect(() => verifyStatementBundleText(JSON.stringify(bundle))).to.throw(
      BundleRefused,
      "not a FlowShare statement bundle: $.exclusions is missing: the report has exclusion chunks",
    );
    const evidence = v2Evidence();
    evidence.receipt = { ...evidence.receipt, terminal_name: "Port Ellery", operator_remark: "x" };
    expect(Object.keys(bundleOf(evidence).receipt as Json))
      .to.include("terminal_name")
      .and.not.include("operator_remark");
  });

  it("checks the terminal's name the report binds against the receipt; says a report without it leaves it unchecked", () => {
    const older = v2Evidence();
    older.receipt = { ...older.receipt, terminal_name: "Port Ellery" };
    const unchecked = verifyStatementBundleText(JSON.stringify(bundleOf(older)));
    expect(unchecked.ok).to.equal(true);
    expect(unchecked.not_checked_in_words).to.include(UNCHECKED.terminalName);
    const bound = v2Evidence();
    const body: Json = { ...bound.report, terminal_name: "Port Ellery" };
    delete body.integrity_hash;
    bound.report = { ...body, integrity_hash: integrityHash(body) };
    const { id, hash: _hash, ...content } = bound.audit_events[0]!;
    const event = { ...content, details: { ...content.details, integrity_hash: bound.report.integrity_hash } };
    bound.audit_events = [{ ...event, id, hash: auditEventHash(event) }];
    bound.receipt = { ...bound.receipt, terminal_name: "Port Ellery" };
    const bundle = JSON.parse(JSON.stringify(bundleOf(bound))) as { receipt: Json };
    const verdict = verifyStatementBundleText(JSON.stringify(bundle));
    expect(verdict.ok).to.equal(true);
    expect(verdict.not_checked_in_words).to.not.include(UNCHECKED.terminalName);
    bundle.receipt.terminal_name = "Bayport Storage (not Port Ellery)";
    const renamed = verifyStatementBundleText(JSON.stringify(bundle));
    expect(renamed.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["receipt.terminal_name"]);
  });

  it("fails an audit event whose id is not the one its action and subject make: the footer prints the anchor's", () => {
    const bundle = JSON.parse(bundleText()) as { audit_events: Json[] };
    expect(bundle.audit_events[0]!.id).to.equal("reconcile_r_v1");
    bundle.audit_events[0]!.id = "reconcile_something_else";
    const verdict = verifyStatementBundleText(JSON.stringify(bundle));
    expect(verdict.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["audit_events.id"]);
    expect(verdict.out_of_band.anchor?.event_id).to.equal("reconcile_something_else");
    // An action FlowShare never writes to a receipt's stream has no id to be.
    const evidence = v2Evidence();
    const { id: _id, hash: _hash, ...content } = evidence.audit_events[0]!;
    const odd = { ...content, seq: 2, action: "note_added", prev_hash: evidence.audit_events[0]!.hash };
    evidence.audit_events.push({ ...odd, id: "note_1", hash: auditEventHash(odd) });
    expect(
      verifyReportEvidence(evidence)
        .checks.filter((c) => !c.ok)
        .map((c) => c.check),
    ).to.deep.equal(["audit_events.id"]);
  });

  it("takes a notification round logged in the receipt's stream before 2026-11-30 under its own id, and no other", () => {
    const withRound = (id: string) => {
      const evidence = v2Evidence();
      const { id: _id, hash: _hash, ...content } = evidence.audit_events[0]!;
      const round = {
        ...content,
        seq: 2,
        actor: "communicator",
        action: "notifications_sent",
        subject: "reconciliations/r_v1",
        prev_hash: evidence.audit_events[0]!.hash,
      };
      evidence.audit_events.push({ ...round, id, hash: auditEventHash(round) });
      evidence.chain_head = { seq: 2, hash: evidence.audit_events[1]!.hash };
      return verifyReportEvidence(evidence)
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    };
    expect(withRound("notify_r_v1")).to.deep.equal([]);
    expect(withRound("notify_r_v1_release")).to.deep.equal([]);
    expect(withRound("notify_r_v2")).to.deep.equal(["audit_events.id"]);
  });

  it("refuses a $date tag not written as the export writes it (RFC 2822, no zone), naming where it is", () => {
    const text = bundleText();
    expect(text).to.contain('"2026-01-03T00:00:00.000Z"');
    for (const written of ["Sat, 03 Jan 2026 00:00:00 GMT", "2026-01-03T00:00:00"]) {
      expect(() => verifyStatementBundleText(text.replace('"2026-01-03T00:00:00.000Z"', JSON.stringify(written))), written).to.throw(
        TypeError,
        /^canonical JSON: \$\.report\.period_end is a \$date tag whose text .* is not an ISO 8601 UTC time/,
      );
    }
  });

  it("lists the stale marks and close_check_pending as not checked, whether the bundle carries them or not", () => {
    const evidence = v2Evidence();
    Object.assign(evidence.report, {
      stale: true,
      stale_since: new Date("2026-01-05T00:00:00Z"),
      stale_changes: 3,
      close_check_pending: true,
    });
    const marked = verifyStatementBundleText(bundleText(evidence));
    const bundle = JSON.parse(bundleText(evidence)) as { report: Record<string, unknown> };
    for (const key of ["stale", "stale_since", "stale_changes", "close_check_pending"]) delete bundle.report[key];
    const unmarked = verifyStatementBundleText(JSON.stringify(bundle));
    for (const result of [marked, unmarked]) {
      expect(result.ok).to.equal(true);
      const [note] = notChecked(
        "stale, stale_since, stale_changes, stale_entry_ids, stale_resolved_at and close_check_pending",
        result.not_checked,
      );
      expect(note).to.contain("outside the integrity hash and recorded in no audit event");
      expect(note).to.contain("the current ones are in the JV's database, so ask the operator");
    }
    // The live verifier reads them as stored now; it cannot check them either.
    const liveReport = verifyReportEvidence(evidence);
    const [live] = notChecked("stale, stale_since", liveReport.not_checked);
    expect(live).to.contain("they are read as the JV's database holds them now");
    // The statement's readers get the same in words, and what they can do about it.
    expect(liveReport.not_checked_in_words).to.include(UNCHECKED.staleLive);
    expect(liveReport.not_checked_in_words).not.to.include(UNCHECKED.staleOffline);
    expect(marked.not_checked_in_words).to.include.members([UNCHECKED.staleOffline, UNCHECKED.bundleCopies]);
  });

  it("says in words, without field names and each once, everything it lists as not checked", () => {
    const partner = verifyStatementBundleText(bundleText());
    const live = verifyReportEvidence(v2Evidence());
    for (const result of [partner, live, verifyReportEvidence(legacyEvidence())]) {
      expect(result.ok).to.equal(true);
      expect(result.not_checked_in_words.length).to.be.greaterThan(0);
      expect(result.not_checked_in_words.length).to.be.at.most(result.not_checked.length);
      expect(new Set(result.not_checked_in_words).size).to.equal(result.not_checked_in_words.length);
      for (const text of result.not_checked_in_words) {
        expect(text, text).not.to.match(/[a-z]+_[a-z]+|digest|manifest|verifyReconciliation/);
        expect(text, text).to.match(/^[A-Z].*\.$/);
      }
    }
    // A partner's notes on the inputs and exclusions digests say one thing in words.
    expect(notChecked("inputs_digest", partner.not_checked)).to.have.length(1);
    expect(notChecked("exclusions_digest", partner.not_checked)).to.have.length(1);
    expect(partner.not_checked_in_words.filter((t) => t === UNCHECKED.othersSealed)).to.have.length(1);
  });

  it("prints in full the values to compare out of band, each as the statement names it, and a whole forgery's differ", () => {
    const evidence = v2Evidence();
    const release = (() => {
      const anchor = evidence.audit_events[0]!;
      const content = {
        seq: 2,
        at: new Date("2026-01-04T00:00:00Z"),
        stream: "receipt_r",
        actor: "v",
        action: "note",
        subject: "reconciliations/r_v1",
        details: {},
        prev_hash: anchor.hash,
      };
      return { ...content, id: "note_2", hash: auditEventHash(content) };
    })();
    evidence.audit_events.push(release);
    const verdict = verifyStatementBundleText(bundleText(evidence));
    const footer = statementOf(partnerEvidence(evidence, "a"));
    expect(verdict.out_of_band).to.deep.equal({
      integrity_hash: footer.integrity_hash,
      anchor: footer.anchor,
      chain_head: { stream: "receipt_r", seq: 2, hash: release.hash },
    });
    const printed = verificationPrintout("statement.json (r_v1, offline)", verdict).join("\n");
    const anchor = footer.anchor!;
    expect(printed).to.contain(`integrity hash:    ${footer.integrity_hash}  = the statement's "Integrity hash"`);
    expect(printed).to.contain(`audit anchor:      ${anchor.event_id}, stream receipt_r #1  = the statement's "Audit anchor"`);
    expect(printed).to.contain(`anchor event hash: ${anchor.hash}  = the statement's "event hash"`);
    expect(printed).to.contain(
      `chain head:        stream receipt_r #2, hash ${release.hash}  = the head the operator's audit log holds now`,
    );
    expect(verdict.not_checked.join("\n")).to.contain(`the chain head of receipt_r (seq 2, hash ${release.hash})`);
    // Report and chain forged whole, every check passing: only the values compared tell.
    const forged = resealed((body) => {
      body.created_by = "someone-else";
    });
    const forgedVerdict = verifyStatementBundleText(bundleText(forged));
    expect(forgedVerdict.ok).to.equal(true);
    const forgedPrinted = verificationPrintout("forged.json", forgedVerdict).join("\n");
    expect(forgedPrinted).to.not.contain(anchor.hash);
    expect(forgedPrinted).to.contain(forgedVerdict.out_of_band.anchor!.hash);
  });

  it("reads a replacement by another receipt's version from this receipt's chain, and says offline what the head must confirm", () => {
    const current = verifyStatementBundleText(bundleText());
    expect(current.ok).to.equal(true);
    const notes = notChecked('status "completed"', current.not_checked);
    expect(notes).to.have.length(1);
    expect(notes[0]).to.contain(
      "appends reconciliation_superseded to this receipt's chain, so the chain head to confirm with the operator shows it",
    );
    expect(notes[0]).to.contain("run the live verifier (verifyReconciliation)");
    expect(notChecked('status "completed"', verifyReportEvidence(v2Evidence()).not_checked)).to.deep.equal([]);

    // r_v1 replaced by s_v1 (a corrected ticket): reconcile appends the event to receipt r's chain.
    const replaced = v2Evidence();
    const anchor = replaced.audit_events[0];
    replaced.audit_events = [anchor, replacedByS(anchor.hash)];
    Object.assign(replaced.report, { status: "superseded", superseded_by: "s_v1" });
    const honest = verifyStatementBundleText(bundleText(replaced));
    expect(honest.checks.filter((c) => !c.ok)).to.deep.equal([]);
    expect(honest.checks.find((c) => c.check === "superseded_by")?.note).to.equal("event 2 of receipt_r");
    expect(notChecked('status "completed"', honest.not_checked)).to.deep.equal([]);
    // Status and superseded_by put back, as if r_v1 were still current: the chain says otherwise.
    Object.assign(replaced.report, { status: "completed", superseded_by: null });
    const forged = verifyStatementBundleText(bundleText(replaced));
    expect(forged.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["status", "superseded_by"]);
  });
});

describe("uniqueTexts", () => {
  it("keeps each text once, in the order first met", () => {
    expect(uniqueTexts(["b", "a", "b", "c", "a"])).to.deep.equal(["b", "a", "c"]);
    expect(uniqueTexts([])).to.deep.equal([]);
  });
});
