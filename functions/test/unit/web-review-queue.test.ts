/**
 * The review queue (web/src/domain/review-queue.ts): the auditor's marked entries however many
 * reviewed flags are newer, unmarked unreviewed flags from the newest flagged, oldest first.
 */
import { expect } from "chai";
import { awaitingDecision, unmarked } from "../../../web/src/domain/review-queue";

const at = (day: number) => ({ toMillis: () => Date.UTC(2026, 8, day) });
const entry = (id: string, day: number, audit: { status: string; awaiting_review?: boolean }, review?: object) => ({
  id,
  data: { measured_at: at(day), audit, ...(review ? { review } : {}) },
});

describe("web review queue", () => {
  it("lists a marked entry older than a hundred reviewed flags, oldest first", () => {
    const reviewed = Array.from({ length: 100 }, (_, i) =>
      entry(`r${i}`, 10 + (i % 20), { status: "flagged", awaiting_review: false }, { decision: "approved" }),
    );
    const old = entry("old", 1, { status: "flagged", awaiting_review: true });
    const recent = entry("recent", 5, { status: "flagged", awaiting_review: true });

    const listed = awaitingDecision([old, recent], reviewed);

    expect(listed.map((d) => d.id)).to.deep.equal(["old", "recent"]);
  });

  it("adds an unreviewed flag whose audit carries no mark, once, and counts it as unmarked", () => {
    const marked = entry("marked", 3, { status: "flagged", awaiting_review: true });
    const legacy = entry("legacy", 2, { status: "flagged" });
    const legacyReviewed = entry("legacy-reviewed", 4, { status: "flagged" }, { decision: "rejected" });

    const listed = awaitingDecision([marked], [marked, legacy, legacyReviewed]);

    expect(listed.map((d) => d.id)).to.deep.equal(["legacy", "marked"]);
    expect(unmarked(listed)).to.equal(1);
  });

  it("drops what a decision or a new verdict took out of the queue before its query caught up", () => {
    const decided = entry("decided", 1, { status: "flagged", awaiting_review: true }, { decision: "approved" });
    const validated = entry("validated", 2, { status: "validated", awaiting_review: true });
    const unmarkedFlag = entry("flag-false", 3, { status: "flagged", awaiting_review: false });

    expect(awaitingDecision([decided, validated], [unmarkedFlag])).to.deep.equal([]);
  });

  it("orders entries of the same instant by id", () => {
    const b = entry("b", 1, { status: "flagged", awaiting_review: true });
    const a = entry("a", 1, { status: "flagged", awaiting_review: true });
    expect(awaitingDecision([b, a], []).map((d) => d.id)).to.deep.equal(["a", "b"]);
  });
});
