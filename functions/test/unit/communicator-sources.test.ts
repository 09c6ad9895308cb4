import { expect } from "chai";
import { carriesReview, isNewFlag, isNewReviewDecision, previousDecision } from "../../src/agents/communicator/sources";

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

  it("the decision a review replaces is the one before on the same figures only", () => {
    expect(previousDecision({ ...flagged, review: review(1) }, HASH)).to.equal("rejected");
    expect(previousDecision({ ...flagged, review: review(1, "b".repeat(64)) }, HASH)).to.equal(null);
    expect(previousDecision(flagged, HASH)).to.equal(null);
  });

  it("a stored entry carries a review while its figures, revision and time are the review's", () => {
    const at = new Date("2026-11-05T10:00:00Z");
    const stored = (fields: Record<string, unknown>) => ({ get: (path: string) => fields[path] });
    const timestamp = (d: Date) => ({ toDate: () => d });
    const base = { "audit.input_hash": HASH, "review.input_hash": HASH, "review.revision": 2, "review.at": timestamp(at) };
    const decision = { input_hash: HASH, revision: 2, at };
    expect(carriesReview(stored(base), decision)).to.equal(true);
    expect(carriesReview(stored({ ...base, "review.revision": 3 }), decision), "a later decision").to.equal(false);
    expect(carriesReview(stored({ ...base, "review.at": timestamp(new Date(at.getTime() + 1)) }), decision), "another decision").to.equal(
      false,
    );
    expect(carriesReview(stored({ ...base, "audit.input_hash": "b".repeat(64) }), decision), "corrected since").to.equal(false);
    expect(carriesReview(stored({ "audit.input_hash": HASH }), decision), "review dropped").to.equal(false);
  });
});
