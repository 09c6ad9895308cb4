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
      awaitingRelease: false,
      reading: false,
    });
  });

  // carried_in moves to the newest version that carries the set, released or not: a partner is
  // named only a version released to it, else told one awaits its release, with no link.
  it("names a partner only the carrying statements it may open", () => {
    const released: Record<string, boolean | undefined> = { r9_v2: true, r9_v3: false, r7_v1: undefined };
    const partner = (id: string) => released[id];
    const carried = (...ids: string[]) => ids.map((id) => decided("approved", { carried_in: id }));
    expect(restatementState(carried("r9_v3"), partner))
      .to.include({ awaitingRelease: true, reading: false })
      .and.to.have.property("carriedIn").that.is.empty;
    expect(restatementState(carried("r9_v2"), partner)).to.deep.include({ carriedIn: ["r9_v2"], awaitingRelease: false, reading: false });
    expect(restatementState(carried("r9_v2", "r9_v3"), partner)).to.deep.include({ carriedIn: ["r9_v2"], awaitingRelease: true });
    // Until it is known, neither a link nor "awaiting release".
    expect(restatementState(carried("r7_v1"), partner)).to.deep.include({ carriedIn: [], awaitingRelease: false, reading: true });
    // The JV's roles read every version: each carrier is named.
    expect(restatementState(carried("r9_v3"))).to.deep.include({ carriedIn: ["r9_v3"], awaitingRelease: false, reading: false });
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
