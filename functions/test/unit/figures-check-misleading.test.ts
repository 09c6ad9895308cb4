// Texts a partner would read a false figure in, although each number in them is one of the report's
// (or looks like one to the check): refused. And true texts written as a person writes them: accepted.
import { expect } from "chai";
import { collectFigures, groundedFigures } from "../../src/domain/figures-check";
import { allocationStatementBrief, reconciliationBrief } from "../../src/domain/notification-briefs";
import { sampleReport as report } from "../support/sample-report";

// Beta's statement: allocated 4,076.96 bbl, share 40.31505 %, shrinkage +43.54 bbl (a loss), change -35.28 bbl,
// 13 entries, period 2026-11-01..07, version 2; grounded counts include 0, 1, 2, 13.
const beta = allocationStatementBrief("RCPT-2026-11-A_v2", report, "beta");
const coordinators = reconciliationBrief("RCPT-2026-11-A_v2", report);

const partnerCases: Array<[string, string]> = [
  // A number of the report written as another kind of figure: a count, a volume or a measurement as a percent, a share as barrels.
  ["Your share: 13%.", "13 is the entry count"],
  ["Your share: 43.54%.", "shrinkage in bbl as a percent"],
  ["Your share: 34.2%.", "API gravity as a percent"],
  ["You were allocated 40.32 bbl.", "share percent as barrels"],
  // A positive figure shown negative, a negative one positive: accountants' signs and look-alike minus and plus signs.
  ["Your allocation: (4,076.96) bbl.", "accounting parentheses = negative"],
  ["Your allocation: 4,076.96- bbl.", "trailing minus (SAP style)"],
  ["Your allocation: minus 4,076.96 bbl.", "minus in words"],
  ["Your allocation: \u02D74,076.96 bbl.", "U+02D7 modifier letter minus"],
  ["Your allocation: \u27964,076.96 bbl.", "U+2796 heavy minus"],
  ["Your allocation: \u20154,076.96 bbl.", "U+2015 horizontal bar"],
  ["Your allocation: \u207B4,076.96 bbl.", "U+207B superscript minus"],
  ["Your allocation: \u208B4,076.96 bbl.", "U+208B subscript minus"],
  ["Your allocation: \u25004,076.96 bbl.", "U+2500 box-drawing line"],
  ["Your allocation changed by \uFF0B35.28 bbl.", "U+FF0B fullwidth plus on a -35.28 change"],
  ["Your allocation changed by \uFE6235.28 bbl.", "U+FE62 small plus on a -35.28 change"],
  // Two grounded figures that a reader reads as one, across a separator of another script or a look-alike point.
  ["Your allocation: 13\u2032000 bbl.", "U+2032 prime as Swiss apostrophe"],
  ["Your allocation: 13\u02BC000 bbl.", "U+02BC modifier apostrophe"],
  ["Your allocation: 13\u2018000 bbl.", "U+2018"],
  ["Your allocation: 13\uFF07000 bbl.", "U+FF07 fullwidth apostrophe"],
  ["Your allocation: 13\u00B4000 bbl.", "U+00B4 acute"],
  ["Your allocation: 13`000 bbl.", "backtick"],
  ["Your allocation: 13_000 bbl.", "underscore grouping"],
  ["Your allocation: 13\u2024000 bbl.", "U+2024 one-dot leader, looks like 13.000"],
  ["Your allocation: 13\u22C5000 bbl.", "U+22C5 dot operator"],
  ["Your allocation: 13\uFF0E000 bbl.", "U+FF0E fullwidth full stop"],
  ["Your allocation: 2\uFF0E13 bbl.", "fake decimal point: 2.13"],
  ["Your allocation: 2\uFE5213 bbl.", "U+FE52 small full stop: 2.13"],
  ["Your share: 13\uFF0E2%.", "fake decimal point: 13.2 %"],
  ["Your allocation: 13\u2800\u2800000 bbl.", "two braille blanks (the rule wants exactly one)"],
  ["Your allocation: 13\u2800 000 bbl.", "braille blank + space"],
  // Thousands grouped by points, whose pieces happen to be grounded.
  ["Your allocation: 13.000,00 bbl.", "13 000.00 in European notation"],
  ["Your allocation: 1.000,34 bbl.", "1 000.34"],
  ["Your allocation: 13.000.000 bbl.", "13 million"],
  ["Your allocation: 2.000.000 bbl.", "2 million"],
  // Letters that pass for 0.
  ["Your allocation: 1\uFF2F\uFF2F,\uFF2F\uFF2F\uFF2F bbl.", "U+FF2F fullwidth O: 100,000"],
  ["Your allocation: 1\uA4F3\uA4F3,\uA4F3\uA4F3\uA4F3 bbl.", "U+A4F3 Lisu O"],
  ["Your allocation: 1\u2C9E\u2C9E,\u2C9E\u2C9E\u2C9E bbl.", "U+2C9E Coptic O"],
  ["Your allocation: 1\u0555\u0555,\u0555\u0555\u0555 bbl.", "U+0555 Armenian Oh"],
  ["Your allocation: 1\u{1D40E}\u{1D40E},\u{1D40E}\u{1D40E}\u{1D40E} bbl.", "U+1D40E math bold O"],
  // Scales and scaled units of the trade.
  ["Your allocation: 13 MSTB.", "thousand stock-tank barrels"],
  ["Your allocation: 40 MBOE.", "thousand bbl oil equivalent"],
  ["Your allocation: 2 MMBO.", "million bbl oil"],
  ["Your allocation: 2 bln bbl.", "billion"],
  ["Your allocation: 2 Mio. bbl.", "German million"],
  ["Your allocation: 2 Mrd bbl.", "German billion"],
  ["Your allocation: 2 MMM bbl.", "billion (oilfield)"],
  ["Your allocation: 2 Gbbl.", "giga-barrels"],
  ["Your allocation: 2 grand barrels.", "thousand"],
  ["Your allocation: 2 mil barrels.", "million"],
  ["Your allocation: 13 kilobarrels.", "kilo-"],
  ["Your allocation: thirteen K bbl.", "number word + suffix"],
  ["Your allocation: two M bbl.", "number word + suffix"],
  ["Your allocation (in '000 bbl): 40.", "'000 read as the grounded 0"],
  ["Your share rose 13 bps.", "basis points"],
  ["Your share rose 40 basis points.", "basis points"],
  // Fractions and number words that read as other figures.
  ["Your share: 1\u20442 of the field NSV.", "U+2044 fraction slash renders as 1/2"],
  ["Your share: 1\u22152 of the field NSV.", "U+2215 division slash"],
  ["You received two-thirds of the field NSV.", "2/3 (true 40 %)"],
  ["You received one fifth of the field NSV.", "1/5"],
  ["Your share: forty\u2010two percent.", "U+2010 hyphen: read as 40 and 2, shows 42"],
  ["Your share: fortytwo percent.", "glued"],
  ["Your share: fourty-two percent.", "common misspelling"],
  ["Your share: thirteen point two percent.", "13.2 in words"],
  // Days outside the period (1–7 November), written without a year.
  ["Entry E-0419 of November the 13th was excluded.", "false day"],
  ["Entry E-0419 of 13-Nov was excluded.", "false day"],
  ["Entry E-0419 of Nov-13 was excluded.", "false day"],
  ["Entry E-0419 was excluded: November, 13.", "false day"],
  // A version that is neither this one nor the one it follows.
  ["This is version 13 of the statement.", "it is version 2"],
  // Format characters and marks between digits.
  ["Your allocation: 13\uFFFA000 bbl.", "U+FFFA interlinear annotation separator (Cf)"],
  ["Your allocation: 13\u{13430}000 bbl.", "U+13430 Egyptian format control (Cf)"],
  ["Your allocation: 13\u2028000 bbl.", "U+2028 line separator"],
  ["Your allocation: 13\u0301\u0301000 bbl.", "a second combining mark on a digit is not stripped"],
  // Money.
  ["Your allocation: $4,076.96.", "barrels shown as dollars"],
];

describe("figures check: texts that would mislead a partner", () => {
  describe("refuses them on a partner's statement", () => {
    for (const [text, why] of partnerCases) {
      it(`${JSON.stringify(text)} — ${why}`, () => {
        expect(groundedFigures(text, beta.grounding).ok, text).to.equal(false);
      });
    }
  });

  it("reads an id that looks like a day as the id, and grounds no version on a typed id", () => {
    const grounding = { numbers: [], trustedStrings: [], untrustedStrings: ["TR-DEC-01", "MAY-3"] };
    expect(groundedFigures("Receipt TR-DEC-01 and meter MAY-3 are reconciled.", grounding)).to.deep.equal({ ok: true, unknown: [] });
    const { kinds } = collectFigures({ reconciliation_id: "RCPT_v7_v2", terminal_receipt_id: "RCPT_v7", meter_id: "M_v9", version: 2 });
    expect(kinds.versions).to.deep.equal([2, 2]);
  });

  it("refuses a count written as a share on the coordinators' whole picture", () => {
    // Alpha Energy has 18 entries; its share is 59.68495 %.
    expect(groundedFigures("Alpha Energy holds an 18% share.", coordinators.grounding)).to.deep.equal({ ok: false, unknown: ["18%"] });
    expect(groundedFigures("Alpha Energy holds a 59.68% share (18 entries).", coordinators.grounding).ok).to.equal(true);
  });

  describe("accepts true texts", () => {
    for (const text of [
      "Your allocation: 4,076.96 barrels (40.32% of the field NSV of 10,220.75 bbl); shrinkage 43.54 bbl; CTL 0.9912, " +
        "CPL 1.0003, CSW 99.5%, API 34.2 at 60 °F, per API MPMS 11.1. Down 35.28 bbl from 4,112.24 bbl. " +
        "Period 1–7 November 2026. Entry E-0419 was excluded (1 entry). Version 2 of receipt RCPT-2026-11-A.",
      "Your allocation: 4,077 bbl, -35.28 bbl vs v1.",
      "Your allocation: 4,076.96 bbl and your share 40.32 per cent.",
      "Allocated 4,076.96 bbl to Beta Oil for contract days November 1 to November 7, 2026.",
      // An accountant's negative for a negative change; a share in parentheses is no negative.
      "Your allocation changed by (35.28) bbl against version 1; Beta Oil (40.32%) was allocated 4,076.96 bbl.",
      "Version 2 replaces v1: 4,076.96 bbl, minus 35.28 bbl.",
      // Parentheses and dashes as prose uses them, and a month followed by a count.
      "The CTL (0.99123) and CPL (1.00034) were applied; API gravity (34.2) at 60 °F.",
      "Field NSV (10,220.75) exceeded the terminal NSV (10,112.74); Beta Oil (4,076.96) carries the rest.",
      "Allocated 4,076.96– the figure of version 2.",
      "In November, 13 of your entries were used.",
    ]) {
      it(JSON.stringify(text).slice(0, 80), () => expect(groundedFigures(text, beta.grounding)).to.deep.equal({ ok: true, unknown: [] }));
    }
  });
});
