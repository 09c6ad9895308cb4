// A partner takes written exception to a released statement through raiseStatementException; a
// coordinator answers it through answerStatementException. Over HTTP, as the web app calls them,
// with the audit events and the notifications the trigger writes.
import { expect } from "chai";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { collection, getDocs, query, where } from "firebase/firestore";
import { statementExceptionNotificationId } from "../../src/domain/notification-ids";
import {
  ANSWER_TEXT_MIN,
  EXCEPTION_TEXT_MIN,
  exceptionAnsweredEventId,
  exceptionCorrectedEventId,
  exceptionRaisedEventId,
  statementExceptionId,
} from "../../src/domain/statement-exception";
import { reconciliationData, seedUsers, user, type TestUser } from "../support/communicator-world";
import { adminDb, callFunction, uniqueId, waitForDoc } from "../support/emulator";
import { seedPartner } from "../support/production-entries";
import { signInNewWebUser } from "../support/web-client";

const DAY_MS = 86_400_000;
const SLOW = 60_000;
const TEXT = "Entry E-0419 of 3 November was measured at 1,840.25 bbl, not excluded: please include it.";

interface World {
  alpha: string;
  beta: string;
  receiptId: string;
  id: string;
  partner: TestUser;
  otherPartner: TestUser;
  coordinator: TestUser;
  auditor: TestUser;
}

/** A released version of a fresh receipt (as made, `daysAgo` days ago), the partners' people and a coordinator. */
async function world(options: { daysAgo?: number; released?: boolean; status?: string } = {}): Promise<World> {
  const [alpha, beta] = await Promise.all([seedPartner({ name: "Alpha Energy" }), seedPartner({ name: "Beta Oil" })]);
  const receiptId = uniqueId("RCPT");
  const id = `${receiptId}_v1`;
  const made = new Date(Date.now() - (options.daysAgo ?? 0) * DAY_MS);
  await adminDb()
    .doc(`reconciliations/${id}`)
    .set({
      ...reconciliationData(receiptId, { alpha, beta }),
      created_at: Timestamp.fromDate(made),
      status: options.status ?? "completed",
      ...(options.released === false ? { released: false, release_required: true } : {}),
    });
  const w = {
    alpha,
    beta,
    receiptId,
    id,
    partner: user("jv_partner", alpha),
    otherPartner: user("jv_partner", beta),
    coordinator: user("jv_coordinator"),
    auditor: user("auditor"),
  };
  await seedUsers([w.partner, w.otherPartner, w.coordinator, w.auditor]);
  return w;
}

/** A version's data whose line for `partnerId` restates its figures: 1,840.25 bbl more allocated, from one more entry. */
function restated(data: Record<string, unknown>, partnerId: string): Record<string, unknown> {
  const allocations = (data.allocations as Array<Record<string, number | string>>).map((a) =>
    a.partner_id === partnerId
      ? { ...a, entries: Number(a.entries) + 1, allocated_bbl: Math.round((Number(a.allocated_bbl) + 1840.25) * 100) / 100 }
      : a,
  );
  return { ...data, allocations };
}

const raise = (w: World, as: TestUser, text = TEXT, reconciliationId = w.id) =>
  callFunction<any>("raiseStatementException", { reconciliation_id: reconciliationId, text }, as);

describe("statement exceptions: a partner takes exception, the JV operator answers", function () {
  this.timeout(180_000);

  it("raises an exception once, tells the JV, answers it once, tells the partner; both steps audited", async () => {
    const w = await world();
    const raised = await raise(w, w.partner);
    expect(raised.error, JSON.stringify(raised.error)).to.equal(undefined);
    const exceptionId = statementExceptionId(w.id, w.alpha, TEXT);
    expect(raised.result).to.deep.include({ exception_id: exceptionId, reconciliation_id: w.id, partner_id: w.alpha, status: "open" });
    // Two years from the statement's making (released as made).
    const windowDays = (Date.parse(raised.result.window_ends_at) - Date.parse(raised.result.raised_at)) / DAY_MS;
    expect(windowDays).to.be.within(729.9, 730);

    // The same text again is the same exception: no second one.
    const again = await raise(w, w.partner, `  ${TEXT} `);
    expect(again.result).to.deep.include({ exception_id: exceptionId, status: "open" });
    const stored = await adminDb().collection("statement_exceptions").where("reconciliation_id", "==", w.id).get();
    expect(stored.docs.map((d) => d.id)).to.deep.equal([exceptionId]);
    expect(stored.docs[0].data()).to.deep.include({
      partner_id: w.alpha,
      terminal_receipt_id: w.receiptId,
      version: 1,
      integrity_hash: "e".repeat(64),
      text: TEXT,
      status: "open",
      raised_by: w.partner.uid,
      window_days: 730,
      answer: null,
    });
    expect(stored.docs[0].get("issued_at").toMillis()).to.equal(
      (await adminDb().doc(`reconciliations/${w.id}`).get()).get("created_at").toMillis(),
    );

    const raisedEvent = await adminDb()
      .doc(`audit_log/${exceptionRaisedEventId(exceptionId)}`)
      .get();
    expect(raisedEvent.data()).to.deep.include({
      actor: w.partner.uid,
      action: "statement_exception_raised",
      stream: "statement_exceptions",
      subject: `statement_exceptions/${exceptionId}`,
    });
    expect(raisedEvent.get("details")).to.deep.include({ reconciliation_id: w.id, partner_id: w.alpha, text: TEXT });

    // The coordinators and auditors are told, with the partner's words; the other partner is not.
    const toldCoordinator = await waitForDoc(
      `notifications/${statementExceptionNotificationId(exceptionId, "raised", w.coordinator.uid)}`,
      (n) => n.exists,
      SLOW,
    );
    expect(toldCoordinator.data()).to.deep.include({ type: "statement_exception_raised", summary_source: "template", read: false });
    expect(toldCoordinator.get("title")).to.equal(`Alpha Energy takes exception to version 1 of receipt ${w.receiptId}`);
    expect(toldCoordinator.get("body")).to.contain(`“${TEXT}”`);
    expect(toldCoordinator.get("data")).to.deep.include({ reconciliation_id: w.id, exception_id: exceptionId, partner_id: w.alpha });
    await waitForDoc(`notifications/${statementExceptionNotificationId(exceptionId, "raised", w.auditor.uid)}`, (n) => n.exists, SLOW);
    expect(
      (
        await adminDb()
          .doc(`notifications/${statementExceptionNotificationId(exceptionId, "raised", w.otherPartner.uid)}`)
          .get()
      ).exists,
    ).to.equal(false);

    // A partner may not answer; a coordinator answers once, with a reason.
    const byPartner = await callFunction(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "upheld", answer: "Yes." },
      w.partner,
    );
    expect(byPartner.error?.status).to.equal("PERMISSION_DENIED");
    const blank = await callFunction(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "rejected", answer: " " },
      w.coordinator,
    );
    expect(blank.error?.status).to.equal("INVALID_ARGUMENT");
    // An answer is as considered as the exception: 19 characters are refused, saying the minimum.
    const short = "Checked: it stands.";
    expect(short.length).to.equal(ANSWER_TEXT_MIN - 1);
    const tooShort = await callFunction(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "rejected", answer: `  ${short} ` },
      w.coordinator,
    );
    expect(tooShort.error?.status).to.equal("INVALID_ARGUMENT");
    expect(tooShort.error?.message).to.contain(`say why the exception is upheld or rejected, in at least ${ANSWER_TEXT_MIN} characters`);
    const unanswered = (await adminDb().doc(`statement_exceptions/${exceptionId}`).get()).data()!;
    expect(unanswered).to.deep.include({ status: "open", answer: null });
    expect(
      (
        await adminDb()
          .doc(`audit_log/${exceptionAnsweredEventId(exceptionId)}`)
          .get()
      ).exists,
    ).to.equal(false);
    const answer = "E-0419 was flagged for its BS&W and never reviewed; it stays out until it is.";
    const answered = await callFunction<any>(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "rejected", answer },
      w.coordinator,
    );
    expect(answered.error, JSON.stringify(answered.error)).to.equal(undefined);
    expect(answered.result).to.deep.include({ exception_id: exceptionId, status: "rejected", answered_by: w.coordinator.uid });
    const same = await callFunction<any>(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "rejected", answer },
      w.coordinator,
    );
    expect(same.result, "the same answer again").to.deep.equal(answered.result);
    const other = await callFunction(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "upheld", answer: "On reflection, the entry belongs in." },
      w.coordinator,
    );
    expect(other.error?.status).to.equal("FAILED_PRECONDITION");
    expect(other.error?.message).to.contain(`was already rejected by`);
    const now = (await adminDb().doc(`statement_exceptions/${exceptionId}`).get()).data()!;
    expect(now.status).to.equal("rejected");
    expect(now.answer).to.deep.include({ by: w.coordinator.uid, text: answer });
    const answeredEvent = await adminDb()
      .doc(`audit_log/${exceptionAnsweredEventId(exceptionId)}`)
      .get();
    expect(answeredEvent.data()).to.deep.include({ actor: w.coordinator.uid, action: "statement_exception_answered" });
    expect(answeredEvent.get("details")).to.deep.include({ outcome: "rejected", answer });

    // The partner's people are told of the answer.
    const toldPartner = await waitForDoc(
      `notifications/${statementExceptionNotificationId(exceptionId, "answered", w.partner.uid)}`,
      (n) => n.exists,
      SLOW,
    );
    expect(toldPartner.get("title")).to.equal(`Your exception to version 1 of receipt ${w.receiptId} was rejected`);
    expect(toldPartner.get("body")).to.contain(`. Rejected: the statement stands.\n“${answer}”`);
    expect(toldPartner.get("data")).to.deep.include({ exception_id: exceptionId, outcome: "rejected" });
  });

  it("takes an answer of exactly 20 characters, counted without the spaces around it", async () => {
    const w = await world();
    const raised = await raise(w, w.partner);
    const exceptionId = raised.result.exception_id as string;
    const answer = "Ticket checked: kept";
    expect(answer.length).to.equal(ANSWER_TEXT_MIN);
    const answered = await callFunction<any>(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "rejected", answer: ` ${answer}  ` },
      w.coordinator,
    );
    expect(answered.error, JSON.stringify(answered.error)).to.equal(undefined);
    expect(answered.result).to.deep.include({ exception_id: exceptionId, status: "rejected" });
    const stored = (await adminDb().doc(`statement_exceptions/${exceptionId}`).get()).data()!;
    expect(stored.status).to.equal("rejected");
    expect(stored.answer).to.deep.include({ by: w.coordinator.uid, text: answer });
  });

  it("refuses an unreleased, superseded or too old statement, a partner without a line, and a text too short, writing nothing", async () => {
    const unreleased = await world({ released: false });
    const hidden = await raise(unreleased, unreleased.partner);
    expect(hidden.error?.status).to.equal("PERMISSION_DENIED");
    expect(hidden.error?.message).to.contain("has not been released to the partners yet");

    const superseded = await world({ status: "superseded" });
    // Superseded, and the version that replaced it cannot be read: which statement stands cannot be told.
    const old = await raise(superseded, superseded.partner);
    expect(old.error?.status).to.equal("FAILED_PRECONDITION");
    expect(old.error?.message).to.contain("which statement stands cannot be told");

    const undated = await world();
    await adminDb().doc(`reconciliations/${undated.id}`).update({ created_at: FieldValue.delete() });
    const noDate = await raise(undated, undated.partner);
    expect(noDate.error?.status).to.equal("FAILED_PRECONDITION");
    expect(noDate.error?.message).to.contain("records neither its release nor its making");

    const late = await world({ daysAgo: 731 });
    const closed = await raise(late, late.partner);
    expect(closed.error?.status).to.equal("FAILED_PRECONDITION");
    expect(closed.error?.message).to.match(
      /The time to take exception to reconciliation .* ended .* \(730 days after it was issued on .*\): it stands\./,
    );

    const w = await world();
    const stranger = user("jv_partner", await seedPartner({ name: "Gamma Gas" }));
    const noLine = await raise(w, stranger);
    expect(noLine.error?.status).to.equal("PERMISSION_DENIED");
    const short = await raise(w, w.partner, "Wrong.");
    expect(short.error?.status).to.equal("INVALID_ARGUMENT");
    expect(JSON.stringify(short.error)).to.contain(`at least ${EXCEPTION_TEXT_MIN} characters`);
    const asCoordinator = await raise(w, w.coordinator);
    expect(asCoordinator.error?.status).to.equal("PERMISSION_DENIED");

    // At most 20 open per partner and version: the 21st waits for an answer.
    const crowded = await world();
    const batch = adminDb().batch();
    for (let i = 0; i < 20; i += 1) {
      batch.set(adminDb().doc(`statement_exceptions/${uniqueId("x")}`), {
        reconciliation_id: crowded.id,
        partner_id: crowded.alpha,
        status: "open",
        text: `Exception number ${i} to this statement.`,
      });
    }
    await batch.commit();
    const full = await raise(crowded, crowded.partner);
    expect(full.error?.status).to.equal("RESOURCE_EXHAUSTED");
    expect(full.error?.message).to.contain("raise another once one of them is answered");
    expect((await adminDb().collection("statement_exceptions").where("reconciliation_id", "==", crowded.id).get()).size).to.equal(20);

    for (const x of [unreleased, superseded, undated, late, w]) {
      const written = await adminDb().collection("statement_exceptions").where("reconciliation_id", "==", x.id).get();
      expect(written.size, x.id).to.equal(0);
    }
  });

  it("takes exception to a partner's standing statement while the version replacing it awaits its release, not after", async () => {
    const w = await world({ status: "superseded" });
    const next = `${w.receiptId}_v2`;
    await adminDb().doc(`reconciliations/${w.id}`).update({ superseded_by: next });
    await adminDb()
      .doc(`reconciliations/${next}`)
      .set({ ...reconciliationData(w.receiptId, { alpha: w.alpha, beta: w.beta }, 2), released: false, release_required: true });
    const standing = await raise(w, w.partner);
    expect(standing.error, JSON.stringify(standing.error)).to.equal(undefined);
    expect(standing.result).to.deep.include({ reconciliation_id: w.id, status: "open" });

    await adminDb().doc(`reconciliations/${next}`).update({ released: true, released_at: Timestamp.now() });
    const replaced = await raise(w, w.partner, `${TEXT} Also the 4 November entry.`);
    expect(replaced.error?.status).to.equal("FAILED_PRECONDITION");
    expect(replaced.error?.message).to.equal(`Reconciliation ${w.id} is superseded by ${next}: take exception to the current version.`);
  });

  it("a partner that left the JV still takes exception to, exports and verifies its statements of periods before, nothing after", async () => {
    const w = await world();
    // Alpha left at the start of 2026-11-05: the seeded period (1-8 November) began before.
    const leftAt = Timestamp.fromDate(new Date("2026-11-05T00:00:00Z"));
    await adminDb().doc(`partners/${w.alpha}`).update({ active: false, left_jv_on: "2026-11-05", left_at: leftAt });
    const laterId = `${uniqueId("RCPT")}_v1`;
    await adminDb()
      .doc(`reconciliations/${laterId}`)
      .set({
        ...reconciliationData(laterId.replace(/_v1$/, ""), { alpha: w.alpha, beta: w.beta }),
        period_start: Timestamp.fromDate(new Date("2026-11-08T00:00:00Z")),
        period_end: Timestamp.fromDate(new Date("2026-11-15T00:00:00Z")),
      });

    const raised = await raise(w, w.partner);
    expect(raised.error, JSON.stringify(raised.error)).to.equal(undefined);
    expect(raised.result).to.deep.include({ partner_id: w.alpha, status: "open" });
    // Past the gate (this seeded version has no manifest for a full statement: what follows is about its content).
    const exported = await callFunction<any>("exportStatement", { reconciliation_id: w.id, format: "json" }, w.partner);
    expect(exported.error?.status, JSON.stringify(exported.error)).to.not.equal("PERMISSION_DENIED");
    const verified = await callFunction<any>("verifyReconciliation", { reconciliation_id: w.id }, w.partner);
    expect(verified.error?.status, JSON.stringify(verified.error)).to.not.equal("PERMISSION_DENIED");

    // A period that began after it left: refused, in the same words as a version that does not exist.
    for (const id of [laterId, `${w.receiptId}_v9`]) {
      const later = await raise(w, w.partner, TEXT, id);
      expect(later.error?.status).to.equal("PERMISSION_DENIED");
      expect(later.error?.message).to.equal(
        `Reconciliation ${id} does not exist, has not been released, or is of a period that began after partner ${w.alpha} left the joint venture on 2026-11-05: a former partner reaches only its statements of the periods before.`,
      );
    }
    const laterExport = await callFunction<any>("exportStatement", { reconciliation_id: laterId, format: "json" }, w.partner);
    expect(laterExport.error?.status).to.equal("PERMISSION_DENIED");
    const stored = await adminDb().collection("statement_exceptions").where("partner_id", "==", w.alpha).get();
    expect(stored.docs.map((d) => d.get("reconciliation_id"))).to.deep.equal([w.id]);

    // Deactivated without leaving: its partner user is cut off entirely.
    await adminDb().doc(`partners/${w.alpha}`).update({ left_jv_on: FieldValue.delete(), left_at: FieldValue.delete() });
    const cutOff = await raise(w, w.partner, `${TEXT} Again.`);
    expect(cutOff.error?.status).to.equal("PERMISSION_DENIED");
    expect(cutOff.error?.message).to.match(/which is not active\.$/);
  });

  it("a partner reads its own exceptions and not another partner's", async () => {
    const w = await world();
    const [mine, theirs] = await Promise.all([raise(w, w.partner), raise(w, w.otherPartner, `${TEXT} (Beta's view)`)]);
    expect([mine.error, theirs.error]).to.deep.equal([undefined, undefined]);
    const client = await signInNewWebUser({ role: "jv_partner", partner_id: w.alpha }, "exceptions");
    const own = await getDocs(
      query(collection(client.db, "statement_exceptions"), where("reconciliation_id", "==", w.id), where("partner_id", "==", w.alpha)),
    );
    expect(own.docs.map((d) => d.get("partner_id"))).to.deep.equal([w.alpha]);
    const all = await getDocs(query(collection(client.db, "statement_exceptions"), where("reconciliation_id", "==", w.id))).then(
      () => "read",
      (error: { code?: string }) => error.code,
    );
    expect(all).to.equal("permission-denied");
  });

  it("records the later version that corrects an upheld exception once, audited, and tells the partner; refuses what corrects nothing", async () => {
    const w = await world();
    const raised = await raise(w, w.partner);
    const exceptionId = raised.result.exception_id as string;
    const record = (reconciliationId: string, as: TestUser = w.coordinator) =>
      callFunction<any>("recordExceptionCorrection", { exception_id: exceptionId, reconciliation_id: reconciliationId }, as);
    const v2 = `${w.receiptId}_v2`;
    await adminDb()
      .doc(`reconciliations/${v2}`)
      .set({
        ...restated(reconciliationData(w.receiptId, { alpha: w.alpha, beta: w.beta }, 2), w.alpha),
        released: false,
        release_required: true,
      });

    // Open: answer it first.
    const open = await record(v2);
    expect(open.error?.status).to.equal("FAILED_PRECONDITION");
    expect(open.error?.message).to.contain("is not answered yet: uphold it before recording");
    const upheld = await callFunction(
      "answerStatementException",
      { exception_id: exceptionId, outcome: "upheld", answer: "E-0419 was reviewed and is included in version 2." },
      w.coordinator,
    );
    expect(upheld.error, JSON.stringify(upheld.error)).to.equal(undefined);

    // Not a correction: the version excepted to itself, another receipt's version, one the partners cannot read yet, a partner's call.
    const itself = await record(w.id);
    expect(itself.error?.message).to.contain("a correction is a later version");
    const elsewhere = await world();
    const unrelated = await record(elsewhere.id);
    expect(unrelated.error?.status).to.equal("FAILED_PRECONDITION");
    expect(unrelated.error?.message).to.contain(`which does not replace receipt ${w.receiptId}`);
    const unreleased = await record(v2);
    expect(unreleased.error?.message).to.contain("has not been released to the partners yet");
    const unchanged = `${w.receiptId}_v4`;
    await adminDb()
      .doc(`reconciliations/${unchanged}`)
      .set(reconciliationData(w.receiptId, { alpha: w.alpha, beta: w.beta }, 4));
    const restatesNothing = await record(unchanged);
    expect(restatesNothing.error?.message).to.contain(`restates none of partner ${w.alpha}'s figures`);
    const byPartner = await record(v2, w.partner);
    expect(byPartner.error?.status).to.equal("PERMISSION_DENIED");
    const missing = await record(`${w.receiptId}_v9`);
    expect(missing.error?.status).to.equal("NOT_FOUND");
    expect((await adminDb().doc(`statement_exceptions/${exceptionId}`).get()).get("correction")).to.equal(undefined);

    await adminDb().doc(`reconciliations/${v2}`).update({ released: true, released_at: Timestamp.now() });
    const recorded = await record(v2);
    expect(recorded.error, JSON.stringify(recorded.error)).to.equal(undefined);
    const allocatedBefore = (await adminDb().doc(`reconciliations/${w.id}`).get())
      .get("allocations")
      .find((a: { partner_id: string }) => a.partner_id === w.alpha).allocated_bbl as number;
    expect(recorded.result).to.deep.include({
      exception_id: exceptionId,
      reconciliation_id: v2,
      terminal_receipt_id: w.receiptId,
      version: 2,
      allocated_bbl_before: allocatedBefore,
      allocated_bbl_after: Math.round((allocatedBefore + 1840.25) * 100) / 100,
      recorded_by: w.coordinator.uid,
    });
    const again = await record(v2);
    expect(again.result, "the same version again").to.deep.equal(recorded.result);
    const v3 = `${w.receiptId}_v3`;
    await adminDb()
      .doc(`reconciliations/${v3}`)
      .set(reconciliationData(w.receiptId, { alpha: w.alpha, beta: w.beta }, 3));
    const another = await record(v3);
    expect(another.error?.status).to.equal("FAILED_PRECONDITION");
    expect(another.error?.message).to.match(
      new RegExp(`is recorded already \\(by .+ on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\): version 2 \\(${v2}\\)`),
    );

    const stored = (await adminDb().doc(`statement_exceptions/${exceptionId}`).get()).data()!;
    expect(stored.status).to.equal("upheld");
    expect(stored.correction).to.deep.include({
      reconciliation_id: v2,
      terminal_receipt_id: w.receiptId,
      version: 2,
      by: w.coordinator.uid,
    });
    const event = await adminDb()
      .doc(`audit_log/${exceptionCorrectedEventId(exceptionId)}`)
      .get();
    expect(event.data()).to.deep.include({
      actor: w.coordinator.uid,
      action: "statement_exception_corrected",
      stream: "statement_exceptions",
    });
    expect(event.get("details")).to.deep.include({
      reconciliation_id: w.id,
      partner_id: w.alpha,
      corrected_in: v2,
      corrected_in_version: 2,
      allocated_bbl_before: allocatedBefore,
    });

    // The partner's people are told, and led to the correcting version; the other partner is not.
    const told = await waitForDoc(
      `notifications/${statementExceptionNotificationId(exceptionId, "corrected", w.partner.uid)}`,
      (n) => n.exists,
      SLOW,
    );
    expect(told.get("type")).to.equal("statement_exception_corrected");
    expect(told.get("title")).to.equal(`The correction of your exception to version 1 of receipt ${w.receiptId} is version 2`);
    expect(told.get("data")).to.deep.include({ reconciliation_id: v2, exception_id: exceptionId, partner_id: w.alpha });
    expect(
      (
        await adminDb()
          .doc(`notifications/${statementExceptionNotificationId(exceptionId, "corrected", w.otherPartner.uid)}`)
          .get()
      ).exists,
    ).to.equal(false);
  });

  it("records a version of a receipt replacing the excepted one through another as its correction, not a rejected exception's", async () => {
    const w = await world();
    const [kept, dismissed] = await Promise.all([raise(w, w.partner), raise(w, w.partner, `${TEXT} And the 5 November ticket.`)]);
    const answer = (exceptionId: string, outcome: string) =>
      callFunction(
        "answerStatementException",
        { exception_id: exceptionId, outcome, answer: "Checked against the tickets." },
        w.coordinator,
      );
    await answer(kept.result.exception_id, "upheld");
    await answer(dismissed.result.exception_id, "rejected");
    const replacingVersion = async (withdrawn: boolean, replaces: { terminal_receipt_id: string; reconciliation_id: string }) => {
      const receipt = uniqueId("RCPT");
      if (withdrawn) await adminDb().doc(`terminal_receipts/${receipt}`).set({ withdrawn: true });
      await adminDb()
        .doc(`reconciliations/${receipt}_v1`)
        .set({
          ...restated(reconciliationData(receipt, { alpha: w.alpha, beta: w.beta }), w.alpha),
          supersedes_receipt: replaces,
        });
      return { receipt, id: `${receipt}_v1` };
    };
    const first = { terminal_receipt_id: w.receiptId, reconciliation_id: w.id };
    const [between, withdrawn] = await Promise.all([replacingVersion(false, first), replacingVersion(true, first)]);
    // The receipt that corrects replaces one that replaced the excepted receipt.
    const standing = await replacingVersion(false, { terminal_receipt_id: between.receipt, reconciliation_id: between.id });
    const record = (exceptionId: string, reconciliationId: string) =>
      callFunction<any>("recordExceptionCorrection", { exception_id: exceptionId, reconciliation_id: reconciliationId }, w.coordinator);
    const rejected = await record(dismissed.result.exception_id, standing.id);
    expect(rejected.error?.message).to.contain("was rejected: the statement stands");
    const ofWithdrawn = await record(kept.result.exception_id, withdrawn.id);
    expect(ofWithdrawn.error?.message).to.contain(`Terminal receipt ${withdrawn.receipt} was withdrawn`);
    const done = await record(kept.result.exception_id, standing.id);
    expect(done.error, JSON.stringify(done.error)).to.equal(undefined);
    expect(done.result).to.deep.include({ reconciliation_id: standing.id, terminal_receipt_id: standing.receipt, version: 1 });
    expect((await adminDb().doc(`statement_exceptions/${dismissed.result.exception_id}`).get()).get("correction")).to.equal(undefined);
  });
});
