import { expect } from "chai";
import { bulkOutcomeText, inCalls } from "../../../web/src/domain/bulk-review";

describe("web: one decision over many flagged entries", () => {
  it("says how many were decided, already decided and refused, naming the first refusals", () => {
    expect(bulkOutcomeText("rejected", { decided: 1, unchanged: 0, refused: [] })).to.equal("1 entry rejected.");
    expect(
      bulkOutcomeText("approved", { decided: 40, unchanged: 2, refused: [{ entry_id: "e-9", reason: "Entry e-9 does not exist." }] }),
    ).to.equal("40 entries approved. 2 entries carried this decision and note already. 1 entry refused (e-9: Entry e-9 does not exist.).");
    const refused = Array.from({ length: 7 }, (_, i) => ({ entry_id: `e-${i}`, reason: "not flagged" }));
    const text = bulkOutcomeText("rejected", { decided: 0, unchanged: 0, refused });
    expect(text).to.contain("7 entries refused (e-0: not flagged; e-1");
    expect(text).to.contain("e-4: not flagged; 2 more).");
    expect(text).to.not.contain("e-5");
  });

  it("splits the ids into calls of at most the callable's limit, in order", () => {
    const ids = Array.from({ length: 205 }, (_, i) => `e-${i}`);
    const calls = inCalls(ids, 100);
    expect(calls.map((c) => c.length)).to.deep.equal([100, 100, 5]);
    expect(calls.flat()).to.deep.equal(ids);
    expect(inCalls([], 100)).to.deep.equal([]);
  });
});
