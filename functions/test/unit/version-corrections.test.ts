import { expect } from "chai";
import {
  byCorrectionTime,
  CORRECTION_NOTE_KEPT,
  correctionText,
  versionCorrection,
  type VersionCorrection,
} from "../../src/domain/version-corrections";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("the corrections behind a version", () => {
  it("tells a coordinator's late entry (created and signed in one write) from a later correction", () => {
    const created = at("2026-10-16T08:00:00Z");
    const late = versionCorrection("e1", {
      partner_id: "p1",
      created_by: "coord",
      created_at: created,
      corrected_by: "coord",
      corrected_at: created,
      correction_note: "ticket found after the close",
    });
    expect(late).to.deep.equal({
      entry_id: "e1",
      partner_id: "p1",
      kind: "late entry",
      by: "coord",
      at: created,
      note: "ticket found after the close",
    });
    const fixed = versionCorrection("e1", {
      ...lateFields(created),
      corrected_at: at("2026-10-17T09:00:00Z"),
      correction_note: "gross mistyped",
    });
    expect([fixed.kind, fixed.by, fixed.note, fixed.at?.toISOString()]).to.deep.equal([
      "correction",
      "coord",
      "gross mistyped",
      "2026-10-17T09:00:00.000Z",
    ]);
    // An operator's entry corrected by a coordinator.
    const operator = versionCorrection("e2", {
      partner_id: "p2",
      created_by: "op",
      created_at: created,
      corrected_by: "coord",
      corrected_at: created,
      correction_note: "wrong meter factor",
    });
    expect(operator.kind).to.equal("correction");
  });

  it("says an entry that changed without a correction note has no author or note (a review or verdict changed)", () => {
    for (const entry of [
      { partner_id: "p1" },
      { partner_id: "p1", corrected_by: "coord" },
      { partner_id: "p1", corrected_by: "coord", correction_note: "  " },
    ]) {
      expect(versionCorrection("e3", entry)).to.deep.equal({
        entry_id: "e3",
        partner_id: "p1",
        kind: "no correction note",
        by: null,
        at: null,
        note: null,
      });
    }
  });

  it("keeps at most CORRECTION_NOTE_KEPT characters of a note, marked as cut", () => {
    const long = versionCorrection("e4", {
      partner_id: "p1",
      corrected_by: "coord",
      corrected_at: at("2026-10-17T09:00:00Z"),
      correction_note: "x".repeat(2000),
    });
    expect(long.note).to.have.length(CORRECTION_NOTE_KEPT);
    expect(long.note!.endsWith("…")).to.equal(true);
  });

  it("orders them oldest first, those without a time last, then by entry id; and says each in words", () => {
    const c = (entry_id: string, time?: string): VersionCorrection => ({
      entry_id,
      partner_id: "p",
      kind: time ? "correction" : "no correction note",
      by: time ? "coord" : null,
      at: time ? at(time) : null,
      note: time ? "n" : null,
    });
    const sorted = [c("b"), c("z", "2026-10-02T00:00:00Z"), c("a"), c("y", "2026-10-01T00:00:00Z")].sort(byCorrectionTime);
    expect(sorted.map((x) => x.entry_id)).to.deep.equal(["y", "z", "a", "b"]);
    expect(correctionText(sorted[0]!, iso)).to.equal('correction by coord on 2026-10-01T00:00:00.000Z: "n"');
    expect(correctionText(sorted[2]!, iso)).to.equal("changed without a correction note (its review or verdict changed)");
  });
});

function lateFields(created: Date): Record<string, unknown> {
  return { partner_id: "p1", created_by: "coord", created_at: created, corrected_by: "coord" };
}
