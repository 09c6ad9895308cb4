import { expect } from "chai";
import fc from "fast-check";
import { allocateProRata } from "../../src/domain/allocation";
import { partnerShrinkages, totalShrinkage } from "../../src/domain/shrinkage";

describe("totalShrinkage", () => {
  it("is field NSV minus terminal NSV, with its percent of the field", () => {
    // 10,001.09 − 9,771.90 = 229.19 bbl; 22919 / 1000109 × 100 = 2.2916502… %
    expect(totalShrinkage(1000109, 977190)).to.deep.equal({ shrinkage_cb: 22919, shrinkage_percent: 2.29165 });
    // 10,000.00 − 9,771.90 = 228.10 bbl = 2.281 % exactly
    expect(totalShrinkage(1_000_000, 977190)).to.deep.equal({ shrinkage_cb: 22810, shrinkage_percent: 2.281 });
  });

  it("is negative for a gain", () => {
    expect(totalShrinkage(100000, 101000)).to.deep.equal({ shrinkage_cb: -1000, shrinkage_percent: -1 });
    expect(totalShrinkage(300, 400)).to.deep.equal({ shrinkage_cb: -100, shrinkage_percent: -33.33333 });
  });

  it("rounds the percent to 5 decimals, ties to even, never to -0", () => {
    expect(totalShrinkage(300, 200).shrinkage_percent).to.equal(33.33333);
    expect(totalShrinkage(300, 100).shrinkage_percent).to.equal(66.66667);
    expect(totalShrinkage(20_000_000, 19_999_997).shrinkage_percent).to.equal(0.00002); // 0.000015 → up to even
    const tinyGain = totalShrinkage(20_000_000, 20_000_001).shrinkage_percent; // −0.000005 → 0
    expect(Object.is(tinyGain, 0)).to.equal(true);
  });

  it("is zero for an empty period and refuses a terminal with no field volume", () => {
    expect(totalShrinkage(0, 0)).to.deep.equal({ shrinkage_cb: 0, shrinkage_percent: 0 });
    expect(() => totalShrinkage(0, 1)).to.throw(RangeError);
    expect(() => totalShrinkage(-1, 0)).to.throw(RangeError);
    expect(() => totalShrinkage(10, 0.5)).to.throw(RangeError);
  });
});

describe("partnerShrinkages", () => {
  it("is each partner's NSV minus its allocation, summing to the total", () => {
    // allocations of the three-partner example in allocation.test.ts
    const partners = [
      { partner_id: "A", nsv_cb: 412345 },
      { partner_id: "B", nsv_cb: 321098 },
      { partner_id: "C", nsv_cb: 266666 },
    ];
    const rows = partnerShrinkages(partners, [
      { partner_id: "C", allocated_cb: 260555 },
      { partner_id: "A", allocated_cb: 402895 },
      { partner_id: "B", allocated_cb: 313740 },
    ]);
    // 412345 − 402895 = 9450; 321098 − 313740 = 7358; 266666 − 260555 = 6111; 9450 + 7358 + 6111 = 22919
    expect(rows).to.deep.equal([
      { partner_id: "A", shrinkage_cb: 9450 },
      { partner_id: "B", shrinkage_cb: 7358 },
      { partner_id: "C", shrinkage_cb: 6111 },
    ]);
  });

  it("refuses allocations that do not match the partners", () => {
    const partners = [
      { partner_id: "A", nsv_cb: 5 },
      { partner_id: "B", nsv_cb: 5 },
    ];
    expect(() => partnerShrinkages(partners, [{ partner_id: "A", allocated_cb: 5 }])).to.throw(RangeError);
    expect(() =>
      partnerShrinkages(partners, [
        { partner_id: "A", allocated_cb: 5 },
        { partner_id: "Z", allocated_cb: 5 },
      ]),
    ).to.throw(RangeError, /partner B/);
    expect(() =>
      partnerShrinkages(partners, [
        { partner_id: "A", allocated_cb: 5 },
        { partner_id: "A", allocated_cb: 5 },
      ]),
    ).to.throw(RangeError, /twice/);
  });

  it("sums exactly to the total shrinkage for any allocation (property)", () => {
    const partnersArb = fc
      .uniqueArray(fc.record({ partner_id: fc.string({ minLength: 1, maxLength: 3 }), nsv_cb: fc.nat({ max: 5_000_000_000 }) }), {
        selector: (p) => p.partner_id,
        minLength: 1,
        maxLength: 20,
      })
      .filter((ps) => ps.some((p) => p.nsv_cb > 0));
    fc.assert(
      fc.property(partnersArb, fc.nat({ max: 200_000_000_000 }), (partners, terminal) => {
        const field = partners.reduce((sum, p) => sum + p.nsv_cb, 0);
        const rows = partnerShrinkages(partners, allocateProRata(terminal, partners));
        expect(rows.reduce((sum, r) => sum + r.shrinkage_cb, 0)).to.equal(totalShrinkage(field, terminal).shrinkage_cb);
      }),
      { numRuns: 300 },
    );
  });
});
