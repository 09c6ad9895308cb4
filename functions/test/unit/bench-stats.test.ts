/** The statistics the benchmark judges its goals by: a figure printed as "met" must be the one meant. */
import { expect } from "chai";
import { median, turnsRatio } from "../../../scripts/bench/stats";

describe("bench statistics", () => {
  it("takes the middle value of an odd count and the mean of the middle two of an even count, in any order", () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([0.76, 0.48, 0.51, 0.69])).to.be.closeTo(0.6, 1e-12);
    expect(median([5])).to.equal(5);
  });

  it("refuses the median of nothing rather than printing NaN as a ratio", () => {
    expect(() => median([])).to.throw("no values");
  });

  it("judges the turns' median call against their median floor, so one fast read does not decide it", () => {
    const turns = [
      { floorMs: 530, callMs: 540 },
      { floorMs: 550, callMs: 560 },
      { floorMs: 540, callMs: 510 },
      { floorMs: 550, callMs: 690 },
      { floorMs: 510, callMs: 480 },
      { floorMs: 340, callMs: 760 },
      { floorMs: 530, callMs: 480 },
    ];
    // Medians 540 (calls) and 530 (floors); the best call against the best read would be 480 / 340 = 1.41.
    expect(turnsRatio(turns)).to.be.closeTo(540 / 530, 1e-12);
  });

  it("still fails a call that is slower in every turn", () => {
    const turns = [400, 420, 450].map((floorMs) => ({ floorMs, callMs: floorMs * 1.3 }));
    expect(turnsRatio(turns)).to.be.closeTo(1.3, 1e-12);
  });
});
