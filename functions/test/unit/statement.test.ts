import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { NO_PRODUCTION_REASON } from "../../src/domain/period-close";
import {
  approvalText,
  correctionLine,
  correctionsIntro,
  fixedNumber,
  leftJvText,
  luafText,
  NO_LINE_REASON,
  originPeriodText,
  partnersWithoutLine,
  shareTotalPercent,
  statementOf,
  TERMINAL_NAME_UNSEALED,
} from "../../src/domain/statement";
import { statementCsv } from "../../src/domain/statement-csv";
import { type ReportEvidence } from "../../src/domain/report-verification";
import { MAX_EXCLUDED_LISTED } from "../../src/domain/reconciliation-report";
import { REPORT_HASH_V2 } from "../../src/domain/report-hash";
import { partnerEvidence, statementBundle } from "../../src/domain/statement-bundle";

const line = (partner_id: string, partner_name: string, allocated: number, extra: Record<string, unknown> = {}) => ({
  partner_id,
  partner_name,
  entries: allocated === 0 ? 0 : 1,
  gross_bbl: allocated,
  nsv_bbl: allocated,
  share_percent: allocated === 0 ? 0 : 100,
  allocated_bbl: allocated,
  shrinkage_bbl: 0,
  partner_active: true,
  ...extra,
});

// A close report: a has production, c is active with none (a zero line), b is inactive with
// no production and carries an approved adjustment of an earlier period (no line at all).
const report = {
  terminal_receipt_id: "r1",
  version: 1,
  status: "completed",
  period_start: new Date("2026-09-01T00:00:00Z"),
  period_end: new Date("2026-09-02T00:00:00Z"),
  content_digest: "x",
  integrity_hash: "h",
  terminal: {},
  terminal_inputs: {},
  totals: {
    entries_used: 1,
    entries_excluded: 0,
    field_gross_bbl: 990,
    field_nsv_bbl: 990,
    terminal_nsv_bbl: 990,
    shrinkage_bbl: 0,
    shrinkage_percent: 0,
  },
  allocations: [line("a", "Partner A", 990), line("c", "Partner C", 0, { reason: NO_PRODUCTION_REASON })],
  excluded: [],
  prior_period_adjustments: [{ id: "adj1", partner_id: "b", delta_bbl: -2.25, from_reconciliation_id: "old_v2" }],
  net_positions: [
    { partner_id: "a", allocated_bbl: 990, adjustments_bbl: 0, net_bbl: 990 },
    { partner_id: "b", allocated_bbl: 0, adjustments_bbl: -2.25, net_bbl: -2.25 },
    { partner_id: "c", allocated_bbl: 0, adjustments_bbl: 0, net_bbl: 0 },
  ],
};
const evidence = (partnerId?: string): ReportEvidence => {
  const sealedUnlessMine = (rows: Array<{ partner_id: string }>) =>
    partnerId === undefined ? rows : rows.map((r) => (r.partner_id === partnerId ? r : { sealed: `leaf-${r.partner_id}` }));
  return {
    reconciliation_id: "r1_v1",
    report: {
      ...report,
      allocations: sealedUnlessMine(report.allocations),
      prior_period_adjustments: sealedUnlessMine(report.prior_period_adjustments),
      net_positions: sealedUnlessMine(report.net_positions),
    },
    ...(partnerId === undefined ? {} : { partner_id: partnerId }),
    rows: [],
    receipt: undefined,
    audit_events: [],
  };
};

/** The rows of one "# section" of the statement CSV, keyed by its header row. */
function csvSection(csv: string, title: string): Array<Record<string, string>> {
  const records = parse(csv, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  const start = records.findIndex((r) => r[0] === `# ${title}`);
  expect(start, title).to.be.greaterThan(-1);
  const header = records[start + 1]!;
  const rows: Array<Record<string, string>> = [];
  for (let i = start + 2; i < records.length && !(records[i]!.length === 1); i += 1) {
    rows.push(Object.fromEntries(header.map((h, j) => [h, records[i]![j]!])));
  }
  return rows;
}

describe("statement of a partner without a report line (carried adjustments only)", () => {
  it("finds the partners with adjustments or net positions in the clear and no line", () => {
    expect(partnersWithoutLine(evidence().report)).to.deep.equal(["b"]);
    expect(partnersWithoutLine(evidence("b").report)).to.deep.equal(["b"]);
    expect(partnersWithoutLine(evidence("a").report)).to.deep.equal([]);
    expect(partnersWithoutLine({ allocations: [line("a", "A", 1)] })).to.deep.equal([]);
  });

  it("gives the partner's statement a zero line with the reason, its adjustment and its net position", () => {
    const s = statementOf(evidence("b"), { b: "Partner B" });
    expect(s.partner_name).to.equal("Partner B");
    expect(s.allocations).to.deep.equal([
      {
        partner_id: "b",
        partner_name: "Partner B",
        entries: 0,
        gross_bbl: 0,
        nsv_bbl: 0,
        share_percent: 0,
        allocated_bbl: 0,
        shrinkage_bbl: 0,
        reason: NO_LINE_REASON,
      },
    ]);
    expect(s.partner_count).to.equal(3); // the report's two lines, sealed, and B's zero line
    expect(s.adjustments).to.deep.equal([
      { partner_id: "b", partner_name: "Partner B", kind: "prior-period adjustment", reference: "adj1 (from old_v2)", delta_bbl: -2.25 },
    ]);
    expect(s.net_positions).to.deep.equal([
      { partner_id: "b", partner_name: "Partner B", allocated_bbl: 0, adjustments_bbl: -2.25, net_bbl: -2.25 },
    ]);

    const csv = statementCsv(s);
    expect(csvSection(csv, "allocations")).to.deep.equal([
      {
        partner_id: "b",
        partner_name: "Partner B",
        entries: "0",
        gross_bbl: "0.00",
        nsv_bbl: "0.00",
        share_percent: "0.00000",
        allocated_bbl: "0.00",
        shrinkage_bbl: "0.00",
        reason: NO_LINE_REASON,
        left_jv_on: "",
      },
    ]);
    expect(csvSection(csv, "adjustments").map((a) => [a.partner_id, a.kind, a.delta_bbl])).to.deep.equal([
      ["b", "prior-period adjustment", "-2.25"],
    ]);
    expect(csvSection(csv, "net positions")).to.deep.equal([
      { partner_id: "b", partner_name: "Partner B", allocated_bbl: "0.00", adjustments_bbl: "-2.25", net_bbl: "-2.25" },
    ]);
  });

  it("shows the id when no name is known, and the line in the JV statement in partner order", () => {
    expect(statementOf(evidence("b")).allocations[0]!.partner_name).to.equal("b");
    const jv = statementOf(evidence(), { b: "Partner B" });
    expect(jv.allocations.map((a) => [a.partner_id, a.reason ?? null])).to.deep.equal([
      ["a", null],
      ["b", NO_LINE_REASON],
      ["c", NO_PRODUCTION_REASON],
    ]);
    expect(jv.partner_count).to.equal(jv.allocations.length);
    // The report's own zero line keeps the report's reason in the CSV.
    const rows = csvSection(statementCsv(jv), "allocations");
    expect(rows.map((r) => r.reason)).to.deep.equal(["", NO_LINE_REASON, NO_PRODUCTION_REASON]);
  });

  it("says on a former partner's line the day it left the JV, in the statement and the CSV: in a zero line's reason, and in a column of its own", () => {
    const left = evidence();
    left.report.allocations = [
      line("a", "Partner A", 990, { left_jv_on: "2026-09-02" }),
      line("c", "Partner C", 0, { reason: NO_PRODUCTION_REASON, partner_active: false, left_jv_on: "2026-09-02" }),
    ];
    const jv = statementOf(left, { b: "Partner B" });
    expect(jv.allocations.map((a) => [a.partner_id, a.reason ?? null])).to.deep.equal([
      ["a", null],
      ["b", NO_LINE_REASON],
      ["c", `${NO_PRODUCTION_REASON}; it left the JV on 2026-09-02`],
    ]);
    expect(jv.allocations.map((a) => a.left_jv_on ?? null)).to.deep.equal(["2026-09-02", null, "2026-09-02"]);
    const rows = csvSection(statementCsv(jv), "allocations");
    expect(rows.map((r) => [r.reason, r.left_jv_on])).to.deep.equal([
      ["", "2026-09-02"],
      [NO_LINE_REASON, ""],
      [`${NO_PRODUCTION_REASON}; it left the JV on 2026-09-02`, "2026-09-02"],
    ]);
    // Beside a line with entries: within the period it counts the days before; after it, the whole period.
    expect(leftJvText("2026-09-02", "2026-09-30")).to.equal(
      "left the JV on 2026-09-02, its first day outside it: this line counts its entries of the contract days before",
    );
    expect(leftJvText("2026-10-01", "2026-09-30")).to.equal(
      "left the JV on 2026-10-01, after this period: this line counts its entries of the whole period",
    );
    // An active partner's line (or one without the day) says nothing of the kind.
    left.report.allocations = [line("a", "Partner A", 990)];
    expect(statementOf(left).allocations[0]).to.not.have.property("left_jv_on");
  });

  it("adds nothing to another partner's statement", () => {
    const a = statementOf(evidence("a"), { b: "Partner B" });
    expect(a.allocations.map((l) => l.partner_id)).to.deep.equal(["a"]);
    expect(JSON.stringify(a)).to.not.contain("Partner B");
  });
});

describe("statement of a report with more excluded entries than its preview", () => {
  // 30 excluded entries, alternating partners a and b; the report lists the first MAX_EXCLUDED_LISTED.
  const full = Array.from({ length: 30 }, (_, i) => ({
    entry_id: `e${String(i).padStart(3, "0")}`,
    partner_id: i % 2 === 0 ? "a" : "b",
    reason: "audit rejected",
  }));
  const withExclusions = (): ReportEvidence => ({
    ...evidence(),
    report: {
      ...evidence().report,
      hash_scheme: REPORT_HASH_V2,
      leaf_key: "k".repeat(32),
      totals: { ...report.totals, entries_excluded: full.length },
      excluded: full.slice(0, MAX_EXCLUDED_LISTED),
      exclusions: { prefix: "x", chunks: 1, rows: full.length },
    },
    exclusions: full,
  });

  it("lists every excluded entry of the JV, from the exclusion chunks", () => {
    const s = statementOf(withExclusions());
    expect(s.excluded).to.deep.equal(full);
    expect(csvSection(statementCsv(s), "excluded entries").map((r) => r.entry_id)).to.deep.equal(full.map((e) => e.entry_id));
  });

  it("gives a partner every excluded entry of its own, and no other partner's", () => {
    const own = full.filter((e) => e.partner_id === "b");
    const scoped = partnerEvidence(withExclusions(), "b");
    const s = statementOf(scoped);
    expect(s.excluded).to.deep.equal(own);
    expect(csvSection(statementCsv(s), "excluded entries").map((r) => r.entry_id)).to.deep.equal(own.map((e) => e.entry_id));
    expect(JSON.stringify(statementBundle(scoped))).to.not.contain('"partner_id":"a"');
  });
});

describe("statement of a partner the new version dropped (a line in the superseded version, none now)", () => {
  // Version 2: partner d had 100 bbl in version 1; now inactive with nothing used, it has no line.
  const dropped = {
    partner_id: "d",
    allocated_bbl_before: 100,
    allocated_bbl_after: 0,
    delta_bbl: -100,
    nsv_bbl_before: 100,
    nsv_bbl_after: 0,
  };
  const v2 = (partnerId?: string): ReportEvidence => {
    const e = evidence(partnerId);
    const changes = [dropped].map((c) => (partnerId === undefined || c.partner_id === partnerId ? c : { sealed: "leaf-d" }));
    return {
      ...e,
      report: { ...e.report, version: 2, supersedes: "r1_v1", changes_from_previous: { partners: changes, totals_delta: {} } },
    };
  };

  it("is a statement: a zero line with the reason and its change from the superseded version", () => {
    expect(partnersWithoutLine(v2().report)).to.deep.equal(["b", "d"]);
    const s = statementOf(v2("d"), { d: "Partner D" });
    expect(s.allocations.map((a) => [a.partner_id, a.partner_name, a.allocated_bbl, a.reason])).to.deep.equal([
      ["d", "Partner D", 0, NO_LINE_REASON],
    ]);
    expect(s.adjustments).to.deep.equal([
      {
        partner_id: "d",
        partner_name: "Partner D",
        kind: "change from superseded version",
        reference: "r1_v1",
        delta_bbl: -100,
        allocated_bbl_before: 100,
        allocated_bbl_after: 0,
      },
    ]);
    // The JV statement shows its line too, named.
    expect(statementOf(v2(), { d: "Partner D" }).allocations.map((a) => a.partner_id)).to.deep.equal(["a", "b", "c", "d"]);
  });
});

describe("statement CSV header", () => {
  const headerValue = (csv: string, key: string) => (parse(csv, { relax_column_count: true }) as string[][]).find((r) => r[0] === key)?.[1];

  it("names the period by its contract days as the report's settings define them, beside its UTC instants", () => {
    // A JV whose day starts at 00:00 at UTC+08:00: September's first day begins on 31 August, 16:00 UTC.
    const september = statementOf({
      ...evidence(),
      report: {
        ...report,
        period_start: new Date("2026-08-31T16:00:00Z"),
        period_end: new Date("2026-09-30T16:00:00Z"),
        settings: { contract_day_start_hour: 0, utc_offset_minutes: 480 },
      },
    });
    expect(september.contract_days).to.deep.equal({ first: "2026-09-01", last: "2026-09-30" });
    const csv = statementCsv(september);
    expect([headerValue(csv, "first_contract_day"), headerValue(csv, "last_contract_day")]).to.deep.equal(["2026-09-01", "2026-09-30"]);
    expect([headerValue(csv, "period_start"), headerValue(csv, "period_end")]).to.deep.equal([
      "2026-08-31T16:00:00Z",
      "2026-09-30T16:00:00Z",
    ]);
    // Without settings on the report (made before them), days start at 00:00 UTC.
    expect(statementOf(evidence()).contract_days).to.deep.equal({ first: "2026-09-01", last: "2026-09-01" });
  });

  it("names the terminal the report binds, and says when a report made before that names the receipt's as it is now", () => {
    const receipt = { terminal_name: "Bayport Storage (not Port Ellery)" };
    const bound = statementOf({ ...evidence(), receipt, report: { ...report, terminal_name: "Port Ellery" } });
    expect([bound.terminal_name, bound.terminal_name_sealed]).to.deep.equal(["Port Ellery", true]);
    expect(headerValue(statementCsv(bound), "terminal_name")).to.equal("Port Ellery");
    expect(headerValue(statementCsv(bound), "terminal_name_sealed")).to.equal("yes");
    const older = statementOf({ ...evidence(), receipt });
    expect([older.terminal_name, older.terminal_name_sealed]).to.deep.equal(["Bayport Storage (not Port Ellery)", false]);
    expect(headerValue(statementCsv(older), "terminal_name_sealed")).to.equal(`no, ${TERMINAL_NAME_UNSEALED}`);
  });

  it("names the version that replaced a superseded report, and none for a current one", () => {
    const superseded = statementOf({ ...evidence(), report: { ...report, status: "superseded", superseded_by: "r1_v2" } });
    expect(headerValue(statementCsv(superseded), "superseded_by")).to.equal("r1_v2");
    expect(headerValue(statementCsv(statementOf(evidence())), "superseded_by")).to.equal("");
  });

  it("says why a corrected ticket replaces the receipt, who entered it and when; and that a receipt entered before says nothing", () => {
    const replaced = { terminal_receipt_id: "r0", reconciliation_id: "r0_v2" };
    const withWhy = statementOf({
      ...evidence(),
      report: {
        ...report,
        supersedes_receipt: { ...replaced, note: "meter re-proved", by: "coord-1", at: new Date("2026-09-02T06:05:00Z") },
      },
    });
    expect(headerValue(statementCsv(withWhy), "supersedes_receipt_reason")).to.equal(
      'entered by coord-1 on 2026-09-02 06:05 UTC: "meter re-proved"',
    );
    const before = statementOf({ ...evidence(), report: { ...report, supersedes_receipt: replaced } });
    expect(before.supersedes_receipt).to.deep.equal(replaced);
    expect(headerValue(statementCsv(before), "supersedes_receipt_reason")).to.equal("");
  });

  it("says a version is stale, with its count and first change, and names the receipt a corrected ticket replaces", () => {
    const stale = statementOf({
      ...evidence(),
      report: {
        ...report,
        stale: true,
        stale_since: new Date("2026-09-05T07:30:00Z"),
        stale_changes: 3,
        stale_entry_ids: ["e1"],
        supersedes_receipt: { terminal_receipt_id: "r0", reconciliation_id: "r0_v2" },
      },
    });
    expect(stale.stale).to.deep.equal({ since: new Date("2026-09-05T07:30:00Z"), changes: 3 });
    const csv = statementCsv(stale);
    expect(headerValue(csv, "stale")).to.equal(
      "Stale: 3 changes to entries of this period during or after its close (the first on 2026-09-05 07:30 UTC). Its figures no longer hold until the period is reconciled again.",
    );
    expect(headerValue(csv, "supersedes_receipt")).to.equal("receipt r0 (r0_v2)");
    const current = statementCsv(statementOf(evidence()));
    expect([headerValue(current, "stale"), headerValue(current, "supersedes_receipt")]).to.deep.equal(["no", ""]);
    // Once a later version replaced it, no re-run is awaited: the warning names the version that did.
    const replaced = statementOf({
      ...evidence(),
      report: { ...report, stale: true, stale_changes: 1, status: "superseded", superseded_by: "r1_v2" },
    });
    expect(headerValue(statementCsv(replaced), "stale")).to.equal(
      "Stale: 1 change to entries of this period during or after its close. Its figures no longer hold: it was superseded by r1_v2.",
    );
  });

  it("states the LUAF band and who released a shrinkage outside it; nothing for a report made before the band", () => {
    const acknowledged = statementOf({
      ...evidence(),
      report: {
        ...report,
        luaf: {
          tolerance_percent: 0.5,
          shrinkage_percent: 1.2,
          within_band: false,
          acknowledgement: { by: "c1", role: "jv_coordinator", note: "meter proved, loss accepted", at: new Date("2026-09-03T10:15:00Z") },
        },
      },
    });
    const csv = statementCsv(acknowledged);
    expect(headerValue(csv, "luaf_tolerance_percent")).to.equal("0.5");
    expect(headerValue(csv, "luaf")).to.match(
      /^Shrinkage -?[\d.]+ % is OUTSIDE the LUAF band of ±0\.5 %\. Released by c1 \(jv_coordinator\) on 2026-09-03 10:15 UTC: "meter proved, loss accepted"$/,
    );
    const before = statementCsv(statementOf(evidence()));
    expect([headerValue(before, "luaf_tolerance_percent"), headerValue(before, "luaf")]).to.deep.equal(["", ""]);
  });

  it("writes factors and percentages to 5 decimals: the terminal's meter factor and the LUAF line's shrinkage", () => {
    const s = statementOf({
      ...evidence(),
      report: {
        ...report,
        terminal: { api60: 33.1, ctl: 0.98756, cpl: 1, ctpl: 0.98756, csw: 0.996, meter_factor: 1, gsv_bbl: 100, nsv_bbl: 99.6 },
        totals: { ...report.totals, shrinkage_percent: 0.34 },
        luaf: { tolerance_percent: 0.5, shrinkage_percent: 0.34, within_band: true, acknowledgement: null },
      },
    });
    const csv = statementCsv(s);
    const measurement = (parse(csv.replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][]).filter(
      (r) => r[0] === "meter_factor",
    );
    expect(measurement.map((r) => r[1])).to.include("1.00000");
    expect(headerValue(csv, "luaf")).to.equal("Shrinkage 0.34000 % is within the LUAF band of ±0.5 %.");
  });
});

describe("a partner's bundle of a stale report", () => {
  it("keeps the count of changes and leaves out the changed entries' ids (other partners' entries)", () => {
    const full: ReportEvidence = {
      ...evidence(),
      report: {
        ...report,
        hash_scheme: REPORT_HASH_V2,
        leaf_key: "k".repeat(64),
        stale: true,
        stale_changes: 2,
        stale_entry_ids: ["a-entry", "c-entry"],
      },
    };
    const own = partnerEvidence(full, "a");
    expect(own.report.stale_entry_ids).to.equal(undefined);
    expect([own.report.stale, own.report.stale_changes]).to.deep.equal([true, 2]);
    expect(statementOf(own).stale).to.deep.equal({ since: null, changes: 2 });
  });
});

describe("a carried adjustment's origin and approval on the statement", () => {
  const adjustmentDoc = (extra: Record<string, unknown> = {}) => ({
    from_reconciliation_id: "old_v2",
    terminal_receipt_id: "old",
    period_start: new Date("2026-08-01T06:00:00Z"),
    period_end: new Date("2026-08-04T06:00:00Z"),
    partner_id: "b",
    delta_bbl: -2.25,
    status: "approved",
    decided_by: "coord-1",
    decided_at: new Date("2026-08-20T09:15:30Z"),
    note: "late meter ticket, restated",
    ...extra,
  });

  it("shows the period of origin, the approver, the time and the note, in the JV's and the partner's statement and CSV", () => {
    const docs = { adj1: adjustmentDoc() };
    // Days from 06:00 UTC: the origin's instants are the starts of 1 and 4 August.
    const settings = { contract_day_start_hour: 6, utc_offset_minutes: 0 };
    const jv = statementOf({ ...evidence(), report: { ...evidence().report, settings }, adjustments: docs });
    const own = statementOf({ ...evidence("b"), report: { ...evidence("b").report, settings } }, { b: "Partner B" }, docs);
    for (const s of [jv, own]) {
      expect(s.adjustments[0]!.origin).to.deep.equal({
        terminal_receipt_id: "old",
        period_start: new Date("2026-08-01T06:00:00Z"),
        period_end: new Date("2026-08-04T06:00:00Z"),
        contract_days: { first: "2026-08-01", last: "2026-08-03" },
        decided_by: "coord-1",
        decided_at: new Date("2026-08-20T09:15:30Z"),
        note: "late meter ticket, restated",
      });
      const row = csvSection(statementCsv(s), "adjustments")[0]!;
      expect([
        row.origin_receipt,
        row.origin_period_start,
        row.origin_period_end,
        row.origin_first_contract_day,
        row.origin_last_contract_day,
        row.approved_by,
        row.approved_at,
        row.approval_note,
      ]).to.deep.equal([
        "old",
        "2026-08-01T06:00:00Z",
        "2026-08-04T06:00:00Z",
        "2026-08-01",
        "2026-08-03",
        "coord-1",
        "2026-08-20T09:15:30.000Z",
        "late meter ticket, restated",
      ]);
    }
    expect(originPeriodText(jv.adjustments[0]!.origin!)).to.equal("contract days 2026-08-01 to 2026-08-03 (receipt old)");
    // An origin document without its period's instants cannot name contract days.
    const undated = statementOf({ ...evidence(), adjustments: { adj1: adjustmentDoc({ period_end: null }) } }).adjustments[0]!.origin!;
    expect(undated.contract_days).to.equal(null);
    expect(originPeriodText(undated)).to.equal("2026-08-01T06:00:00Z to ? (end exclusive; receipt old)");
    expect(approvalText(jv.adjustments[0]!.origin!)).to.equal('approved by coord-1 on 2026-08-20 09:15 UTC: "late meter ticket, restated"');
  });

  it("shows no origin from a document that is not the carried adjustment (another change, partner or origin, or not approved)", () => {
    for (const extra of [{ delta_bbl: -2.26 }, { partner_id: "a" }, { from_reconciliation_id: "old_v3" }, { status: "pending" }]) {
      const s = statementOf({ ...evidence(), adjustments: { adj1: adjustmentDoc(extra) } });
      expect(s.adjustments[0]!.origin, JSON.stringify(extra)).to.equal(undefined);
      const row = csvSection(statementCsv(s), "adjustments")[0]!;
      expect([row.origin_receipt, row.approved_by, row.approval_note]).to.deep.equal(["", "", ""]);
    }
    expect(statementOf(evidence()).adjustments[0]!.origin).to.equal(undefined);
  });
});

describe("why a version was made, on its statement", () => {
  const lateAt = new Date("2026-09-03T08:00:00Z");
  const fixAt = new Date("2026-09-04T10:30:00Z");
  const corrections = [
    { entry_id: "a-late", partner_id: "a", kind: "late entry", by: "coord-1", at: lateAt },
    { entry_id: "c-fix", partner_id: "c", kind: "correction", by: "coord-2", at: fixAt },
  ];
  const notes = {
    "a-late": { note: "ticket found in the gauger's book", corrected_at: lateAt },
    "c-fix": { note: "meter factor mistyped", corrected_at: fixAt },
  };
  const v2: ReportEvidence = {
    ...evidence(),
    report: { ...report, version: 2, supersedes: "r1_v1", hash_scheme: REPORT_HASH_V2, leaf_key: "k".repeat(64), corrections },
    correction_notes: notes,
  };

  it("lists every correction behind the version on the JV's statement and CSV: who, when, and the note the entry holds", () => {
    const s = statementOf(v2);
    expect(s.corrections.map((c) => correctionLine(c))).to.deep.equal([
      'late entry by coord-1 on 2026-09-03 08:00 UTC: "ticket found in the gauger\'s book"',
      'correction by coord-2 on 2026-09-04 10:30 UTC: "meter factor mistyped"',
    ]);
    expect(s.corrections_of_others).to.equal(0);
    const csv = statementCsv(s);
    expect(csvSection(csv, "corrections behind this version")).to.deep.equal([
      {
        entry_id: "a-late",
        partner_id: "a",
        kind: "late entry",
        by: "coord-1",
        at: "2026-09-03T08:00:00.000Z",
        note: "ticket found in the gauger's book",
      },
      {
        entry_id: "c-fix",
        partner_id: "c",
        kind: "correction",
        by: "coord-2",
        at: "2026-09-04T10:30:00.000Z",
        note: "meter factor mistyped",
      },
    ]);
    expect(csv).to.contain(`why_this_version,"Why this version: 2 entries of the period changed after r1_v1 read it, each with`);
  });

  it("does not show a note the entry no longer holds for that correction (corrected again since), and says so", () => {
    const s = statementOf({
      ...v2,
      correction_notes: { ...notes, "c-fix": { note: "a later correction", corrected_at: new Date("2026-09-20T00:00:00Z") } },
    });
    expect(correctionLine(s.corrections[1]!)).to.equal(
      "correction by coord-2 on 2026-09-04 10:30 UTC (its note is not on record here: see the entry and the audit log)",
    );
    expect(statementCsv(s)).to.not.contain("a later correction");
  });

  it("shows a partner its own corrections and only counts the others, sealed in its bundle, whatever notes it is given", () => {
    const own = partnerEvidence(v2, "a");
    expect(own.correction_notes).to.equal(undefined);
    expect((own.report.corrections as Array<Record<string, unknown>>).map((r) => r.entry_id ?? "sealed")).to.deep.equal([
      "a-late",
      "sealed",
    ]);
    const s = statementOf(own, {}, {}, notes);
    expect(s.corrections.map((c) => [c.entry_id, c.note])).to.deep.equal([["a-late", "ticket found in the gauger's book"]]);
    expect(s.corrections_of_others).to.equal(1);
    expect(correctionsIntro(s)).to.match(
      /2 entries of the period changed after r1_v1 read it.* 1 of them changed other partners' entries and is sealed in this statement\.$/,
    );
    expect(statementCsv(s)).to.not.contain("meter factor mistyped");
    expect(JSON.stringify(statementBundle(own))).to.not.contain("meter factor mistyped");
  });

  it("says a full list is the first STALE_ENTRY_IDS_LISTED its predecessor named, not necessarily all", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ ...corrections[0]!, entry_id: `e${String(i).padStart(2, "0")}` }));
    const s = statementOf({ ...v2, report: { ...v2.report, corrections: many } });
    expect(correctionsIntro(s)).to.contain(
      "50 entries of the period changed after r1_v1 read it (a version names at most 50: there may be more), each with",
    );
    expect(correctionsIntro({ ...s, corrections: s.corrections.slice(1) })).to.contain(
      "49 entries of the period changed after r1_v1 read it, each with",
    );
  });

  it("names the replaced receipt's version as the one read before, on a corrected ticket's first version", () => {
    const replacing = {
      ...v2.report,
      terminal_receipt_id: "r2",
      version: 1,
      supersedes: null,
      supersedes_receipt: { terminal_receipt_id: "r1", reconciliation_id: "r1_v3" },
    };
    expect(correctionsIntro(statementOf({ ...v2, report: replacing }))).to.contain("2 entries of the period changed after r1_v3 read it,");
  });

  it("says nothing of corrections on a version made without any", () => {
    const s = statementOf(evidence());
    expect([s.corrections, s.corrections_of_others, correctionsIntro(s)]).to.deep.equal([[], 0, undefined]);
    expect(csvSection(statementCsv(s), "corrections behind this version")).to.deep.equal([]);
  });
});

describe("fixedNumber: a statement's figure to fixed decimals", () => {
  it("writes finite figures to their decimals", () => {
    expect(fixedNumber(-0.34, 5)).to.equal("-0.34000");
    expect(fixedNumber(990, 2)).to.equal("990.00");
    expect(fixedNumber(1e21, 2)).to.equal("1000000000000000000000.00");
  });

  it("refuses NaN and the infinities, naming the value, rather than print NaN.00000", () => {
    expect(() => fixedNumber(Number.NaN, 5)).to.throw(RangeError, "a statement figure must be a finite number, got NaN (to 5 decimals)");
    expect(() => fixedNumber(Number.POSITIVE_INFINITY, 2)).to.throw(RangeError, "got Infinity (to 2 decimals)");
    expect(() => fixedNumber(Number.NEGATIVE_INFINITY, 0)).to.throw(RangeError, "got -Infinity (to 0 decimals)");
    const luaf = { tolerance_percent: 2, within_band: true, acknowledgement: null };
    expect(luafText(luaf, -0.34)).to.equal("Shrinkage -0.34000 % (gain) is within the LUAF band of ±2 %.");
    expect(() => luafText(luaf, Number.NaN)).to.throw(RangeError, "got NaN");
  });
});

describe("shareTotalPercent: the total of the shares a statement prints", () => {
  it("sums the shares as printed, to 5 decimals, free of binary noise", () => {
    expect(0.1 + 0.2).to.not.equal(0.3);
    expect(shareTotalPercent([{ share_percent: 0.1 }, { share_percent: 0.2 }])).to.equal(0.3);
    expect(shareTotalPercent([33.33333, 33.33333, 33.33333].map((share_percent) => ({ share_percent })))).to.equal(99.99999);
    expect(shareTotalPercent([{ share_percent: 59.68123 }, { share_percent: 40.31877 }])).to.equal(100);
    expect(shareTotalPercent([])).to.equal(0);
  });
});
