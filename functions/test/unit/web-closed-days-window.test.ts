/** Which closed days an entry list reads (web/src/domain/closed-days-window.ts). */
import { expect } from "chai";
import { CLOSED_DAYS_BACK, closedDaysWindow } from "../../../web/src/domain/closed-days-window";

const now = new Date("2026-12-03T10:00:00Z");
const daysBetween = (from: string, to: Date) => (to.getTime() - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe("closed days an entry list reads", () => {
  it("reads the last CLOSED_DAYS_BACK days when every entry is newer", () => {
    const window = closedDaysWindow(new Date("2026-11-20T08:00:00Z"), now);
    expect(window.since).to.equal("2025-10-29");
    expect(daysBetween(window.since, now)).to.be.closeTo(CLOSED_DAYS_BACK, 1);
    expect(closedDaysWindow(undefined, now)).to.deep.equal(window);
  });

  it("reaches back to the month before the oldest entry's date when that is older", () => {
    expect(closedDaysWindow(new Date("2024-03-15T12:00:00Z"), now).since).to.equal("2024-03-01");
    // An entry's contract day can carry a date two days before its UTC date (a 20:00 start at UTC-6
    // puts 2024-03-02T01:00Z on 2024-02-29): two days early.
    expect(closedDaysWindow(new Date("2024-03-02T01:00:00Z"), now).since).to.equal("2024-02-01");
    expect(closedDaysWindow(new Date("2024-03-03T01:00:00Z"), now).since).to.equal("2024-03-01");
  });

  it("reads at least one document per date up to today, so the ascending query reaches today", () => {
    for (const oldest of [undefined, new Date("2024-03-15T12:00:00Z"), new Date("2019-01-01T00:00:00Z")]) {
      const { since, limit } = closedDaysWindow(oldest, now);
      expect(limit).to.be.greaterThan(daysBetween(since, now));
    }
  });

  it("ignores a date that does not parse", () => {
    expect(closedDaysWindow(new Date("not a date"), now)).to.deep.equal(closedDaysWindow(undefined, now));
  });
});
