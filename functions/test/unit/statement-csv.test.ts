import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { csvCell } from "../../src/domain/statement-csv";

describe("statement CSV cells (RFC 4180, formula injection)", () => {
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell('Bravo Oil, "Upstream" Co')).to.equal('"Bravo Oil, ""Upstream"" Co"');
    expect(csvCell("two\r\nlines")).to.equal('"two\r\nlines"');
    expect(csvCell("plain")).to.equal("plain");
    expect(csvCell(null)).to.equal("");
  });

  it("neutralises text a spreadsheet would run, and leaves numbers alone", () => {
    for (const hostile of ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) {
      const cell = csvCell(hostile);
      const [[back]] = parse(cell, { relax_quotes: true }) as string[][];
      expect(back, JSON.stringify(hostile)).to.equal(`'${hostile}`);
    }
    expect(csvCell(-991.68)).to.equal("-991.68");
    expect(csvCell(0.00005)).to.equal("0.00005");
    expect(() => csvCell(Number.NaN)).to.throw(RangeError);
  });
});
