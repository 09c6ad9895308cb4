// One partner's figure told of another: refused. A figure in a partner's object of the data
// (an allocation line, a change per partner) is that partner's; written in a clause that names
// partners, it must be one of theirs, or a figure of no partner's (the terminal's, the totals).
import { expect } from "chai";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { collectFigures, groundedFigures, type Grounding } from "../../src/domain/figures-check";
import { reconciliationBrief } from "../../src/domain/notification-briefs";
import { sampleReport as report } from "../support/sample-report";

// Alpha Energy: 6,035.78 bbl (59.68 %), 18 entries, +35.28 bbl; Beta Oil: 4,076.96 bbl (40.32 %), 13 entries, -35.28 bbl,
// a shrinkage of 43.54 bbl. The terminal: 10,112.74 bbl; the field's shrinkage 108.01 bbl.
const coordinators = reconciliationBrief("RCPT-2026-11-A_v2", report);
const check = (text: string, grounding: Grounding = coordinators.grounding) => groundedFigures(text, grounding);
/** Texts written for the check, labelled (test/support). */
const writtenTexts = <T>(file: string): T[] => JSON.parse(readFileSync(join(__dirname, "../support", file), "utf8")) as T[];

describe("figures check: whose figure", () => {
  it("knows each partner's figures and the names and ids they go by", () => {
    const { kinds } = collectFigures({
      terminal_nsv_bbl: 100,
      allocations: [{ partner_id: "alpha", partner_name: "Alpha Energy", allocated_bbl: 60, lines: [{ delta_bbl: -2 }] }],
      changes: { partners: [{ partner_id: "beta", delta_bbl: 2 }] },
    });
    expect(kinds.owned).to.deep.equal([
      { value: 60, partner: "alpha" },
      { value: 1, partner: "alpha" },
      { value: -2, partner: "alpha" },
      { value: 2, partner: "beta" },
    ]);
    expect(kinds.directed).to.deep.equal([
      { value: -2, rise: "down", balance: "down", partner: "alpha" },
      { value: 2, rise: "up", balance: "up", partner: "beta" },
    ]);
    expect(kinds.partners).to.deep.equal([
      { id: "alpha", labels: ["alpha", "Alpha Energy"] },
      { id: "beta", labels: ["beta"] },
    ]);
  });

  describe("refuses a figure told of a partner whose figure it is not", () => {
    for (const [text, unknown] of [
      ["Beta Oil was allocated 6,035.78 bbl.", ["6,035.78"]],
      ["Allocations: Alpha Energy 4,076.96 bbl, Beta Oil 6,035.78 bbl.", ["4,076.96", "6,035.78"]],
      ["Alpha Energy's share is 40.3 %.", ["40.3 %"]],
      ["Alpha Energy had 13 entries in the period.", ["13"]],
      // Alpha rose and Beta fell by the same figure: each told of the other.
      ["Beta Oil rose by 35.28 bbl.", ["35.28"]],
      ["Alpha Energy's allocation fell by 35.28 bbl against version 1.", ["35.28"]],
      // A clause naming no partner speaks of the one named before it in the sentence.
      ["Beta Oil's allocation fell by 35.28 bbl, to 6,035.78 bbl.", ["6,035.78"]],
      ["Alpha Energy lost 43.54 bbl to shrinkage.", ["43.54"]],
      ["Alpha Energy: 4,076.96 bbl (40.32%)", ["4,076.96", "40.32%"]],
      ["6,035.78 bbl went to Beta Oil, and 4,076.96 bbl to Alpha Energy.", ["6,035.78", "4,076.96"]],
      // In parentheses right after a name: that partner's; a name's first word alone names it.
      [
        "Beta Oil (6,035.78 bbl, 59.68%) and Alpha Energy (4,076.96 bbl, 40.32%) share the terminal's 10,112.74 bbl.",
        ["6,035.78", "59.68%", "4,076.96", "40.32%"],
      ],
      ["Beta was allocated 6,035.78 bbl.", ["6,035.78"]],
      // An apposition that names no partner hides none.
      ["Beta Oil, the larger partner, received 6,035.78 bbl.", ["6,035.78"]],
      // "and" after a partner told of with a figure: what follows is told of the partner named there.
      ["Alpha Energy received 4,076.96 bbl and Beta Oil 6,035.78 bbl.", ["4,076.96", "6,035.78"]],
      ["Beta Oil rose by 35.28 bbl and Alpha Energy fell by 35.28 bbl.", ["35.28"]],
      ["An increase of 35.28 bbl for Beta Oil and a decrease of 35.28 bbl for Alpha Energy.", ["35.28"]],
      ["Of the terminal's 10,112.74 bbl, 4,076.96 bbl went to Alpha Energy and 6,035.78 bbl to Beta Oil.", ["4,076.96", "6,035.78"]],
      // A list of figures after a list of names: the i-th figure is the i-th partner's.
      ["Alpha Energy and Beta Oil were allocated 4,076.96 bbl and 6,035.78 bbl, respectively.", ["4,076.96", "6,035.78"]],
      ["The shares of Alpha Energy and Beta Oil are 40.32% and 59.68%.", ["40.32%", "59.68%"]],
      ["The terminal's 10,112.74 bbl was split between Alpha Energy and Beta Oil at 40.32% and 59.68%.", ["40.32%", "59.68%"]],
      ["Alpha Energy (18 entries) and Beta Oil (13 entries) were allocated 4,076.96 bbl and 6,035.78 bbl.", ["4,076.96", "6,035.78"]],
      [
        "Alpha Energy, with 18 entries, and Beta Oil, with 13, were allocated 4,076.96 bbl and 6,035.78 bbl respectively.",
        ["4,076.96", "6,035.78"],
      ],
      ["Beta Oil and Alpha Energy received 6,035.78 and 4,076.96 bbl.", ["6,035.78", "4,076.96"]],
      ["Alpha Energy's and Beta Oil's entries numbered 13 and 18.", ["13", "18"]],
      [
        "Alpha Energy and Beta Oil received 6,035.78 bbl and 4,076.96 bbl, 40.32% and 59.68% of the terminal's volume.",
        ["40.32%", "59.68%"],
      ],
      ["Alpha Energy and Beta Oil: 4,076.96 bbl (59.68%) and 6,035.78 bbl (40.32%).", ["4,076.96", "6,035.78"]],
      ["6,035.78 bbl and 4,076.96 bbl went to Beta Oil and Alpha Energy respectively.", ["6,035.78", "4,076.96"]],
      ["Alpha Energy / Beta Oil: 40.32% / 59.68%.", ["40.32%", "59.68%"]],
      ["Alpha Energy and Beta Oil (4,076.96 bbl and 6,035.78 bbl) closed the month.", ["4,076.96", "6,035.78"]],
      // A sentence opening on "It" or "Its" that names no partner speaks of the one the sentence before names.
      ["Alpha Energy's allocation rose. It now stands at 4,076.96 bbl.", ["4,076.96"]],
      ["Alpha Energy's share rose. Its share is now 40.32%.", ["40.32%"]],
      // An aside comparing with another partner is not the clause the figure borrows its partner from.
      ["Beta Oil, like Alpha Energy, rose by 35.28 bbl.", ["35.28"]],
      ["Beta Oil, along with Alpha Energy, received 6,035.78 bbl.", ["6,035.78"]],
      ["Alpha Energy and Beta Oil's allocations: 4,076.96 bbl; 6,035.78 bbl.", ["4,076.96", "6,035.78"]],
      ["Shrinkage of 43.54 bbl and 64.47 bbl was attributed to Alpha Energy and Beta Oil.", ["43.54", "64.47"]],
      ["The respective shares of Alpha Energy and Beta Oil (40.3% and 59.7%) follow their net volumes.", ["40.3%", "59.7%"]],
    ] as const) {
      it(text, () => expect(check(text)).to.deep.equal({ ok: false, unknown }));
    }
  });

  describe("accepts each partner's figure told of it, and figures of no partner's beside a name", () => {
    for (const text of [
      "Alpha Energy was allocated 6,035.78 bbl (59.68 %) and Beta Oil 4,076.96 bbl (40.32 %).",
      "Alpha Energy and Beta Oil were allocated 6,035.78 bbl and 4,076.96 bbl, respectively.",
      "Alpha Energy received 6,035.78 bbl, against 4,076.96 bbl for Beta Oil.",
      "Beta Oil's allocation fell by 35.28 bbl, to 4,076.96 bbl, and Alpha Energy's rose by 35.28 bbl to 6,035.78 bbl.",
      "Alpha Energy rose by 35.28 bbl and Beta Oil fell by 35.28 bbl.",
      "Alpha Energy received 6,035.78 bbl of the terminal's 10,112.74 bbl; shrinkage was a loss of 108.01 bbl.",
      "Beta Oil had 13 entries; 2 entries were excluded.",
      "Alpha Energy: 6,035.78 bbl (+35.28 bbl)\nBeta Oil: 4,076.96 bbl (−35.28 bbl)\nTerminal: 10,112.74 bbl",
      "beta: 4,076.96 bbl, a loss of 43.54 bbl to shrinkage.",
      // No partner named where the figure stands, or before it in its sentence: not judged by whom.
      "Alpha Energy gained. It lost 35.28 bbl while Alpha Energy gained 35.28 bbl.",
      "Version 2 moved 35.28 bbl between the partners.",
      // Commas in parentheses, lists of names, clauses with a subject of their own, a partner told of without its name.
      "Alpha Energy (6,035.78 bbl, 59.68%) and Beta Oil (4,076.96 bbl, 40.32%) share the terminal's 10,112.74 bbl.",
      "Beta Oil and Alpha Energy, respectively, were allocated 4,076.96 bbl and 6,035.78 bbl.",
      "Beta Oil's allocation fell by 35.28 bbl to 4,076.96 bbl, and the other partner's rose by the same amount to 6,035.78 bbl.",
      "Beta Oil's allocation fell by 35.28 bbl; at 6,035.78 bbl, Alpha Energy keeps the larger share.",
      "Beta Oil's allocation fell by 35.28 bbl, while its partner's rose by 35.28 bbl.",
      "Beta Oil's allocation fell by 35.28 bbl, which moved to the other partner, now at 6,035.78 bbl (59.68%).",
      "Alpha Energy gained 35.28 bbl from Beta Oil.",
      // The partner named after its figure, dashes, asides in a "respectively" list, short names, "the majority partner".
      "An increase of 35.28 bbl for Alpha Energy and a decrease of 35.28 bbl for Beta Oil.",
      "A 35.28 bbl decrease for Beta Oil offsets the 35.28 bbl increase for Alpha Energy.",
      "Alpha Energy — 6,035.78 bbl, up 35.28 bbl — and Beta Oil — 4,076.96 bbl, down 35.28 bbl — together account for the terminal's 10,112.74 bbl.",
      "Alpha Energy, with 18 entries, and Beta Oil, with 13, were allocated 6,035.78 bbl and 4,076.96 bbl respectively.",
      "Alpha Energy's allocation rose to 6,035.78 bbl, Beta's fell to 4,076.96 bbl.",
      "Beta Oil received 4,076.96 bbl, compared with 6,035.78 bbl for the majority partner.",
      // "and" in a list of names, or after figures told of no one yet: the clause goes on.
      "The shares of Alpha Energy and Beta Oil are 59.68% and 40.32%.",
      "Alpha Energy and Beta Oil were allocated 6,035.78 bbl and 4,076.96 bbl.",
      "6,035.78 bbl and 59.68% of the terminal's volume went to Alpha Energy.",
      "Alpha Energy received 6,035.78 bbl and rose by 35.28 bbl.",
      "The terminal's 10,112.74 bbl was split between Alpha Energy and Beta Oil at 59.68% and 40.32%.",
      "In version 2 Alpha Energy and Beta Oil were allocated 6,035.78 bbl and 4,076.96 bbl.",
      "Alpha Energy (18 entries) and Beta Oil (13 entries) were allocated 6,035.78 bbl and 4,076.96 bbl.",
      "RCPT-2026-11-A_v2 gives Alpha Energy and Beta Oil 59.68% and 40.32% of the terminal's volume.",
      "Alpha Energy holds 59.68% and 6,035.78 bbl and Beta Oil holds 40.32% and 4,076.96 bbl.",
      "Of the terminal's 10,112.74 bbl, 6,035.78 bbl went to Alpha Energy and 4,076.96 bbl to Beta Oil.",
      // Lists of names and of figures in the same order; lists of other lengths pair nothing.
      "Alpha Energy and Beta Oil received 6,035.78 bbl and 4,076.96 bbl, 59.68% and 40.32% of the terminal's 10,112.74 bbl.",
      "Alpha Energy and Beta Oil had 18 and 13 entries.",
      "Alpha Energy and Beta Oil moved by +35.28 bbl and −35.28 bbl respectively.",
      "Alpha Energy and Beta Oil: 6,035.78 bbl (59.68%) and 4,076.96 bbl (40.32%).",
      "Alpha Energy and Beta Oil together hold 10,112.74 bbl and 31 entries.",
      "Alpha Energy and Beta Oil share 10,112.74 bbl and 108.01 bbl of shrinkage.",
      "Alpha Energy and Beta Oil were allocated 6,035.78 bbl, 59.68%, and 4,076.96 bbl, 40.32%.",
      "Alpha Energy and Beta Oil had 6,035.78 bbl and 4,076.96 bbl of the 10,112.74 bbl.",
      "4,076.96 bbl and 6,035.78 bbl went to Beta Oil and Alpha Energy, respectively.",
      "The allocations to Alpha Energy and Beta Oil (6,035.78 bbl and 4,076.96 bbl, respectively) total 10,112.74 bbl.",
      "Alpha Energy, with 18 entries, and Beta Oil, with 13, received 6,035.78 bbl and 4,076.96 bbl of the 10,112.74 bbl.",
      "Alpha Energy / Beta Oil: 59.68% / 40.32%.",
      // A parenthesis after one partner's name holds its own figures, a "respectively" list or not.
      "Alpha Energy (6,035.78 and 6,100.25 bbl allocated and net) and Beta Oil (4,076.96 and 4,120.50 bbl), respectively, closed the month.",
      // "It" after a sentence naming one partner: that partner's, or a figure of no partner's; after one naming none or two, not judged by whom.
      "Alpha Energy's allocation rose. It now stands at 6,035.78 bbl, 59.68% of the terminal's 10,112.74 bbl.",
      "The terminal received 10,112.74 bbl. It lost 108.01 bbl to shrinkage.",
      "Alpha Energy, unlike Beta Oil, rose by 35.28 bbl.",
      "Beta Oil, unlike Alpha Energy, fell by 35.28 bbl, to 4,076.96 bbl.",
      "Alpha Energy and Beta Oil were allocated 6,035.78 bbl and 4,076.96 bbl. It was a month of 31 entries.",
      "Alpha Energy gained 35.28 bbl. Its partner lost 35.28 bbl, and now holds 4,076.96 bbl.",
      "64.47 bbl and 43.54 bbl of shrinkage fell to Alpha Energy and Beta Oil.",
      // Two partners in one clause: either's figure (not judged by which).
      "Beta Oil received 6,035.78 bbl as Alpha Energy received 4,076.96 bbl.",
    ]) {
      it(text, () => expect(check(text)).to.deep.equal({ ok: true, unknown: [] }));
    }
  });

  it("reads a name without its company form and a full stop after it as no sentence's end, and an id as a name only where it is no plain word or the partner has no name", () => {
    const view = {
      terminal_nsv_bbl: 1000,
      allocations: [
        { partner_id: "total", partner_name: "Gamma Gas Pty Ltd", allocated_bbl: 781.4 },
        { partner_id: "p-7", partner_name: "Delta Petroleum Plc", allocated_bbl: 218.6, entries: 4 },
        { partner_id: "northwind", allocated_bbl: 0, entries: 18 },
      ],
    };
    const { numbers, strings, kinds } = collectFigures(view);
    const grounding = {
      numbers,
      trustedStrings: [],
      untrustedStrings: strings,
      names: ["Gamma Gas Pty Ltd", "Delta Petroleum Plc"],
      kinds,
    };
    expect(groundedFigures("Gamma Gas Pty Ltd. was allocated 218.6 bbl.", grounding).unknown).to.deep.equal(["218.6"]);
    expect(groundedFigures("Gamma Gas was allocated 218.6 bbl.", grounding).unknown).to.deep.equal(["218.6"]);
    expect(groundedFigures("Delta Petroleum was allocated 781.4 bbl.", grounding).unknown).to.deep.equal(["781.4"]);
    expect(groundedFigures("p-7 was allocated 781.4 bbl.", grounding).unknown).to.deep.equal(["781.4"]);
    expect(groundedFigures("northwind had 4 entries.", grounding).unknown).to.deep.equal(["4"]);
    expect(
      groundedFigures("Gamma Gas Ltd. was allocated 781.4 bbl; in total, 4 entries of Delta Petroleum were used.", grounding).ok,
    ).to.equal(true);
  });

  it("refuses any partner's allocation told of another, and accepts each told of its own (property)", () => {
    const partners = fc.uniqueArray(
      fc.record({
        cents: fc.integer({ min: 100, max: 99_999_999 }),
        name: fc.constantFrom("Alpha Energy", "Beta Oil", "Gamma Gas", "Delta Petroleum"),
      }),
      { minLength: 2, maxLength: 4, selector: (p) => p.name },
    );
    fc.assert(
      fc.property(partners, fc.nat(), fc.nat(), (lines, i, j) => {
        // A barrel apart at least: a figure within rounding of another partner's is that one too.
        fc.pre(new Set(lines.map((l) => Math.round(l.cents / 100))).size === lines.length);
        const view = {
          terminal_nsv_bbl: lines.reduce((sum, l) => sum + l.cents, 0) / 100,
          allocations: lines.map((l) => ({
            partner_id: l.name.split(" ")[0].toLowerCase(),
            partner_name: l.name,
            allocated_bbl: l.cents / 100,
          })),
        };
        const { numbers, strings, kinds } = collectFigures(view);
        const grounding = { numbers, trustedStrings: [], untrustedStrings: strings, names: lines.map((l) => l.name), kinds };
        const bbl = (cents: number) => (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
        const [named, told] = [lines[i % lines.length], lines[j % lines.length]];
        const result = groundedFigures(`${named.name} was allocated ${bbl(told.cents)} bbl.`, grounding);
        expect(result.ok).to.equal(named === told);
        // Two partners told of in turn, joined by "and": each figure is held to the partner before it.
        const [first, second] = [lines[0], lines[1]];
        const [toldFirst, toldSecond] = [lines[i % 2], lines[(i + j) % 2]];
        const pair = groundedFigures(
          `${first.name} was allocated ${bbl(toldFirst.cents)} bbl and ${second.name} ${bbl(toldSecond.cents)} bbl.`,
          grounding,
        );
        expect(pair.ok).to.equal(toldFirst === first && toldSecond === second);
        // Every partner in one list, its figures in the order given: held to the partners in order.
        const order = lines.map((_, k) => lines[(k + i) % lines.length]);
        const all = groundedFigures(
          `${lines.map((l) => l.name).join(", ")} were allocated ${order.map((l) => `${bbl(l.cents)} bbl`).join(" and ")}.`,
          grounding,
        );
        expect(all.ok).to.equal(i % lines.length === 0);
        // The same as lists, with and without "respectively": held to the partners in order.
        for (const tail of [".", ", respectively."]) {
          const list = groundedFigures(
            `${first.name} and ${second.name} were allocated ${bbl(toldFirst.cents)} bbl and ${bbl(toldSecond.cents)} bbl${tail}`,
            grounding,
          );
          expect(list.ok).to.equal(toldFirst === first && toldSecond === second);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never cuts a clause at an "and" inside a partner\'s name', () => {
    const view = {
      terminal_nsv_bbl: 200.7,
      allocations: [
        { partner_id: "smith", partner_name: "Smith and Sons Oil", allocated_bbl: 120.5 },
        { partner_id: "jones", partner_name: "Jones Gas", allocated_bbl: 80.2 },
      ],
    };
    const { numbers, strings, kinds } = collectFigures(view);
    const grounding = { numbers, trustedStrings: [], untrustedStrings: strings, names: ["Smith and Sons Oil", "Jones Gas"], kinds };
    expect(groundedFigures("Smith and Sons Oil received 120.5 bbl and Jones Gas 80.2 bbl.", grounding)).to.deep.equal({
      ok: true,
      unknown: [],
    });
    expect(groundedFigures("Smith and Sons Oil received 80.2 bbl and Jones Gas 120.5 bbl.", grounding).unknown).to.deep.equal([
      "80.2",
      "120.5",
    ]);
  });
});

// Sentences two helper sessions wrote against the sample report's figures (a first set, on which
// the list rule was shaped, and a fresh one it was then tried on): lists of names and figures in
// order and swapped, lists that are not parallel, partners in turn, one partner alone.
describe("figures check: whose figure, on written sentences", () => {
  const sentences = writtenTexts<{
    text: string;
    true: boolean;
    kind: string;
  }>("partner-sentences.json");
  // True sentences the check refuses, and why (docs/communicator.md, "Not judged" and the figures' forms).
  const KNOWN_REFUSED = new Map([
    [
      "The allocation to Alpha Energy rose and that to Beta Oil fell, by +35.28 bbl and −35.28 bbl respectively.",
      'a direction word before "by" past a comma is judged, and "fell, by +35.28 bbl" reads as a fall of the figure told of Alpha Energy',
    ],
    [
      "Partner figures (gross/NSV/allocated): Alpha Energy 6,260.40/6,100.25/6,035.78 bbl; Beta Oil 4,215.10/4,120.50/4,076.96 bbl.",
      "figures joined by slashes without spaces read as fractions",
    ],
  ]);

  it("holds both kinds", () => {
    expect(sentences.filter((s) => s.true).length).to.be.greaterThan(150);
    expect(sentences.filter((s) => !s.true).length).to.be.greaterThan(80);
  });

  it("refuses every sentence that gives two partners each other's figures", () => {
    const passed = sentences.filter((s) => !s.true && check(s.text).ok).map((s) => s.text);
    expect(passed).to.deep.equal([]);
  });

  it("accepts every true sentence but the known cases", () => {
    const refused = sentences.filter((s) => s.true && !check(s.text).ok).map((s) => s.text);
    expect(refused).to.deep.equal([...KNOWN_REFUSED.keys()]);
  });
});

// Texts a helper session wrote after the "It" rule was made (none shaped it): a later sentence
// opening on "It" or "Its", of a partner named before or of something else.
describe('figures check: whose figure after "It", on written sentences', () => {
  const texts = writtenTexts<{
    text: string;
    true: boolean;
  }>("pronoun-sentences.json");
  it('refuses every partner\'s figure told after "It" of the other', () => {
    expect(texts.filter((t) => !t.true).length).to.be.greaterThan(25);
    expect(texts.filter((t) => !t.true && check(t.text).ok).map((t) => t.text)).to.deep.equal([]);
  });

  it("accepts every true text but one whose section number is read as a figure", () => {
    expect(texts.filter((t) => t.true && !check(t.text).ok).map((t) => t.text)).to.deep.equal([
      "Per section 3, Beta Oil's gross receipts were 4,215.10 bbl. Its NSV, after correction, was 4,120.50 bbl. It was allocated 4,076.96 bbl.",
    ]);
  });
});

// Texts a helper session wrote after the rule for a sentence naming two partners was first made:
// "It" after it, as a reader takes it ("true" and "false") or either partner ("ambiguous").
// Two cases were then added from them ("Next to Alpha Energy, …" and a list of the two names).
describe('figures check: whose figure after "It" when the sentence before names two partners', () => {
  const texts = writtenTexts<{
    text: string;
    label: "true" | "false" | "ambiguous";
  }>("pronoun-two-partner-sentences.json");
  const labelled = (label: string) => texts.filter((t) => t.label === label);
  const judged = (label: string, ok: boolean) =>
    labelled(label)
      .filter((t) => check(t.text).ok === ok)
      .map((t) => t.text);

  it("accepts every true text", () => {
    expect(labelled("true").length).to.be.greaterThan(20);
    expect(judged("true", false)).to.deep.equal([]);
  });

  it("refuses every false text but two that call one total by another's name", () => {
    expect(labelled("false").length).to.be.greaterThan(20);
    expect(judged("false", true)).to.deep.equal([
      "The terminal volume was divided between Alpha Energy and Beta Oil. It came to 10,220.75 bbl net standard volume.",
      "Alpha Energy and Beta Oil have been sent the March allocation report. It covers a terminal net standard volume of 10,250.00 bbl.",
    ]);
  });

  it('refuses a partner\'s figure after an "It" that may be either partner', () => {
    expect(labelled("ambiguous").length).to.be.greaterThan(5);
    expect(judged("ambiguous", true)).to.deep.equal([]);
  });

  for (const [text, ok] of [
    ["Compared with Beta Oil, Alpha Energy grew. It took 59.68% of the terminal volume.", true],
    ["Compared with Beta Oil, Alpha Energy grew. It took 40.32% of the terminal volume.", false],
    ["Alpha Energy and Beta Oil both gained. It received 6,035.78 bbl.", false],
    ["Alpha Energy and Beta Oil shared the terminal's volume. It was 10,112.74 bbl.", true],
    ["Alpha Energy outpaced Beta Oil; it took 59.68% of the terminal volume.", true],
    ["Alpha Energy outpaced Beta Oil; its share was 40.32%.", false],
    ["Alpha Energy outpaced Beta Oil. In total it took 59.68% of the terminal volume.", true],
    ["Alpha Energy outpaced Beta Oil. This partner took 59.68% of the terminal volume.", true],
    ["Beta Oil trailed Alpha Energy. Overall, its share was 59.68%.", false],
  ] as const) {
    it(`${ok ? "accepts" : "refuses"} "${text}"`, () => expect(check(text).ok).to.equal(ok));
  }
});

// Texts a helper session wrote in a second, adversarial reading of that rule (each with whom a
// reader takes "It" for, and whether the text is true). They shaped the fixes that followed: the
// opening phrase's words, figures and clauses, a name's apposition, line breaks, a chain of "It"s.
describe('figures check: whose figure after "It", on a second reading', () => {
  const texts = writtenTexts<{
    text: string;
    pass: boolean;
  }>("pronoun-second-reading-sentences.json");
  // Not judged by the "It" rule: an abbreviation read as no sentence's end; and sentences whose
  // subject is not where the rule looks for it.
  const KNOWN = [
    "The partner that overtook Beta Oil was Alpha Energy. It took 40.32% of the terminal volume.",
    "The partner that overtook Beta Oil was Alpha Energy. It took 59.68% of the terminal volume.",
    "Beta Oil's loss was Alpha Energy's gain: Alpha Energy now leads. It holds 59.68%.",
    "Alpha Energy again led, ahead of Beta Oil Ltd. It took 40.32% of the terminal volume.",
    "Since Beta Oil lost 35.28 bbl Alpha Energy gained, as expected. It now holds 4,076.96 bbl.",
    "Like Beta Oil Alpha Energy was revised, and Beta Oil lost. It now holds 6,035.78 bbl.",
  ];

  it("judges every text as its reader would but the known ones", () => {
    expect(texts.filter((t) => !t.pass).length).to.be.greaterThan(40);
    expect(texts.filter((t) => check(t.text).ok !== t.pass).map((t) => t.text)).to.deep.equal(KNOWN);
  });
});
