import { expect } from "chai";
import { allFiguresFromReport, collectFigures, extractNumbers, asRead, misleadingCharacters } from "../../src/domain/figures-check";

describe("figures check", () => {
  describe("extractNumbers", () => {
    it("reads separators, signs, percents and digits inside words", () => {
      const found = extractNumbers("Alpha got 1,234.56 bbl (-12.5%), meter M-101, 10-12 days, the 3rd, 7 percent, 8.25bbl");

      expect(found.map((n) => n.raw)).to.deep.equal(["1,234.56", "-12.5%", "101", "10", "12", "3", "7 percent", "8.25"]);
      expect(found[0]).to.deep.equal({
        raw: "1,234.56",
        value: 1234.56,
        decimals: 2,
        negative: false,
        percent: false,
        volume: true,
        version: false,
      });
      expect(found[1]).to.deep.equal({
        raw: "-12.5%",
        value: 12.5,
        decimals: 1,
        negative: true,
        percent: true,
        volume: false,
        version: false,
      });
      expect(found[2].negative, "a hyphen after a letter is not a minus").to.equal(false);
      expect(found[4].negative, "a hyphen after a digit is not a minus").to.equal(false);
      expect(found[6].percent).to.equal(true);
    });

    it("reads two figures with only spaces between them as no figure of the report's", () => {
      expect(extractNumbers("1 234 and 5\u00a0678, then 9 of 10").map((n) => n.value)).to.deep.equal([NaN, NaN, NaN, NaN, 9, 10]);
    });

    it("reads a text as a reader does, without the characters no one sees, and lists those that could mislead", () => {
      expect(asRead("1\u200b4,076.96 bbl, con\u00adfirm\ufeff, \u26a0\ufe0f, 1\u0301")).to.equal("14,076.96 bbl, confirm, \u26a0, 1");
      expect(asRead("Café Énergie: 1,234.56 bbl\n\t60 °F")).to.equal("Café Énergie: 1,234.56 bbl\n\t60 °F");
      expect(misleadingCharacters("a\u202eb\u2066c\u0007d\ue000 \u200b\n\t")).to.deep.equal(["U+202E", "U+2066", "U+0007", "U+E000"]);
    });

    it("reads two figures with only spaces between them as one, but not across a masked string or after a percent", () => {
      expect(extractNumbers("40.32% 4,076.96").map((n) => n.value)).to.deep.equal([40.32, 4076.96]);
      // "M-7" masked to spaces: the gap is looked at in the text as read.
      expect(extractNumbers("2     4,076.96", "2 M-7 4,076.96").map((n) => n.value)).to.deep.equal([2, 4076.96]);
    });

    it("reads an accountant's negatives, and tells a volume and a version by the words around them", () => {
      const found = extractNumbers("(4,076.96) bbl, 35.28- bbl, minus 12.5, (2) entries, (40.32%), version 2, v1, 7 barrels, 7 bbls");
      expect(found.map((n) => [n.raw, n.negative])).to.deep.equal([
        ["4,076.96", true],
        ["35.28", true],
        ["12.5", true],
        ["2", false],
        ["40.32%", false],
        ["2", false],
        ["1", false],
        ["7", false],
        ["7", false],
      ]);
      expect(found.map((n) => n.volume)).to.deep.equal([true, true, false, false, false, false, false, true, true]);
      expect(found.map((n) => n.version)).to.deep.equal([false, false, false, false, false, true, true, false, false]);
    });

    it("reads a unicode minus and does not take a bad group for a thousands separator", () => {
      expect(extractNumbers("−0.75").map((n) => [n.value, n.negative])).to.deep.equal([[0.75, true]]);
      expect(extractNumbers("1,2345 and 1,2").map((n) => n.value)).to.deep.equal([1, 2345, 1, 2]);
    });
  });

  describe("allFiguresFromReport", () => {
    const check = (text: string, numbers: number[], strings: string[] = [], factors: number[] = []) =>
      allFiguresFromReport(text, numbers, strings, factors);

    it("accepts a figure as written in the report or rounded to fewer decimals", () => {
      for (const written of ["1,234.56", "1234.56", "1,234.560", "1,234.6", "1,235"]) {
        expect(check(`Allocated ${written} bbl.`, [1234.56]), written).to.deep.equal({ ok: true, unknown: [] });
      }
    });

    it("rejects truncation, wrong rounding and changed digits", () => {
      for (const written of ["1,234", "1,234.5", "1,243.56", "1,234.57"]) {
        expect(check(`Allocated ${written} bbl.`, [1234.56]).unknown, written).to.deep.equal([written]);
      }
    });

    it("accepts a negative figure with its minus or as its absolute value, but adds no minus", () => {
      expect(check("Shrinkage -12.5 bbl.", [-12.5]).ok).to.equal(true);
      expect(check("A gain of 12.50 bbl.", [-12.5]).ok).to.equal(true);
      expect(check("Shrinkage −12.5 bbl.", [12.5]).unknown).to.deep.equal(["−12.5"]);
    });

    it("accepts a percent as the stored percent or, for a factor only, as the factor times 100", () => {
      expect(check("Share 59.68%, 59.7 % or 59.68 percent.", [59.68495]).ok).to.equal(true);
      expect(check("CSW 99.5%, CPL 100%.", [0.995, 1], [], [0.995, 1]).ok).to.equal(true);
      expect(check("CSW 99.5.", [0.995], [], [0.995]).unknown).to.deep.equal(["99.5"]);
      // A percent, a fraction or a count that is not a factor is never written times 100.
      expect(check("BS&W 45% (far above 1%).", [0.45, 1]).unknown).to.deep.equal(["45%"]);
      expect(check("Shrinkage 105.68% of field NSV.", [1.05677]).unknown).to.deep.equal(["105.68%"]);
      expect(check("2 partners, 200%.", [2], [], [0.995]).unknown).to.deep.equal(["200%"]);
    });

    it("does not round a factor to a single-digit whole number, and counts must be exact", () => {
      expect(check("CTL 1.", [0.99123]).unknown).to.deep.equal(["1"]);
      expect(check("CTL 0.99.", [0.99123]).ok).to.equal(true);
      expect(check("3 entries", [3]).ok).to.equal(true);
      expect(check("4 entries", [3, 3.6]).unknown).to.deep.equal(["4"]);
    });

    it("lists each invented figure once, in order", () => {
      const result = check("Alpha 987,654.32 bbl, Beta 5.5 bbl, again 987,654.32 and 100.", [5.5]);

      expect(result).to.deep.equal({ ok: false, unknown: ["987,654.32", "100"] });
    });

    it("skips ids, names and dates of the report and allows the parts of its ISO dates", () => {
      const strings = ["RCPT-7_v2", "2026-11-01T00:00:00.000Z", "Block 12 Partners", "M-101"];

      expect(check("Receipt RCPT-7_v2 (Block 12 Partners, meter m-101) for 2026-11-01.", [], strings).ok).to.equal(true);
      expect(check("Period from 1 November 2026.", [], strings).ok).to.equal(true);
      expect(check("Receipt RCPT-7_v3.", [], strings).unknown).to.deep.equal(["7", "3"]);
    });

    it("masks an allowed string only where it stands alone, never inside a number", () => {
      expect(check("Entry 12 moved 12.5 bbl and 512 bbl.", [], ["12"]).unknown).to.deep.equal(["12.5", "512"]);
    });

    it("catches a figure glued to its unit", () => {
      expect(check("Alpha got 8.25bbl.", [8.2]).unknown).to.deep.equal(["8.25"]);
    });

    it("accepts text without figures", () => {
      expect(check("All partners were allocated their share.", [])).to.deep.equal({ ok: true, unknown: [] });
    });
  });

  describe("collectFigures", () => {
    it("collects numbers, array lengths as counts, strings, and dates as ISO strings", () => {
      const figures = collectFigures({
        id: "R1_v2",
        at: new Date("2026-11-01T00:00:00Z"),
        stamp: { toDate: () => new Date("2026-11-08T00:00:00Z") },
        rows: [{ n: 1.5 }, { n: -2 }],
        missing: null,
      });

      expect(figures.numbers).to.deep.equal([2, 1.5, -2]);
      expect(figures.strings).to.deep.equal(["R1_v2", "2026-11-01T00:00:00.000Z", "2026-11-08T00:00:00.000Z"]);
    });

    it("tells the factors (CTL, CPL, CTPL, CSW, meter factor) from the other numbers", () => {
      const figures = collectFigures({
        terminal: { ctl: 0.99123, cpl: 1, ctpl: 0.99123, meter_factor: 0.9991, bsw_percent: 0.45 },
        allocations: [{ csw: 0.995, share_percent: 40.3 }],
        shrinkage_percent: 1.05677,
      });
      expect(figures.factors).to.deep.equal([0.99123, 1, 0.99123, 0.9991, 0.995]);
    });

    it("sorts the other numbers by kind: percents, volumes, versions (and version ids), and none for counts and measurements", () => {
      const figures = collectFigures({
        version: 2,
        supersedes: "RCPT-7_v1",
        entries: 13,
        api60: 34.2,
        temperature_degF: 77,
        allocations: [{ share_percent: 40.3, allocated_bbl: 4076.96, delta_bbl: -35.28, entries_used: 4 }],
        statistics: { median: 0.5 },
      });
      expect(figures.kinds).to.deep.equal({
        percents: [40.3],
        volumes: [4076.96, -35.28],
        versions: [2, 1],
        other: [0.5],
        directed: [{ value: -35.28, rise: "down", balance: "down" }],
        owned: [],
        partners: [],
      });
    });
  });
});
