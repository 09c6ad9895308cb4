import { expect } from "chai";
import { releaseBrief, releaseNotice, type ReleasedVersion } from "../../src/domain/release-notice";

const release: ReleasedVersion = {
  reconciliation_id: "pet-20261101_v2",
  terminal_receipt_id: "pet-20261101",
  version: 2,
  released_by: "coord-2",
  releaser_name: "Tomas Eriksen",
  released_at: new Date("2026-12-02T10:05:41Z"),
  release_note: "Tickets and terminal proof checked",
};

describe("the JV's notice of a version released to the partners", () => {
  it("says who released which version, when, with their note, and what follows", () => {
    const text = releaseNotice(release);
    expect(text.title).to.equal("Version 2 of receipt pet-20261101: released to the partners");
    expect(text.body.split("\n")).to.deep.equal([
      "Tomas Eriksen released version 2 of receipt pet-20261101 to the partners at 2026-12-02 10:05 UTC, after checking it.",
      `Their note: "Tickets and terminal proof checked"`,
      "Each partner's users are told of their own allocation statement now, and read this version from now on; its prior-period adjustments, if any, can now be decided.",
    ]);
    expect(text.highlights).to.deep.equal(["Released by Tomas Eriksen", `"Tickets and terminal proof checked"`]);
  });

  it("names a releaser without a name by role, and keeps a note on one line", () => {
    const text = releaseNotice({ ...release, releaser_name: null, release_note: "checked\nagain\u202E" });
    expect(text.body).to.match(/^A coordinator or an admin released version 2/);
    expect(text.body).to.include(`Their note: "checked again"`);
    expect(text.highlights[0]).to.equal("Released by a coordinator or an admin");
  });

  it("is told in the standard text, with the ids the inbox links by", () => {
    const brief = releaseBrief(release);
    expect(brief.type).to.equal("reconciliation_released");
    expect(brief.templateOnly?.reason).to.equal("coordinator_decision");
    expect(brief.data).to.deep.equal({
      reconciliation_id: "pet-20261101_v2",
      terminal_receipt_id: "pet-20261101",
      version: 2,
      released_by: "coord-2",
      releaser_name: "Tomas Eriksen",
      released_at: "2026-12-02T10:05:41.000Z",
    });
  });
});
