import { expect } from "chai";
import fc from "fast-check";
import { bblToCb, cbToBbl, formatBbl, MAX_BBL_CB, percentOfCb, roundBblToCb, sumCb } from "../../src/domain/cent-barrels";
import {
  adjustmentOriginFault,
  missingAdjustments,
  missingAdjustmentsText,
  adjustmentsRaisedBy,
  raisedUnrecorded,
  buildReconciliationReport,
  changesFromPrevious,
  MAX_EXCLUDED_LISTED,
  PartnerAggregator,
  type AggregatedEntry,
  type ReconciliationInput,
} from "../../src/domain/reconciliation-report";

describe("cent-barrels", () => {
  it("converts 0.01 bbl values to exact integers and back", () => {
    expect(bblToCb(9771.9)).to.equal(977190);
    expect(bblToCb(0.01)).to.equal(1);
    expect(bblToCb(-12.34)).to.equal(-1234);
    expect(Object.is(bblToCb(-0), 0)).to.equal(true);
    expect(bblToCb(1.15)).to.equal(115); // 1.15 × 100 = 114.99999999999999 in doubles
    expect(cbToBbl(977190)).to.equal(9771.9);
    expect(cbToBbl(-5)).to.equal(-0.05);
  });

  it("refuses values that are not whole cent-barrels", () => {
    expect(() => bblToCb(0.1 + 0.2)).to.throw(RangeError, /not rounded to 0.01/);
    expect(() => bblToCb(12.345)).to.throw(RangeError, /not rounded to 0.01/);
    expect(() => bblToCb(Number.NaN)).to.throw(RangeError, /finite/);
    expect(() => bblToCb(Number.POSITIVE_INFINITY)).to.throw(RangeError, /finite/);
    expect(() => bblToCb(1e14)).to.throw(RangeError, /too large/);
    expect(() => cbToBbl(1.5)).to.throw(RangeError);
    // beyond 2^46 bbl neighbouring cents share a double: 7696495411117960 cb would come back as …59
    expect(() => cbToBbl(7_696_495_411_117_960)).to.throw(RangeError, /too large/);
    expect(bblToCb(cbToBbl(MAX_BBL_CB))).to.equal(MAX_BBL_CB);
  });

  it("round-trips every safe cent-barrel count (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_BBL_CB, max: MAX_BBL_CB }), (cb) => {
        expect(bblToCb(cbToBbl(cb))).to.equal(cb === 0 ? 0 : cb);
        expect(bblToCb(Number(formatBbl(cb)))).to.equal(cb === 0 ? 0 : cb);
      }),
      { numRuns: 2000 },
    );
  });

  it("rounds observed values to the nearest cent-barrel, ties to even", () => {
    expect(roundBblToCb(2134.567)).to.equal(213457);
    expect(roundBblToCb(1.005)).to.equal(100); // the tie 1.005 → 1.00 (even)
    expect(roundBblToCb(1.015)).to.equal(102); // the tie 1.015 → 1.02 (even)
    expect(roundBblToCb(-1.005)).to.equal(-100);
    expect(roundBblToCb(7.5)).to.equal(750);
    expect(() => roundBblToCb(Number.NaN)).to.throw(RangeError);
  });

  it("formats with exactly two decimals", () => {
    expect(formatBbl(977190)).to.equal("9771.90");
    expect(formatBbl(100)).to.equal("1.00");
    expect(formatBbl(0)).to.equal("0.00");
    expect(formatBbl(-5)).to.equal("-0.05");
    expect(formatBbl(-123456)).to.equal("-1234.56");
  });

  it("sums exactly and refuses to leave the safe range", () => {
    // as doubles, 0.1 + 0.2 + 0.3 bbl is 0.6000000000000001
    expect(sumCb([10, 20, 30])).to.equal(60);
    expect(() => sumCb([Number.MAX_SAFE_INTEGER, 1])).to.throw(RangeError);
    expect(() => sumCb([1, 0.5])).to.throw(RangeError);
  });

  it("computes a percent exactly, rounded half to even to 5 decimals", () => {
    expect(percentOfCb(1, 3)).to.equal(33.33333);
    expect(percentOfCb(-1, 3)).to.equal(-33.33333);
    expect(percentOfCb(5, 20_000_000)).to.equal(0.00002); // 0.000025 → 0.00002 (even)
    expect(() => percentOfCb(1, 0)).to.throw(RangeError);
  });
});

const NAMES: Record<string, string> = { A: "Alpha Oil", B: "Beta Energy", C: "Gamma Resources" };
const nameOf = (id: string): string => NAMES[id] ?? id;

const TERMINAL = { gross_volume_bbl: 10000, api60: 30, ctl: 0.9821, cpl: 1, csw: 0.995, nsv_bbl: 9771.9 };

const ENTRIES: AggregatedEntry[] = [
  { partner_id: "C", gross_bbl: 1340, nsv_bbl: 1333.33 },
  { partner_id: "A", gross_bbl: 2010, nsv_bbl: 2000 },
  { partner_id: "B", gross_bbl: 3230.1, nsv_bbl: 3210.98 },
  { partner_id: "A", gross_bbl: 2134.567, nsv_bbl: 2123.45 },
  { partner_id: "C", gross_bbl: 1340, nsv_bbl: 1333.33 },
];

const EXCLUDED = [
  { entry_id: "x1", partner_id: "B", reason: "rejected" },
  { entry_id: "x2", partner_id: "C", reason: "flagged without review" },
];

function inputFrom(entries: AggregatedEntry[], terminal = TERMINAL): ReconciliationInput {
  const aggregator = new PartnerAggregator();
  for (const entry of entries) aggregator.add(entry);
  return {
    terminal,
    partners: aggregator.aggregates(nameOf),
    entries_used: aggregator.entryCount,
    entries_excluded: EXCLUDED.length,
    excluded: EXCLUDED,
  };
}

describe("PartnerAggregator", () => {
  it("sums each partner's entries in exact cent-barrels, sorted by partner_id", () => {
    const aggregator = new PartnerAggregator();
    for (const entry of ENTRIES) aggregator.add(entry);
    expect(aggregator.entryCount).to.equal(5);
    expect(aggregator.aggregates(nameOf)).to.deep.equal([
      // gross 2134.567 is observed, so rounded: 201000 + 213457
      { partner_id: "A", partner_name: "Alpha Oil", entries: 2, gross_cb: 414457, nsv_cb: 412345 },
      { partner_id: "B", partner_name: "Beta Energy", entries: 1, gross_cb: 323010, nsv_cb: 321098 },
      { partner_id: "C", partner_name: "Gamma Resources", entries: 2, gross_cb: 268000, nsv_cb: 266666 },
    ]);
  });

  it("keeps its totals as they were when an entry would overflow exact cent-barrels", () => {
    const aggregator = new PartnerAggregator();
    const huge = { partner_id: "A", gross_bbl: 9_999_999_999_999.99, nsv_bbl: 9_999_999_999_999.99 };
    let added = 0;
    expect(() => {
      for (;;) {
        aggregator.add(huge);
        added += 1;
      }
    }).to.throw(RangeError);
    expect(aggregator.entryCount).to.equal(added);
    expect(aggregator.aggregates(nameOf)[0]).to.include({ entries: added, gross_cb: added * 999_999_999_999_999 });
  });

  it("stays exact over 100,000 entries where a float sum drifts", () => {
    const aggregator = new PartnerAggregator();
    let floatSum = 0;
    for (let i = 0; i < 100_000; i += 1) {
      aggregator.add({ partner_id: `P${i % 3}`, gross_bbl: 1000.1, nsv_bbl: 999.99 });
      floatSum += 999.99;
    }
    const aggregates = aggregator.aggregates((id) => id);
    expect(aggregates.map((a) => a.entries)).to.deep.equal([33_334, 33_333, 33_333]);
    expect(aggregates.map((a) => a.nsv_cb)).to.deep.equal([33_334 * 99_999, 33_333 * 99_999, 33_333 * 99_999]);
    expect(sumCb(aggregates.map((a) => a.nsv_cb))).to.equal(9_999_900_000); // 99,999,000.00 bbl
    expect(floatSum).to.not.equal(99_999_000); // why the sums are integers
  });

  it("refuses an NSV that is not a 0.01 bbl figure, a negative volume or no partner", () => {
    const aggregator = new PartnerAggregator();
    expect(() => aggregator.add({ partner_id: "A", gross_bbl: 10, nsv_bbl: 9.955 })).to.throw(RangeError, /0.01 bbl/);
    expect(() => aggregator.add({ partner_id: "A", gross_bbl: 10, nsv_bbl: Number.NaN })).to.throw(RangeError);
    expect(() => aggregator.add({ partner_id: "A", gross_bbl: -10, nsv_bbl: 9.95 })).to.throw(RangeError, /negative/);
    expect(() => aggregator.add({ partner_id: "", gross_bbl: 10, nsv_bbl: 9.95 })).to.throw(TypeError);
    expect(aggregator.entryCount).to.equal(0);
  });
});

describe("buildReconciliationReport", () => {
  it("builds terminal, totals, allocations and excluded as the contract names them", () => {
    const report = buildReconciliationReport(inputFrom(ENTRIES));
    expect(report).to.deep.equal({
      terminal: TERMINAL,
      totals: {
        entries_used: 5,
        entries_excluded: 2,
        field_gross_bbl: 10054.67,
        field_nsv_bbl: 10001.09,
        terminal_nsv_bbl: 9771.9,
        shrinkage_bbl: 229.19, // 10,001.09 − 9,771.90
        shrinkage_percent: 2.29165, // 22919 / 1000109 = 2.2916502…%
      },
      // allocations: see the hand-checked example in allocation.test.ts
      allocations: [
        {
          partner_id: "A",
          partner_name: "Alpha Oil",
          entries: 2,
          gross_bbl: 4144.57,
          nsv_bbl: 4123.45,
          share_percent: 41.23001,
          allocated_bbl: 4028.95,
          shrinkage_bbl: 94.5,
        },
        {
          partner_id: "B",
          partner_name: "Beta Energy",
          entries: 1,
          gross_bbl: 3230.1,
          nsv_bbl: 3210.98,
          share_percent: 32.1063,
          allocated_bbl: 3137.4,
          shrinkage_bbl: 73.58,
        },
        {
          partner_id: "C",
          partner_name: "Gamma Resources",
          entries: 2,
          gross_bbl: 2680,
          nsv_bbl: 2666.66,
          share_percent: 26.66369,
          allocated_bbl: 2605.55,
          shrinkage_bbl: 61.11,
        },
      ],
      excluded: EXCLUDED,
    });
  });

  it("sums allocations to the terminal and partner shrinkages to the total, in cent-barrels", () => {
    const { totals, allocations } = buildReconciliationReport(inputFrom(ENTRIES));
    expect(sumCb(allocations.map((a) => bblToCb(a.allocated_bbl)))).to.equal(bblToCb(totals.terminal_nsv_bbl));
    expect(sumCb(allocations.map((a) => bblToCb(a.shrinkage_bbl)))).to.equal(bblToCb(totals.shrinkage_bbl));
    expect(sumCb(allocations.map((a) => bblToCb(a.nsv_bbl)))).to.equal(bblToCb(totals.field_nsv_bbl));
  });

  it("sorts allocations by partner_id in code unit order whatever the input order", () => {
    const input = inputFrom(ENTRIES);
    const reversed = { ...input, partners: [...input.partners].reverse() };
    expect(buildReconciliationReport(reversed)).to.deep.equal(buildReconciliationReport(input));
    const ids = buildReconciliationReport({
      ...input,
      partners: [
        { partner_id: "b", partner_name: "b", entries: 1, gross_cb: 100, nsv_cb: 100 },
        { partner_id: "B", partner_name: "B", entries: 1, gross_cb: 100, nsv_cb: 100 },
        { partner_id: "a", partner_name: "a", entries: 3, gross_cb: 100, nsv_cb: 100 },
      ],
    }).allocations.map((a) => a.partner_id);
    expect(ids).to.deep.equal(["B", "a", "b"]);
  });

  it("reports a gain as negative shrinkage", () => {
    const report = buildReconciliationReport(inputFrom(ENTRIES, { ...TERMINAL, nsv_bbl: 10101.1 }));
    expect(report.totals.shrinkage_bbl).to.equal(-100.01); // 10,001.09 − 10,101.10
    expect(report.totals.shrinkage_percent).to.equal(-0.99999); // −10001 / 1000109 × 100 = −0.9999910…%
    expect(report.allocations.every((a) => a.shrinkage_bbl < 0)).to.equal(true);
  });

  it("handles a period with no partners and no terminal volume", () => {
    const report = buildReconciliationReport({
      terminal: { ...TERMINAL, gross_volume_bbl: 0, nsv_bbl: 0 },
      partners: [],
      entries_used: 0,
      entries_excluded: 0,
      excluded: [],
    });
    expect(report.allocations).to.deep.equal([]);
    expect(report.totals).to.deep.equal({
      entries_used: 0,
      entries_excluded: 0,
      field_gross_bbl: 0,
      field_nsv_bbl: 0,
      terminal_nsv_bbl: 0,
      shrinkage_bbl: 0,
      shrinkage_percent: 0,
    });
  });

  it("refuses a terminal volume with nothing to prorate on", () => {
    expect(() =>
      buildReconciliationReport({ terminal: TERMINAL, partners: [], entries_used: 0, entries_excluded: 0, excluded: [] }),
    ).to.throw(RangeError, /nothing to prorate on/);
  });

  it("lists at most MAX_EXCLUDED_LISTED exclusions and keeps the full count", () => {
    const many = Array.from({ length: MAX_EXCLUDED_LISTED + 5 }, (_, i) => ({ entry_id: `x${i}`, partner_id: "A", reason: "rejected" }));
    const report = buildReconciliationReport({ ...inputFrom(ENTRIES), entries_excluded: many.length, excluded: many });
    expect(report.excluded).to.have.length(MAX_EXCLUDED_LISTED);
    expect(report.excluded[0]).to.deep.equal({ entry_id: "x0", partner_id: "A", reason: "rejected" });
    expect(report.totals.entries_excluded).to.equal(MAX_EXCLUDED_LISTED + 5);
  });

  it("refuses inputs that disagree with each other", () => {
    const input = inputFrom(ENTRIES);
    expect(() => buildReconciliationReport({ ...input, entries_used: 4 })).to.throw(RangeError, /entries_used/);
    expect(() => buildReconciliationReport({ ...input, entries_excluded: 1 })).to.throw(RangeError, /excluded/);
    expect(() => buildReconciliationReport({ ...input, terminal: { ...TERMINAL, nsv_bbl: 9771.905 } })).to.throw(RangeError, /0.01 bbl/);
    expect(() => buildReconciliationReport({ ...input, terminal: { ...TERMINAL, nsv_bbl: -1 } })).to.throw(RangeError, /negative/);
    expect(() => buildReconciliationReport({ ...input, terminal: { ...TERMINAL, ctl: Number.NaN } })).to.throw(RangeError, /ctl/);
    expect(() => buildReconciliationReport({ ...input, partners: [...input.partners, input.partners[0]!], entries_used: 7 })).to.throw(
      RangeError,
      /twice/,
    );
  });

  it("keeps only the contract's terminal fields", () => {
    const report = buildReconciliationReport(inputFrom(ENTRIES, { ...TERMINAL, extra: "x" } as typeof TERMINAL));
    expect(report.terminal).to.deep.equal(TERMINAL);
  });
});

describe("changesFromPrevious", () => {
  it("describes a prior-period adjustment: a corrected entry moves every allocation", () => {
    const previous = buildReconciliationReport(inputFrom(ENTRIES));
    // one of C's entries corrected from 1,333.33 to 1,433.33 bbl NSV (gross 1,340 → 1,440)
    const corrected = ENTRIES.map((e, i) => (i === 4 ? { partner_id: "C", gross_bbl: 1440, nsv_bbl: 1433.33 } : e));
    const next = buildReconciliationReport(inputFrom(corrected));
    // field 1010109 cb; 977190 × n / 1010109: A 398906 rest 869796, B 310633 rest 565623,
    // C 267649 rest 584799; 2 cb left → A, then C: 398907 + 310633 + 267650 = 977190
    expect(next.allocations.map((a) => a.allocated_bbl)).to.deep.equal([3989.07, 3106.33, 2676.5]);

    const changes = changesFromPrevious(previous.allocations, next.allocations, previous.totals, next.totals);
    expect(changes.partners).to.deep.equal([
      {
        partner_id: "A",
        allocated_bbl_before: 4028.95,
        allocated_bbl_after: 3989.07,
        delta_bbl: -39.88,
        nsv_bbl_before: 4123.45,
        nsv_bbl_after: 4123.45,
      },
      {
        partner_id: "B",
        allocated_bbl_before: 3137.4,
        allocated_bbl_after: 3106.33,
        delta_bbl: -31.07,
        nsv_bbl_before: 3210.98,
        nsv_bbl_after: 3210.98,
      },
      {
        partner_id: "C",
        allocated_bbl_before: 2605.55,
        allocated_bbl_after: 2676.5,
        delta_bbl: 70.95,
        nsv_bbl_before: 2666.66,
        nsv_bbl_after: 2766.66,
      },
    ]);
    // the terminal did not change, so the allocation deltas cancel: −39.88 − 31.07 + 70.95 = 0
    expect(sumCb(changes.partners.map((p) => bblToCb(p.delta_bbl)))).to.equal(0);
    expect(changes.totals_delta).to.deep.equal({
      entries_used: 0,
      entries_excluded: 0,
      field_gross_bbl: 100,
      field_nsv_bbl: 100,
      terminal_nsv_bbl: 0,
      shrinkage_bbl: 100, // 329.19 − 229.19
      shrinkage_percent: 0.96731, // 3.25896 − 2.29165, exactly
    });
  });

  it("omits unchanged partners and counts a missing side as zero", () => {
    const before = [
      { partner_id: "A", allocated_bbl: 10, nsv_bbl: 11 },
      { partner_id: "B", allocated_bbl: 0.1, nsv_bbl: 0.2 },
    ];
    const after = [
      { partner_id: "B", allocated_bbl: 0.1, nsv_bbl: 0.2 },
      { partner_id: "D", allocated_bbl: 0.3, nsv_bbl: 0.3 },
    ];
    const totals = {
      entries_used: 2,
      entries_excluded: 1,
      field_gross_bbl: 0.1,
      field_nsv_bbl: 0.2,
      terminal_nsv_bbl: 0.3,
      shrinkage_bbl: 0.1,
      shrinkage_percent: 0.1,
    };
    const changes = changesFromPrevious(before, after, totals, { ...totals, field_gross_bbl: 0.3, shrinkage_percent: 0.3 });
    expect(changes.partners).to.deep.equal([
      { partner_id: "A", allocated_bbl_before: 10, allocated_bbl_after: 0, delta_bbl: -10, nsv_bbl_before: 11, nsv_bbl_after: 0 },
      { partner_id: "D", allocated_bbl_before: 0, allocated_bbl_after: 0.3, delta_bbl: 0.3, nsv_bbl_before: 0, nsv_bbl_after: 0.3 },
    ]);
    // exact: as doubles 0.3 − 0.1 is 0.19999999999999998
    expect(changes.totals_delta.field_gross_bbl).to.equal(0.2);
    expect(changes.totals_delta.shrinkage_percent).to.equal(0.2);
    expect(changes.totals_delta.field_nsv_bbl).to.equal(0);
  });

  it("refuses figures that were never rounded, and duplicate partners", () => {
    const totals = {
      entries_used: 0,
      entries_excluded: 0,
      field_gross_bbl: 0,
      field_nsv_bbl: 0,
      terminal_nsv_bbl: 0,
      shrinkage_bbl: 0,
      shrinkage_percent: 0,
    };
    expect(() => changesFromPrevious([{ partner_id: "A", allocated_bbl: 0.005, nsv_bbl: 0 }], [], totals, totals)).to.throw(RangeError);
    expect(() => changesFromPrevious([], [], totals, { ...totals, shrinkage_percent: 0.000001 })).to.throw(RangeError, /5 decimals/);
    const row = { partner_id: "A", allocated_bbl: 1, nsv_bbl: 1 };
    expect(() => changesFromPrevious([row, row], [], totals, totals)).to.throw(RangeError, /twice/);
  });
});

describe("adjustments against the version that raised them", () => {
  const version = {
    changes_from_previous: {
      partners: [
        { partner_id: "A", delta_bbl: 47.14 },
        { partner_id: "B", delta_bbl: 0 },
        { partner_id: "C", delta_bbl: -47.14 },
      ],
    },
  };
  const adjustment = (id: string, partner_id: string, delta_bbl: number) => ({
    id,
    partner_id,
    delta_bbl,
    from_reconciliation_id: "r1_v2",
  });

  it("numbers the non-zero changes in the report's order", () => {
    expect([...adjustmentsRaisedBy("r1_v2", version).values()]).to.deep.equal([
      { id: "r1_v2_0", partner_id: "A", delta_bbl: 47.14 },
      { id: "r1_v2_1", partner_id: "C", delta_bbl: -47.14 },
    ]);
    expect(adjustmentsRaisedBy("r1_v1", { changes_from_previous: null }).size).to.equal(0);
  });

  it("passes an adjustment as raised, and names what differs otherwise, and what puts it right", () => {
    const fault = (a: Parameters<typeof adjustmentOriginFault>[0], source: Parameters<typeof adjustmentOriginFault>[1]) => {
      const found = adjustmentOriginFault(a, source);
      return found && [found.kind, found.text];
    };
    expect(fault(adjustment("r1_v2_1", "C", -47.14), version)).to.equal(undefined);
    expect(fault(adjustment("r1_v2_0", "A", 5047.14), version)).to.deep.equal([
      "edited",
      "it says 5047.14 bbl for A, where r1_v2 raised 47.14 bbl for A",
    ]);
    expect(adjustmentOriginFault(adjustment("r1_v2_0", "A", 5047.14), version)?.remedy).to.equal(
      "an admin restores its partner and change from r1_v2 and the audit log",
    );
    expect(fault(adjustment("r1_v2_1", "B", -47.14), version)).to.deep.equal([
      "edited",
      "it says -47.14 bbl for B, where r1_v2 raised -47.14 bbl for C",
    ]);
    expect(fault(adjustment("r1_v2_2", "B", 777), version)).to.deep.equal(["invented", "r1_v2 raised no adjustment r1_v2_2"]);
    expect(fault(adjustment("r1_v2_0", "A", 47.14), null)).to.deep.equal(["no_version", "the version it names, r1_v2, does not exist"]);
    expect(fault({ ...adjustment("x_0", "A", 1), from_reconciliation_id: undefined }, version)).to.deep.equal([
      "no_version",
      "it names no version that raised it",
    ]);
  });

  it("names the members of a set that no longer exist, and none when the version cannot tell", () => {
    const present = (...ids: string[]) => new Set(ids);
    expect(missingAdjustments("r1_v2", version, present("r1_v2_0", "r1_v2_1")).map((a) => a.id)).to.deep.equal([]);
    const missing = missingAdjustments("r1_v2", version, present("r1_v2_0"));
    expect(missing).to.deep.equal([{ id: "r1_v2_1", partner_id: "C", delta_bbl: -47.14 }]);
    expect(missingAdjustmentsText("r1_v2", missing)).to.equal(
      "r1_v2 raised an adjustment that no longer exists: r1_v2_1 (-47.14 bbl for C). Its adjustments sum to its change of the terminal NSV only together; an admin restores it from r1_v2's changes and the audit log",
    );
    expect(missingAdjustmentsText("r1_v2", missingAdjustments("r1_v2", version, present()))).to.match(
      /^r1_v2 raised 2 adjustments that no longer exist: r1_v2_0 \(\+47.14 bbl for A\), r1_v2_1 \(-47.14 bbl for C\)\. .* restores them from/,
    );
    const unrecorded = { changes_from_previous: null, supersedes_receipt: { terminal_receipt_id: "r0", reconciliation_id: "r0_v1" } };
    expect(missingAdjustments("r1_v1", unrecorded, present())).to.deep.equal([]);
    expect(missingAdjustments("r1_v2", null, present())).to.deep.equal([]);
  });

  it("cannot tell what a corrected ticket's version raised when it did not record its changes, and passes its adjustments", () => {
    const unrecorded = { changes_from_previous: null, supersedes_receipt: { terminal_receipt_id: "r0", reconciliation_id: "r0_v1" } };
    expect(raisedUnrecorded(unrecorded)).to.equal(true);
    expect(adjustmentOriginFault({ ...adjustment("r1_v1_0", "A", 12.5), from_reconciliation_id: "r1_v1" }, unrecorded)).to.equal(undefined);
    // A first version replacing nothing raised nothing: an adjustment naming it is invented.
    const first = { changes_from_previous: null, supersedes_receipt: null };
    expect(raisedUnrecorded(first)).to.equal(false);
    expect(adjustmentOriginFault({ ...adjustment("r1_v1_0", "A", 12.5), from_reconciliation_id: "r1_v1" }, first)?.kind).to.equal(
      "invented",
    );
  });
});
