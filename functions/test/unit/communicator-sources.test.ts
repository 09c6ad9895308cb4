import { expect } from "chai";
import { isNewFlag, isNewReviewDecision } from "../../src/agents/communicator/sources";

const HASH = "a".repeat(64);
const flagged = { audit: { status: "flagged", input_hash: HASH } };
const review = (revision: number, input_hash = HASH) => ({ decision: "rejected", note: "", revision, by: "u1", input_hash });

describe("communicator sources: which entry updates are news", () => {
  it("a coordinator's first decision, and each later revision, are a new review decision", () => {
    expect(isNewReviewDecision(flagged, { ...flagged, review: review(1) })).to.equal(true);
    expect(isNewReviewDecision({ ...flagged, review: review(1) }, { ...flagged, review: review(2) })).to.equal(true);
  });

  it("the same review kept, a review of figures the entry no longer has, or no review are not", () => {
    const reviewed = { ...flagged, review: review(1) };
    expect(isNewReviewDecision(reviewed, { ...reviewed, changed_at: new Date() })).to.equal(false);
    expect(isNewReviewDecision(flagged, { audit: { status: "flagged", input_hash: "b".repeat(64) }, review: review(1) })).to.equal(false);
    expect(isNewReviewDecision(reviewed, flagged)).to.equal(false);
    expect(isNewReviewDecision(undefined, undefined)).to.equal(false);
  });

  it("a review decision is not a new flag, so one update is told once", () => {
    expect(isNewFlag(flagged, { ...flagged, review: review(1) })).to.equal(false);
  });
});
