import { expect } from "chai";
import { reviewInputSchema } from "../../src/agents/auditor/review-entry";
import { entryAuditStream, isValidDocumentId } from "../../src/shared/entry-stream";

const issues = (input: unknown) => {
  const result = reviewInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
};

describe("reviewEntry input", () => {
  it("accepts an approval with a note and trims it", () => {
    expect(reviewInputSchema.parse({ entry_id: " e-1 ", decision: "approved", note: "  Lab confirmed  " })).to.deep.equal({
      entry_id: "e-1",
      decision: "approved",
      note: "Lab confirmed",
    });
  });

  it("accepts the input_hash of the audit reviewed, and only a sha256 in hex", () => {
    const hash = "a".repeat(64);
    expect(reviewInputSchema.parse({ entry_id: "e-1", decision: "rejected", input_hash: hash })).to.deep.equal({
      entry_id: "e-1",
      decision: "rejected",
      input_hash: hash,
    });
    for (const bad of ["A".repeat(64), "a".repeat(63), "", null, 7]) {
      expect(issues({ entry_id: "e-1", decision: "rejected", input_hash: bad })).to.have.length(1);
    }
  });

  it("accepts a rejection without a note", () => {
    expect(reviewInputSchema.parse({ entry_id: "e-1", decision: "rejected" })).to.deep.equal({ entry_id: "e-1", decision: "rejected" });
  });

  it("requires a note that is not blank to approve", () => {
    expect(issues({ entry_id: "e-1", decision: "approved" })).to.deep.equal(["note: custom"]);
    expect(issues({ entry_id: "e-1", decision: "approved", note: " \n " })).to.deep.equal(["note: custom"]);
  });

  it("refuses ids outside [A-Za-z0-9_-]{1,64} or reserved (__name__), unknown decisions, long notes and extra keys", () => {
    expect(issues({ entry_id: "a/b", decision: "rejected" })).to.deep.equal(["entry_id: custom"]);
    expect(issues({ entry_id: "x.y", decision: "rejected" })).to.deep.equal(["entry_id: custom"]);
    expect(issues({ entry_id: "x".repeat(65), decision: "rejected" })).to.deep.equal(["entry_id: custom"]);
    expect(issues({ entry_id: "__proto__", decision: "rejected" })).to.deep.equal(["entry_id: custom"]);
    expect(issues({ entry_id: "x".repeat(64), decision: "rejected" })).to.deep.equal([]);
    expect(issues({ entry_id: "e-1", decision: "approve", note: "x" })).to.deep.equal(["decision: invalid_value"]);
    expect(issues({ entry_id: "e-1", decision: "rejected", note: "x".repeat(2001) })).to.deep.equal(["note: too_big"]);
    expect(issues({ entry_id: "e-1", decision: "rejected", by: "someone" })).to.deep.equal([": unrecognized_keys"]);
    expect(issues(null)).to.deep.equal([": invalid_type"]);
  });
});

describe("entry audit streams", () => {
  it("names one stream per partner, and entries_unknown for ids that cannot be a document id", () => {
    expect(entryAuditStream("p-1")).to.equal("partner_p-1");
    for (const bad of [undefined, 42, "", "a/b", ".", "..", "__p__", "x".repeat(1501)]) {
      expect(isValidDocumentId(bad), String(bad)).to.equal(false);
      expect(entryAuditStream(bad)).to.equal("entries_unknown");
    }
  });
});
