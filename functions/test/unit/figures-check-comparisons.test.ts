// Two figures set against each other ("is above", "was lower than") must stand that way round.
import { expect } from "chai";
import fc from "fast-check";
import { groundedFigures } from "../../src/domain/figures-check";
import { reconciliationBrief } from "../../src/domain/notification-briefs";
import { sampleReport as report } from "../support/sample-report";

const coordinators = reconciliationBrief("RCPT-2026-11-A_v2", report);
const plain = (numbers: number[]) => ({ numbers, trustedStrings: [], untrustedStrings: [] });
// A flagged entry's figures: its gross 1,000 bbl against the meter's median 1,502.4 bbl; BS&W 2 % against a typical 1 %.
const entry = plain([1000, 1502.4, 2, 1, 3.2]);

describe("figures check: figures compared", () => {
  describe("refuses a comparison the figures do not bear out", () => {
    for (const [text, unknown, grounding] of [
      ["The gross volume of 1,000 bbl is above the meter's median of 1,502.4 bbl.", ["1,000 above 1,502.4"], entry],
      ["The median of 1,502.4 bbl is lower than the entry's 1,000 bbl.", ["1,502.4 lower than 1,000"], entry],
      ["The BS&W of 1 % is well above the typical 2 %.", ["1 % above 2 %"], entry],
      ["Beta Oil's 4,076.96 bbl is higher than Alpha Energy's 6,035.78 bbl.", ["4,076.96 higher than 6,035.78"], coordinators.grounding],
      [
        "The terminal's 10,112.74 bbl was greater than the field's 10,220.75 bbl.",
        ["10,112.74 greater than 10,220.75"],
        coordinators.grounding,
      ],
    ] as const) {
      it(text, () => expect(groundedFigures(text, grounding)).to.deep.equal({ ok: false, unknown }));
    }
  });

  describe("accepts one that holds, and does not judge what it cannot read as one", () => {
    for (const [text, grounding] of [
      ["The gross volume of 1,502.4 bbl is above the meter's median of 1,000 bbl.", plain([1000, 1502.4])],
      ["The BS&W of 2 % is well above the typical 1 %.", entry],
      ["Alpha Energy's 6,035.78 bbl is higher than Beta Oil's 4,076.96 bbl.", coordinators.grounding],
      ["The field's 10,220.75 bbl was above the terminal's 10,112.74 bbl: a loss of 108.01 bbl.", coordinators.grounding],
      // The first figure a gap, not the figure compared: "3.2 deviations above", no verb before the word.
      ["The entry is 3.2 deviations above the median of 1,502.4 bbl.", entry],
      // A negation, a comma, another figure or a clause between them; a percent against a plain figure; "more than", "over".
      ["The gross volume of 1,000 bbl is not above the median of 1,502.4 bbl.", entry],
      ["1,000 bbl, the entry's gross, is above the median, 1,502.4 bbl, by the check's reading.", entry],
      ["The BS&W of 1 % is above the median of 2 bbl entries.", entry],
      ["3.2 bbl more than 1,000 bbl; 2 entries over 1,000 bbl.", entry],
      // Within the rounding of the figure written with fewer decimals: either way round.
      ["The gross volume of 1,502 bbl is above the median of 1,502.4 bbl.", plain([1502.45, 1502.4])],
    ] as const) {
      it(text, () => expect(groundedFigures(text, grounding)).to.deep.equal({ ok: true, unknown: [] }));
    }
  });

  it("accepts 'above' and 'higher than' only of the larger figure, 'below' and 'lower than' only of the smaller (property)", () => {
    const words = fc.constantFrom(
      ["is above", "up"],
      ["was higher than", "up"],
      ["stands well above", "up"],
      ["is below", "down"],
      ["was lower than", "down"],
      ["remains just below", "down"],
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999_999 }), words, (x, y, [word, way]) => {
        fc.pre(x !== y);
        const bbl = (cents: number) => (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
        const result = groundedFigures(`The entry's ${bbl(x)} bbl ${word} the median of ${bbl(y)} bbl.`, plain([x / 100, y / 100]));
        expect(result.ok).to.equal(way === "up" ? x > y : x < y);
      }),
      { numRuns: 300 },
    );
  });
});
