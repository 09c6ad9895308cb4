import { expect } from "chai";
import { CoverageTally, type CoverageEntry } from "../../src/domain/period-coverage";

const DAYS = ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"];
const PARTNERS = [
  { partner_id: "northwind", name: "Northwind Energy", active: true },
  { partner_id: "basalt", name: "Basalt Ridge Petroleum", active: true },
  { partner_id: "gone", name: "Gone Oil", active: false },
  { partner_id: "late", name: "Late Oil", active: false },
];

function coverageOf(entries: CoverageEntry[]) {
  const tally = new CoverageTally();
  for (const entry of entries) tally.add(entry);
  return tally.coverage(DAYS, PARTNERS);
}

describe("period coverage: the contract days each partner and meter has no used entry on", () => {
  it("lists an active partner without entries with every day missing, and leaves out an inactive one without entries", () => {
    const coverage = coverageOf(DAYS.map((day) => ({ partner_id: "northwind", meter_id: "NWE-01", day, kind: "used" as const })));
    expect(coverage.partners.map((p) => p.partner_id)).to.deep.equal(["basalt", "northwind"]);
    const basalt = coverage.partners[0];
    expect(basalt).to.deep.include({ name: "Basalt Ridge Petroleum", active: true, entries: 0, used: 0, meters: [] });
    expect(basalt.days_without_entries).to.deep.equal(DAYS);
    expect(basalt.days_only_excluded).to.deep.equal([]);
    expect(coverage.partners[1]).to.deep.include({ entries: 4, used: 4, days_without_entries: [], days_only_excluded: [] });
    expect(coverage.complete).to.equal(false);
  });

  it("tells a day whose entries were all excluded from one without any, per partner and per meter", () => {
    const entries: CoverageEntry[] = [
      { partner_id: "northwind", meter_id: "NWE-01", day: "2026-10-31", kind: "used" },
      { partner_id: "northwind", meter_id: "NWE-01", day: "2026-11-01", kind: "excluded" },
      // A second ticket of the day, used: the day is covered for the partner and the meter.
      { partner_id: "northwind", meter_id: "NWE-01", day: "2026-10-31", kind: "excluded" },
      { partner_id: "northwind", meter_id: "NWE-02", day: "2026-11-01", kind: "pending" },
      { partner_id: "northwind", day: "2026-11-02", kind: "excluded" },
      { partner_id: "northwind", meter_id: "NWE-02", day: "2026-11-03", kind: "used" },
    ];
    const northwind = coverageOf(entries).partners.find((p) => p.partner_id === "northwind")!;
    expect(northwind).to.deep.include({ entries: 6, used: 2, days_without_entries: [], days_only_excluded: ["2026-11-02"] });
    expect(northwind.meters).to.deep.equal([
      {
        meter_id: "NWE-01",
        entries: 3,
        days_without_entries: ["2026-11-02", "2026-11-03"],
        days_only_excluded: ["2026-11-01"],
      },
      {
        meter_id: "NWE-02",
        entries: 2,
        days_without_entries: ["2026-10-31", "2026-11-02"],
        days_only_excluded: [],
      },
    ]);
  });

  it("keeps an inactive partner that has entries, and a partner it does not know, by id", () => {
    const coverage = coverageOf([
      { partner_id: "late", day: "2026-10-31", kind: "used" },
      { partner_id: "stranger", day: "2026-11-01", kind: "used" },
    ]);
    expect(coverage.partners.map((p) => [p.partner_id, p.name, p.active])).to.deep.equal([
      ["basalt", "Basalt Ridge Petroleum", true],
      ["late", "Late Oil", false],
      ["northwind", "Northwind Energy", true],
      ["stranger", "stranger", false],
    ]);
  });

  it("expects a partner that left the JV to cover only the days before it left", () => {
    const tally = new CoverageTally();
    const entries: CoverageEntry[] = [
      { partner_id: "northwind", meter_id: "NWE-01", day: "2026-10-31", kind: "used" },
      { partner_id: "northwind", meter_id: "NWE-01", day: "2026-11-01", kind: "used" },
      { partner_id: "gone", meter_id: "GON-01", day: "2026-10-31", kind: "used" },
    ];
    for (const entry of entries) tally.add(entry);
    const known = [
      { partner_id: "northwind", name: "Northwind Energy", active: true },
      { partner_id: "gone", name: "Gone Oil", active: false, left_jv_on: "2026-11-01" },
    ];
    const gone = tally.coverage(DAYS, known).partners.find((p) => p.partner_id === "gone")!;
    expect(gone).to.deep.include({ left_jv_on: "2026-11-01", days_without_entries: [], days_only_excluded: [] });
    expect(gone.meters).to.deep.equal([{ meter_id: "GON-01", entries: 1, days_without_entries: [], days_only_excluded: [] }]);
    // A departure one day later leaves it a day to cover; an active partner's stale departure day is not read.
    const later = tally
      .coverage(DAYS, [known[0], { ...known[1], left_jv_on: "2026-11-02" }])
      .partners.find((p) => p.partner_id === "gone")!;
    expect(later.days_without_entries).to.deep.equal(["2026-11-01"]);
    const northwind = tally
      .coverage(DAYS, [{ ...known[0], left_jv_on: "2026-11-01" }, known[1]])
      .partners.find((p) => p.partner_id === "northwind")!;
    expect(northwind.days_without_entries).to.deep.equal(["2026-11-02", "2026-11-03"]);
    expect(northwind).to.not.have.property("left_jv_on");
  });

  it("expects a partner that joined the JV in the period to cover only the days from then, and leaves out one that joined after it", () => {
    const tally = new CoverageTally();
    tally.add({ partner_id: "northwind", day: "2026-11-02", kind: "used" });
    const known = [
      { partner_id: "northwind", name: "Northwind Energy", active: true, joined_jv_on: "2026-11-02" },
      { partner_id: "future", name: "Future Oil", active: true, joined_jv_on: "2026-11-04" },
    ];
    const coverage = tally.coverage(DAYS, known);
    expect(coverage.partners.map((p) => p.partner_id)).to.deep.equal(["northwind"]);
    expect(coverage.partners[0]).to.deep.include({ days_without_entries: ["2026-11-03"], days_only_excluded: [] });
  });

  it("is complete when every listed partner and meter has a used or pending entry on every day", () => {
    const all = (partner_id: string, meter_id: string, kind: CoverageEntry["kind"]) =>
      DAYS.map((day) => ({ partner_id, meter_id, day, kind }));
    expect(coverageOf([...all("northwind", "NWE-01", "used"), ...all("basalt", "BRP-01", "pending")]).complete).to.equal(true);
    // One meter day short: not complete, though the partner has every day.
    const short = [...all("northwind", "NWE-01", "used"), ...all("basalt", "BRP-01", "used"), ...all("basalt", "BRP-02", "used").slice(1)];
    const coverage = coverageOf(short);
    expect(coverage.complete).to.equal(false);
    expect(coverage.partners.find((p) => p.partner_id === "basalt")!.days_without_entries).to.deep.equal([]);
    expect(coverage.days).to.deep.equal(DAYS);
  });
});
