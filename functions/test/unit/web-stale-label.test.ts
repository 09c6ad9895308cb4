/** A stale version's count in words (web/src/domain/stale-label.ts): changes and the distinct entries behind them. */
import { expect } from "chai";
import { staleChangesInWords, staleCountNote } from "../../../web/src/domain/stale-label";

describe("a stale version's marks in words", () => {
  it("counts changes and entries apart, as stale_changes and stale_entry_ids hold them", () => {
    expect(staleChangesInWords(2, ["e1"])).to.equal("2 changes to 1 entry");
    expect(staleChangesInWords(1, ["e1"])).to.equal("1 change to 1 entry");
    expect(staleChangesInWords(3, ["e1", "e2"])).to.equal("3 changes to 2 entries");
    expect(staleChangesInWords(undefined, undefined)).to.equal("1 change to entries");
    expect(
      staleChangesInWords(
        60,
        Array.from({ length: 50 }, (_, i) => `e${i}`),
      ),
    ).to.equal("60 changes to 50 or more entries");
  });

  it("says why there are more changes than entries, only then", () => {
    expect(staleCountNote(2, ["e1"])).to.match(/^An entry counts once for each change to it/);
    expect(staleCountNote(1, ["e1"])).to.equal(undefined);
    expect(staleCountNote(2, [])).to.equal(undefined);
  });
});
