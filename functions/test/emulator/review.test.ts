import { expect } from "chai";
import { adminDb, callFunction, sleep, uniqueId, withoutTriggers, type TestUser } from "../support/emulator";
import { auditEvents, entryData, flaggedEntry, reviewEvents, seedPartner, waitForAudit, writeEntry } from "../support/production-entries";

const QUIET_MS = 3_000;

const coordinator = (): TestUser => ({ uid: uniqueId("coordinator"), role: "jv_coordinator" });
const admin = (): TestUser => ({ uid: uniqueId("admin"), role: "admin" });

const entry = async (id: string) => (await adminDb().doc(`production_entries/${id}`).get()).data()!;

describe("reviewEntry", () => {
  it("lets a coordinator approve a flagged entry with a note, without a re-audit", async () => {
    const { id, partner } = await flaggedEntry();
    const before = await entry(id);
    const user = coordinator();

    const response = await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "Lab confirmed 2 %" }, user);

    expect(response.error).to.equal(undefined);
    expect(response.result).to.deep.equal({ entry_id: id, decision: "approved" });
    const after = await entry(id);
    expect(after.review).to.deep.include({
      decision: "approved",
      by: user.uid,
      by_role: "jv_coordinator",
      note: "Lab confirmed 2 %",
      input_hash: before.audit.input_hash,
      revision: 1,
      previous: null,
    });
    expect(after.audit.history_eligible).to.equal(true);
    expect(after.audit.awaiting_review).to.equal(false);
    const [event] = await reviewEvents(id);
    expect(event).to.deep.include({ actor: user.uid, stream: `partner_${partner}`, action: "entry_reviewed" });
    expect(event.details).to.deep.include({ decision: "approved", note: "Lab confirmed 2 %", revision: 1, previous_decision: null });

    await sleep(QUIET_MS);
    expect((await entry(id)).audit.checked_at.isEqual(before.audit.checked_at)).to.equal(true);
    expect(await auditEvents(id)).to.have.length(1);
  });

  it("refuses a note holding a bidirectional or control character, naming the note and the character, and writes nothing", async () => {
    const { id } = await flaggedEntry();
    const before = await entry(id);

    const spoofed = await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "Lab: 1\u202e05 bbl" }, coordinator());

    expect([spoofed.error?.status, spoofed.error?.message]).to.deep.equal([
      "INVALID_ARGUMENT",
      "Invalid request: note: must not hold U+202E (a bidirectional control)",
    ]);
    expect((await entry(id)).review ?? null).to.deep.equal(before.review ?? null);
    expect(await reviewEvents(id)).to.have.length(0);
    // The same refinement guards the other callables' typed text.
    const decision = await callFunction("decideAdjustment", { adjustment_id: "a-1", decision: "approved", note: "ok\u0000" }, admin());
    expect([decision.error?.status, decision.error?.message]).to.deep.equal([
      "INVALID_ARGUMENT",
      "Invalid request: note: must not hold U+0000 (a control character)",
    ]);
    const key = await callFunction("createApiKey", { partner_id: "p-1", name: "Main\u2066 gateway" }, admin());
    expect([key.error?.status, key.error?.message]).to.deep.equal([
      "INVALID_ARGUMENT",
      "Invalid request: name: must not hold U+2066 (a bidirectional control)",
    ]);
  });

  it("lets an admin reject without a note; the entry stays out of the history", async () => {
    const { id } = await flaggedEntry();

    const response = await callFunction("reviewEntry", { entry_id: id, decision: "rejected" }, admin());

    expect(response.result).to.deep.equal({ entry_id: id, decision: "rejected" });
    const after = await entry(id);
    expect(after.review).to.deep.include({ decision: "rejected", by_role: "admin", note: "" });
    expect(after.audit.history_eligible).to.equal(false);
    expect(after.audit.awaiting_review).to.equal(false);
  });

  it("logs a repeated identical review once, and a changed decision as a new revision", async () => {
    const { id } = await flaggedEntry();
    const user = coordinator();
    const approve = { entry_id: id, decision: "approved", note: "Confirmed by phone" };

    const clicks = await Promise.all([callFunction("reviewEntry", approve, user), callFunction("reviewEntry", approve, user)]);
    expect(clicks.map((c) => c.result)).to.deep.equal([
      { entry_id: id, decision: "approved" },
      { entry_id: id, decision: "approved" },
    ]);
    expect(await reviewEvents(id)).to.have.length(1);

    await callFunction("reviewEntry", { entry_id: id, decision: "rejected", note: "Second sample wet" }, user);

    const events = await reviewEvents(id);
    expect(events.map((e) => [e.details.decision, e.details.revision, e.details.previous_decision])).to.deep.equal([
      ["approved", 1, null],
      ["rejected", 2, "approved"],
    ]);
    const after = await entry(id);
    expect(after.review).to.deep.include({ decision: "rejected", revision: 2 });
    // The decision it replaced stays on the entry, for coordinators, who cannot read the audit log.
    const first = events[0]!;
    expect(after.review.previous).to.deep.include({ decision: "approved", by: user.uid, note: "Confirmed by phone", revision: 1 });
    expect(after.review.previous.at.toDate().toISOString()).to.equal(first.at.toDate().toISOString());
    expect(after.audit.history_eligible).to.equal(false);
  });

  it("refuses a decision made on an audit the entry no longer has, and applies one made on its current audit", async () => {
    const { id } = await flaggedEntry();
    const seen = (await entry(id)).audit;
    await adminDb().doc(`production_entries/${id}`).update({ bsw_percent: 3, correction_note: "re-tested" });
    const current = await waitForAudit(id, (a) => a.input_hash !== seen.input_hash);
    expect(current.status).to.equal("flagged");

    const stale = await callFunction(
      "reviewEntry",
      { entry_id: id, decision: "approved", note: "2 % confirmed", input_hash: seen.input_hash },
      coordinator(),
    );
    expect(stale.error?.status).to.equal("FAILED_PRECONDITION");
    expect(stale.error?.details).to.deep.equal({ status: "changed" });
    expect((await entry(id)).review).to.equal(undefined);

    const fresh = await callFunction(
      "reviewEntry",
      { entry_id: id, decision: "approved", note: "3 % confirmed", input_hash: current.input_hash },
      coordinator(),
    );
    expect(fresh.error).to.equal(undefined);
    expect((await entry(id)).review).to.deep.include({ decision: "approved", input_hash: current.input_hash });
  });

  it("refuses a decision while the entry waits to be audited again, then takes it on the new verdict", async () => {
    const { id } = await flaggedEntry();
    const user = coordinator();
    await withoutTriggers(async () => {
      // As the auditor marks it when the entry it duplicated moves away (its own trigger is off here).
      await adminDb()
        .doc(`production_entries/${id}`)
        .update({ "audit.recheck": { reason: "moved_away", entry_id: "e-moved" } });
      const { error } = await callFunction("reviewEntry", { entry_id: id, decision: "rejected" }, user);
      expect(error?.status).to.equal("FAILED_PRECONDITION");
      expect(error?.message).to.match(/is being audited again .*review it once the new verdict is in/);
      expect((await entry(id)).review).to.equal(undefined);
    });
    await adminDb().doc(`production_entries/${id}`).update({ note: "re-read" });
    const audit = await waitForAudit(id, (a) => a.recheck === undefined);
    expect(audit.status).to.equal("flagged");
    const { error } = await callFunction("reviewEntry", { entry_id: id, decision: "rejected" }, user);
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect((await entry(id)).review.decision).to.equal("rejected");
  });

  it("drops the review when a measured field changes afterwards, and audits again", async () => {
    const { id } = await flaggedEntry();
    await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "ok" }, coordinator());
    const reviewed = await entry(id);

    await adminDb().doc(`production_entries/${id}`).update({ bsw_percent: 0.4, correction_note: "re-tested" });
    const audit = await waitForAudit(id, (a) => a.input_hash !== reviewed.audit.input_hash);

    expect(audit.status).to.equal("validated");
    expect(audit.history_eligible).to.equal(true);
    expect((await entry(id)).review).to.equal(undefined);
    const reaudit = (await auditEvents(id)).find((e) => e.details.input_hash === audit.input_hash);
    expect(reaudit?.details.stale_review_removed).to.equal("approved");
  });

  it("puts an approved entry back in the review queue when a correction is flagged again, and the queue's query finds it", async () => {
    const { id } = await flaggedEntry();
    await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "2 % confirmed" }, coordinator());
    const reviewed = await entry(id);
    expect(reviewed.audit.awaiting_review).to.equal(false);

    await adminDb().doc(`production_entries/${id}`).update({ bsw_percent: 3, correction_note: "re-tested" });
    const audit = await waitForAudit(id, (a) => a.input_hash !== reviewed.audit.input_hash);

    expect(audit.status).to.equal("flagged");
    expect(audit.awaiting_review).to.equal(true);
    expect((await entry(id)).review).to.equal(undefined);
    // The web app's queue query (web/src/data/queries.ts awaitingReview): oldest first.
    const queue = await adminDb().collection("production_entries").where("audit.awaiting_review", "==", true).orderBy("measured_at").get();
    expect(queue.docs.map((d) => d.id)).to.include(id);
  });

  for (const role of ["field_operator", "jv_partner", "auditor"]) {
    it(`refuses the ${role} role`, async () => {
      const { id } = await flaggedEntry();
      const user: TestUser = { uid: uniqueId(role), role, partner_id: "any" };

      const response = await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "x" }, user);

      expect(response.error?.status).to.equal("PERMISSION_DENIED");
      expect((await entry(id)).review).to.equal(undefined);
    });
  }

  it("refuses a caller without a role and an unauthenticated call", async () => {
    const input = { entry_id: "whatever", decision: "rejected" };

    const noRole = await callFunction("reviewEntry", input, { uid: uniqueId("nobody") });
    const anonymous = await callFunction("reviewEntry", input);

    expect(noRole.error?.status).to.equal("PERMISSION_DENIED");
    expect(anonymous.error?.status).to.equal("UNAUTHENTICATED");
  });

  it("refuses invalid input with every problem in the details", async () => {
    const response = await callFunction("reviewEntry", { entry_id: "", decision: "maybe", extra: 1 }, coordinator());

    expect(response.error?.status).to.equal("INVALID_ARGUMENT");
    const issues = (response.error?.details as { issues: Array<{ path: string; code: string }> }).issues;
    expect(issues.map((i) => i.path)).to.include.members(["entry_id", "decision", ""]);
    expect(issues.find((i) => i.path === "")?.code).to.equal("unrecognized_keys");
  });

  it("requires a note to approve", async () => {
    const { id } = await flaggedEntry();

    const response = await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "   " }, coordinator());

    expect(response.error?.status).to.equal("INVALID_ARGUMENT");
    const issues = (response.error?.details as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues).to.deep.equal([{ path: "note", code: "custom", message: "a note is required to approve: say what was confirmed" }]);
    expect((await entry(id)).review).to.equal(undefined);
  });

  it("answers not-found for an entry that does not exist", async () => {
    const response = await callFunction("reviewEntry", { entry_id: uniqueId("missing"), decision: "rejected" }, coordinator());

    expect(response.error?.status).to.equal("NOT_FOUND");
  });

  it("refuses to review an entry that is not flagged, naming its status", async () => {
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner));
    await waitForAudit(id);

    const response = await callFunction("reviewEntry", { entry_id: id, decision: "approved", note: "fine" }, coordinator());

    expect(response.error?.status).to.equal("FAILED_PRECONDITION");
    expect(response.error?.message).to.contain("is validated, not flagged");
    expect(response.error?.details).to.deep.equal({ status: "validated" });
  });
});
