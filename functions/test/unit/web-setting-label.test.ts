/** How the JV settings screen names a field in its sentences (web/src/domain/setting-label.ts). */
import { expect } from "chai";
import { keyInWords, labelInSentence } from "../../../web/src/domain/setting-label";

describe("a JV setting's name in a sentence", () => {
  it("lowercases a label's first word, keeps an acronym, and puts an unknown key in words", () => {
    expect(labelInSentence("Contract day starts at hour")).to.equal("contract day starts at hour");
    expect(labelInSentence("UTC offset")).to.equal("UTC offset");
    expect(labelInSentence("LUAF tolerance")).to.equal("LUAF tolerance");
    expect(labelInSentence("JV start date")).to.equal("JV start date");
    expect(keyInWords("contract_day_start_hour")).to.equal("contract day start hour");
  });
});
