import { expect } from "chai";
import {
  CLOCK_MARGIN_MS,
  CLOSE_CALL_ID,
  CLOSE_IN_PROGRESS_TTL_MS,
  changesOfCall,
  closesAnyOf,
  closingMonthOf,
  closingMonths,
  isLive,
  mayCommit,
  withChange,
  type CallRecord,
} from "../../src/domain/close-in-progress";
import { newCloseCallId } from "../../src/shared/closing-months";

const record = (entryIds: string[] = [], changes = 0, expiresAtMs = 1_000): CallRecord => ({
  expires_at_ms: expiresAtMs,
  entry_ids: entryIds,
  changes,
});

describe("close in progress: what a call's records in its months say changed", () => {
  it("a change tells a record until two minutes after it expired; a commit counts on it only while two minutes are left", () => {
    const r = record([], 0, 10 * 60_000);
    expect([isLive(r, 12 * 60_000 - 1), isLive(r, 12 * 60_000)]).to.deep.equal([true, false]);
    expect([mayCommit(r, 8 * 60_000 - 1), mayCommit(r, 8 * 60_000)]).to.deep.equal([true, false]);
    expect([isLive(undefined, 0), mayCommit(undefined, 0)]).to.deep.equal([false, false]);
    // Whatever a commit counts on, every change until then (even on a clock 2 minutes ahead) tells it.
    expect(CLOCK_MARGIN_MS * 2).to.be.below(CLOSE_IN_PROGRESS_TTL_MS - 540_000);
  });

  it("each change counts once and adds its entries once, up to the cap", () => {
    expect(withChange(record(["a"], 1), ["a", "b"], 50)).to.deep.include({ entry_ids: ["a", "b"], changes: 2 });
    expect(withChange(record(["a", "b"], 2), ["c", "d"], 3)).to.deep.include({ entry_ids: ["a", "b", "c"], changes: 3 });
    expect(withChange(record(["a"], 1), ["a"], 50)).to.deep.include({ entry_ids: ["a"], changes: 2 });
  });

  it("the months' records add up: entries once across months (capped), changes summed, missing months nothing", () => {
    expect(changesOfCall([record(["a", "b"], 2), undefined, record(["b", "c"], 1)], 50)).to.deep.equal({
      entry_ids: ["a", "b", "c"],
      changes: 3,
    });
    expect(changesOfCall([record(["a", "b"], 2), record(["c"], 1)], 2)).to.deep.equal({ entry_ids: ["a", "b"], changes: 3 });
    expect(changesOfCall([record(), record()], 50)).to.deep.equal({ entry_ids: [], changes: 0 });
  });

  it("a call is recorded once per month of its days, and told only of changes on one of its days", () => {
    expect(closingMonthOf("2026-02-28")).to.equal("2026-02");
    expect(closingMonths(["2026-01-30", "2026-01-31", "2026-02-01", "2026-01-15"])).to.deep.equal(["2026-01", "2026-02"]);
    const closing = { ...record(), first_day: "2026-01-30", last_day: "2026-02-01" };
    expect(["2026-01-29", "2026-01-30", "2026-02-01", "2026-02-02"].map((day) => closesAnyOf(closing, [day]))).to.deep.equal([
      false,
      true,
      true,
      false,
    ]);
    // An entry moved from another day onto one of the call's: the change concerns it.
    expect(closesAnyOf(closing, ["2026-01-20", "2026-01-31"])).to.equal(true);
    // A record that does not say its days is told of every change rather than miss one.
    expect(closesAnyOf(record(), ["1999-12-31"])).to.equal(true);
  });

  it("call ids are 16 hex digits, safe as field names, and new each time", () => {
    const ids = new Set(Array.from({ length: 100 }, newCloseCallId));
    expect(ids.size).to.equal(100);
    for (const id of ids) expect(id).to.match(CLOSE_CALL_ID);
    expect("a.b").to.not.match(CLOSE_CALL_ID);
  });
});
