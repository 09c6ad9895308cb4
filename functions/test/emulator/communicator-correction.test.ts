import { expect } from "chai";
import { type Timestamp } from "firebase-admin/firestore";
import { doc, serverTimestamp, setDoc, Timestamp as ClientTimestamp, updateDoc } from "firebase/firestore";
import { entryCorrectionNotificationId, lateEntryNotificationId } from "../../src/domain/notification-ids";
import { notifyEntryCorrection } from "../../src/agents/communicator/notify";
import { directDeps, notificationsOf, seedUsers, user, waitForNotifications } from "../support/communicator-world";
import { adminDb, uniqueId } from "../support/emulator";
import { fakeGemini } from "./setup";
import { entryData, seedPartner, waitForAudit, writeEntry } from "../support/production-entries";
import { signInNewWebUser, type WebClient } from "../support/web-client";

const PARTNER_NAME = "Okafor Basin Oil";

const correctedOf = async (uid: string, entryId: string) =>
  (await notificationsOf(uid, { entry_id: entryId })).filter((n) => n.get("type") === "entry_corrected");

describe("communicator: a coordinator's correction of an entry", () => {
  let partner: string;
  let entryId: string;
  const operators: Array<ReturnType<typeof user>> = [];
  let otherOperator: ReturnType<typeof user>;
  let partnerUser: ReturnType<typeof user>;
  let coordinator: WebClient;

  before(async function () {
    this.timeout(150_000);
    partner = await seedPartner({ name: PARTNER_NAME });
    operators.push(user("field_operator", partner), user("field_operator", partner));
    otherOperator = user("field_operator", await seedPartner());
    partnerUser = user("jv_partner", partner);
    await seedUsers([...operators, otherOperator, partnerUser]);
    coordinator = await signInNewWebUser({ role: "jv_coordinator" }, "correction");
    await adminDb().doc(`people/${coordinator.uid}`).set({ display_name: "Dana Okafor", role: "jv_coordinator" });
    entryId = await writeEntry({ ...entryData(partner, { gross_volume_bbl: 1000, temperature_degF: 80 }), meter_id: "OKB-LACT-01" });
    expect((await waitForAudit(entryId)).status).to.equal("validated");
  });

  after(() => coordinator?.close());

  /** Corrects through the rules, as the web app does, and waits for every operator's notice of it. */
  async function correct(fields: Record<string, unknown>, note: string) {
    await updateDoc(doc(coordinator.db, `production_entries/${entryId}`), {
      ...fields,
      correction_note: note,
      corrected_by: coordinator.uid,
      corrected_at: serverTimestamp(),
    });
    const correctedAt = ((await adminDb().doc(`production_entries/${entryId}`).get()).get("corrected_at") as Timestamp).toMillis();
    const ids = operators.map((u) => entryCorrectionNotificationId(entryId, correctedAt, u.uid));
    const notes = await waitForNotifications(ids, 120_000);
    return { correctedAt, notes: ids.map((id) => notes.get(id)!) };
  }

  it("tells each of the partner's field operators who changed which figure from what to what, and why, in the standard text", async function () {
    this.timeout(150_000);
    const { correctedAt, notes } = await correct({ gross_volume_bbl: 1000.5, temperature_degF: 81.25 }, "Gauger's book: ticket 4411");
    for (const [i, note] of notes.entries()) {
      expect(note.data()).to.deep.include({
        recipient_uid: operators[i].uid,
        type: "entry_corrected",
        summary_source: "template",
        read: false,
      });
      expect(note.get("title")).to.match(/^Okafor Basin Oil · OKB-LACT-01, contract day \d{4}-\d{2}-\d{2}: corrected by Dana Okafor$/);
      const body = note.get("body") as string;
      expect(body).to.include("Dana Okafor corrected the production entry of Okafor Basin Oil on meter OKB-LACT-01");
      expect(body).to.include("Changed: Gross volume: 1,000.00 bbl → 1,000.50 bbl; Temperature: 80.00 °F → 81.25 °F.");
      expect(body).to.include(`Correction note: "Gauger's book: ticket 4411"`);
      expect(body).to.include("if the correction is wrong, tell a coordinator");
      expect(note.get("data")).to.deep.include({
        entry_id: entryId,
        partner_id: partner,
        partner_name: PARTNER_NAME,
        corrected_by: coordinator.uid,
        corrector_name: "Dana Okafor",
        corrected_at: new Date(correctedAt).toISOString(),
      });
      expect(note.get("data.summary_fallback.reason")).to.equal("coordinator_decision");
    }
    // The round is logged once, in the partner's stream, by type.
    const logged = await adminDb()
      .collection("audit_log")
      .where("stream", "==", `partner_${partner}`)
      .where("action", "==", "notifications_sent")
      .where("subject", "==", `production_entries/${entryId}`)
      .get();
    const rounds = logged.docs.filter((d) => d.get("details.recipients_by_type.entry_corrected") !== undefined);
    expect(rounds).to.have.length(1);
    expect(rounds[0].get("details")).to.deep.include({ recipients: 2, created: 2, recipients_by_type: { entry_corrected: 2 } });
  });

  it("tells no one else: not another partner's operator, not the partner's jv_partner user", async () => {
    // Recipients are chosen in the round itself, which wrote the operators' notices before this test.
    expect(await correctedOf(otherOperator.uid, entryId)).to.have.length(0);
    expect(await correctedOf(partnerUser.uid, entryId)).to.have.length(0);
  });

  it("tells a second correction on its own, from the first correction's figures; a replay of its event adds nothing", async function () {
    this.timeout(150_000);
    const before = (await adminDb().doc(`production_entries/${entryId}`).get()).data()!;
    const { notes } = await correct({ gross_volume_bbl: 1001 }, "Second look at the ticket");
    for (const note of notes) expect(note.get("body")).to.include("Changed: Gross volume: 1,000.50 bbl → 1,001.00 bbl.");
    const after = (await adminDb().doc(`production_entries/${entryId}`).get()).data()!;
    const replay = await notifyEntryCorrection(directDeps(fakeGemini().url), { entryId, eventId: uniqueId("e"), before, after });
    expect(replay).to.deep.include({ outcome: "notified", replay: true, created: 0, geminiCalls: 0 });
    // The auditor's re-audit beside the kept correction is no correction.
    const audited = await notifyEntryCorrection(directDeps(fakeGemini().url), {
      entryId,
      eventId: uniqueId("e"),
      before: after,
      after: { ...after, audit: { ...(after.audit as object), checked_at: new Date() } },
    });
    expect(audited).to.deep.equal({ outcome: "skipped", reason: "not a new correction" });
    for (const u of operators) expect(await correctedOf(u.uid, entryId)).to.have.length(2);
  });

  it("tells the operators of an entry a coordinator entered late for their partner, with its verdict, once", async function () {
    this.timeout(150_000);
    const lateId = uniqueId("late");
    await setDoc(doc(coordinator.db, `production_entries/${lateId}`), {
      partner_id: partner,
      measured_at: ClientTimestamp.fromDate(new Date(Date.now() - 2 * 86_400_000)),
      gross_volume_bbl: 1000,
      bsw_percent: 0.3,
      temperature_degF: 80,
      api_gravity: 35,
      meter_id: "OKB-LACT-02",
      created_by: coordinator.uid,
      created_at: serverTimestamp(),
      correction_note: "Ticket 4411 found in the gauger's book",
      corrected_by: coordinator.uid,
      corrected_at: serverTimestamp(),
    });
    const ids = operators.map((u) => lateEntryNotificationId(lateId, u.uid));
    const notes = await waitForNotifications(ids, 120_000);
    for (const id of ids) {
      const note = notes.get(id)!;
      expect(note.data()).to.deep.include({ type: "entry_entered_late", summary_source: "template" });
      expect(note.get("title")).to.match(/^Okafor Basin Oil · OKB-LACT-02, contract day \d{4}-\d{2}-\d{2}: entered late by Dana Okafor$/);
      expect(note.get("body")).to.include(`Why: "Ticket 4411 found in the gauger's book"`);
      expect(note.get("body")).to.include(`The auditor ${String(note.get("data.audit_status"))} it`);
    }
    expect(await correctedOf(operators[0].uid, lateId), "a late entry is no correction").to.have.length(0);
    expect((await notificationsOf(otherOperator.uid, { entry_id: lateId })).length).to.equal(0);
  });
});
