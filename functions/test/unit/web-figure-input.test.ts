/**
 * The web app reads a typed or pasted figure itself (web/src/domain/entry-checks.ts parseFigure):
 * a number input dropped what it could not read, and "3050,5" was saved as 30,505 bbl.
 */
import { expect } from "chai";
import { fieldHint, figureText, figureValue, parseFigure, receiptFieldHint, refusedFields } from "../../../web/src/domain/entry-checks";

const problem = (raw: string) => {
  const parsed = parseFigure(raw);
  return "problem" in parsed ? parsed.problem : undefined;
};

describe("the web app's reading of a typed figure", () => {
  it("takes plain decimals with one point and a leading sign, the minus sign U+2212 too", () => {
    for (const [raw, value] of [
      ["3050.5", 3050.5],
      [" 3050.5 ", 3050.5],
      ["37", 37],
      [".5", 0.5],
      ["3050.", 3050],
      ["-100", -100],
      ["\u2212100", -100],
      ["+1.0002", 1.0002],
      ["0.0050000001", 0.0050000001],
    ] as const) {
      expect(parseFigure(raw), raw).to.deep.equal({ value });
    }
  });

  it("refuses a decimal comma and says what to type instead", () => {
    expect(problem("3050,5")).to.equal("Use a point as the decimal separator: 3050.5");
    expect(problem("0,35")).to.equal("Use a point as the decimal separator: 0.35");
    expect(problem("-0,5")).to.equal("Use a point as the decimal separator: -0.5");
    // Three digits after the comma read both ways: both are offered, neither is guessed.
    expect(problem("3,050")).to.equal("Use a point as the decimal separator and no thousands separator: 3.050, or 3050");
  });

  it("refuses thousands separators", () => {
    expect(problem("3,050.5")).to.equal("Leave out the thousands separators: 3050.5");
    expect(problem("1,234,567")).to.equal("Leave out the thousands separators: 1234567");
    expect(problem("30 505.25")).to.equal("Leave out the thousands separators: 30505.25");
  });

  it("refuses letters, two points, exponents and signs alone, naming what is wrong", () => {
    expect(problem("2O")).to.equal("Not a number: “2O” has the letter O (a zero is 0); use only digits and a decimal point");
    expect(problem("1e3")).to.equal("Not a number: “1e3” has the letter e; use only digits and a decimal point");
    expect(problem("1..0002")).to.equal("Not a number: “1..0002” has more than one decimal point");
    expect(problem("1.0.2")).to.equal("Not a number: “1.0.2” has more than one decimal point");
    expect(problem("--5")).to.equal("Not a number: “--5” has “-”; use only digits and a decimal point");
    expect(problem("-")).to.equal("Not a number: “-” has no digits");
    expect(problem(".")).to.equal("Not a number: “.” has no digits");
  });

  it("refuses digits too many for a number (they would be saved as Infinity, which the rules refuse unnamed)", () => {
    expect(problem("9".repeat(400))).to.equal("Out of range: 400 digits are more than any reading has");
    expect(fieldHint("gross_volume_bbl", "9".repeat(400))).to.include({ refused: true, malformed: true });
    expect(parseFigure("9".repeat(300))).to.deep.equal({ value: Number("9".repeat(300)) });
  });

  it("makes a malformed figure a refusal beside its field and in the form's summary", () => {
    const hint = fieldHint("gross_volume_bbl", "3050,5");
    expect(hint).to.include({ level: "critical", refused: true, malformed: true, message: "Use a point as the decimal separator: 3050.5" });
    // The receipt form's hints keep the refusal as it is (no "refused by reconcile").
    expect(receiptFieldHint("gross_volume_bbl", "3050,5")).to.include({
      refused: true,
      malformed: true,
      message: "Use a point as the decimal separator: 3050.5",
    });
    const values = {
      gross_volume_bbl: "3050,5",
      bsw_percent: "0.3",
      temperature_degF: "100",
      api_gravity: "36",
      pressure_psig: "2O",
      meter_factor: "0",
    };
    expect(refusedFields(values)).to.deep.equal([
      "Gross volume “3050,5” is not a plain decimal number",
      "Pressure “2O” is not a plain decimal number",
      "Meter factor must be above 0",
    ]);
    expect(refusedFields(values, receiptFieldHint)).to.have.length(3);
  });

  it("saves exactly the number typed, and nothing for an empty field", () => {
    expect(figureValue("3050.5")).to.equal(3050.5);
    expect(figureValue("\u221214.5")).to.equal(-14.5);
    expect(figureValue("  ")).to.equal(null);
    expect(() => figureValue("3050,5")).to.throw("Use a point as the decimal separator: 3050.5");
  });

  it("shows a stored figure as a plain decimal the form reads back to the same number", () => {
    for (const x of [3050.5, 37.4, -100, 1e-7, 2.5e-9, -3.25e-8, 1e21, 1.5e22]) {
      const text = figureText(x);
      expect(text, String(x)).to.match(/^-?\d+(\.\d+)?$/);
      expect(parseFigure(text), text).to.deep.equal({ value: x });
    }
    expect(figureText(1e-7)).to.equal("0.0000001");
    expect(figureText(1.5e22)).to.equal("15000000000000000000000");
  });
});
