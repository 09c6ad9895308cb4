// A true figure written as a rise when it is a fall, or a gain when it is a loss: refused. The
// report's changes (deltas, adjustments) and its shrinkage carry their direction in their sign.
import { expect } from "chai";
import fc from "fast-check";
import { collectFigures, extractNumbers, groundedFigures } from "../../src/domain/figures-check";
import { allocationStatementBrief, reconciliationBrief } from "../../src/domain/notification-briefs";
import { sampleReport as report } from "../support/sample-report";

// Beta's statement: allocated 4,076.96 bbl after 4,112.24 (change -35.28 bbl), shrinkage +43.54 bbl (a loss).
const beta = allocationStatementBrief("RCPT-2026-11-A_v2", report, "beta");
// The whole picture: field shrinkage 108.01 bbl (1.05677 %), a loss; Alpha +35.28 bbl, Beta -35.28 bbl.
const coordinators = reconciliationBrief("RCPT-2026-11-A_v2", report);

const check = (text: string, grounding = beta.grounding) => groundedFigures(text, grounding);

describe("figures check: the direction of a change", () => {
  it("reads the direction the words next to a figure give it", () => {
    const directions = (text: string) =>
      extractNumbers(text).map((n) => (n.direction ? `${n.direction.balance ? "balance" : "move"} ${n.direction.direction}` : undefined));
    expect(directions("It rose sharply by about 35.28 bbl and fell 2 bbl.")).to.deep.equal(["move up", "move down"]);
    expect(directions("A net loss of 43.54 bbl; a 35.28 bbl increase; a gain of 2 bbl.")).to.deep.equal([
      "balance down",
      "move up",
      "balance up",
    ]);
    expect(directions("A 35.28-bbl decrease; up 0.5 percentage points; it rose (by 3 bbl); down: 4 bbl.")).to.deep.equal([
      "move down",
      "move up",
      "move up",
      "move down",
    ]);
    // A level, a bound, a figure past a comma, a comparative, a phrasal verb, two claims that differ: no direction.
    expect(
      directions(
        "It rose to 4,076.96 bbl, up from 4,112.24; up to 13 entries; it fell, 4 bbl; 12 barrels lower; 3 bbl more; " +
          "picks up 43.54 bbl; broken down: 7 bbl; rose by a 2 bbl loss.",
      ),
    ).to.deep.equal(Array(9).fill(undefined));
  });

  it("gives each change and each shrinkage the way its sign goes, as a rise and as a gain", () => {
    const { kinds } = collectFigures({
      delta_bbl: -35.28,
      adjustments_bbl: 12.5,
      totals_delta: { entries_used: 1, shrinkage_bbl: 3 },
      shrinkage_bbl: 43.54,
      shrinkage_percent: -0.5,
      allocated_bbl: 4076.96,
      prior_period_adjustments: [{ delta_bbl: 0 }],
    });
    expect(kinds.directed).to.deep.equal([
      { value: -35.28, rise: "down", balance: "down" },
      { value: 12.5, rise: "up", balance: "up" },
      { value: 1, rise: "up", balance: "up" },
      // Shrinkage that grew by 3 bbl: a rise, and more loss.
      { value: 3, rise: "up", balance: "down" },
      { value: 43.54, rise: "down", balance: "down" },
      { value: -0.5, rise: "up", balance: "up" },
      { value: 0, rise: undefined, balance: undefined },
    ]);
  });

  describe("refuses a partner's change or shrinkage told the wrong way", () => {
    for (const text of [
      "Your allocation rose by 35.28 bbl against version 1.",
      "Your allocation increased by 35.28 bbl to 4,076.96 bbl.",
      "You gained 35.28 bbl over version 1.",
      "Your allocation rose sharply (by 35.28 bbl) against version 1.",
      "Your allocation was revised upward by as much as 35.28 bbl.",
      "Your allocation increased slightly, by 35.28 bbl.",
      "A 35.28 bbl increase on version 1.",
      "Up 35.28 bbl from 4,112.24 bbl.",
      "The terminal gave you a net gain of about 43.54 bbl.",
      "Shrinkage added 43.54 bbl to your allocation.",
    ]) {
      it(text, () => expect(check(text)).to.deep.equal({ ok: false, unknown: [text.match(/35\.28|43\.54/)![0]] }));
    }
  });

  describe("accepts it told the right way, or without a direction", () => {
    for (const text of [
      "Your allocation fell by 35.28 bbl, from 4,112.24 bbl to 4,076.96 bbl.",
      "Down 35.28 bbl from 4,112.24 bbl.",
      "A 35.28 bbl decrease against version 1; your NSV is unchanged at 4,120.5 bbl.",
      "Your allocation changed by 35.28 bbl against version 1.",
      "A loss of 43.54 bbl between your NSV and your allocation (shrinkage).",
      "You were allocated 43.54 bbl less than your NSV of 4,120.5 bbl.",
      "Your allocation was cut by 35.28 bbl; 13 more entries were not added.",
      // Comparatives and phrasal verbs, which tell no direction the check could hold them to.
      "Version 1 allocated you 35.28 bbl more; your allocation in version 1 was 35.28 bbl higher.",
      "Your NSV is 43.54 bbl higher than your allocation.",
      "Beta Oil picks up 43.54 bbl of the shrinkage; you gave up 43.54 bbl to it.",
    ]) {
      it(text, () => expect(check(text)).to.deep.equal({ ok: true, unknown: [] }));
    }
  });

  it("holds the whole picture's shrinkage to its direction, and grounds a change on any partner's in its direction", () => {
    expect(check("The terminal gained 108.01 bbl on the field.", coordinators.grounding).ok).to.equal(false);
    expect(check("The field measured 108.01 bbl more than the terminal received.", coordinators.grounding).ok).to.equal(true);
    // Shrinkage grew by 35.25 bbl against version 1: a rise, and more loss.
    expect(check("Shrinkage rose by 35.25 bbl: an additional loss of 35.25 bbl.", coordinators.grounding).ok).to.equal(true);
    expect(check("Shrinkage fell by 35.25 bbl.", coordinators.grounding).ok).to.equal(false);
    expect(check("Shrinkage was a gain of 108.01 bbl (1.06%).", coordinators.grounding)).to.deep.equal({
      ok: false,
      unknown: ["108.01"],
    });
    expect(check("Shrinkage was a loss of 108.01 bbl (1.06%).", coordinators.grounding).ok).to.equal(true);
    // Alpha rose and Beta fell by the same figure: the words name no partner the check could hold them to.
    expect(check("Alpha Energy rose by 35.28 bbl and Beta Oil fell by 35.28 bbl.", coordinators.grounding).ok).to.equal(true);
  });

  it("does not judge a figure the report also holds as a level", () => {
    const grounding = {
      numbers: [-5, 5],
      trustedStrings: [],
      untrustedStrings: [],
      kinds: collectFigures({ delta_bbl: -5, allocated_bbl: 5 }).kinds,
    };
    expect(check("It rose by 5 bbl.", grounding).ok).to.equal(true);
    const changeOnly = { numbers: [-5], trustedStrings: [], untrustedStrings: [], kinds: collectFigures({ delta_bbl: -5 }).kinds };
    expect(check("It rose by 5 bbl.", changeOnly)).to.deep.equal({ ok: false, unknown: ["5"] });
    expect(check("It fell by 5 bbl.", changeOnly).ok).to.equal(true);
  });

  it("accepts a change or a shrinkage told its own way, and refuses it told the other way, whatever the figures (property)", () => {
    const bbl = (cents: number) => (Math.abs(cents) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const changePhrases: Array<[string, "up" | "down" | null]> = [
      ["Your allocation rose by {x} bbl against the last version.", "up"],
      ["Your allocation increased by about {x} bbl.", "up"],
      ["A {x} bbl increase on the last version.", "up"],
      ["Up {x} bbl on the last version.", "up"],
      ["You gained {x} bbl over the last version.", "up"],
      ["Your allocation fell by {x} bbl against the last version.", "down"],
      ["A decrease of {x} bbl.", "down"],
      ["A {x} bbl drop against the last version.", "down"],
      ["Down: {x} bbl on the last version.", "down"],
      ["You lost {x} bbl against the last version.", "down"],
      ["Your allocation changed by {x} bbl.", null],
      ["The last version gave you {x} bbl more.", null],
    ];
    const shrinkagePhrases: Array<[string, "gain" | "loss" | null]> = [
      ["A gain of {x} bbl between your NSV and your allocation.", "gain"],
      ["A net loss of {x} bbl between your NSV and your allocation.", "loss"],
      ["{x} bbl lost between your NSV and your allocation.", "loss"],
      ["Shrinkage: {x} bbl.", null],
    ];
    const cents = fc.integer({ min: 1, max: 1_000_000_000 }).chain((n) => fc.constantFrom(n, -n));
    fc.assert(
      fc.property(
        cents,
        cents,
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.constantFrom(...changePhrases),
        fc.constantFrom(...shrinkagePhrases),
        (delta, shrinkage, level, [changeText, said], [shrinkageText, told]) => {
          // Figures closer than a barrel may round to each other, so a level could ground the change.
          const magnitudes = [Math.abs(delta), Math.abs(shrinkage), level];
          fc.pre(magnitudes.every((a, i) => magnitudes.every((b, j) => i === j || Math.abs(a - b) > 100)));
          const data = { delta_bbl: delta / 100, shrinkage_bbl: shrinkage / 100, allocated_bbl: level / 100 };
          const { numbers, kinds } = collectFigures(data);
          const grounding = { numbers, trustedStrings: [], untrustedStrings: [], kinds };
          const change = check(changeText.replace("{x}", bbl(delta)), grounding).ok;
          expect(change).to.equal(said === null || (said === "up") === delta > 0);
          const loss = check(shrinkageText.replace("{x}", bbl(shrinkage)), grounding).ok;
          expect(loss).to.equal(told === null || (told === "loss") === shrinkage > 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
