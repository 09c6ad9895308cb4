import { expect } from "chai";
import fc from "fast-check";
import { divideHalfEven, roundHalfEven, roundTo, TIE_TOLERANCE, toScaledInteger } from "../../src/domain/rounding";

describe("roundHalfEven", () => {
  it("sends exact halves to the even neighbour", () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5].map((x) => roundHalfEven(x, 0))).to.deep.equal([0, 2, 2, 4, 0, -2, -2]);
    expect(roundHalfEven(0.125, 2)).to.equal(0.12); // 0.125 is exact in binary
    expect(roundHalfEven(0.375, 2)).to.equal(0.38);
  });

  it("never returns negative zero", () => {
    expect(Object.is(roundHalfEven(-0.4, 0), 0)).to.equal(true);
    expect(Object.is(roundHalfEven(-0.000004, 5), 0)).to.equal(true);
  });

  it("treats decimal halves that binary cannot hold as ties", () => {
    // 1.005 is stored as 1.00499999999999989…; 1.015 as 1.01499999999999990…
    expect(roundHalfEven(1.005, 2)).to.equal(1.0);
    expect(roundHalfEven(1.015, 2)).to.equal(1.02);
    expect(roundHalfEven(1.025, 2)).to.equal(1.02);
    expect(roundHalfEven(0.123455, 5)).to.equal(0.12346);
    expect(roundHalfEven(0.123465, 5)).to.equal(0.12346);
    expect(roundHalfEven(9771.895, 2)).to.equal(9771.9);
    expect(roundHalfEven(2.985, 2)).to.equal(2.98);
  });

  it("counts a value within 1e-7 of the rounding unit from a half as a tie, and no further", () => {
    // at 5 decimals the unit is 1e-5, so the tie band is ±1e-12 around …5e-6
    const half = 0.123465;
    expect(TIE_TOLERANCE).to.equal(1e-7);
    expect(roundHalfEven(half + 0.5e-12, 5)).to.equal(0.12346);
    expect(roundHalfEven(half - 0.5e-12, 5)).to.equal(0.12346);
    expect(roundHalfEven(half + 2e-12, 5)).to.equal(0.12347);
    expect(roundHalfEven(half - 2e-12, 5)).to.equal(0.12346);
    expect(roundHalfEven(0.123455 - 2e-12, 5)).to.equal(0.12345);
  });

  it("rounds non-ties to the nearest value", () => {
    expect(roundHalfEven(0.982104999, 5)).to.equal(0.9821);
    expect(roundHalfEven(0.982105001, 5)).to.equal(0.98211);
    expect(roundHalfEven(38.39485739158465, 1)).to.equal(38.4);
    expect(roundHalfEven(-27.7124992, 1)).to.equal(-27.7);
  });

  it("returns the double nearest to the rounded decimal", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }), (n, d) => {
        const x = n / 10 ** d;
        expect(roundHalfEven(x, d)).to.equal(x);
        expect(toScaledInteger(x, d)).to.equal(n);
      }),
    );
  });

  it("is odd-symmetric and moves a value by at most half a unit", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 5 }), (x, d) => {
        expect(roundHalfEven(-x, d)).to.equal(-roundHalfEven(x, d) || 0);
        expect(Math.abs(roundHalfEven(x, d) - x)).to.be.at.most(0.5 / 10 ** d + 1e-9);
      }),
    );
  });

  it("is what roundTo does", () => {
    expect(roundTo).to.equal(roundHalfEven);
  });

  it("refuses what it cannot round", () => {
    expect(() => roundHalfEven(Number.NaN, 2)).to.throw(RangeError, /not a finite number/);
    expect(() => roundHalfEven(Number.POSITIVE_INFINITY, 2)).to.throw(RangeError, /not a finite number/);
    expect(() => roundHalfEven(1, 2.5)).to.throw(RangeError, /decimals must be an integer/);
    expect(() => roundHalfEven(1, -1)).to.throw(RangeError, /decimals must be an integer/);
    expect(() => toScaledInteger(1e12, 5)).to.throw(RangeError, /too large/);
  });
});

describe("divideHalfEven", () => {
  it("divides exactly and sends true ties to the even quotient", () => {
    expect(divideHalfEven(982100n * 99500n, 100000n)).to.equal(977190n); // 977189.5 → 977190
    expect(divideHalfEven(300n * 99500n, 100000n)).to.equal(298n); // 298.5 → 298
    expect(divideHalfEven(1000n * 10005n * 100000n, 10n ** 9n)).to.equal(1000n); // 1000.5 → 1000
    expect(divideHalfEven(3000n * 10005n * 100000n, 10n ** 9n)).to.equal(3002n); // 3001.5 → 3002
    expect(divideHalfEven(7n, 2n)).to.equal(4n);
    expect(divideHalfEven(-7n, 2n)).to.equal(-4n);
    expect(divideHalfEven(-5n, 2n)).to.equal(-2n);
    expect(divideHalfEven(5n, -2n)).to.equal(-2n);
    expect(divideHalfEven(10n, 3n)).to.equal(3n);
    expect(divideHalfEven(11n, 3n)).to.equal(4n);
  });

  it("agrees with roundHalfEven on quotients a double holds exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(2, 4, 8, 16), (n, d) => {
        expect(Number(divideHalfEven(BigInt(n), BigInt(d)))).to.equal(roundHalfEven(n / d, 0));
      }),
    );
  });

  it("refuses division by zero", () => {
    expect(() => divideHalfEven(1n, 0n)).to.throw(RangeError, /division by zero/);
  });
});
