import { expect } from "chai";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { notifyEntryReview } from "../../src/agents/communicator/notify";
import { entryReviewNotificationId } from "../../src/domain/notification-ids";
import { directDeps, notificationsOf, seedUsers, user, waitForNotifications } from "../support/communicator-world";
import { adminDb, callFunction, uniqueId } from "../support/emulator";
import { entryData, seedPartner, waitForAudit, writeEntry, type Audit } from "../support/production-entries";
import { fakeGemini } from "./setup";

const REJECT_NOTE = "Sample contaminated: re-sample and enter the new figures.";
const APPROVE_NOTE = "Re-sampled: the lab confirms 2 % BS&W.";

const reviewedOf = async (uid: string, entryId: string) =>
  (await notificationsOf(uid, { entry_id: entryId })).filter((n) => n.get("type") === "entry_reviewed");

describe("communicator: a coordinator's decision on a flagged entry", () => {
  let partner: string;
  let other: string;
  let entryId: string;
  let audit: Audit;
  const operators: Array<ReturnType<typeof user>> = [];
  let otherOperator: ReturnType<typeof user>;
  let partnerUser: ReturnType<typeof user>;
  const coordinator = user("jv_coordinator");
  const idsFor = (revision: number) => operators.map((u) => entryReviewNotificationId(entryId, audit.input_hash, revision, u.uid));

  before(async function () {
    this.timeout(150_000);
    partner = await seedPartner();
    other = await seedPartner();
    operators.push(user("field_operator", partner), user("field_operator", partner));
    otherOperator = user("field_operator", other);
    partnerUser = user("jv_partner", partner);
    await seedUsers([...operators, otherOperator, partnerUser, coordinator]);
    await adminDb().doc(`people/${coordinator.uid}`).set({ display_name: "Dana Okafor", role: "jv_coordinator" });
    // BS&W 2 %: the auditor flags it.
    entryId = await writeEntry(entryData(partner, { bsw_percent: 2 }));
    audit = await waitForAudit(entryId);
    expect(audit.status).to.equal("flagged");
  });

  it("a rejection tells the partner's field operators who decided, the note and what to do, in the standard text", async function () {
    this.timeout(150_000);
    const response = await callFunction("reviewEntry", { entry_id: entryId, decision: "rejected", note: REJECT_NOTE }, coordinator);
    expect(response.error).to.equal(undefined);

    const notes = await waitForNotifications(idsFor(1), 120_000);
    for (const u of operators) {
      const note = notes.get(entryReviewNotificationId(entryId, audit.input_hash, 1, u.uid))!.data()!;
      expect(note).to.deep.include({ recipient_uid: u.uid, type: "entry_reviewed", summary_source: "template", read: false });
      expect(note.title).to.equal(`Entry ${entryId} rejected on review (contract day ${audit.contract_day})`);
      expect(note.body).to.contain(
        `Dana Okafor rejected production entry ${entryId} (partner ${partner}, contract day ${audit.contract_day}`,
      );
      expect(note.body).to.contain(`Note: ${REJECT_NOTE}`);
      expect(note.body).to.contain("correct its measured fields and it will be audited again");
      expect(note.highlights).to.deep.equal(["Rejected by Dana Okafor", REJECT_NOTE]);
      expect(note.data).to.deep.include({
        entry_id: entryId,
        partner_id: partner,
        contract_day: audit.contract_day,
        decision: "rejected",
        review_revision: 1,
        reviewer_name: "Dana Okafor",
        input_hash: audit.input_hash,
      });
      expect(note.data.summary_fallback.reason).to.equal("coordinator_decision");
    }
    expect(
      fakeGemini()
        .requests()
        .filter((r) => r.prompt.includes(`entry_reviewed for`) && r.prompt.includes(entryId)),
      "Gemini is not asked",
    ).to.have.length(0);
  });

  it("tells nobody else: not the coordinator who decided, the partner's jv_partner or another partner's operator", async () => {
    for (const u of [coordinator, partnerUser, otherOperator]) expect(await reviewedOf(u.uid, entryId), u.role).to.have.length(0);
  });

  it("a changed decision is told again as a change; a replay or another write adds nothing (direct)", async function () {
    this.timeout(150_000);
    const response = await callFunction("reviewEntry", { entry_id: entryId, decision: "approved", note: APPROVE_NOTE }, coordinator);
    expect(response.error).to.equal(undefined);

    const notes = await waitForNotifications(idsFor(2), 120_000);
    const note = (notes.values().next().value as DocumentSnapshot).data()!;
    expect(note.title).to.equal(`Entry ${entryId} approved on review (decision changed) (contract day ${audit.contract_day})`);
    expect(note.body).to.contain(`Dana Okafor changed the decision on production entry ${entryId}: now approved`);
    expect(note.body).to.contain(`Note: ${APPROVE_NOTE}`);
    expect(note.body).to.contain("It counts in its period's allocation");
    expect(note.data).to.deep.include({ decision: "approved", review_revision: 2 });

    const stored = (await adminDb().doc(`production_entries/${entryId}`).get()).data()!;
    const deps = directDeps(fakeGemini().url);
    const replay = await notifyEntryReview(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: { ...stored, review: undefined },
      after: stored,
    });
    expect(replay).to.deep.include({ outcome: "notified", replay: true, created: 0, geminiCalls: 0 });
    // The same review again (an audit rewrite beside it), and a review of figures the entry no longer has.
    const unchanged = await notifyEntryReview(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: stored,
      after: { ...stored, changed_at: new Date() },
    });
    const staleReview = await notifyEntryReview(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: undefined,
      after: { ...stored, audit: { ...stored.audit, input_hash: "f".repeat(64) } },
    });
    for (const skipped of [unchanged, staleReview])
      expect(skipped).to.deep.equal({ outcome: "skipped", reason: "not a new review decision" });
    for (const u of operators) expect(await reviewedOf(u.uid, entryId), u.uid).to.have.length(2);
  });
});
