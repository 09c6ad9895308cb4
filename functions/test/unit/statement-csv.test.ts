import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { formatReading, formatReadingBbl } from "../../src/domain/statement";
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

  it("neutralises a formula start after leading spaces or tabs, which spreadsheets skip", () => {
    for (const hostile of [' =HYPERLINK("http://x","y")', "   +1+2", " \t-2+3", "\t @SUM(A1)", "\u00a0=1+1", "\u3000=1+1", "\n=1+1"]) {
      const [[back]] = parse(csvCell(hostile), { relax_quotes: true }) as string[][];
      expect(back, JSON.stringify(hostile)).to.equal(`'${hostile}`);
    }
  });

  it("neutralises the fullwidth ＝ ＋ － ＠, which some spreadsheet locales take for a formula start", () => {
    for (const hostile of ["\uFF1DSUM(A1)", "\uFF0B1+2", "\uFF0D2+3", "\uFF20SUM(A1)", "  \uFF1D1+1"]) {
      expect(csvCell(hostile), JSON.stringify(hostile)).to.equal(`'${hostile}`);
    }
  });

  it("leaves text alone whose formula sign is not first, and numbers, however negative", () => {
    for (const text of ["Bravo Oil = Upstream", "a-b", "x@y.example", "  Bravo Oil", "100%", "\uFF21BC"]) {
      expect(csvCell(text), JSON.stringify(text)).to.equal(text);
    }
    expect(csvCell(-12.5)).to.equal("-12.5");
    expect(csvCell({ fixed: -12.5, decimals: 2 })).to.equal("-12.50");
    expect(csvCell({ fixed: -0.34, decimals: 5 })).to.equal("-0.34000");
  });

  it("writes volumes to 0.01 and factors to 5 decimals, readings with every decimal they have, never an exponent", () => {
    expect(csvCell({ fixed: 990, decimals: 2 })).to.equal("990.00");
    expect(csvCell({ fixed: -2.5, decimals: 2 })).to.equal("-2.50");
    expect(csvCell({ fixed: 0.9871, decimals: 5 })).to.equal("0.98710");
    expect(csvCell(1000.125)).to.equal("1000.125");
    expect(csvCell(1.00125)).to.equal("1.00125");
    expect(csvCell(0.0000001)).to.equal("0.0000001");
    expect(csvCell(35.12345678901)).to.equal("35.12345678901");
    expect(csvCell(12)).to.equal("12");
    expect(() => csvCell({ fixed: Number.POSITIVE_INFINITY, decimals: 2 })).to.throw(RangeError);
  });

  it("writes a huge number whole, never in exponent form (String and toFixed write one from 1e21 on)", () => {
    expect(csvCell(1e21)).to.equal("1000000000000000000000");
    expect(csvCell(-2.5e22)).to.equal("-25000000000000000000000");
    expect(csvCell({ fixed: 1e21, decimals: 2 })).to.equal("1000000000000000000000.00");
    expect(csvCell({ fixed: 1e21, decimals: 0 })).to.equal("1000000000000000000000");
    expect(csvCell(9.99e20)).to.equal("999000000000000000000");
  });

  it("prints a tiny reading in the PDF as the CSV writes it, never in exponent form", () => {
    expect(formatReading(0.0000001, 2)).to.equal("0.0000001");
    expect(formatReadingBbl(0.0000001)).to.equal("0.0000001");
    expect(formatReading(35.25, 1)).to.equal("35.25");
    expect(formatReading(0.45, 2)).to.equal("0.45");
  });
});
