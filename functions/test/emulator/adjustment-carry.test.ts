/**
 * Which reconciliation carries an approved prior-period adjustment: the first reconciliation of a
 * later, open period. A re-run of a period reconciled already, or a receipt replacing one,
 * restates a closed period: it carries again what the versions it replaces carried, nothing new.
 */
import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
import { adminDb, uniqueId } from "../support/emulator";
import {
  auditedEntry,
  isolatedPeriod,
  receiptOf,
  seedEntries,
  seedPartner,
  seedPendingAdjustment,
  seedReceipt,
  soundEntry,
} from "../support/seed";
import { decideAdjustment } from "../../src/agents/accountant/decide-adjustment";
import { exportStatement } from "../../src/agents/accountant/export-statement";
import { pdfText } from "../support/pdf-text";
import { reconcile as reconcileHandler } from "../../src/agents/accountant/reconcile";
import { gatherEvidence, verifyReconciliation, verifyReconciliationCallable } from "../../src/agents/accountant/verify";
import { statementBundle, verifyStatementBundle } from "../../src/domain/statement-bundle";
import { UNCHECKED } from "../../src/domain/unchecked-in-words";
import { prepareStaleMarks, writeStaleMarks } from "../../src/shared/stale-marks";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { directDeps } from "../support/communicator-world";

const db = () => adminDb();
const HOUR = 3_600_000;
const caller = { uid: "carry-coordinator", role: "jv_coordinator" as const };
const dayId = (d: Date) => d.toISOString().slice(0, 10);
const plainDeps = (): AgentDeps => directDeps("http://127.0.0.1:9", { now: new Date() });
const reconcile = (receiptId: string) => reconcileHandler(plainDeps(), { terminal_receipt_id: receiptId }, caller);

/** A one-day period holding one sound entry of partner `a`, and its receipt. */
async function oneDayPeriod(receiptId: string, a: string) {
  const { start, end } = isolatedPeriod(1);
  const entryId = `${receiptId}-e`;
  await seedEntries(db(), [soundEntry(entryId, a, new Date(start.getTime() + 8 * HOUR))]);
  await seedReceipt(db(), receiptOf(receiptId, start, end, 1000));
  return { start, end, entryId };
}

/** A correction of the entry on its closed day, as the auditor stores it: the day's version turns stale. */
async function correct(entryId: string, a: string, start: Date, gross: number) {
  await db().runTransaction(async (tx) => {
    const plan = await prepareStaleMarks(db(), tx, [dayId(start)], [entryId]);
    tx.set(db().doc(`production_entries/${entryId}`), {
      ...auditedEntry(soundEntry(entryId, a, new Date(start.getTime() + 8 * HOUR), gross)),
      changed_at: FieldValue.serverTimestamp(),
    });
    writeStaleMarks(tx, plan, new Date());
  });
}

/** The error `work` throws; a test fails when it succeeds. */
async function refusalOf(
  work: () => Promise<unknown>,
): Promise<{ code?: string; message?: string; details?: { forged_adjustments?: Array<{ adjustment_id: string }> } }> {
  try {
    await work();
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  throw new Error("expected a refusal, and the call succeeded");
}

const carriedIds = async (reconciliationId: string) =>
  ((await db().doc(`reconciliations/${reconciliationId}`).get()).get("prior_period_adjustments") as Array<{ id: string }>).map((c) => c.id);

describe("prior-period adjustments: carried by the next open period only", () => {
  it("a re-run of a reconciled period and a receipt replacing it carry none; the next open period carries it (also through a receipt corrected before its close), and its re-run keeps it", async () => {
    const tag = uniqueId("carry");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const origin = isolatedPeriod(1);
    const adjRef = await seedPendingAdjustment(db(), tag, a, origin, 2.5);

    // A later period reconciled while the adjustment waits for its decision; then it is approved.
    const q = await oneDayPeriod(`${tag}-q`, a);
    const qv1 = await reconcile(`${tag}-q`);
    expect(await carriedIds(qv1.reconciliation_id)).to.not.include(adjRef.id);
    await decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note: "ok" }, caller);

    // Restating that closed period: its re-run (v2), then a receipt replacing it, carry nothing new.
    await correct(q.entryId, a, q.start, 1003);
    const qv2 = await reconcile(`${tag}-q`);
    expect([qv2.version, qv2.unchanged]).to.deep.equal([2, false]);
    expect(await carriedIds(qv2.reconciliation_id)).to.not.include(adjRef.id);
    await seedReceipt(db(), receiptOf(`${tag}-q-fix`, q.start, q.end, 1002, { supersedes_receipt_id: `${tag}-q` }));
    const fixed = await reconcile(`${tag}-q-fix`);
    expect(fixed.reconciliation_id).to.equal(`${tag}-q-fix_v1`);
    expect(await carriedIds(fixed.reconciliation_id)).to.not.include(adjRef.id);
    expect((await adjRef.get()).get("carried_in")).to.equal(null);

    // The next new period carries it, once, even through a receipt corrected before its first
    // reconciliation (it replaces a receipt never reconciled: the period is still open); its own
    // re-run carries it again in its place.
    const r = await oneDayPeriod(`${tag}-r`, a);
    await seedReceipt(db(), receiptOf(`${tag}-r-fix`, r.start, r.end, 1001, { supersedes_receipt_id: `${tag}-r` }));
    const rv1 = await reconcile(`${tag}-r-fix`);
    expect(await carriedIds(rv1.reconciliation_id)).to.include(adjRef.id);
    expect((await adjRef.get()).get("carried_in")).to.equal(rv1.reconciliation_id);
    await correct(r.entryId, a, r.start, 1004);
    const rv2 = await reconcile(`${tag}-r-fix`);
    expect(rv2.version).to.equal(2);
    expect(await carriedIds(rv2.reconciliation_id)).to.include(adjRef.id);
    expect((await adjRef.get()).get("carried_in")).to.equal(rv2.reconciliation_id);
    await oneDayPeriod(`${tag}-s`, a);
    expect(await carriedIds((await reconcile(`${tag}-s`)).reconciliation_id)).to.not.include(adjRef.id);
  });

  it("refuses to carry an adjustment that is not what its version raised (a delta edited, one written from nothing); the verifier checks a carried one against that version", async () => {
    const tag = uniqueId("carry-forged");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const days = isolatedPeriod(2);
    const at = (day: number) => new Date(days.start.getTime() + day * 24 * HOUR);
    const adjRef = await seedPendingAdjustment(db(), tag, a, { start: at(0), end: at(1) }, 4.25);
    await decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note: "ok" }, caller);
    await adjRef.update({ delta_bbl: 5004.25 });
    await seedEntries(db(), [soundEntry(`${tag}-e`, a, new Date(at(1).getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, at(1), at(2), 1000));
    const refusal = () => refusalOf(() => reconcile(`${tag}-r`));
    const edited = await refusal();
    expect(edited.code).to.equal("failed-precondition");
    expect(edited.message).to.contain(`Prior-period adjustment ${adjRef.id} is not what its version raised`);
    expect(edited.message).to.contain(`it says 5004.25 bbl for ${a}, where ${tag}-old_v2 raised 4.25 bbl for ${a}`);
    expect((await adjRef.get()).get("carried_in")).to.equal(null);
    expect((await db().doc(`terminal_receipts/${tag}-r`).get()).get("latest_reconciliation_id") ?? null).to.equal(null);

    // Restored, but another approved adjustment written from nothing beside it.
    await adjRef.update({ delta_bbl: 4.25 });
    const madeUp = db().doc(`prior_period_adjustments/${tag}-old_v2_1`);
    await madeUp.set({ ...(await adjRef.get()).data(), delta_bbl: 777 });
    const written = await refusal();
    expect(written.details?.forged_adjustments?.map((f) => f.adjustment_id)).to.deep.equal([madeUp.id]);
    expect(written.message).to.contain(`${tag}-old_v2 raised no adjustment ${madeUp.id}`);

    // One naming a path, not a version: refused as naming none that exists, never read as a path.
    await madeUp.update({ from_reconciliation_id: "x/y" });
    const pathNamed = await refusal();
    expect(pathNamed.code).to.equal("failed-precondition");
    expect(pathNamed.message).to.contain("the version it names, x/y, does not exist");
    await madeUp.delete();

    // Its approval rewritten, or pointing at a decision never logged: not a coordinator's decision, not carried.
    const decided = (await adjRef.get()).data()!;
    await adjRef.update({ decided_by: "mallory", note: "approved at the meeting" });
    const rewrittenApproval = (await refusal()) as {
      message?: string;
      details?: { unlogged_approvals?: Array<{ adjustment_id: string }> };
    };
    expect(rewrittenApproval.message).to.contain(
      `Prior-period adjustment ${adjRef.id} cannot be carried: its approval is not the decision event`,
    );
    expect(rewrittenApproval.message).to.contain(`decided_by "mallory" where the event says "${caller.uid}"`);
    expect(rewrittenApproval.details?.unlogged_approvals?.map((f) => f.adjustment_id)).to.deep.equal([adjRef.id]);
    await adjRef.update({ decided_by: decided.decided_by, note: decided.note, decision_event: `adjustment_${tag}-never-decided_approved` });
    expect((await refusal()).message).to.contain(
      `no approval of it is in the audit log (no event adjustment_${tag}-never-decided_approved)`,
    );
    expect((await db().doc(`terminal_receipts/${tag}-r`).get()).get("latest_reconciliation_id") ?? null).to.equal(null);
    await adjRef.update({ decision_event: decided.decision_event });
    const carrier = await reconcile(`${tag}-r`);
    expect(await carriedIds(carrier.reconciliation_id)).to.deep.equal([adjRef.id]);
    const verified = (await verifyReconciliation(db(), carrier.reconciliation_id))!;
    expect(verified.ok).to.equal(true);
    expect(verified.checks.find((c) => c.check === "prior_period_adjustments[0].origin")).to.deep.include({ ok: true });
    // Offline, from the JV bundle: checked against the bundle's copy of that version, which the bundle does not seal.
    const bundle = JSON.parse(JSON.stringify(statementBundle((await gatherEvidence(db(), carrier.reconciliation_id))!)));
    const offline = verifyStatementBundle(bundle);
    expect(offline.ok).to.equal(true);
    expect(offline.checks.find((c) => c.check === "prior_period_adjustments[0].origin")).to.deep.include({ ok: true });
    expect(offline.not_checked_in_words).to.include(UNCHECKED.bundledAdjustmentOrigins);

    // The approval a statement prints, rewritten on the adjustment: its decision's audit event says otherwise.
    const honest = (await adjRef.get()).data()!;
    await adjRef.update({ decided_by: "mallory", decided_at: new Date("2020-01-01T00:00:00Z"), note: "approved at the meeting" });
    const rewritten = (await verifyReconciliation(db(), carrier.reconciliation_id))!;
    expect(rewritten.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(rewritten.checks.find((c) => !c.ok)?.note).to.contain(`decided_by "mallory" where the event says "${caller.uid}"`);
    const rewrittenOffline = verifyStatementBundle(
      JSON.parse(JSON.stringify(statementBundle((await gatherEvidence(db(), carrier.reconciliation_id))!))),
    );
    expect(rewrittenOffline.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    // Another partner reads that it failed, not who the record and the audit log say approved it.
    const asPartner = (partnerId: string) =>
      verifyReconciliationCallable(
        plainDeps(),
        { reconciliation_id: carrier.reconciliation_id },
        { uid: `${partnerId}-user`, role: "jv_partner", partnerId },
      );
    const seenByOther = (await asPartner(`${tag}-b`)).checks.find((c) => !c.ok)!;
    expect(seenByOther.check).to.equal("prior_period_adjustments[0].approval");
    expect(seenByOther.note).to.equal("another partner's adjustment: its approval on record is not its decision in the audit log");
    expect((await asPartner(a)).checks.find((c) => !c.ok)?.note).to.contain('decided_by "mallory"');
    // ... and the statement does not print it as the approval.
    const statementText = async () =>
      pdfText(
        Buffer.from(
          (await exportStatement(plainDeps(), { reconciliation_id: carrier.reconciliation_id, format: "pdf" }, caller)).base64,
          "base64",
        ),
      );
    const forgedPdf = await statementText();
    expect(forgedPdf).to.contain("not on record").and.not.contain("approved at the meeting");
    await adjRef.update({ decided_by: honest.decided_by, decided_at: honest.decided_at, note: honest.note });
    expect((await verifyReconciliation(db(), carrier.reconciliation_id))!.ok).to.equal(true);
    expect(await statementText()).to.not.contain("not on record");

    // The version that raised it, changed afterwards: the carried line no longer matches what it raised.
    await db()
      .doc(`reconciliations/${tag}-old_v2`)
      .update({ "changes_from_previous.partners": [{ partner_id: a, delta_bbl: 1.25 }] });
    const after = (await verifyReconciliation(db(), carrier.reconciliation_id))!;
    expect(after.ok).to.equal(false);
    expect(after.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["prior_period_adjustments[0].origin"]);
  });

  it("a set put back to pending and approved again is logged as a new decision, carried and verified", async () => {
    const tag = uniqueId("carry-again");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const adjRef = await seedPendingAdjustment(db(), tag, a, isolatedPeriod(1), 3.75);
    const decide = (note: string) => decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note }, caller);
    await decide("first look");
    const first = String((await adjRef.get()).get("decision_event"));
    expect(first).to.equal(`adjustment_${adjRef.id}_approved`);
    // An admin puts the set back to pending; the coordinator approves it again, through the same adjustment.
    await adjRef.update({ status: "pending", decided_by: null, decided_at: null, note: null });
    await decide("second look, with the lab report");
    const again = (await adjRef.get()).data()!;
    expect(again.decision_event).to.match(new RegExp(`^adjustment_${adjRef.id}_approved_\\d+$`));
    const logged = (await db().doc(`audit_log/${again.decision_event}`).get()).data()!;
    expect([logged.actor, logged.details.note]).to.deep.equal([caller.uid, "second look, with the lab report"]);
    await oneDayPeriod(`${tag}-r`, a);
    const carrier = await reconcile(`${tag}-r`);
    expect(await carriedIds(carrier.reconciliation_id)).to.deep.equal([adjRef.id]);
    expect((await verifyReconciliation(db(), carrier.reconciliation_id))!.ok).to.equal(true);
  });

  it("a carried set put back to pending is let go of by its carrier's re-run, and carried by the next open period once approved again", async () => {
    const tag = uniqueId("carry-let-go");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const adjRef = await seedPendingAdjustment(db(), tag, a, isolatedPeriod(1), 1.5);
    const decide = (note: string) => decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note }, caller);
    await decide("first look");
    await oneDayPeriod(`${tag}-r`, a);
    const first = await reconcile(`${tag}-r`);
    expect(await carriedIds(first.reconciliation_id)).to.deep.equal([adjRef.id]);
    // An admin sets the set back to pending; the period is reconciled again before anyone decides.
    await adjRef.update({ status: "pending", decided_by: null, decided_at: null, note: null });
    const rerun = await reconcile(`${tag}-r`);
    expect([rerun.version, rerun.unchanged]).to.deep.equal([2, false]);
    expect(await carriedIds(rerun.reconciliation_id)).to.deep.equal([]);
    expect((await adjRef.get()).get("carried_in")).to.equal(null);
    // The version that carried it says so no longer.
    const letGo = (await verifyReconciliation(db(), first.reconciliation_id))!;
    expect(letGo.checks.filter((c) => !c.ok).map((c) => c.check)).to.include.members([
      "prior_period_adjustments[0].status",
      "prior_period_adjustments[0].carried_in",
    ]);
    await decide("second look");
    // Not taken up again by a restatement of the period it left...
    await correct(`${tag}-r-e`, a, (await db().doc(`terminal_receipts/${tag}-r`).get()).get("period_start").toDate(), 1001);
    const third = await reconcile(`${tag}-r`);
    expect(await carriedIds(third.reconciliation_id)).to.deep.equal([]);
    // ...but by the next open period, once.
    await oneDayPeriod(`${tag}-r2`, a);
    const next = await reconcile(`${tag}-r2`);
    expect(await carriedIds(next.reconciliation_id)).to.deep.equal([adjRef.id]);
    expect((await adjRef.get()).get("carried_in")).to.equal(next.reconciliation_id);
    expect((await verifyReconciliation(db(), next.reconciliation_id))!.ok).to.equal(true);
  });

  it("fails the changes of a restatement whose previous version was deleted, and passes them once it is restored", async () => {
    const tag = uniqueId("restated-gone");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start, entryId } = await oneDayPeriod(`${tag}-r`, a);
    const first = await reconcile(`${tag}-r`);
    await correct(entryId, a, start, 1001);
    const second = await reconcile(`${tag}-r`);
    expect((await verifyReconciliation(db(), second.reconciliation_id))!.ok).to.equal(true);
    const previous = db().doc(`reconciliations/${first.reconciliation_id}`);
    const kept = (await previous.get()).data()!;
    await previous.delete();
    const verdict = (await verifyReconciliation(db(), second.reconciliation_id))!;
    await previous.set(kept);
    expect(verdict.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["changes_from_previous"]);
    expect(verdict.checks.find((c) => !c.ok)?.note).to.contain(`${first.reconciliation_id}, the version its changes are measured against`);
    expect((await verifyReconciliation(db(), second.reconciliation_id))!.ok).to.equal(true);
  });

  it("an approval overruled by a later logged decision is not carried, nor verified, when its record is rewritten back to it", async () => {
    const tag = uniqueId("carry-overruled");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const adjRef = await seedPendingAdjustment(db(), tag, a, isolatedPeriod(1), 2.5);
    const decide = (decision: "approved" | "rejected", note: string) =>
      decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision, note }, caller);
    const reset = () => adjRef.update({ status: "pending", decided_by: null, decided_at: null, note: null });
    // Only the approval is rewritten: what reconcile records on the adjustment (carried_in) stays.
    const approvalOnRecord = async () => {
      const d = (await adjRef.get()).data()!;
      return { status: d.status, decided_by: d.decided_by, decided_at: d.decided_at, note: d.note, decision_event: d.decision_event };
    };
    await decide("approved", "first look");
    const first = await approvalOnRecord();
    await reset();
    await decide("rejected", "the lab report shows the meter was right");
    // The record rewritten back to the first approval, which its event still matches.
    await adjRef.update({ ...first });
    await oneDayPeriod(`${tag}-r`, a);
    const overruled = (await refusalOf(() => reconcile(`${tag}-r`))) as {
      code?: string;
      message?: string;
      details?: { unlogged_approvals?: Array<{ adjustment_id: string; fault: string }> };
    };
    expect(overruled.code).to.equal("failed-precondition");
    expect(overruled.message).to.contain(
      `Prior-period adjustment ${adjRef.id} cannot be carried: a later decision on it is logged: rejected by ${caller.uid}`,
    );
    expect(overruled.details?.unlogged_approvals?.map((f) => f.adjustment_id)).to.deep.equal([adjRef.id]);
    expect((await db().doc(`terminal_receipts/${tag}-r`).get()).get("latest_reconciliation_id") ?? null).to.equal(null);

    // Approved again after another reset: the record must name the second approval, not the first.
    await reset();
    await decide("approved", "second look: the meter was proved late after all");
    const second = await approvalOnRecord();
    await adjRef.update({ ...first });
    expect((await refusalOf(() => reconcile(`${tag}-r`))).message).to.contain(
      `a later decision on it is logged: approved again by ${caller.uid}`,
    );
    await adjRef.update({ ...second });
    const carrier = await reconcile(`${tag}-r`);
    expect(await carriedIds(carrier.reconciliation_id)).to.deep.equal([adjRef.id]);
    expect((await verifyReconciliation(db(), carrier.reconciliation_id))!.ok).to.equal(true);
    // Rewritten back to the first approval after it was carried: the verifier says so, live and offline.
    await adjRef.update({ ...first });
    const rewritten = (await verifyReconciliation(db(), carrier.reconciliation_id))!;
    expect(rewritten.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(rewritten.checks.find((c) => !c.ok)?.note).to.contain(`a later decision on it is logged: approved again by ${caller.uid}`);
    const bundle = statementBundle((await gatherEvidence(db(), carrier.reconciliation_id))!);
    const offline = verifyStatementBundle(JSON.parse(JSON.stringify(bundle)));
    expect(offline.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["prior_period_adjustments[0].approval"]);
    expect(offline.not_checked_in_words).to.not.include(UNCHECKED.laterAdjustmentDecisions);
    await adjRef.update({ ...second });
    expect((await verifyReconciliation(db(), carrier.reconciliation_id))!.ok).to.equal(true);
  });

  it("takes no decision on a set that is not what its version raised, nor on one whose version awaits its release, whatever the adjustment says", async () => {
    const tag = uniqueId("decide-forged");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const adjRef = await seedPendingAdjustment(db(), tag, a, isolatedPeriod(1), 2.5);
    const decide = () => decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note: "checked" }, caller);
    const refusedWith = () => refusalOf(decide);
    await adjRef.update({ delta_bbl: 250 });
    const edited = await refusedWith();
    expect(edited.code).to.equal("failed-precondition");
    expect(edited.message).to.contain(`it says 250 bbl for ${a}, where ${tag}-old_v2 raised 2.5 bbl for ${a}`);
    await adjRef.update({ delta_bbl: 2.5 });
    // The version waits for its release: an adjustment claiming otherwise is still refused.
    await db().doc(`reconciliations/${tag}-old_v2`).update({ released: false });
    await adjRef.update({ released: true });
    expect((await refusedWith()).message).to.contain("waits for its release to the partners");
    expect((await adjRef.get()).get("status")).to.equal("pending");
    await db().doc(`reconciliations/${tag}-old_v2`).update({ released: true });
    expect((await decide()).status).to.equal("approved");
  });

  it("neither decides nor carries a set one of whose adjustments was deleted outside FlowShare, and does both once it is restored", async () => {
    const tag = uniqueId("set-missing");
    const [a, b] = [`${tag}-a`, `${tag}-b`];
    await seedPartner(db(), a, "Partner A");
    await seedPartner(db(), b, "Partner B");
    const days = isolatedPeriod(2);
    const at = (day: number) => new Date(days.start.getTime() + day * 24 * HOUR);
    // A restatement that moved 6.5 bbl from B to A: two adjustments summing to nothing.
    const gain = await seedPendingAdjustment(db(), tag, a, { start: at(0), end: at(1) }, 6.5);
    const origin = db().doc(`reconciliations/${tag}-old_v2`);
    const changes = (await origin.get()).get("changes_from_previous") as { partners: Array<Record<string, unknown>> };
    await origin.update({
      "changes_from_previous.partners": [...changes.partners, { ...changes.partners[0], partner_id: b, delta_bbl: -6.5 }],
    });
    const loss = db().doc(`prior_period_adjustments/${tag}-old_v2_1`);
    const lossData = { ...(await gain.get()).data(), partner_id: b, delta_bbl: -6.5 };

    const decide = () => decideAdjustment(plainDeps(), { adjustment_id: gain.id, decision: "approved", note: "checked" }, caller);
    const undecided = await refusalOf(decide);
    expect(undecided.code).to.equal("failed-precondition");
    expect(undecided.message).to.contain(`${tag}-old_v2 raised an adjustment that no longer exists: ${loss.id} (-6.5 bbl for ${b})`);
    expect((await gain.get()).get("status")).to.equal("pending");
    await loss.set(lossData);
    const decided = await decide();
    expect([decided.set.length, decided.set_total_bbl]).to.deep.equal([2, 0]);

    // Approved together, then one deleted before a later period carries them.
    await loss.delete();
    await seedEntries(db(), [soundEntry(`${tag}-e`, a, new Date(at(1).getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, at(1), at(2), 1000));
    const uncarried = await refusalOf(() => reconcile(`${tag}-r`));
    expect(uncarried.code).to.equal("failed-precondition");
    expect(uncarried.message).to.contain(`The approved adjustments of ${tag}-old_v2 cannot be carried: ${tag}-old_v2 raised an adjustment`);
    expect((await gain.get()).get("carried_in")).to.equal(null);
    expect((await db().doc(`terminal_receipts/${tag}-r`).get()).get("latest_reconciliation_id") ?? null).to.equal(null);
    await loss.set({ ...lossData, ...(await gain.get()).data(), partner_id: b, delta_bbl: -6.5 });
    const carrier = await reconcile(`${tag}-r`);
    expect(await carriedIds(carrier.reconciliation_id)).to.include.members([gain.id, loss.id]);
  });

  it("a receipt replacing the one that carried it keeps carrying it, even when it starts before the adjustment's period ended", async () => {
    const tag = uniqueId("carry-early");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    // Three free days: the adjustment's period is the first two, the carrying receipt the third.
    const days = isolatedPeriod(3);
    const at = (day: number) => new Date(days.start.getTime() + day * 24 * HOUR);
    const adjRef = await seedPendingAdjustment(db(), tag, a, { start: at(0), end: at(2) }, 4.25);
    await decideAdjustment(plainDeps(), { adjustment_id: adjRef.id, decision: "approved", note: "ok" }, caller);
    await seedEntries(db(), [soundEntry(`${tag}-e`, a, new Date(at(2).getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, at(2), at(3), 1000));
    const carrier = await reconcile(`${tag}-r`);
    expect(await carriedIds(carrier.reconciliation_id)).to.include(adjRef.id);

    // Its replacement takes in the day before: a day of the adjustment's own period.
    await seedReceipt(db(), receiptOf(`${tag}-r-fix`, at(1), at(3), 1000, { supersedes_receipt_id: `${tag}-r` }));
    const replacing = await reconcile(`${tag}-r-fix`);
    expect(replacing.reconciliation_id).to.equal(`${tag}-r-fix_v1`);
    expect(await carriedIds(replacing.reconciliation_id)).to.include(adjRef.id);
    expect((await adjRef.get()).get("carried_in")).to.equal(replacing.reconciliation_id);
    expect((await db().doc(`reconciliations/${carrier.reconciliation_id}`).get()).get("status")).to.equal("superseded");
  });
});
