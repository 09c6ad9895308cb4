import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { sameCorrection, storedMillis } from "../../../web/src/domain/corrections";

describe("web: which correction a report's row names", () => {
  it("matches an entry's microsecond server time with the millisecond the report stored, as the Admin SDK rounds it", () => {
    // Production server timestamps carry microseconds; the report holds Timestamp.toDate() of it.
    const correctedAt = new Timestamp(1_790_000_000, 123_600_000 + 700);
    const stored = Timestamp.fromDate(correctedAt.toDate());
    expect(stored.nanoseconds).to.equal(124_000_000);
    expect(sameCorrection(correctedAt, stored)).to.equal(true);
    expect(storedMillis(correctedAt)).to.equal(correctedAt.toDate().getTime());
  });

  it("tells a later correction apart, and an entry never corrected", () => {
    const stored = Timestamp.fromDate(new Date("2026-10-16T08:00:00.124Z"));
    expect(sameCorrection(new Timestamp(stored.seconds, 125_000_000), stored)).to.equal(false);
    expect(sameCorrection(new Timestamp(stored.seconds + 60, 124_000_000), stored)).to.equal(false);
    expect(sameCorrection(undefined, stored)).to.equal(false);
  });
});
