// The pre-flight's coverage lines (web/src/domain/period-coverage.ts) from what periodCoverage
// answers (functions/src/domain/period-coverage.ts).
import { expect } from "chai";
import { CoverageTally, type CoverageEntry } from "../../src/domain/period-coverage";
import { coverageLines, dayRuns, gapWords } from "../../../web/src/domain/period-coverage";

const days = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => `2026-11-${String(first + i).padStart(2, "0")}`);

describe("the pre-flight's days without production, in words", () => {
  it("writes days as runs, across a month's end, and counts the days past the runs shown", () => {
    expect(dayRuns(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-03"])).to.equal("2026-10-30 to 2026-11-01, 2026-11-03");
    expect(dayRuns(["2026-11-05"])).to.equal("2026-11-05");
    const alternate = ["2026-11-01", "2026-11-03", "2026-11-05", "2026-11-07", "2026-11-08", "2026-11-09"];
    expect(dayRuns(alternate, 2)).to.equal("2026-11-01, 2026-11-03 and 4 more days");
    expect(dayRuns(alternate.slice(0, 3), 2)).to.equal("2026-11-01, 2026-11-03 and 1 more day");
    expect(gapWords({ days_without_entries: [], days_only_excluded: [] })).to.equal(undefined);
  });

  it("says a partner without entries once, and a meter's gaps only on days the partner has other production on", () => {
    const period = days(1, 4);
    const entries: CoverageEntry[] = [
      ...period.map((day) => ({ partner_id: "nw", meter_id: "NWE-01", day, kind: "used" as const })),
      { partner_id: "nw", meter_id: "NWE-02", day: "2026-11-01", kind: "used" },
      { partner_id: "nw", meter_id: "NWE-02", day: "2026-11-02", kind: "excluded" },
      ...period.map((day) => ({ partner_id: "br", meter_id: "BRP-01", day, kind: "used" as const })).filter((e) => e.day !== "2026-11-03"),
      { partner_id: "br", meter_id: "BRP-01", day: "2026-11-03", kind: "excluded" },
    ];
    const tally = new CoverageTally();
    entries.forEach((e) => tally.add(e));
    const coverage = tally.coverage(period, [
      { partner_id: "nw", name: "Northwind Energy", active: true },
      { partner_id: "br", name: "Basalt Ridge", active: true },
      { partner_id: "ks", name: "Kestrel", active: true },
    ]);
    expect(coverageLines(coverage.partners, period.length)).to.deep.equal([
      {
        partner_id: "br",
        name: "Basalt Ridge",
        // The meter's day is the partner's: said once.
        text: "only excluded entries (rejected by the auditor or on review) on 2026-11-03",
      },
      { partner_id: "ks", name: "Kestrel", text: "no entry on any of the period's 4 contract days: it would be allocated nothing" },
      {
        partner_id: "nw",
        name: "Northwind Energy",
        text: "meter NWE-02: no entry on 2026-11-03 to 2026-11-04; only excluded entries (rejected by the auditor or on review) on 2026-11-02",
      },
    ]);
    const whole = new CoverageTally();
    period.forEach((day) => whole.add({ partner_id: "nw", day, kind: "used" }));
    const complete = whole.coverage(period, [{ partner_id: "nw", name: "Northwind Energy", active: true }]);
    expect(complete.complete).to.equal(true);
    expect(coverageLines(complete.partners, period.length)).to.deep.equal([]);
  });

  it("counts a partner's own days of the period when it joined or left within it, and says when it left", () => {
    const period = days(1, 4);
    const coverage = new CoverageTally().coverage(period, [
      { partner_id: "lf", name: "Leaving Oil", active: false, left_jv_on: "2026-11-03" },
      { partner_id: "jn", name: "Joining Oil", active: true, joined_jv_on: "2026-11-04" },
      { partner_id: "gone", name: "Gone Oil", active: false, left_jv_on: "2026-11-01" },
    ]);
    expect(coverageLines(coverage.partners, period.length)).to.deep.equal([
      { partner_id: "jn", name: "Joining Oil", text: "no entry on its one contract day in the period: it would be allocated nothing" },
      {
        partner_id: "lf",
        name: "Leaving Oil",
        text: "no entry on any of its 2 contract days in the period (it left the JV on 2026-11-03): it would be allocated nothing",
      },
    ]);
  });
});
