import { expect } from "chai";
import { type DocumentSnapshot, Timestamp } from "firebase-admin/firestore";
import { deliverRound } from "../../src/agents/communicator/deliver";
import { notifyEntryReview } from "../../src/agents/communicator/notify";
import { entryReviewBrief } from "../../src/domain/notification-briefs";
import { bulkReviewNotificationId, entryReviewNotificationId } from "../../src/domain/notification-ids";
import { directDeps, notificationsOf, seedUsers, user, waitForNotifications } from "../support/communicator-world";
import { adminDb, callFunction, uniqueId } from "../support/emulator";
import { entryData, seedPartner, waitForAudit, waitUntil, writeEntry, type Audit } from "../support/production-entries";
import { fakeGemini } from "./setup";

const REJECT_NOTE = "Sample contaminated: re-sample and enter the new figures.";
const APPROVE_NOTE = "Re-sampled: the lab confirms 2 % BS&W.";

const reviewedOf = async (uid: string, entryId: string) =>
  (await notificationsOf(uid, { entry_id: entryId })).filter((n) => n.get("type") === "entry_reviewed");

const storedEntry = async (id: string) => (await adminDb().doc(`production_entries/${id}`).get()).data()!;

const PARTNER_NAME = "Okafor Basin Oil";

describe("communicator: a coordinator's decision on a flagged entry", () => {
  let partner: string;
  let entryId: string;
  let audit: Audit;
  const operators: Array<ReturnType<typeof user>> = [];
  let otherOperator: ReturnType<typeof user>;
  let partnerUser: ReturnType<typeof user>;
  const coordinator = user("jv_coordinator");
  const admin = user("admin");

  /** Decides through the callable and waits for every operator's notification of that decision. */
  async function decide(decision: "approved" | "rejected", note: string, by = coordinator): Promise<DocumentSnapshot[]> {
    const response = await callFunction("reviewEntry", { entry_id: entryId, decision, note }, by);
    expect(response.error).to.equal(undefined);
    const review = (await storedEntry(entryId)).review as { at: Timestamp; input_hash: string; revision: number };
    const ids = operators.map((u) => entryReviewNotificationId(entryId, review.input_hash, review.revision, review.at.toMillis(), u.uid));
    const notes = await waitForNotifications(ids, 120_000);
    return ids.map((id) => notes.get(id)!);
  }

  before(async function () {
    this.timeout(150_000);
    partner = await seedPartner({ name: PARTNER_NAME });
    operators.push(user("field_operator", partner), user("field_operator", partner));
    otherOperator = user("field_operator", await seedPartner());
    partnerUser = user("jv_partner", partner);
    await seedUsers([...operators, otherOperator, partnerUser, coordinator, admin]);
    await adminDb().doc(`people/${coordinator.uid}`).set({ display_name: "Dana Okafor", role: "jv_coordinator" });
    // BS&W 2 %: the auditor flags it.
    entryId = await writeEntry(entryData(partner, { bsw_percent: 2 }));
    audit = await waitForAudit(entryId);
    expect(audit.status).to.equal("flagged");
    // The flag's own round (which may ask Gemini) is over before any decision is made.
    await waitUntil(
      "the operators told of the flag",
      async () => {
        const told = await Promise.all(operators.map(async (u) => (await notificationsOf(u.uid, { entry_id: entryId })).length));
        return told.every((n) => n > 0);
      },
      120_000,
    );
  });

  it("a rejection tells the partner's field operators who decided, the note and who corrects it, in the standard text", async function () {
    this.timeout(150_000);
    // Of this entry only: other files' triggers may still be asking Gemini meanwhile.
    const askedOfEntry = () =>
      fakeGemini()
        .requests()
        .filter((r) => r.prompt.includes(entryId)).length;
    const asked = askedOfEntry();
    const notes = await decide("rejected", REJECT_NOTE);

    for (const [i, u] of operators.entries()) {
      const note = notes[i].data()!;
      expect(note).to.deep.include({ recipient_uid: u.uid, type: "entry_reviewed", summary_source: "template", read: false });
      // The entry as the operators know it: their partner's name, the meter and the contract day.
      expect(note.title).to.equal(`${PARTNER_NAME} · M-1, contract day ${audit.contract_day}: rejected on review`);
      expect(note.body).to.contain(
        `Dana Okafor rejected the production entry of ${PARTNER_NAME} on meter M-1 for contract day ${audit.contract_day}, which the auditor had flagged.`,
      );
      expect(note.body).to.contain(`Entry id ${entryId}.`);
      expect(note.body).to.not.contain(partner);
      expect(note.body).to.contain(`Note: "${REJECT_NOTE}"`);
      expect(note.body).to.contain("until it is corrected: the field operator who entered it corrects its measured fields");
      expect(note.highlights).to.deep.equal(["Rejected by Dana Okafor", `"${REJECT_NOTE}"`]);
      expect(note.data).to.deep.include({
        entry_id: entryId,
        partner_id: partner,
        partner_name: PARTNER_NAME,
        contract_day: audit.contract_day,
        decision: "rejected",
        previous_decision: null,
        reviewer_name: "Dana Okafor",
        input_hash: audit.input_hash,
      });
      expect(note.data.summary_fallback.reason).to.equal("coordinator_decision");
    }
    expect(askedOfEntry(), "Gemini is not asked").to.equal(asked);
  });

  it("tells nobody else: not the coordinator who decided, the partner's jv_partner or another partner's operator", async () => {
    for (const u of [coordinator, partnerUser, otherOperator]) expect(await reviewedOf(u.uid, entryId), u.role).to.have.length(0);
  });

  it("a reworded note is told as such, a changed decision as a change; a replay adds nothing (direct)", async function () {
    this.timeout(150_000);
    const reworded = (await decide("rejected", `${REJECT_NOTE} Twice.`))[0].data()!;
    expect(reworded.title).to.equal(`${PARTNER_NAME} · M-1, contract day ${audit.contract_day}: rejected on review (note reworded)`);
    expect(reworded.data.previous_decision).to.equal("rejected");

    const changed = (await decide("approved", APPROVE_NOTE))[0].data()!;
    expect(changed.title).to.equal(`${PARTNER_NAME} · M-1, contract day ${audit.contract_day}: approved on review (decision changed)`);
    expect(changed.body).to.contain(`Dana Okafor changed the decision on the production entry of ${PARTNER_NAME} on meter M-1`);
    expect(changed.body).to.contain("which the auditor had flagged: now approved.");
    expect(changed.body).to.contain(`Note: "${APPROVE_NOTE}"`);
    expect(changed.body).to.contain("It counts in its period's allocation");
    expect(changed.data).to.deep.include({ decision: "approved", previous_decision: "rejected" });

    const stored = await storedEntry(entryId);
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
    const staleFigures = await notifyEntryReview(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: undefined,
      after: { ...stored, audit: { ...stored.audit, input_hash: "f".repeat(64) } },
    });
    for (const skipped of [unchanged, staleFigures])
      expect(skipped).to.deep.equal({ outcome: "skipped", reason: "not a new review decision" });
    for (const u of operators) expect(await reviewedOf(u.uid, entryId), u.uid).to.have.length(3);
  });

  it("an event of a decision the entry no longer carries, arriving late, writes nothing (direct)", async () => {
    const stored = await storedEntry(entryId);
    const earlier = Timestamp.fromMillis((stored.review.at as Timestamp).toMillis() - 60_000);
    const late = { ...stored, review: { ...stored.review, decision: "rejected", revision: stored.review.revision - 1, at: earlier } };
    const result = await notifyEntryReview(directDeps(fakeGemini().url), {
      entryId,
      eventId: uniqueId("e"),
      before: undefined,
      after: late,
    });
    expect(result).to.deep.equal({ outcome: "skipped", reason: "a later decision or correction of the entry superseded this one" });
    for (const u of operators) expect(await reviewedOf(u.uid, entryId), u.uid).to.have.length(3);
  });

  it("a decision on figures corrected and then restored is told, and logged, though its revision starts at 1 again", async function () {
    this.timeout(240_000);
    const ref = adminDb().doc(`production_entries/${entryId}`);
    await ref.update({ bsw_percent: 2.5 });
    await waitForAudit(entryId, (a) => a.input_hash !== audit.input_hash);
    await ref.update({ bsw_percent: 2 });
    const restored = await waitForAudit(entryId, (a) => a.input_hash === audit.input_hash && a.status === "flagged");
    expect((await storedEntry(entryId)).review, "the correction dropped the review").to.equal(undefined);

    const [note] = await decide("rejected", REJECT_NOTE, admin);
    expect((await storedEntry(entryId)).review.revision).to.equal(1);
    expect(note.get("title")).to.equal(`${PARTNER_NAME} · M-1, contract day ${restored.contract_day}: rejected on review`);
    expect(note.get("body")).to.match(/^An admin rejected the production entry of /);
    for (const u of operators) expect(await reviewedOf(u.uid, entryId), u.uid).to.have.length(4);
    const logged = await adminDb()
      .collection("audit_log")
      .where("subject", "==", `production_entries/${entryId}`)
      .where("action", "==", "entry_reviewed")
      .get();
    expect(
      logged.docs.map((d) => d.get("details.revision")).sort(),
      "every decision is in the audit log, both first revisions included",
    ).to.deep.equal([1, 1, 2, 3]);
  });
  it("a round of more than one write, superseded after its first, keeps what it wrote and logs where it stopped (direct)", async function () {
    this.timeout(120_000);
    const crowd = await seedPartner();
    const many = Array.from({ length: 230 }, () => user("field_operator", crowd));
    for (let i = 0; i < many.length; i += 100) await seedUsers(many.slice(i, i + 100));
    const stored = await storedEntry(entryId);
    const figures = {
      measured_at: stored.measured_at,
      gross_volume_bbl: stored.gross_volume_bbl,
      bsw_percent: stored.bsw_percent,
      temperature_degF: stored.temperature_degF,
      api_gravity: stored.api_gravity,
    };
    const decision = {
      decision: "rejected" as const,
      note: REJECT_NOTE,
      previous_decision: null,
      reviewer_name: null,
      reviewer_role: "jv_coordinator",
    };
    const brief = entryReviewBrief({ entry_id: entryId, partner_id: partner, ...figures }, stored.audit, decision);
    const round = (sourceId: string, holds: () => boolean) => ({
      sourceId,
      subject: `production_entries/${entryId}`,
      stream: `partner_${crowd}`,
      triggerEventId: uniqueId("e"),
      notificationId: (uid: string) => `${sourceId}_${uid}`,
      audiences: [{ brief, recipients: many.map((u) => ({ uid: u.uid, role: u.role, listedBy: { roles: [u.role], partnerId: crowd } })) }],
      recipientsTruncated: false,
      guard: { ref: adminDb().doc(`production_entries/${entryId}`), holds },
    });
    const sourceId = uniqueId("review_crowd");
    let reads = 0;
    const cut = await deliverRound(
      directDeps(fakeGemini().url),
      round(sourceId, () => (reads += 1) === 1),
    );
    expect(cut).to.deep.include({ superseded: true, recipients: 230, created: 200 });
    const written = await adminDb().collection("notifications").where("data.entry_id", "==", entryId).get();
    expect(written.docs.filter((d) => d.id.startsWith(sourceId))).to.have.length(200);
    const event = await adminDb().doc(`audit_log/notify_${sourceId}`).get();
    expect(event.exists, "the cut round is logged").to.equal(true);
    expect(event.get("details")).to.deep.include({ recipients: 230, created: 200, superseded: true });

    // Retried, the guard no longer holds: nothing more is written, the log stays as it was.
    const retried = await deliverRound(
      directDeps(fakeGemini().url),
      round(sourceId, () => false),
    );
    expect(retried).to.deep.include({ superseded: true, created: 0 });
    const again = await adminDb().collection("notifications").where("data.entry_id", "==", entryId).get();
    expect(again.docs.filter((d) => d.id.startsWith(sourceId))).to.have.length(200);
    expect((await adminDb().doc(`audit_log/notify_${sourceId}`).get()).get("hash")).to.equal(event.get("hash"));

    // An attempt that wrote its first 200 and stopped before any log (a crash), retried once the
    // decision is replaced: the retry writes no more and logs the 200 the round left.
    const crashed = uniqueId("review_crowd");
    const batch = adminDb().batch();
    for (const u of many.slice(0, 200))
      batch.create(adminDb().doc(`notifications/${crashed}_${u.uid}`), { recipient_uid: u.uid, data: { entry_id: entryId } });
    await batch.commit();
    expect(
      await deliverRound(
        directDeps(fakeGemini().url),
        round(crashed, () => false),
      ),
    ).to.deep.include({ superseded: true, created: 0 });
    const left = await adminDb().doc(`audit_log/notify_${crashed}`).get();
    expect(left.exists, "the crashed round is logged by its retry").to.equal(true);
    expect(left.get("details")).to.deep.include({ recipients: 230, created: 200, superseded: true });
  });
  it("one decision over many entries tells each operator once, for the call, and logs each entry's round", async function () {
    this.timeout(240_000);
    const ids = [
      await writeEntry(entryData(partner, { bsw_percent: 2, meter_id: "M-B1" })),
      await writeEntry(entryData(partner, { bsw_percent: 2, meter_id: "M-B2" })),
      await writeEntry(entryData(partner, { bsw_percent: 2, meter_id: "M-B3" })),
    ];
    for (const id of ids) expect((await waitForAudit(id)).status).to.equal("flagged");
    const response = await callFunction<{ counts: { decided: number } }>(
      "reviewEntries",
      { entry_ids: ids, decision: "rejected", note: "Gateway glitch: the tickets are void." },
      coordinator,
    );
    expect(response.error).to.equal(undefined);
    expect(response.result!.counts.decided).to.equal(3);
    const call = ((await storedEntry(ids[0]!)).review as { bulk: { call: string; partner_count: number } }).bulk;
    expect(call.partner_count).to.equal(3);
    const notes = await waitForNotifications(
      operators.map((u) => bulkReviewNotificationId(call.call, partner, u.uid)),
      120_000,
    );
    for (const u of operators) {
      const note = notes.get(bulkReviewNotificationId(call.call, partner, u.uid))!.data()!;
      expect(note).to.deep.include({ recipient_uid: u.uid, type: "entry_reviewed", summary_source: "template" });
      expect(note.title).to.equal(`${PARTNER_NAME}: flagged entries rejected on review at once`);
      expect(note.body).to.contain("Dana Okafor rejected flagged entries of Okafor Basin Oil in one decision naming 3 of its entries.");
      expect(note.data).to.deep.include({ bulk_call: call.call, entries: 3, decision: "rejected" });
    }
    // Every entry's round is logged; the first wrote the notices, the others found them written.
    const rounds = await waitUntil(
      "each entry's notice round logged",
      async () => {
        const events = await Promise.all(
          ids.map(async (id) =>
            (await adminDb().collection("audit_log").where("subject", "==", `production_entries/${id}`).get()).docs.filter((d) =>
              d.id.startsWith(`notify_review_${id}_`),
            ),
          ),
        );
        return events.every((e) => e.length === 1) ? events.map((e) => Number(e[0]!.get("details.created"))) : undefined;
      },
      120_000,
    );
    expect(rounds.reduce((a, b) => a + b, 0)).to.equal(operators.length);
    for (const u of operators) {
      for (const id of ids) expect(await reviewedOf(u.uid, id), `${u.uid} ${id}`).to.have.length(0);
      const bulkNotes = (await notificationsOf(u.uid, {})).filter((n) => n.get("data.bulk_call") === call.call);
      expect(bulkNotes).to.have.length(1);
    }
  });
});
