import { expect } from "chai";
import { listedOnMeterAndDay } from "../../../web/src/domain/entry-duplicate";

const UTC = { contract_day_start_hour: 0, utc_offset_minutes: 0 };
const SIX_AT_PLUS_ONE = { contract_day_start_hour: 6, utc_offset_minutes: 60 };

const listed: Array<{ id: string; entry: { meter_id: string | null; measured_at: Date } }> = [
  { id: "a", entry: { meter_id: "M-1", measured_at: new Date("2026-11-04T06:00:00Z") } },
  { id: "b", entry: { meter_id: null, measured_at: new Date("2026-11-04T07:00:00Z") } },
  { id: "c", entry: { meter_id: "M-2", measured_at: new Date("2026-11-05T04:30:00Z") } },
];

describe("web: an entry already listed on the meter and day being entered", () => {
  it("finds the entry on the same meter and contract day, and none on another meter or day", () => {
    expect(listedOnMeterAndDay(listed, "M-1", "2026-11-04", UTC)?.id).to.equal("a");
    expect(listedOnMeterAndDay(listed, "M-1", "2026-11-05", UTC)).to.equal(undefined);
    expect(listedOnMeterAndDay(listed, "M-3", "2026-11-04", UTC)).to.equal(undefined);
    expect(listedOnMeterAndDay(listed, "m-1", "2026-11-04", UTC), "meter ids compare exactly, as the auditor's key does").to.equal(
      undefined,
    );
  });

  it("takes two entries without a meter on one day as duplicates", () => {
    expect(listedOnMeterAndDay(listed, null, "2026-11-04", UTC)?.id).to.equal("b");
  });

  it("reads each entry's day on the JV's contract day, not the UTC date", () => {
    // 04:30 UTC on 5 Nov is 05:30 at +01:00: before 06:00, so contract day 4 Nov.
    expect(listedOnMeterAndDay(listed, "M-2", "2026-11-04", SIX_AT_PLUS_ONE)?.id).to.equal("c");
    expect(listedOnMeterAndDay(listed, "M-2", "2026-11-05", SIX_AT_PLUS_ONE)).to.equal(undefined);
  });

  it("does not take the entry being corrected for its own duplicate", () => {
    expect(listedOnMeterAndDay(listed, "M-1", "2026-11-04", UTC, "a")).to.equal(undefined);
  });
});
