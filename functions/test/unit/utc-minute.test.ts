import { expect } from "chai";
import { utcMinute } from "../../src/domain/utc-minute";

describe("utcMinute", () => {
  it("gives a time to the minute in UTC, without seconds, milliseconds, T or Z", () => {
    expect(utcMinute(new Date("2020-01-01T00:00:00Z"))).to.equal("2020-01-01 00:00 UTC");
    expect(utcMinute(new Date("1999-12-31T23:59:59.999Z"))).to.equal("1999-12-31 23:59 UTC");
  });

  it("gives a year outside 0000–9999 as ISO rather than cutting its sign off", () => {
    expect(utcMinute(new Date("+010000-01-01T00:00:00Z"))).to.equal("+010000-01-01T00:00:00.000Z");
  });
});
