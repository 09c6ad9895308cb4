/** How the web app shows a measured input (web/src/format.ts): every decimal it was stored with. */
import { expect } from "chai";
import { figure, luafTolerance, measured } from "../../../web/src/format";

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

  it("gives a computed figure the field's decimals exactly, and its unit", () => {
    expect(figure(3044.036, 2, "bbl")).to.equal("3,044.04 bbl");
    expect(figure(0.33, 2, "%")).to.equal("0.33 %");
    expect(figure(101, 1, "°F")).to.equal("101.0 °F");
    expect(figure(1.00071234, 5, "")).to.equal("1.00071");
    expect(figure(undefined, 2, "bbl")).to.equal("—");
  });
});
