import { formatNumber } from "../../src/domain/robust-stats";
/** How the web app shows a measured input (web/src/format.ts): every decimal it was stored with. */
import { expect } from "chai";
import {
  counted,
  deltaBbl,
  isGain,
  luafTolerance,
  measured,
  median,
  MINUS,
  shrinkage,
  signed,
  signedBbl,
  signedMeasured,
} from "../../../web/src/format";
import { fieldHint } from "../../../web/src/domain/entry-checks";

describe("web figures as entered", () => {
  it("shows at least the field's decimals and every one the figure has", () => {
    expect(measured(1.004, 2)).to.equal("1.004");
    expect(measured(1, 2)).to.equal("1.00");
    expect(measured(302.04, 1)).to.equal("302.04");
    expect(measured(1840.256, 2)).to.equal("1,840.256");
    expect(measured(37, 0)).to.equal("37");
    expect(measured(37.4, 0)).to.equal("37.4");
  });

  it("does not take binary noise for decimals, never rounds a stored decimal away, and shows a missing figure as a dash", () => {
    expect(measured(0.1 + 0.2, 2)).to.equal("0.30");
    expect(measured((0.1 + 0.2) / 2, 2)).to.equal("0.15");
    expect(measured(1.0000001, 2)).to.equal("1.0000001");
    expect(measured(1840.1234565, 2)).to.equal("1,840.1234565");
    expect(measured(98765.43 + 0.01, 2)).to.equal("98,765.44");
    expect(measured(98765.43000001, 2)).to.equal("98,765.43000001");
    expect(measured(150000.12345678, 2)).to.equal("150,000.12345678");
    expect(measured(950000000.123457, 2)).to.equal("950,000,000.123457");
    expect(measured(0.0000001, 2)).to.equal("0.0000001");
    expect(measured(undefined, 2)).to.equal("—");
    expect(measured(Number.NaN, 2)).to.equal("—");
  });

  it("gives the LUAF tolerance with every decimal it has", () => {
    expect(luafTolerance(2)).to.equal("2.00");
    expect(luafTolerance(0.125)).to.equal("0.125");
  });

  it("signs every negative figure with U+2212, never a hyphen, and a zero with no sign", () => {
    expect(MINUS).to.equal("\u2212");
    expect(signedBbl(-748.49)).to.equal("\u2212748.49");
    expect(signedBbl(-1234.5)).to.equal("\u22121,234.50");
    expect(signedBbl(5244.31)).to.equal("5,244.31");
    expect(signedBbl(-0.001)).to.equal("0.00");
    expect(signedBbl(undefined)).to.equal("—");
    expect(deltaBbl(2309.42)).to.equal("+2,309.42");
    expect(deltaBbl(-592.86)).to.equal("\u2212592.86");
    expect(deltaBbl(0)).to.equal("0.00");
    expect(signed(-0.34, 5)).to.equal("\u22120.34000");
    expect(signed(-1.18, 2)).to.equal("\u22121.18");
  });

  it("signs a limit with every decimal it has and U+2212, as the entry form's hints quote them", () => {
    expect(signedMeasured(-14.696)).to.equal("\u221214.696");
    expect(signedMeasured(-58)).to.equal("\u221258");
    expect(signedMeasured(302)).to.equal("302");
    expect(signedMeasured(-0)).to.equal("0");
    expect(fieldHint("temperature_degF", "").limits).to.equal("accepted \u221258 to 302 °F (API MPMS 11.1)");
    expect(fieldHint("temperature_degF", "400").message).to.equal("rejected: outside \u221258 to 302 °F");
    expect(fieldHint("pressure_psig", "").limits).to.contain("below \u221214.696 is rejected");
    expect(fieldHint("api_gravity", "").limits).to.contain("accepted about \u221210 to 100 °API");
  });

  it("shows a negative shrinkage as a gain, a positive one as it is", () => {
    expect(shrinkage(-12.34, 2, " bbl")).to.equal("\u221212.34 bbl (gain)");
    expect(shrinkage(-39.96, 2)).to.equal("\u221239.96 (gain)");
    expect(shrinkage(615.62, 2, " bbl")).to.equal("615.62 bbl");
    expect(shrinkage(-1.3557, 5, " %")).to.equal("\u22121.35570 % (gain)");
    expect(shrinkage(-0.001, 2, " bbl")).to.equal("0.00 bbl");
    expect(shrinkage(0, 2)).to.equal("0.00");
    expect(isGain(-39.96)).to.equal(true);
    expect(isGain(-0.004)).to.equal(false);
    expect(isGain(12)).to.equal(false);
  });

  it("shows a median to 2 decimals as the auditor's reasons do, with at least the field's decimals and its unit", () => {
    expect(median(3044.036, 2, "bbl")).to.equal("3,044.04 bbl");
    expect(median(0.33, 2, "%")).to.equal("0.33 %");
    expect(median(60.25, 1, "°F")).to.equal("60.25 °F");
    expect(median(101, 1, "°F")).to.equal("101.0 °F");
    expect(median(36.7, 1, "°API")).to.equal("36.7 °API");
    // The same digits as the auditor's reason beside it quotes (robust-stats formatNumber).
    expect(median(0.175, 2, "%")).to.equal(`${formatNumber(0.175, 2)} %`);
    expect(median(1.00071234, 5, "")).to.equal("1.00071");
    expect(median(0.15000000000000002, 2, "%")).to.equal("0.15 %");
    expect(median(undefined, 2, "bbl")).to.equal("—");
  });

  it("counts in the singular for one only", () => {
    expect(counted(1, "event")).to.equal("1 event");
    expect(counted(0, "event")).to.equal("0 events");
    expect(counted(1204, "event")).to.equal("1,204 events");
    expect(counted(2, "broken chain")).to.equal("2 broken chains");
  });

  it("signs a negative reading and its median with U+2212, as the z beside them", () => {
    expect(signedMeasured(-100, 1)).to.equal("\u2212100.0");
    expect(signedMeasured(-0.25, 1)).to.equal("\u22120.25");
    expect(median(-12.346, 1, "°F")).to.equal("\u221212.35 °F");
    expect(median(-0.001, 1, "°F")).to.equal("0.0 °F");
  });
});
