import { expect } from "chai";
import { restatementOf } from "../../src/domain/statement";
import { restatementState, type RaisedAdjustment } from "../../../web/src/domain/restatement";

describe("web: what became of a version's restatement", () => {
  const at = new Date("2026-11-20T09:30:00Z");
  const decided = (status: string, extra: Partial<RaisedAdjustment> = {}): RaisedAdjustment => ({
    status,
    decided_by: status === "pending" || status === "withdrawn" ? null : "coord-1",
    decided_at: status === "pending" || status === "withdrawn" ? null : at,
    note: status === "pending" || status === "withdrawn" ? null : "Checked with the gauger's book.",
    ...extra,
  });

  it("says nothing when the version raised no adjustment", () => {
    expect(restatementState([])).to.deep.equal({ kind: "none" });
  });

  it("counts a set still waiting for its decision", () => {
    expect(restatementState([decided("pending"), decided("pending")])).to.deep.equal({ kind: "pending", count: 2 });
  });

  it("gives an approved set's decision and every statement that carried one of it, once each", () => {
    const state = restatementState([
      decided("approved", { carried_in: "r9_v1" }),
      decided("approved", { carried_in: "r8_v2" }),
      decided("approved", { carried_in: "r9_v1" }),
      decided("approved", { carried_in: null }),
    ]);
    expect(state).to.deep.equal({
      kind: "approved",
      by: "coord-1",
      at,
      note: "Checked with the gauger's book.",
      carriedIn: ["r8_v2", "r9_v1"],
    });
  });

  it("gives a rejected set's decision, and an empty note as none", () => {
    expect(restatementState([decided("rejected", { note: "" })])).to.deep.equal({ kind: "rejected", by: "coord-1", at, note: null });
  });

  it("names the version a withdrawn set was withdrawn in", () => {
    expect(restatementState([decided("withdrawn", { withdrawn_in: "r1_v3" })])).to.deep.equal({ kind: "withdrawn", withdrawnIn: "r1_v3" });
  });

  it("counts a set decided apart (before sets were decided together) by status", () => {
    expect(restatementState([decided("rejected"), decided("approved"), decided("approved")])).to.deep.equal({
      kind: "apart",
      counts: [
        ["approved", 2],
        ["rejected", 1],
      ],
    });
  });

  it("reads a set as the PDF statement does: the same status for the same documents", () => {
    const sets: RaisedAdjustment[][] = [
      [decided("pending")],
      [decided("approved")],
      [decided("rejected")],
      [decided("withdrawn", { withdrawn_in: "r1_v3" })],
      [decided("approved"), decided("rejected")],
    ];
    for (const set of sets) {
      const pdf = restatementOf(set as unknown as Record<string, unknown>[])!;
      const web = restatementState(set);
      expect(web.kind === "apart" ? "decided apart" : web.kind).to.equal(pdf.status);
    }
  });
});
