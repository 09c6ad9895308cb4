import { expect } from "chai";
import {
  byCorrectionTime,
  correctionText,
  mergeCorrections,
  noteOf,
  storedCorrections,
  versionCorrection,
  type CorrectionKind,
  type VersionCorrection,
} from "../../src/domain/version-corrections";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
// The version before began reading the period at SINCE.
const SINCE = at("2026-10-10T00:00:00Z");
const BEFORE = at("2026-10-01T08:00:00Z");
const AFTER = at("2026-10-16T08:00:00Z");
const LATER = at("2026-10-17T09:00:00Z");

/** An operator's entry the version before read, corrected by a coordinator since. */
const correctedSince = () =>
  versionCorrection(
    "e3",
    { partner_id: "p1", created_by: "op", created_at: BEFORE, corrected_by: "coord", corrected_at: AFTER, correction_note: "meter factor" },
    SINCE,
  );

describe("the corrections behind a version", () => {
  it("a coordinator's late entry since the version before: created and signed in one write", () => {
    const late = versionCorrection(
      "e1",
      {
        partner_id: "p1",
        created_by: "coord",
        created_at: AFTER,
        corrected_by: "coord",
        corrected_at: AFTER,
        correction_note: "ticket found",
      },
      SINCE,
    );
    expect(late).to.deep.equal({ entry_id: "e1", partner_id: "p1", kind: "late entry", by: "coord", at: AFTER });
  });

  it("a late entry corrected again since is not passed off as a correction of an entry the version before read", () => {
    const c = versionCorrection(
      "e1",
      {
        partner_id: "p1",
        created_by: "coord",
        created_at: AFTER,
        corrected_by: "coord-2",
        corrected_at: LATER,
        correction_note: "gross mistyped",
      },
      SINCE,
    );
    expect(c).to.deep.include({ kind: "entered since, then corrected", by: "coord-2", at: LATER });
  });

  it("an entry created since without a correction (an operator's during the close) is a new entry, by its creator", () => {
    expect(versionCorrection("e2", { partner_id: "p2", created_by: "op", created_at: AFTER }, SINCE)).to.deep.include({
      kind: "new entry",
      by: "op",
      at: AFTER,
    });
  });

  it("a correction of an entry the version before read, made since", () => {
    const c = correctedSince();
    expect(c).to.deep.include({ kind: "correction", by: "coord", at: AFTER });
  });

  it("never credits a correction made before the version before (a later review or verdict changed the entry)", () => {
    const c = versionCorrection(
      "e4",
      {
        partner_id: "p1",
        created_by: "op",
        created_at: BEFORE,
        corrected_by: "coord",
        corrected_at: at("2026-10-05T00:00:00Z"),
        correction_note: "old",
      },
      SINCE,
    );
    expect(c).to.deep.equal({ entry_id: "e4", partner_id: "p1", kind: "changed without a correction", by: null, at: null });
    expect(versionCorrection("e5", { partner_id: "p1", created_by: "op", created_at: BEFORE }, SINCE).kind).to.equal(
      "changed without a correction",
    );
  });

  it("shows a note only while the entry's last correction is the row's, and says so otherwise", () => {
    const row = correctedSince();
    expect(noteOf(row, { note: "meter factor", corrected_at: AFTER })).to.equal("meter factor");
    expect(noteOf(row, { note: "corrected again", corrected_at: LATER })).to.equal(undefined);
    expect(noteOf(row, undefined)).to.equal(undefined);
    expect(correctionText(row, "meter factor", iso)).to.equal('correction by coord on 2026-10-16T08:00:00.000Z: "meter factor"');
    expect(correctionText(row, undefined, iso)).to.equal(
      "correction by coord on 2026-10-16T08:00:00.000Z (its note is not on record here: see the entry and the audit log)",
    );
  });

  it("at the edges: an entry created at the very start counts as since; one without created_at as one that existed; an operator's entry corrected since is not called late", () => {
    const signed = { corrected_by: "coord", correction_note: "n" };
    expect(versionCorrection("e6", { partner_id: "p1", created_by: "op", created_at: SINCE }, SINCE).kind).to.equal("new entry");
    expect(versionCorrection("e7", { partner_id: "p1", ...signed, corrected_at: AFTER }, SINCE).kind).to.equal("correction");
    expect(versionCorrection("e8", { partner_id: "p1" }, SINCE).kind).to.equal("changed without a correction");
    expect(
      versionCorrection("e9", { partner_id: "p1", created_by: "api_key:gw1", created_at: AFTER, ...signed, corrected_at: LATER }, SINCE),
    ).to.deep.include({
      kind: "entered since, then corrected",
      by: "coord",
      at: LATER,
    });
  });

  it("orders them oldest first, those without a time last, then by entry id", () => {
    const c = (entry_id: string, time?: string): VersionCorrection => ({
      entry_id,
      partner_id: "p",
      kind: time ? "correction" : "changed without a correction",
      by: time ? "coord" : null,
      at: time ? at(time) : null,
    });
    const sorted = [c("b"), c("z", "2026-10-02T00:00:00Z"), c("a"), c("y", "2026-10-01T00:00:00Z")].sort(byCorrectionTime);
    expect(sorted.map((x) => x.entry_id)).to.deep.equal(["y", "z", "a", "b"]);
    expect(correctionText(sorted[2]!, undefined, iso)).to.equal(
      "changed without a correction (a review or verdict, or an operator's change while the period was being closed)",
    );
  });
});

describe("corrections behind a version that follows one never released", () => {
  const row = (entry_id: string, at: string | null, kind: CorrectionKind = "correction"): VersionCorrection => ({
    entry_id,
    partner_id: "a",
    kind,
    by: "c1",
    at: at ? new Date(at) : null,
  });

  it("keeps that version's and the new ones, an entry once (its latest row), oldest first, within the cap", () => {
    const earlier = [row("e1", "2026-10-01T10:00:00Z"), row("e2", "2026-10-02T10:00:00Z")];
    const later = [row("e2", "2026-10-05T10:00:00Z", "late entry"), row("e3", null, "changed without a correction")];
    expect(mergeCorrections(earlier, later).map((c) => [c.entry_id, c.kind])).to.deep.equal([
      ["e1", "correction"],
      ["e2", "late entry"],
      ["e3", "changed without a correction"],
    ]);
    expect(mergeCorrections(earlier, later, 2).map((c) => c.entry_id)).to.deep.equal(["e2", "e3"]);
  });

  it("reads a stored report's rows, and leaves out what is not a row", () => {
    const at = new Date("2026-10-01T10:00:00Z");
    const stored = [{ entry_id: "e1", partner_id: "a", kind: "correction", by: "c1", at }, null, { kind: "x" }];
    expect(storedCorrections(stored)).to.deep.equal([{ entry_id: "e1", partner_id: "a", kind: "correction", by: "c1", at }]);
    expect(storedCorrections(undefined)).to.deep.equal([]);
  });
});
