import { expect } from "chai";
import {
  contentDigest,
  luafStatus,
  netPositions,
  NO_PRODUCTION_REASON,
  reportContent,
  statementLines,
} from "../../src/domain/period-close";
import { type ReportAllocation } from "../../src/domain/reconciliation-report";

const line = (partner_id: string, allocated_bbl: number): ReportAllocation => ({
  partner_id,
  partner_name: partner_id.toUpperCase(),
  entries: 1,
  gross_bbl: 10,
  nsv_bbl: 9.95,
  share_percent: 50,
  allocated_bbl,
  shrinkage_bbl: 0,
});

const OCTOBER = { first: "2026-10-01", last: "2026-10-31" };

describe("period close: statement lines, LUAF, net positions, content digest", () => {
  it("adds a zero line with the reason for every active partner without production, none for inactive ones", () => {
    const lines = statementLines(
      [line("b", 5)],
      [
        { partner_id: "a", name: "Alpha", active: true },
        { partner_id: "b", name: "Bravo", active: false },
        { partner_id: "c", name: "Charlie", active: false },
      ],
      OCTOBER,
    );
    expect(lines.map((l) => [l.partner_id, l.entries, l.allocated_bbl, l.partner_active, l.reason ?? null])).to.deep.equal([
      ["a", 0, 0, true, NO_PRODUCTION_REASON],
      ["b", 1, 5, false, null],
    ]);
  });

  it("gives no zero line to a partner that joined the JV after the period's last day, and one to a partner that joined by then", () => {
    const partners = [
      { partner_id: "a", name: "Alpha", active: true },
      { partner_id: "d", name: "Delta", active: true, joined_jv_on: "2026-11-01" },
      { partner_id: "e", name: "Echo", active: true, joined_jv_on: "2026-10-31" },
    ];
    const october = statementLines([line("a", 5)], partners, OCTOBER);
    expect(october.map((l) => [l.partner_id, l.reason ?? null])).to.deep.equal([
      ["a", null],
      ["e", NO_PRODUCTION_REASON],
    ]);
    const november = statementLines([line("a", 5)], partners, { first: "2026-11-01", last: "2026-11-30" });
    expect(november.map((l) => l.partner_id)).to.deep.equal(["a", "d", "e"]);
  });

  it("keeps the zero line of a partner that left the JV after the period's first day, saying when; none for one that left on it or before", () => {
    const partners = [
      { partner_id: "a", name: "Alpha", active: true },
      { partner_id: "f", name: "Foxtrot", active: false, left_jv_on: "2026-10-02" },
      { partner_id: "g", name: "Golf", active: false, left_jv_on: "2026-10-01" },
      { partner_id: "h", name: "Hotel", active: false, left_jv_on: "2026-11-15", joined_jv_on: "2026-11-01" },
    ];
    const october = statementLines([line("a", 5)], partners, OCTOBER);
    expect(october.map((l) => [l.partner_id, l.partner_active, l.reason ?? null, l.left_jv_on ?? null])).to.deep.equal([
      ["a", true, null, null],
      ["f", false, NO_PRODUCTION_REASON, "2026-10-02"],
    ]);
    expect(october[1]).to.deep.include({ entries: 0, allocated_bbl: 0, shrinkage_bbl: 0 });
    // A line with entries says the same: Foxtrot produced on the first day and left on the second.
    const produced = statementLines([line("a", 5), line("f", 3)], partners, OCTOBER);
    expect(produced.map((l) => [l.partner_id, l.partner_active, l.entries, l.left_jv_on ?? null])).to.deep.equal([
      ["a", true, 1, null],
      ["f", false, 1, "2026-10-02"],
    ]);
    const november = statementLines([], partners, { first: "2026-11-01", last: "2026-11-30" });
    expect(november.map((l) => [l.partner_id, l.left_jv_on ?? null])).to.deep.equal([
      ["a", null],
      ["h", "2026-11-15"],
    ]);
  });

  it("puts a loss or a gain outside the band, inclusive at the edge", () => {
    expect(luafStatus(2, 2).within_band).to.equal(true);
    expect(luafStatus(-2.00001, 2).within_band).to.equal(false);
    expect(luafStatus(-900, 2)).to.deep.equal({ tolerance_percent: 2, shrinkage_percent: -900, within_band: false });
  });

  it("sums allocation and carried adjustments exactly per partner", () => {
    const carried = [
      { id: "x", partner_id: "a", delta_bbl: 0.1, from_reconciliation_id: "r_v2" },
      { id: "y", partner_id: "a", delta_bbl: 0.2, from_reconciliation_id: "s_v2" },
      { id: "z", partner_id: "c", delta_bbl: -3.3, from_reconciliation_id: "s_v2" },
    ];
    expect(netPositions([line("a", 100.7), line("b", 5)], carried)).to.deep.equal([
      { partner_id: "a", allocated_bbl: 100.7, adjustments_bbl: 0.3, net_bbl: 101 },
      { partner_id: "b", allocated_bbl: 5, adjustments_bbl: 0, net_bbl: 5 },
      { partner_id: "c", allocated_bbl: 0, adjustments_bbl: -3.3, net_bbl: -3.3 },
    ]);
  });

  it("digests what the report shows, not its bookkeeping or the acknowledgement's author", () => {
    const base = {
      terminal_receipt_id: "r",
      allocations: [line("a", 1)],
      luaf: { within_band: false, acknowledgement: { by: "u1", note: "x" } },
      version: 1,
      created_at: new Date(0),
    };
    const same = { ...base, version: 2, created_at: new Date(5), luaf: { within_band: false, acknowledgement: { by: "u2", note: "y" } } };
    expect(contentDigest(reportContent(same))).to.equal(contentDigest(reportContent(base)));
    const renamed = { ...base, allocations: [{ ...line("a", 1), partner_name: "Renamed" }] };
    expect(contentDigest(reportContent(renamed))).to.not.equal(contentDigest(reportContent(base)));
    expect(reportContent({ period_start: new Date("2026-09-01T05:00:00Z") }).period_start).to.equal("2026-09-01T05:00:00.000Z");
  });
});
