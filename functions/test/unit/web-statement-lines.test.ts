/**
 * The web app's statement screen adds the same zero line as the exported statement for a
 * partner with a carried adjustment and no report line, from its own copy of the rule
 * (web/src/domain/statement-lines.ts: the browser bundle must not pull in the functions' sources).
 */
import { expect } from "chai";
import { leftJvText, NO_LINE_REASON, statementOf } from "../../src/domain/statement";
import {
  excludedListing,
  leftJvText as webLeftJvText,
  methodInWords,
  NO_LINE_REASON as WEB_NO_LINE_REASON,
  partnersWithoutLine,
  statementRows,
  trendPoints,
  asPartnerSees,
  partnerSeesOne,
} from "../../../web/src/domain/statement-lines";
import { type Reconciliation } from "../../../web/src/data/types";
import { MAX_EXCLUDED_LISTED } from "../../src/domain/reconciliation-report";
import { ALLOCATION_METHOD } from "../../src/domain/allocation";

const line = (partner_id: string, allocated: number) => ({
  partner_id,
  partner_name: `Partner ${partner_id.toUpperCase()}`,
  entries: allocated === 0 ? 0 : 1,
  gross_bbl: allocated,
  nsv_bbl: allocated,
  share_percent: allocated === 0 ? 0 : 100,
  allocated_bbl: allocated,
  shrinkage_bbl: 0,
  partner_active: true,
  ...(allocated === 0 ? { reason: "no used production entries in the period" } : {}),
});
const report = {
  allocations: [line("a", 990), line("c", 0)],
  prior_period_adjustments: [{ id: "adj1", partner_id: "b", delta_bbl: -2.25, from_reconciliation_id: "old_v2" }],
  net_positions: [
    { partner_id: "a", allocated_bbl: 990, adjustments_bbl: 0, net_bbl: 990 },
    { partner_id: "b", allocated_bbl: 0, adjustments_bbl: -2.25, net_bbl: -2.25 },
    { partner_id: "c", allocated_bbl: 0, adjustments_bbl: 0, net_bbl: 0 },
  ],
} satisfies Pick<Reconciliation, "allocations" | "prior_period_adjustments" | "net_positions">;

describe("the web app's statement lines", () => {
  it("say the allocation rule the functions record in words, and one not known as recorded", () => {
    expect(methodInWords(ALLOCATION_METHOD)).to.equal("pro rata to each partner's NSV, rounded to 0.01 bbl by largest remainder");
    expect(methodInWords("pro-rata-gsv")).to.equal("pro-rata-gsv");
    expect(methodInWords(undefined)).to.equal("—");
  });

  it("give the reason the exported statement gives", () => {
    expect(WEB_NO_LINE_REASON).to.equal(NO_LINE_REASON);
  });

  it("show the same lines as the exported statement, for the JV and for each partner", () => {
    const names = { b: "Partner B" };
    expect(partnersWithoutLine(report)).to.deep.equal(["b"]);
    const exported = statementOf({ reconciliation_id: "r_v1", report, rows: [], receipt: undefined, audit_events: [] }, names);
    expect(statementRows(report, undefined, names)).to.deep.equal(exported.allocations);
    expect(statementRows(report, "b", names)).to.deep.equal(exported.allocations.filter((a) => a.partner_id === "b"));
    expect(statementRows(report, "b")[0]).to.include({ partner_name: "b", allocated_bbl: 0, reason: NO_LINE_REASON });
    expect(statementRows(report, "a").map((a) => a.partner_id)).to.deep.equal(["a"]);
    expect(statementRows(report, "nobody")).to.deep.equal([]);
    expect(statementRows({ allocations: [line("a", 990)] }).map((a) => a.partner_id)).to.deep.equal(["a"]);
  });

  it("show the zero line of a partner the new version dropped (a change from the superseded version, no line), as the export does", () => {
    const change = {
      partner_id: "d",
      allocated_bbl_before: 100,
      allocated_bbl_after: 0,
      delta_bbl: -100,
      nsv_bbl_before: 100,
      nsv_bbl_after: 0,
    };
    const v2 = { ...report, changes_from_previous: { partners: [change], totals_delta: {} } };
    expect(partnersWithoutLine(v2)).to.deep.equal(["b", "d"]);
    const exported = statementOf({ reconciliation_id: "r_v2", report: v2, rows: [], receipt: undefined, audit_events: [] });
    expect(statementRows(v2)).to.deep.equal(exported.allocations);
  });

  it("say on the zero line of a partner that left the JV during the period when it left, as the export does", () => {
    const left = { ...report, allocations: [line("a", 990), { ...line("c", 0), partner_active: false, left_jv_on: "2026-09-02" }] };
    const exported = statementOf({ reconciliation_id: "r_v1", report: left, rows: [], receipt: undefined, audit_events: [] });
    expect(statementRows(left)).to.deep.equal(exported.allocations);
    expect(statementRows(left, "c")[0]).to.include({ reason: "no used production entries in the period; it left the JV on 2026-09-02" });
    expect(statementRows(left, "c")[0]).to.include({ left_jv_on: "2026-09-02" });
  });

  it("keep the day on the line with entries of a partner that left the JV, and say it in the export's words", () => {
    const left = { ...report, allocations: [{ ...line("a", 990), partner_active: false, left_jv_on: "2026-09-02" }] };
    const exported = statementOf({ reconciliation_id: "r_v1", report: left, rows: [], receipt: undefined, audit_events: [] });
    expect(statementRows(left)).to.deep.equal(exported.allocations);
    expect(statementRows(left, "a")[0]).to.include({ left_jv_on: "2026-09-02" }).and.not.have.property("reason");
    for (const last of ["2026-09-01", "2026-09-02", "2026-09-30"])
      expect(webLeftJvText("2026-09-02", last)).to.equal(leftJvText("2026-09-02", last));
  });
});

describe("the partner's allocation trend", () => {
  // Contract days from 00:00 at UTC+01:00: each day starts at 23:00 UTC the evening before.
  const settings = { contract_day_start_hour: 0, utc_offset_minutes: 60 };
  const period = (start: string, end: string, allocated: number, status = "completed") => ({
    data: { status, allocations: [line("a", allocated)], period_start: new Date(start), period_end: new Date(end) },
  });

  it("labels each period by the contract day it starts on, not its UTC date, oldest first, per day", () => {
    const points = trendPoints(
      [
        period("2026-11-30T23:00:00Z", "2026-12-31T23:00:00Z", 3100),
        period("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z", 3000),
        period("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z", 2990, "superseded"),
      ] as unknown as Parameters<typeof trendPoints>[0],
      "a",
      settings,
    );
    expect(points.map((p) => p.label)).to.deep.equal(["2026-11-01", "2026-12-01"]);
    expect(points.map((p) => p.perDay)).to.deep.equal([100, 100]);
    expect(points.map((p) => p.total)).to.deep.equal([3000, 3100]);
  });
});

describe("the versions a partner holds as current", () => {
  type V = { id: string; data: Record<string, unknown> };
  /** A version of receipt `id` without its `_v{n}`, as the partner reads it. */
  const v = (id: string, status: string, superseded_by?: string, supersedes_receipt?: string): V => ({
    id,
    data: {
      status,
      terminal_receipt_id: id.replace(/_v\d+$/, ""),
      version: Number(id.slice(id.lastIndexOf("_v") + 2)),
      ...(superseded_by ? { superseded_by } : {}),
      ...(supersedes_receipt ? { supersedes_receipt: { terminal_receipt_id: supersedes_receipt, reconciliation_id: null } } : {}),
    },
  });

  it("keeps a superseded version whose successor the partner cannot read (not released) as its statement of the period", () => {
    const v = (id: string, status: string, superseded_by?: string) => ({
      id,
      data: { status, ...(superseded_by ? { superseded_by } : {}) },
    });
    const seen = asPartnerSees([v("r1_v1", "superseded", "r1_v2"), v("r2_v2", "completed"), v("r2_v1", "superseded", "r2_v2")] as never);
    expect(seen.map((d: { id: string; data: { status: string } }) => [d.id, d.data.status])).to.deep.equal([
      ["r1_v1", "completed"],
      ["r2_v2", "completed"],
      ["r2_v1", "superseded"],
    ]);
  });

  it("keeps a superseded version as no longer current once a later released version follows it, whatever it cannot read between", () => {
    const status = (list: V[]) => (asPartnerSees(list as never) as V[]).map((d) => [d.id, d.data.status]);
    // r_v2 waits; r_v3 replaced it and is released: r_v1 is not current.
    expect(status([v("r_v1", "superseded", "r_v2"), v("r_v3", "completed")])).to.deep.equal([
      ["r_v1", "superseded"],
      ["r_v3", "completed"],
    ]);
    // Receipt b replaced receipt a (b_v1 waits, b_v2 released): a_v1 is not current.
    expect(status([v("a_v1", "superseded", "b_v1"), v("b_v2", "completed")])).to.deep.equal([
      ["a_v1", "superseded"],
      ["b_v2", "completed"],
    ]);
    // Receipt c, released, replaced receipt a directly: neither is a_v1.
    expect(status([v("a_v1", "superseded", "a_v2"), v("c_v1", "completed", undefined, "a")])[0]).to.deep.equal(["a_v1", "superseded"]);
    // Only an unreleased successor: a_v1 stands.
    expect(status([v("a_v1", "superseded", "a_v2"), v("z_v1", "completed")])[0]).to.deep.equal(["a_v1", "completed"]);
  });

  it("shows one statement whose successor it cannot read as standing, or superseded by the newest released version of the receipt that replaced it", () => {
    const seen = (report: V, released: V[]) => {
      const one = partnerSeesOne(report.id, report.data as never, [report, ...released] as never) as Record<string, unknown>;
      return [one.status, one.superseded_by];
    };
    // r1_v1 released; receipt r2 replaced it, r2_v1 went stale unreleased and r2_v2 was released.
    const r1 = v("r1_v1", "superseded", "r2_v1");
    expect(seen(r1, [v("r1_v2", "completed"), v("r2_v2", "completed")])).to.deep.equal(["superseded", "r2_v2"]);
    // Without r2's released versions (the page read only r1's), it would stand: the bug this reads them for.
    expect(seen(r1, [])).to.deep.equal(["completed", undefined]);
    // Its own receipt's newer version released: superseded by that one.
    expect(seen(v("a_v1", "superseded", "a_v2"), [v("a_v3", "completed")])).to.deep.equal(["superseded", "a_v3"]);
  });
});

describe("a statement's excluded entries", () => {
  const excludedOf = (partner: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ entry_id: `${partner}-${i}`, partner_id: partner, reason: "rejected by the auditor" }));
  const totals = (excluded: number) => ({ entries_excluded: excluded }) as Reconciliation["totals"];

  it("count what the report lists when it lists every exclusion", () => {
    const report = { excluded: [...excludedOf("a", 2), ...excludedOf("b", 1)], totals: totals(3) };
    expect(excludedListing(report)).to.deep.equal({ rows: report.excluded, title: "Excluded entries (3)" });
    expect(excludedListing(report, "b")).to.deep.equal({ rows: excludedOf("b", 1), title: "Our excluded entries (1)" });
  });

  it("never give a partner a count from the report's cut list, which may leave its own out", () => {
    // 25 exclusions: the report keeps the first 20 (all of partner a's), partner b's 5 are cut.
    const report = { excluded: excludedOf("a", MAX_EXCLUDED_LISTED), totals: totals(MAX_EXCLUDED_LISTED + 5) };
    const partner = excludedListing(report, "b");
    expect(partner.rows).to.deep.equal([]);
    expect(partner.title).to.equal("Our excluded entries");
    expect(partner.partial).to.equal(
      "The report lists the first 20 of the JV's 25 excluded entries: any more of yours are not among them.",
    );
    const jv = excludedListing(report);
    expect(jv.title).to.equal("Excluded entries (25)");
    expect(jv.partial).to.match(/^The report lists the first 20 of the JV's 25 excluded entries; the full list/);
  });
});
