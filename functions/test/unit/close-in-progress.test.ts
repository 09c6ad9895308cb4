import { expect } from "chai";
import { CLOSE_CALL_ID, changesOfCall, isLive, withChange, type CallRecord } from "../../src/domain/close-in-progress";
import { newCloseCallId } from "../../src/shared/closing-days";

const record = (entryIds: string[] = [], changes = 0, expiresAtMs = 1_000): CallRecord => ({
  expires_at_ms: expiresAtMs,
  entry_ids: entryIds,
  changes,
});

describe("close in progress: what a call's records on its days say changed", () => {
  it("a record is live until it expires, and a missing one never is", () => {
    expect(isLive(record([], 0, 1_000), 999)).to.equal(true);
    expect(isLive(record([], 0, 1_000), 1_000)).to.equal(false);
    expect(isLive(undefined, 0)).to.equal(false);
  });

  it("each change counts once and adds its entries once, up to the cap", () => {
    const once = withChange(record(["a"], 1), ["a", "b"], 50, false)!;
    expect(once).to.deep.include({ entry_ids: ["a", "b"], changes: 2 });
    const capped = withChange(record(["a", "b"], 2), ["c", "d"], 3, false)!;
    expect(capped).to.deep.include({ entry_ids: ["a", "b", "c"], changes: 3 });
  });

  it("a retried mark that finds its entries listed counts nothing; a new entry on retry still counts", () => {
    expect(withChange(record(["a"], 1), ["a"], 50, true)).to.equal(null);
    expect(withChange(record(["a"], 1), ["a", "b"], 50, true)).to.deep.include({ entry_ids: ["a", "b"], changes: 2 });
  });

  it("the days' records add up: entries once across days (capped), changes summed, missing days nothing", () => {
    expect(changesOfCall([record(["a", "b"], 2), undefined, record(["b", "c"], 1)], 50)).to.deep.equal({
      entry_ids: ["a", "b", "c"],
      changes: 3,
    });
    expect(changesOfCall([record(["a", "b"], 2), record(["c"], 1)], 2)).to.deep.equal({ entry_ids: ["a", "b"], changes: 3 });
    expect(changesOfCall([record(), record()], 50)).to.deep.equal({ entry_ids: [], changes: 0 });
  });

  it("call ids are 16 hex digits, safe as field names, and new each time", () => {
    const ids = new Set(Array.from({ length: 100 }, newCloseCallId));
    expect(ids.size).to.equal(100);
    for (const id of ids) expect(id).to.match(CLOSE_CALL_ID);
    expect("a.b").to.not.match(CLOSE_CALL_ID);
  });
});
