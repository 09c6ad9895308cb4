import { expect } from "chai";
import fc from "fast-check";
import { periodSlices } from "../../src/domain/period-slices";

describe("period slices (the scan's sub-ranges)", () => {
  it("cuts a period into contiguous sub-ranges that cover it exactly", () => {
    const start = new Date("2026-09-01T06:00:00Z");
    const end = new Date("2026-10-01T06:00:00Z");
    const slices = periodSlices(start, end, 4);
    expect(slices).to.have.length(4);
    expect(slices[0][0].getTime()).to.equal(start.getTime());
    expect(slices[3][1].getTime()).to.equal(end.getTime());
    for (let i = 1; i < slices.length; i++) expect(slices[i][0].getTime()).to.equal(slices[i - 1][1].getTime());
    expect(slices[1][0].toISOString()).to.equal("2026-09-08T18:00:00.000Z");
  });

  it("gives fewer, never empty, slices for a period shorter than the count in milliseconds", () => {
    const start = new Date(1_000);
    expect(periodSlices(start, new Date(1_002), 4).map(([a, b]) => [a.getTime(), b.getTime()])).to.deep.equal([
      [1_000, 1_001],
      [1_001, 1_002],
    ]);
    expect(periodSlices(start, new Date(1_001), 1)).to.have.length(1);
  });

  it("always tiles [start, end) without gaps or overlaps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 1e11 }),
        fc.integer({ min: 1, max: 16 }),
        (from, span, count) => {
          const slices = periodSlices(new Date(from), new Date(from + span), count);
          expect(slices.length).to.be.within(1, count);
          expect(slices[0][0].getTime()).to.equal(from);
          expect(slices[slices.length - 1][1].getTime()).to.equal(from + span);
          slices.forEach(([a, b], i) => {
            expect(b.getTime()).to.be.greaterThan(a.getTime());
            if (i > 0) expect(a.getTime()).to.equal(slices[i - 1][1].getTime());
          });
        },
      ),
    );
  });
});
