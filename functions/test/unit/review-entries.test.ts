import { expect } from "chai";
import { HttpsError } from "firebase-functions/v2/https";
import { BULK_REVIEW_MAX_ENTRIES, bulkReviewInputSchema, reviewEntries } from "../../src/agents/auditor/review-entries";
import { auditInputHash } from "../../src/domain/production-entry";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { parseInput } from "../../src/shared/callable-guard";

const issues = (input: unknown) => {
  const result = bulkReviewInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
};

/** The refusal's message as the callable pipeline words it. */
const refusal = (input: unknown): string => {
  try {
    parseInput(bulkReviewInputSchema, input);
  } catch (error) {
    expect(error).to.be.instanceOf(HttpsError);
    expect((error as HttpsError).code).to.equal("invalid-argument");
    return (error as HttpsError).message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
};

const ids = (n: number) => Array.from({ length: n }, (_, i) => `e-${i}`);

describe("reviewEntries input", () => {
  it("accepts up to 100 ids with a decision and a note, trimming the ids and the note", () => {
    expect(bulkReviewInputSchema.parse({ entry_ids: [" e-1 ", "e-2"], decision: "rejected", note: "  gateway glitch  " })).to.deep.equal({
      entry_ids: ["e-1", "e-2"],
      decision: "rejected",
      note: "gateway glitch",
    });
    expect(BULK_REVIEW_MAX_ENTRIES).to.equal(100);
    expect(issues({ entry_ids: ids(100), decision: "approved", note: "lab confirmed" })).to.deep.equal([]);
  });

  it("refuses 101 ids with one issue, however many of them are malformed", () => {
    expect(issues({ entry_ids: ids(101), decision: "rejected", note: "x" })).to.deep.equal(["entry_ids: too_big"]);
    expect(issues({ entry_ids: Array(5000).fill("a/b"), decision: "rejected", note: "x" })).to.deep.equal(["entry_ids: too_big"]);
    expect(refusal({ entry_ids: ids(101), decision: "rejected", note: "x" })).to.equal(
      "Invalid request: entry_ids: must name at most 100 entries: decide the others in another call",
    );
  });

  it("refuses an empty list and a list that is not one", () => {
    expect(refusal({ entry_ids: [], decision: "rejected", note: "x" })).to.equal(
      "Invalid request: entry_ids: must name at least one entry",
    );
    expect(issues({ entry_ids: "e-1", decision: "rejected", note: "x" })).to.deep.equal(["entry_ids: invalid_type"]);
    expect(issues({ decision: "rejected", note: "x" })).to.deep.equal(["entry_ids: invalid_type"]);
  });

  it("names each duplicated id and where it first came", () => {
    expect(refusal({ entry_ids: ["e-1", "e-2", "e-1", " e-2", "e-3"], decision: "rejected", note: "x" })).to.equal(
      'Invalid request: entry_ids item 3: "e-1" is item 1 already: name each entry once; entry_ids item 4: "e-2" is item 2 already: name each entry once',
    );
  });

  it("refuses each id outside the bounded id rule, by its place in the list", () => {
    expect(issues({ entry_ids: ["ok", "a/b", "__x__", "x".repeat(65), "", 7], decision: "rejected", note: "x" })).to.deep.equal([
      "entry_ids.1: custom",
      "entry_ids.2: custom",
      "entry_ids.3: custom",
      "entry_ids.4: too_small",
      "entry_ids.4: custom",
      "entry_ids.5: invalid_type",
    ]);
    expect(refusal({ entry_ids: ["a/b"], decision: "rejected", note: "x" })).to.match(
      /^Invalid request: entry_ids item 1: must be 1 to 64 characters/,
    );
  });

  it("requires a note that is not blank for either decision", () => {
    for (const decision of ["approved", "rejected"]) {
      expect(issues({ entry_ids: ["e-1"], decision }), decision).to.deep.equal(["note: invalid_type"]);
      expect(refusal({ entry_ids: ["e-1"], decision, note: " \n " }), decision).to.equal(
        "Invalid request: note: a note is required: say why these entries are approved or rejected",
      );
    }
    expect(refusal({ entry_ids: ["e-1"], decision: "approved" })).to.equal("Invalid request: note: is required");
  });

  it("refuses a note over 2000 characters, unknown decisions, extra keys (input_hash too) and a non-object", () => {
    expect(issues({ entry_ids: ["e-1"], decision: "rejected", note: "x".repeat(2001) })).to.deep.equal(["note: too_big"]);
    expect(issues({ entry_ids: ["e-1"], decision: "rejected", note: "x".repeat(2000) })).to.deep.equal([]);
    expect(issues({ entry_ids: ["e-1"], decision: "approve", note: "x" })).to.deep.equal(["decision: invalid_value"]);
    expect(issues({ entry_ids: ["e-1"], decision: "rejected", note: "x", input_hash: "a".repeat(64) })).to.deep.equal([
      ": unrecognized_keys",
    ]);
    expect(issues({ entry_id: "e-1", decision: "rejected", note: "x" })).to.deep.equal(["entry_ids: invalid_type", ": unrecognized_keys"]);
    expect(issues(null)).to.deep.equal([": invalid_type"]);
  });

  it("takes each entry's input hash as the queue showed it, for entries it names only", () => {
    const shown = { "e-1": "a".repeat(64) };
    expect(issues({ entry_ids: ["e-1", "e-2"], decision: "approved", note: "x", input_hashes: shown })).to.deep.equal([]);
    expect(issues({ entry_ids: ["e-2"], decision: "approved", note: "x", input_hashes: shown })).to.deep.equal([
      "input_hashes.e-1: custom",
    ]);
    expect(issues({ entry_ids: ["e-1"], decision: "approved", note: "x", input_hashes: { "e-1": "A".repeat(64) } })).to.deep.equal([
      "input_hashes.e-1: invalid_format",
    ]);
    const thousands = Object.fromEntries(ids(5000).map((id) => [id, "not a hash"]));
    expect(issues({ entry_ids: ["e-1"], decision: "approved", note: "x", input_hashes: thousands })).to.deep.equal([
      "input_hashes: custom",
    ]);
  });
});

describe("reviewEntries: an entry that fails", () => {
  const figures = { partner_id: "p1", gross_volume_bbl: 1000, bsw_percent: 2 };
  const hash = auditInputHash(figures);
  /** Flagged, and rejected on review already with the call's note: decided again, it is unchanged (and nothing is written). */
  const reviewed = {
    ...figures,
    audit: { status: "flagged", input_hash: hash },
    review: { decision: "rejected", note: "glitch", input_hash: hash, revision: 1 },
  };
  const failures: Record<string, Error> = {
    boom: new Error("disk on fire"),
    busy: Object.assign(new Error("10 ABORTED: Transaction lock timeout"), { code: 10 }),
  };
  /** Entries by id in a Firestore stand-in: `gone` is missing, `boom` and `busy` fail to be read in the transaction. */
  const deps = {
    clock: { now: () => new Date("2026-11-01T00:00:00Z") },
    db: {
      doc: (path: string) => ({ path, id: path.split("/")[1] }),
      getAll: async (...refs: Array<{ id?: string }>) =>
        refs.filter((r) => r.id !== undefined).map((r) => ({ id: r.id, exists: r.id !== "gone", get: () => "p1" })),
      runTransaction: async (work: (tx: unknown) => Promise<unknown>) =>
        work({
          get: async (ref: { id: string }) => {
            if (failures[ref.id]) throw failures[ref.id];
            return ref.id === "gone" ? { exists: false, data: () => undefined } : { exists: true, data: () => reviewed };
          },
        }),
    },
  } as unknown as AgentDeps;

  it("reports it by the pipeline's generic words and code, and answers for every other entry, in the order named", async () => {
    const result = await reviewEntries(
      deps,
      { entry_ids: ["ok-1", "boom", "gone", "busy", "ok-2"], decision: "rejected", note: "glitch" },
      { uid: "c1", role: "jv_coordinator" },
    );

    expect(result.results.map((r) => [r.entry_id, r.status, r.code])).to.deep.equal([
      ["ok-1", "unchanged", undefined],
      ["boom", "refused", "internal"],
      ["gone", "refused", "not-found"],
      ["busy", "refused", "aborted"],
      ["ok-2", "unchanged", undefined],
    ]);
    const reason = (id: string) => result.results.find((r) => r.entry_id === id)?.reason ?? "";
    expect(reason("boom")).to.match(/^FlowShare could not complete the request\. The failure was logged with reference [0-9a-f-]{36};/);
    expect(reason("boom")).to.not.contain("disk on fire");
    expect(reason("busy")).to.match(/^Other requests were changing the same records .* call again\./);
    expect(reason("gone")).to.equal("Production entry gone does not exist.");
    expect(result.counts).to.deep.equal({ decided: 0, unchanged: 2, refused: 3 });
  });

  it("refuses an entry audited on other figures than the queue showed, and decides the one shown", async () => {
    const result = await reviewEntries(
      deps,
      { entry_ids: ["ok-1", "ok-2"], decision: "rejected", note: "glitch", input_hashes: { "ok-1": hash, "ok-2": "b".repeat(64) } },
      { uid: "c1", role: "jv_coordinator" },
    );
    expect(result.results.map((r) => [r.entry_id, r.status, r.code])).to.deep.equal([
      ["ok-1", "unchanged", undefined],
      ["ok-2", "refused", "failed-precondition"],
    ]);
    expect(result.results[1].reason).to.equal("Entry ok-2 was edited and audited again since you read it; review the new verdict.");
  });
});
