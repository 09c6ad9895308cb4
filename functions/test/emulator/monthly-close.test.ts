// The monthly close through the callables (HTTP, as the web app calls them) and the client SDK
// (Firestore writes through the security rules): receipts tiling time, contract days, late
// entries and prior-period adjustments, the LUAF band, receipt bands, zero lines and the
// content digest.
import { expect } from "chai";
import { FieldValue, type Firestore, Timestamp } from "firebase-admin/firestore";
import { collection, doc, getDoc, getDocs, query, serverTimestamp, setDoc, Timestamp as ClientTimestamp, where } from "firebase/firestore";
import { adminDb, callFunction, uniqueId, waitForDoc, waitUntil, type TestUser } from "../support/emulator";
import { waitForAudit } from "../support/production-entries";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import { signInNewWebUser, type WebClient } from "../support/web-client";
import { manifestRowsOf } from "../../src/agents/accountant/manifest";
import { reconcile as reconcileHandler } from "../../src/agents/accountant/reconcile";
import { gatherEvidence, verifyReconciliation } from "../../src/agents/accountant/verify";
import { readCorrectionNotes } from "../../src/agents/accountant/corrections";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { leafHash } from "../../src/domain/report-hash";
import { auditInputHash } from "../../src/domain/production-entry";
import { statementOf } from "../../src/domain/statement";
import { evidenceOfBundle, partnerEvidence, statementBundle } from "../../src/domain/statement-bundle";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { directDeps } from "../support/communicator-world";
import { beforeFirstTransaction } from "../support/raced-db";
import { reconciliationNotificationId, releaseNotificationId } from "../../src/domain/notification-ids";

const db = () => adminDb();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const coordinator = (): TestUser => ({ uid: uniqueId("coord"), role: "jv_coordinator" });
/** Triggers queue behind each other on a loaded machine: wait for them generously. */
const SLOW = 120_000;

interface Line {
  partner_id: string;
  entries: number;
  nsv_bbl: number;
  allocated_bbl: number;
  partner_active: boolean;
  reason?: string;
  partner_name: string;
}
interface Result {
  reconciliation_id: string;
  version: number;
  unchanged: boolean;
  totals: Record<string, number>;
  allocations: Line[];
}
type Report = FirebaseFirestore.DocumentData;

const reconcile = (data: Record<string, unknown>, user: TestUser = coordinator()) => callFunction<Result>("reconcile", data, user);
const report = async (id: string): Promise<Report> => (await db().doc(`reconciliations/${id}`).get()).data()!;

async function partners(tag: string, names: string[]): Promise<string[]> {
  const ids = names.map((n) => `${tag}-${n}`);
  for (const id of ids) await seedPartner(db(), id, `Partner ${id.slice(-1).toUpperCase()}`);
  return ids;
}

/** The `reconciliation_stale` notifications `uid` was sent for `reconciliationId`, once there are any. */
function staleNotices(uid: string, reconciliationId: string, timeoutMs: number): Promise<Report[]> {
  return waitUntil(
    `the stale notification of ${reconciliationId}`,
    async () => {
      // Another test's stale version may notify every coordinator too: this version's only.
      const snap = await db()
        .collection("notifications")
        .where("recipient_uid", "==", uid)
        .where("type", "==", "reconciliation_stale")
        .get();
      const mine = snap.docs.map((d) => d.data()).filter((n) => n.data?.reconciliation_id === reconciliationId);
      return mine.length > 0 ? mine : undefined;
    },
    timeoutMs,
  );
}

const webUser = (claims: Record<string, unknown>): Promise<WebClient> => signInNewWebUser(claims, "close");

describe("monthly close: receipts tile time", () => {
  it("refuses an overlapping receipt naming the other and the days, then accepts it with supersedes_receipt_id; no entry is counted twice", async function () {
    this.timeout(180_000);
    const tag = uniqueId("tile");
    const [a, b] = await partners(tag, ["a", "b"]);
    const { start } = isolatedPeriod(4);
    const day = (n: number) => new Date(start.getTime() + n * DAY);
    const seeds = [0, 1, 2, 3].flatMap((n) => [
      soundEntry(`${a}-d${n}`, a, new Date(day(n).getTime() + 8 * HOUR)),
      soundEntry(`${b}-d${n}`, b, new Date(day(n).getTime() + 9 * HOUR)),
    ]);
    await seedEntries(db(), seeds);
    // R1: days 0-2 (1-3 Sep in the issue), R2: days 1-3.
    await seedReceipt(db(), receiptOf(`${tag}-r1`, day(0), day(3), 3 * 2000));
    await seedReceipt(db(), receiptOf(`${tag}-r2`, day(1), day(4), 3 * 2000));
    const r1 = await reconcile({ terminal_receipt_id: `${tag}-r1` });
    expect(r1.error, JSON.stringify(r1.error)).to.equal(undefined);

    const refused = await reconcile({ terminal_receipt_id: `${tag}-r2` });
    expect(refused.error!.status).to.equal("FAILED_PRECONDITION");
    const dayId = (n: number) => day(n).toISOString().slice(0, 10);
    const closedDay = (n: number) =>
      db()
        .doc(`closed_days/${dayId(n)}`)
        .get();
    expect(refused.error!.message).to.contain(`receipt ${tag}-r1 (reconciliation ${tag}-r1_v1) on ${dayId(1)}, ${dayId(2)}`);
    expect(refused.error!.message).to.contain('to replace that receipt, create the new one as replacing it ("Replaces receipt")');
    expect((await closedDay(1)).get("reconciliation_id")).to.equal(`${tag}-r1_v1`);
    // An overlapping receipt whose shrinkage is also outside the LUAF band: the overlap is said first,
    // nobody is asked to justify a loss on days another receipt holds.
    await seedReceipt(db(), receiptOf(`${tag}-r5`, day(1), day(4), 600));
    const lossy = await reconcile({ terminal_receipt_id: `${tag}-r5` });
    expect(lossy.error!.status).to.equal("FAILED_PRECONDITION");
    expect(lossy.error!.message).to.contain(
      `Terminal receipt ${tag}-r5 overlaps receipt ${tag}-r1 (reconciliation ${tag}-r1_v1) on ${dayId(1)}, ${dayId(2)}`,
    );
    expect(lossy.error!.message).to.not.contain("LUAF");
    expect((lossy.error!.details as { overlaps?: unknown[] }).overlaps).to.have.length(1);

    // Naming a receipt that does not exist is refused (the scan, already under way, is stopped); nothing is written.
    await seedReceipt(db(), receiptOf(`${tag}-r4`, day(1), day(4), 3 * 2000, { supersedes_receipt_id: `${tag}-none` }));
    const missing = await reconcile({ terminal_receipt_id: `${tag}-r4` });
    expect(missing.error!.status).to.equal("FAILED_PRECONDITION");
    expect(missing.error!.message).to.equal(`The receipt it replaces, terminal receipt ${tag}-none, does not exist.`);
    expect((await db().doc(`reconciliations/${tag}-r4_v1`).get()).exists).to.equal(false);
    expect((await closedDay(3)).exists).to.equal(false);

    // R3 also corrects the terminal ticket (50 bbl less): what the partners were told by R1 moves.
    const why = "Terminal re-proved its meter: 50 bbl less";
    await seedReceipt(
      db(),
      receiptOf(`${tag}-r3`, day(1), day(4), 3 * 2000 - 50, { supersedes_receipt_id: `${tag}-r1`, correction_note: why }),
    );
    const r3 = await reconcile({ terminal_receipt_id: `${tag}-r3` });
    expect(r3.error, JSON.stringify(r3.error)).to.equal(undefined);
    const old = await report(`${tag}-r1_v1`);
    expect(old).to.include({ status: "superseded", superseded_by: `${tag}-r3_v1` });
    const next = await report(`${tag}-r3_v1`);
    // With why the ticket was corrected, who entered it and when, as the receipt says.
    const r3Receipt = (await db().doc(`terminal_receipts/${tag}-r3`).get()).data()!;
    expect(next.supersedes_receipt).to.deep.equal({
      terminal_receipt_id: `${tag}-r1`,
      reconciliation_id: `${tag}-r1_v1`,
      note: why,
      by: "seed-coordinator",
      at: r3Receipt.created_at,
    });
    expect(statementOf((await gatherEvidence(db(), `${tag}-r3_v1`))!).supersedes_receipt).to.deep.include({
      note: why,
      by: "seed-coordinator",
    });
    expect(next.closed_days).to.deep.equal([dayId(1), dayId(2), dayId(3)]);
    // Day 0 belonged to R1 only: it is open again, its entries in no current reconciliation.
    expect((await closedDay(0)).exists).to.equal(false);
    for (const n of [1, 2, 3]) expect((await closedDay(n)).get("reconciliation_id")).to.equal(`${tag}-r3_v1`);

    // Each partner's difference from what R1's statement told it is a pending prior-period adjustment.
    const told = new Map<string, number>(old.allocations.map((l: Line) => [l.partner_id, l.allocated_bbl]));
    const expected = (next.allocations as Line[])
      .map((l) => ({ partner_id: l.partner_id, delta_bbl: Math.round((l.allocated_bbl - (told.get(l.partner_id) ?? 0)) * 100) / 100 }))
      .filter((d) => d.delta_bbl !== 0);
    expect(expected.length).to.equal(2);
    const adjustments = await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", `${tag}-r3_v1`).get();
    expect(
      adjustments.docs
        .map((d) => ({ partner_id: d.get("partner_id"), delta_bbl: d.get("delta_bbl") }))
        .sort((x, y) => x.partner_id.localeCompare(y.partner_id)),
    ).to.deep.equal(expected);
    for (const d of adjustments.docs) expect(d.data()).to.include({ previous_reconciliation_id: `${tag}-r1_v1`, status: "pending" });
    // The report itself shows each partner's figures before and after, against R1_v1: the statement's table.
    expect(next.supersedes).to.equal(null);
    expect(
      (next.changes_from_previous.partners as Array<{ partner_id: string; delta_bbl: number; allocated_bbl_before: number }>)
        .filter((c) => c.delta_bbl !== 0)
        .map((c) => ({ partner_id: c.partner_id, delta_bbl: c.delta_bbl })),
    ).to.deep.equal(expected);
    for (const c of next.changes_from_previous.partners as Array<{ partner_id: string; allocated_bbl_before: number }>) {
      expect(c.allocated_bbl_before).to.equal(told.get(c.partner_id));
    }

    // Every entry id across the current reconciliations, once.
    const current = await db()
      .collection("reconciliations")
      .where("terminal_receipt_id", "in", [`${tag}-r1`, `${tag}-r3`])
      .where("status", "==", "completed")
      .get();
    const used: string[] = [];
    for (const rep of current.docs) {
      const chunks = await rep.ref.collection("inputs").get();
      used.push(...chunks.docs.flatMap((c) => manifestRowsOf(c.id, c.data()).map((r) => r.entry_id)));
    }
    expect(used.length).to.equal(6);
    expect(new Set(used).size).to.equal(used.length);
    // The live verifier: R1_v1 is superseded by R3_v1, which names it, and R1's own chain says so;
    // with its lifecycle fields put back as if never replaced, that event gives it away (R1_v1 holds no day, as replaced).
    const r1Events = await db().collection("audit_log").where("stream", "==", `receipt_${tag}-r1`).orderBy("seq").get();
    expect(r1Events.docs.map((d) => [d.get("action"), d.get("subject"), d.get("details")])).to.deep.equal([
      ["reconciliation_completed", `reconciliations/${tag}-r1_v1`, r1Events.docs[0].get("details")],
      ["reconciliation_superseded", `reconciliations/${tag}-r1_v1`, { superseded_by: `${tag}-r3_v1`, terminal_receipt_id: `${tag}-r3` }],
    ]);
    const honest = (await verifyReconciliation(db(), `${tag}-r1_v1`))!;
    expect(honest.ok).to.equal(true);
    expect(honest.checks.find((c) => c.check === "superseded_by")?.note).to.equal(`event 2 of receipt_${tag}-r1`);
    await db().doc(`reconciliations/${tag}-r1_v1`).update({ status: "completed", superseded_by: FieldValue.delete() });
    const forged = (await verifyReconciliation(db(), `${tag}-r1_v1`))!;
    expect([forged.ok, forged.checks.filter((c) => !c.ok).map((c) => c.check)]).to.deep.equal([false, ["status", "superseded_by"]]);
    // Offline, a partner's bundle of R1_v1 made to look current fails on the event its chain carries.
    const forgedBundle = statementBundle(partnerEvidence((await gatherEvidence(db(), `${tag}-r1_v1`))!, a));
    const offline = verifyReportEvidence(evidenceOfBundle(JSON.parse(JSON.stringify(forgedBundle))));
    expect(offline.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["status", "superseded_by"]);
    await db()
      .doc(`reconciliations/${tag}-r1_v1`)
      .update({ status: "superseded", superseded_by: `${tag}-r3_v1` });
    const verified = (await verifyReconciliation(db(), `${tag}-r3_v1`))!;
    expect(verified.ok).to.equal(true);
    expect(verified.checks.filter((c) => c.check === "changes_from_previous").map((c) => c.ok)).to.deep.equal([true]);
    // Changes that are not R1_v1's figures fail, named (the evidence with one change moved by a cent).
    const evidence = (await gatherEvidence(db(), `${tag}-r3_v1`))!;
    const changes = structuredClone(evidence.report.changes_from_previous) as { partners: Array<{ delta_bbl: number }> };
    changes.partners[0]!.delta_bbl += 0.01;
    const tampered = verifyReportEvidence({ ...evidence, report: { ...evidence.report, changes_from_previous: changes } });
    expect(tampered.checks.filter((c) => !c.ok).map((c) => c.check)).to.include("changes_from_previous");

    // R1 cannot come back over R3's days.
    const again = await reconcile({ terminal_receipt_id: `${tag}-r1` });
    expect(again.error!.status).to.equal("FAILED_PRECONDITION");
    expect(again.error!.message).to.contain(`receipt ${tag}-r3`);

    // Rejecting R3's restatement would leave day 0's barrels in R1_v1's settled figures while day 0,
    // open again, is allocated by the next receipt: refused, naming the day. Approving it stands.
    const decide = (decision: string) =>
      callFunction<{ status: string }>(
        "decideAdjustment",
        { adjustment_id: adjustments.docs[0]!.id, decision, note: `${decision} after the meter proving` },
        coordinator(),
      );
    const rejected = await decide("rejected");
    expect(rejected.error!.status).to.equal("FAILED_PRECONDITION");
    expect(rejected.error!.message).to.contain(`${tag}-r3_v1, compared with ${tag}-r1_v1, does not hold its days ${dayId(0)};`);
    for (const d of adjustments.docs) expect((await d.ref.get()).get("status")).to.equal("pending");
    const approved = await decide("approved");
    expect(approved.error, JSON.stringify(approved.error)).to.equal(undefined);
    expect(approved.result!.status).to.equal("approved");
  });
});

describe("monthly close: receipts tile time, with day records of older versions", () => {
  it("a corrected ticket takes over days whose records do not name their receipt (written before they did)", async () => {
    const tag = uniqueId("tile-old");
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, end, 1000));
    expect((await reconcile({ terminal_receipt_id: `${tag}-r1` })).error).to.equal(undefined);
    const day = start.toISOString().slice(0, 10);
    await db().doc(`closed_days/${day}`).update({ terminal_receipt_id: FieldValue.delete() });
    await seedReceipt(db(), receiptOf(`${tag}-r2`, start, end, 990, { supersedes_receipt_id: `${tag}-r1`, correction_note: "re-proved" }));
    const r2 = await reconcile({ terminal_receipt_id: `${tag}-r2` });
    expect(r2.error, JSON.stringify(r2.error)).to.equal(undefined);
    expect((await db().doc(`closed_days/${day}`).get()).get("reconciliation_id")).to.equal(`${tag}-r2_v1`);
    // Another receipt on that day is still told whose it is.
    await seedReceipt(db(), receiptOf(`${tag}-r3`, start, end, 990));
    const r3 = await reconcile({ terminal_receipt_id: `${tag}-r3` });
    expect(r3.error!.message).to.contain(`Terminal receipt ${tag}-r3 overlaps receipt ${tag}-r2 (reconciliation ${tag}-r2_v1) on ${day}`);
  });
});

describe("monthly close: contract days", () => {
  afterEach(async () => {
    await db().doc("settings/jv").delete();
  });

  it("excludes, with the reason, an entry validated before the JV's start date was set to a later day", async () => {
    const tag = uniqueId("jvstart");
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(2);
    const before = `${tag}-before`;
    await seedEntries(db(), [
      soundEntry(before, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(`${tag}-after`, a, new Date(start.getTime() + DAY + 8 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const startDate = new Date(start.getTime() + DAY).toISOString().slice(0, 10);
    await db().doc("settings/jv").set({ jv_start_date: startDate });
    const { result, error } = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    const line = result!.allocations.find((l) => l.partner_id === a)!;
    expect([line.entries, line.nsv_bbl]).to.deep.equal([1, (await report(result!.reconciliation_id)).totals.field_nsv_bbl]);
    const stored = await report(result!.reconciliation_id);
    expect(stored.excluded).to.deep.include({ entry_id: before, partner_id: a, reason: `measured before the JV start date ${startDate}` });
    expect(stored.settings.jv_start_date).to.equal(startDate);
  });

  it("closes a 06:00 contract day at +01:00 exactly: operators still write the next day's open hours after the period end", async function () {
    this.timeout(180_000);
    const tag = uniqueId("cday");
    const [a] = await partners(tag, ["a"]);
    await db().doc("settings/jv").set({ contract_day_start_hour: 6, utc_offset_minutes: 60 });
    const { start: midnight } = isolatedPeriod(2);
    // Contract day D runs from D 05:00Z to D+1 05:00Z.
    const start = new Date(midnight.getTime() + 5 * HOUR);
    const end = new Date(start.getTime() + DAY);
    await seedEntries(db(), [soundEntry(`${a}-in`, a, new Date(start.getTime() + 20 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-bad`, midnight, new Date(midnight.getTime() + DAY), 1000));
    const bad = await reconcile({ terminal_receipt_id: `${tag}-bad` });
    expect(bad.error!.status).to.equal("FAILED_PRECONDITION");
    // Times to the minute, as people read them: no "T", seconds or "Z".
    expect(bad.error!.message).to.match(
      /^The period of terminal receipt \S+ (starts|ends) at \d{4}-\d\d-\d\d \d\d:\d\d UTC, inside contract day .* where a contract day starts .* e\.g\. \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/,
    );

    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const ok = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(ok.error, JSON.stringify(ok.error)).to.equal(undefined);
    const dayId = midnight.toISOString().slice(0, 10);
    expect((await report(ok.result!.reconciliation_id)).closed_days).to.deep.equal([dayId]);
    expect((await report(ok.result!.reconciliation_id)).settings).to.include({ contract_day_start_hour: 6, utc_offset_minutes: 60 });

    const operator = await webUser({ role: "field_operator", partner_id: a });
    try {
      const write = (id: string, at: Date) =>
        setDoc(doc(operator.db, `production_entries/${id}`), {
          partner_id: a,
          measured_at: ClientTimestamp.fromDate(at),
          gross_volume_bbl: 500,
          bsw_percent: 0.5,
          temperature_degF: 60,
          api_gravity: 30,
          meter_id: "M-9",
          created_by: operator.uid,
          created_at: serverTimestamp(),
        });
      // 06:00Z the next day: 07:00 local, contract day D+1, open.
      await write(`${tag}-open`, new Date(end.getTime() + HOUR));
      // 04:59Z the next day: 05:59 local, still contract day D, closed.
      const closed = await write(`${tag}-closed`, new Date(end.getTime() - 60_000)).then(
        () => "written",
        (e: { code?: string }) => e.code,
      );
      expect(closed).to.equal("permission-denied");
    } finally {
      await operator.close();
    }
  });

  it("setJvSettings: admins only, each change an audit event; the contract day cannot move once days are closed, nor the start date past one", async () => {
    const admin: TestUser = { uid: uniqueId("admin"), role: "admin" };
    const denied = await callFunction("setJvSettings", { luaf_tolerance_percent: 1 }, coordinator());
    expect(denied.error!.status).to.equal("PERMISSION_DENIED");
    const invalid = await callFunction("setJvSettings", { contract_day_start_hour: 24, jv_start_date: "2026-02-30" }, admin);
    expect(invalid.error!.status).to.equal("INVALID_ARGUMENT");
    const set = await callFunction<{ settings: Record<string, unknown>; changed: string[] }>(
      "setJvSettings",
      { luaf_tolerance_percent: 1.5, jv_start_date: "2000-06-01" },
      admin,
    );
    expect(set.error, JSON.stringify(set.error)).to.equal(undefined);
    expect(set.result!.changed).to.deep.equal(["luaf_tolerance_percent", "jv_start_date"]);
    expect((await db().doc("settings/jv").get()).data()).to.include({
      luaf_tolerance_percent: 1.5,
      jv_start_date: "2000-06-01",
      contract_day_start_hour: 0,
      updated_by: admin.uid,
    });
    const events = await db().collection("audit_log").where("stream", "==", "settings_jv").where("actor", "==", admin.uid).get();
    expect(events.docs.map((d) => d.get("details.after"))).to.deep.equal([{ luaf_tolerance_percent: 1.5, jv_start_date: "2000-06-01" }]);
    // The emulator holds closed days from the other tests.
    const moved = await callFunction("setJvSettings", { contract_day_start_hour: 6 }, admin);
    expect(moved.error!.status).to.equal("FAILED_PRECONDITION");
    expect(moved.error!.message).to.match(/contract day cannot change/);
    // Nor can the start date move past a closed day: its entries would drop out of settled figures.
    const first = (await db().collection("closed_days").limit(1).get()).docs[0]!.id;
    const dayAfter = new Date(Date.parse(`${first}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const later = await callFunction("setJvSettings", { jv_start_date: dayAfter }, admin);
    expect(later.error!.status).to.equal("FAILED_PRECONDITION");
    expect(later.error!.message).to.contain(`The JV start date cannot be after ${first}: that day is already closed and allocated`);
    expect(later.error!.details).to.deep.equal({ first_closed_day: first });
    expect((await db().doc("settings/jv").get()).get("jv_start_date")).to.equal("2000-06-01");
    const onFirst = await callFunction("setJvSettings", { jv_start_date: first }, admin);
    expect(onFirst.error, JSON.stringify(onFirst.error)).to.equal(undefined);
    await callFunction("setJvSettings", { jv_start_date: "2000-06-01" }, admin);
  });
});

describe("monthly close: closing without a race", () => {
  it("an entry change that commits between the scan and the close leaves the new version stale, naming the entry", async () => {
    const tag = uniqueId("race");
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(1);
    const entryId = `${a}-1`;
    const watcher = uniqueId("watcher");
    await db().doc(`users/${watcher}`).set({ role: "jv_coordinator" });
    await seedEntries(db(), [soundEntry(entryId, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    // The handler itself, with a database whose first transaction (the close) is preceded by a
    // correction of the period's entry and the auditor's verdict on it (the trigger, as deployed):
    // after the scan read the entry, before any day is closed.
    const raced = beforeFirstTransaction(db(), async (target) => {
      const ref = target.doc(`production_entries/${entryId}`);
      await ref.update({ gross_volume_bbl: 1001 });
      const corrected = auditInputHash((await ref.get()).data());
      await waitForAudit(entryId, (audit) => audit.input_hash === corrected);
    });
    const deps: AgentDeps = { ...directDeps("http://127.0.0.1:9", { now: new Date() }), db: raced.db };
    const result = await reconcileHandler(deps, { terminal_receipt_id: `${tag}-r` }, { uid: "race-coordinator", role: "jv_coordinator" });
    expect(raced.ran()).to.equal(true);
    expect(result).to.deep.include({ reconciliation_id: `${tag}-r_v1`, stale: true });
    const stored = await report(`${tag}-r_v1`);
    expect(stored.stale).to.equal(true);
    expect(stored.stale_entry_ids).to.include(entryId);
    // Created stale, the version is announced as stale as one marked later is.
    const told = await staleNotices(watcher, `${tag}-r_v1`, 150_000);
    expect(told).to.have.length(1);
    expect(told[0]!.data).to.deep.include({ reconciliation_id: `${tag}-r_v1`, stale_entry_ids: [entryId] });
  });

  /** One partner's entry on a day of its own, its receipt `${tag}-r`, and a coordinator to reconcile it. */
  async function onePartnerDay(tag: string) {
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${tag}-e`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const caller = { uid: `${tag}-coordinator`, role: "jv_coordinator" as const };
    return { start, caller, deps: directDeps("http://127.0.0.1:9", { now: new Date() }) };
  }

  /**
   * One partner's one-day receipt, reconciled by the handler on a database where another call
   * closes it first, just before this call's first transaction, which then runs as it would or
   * fails as the SDK reports a lost transaction.
   */
  async function closedFirstByAnother(tag: string, ownClose: "runs" | { code: number; message: string }) {
    const { start, caller, deps } = await onePartnerDay(tag);
    let other: Awaited<ReturnType<typeof reconcileHandler>> | undefined;
    const raced = new Proxy(db(), {
      get(target, key, receiver) {
        if (key !== "runTransaction") return Reflect.get(target, key, receiver);
        return async (...args: Parameters<Firestore["runTransaction"]>) => {
          if (other) return target.runTransaction(...args);
          other = await reconcileHandler({ ...deps, db: target }, { terminal_receipt_id: `${tag}-r` }, caller);
          if (ownClose === "runs") return target.runTransaction(...args);
          throw Object.assign(new Error(`${ownClose.code} ${ownClose.message}`), { code: ownClose.code });
        };
      },
    });
    const result = await reconcileHandler({ ...deps, db: raced }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect(other).to.deep.include({ reconciliation_id: `${tag}-r_v1`, unchanged: false });
    expect(result).to.deep.include({ reconciliation_id: `${tag}-r_v1`, version: 1, unchanged: true });
    const versions = await db().collection("reconciliations").where("terminal_receipt_id", "==", `${tag}-r`).get();
    expect(versions.docs.map((d) => d.id)).to.deep.equal([`${tag}-r_v1`]);
    return { start };
  }

  it("two calls on one receipt: the one whose close comes second returns the first's version, unchanged", async () => {
    const tag = uniqueId("twice");
    const { start } = await closedFirstByAnother(tag, "runs");
    expect(
      (
        await db()
          .doc(`closed_days/${start.toISOString().slice(0, 10)}`)
          .get()
      ).get("reconciliation_id"),
    ).to.equal(`${tag}-r_v1`);
  });

  it("a close whose commit Firestore gives up on for contention (ABORTED) reads it all again and returns the other's version", async () => {
    await closedFirstByAnother(uniqueId("lost"), { code: 10, message: "ABORTED: Too much contention on these documents." });
  });
});

describe("monthly close: late entries, stale versions and prior-period adjustments", () => {
  it("a coordinator's late entry on a closed day -> stale -> v2 -> pending adjustments -> one approved -> carried once by the next period, then in its place by a receipt replacing it", async function () {
    this.timeout(240_000);
    const tag = uniqueId("late");
    const [a, b] = await partners(tag, ["a", "b"]);
    const p1 = isolatedPeriod(1);
    await seedEntries(db(), [
      soundEntry(`${a}-1`, a, new Date(p1.start.getTime() + 8 * HOUR)),
      soundEntry(`${b}-1`, b, new Date(p1.start.getTime() + 9 * HOUR)),
    ]);
    // Field 1,990.00 bbl NSV; terminal 2,000 x 0.995 = 1,990.00.
    await seedReceipt(db(), receiptOf(`${tag}-p1`, p1.start, p1.end, 2000));
    const v1 = await reconcile({ terminal_receipt_id: `${tag}-p1` });
    expect(v1.error, JSON.stringify(v1.error)).to.equal(undefined);

    // A coordinator who hears of the stale version.
    const watcher = uniqueId("watcher");
    await db().doc(`users/${watcher}`).set({ role: "jv_coordinator" });
    const coord = await webUser({ role: "jv_coordinator" });
    const lateId = `${tag}-late`;
    try {
      await setDoc(doc(coord.db, `production_entries/${lateId}`), {
        partner_id: a,
        measured_at: ClientTimestamp.fromMillis(p1.start.getTime() + 14 * HOUR),
        gross_volume_bbl: 20,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        meter_id: "M-late",
        created_by: coord.uid,
        created_at: serverTimestamp(),
        correction_note: "Ticket 4411 found in the gauger's book",
        corrected_by: coord.uid,
        corrected_at: serverTimestamp(),
      });
      const withoutNote = await setDoc(doc(coord.db, `production_entries/${tag}-late2`), {
        partner_id: a,
        measured_at: ClientTimestamp.fromMillis(p1.start.getTime() + 15 * HOUR),
        gross_volume_bbl: 20,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        created_by: coord.uid,
        created_at: serverTimestamp(),
        corrected_by: coord.uid,
        corrected_at: serverTimestamp(),
      }).then(
        () => "written",
        (e: { code?: string }) => e.code,
      );
      expect(withoutNote).to.equal("permission-denied");
    } finally {
      await coord.close();
    }
    expect((await waitForAudit(lateId, undefined, SLOW)).status).to.equal("validated");
    const stale = await waitForDoc(`reconciliations/${tag}-p1_v1`, (s) => s.get("stale") === true, SLOW);
    expect(stale.get("stale_entry_ids")).to.deep.equal([lateId]);
    expect(stale.get("stale_since")).to.be.instanceOf(Timestamp);
    const told = await staleNotices(watcher, `${tag}-p1_v1`, SLOW);
    expect(told).to.have.length(1);
    expect(told[0]!.data).to.deep.include({ reconciliation_id: `${tag}-p1_v1`, stale_entry_ids: [lateId] });
    const logged = await db()
      .collection("audit_log")
      .where("subject", "==", `production_entries/${lateId}`)
      .where("action", "==", "entry_entered_late")
      .get();
    expect(logged.docs.map((d) => d.get("actor"))).to.deep.equal([coord.uid]);

    // v2: field 2,009.90; a gets (995 + 19.90) / 2,009.90 of 1,990.00.
    const v2 = await reconcile({ terminal_receipt_id: `${tag}-p1` });
    expect(v2.error, JSON.stringify(v2.error)).to.equal(undefined);
    expect(v2.result).to.deep.include({ version: 2, unchanged: false });
    const lines = Object.fromEntries(v2.result!.allocations.map((l) => [l.partner_id, l.allocated_bbl]));
    expect(lines[a]).to.equal(1004.85);
    expect(lines[b]).to.equal(985.15);
    // Why v2 was made: the late entry, who entered it and when, frozen on the report and bound by
    // its integrity hash; the note stays on the entry (a partner reads only its own): a's statement
    // shows it, b's only counts a's row (another partner's entry).
    const lateEntry = (await db().doc(`production_entries/${lateId}`).get()).data()!;
    const v2Report = (await db().doc(`reconciliations/${tag}-p1_v2`).get()).data()!;
    expect(v2Report.corrections).to.have.length(1);
    expect(v2Report.corrections[0]).to.deep.include({ entry_id: lateId, partner_id: a, kind: "late entry", by: lateEntry.corrected_by });
    expect(v2Report.corrections[0]).to.not.have.property("note");
    expect((v2Report.corrections[0].at as Timestamp).isEqual(lateEntry.corrected_at as Timestamp)).to.equal(true);
    const exported = async (partner: string) => {
      const out = await callFunction<{ base64: string }>(
        "exportStatement",
        { reconciliation_id: `${tag}-p1_v2`, format: "csv", partner_id: partner },
        coordinator(),
      );
      expect(out.error, JSON.stringify(out.error)).to.equal(undefined);
      return Buffer.from(out.result!.base64, "base64").toString("utf8");
    };
    // The notes a partner's statement is given: its own entries' only, whatever rows it asks for.
    expect(await readCorrectionNotes(db(), v2Report.corrections, b)).to.deep.equal({});
    expect(await readCorrectionNotes(db(), [{ entry_id: lateId, partner_id: b }], b)).to.deep.equal({});
    expect(Object.keys(await readCorrectionNotes(db(), v2Report.corrections, a))).to.deep.equal([lateId]);
    expect(await exported(a)).to.contain("Ticket 4411 found in the gauger's book");
    const ofB = await exported(b);
    expect(ofB).to.not.contain("Ticket 4411");
    expect(ofB).to.contain("1 of them changed other partners' entries and is sealed in this statement.");
    const v2Evidence = (await gatherEvidence(db(), `${tag}-p1_v2`))!;
    expect(statementOf(partnerEvidence(v2Evidence, b))).to.deep.include({ corrections: [], corrections_of_others: 1 });
    // Offline, from b's bundle as a file holds it: a's row sealed, the hash reproduced.
    const bBundle = evidenceOfBundle(JSON.parse(JSON.stringify(statementBundle(partnerEvidence(v2Evidence, b)))));
    expect(verifyReportEvidence(bBundle).checks.filter((x) => !x.ok)).to.deep.equal([]);
    const verified = (await verifyReconciliation(db(), `${tag}-p1_v2`))!;
    expect(verified.ok).to.equal(true);
    expect(verified.not_checked.join("\n")).to.contain("corrections: who changed the entries behind this version and when");
    await db()
      .doc(`reconciliations/${tag}-p1_v2`)
      .update({ corrections: [{ ...v2Report.corrections[0], by: "someone-else" }] });
    const tampered = (await verifyReconciliation(db(), `${tag}-p1_v2`))!;
    expect(tampered.ok).to.equal(false);
    expect(tampered.checks.filter((c) => !c.ok).map((c) => c.check)).to.include("integrity_hash");
    await db().doc(`reconciliations/${tag}-p1_v2`).update({ corrections: v2Report.corrections });

    const adjustments = await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", `${tag}-p1_v2`).get();
    const byPartner = Object.fromEntries(adjustments.docs.map((d) => [d.get("partner_id"), d]));
    expect(byPartner[a]!.data()).to.deep.include({ delta_bbl: 9.85, status: "pending", entry_ids: [lateId], carried_in: null });
    expect(byPartner[b]!.data()).to.deep.include({ delta_bbl: -9.85, status: "pending", entry_ids: [] });

    // Approving a's decides the restatement's set: b's -9.85 with a's +9.85, so that no barrel is
    // carried that never arrived.
    const user = coordinator();
    const approved = await callFunction<any>(
      "decideAdjustment",
      { adjustment_id: byPartner[a]!.id, decision: "approved", note: "ticket verified" },
      user,
    );
    expect(approved.error, JSON.stringify(approved.error)).to.equal(undefined);
    expect(approved.result).to.deep.include({ status: "approved", from_reconciliation_id: `${tag}-p1_v2`, set_total_bbl: 0 });
    expect(approved.result.set.map((x: { adjustment_id: string }) => x.adjustment_id).sort()).to.deep.equal(
      [byPartner[a]!.id, byPartner[b]!.id].sort(),
    );
    expect((await db().doc(`prior_period_adjustments/${byPartner[b]!.id}`).get()).data()).to.deep.include({
      status: "approved",
      note: "ticket verified",
      decided_by: user.uid,
      decided_with: byPartner[a]!.id,
    });
    const again = await callFunction(
      "decideAdjustment",
      { adjustment_id: byPartner[a]!.id, decision: "approved", note: "ticket verified" },
      user,
    );
    expect(again.error, "the same decision again changes nothing").to.equal(undefined);
    for (const [id, decision] of [
      [byPartner[b]!.id, "rejected"],
      [byPartner[a]!.id, "rejected"],
    ]) {
      const other = await callFunction("decideAdjustment", { adjustment_id: id, decision, note: "held for the partner's exception" }, user);
      expect(other.error!.status).to.equal("FAILED_PRECONDITION");
      expect(other.error!.message).to.match(/already approved .*with the other adjustments of/);
    }
    const operatorTry = await callFunction(
      "decideAdjustment",
      { adjustment_id: byPartner[a]!.id, decision: "approved", note: "x" },
      { uid: uniqueId("op"), role: "field_operator", partner_id: a },
    );
    expect(operatorTry.error!.status).to.equal("PERMISSION_DENIED");
    const decisions = await db()
      .collection("audit_log")
      .where("stream", "==", "prior_period_adjustments")
      .where("actor", "==", user.uid)
      .get();
    expect(decisions.docs.map((d) => d.get("action"))).to.deep.equal(["adjustment_approved"]);

    // The next period carries the approved adjustment beside its own allocation.
    const p2 = isolatedPeriod(1);
    await seedEntries(db(), [
      soundEntry(`${a}-2`, a, new Date(p2.start.getTime() + 8 * HOUR)),
      soundEntry(`${b}-2`, b, new Date(p2.start.getTime() + 9 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-p2`, p2.start, p2.end, 2000));
    const next = await reconcile({ terminal_receipt_id: `${tag}-p2` });
    expect(next.error, JSON.stringify(next.error)).to.equal(undefined);
    const nextReport = await report(next.result!.reconciliation_id);
    const own = (rows: Array<{ partner_id: string }>) => rows.filter((r) => r.partner_id === a || r.partner_id === b);
    expect(own(nextReport.prior_period_adjustments)).to.have.deep.members([
      { id: byPartner[a]!.id, partner_id: a, delta_bbl: 9.85, from_reconciliation_id: `${tag}-p1_v2` },
      { id: byPartner[b]!.id, partner_id: b, delta_bbl: -9.85, from_reconciliation_id: `${tag}-p1_v2` },
    ]);
    expect((own(nextReport.allocations) as Line[]).map((l) => l.allocated_bbl)).to.deep.equal([995, 995]);
    expect(own(nextReport.net_positions)).to.deep.equal([
      { partner_id: a, allocated_bbl: 995, adjustments_bbl: 9.85, net_bbl: 1004.85 },
      { partner_id: b, allocated_bbl: 995, adjustments_bbl: -9.85, net_bbl: 985.15 },
    ]);
    expect((await db().doc(`prior_period_adjustments/${byPartner[a]!.id}`).get()).get("carried_in")).to.equal(
      next.result!.reconciliation_id,
    );

    // b's bundle verifies offline. Whoever holds it holds b's salt: sealing b's own −9.85 bbl (and
    // with it b's net position, or b's whole line) keeps the integrity hash, and still fails.
    const nextEvidence = (await gatherEvidence(db(), next.result!.reconciliation_id))!;
    const bundleOfB = () => JSON.parse(JSON.stringify(statementBundle(partnerEvidence(nextEvidence, b))));
    const failed = (bundle: Record<string, unknown>) =>
      verifyReportEvidence(evidenceOfBundle(bundle))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
    const sealOwn = (
      bundle: { report: Record<string, unknown>; salts: Record<string, string>; manifest_rows?: unknown },
      sections: string[],
    ) => {
      for (const section of sections) {
        const rows = bundle.report[section] as Array<Record<string, unknown>>;
        bundle.report[section] = rows.map((r) => (r.partner_id === b ? { sealed: leafHash(bundle.salts[b], r) } : r));
      }
      return bundle;
    };
    expect(failed(bundleOfB())).to.deep.equal([]);
    expect(failed(sealOwn(bundleOfB(), ["prior_period_adjustments"]))).to.deep.equal(["net_positions.partner"]);
    expect(failed(sealOwn(bundleOfB(), ["prior_period_adjustments", "net_positions"]))).to.deep.equal(["net_positions.partner"]);
    const hidden = sealOwn(bundleOfB(), ["allocations", "prior_period_adjustments", "net_positions", "partner_inputs"]);
    hidden.manifest_rows = [];
    expect(failed(hidden)).to.include("partner.line").and.not.include("integrity_hash");

    // Carried exactly once: a re-run changes nothing, a later period carries none of it.
    const rerun = await reconcile({ terminal_receipt_id: `${tag}-p2` });
    expect(rerun.result).to.deep.include({ unchanged: true, version: 1 });
    const p3 = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-3`, a, new Date(p3.start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-p3`, p3.start, p3.end, 1000));
    const later = await reconcile({ terminal_receipt_id: `${tag}-p3` });
    expect(later.error, JSON.stringify(later.error)).to.equal(undefined);
    expect((await report(later.result!.reconciliation_id)).prior_period_adjustments.map((x: { id: string }) => x.id)).to.not.include(
      byPartner[a]!.id,
    );

    // A corrected ticket for p2, as a receipt whose id ends in "_v2": its version p2_v2_v1 replaces
    // p2_v1 and carries the adjustment again. Both verify: p2_v2_v1 is no version of receipt p2, and
    // the superseded p2_v1's adjustment is now carried in its superseded_by.
    const fix = `${tag}-p2_v2`;
    await seedReceipt(db(), receiptOf(fix, p2.start, p2.end, 2000, { supersedes_receipt_id: `${tag}-p2` }));
    const fixed = await reconcile({ terminal_receipt_id: fix });
    expect(fixed.error, JSON.stringify(fixed.error)).to.equal(undefined);
    expect(fixed.result!.reconciliation_id).to.equal(`${fix}_v1`);
    expect((await report(next.result!.reconciliation_id)).superseded_by).to.equal(`${fix}_v1`);
    expect((await db().doc(`prior_period_adjustments/${byPartner[a]!.id}`).get()).get("carried_in")).to.equal(`${fix}_v1`);
    for (const id of [next.result!.reconciliation_id, `${fix}_v1`]) {
      const verified = await callFunction<{ checks: Array<{ check: string; ok: boolean }> }>(
        "verifyReconciliation",
        { reconciliation_id: id },
        coordinator(),
      );
      expect(verified.error, JSON.stringify(verified.error)).to.equal(undefined);
      expect(
        verified.result!.checks.filter((c) => !c.ok),
        id,
      ).to.deep.equal([]);
    }
  });
});

describe("monthly close: a corrected ticket replacing a stale version", () => {
  it("lists the corrections the replaced version's stale marks name on the days it covers, and puts them behind the adjustments", async function () {
    this.timeout(240_000);
    const tag = uniqueId("restale");
    const [a, b] = await partners(tag, ["a", "b"]);
    const { start, end } = isolatedPeriod(2);
    const day = (n: number, hours: number) => new Date(start.getTime() + n * DAY + hours * HOUR);
    await seedEntries(db(), [
      soundEntry(`${a}-d0`, a, day(0, 8)),
      soundEntry(`${b}-d0`, b, day(0, 9)),
      soundEntry(`${a}-d1`, a, day(1, 8)),
      soundEntry(`${b}-d1`, b, day(1, 9)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, end, 4000));
    const v1 = await reconcile({ terminal_receipt_id: `${tag}-r1` });
    expect(v1.error, JSON.stringify(v1.error)).to.equal(undefined);

    // A coordinator's late entries on both closed days (created and signed in one write).
    const coord = uniqueId("coord");
    const late = (id: string, at: Date) =>
      db()
        .doc(`production_entries/${id}`)
        .set({
          partner_id: a,
          measured_at: Timestamp.fromDate(at),
          gross_volume_bbl: 20,
          bsw_percent: 0.5,
          temperature_degF: 60,
          api_gravity: 30,
          meter_id: "M-late",
          created_by: coord,
          created_at: FieldValue.serverTimestamp(),
          correction_note: `Ticket for ${id} found in the gauger's book`,
          corrected_by: coord,
          corrected_at: FieldValue.serverTimestamp(),
        });
    await late(`${tag}-late0`, day(0, 14));
    await late(`${tag}-late1`, day(1, 14));
    for (const id of [`${tag}-late0`, `${tag}-late1`]) expect((await waitForAudit(id, undefined, SLOW)).status).to.equal("validated");
    const stale = await waitForDoc(
      `reconciliations/${tag}-r1_v1`,
      (s) => s.get("stale") === true && (s.get("stale_entry_ids") as string[]).length === 2,
      SLOW,
    );
    expect([...(stale.get("stale_entry_ids") as string[])].sort()).to.deep.equal([`${tag}-late0`, `${tag}-late1`]);

    // The corrected ticket covers day 1 only: day 0's late entry is behind no version of it.
    await seedReceipt(
      db(),
      receiptOf(`${tag}-r2`, day(1, 0), end, 2000, { supersedes_receipt_id: `${tag}-r1`, correction_note: "Day 0 was proved separately" }),
    );
    const r2 = await reconcile({ terminal_receipt_id: `${tag}-r2` });
    expect(r2.error, JSON.stringify(r2.error)).to.equal(undefined);
    const next = await report(`${tag}-r2_v1`);
    const entry = (await db().doc(`production_entries/${tag}-late1`).get()).data()!;
    expect(next.corrections).to.have.length(1);
    expect(next.corrections[0]).to.deep.include({ entry_id: `${tag}-late1`, partner_id: a, kind: "late entry", by: coord });
    expect((next.corrections[0].at as Timestamp).isEqual(entry.corrected_at as Timestamp)).to.equal(true);
    const adjustments = await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", `${tag}-r2_v1`).get();
    const entryIds = Object.fromEntries(adjustments.docs.map((d) => [d.get("partner_id"), d.get("entry_ids")]));
    expect(entryIds[a]).to.deep.equal([`${tag}-late1`]);
    expect((await verifyReconciliation(db(), `${tag}-r2_v1`))!.ok).to.equal(true);
  });
});

describe("monthly close: approval before release", () => {
  it("holds a version from the partners until another coordinator or an admin releases it: reads, exports, notifications and adjustments", async function () {
    this.timeout(300_000);
    const admin: TestUser = { uid: uniqueId("admin"), role: "admin" };
    const on = await callFunction("setJvSettings", { release_approval_required: true }, admin);
    expect(on.error, JSON.stringify(on.error)).to.equal(undefined);
    try {
      const tag = uniqueId("release");
      const [a, b] = await partners(tag, ["a", "b"]);
      const { start, end } = isolatedPeriod(1);
      await seedEntries(db(), [
        soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR)),
        soundEntry(`${b}-1`, b, new Date(start.getTime() + 9 * HOUR)),
      ]);
      await seedReceipt(db(), receiptOf(`${tag}-r1`, start, end, 2000));
      // Users the communicator notifies: a coordinator (at once) and a's jv_partner (on release only).
      const watcher = uniqueId("watcher");
      const aPartnerUid = uniqueId("jvp");
      await db().doc(`users/${watcher}`).set({ role: "jv_coordinator" });
      await db().doc(`users/${aPartnerUid}`).set({ role: "jv_partner", partner_id: a });
      const maker = coordinator();
      const made = await reconcile({ terminal_receipt_id: `${tag}-r1` }, maker);
      expect(made.error, JSON.stringify(made.error)).to.equal(undefined);
      expect(made.result).to.deep.include({ version: 1, released: false });
      const id = `${tag}-r1_v1`;
      expect(await report(id)).to.deep.include({
        release_required: true,
        released: false,
        released_by: null,
        released_at: null,
        release_note: null,
      });

      // The partner: the rules refuse the report and its exports; its statement is not sent.
      const partnerClient = await webUser({ role: "jv_partner", partner_id: a });
      const jvp: TestUser = { uid: uniqueId("jvp"), role: "jv_partner", partner_id: a };
      try {
        const refusedRead = await getDoc(doc(partnerClient.db, `reconciliations/${id}`)).then(
          () => "read",
          (e: { code?: string }) => e.code,
        );
        expect(refusedRead).to.equal("permission-denied");
        const listed = await getDocs(
          query(
            collection(partnerClient.db, "reconciliations"),
            where("released", "==", true),
            where("terminal_receipt_id", "==", `${tag}-r1`),
          ),
        );
        expect(listed.size).to.equal(0);
        for (const name of ["exportStatement", "verifyReconciliation"]) {
          const refused = await callFunction(
            name,
            { reconciliation_id: id, ...(name === "exportStatement" ? { format: "csv" } : {}) },
            jvp,
          );
          expect(refused.error?.status, name).to.equal("PERMISSION_DENIED");
          expect(refused.error?.message, name).to.contain("has not been released to the partners yet");
          // A version that does not exist is answered alike: asking cannot tell which versions wait.
          const missing = `${id.replace(/_v\d+$/, "")}_v99`;
          const none = await callFunction(
            name,
            { reconciliation_id: missing, ...(name === "exportStatement" ? { format: "csv" } : {}) },
            jvp,
          );
          expect([none.error?.status, none.error?.message], name).to.deep.equal([
            refused.error?.status,
            refused.error?.message?.replace(id, missing),
          ]);
        }
        const jvCsv = await callFunction<{ base64: string }>("exportStatement", { reconciliation_id: id, format: "csv" }, maker);
        expect(Buffer.from(jvCsv.result!.base64, "base64").toString("utf8")).to.contain(
          "release,Awaiting approval: not released to partners yet.",
        );
        const told = await waitForDoc(`notifications/${reconciliationNotificationId(id, watcher)}`, (n) => n.exists, SLOW);
        // Whoever wrote the text (Gemini or the template), coordinators read that it awaits approval.
        expect(told.get("title")).to.match(/\(awaiting approval\)$/);
        expect(told.get("body")).to.contain("Awaiting approval: partners see this version");
        // The receipt's chain (in every partner's bundle) holds no figure of the waiting version.
        const anchorDetails = (await db().doc(`audit_log/reconcile_${id}`).get()).get("details");
        expect(anchorDetails).to.include({ release_required: true, luaf_acknowledged: false });
        expect(anchorDetails).to.not.have.any.keys("terminal_nsv_bbl", "entries_used");
        expect(
          (
            await db()
              .doc(`notifications/${reconciliationNotificationId(id, aPartnerUid)}`)
              .get()
          ).exists,
        ).to.equal(false);

        // Four eyes: its maker may not release it; a release needs a note.
        const own = await callFunction("releaseReconciliation", { reconciliation_id: id, note: "checked" }, maker);
        expect(own.error?.status).to.equal("PERMISSION_DENIED");
        expect(own.error?.message).to.contain("four eyes");
        const releaser = coordinator();
        const blank = await callFunction("releaseReconciliation", { reconciliation_id: id, note: "  " }, releaser);
        expect(blank.error?.status).to.equal("INVALID_ARGUMENT");
        const released = await callFunction<any>(
          "releaseReconciliation",
          { reconciliation_id: id, note: "Tickets and terminal proof checked" },
          releaser,
        );
        expect(released.error, JSON.stringify(released.error)).to.equal(undefined);
        expect(released.result).to.deep.include({
          reconciliation_id: id,
          released: true,
          released_by: releaser.uid,
          adjustments_released: 0,
        });
        expect(await report(id)).to.deep.include({
          released: true,
          released_by: releaser.uid,
          release_note: "Tickets and terminal proof checked",
        });
        const again = await callFunction(
          "releaseReconciliation",
          { reconciliation_id: id, note: "Tickets and terminal proof checked" },
          releaser,
        );
        expect(again.error, "the same release again changes nothing").to.equal(undefined);
        await db().doc(`people/${releaser.uid}`).set({ display_name: "Ada Releaser", role: "jv_coordinator" });
        const other = await callFunction("releaseReconciliation", { reconciliation_id: id, note: "another" }, admin);
        expect(other.error?.status).to.equal("FAILED_PRECONDITION");
        // The refusal names the releaser as people know them, the uid beside the name.
        expect(other.error?.message).to.contain(`was released by Ada Releaser (${releaser.uid}) on `);
        const events = await db()
          .collection("audit_log")
          .where("subject", "==", `reconciliations/${id}`)
          .where("action", "==", "reconciliation_released")
          .get();
        expect(events.docs.map((d) => d.get("actor"))).to.deep.equal([releaser.uid]);

        // Now the partner reads it, is told of it and exports it; the verifier checks the release against the audit chain.
        expect((await getDoc(doc(partnerClient.db, `reconciliations/${id}`))).get("released")).to.equal(true);
        await waitForDoc(`notifications/${reconciliationNotificationId(id, aPartnerUid)}`, (n) => n.exists, SLOW);
        // The coordinators, told at once that it awaits approval, are told who released it and why.
        const toldJv = await waitForDoc(`notifications/${releaseNotificationId(id, watcher)}`, (n) => n.exists, SLOW);
        expect(toldJv.data()).to.deep.include({ recipient_uid: watcher, type: "reconciliation_released", summary_source: "template" });
        expect(toldJv.get("title")).to.equal(`Version 1 of receipt ${tag}-r1: released to the partners`);
        expect(toldJv.get("body")).to.contain(`Their note: "Tickets and terminal proof checked"`);
        expect(toldJv.get("data")).to.deep.include({ reconciliation_id: id, released_by: releaser.uid });
        expect(
          await db()
            .doc(`notifications/${releaseNotificationId(id, aPartnerUid)}`)
            .get(),
        ).to.have.property("exists", false);
        const partnerCsv = await callFunction<{ base64: string }>("exportStatement", { reconciliation_id: id, format: "csv" }, jvp);
        expect(Buffer.from(partnerCsv.result!.base64, "base64").toString("utf8")).to.match(
          new RegExp(
            `release,"?Approved and released by ${releaser.uid} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC: ""Tickets and terminal proof checked""`,
          ),
        );
        const verified = (await verifyReconciliation(db(), id))!;
        expect(verified.ok).to.equal(true);
        expect(verified.checks.filter((c) => c.check === "release").map((c) => c.ok)).to.deep.equal([true]);
        await db().doc(`reconciliations/${id}`).update({ released_by: "someone-else" });
        const forged = (await verifyReconciliation(db(), id))!;
        expect(forged.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["release"]);
        await db().doc(`reconciliations/${id}`).update({ released_by: releaser.uid });
        // Four eyes, offline too: evidence claiming the releaser made the version fails (and so does its hash).
        const evidence = (await gatherEvidence(db(), id))!;
        const ownRelease = verifyReportEvidence({ ...evidence, report: { ...evidence.report, created_by: releaser.uid } });
        expect(ownRelease.checks.filter((c) => !c.ok).map((c) => c.check)).to.include.members(["release.four_eyes", "integrity_hash"]);

        // A corrected ticket's version waits too, and so do its adjustments: decided only once released.
        await seedReceipt(
          db(),
          receiptOf(`${tag}-r2`, start, end, 1990, { supersedes_receipt_id: `${tag}-r1`, correction_note: "Re-proved" }),
        );
        const next = await reconcile({ terminal_receipt_id: `${tag}-r2` }, maker);
        expect(next.error, JSON.stringify(next.error)).to.equal(undefined);
        const adjustments = await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", `${tag}-r2_v1`).get();
        expect(adjustments.size).to.equal(2);
        for (const d of adjustments.docs) expect(d.get("released")).to.equal(false);
        const early = await callFunction(
          "decideAdjustment",
          { adjustment_id: adjustments.docs[0]!.id, decision: "approved", note: "ok" },
          releaser,
        );
        expect(early.error?.status).to.equal("FAILED_PRECONDITION");
        expect(early.error?.message).to.contain("release it first");
        const partnerAdjustments = await getDocs(
          query(collection(partnerClient.db, "prior_period_adjustments"), where("partner_id", "==", a), where("released", "==", true)),
        );
        expect(partnerAdjustments.docs.filter((d) => d.get("from_reconciliation_id") === `${tag}-r2_v1`)).to.have.length(0);
        // As if a correction of a's entry were behind r2_v1 (its report's corrections, its adjustment's entries).
        const behindR2 = { entry_id: `${a}-1`, partner_id: a, kind: "correction", by: maker.uid, at: Timestamp.now() };
        await db()
          .doc(`reconciliations/${tag}-r2_v1`)
          .update({ corrections: [behindR2] });
        const aAdjustment = adjustments.docs.find((d) => d.get("partner_id") === a)!;
        await aAdjustment.ref.update({ entry_ids: [`${a}-1`] });
        // Replaced before its release, r2_v1 told the partners nothing: r3's version compares with
        // r1_v1 (the last released) and r2_v1's adjustments are withdrawn, never to be decided.
        await seedReceipt(
          db(),
          receiptOf(`${tag}-r3`, start, end, 1980, { supersedes_receipt_id: `${tag}-r2`, correction_note: "Re-proved again" }),
        );
        const third = await reconcile({ terminal_receipt_id: `${tag}-r3` }, maker);
        expect(third.error, JSON.stringify(third.error)).to.equal(undefined);
        const r3 = await report(`${tag}-r3_v1`);
        const r1 = await report(id);
        expect(r3.changes_against).to.equal(id);
        const toldBefore = new Map<string, number>(r1.allocations.map((l: Line) => [l.partner_id, l.allocated_bbl]));
        for (const c of r3.changes_from_previous.partners as Array<{ partner_id: string; allocated_bbl_before: number }>) {
          expect(c.allocated_bbl_before).to.equal(toldBefore.get(c.partner_id));
        }
        for (const d of adjustments.docs) {
          expect((await d.ref.get()).data()).to.deep.include({ status: "withdrawn", withdrawn_in: `${tag}-r3_v1`, released: false });
        }
        const withdrawn = await callFunction(
          "decideAdjustment",
          { adjustment_id: adjustments.docs[0]!.id, decision: "approved", note: "ok" },
          releaser,
        );
        expect(withdrawn.error?.message).to.contain(
          `was withdrawn: ${tag}-r2_v1 was replaced by ${tag}-r3_v1 before its restatement was decided`,
        );
        const r3Adjustments = await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", `${tag}-r3_v1`).get();
        expect(r3Adjustments.docs.map((d) => d.get("previous_reconciliation_id"))).to.deep.equal([id, id]);
        // What was behind the withdrawn version stays behind the one that replaces it.
        expect(r3Adjustments.docs.find((d) => d.get("partner_id") === a)!.get("entry_ids")).to.deep.equal([`${a}-1`]);
        expect(r3.corrections.map((c: { entry_id: string }) => c.entry_id)).to.deep.equal([`${a}-1`]);
        const verifiedR3 = (await verifyReconciliation(db(), `${tag}-r3_v1`))!;
        expect(verifiedR3.checks.filter((c) => !c.ok)).to.deep.equal([]);
        expect(verifiedR3.checks.filter((c) => c.check === "changes_from_previous").map((c) => c.ok)).to.deep.equal([true]);

        // Not while its close is still being checked; nor flipped by hand to "released as made": the anchor says approval was required.
        const r3Ref = db().doc(`reconciliations/${tag}-r3_v1`);
        await r3Ref.update({ close_check_pending: true });
        const pending = await callFunction("releaseReconciliation", { reconciliation_id: `${tag}-r3_v1`, note: "ok" }, admin);
        expect(pending.error?.message).to.contain("is still being closed");
        await r3Ref.update({
          close_check_pending: FieldValue.delete(),
          release_required: false,
          released: true,
          released_at: r3.created_at,
        });
        const flipped = (await verifyReconciliation(db(), `${tag}-r3_v1`))!;
        expect(flipped.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal(["release.required"]);
        await r3Ref.update({ release_required: true, released: false, released_at: null });

        const third1 = await callFunction<any>(
          "releaseReconciliation",
          { reconciliation_id: `${tag}-r3_v1`, note: "Proof certificate on file" },
          admin,
        );
        expect(third1.error, JSON.stringify(third1.error)).to.equal(undefined);
        expect(third1.result.adjustments_released).to.equal(2);
        const repeated = await callFunction<any>(
          "releaseReconciliation",
          { reconciliation_id: `${tag}-r3_v1`, note: "Proof certificate on file" },
          admin,
        );
        expect(repeated.result, "a repeated release answers as the first").to.deep.equal(third1.result);
        const decided = await callFunction(
          "decideAdjustment",
          { adjustment_id: r3Adjustments.docs[0]!.id, decision: "approved", note: "ok" },
          releaser,
        );
        expect(decided.error, JSON.stringify(decided.error)).to.equal(undefined);
      } finally {
        await partnerClient.close();
      }
    } finally {
      const off = await callFunction("setJvSettings", { release_approval_required: false }, admin);
      expect(off.error, JSON.stringify(off.error)).to.equal(undefined);
    }
  });
});

describe("monthly close: receipts examined and every partner on the statement", () => {
  it("refuses a receipt outside the auditor's bands (meter factor 7, BS&W 99.99 %)", async () => {
    const tag = uniqueId("band");
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + HOUR))]);
    await db()
      .doc(`terminal_receipts/${tag}-r`)
      .set({
        period_start: Timestamp.fromDate(start),
        period_end: Timestamp.fromDate(end),
        gross_volume_bbl: 1000,
        bsw_percent: 99.99,
        temperature_degF: 60,
        api_gravity: 30,
        meter_factor: 7,
        created_by: "seed",
        created_at: Timestamp.now(),
      });
    const { error } = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(error!.status).to.equal("FAILED_PRECONDITION");
    expect((error!.details as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code)).to.have.members([
      "BSW_ABOVE_LIMIT",
      "METER_FACTOR_IMPLAUSIBLE",
    ]);
  });

  it("refuses shrinkage outside the LUAF band until a coordinator acknowledges it, and records the acknowledgement", async () => {
    const tag = uniqueId("luaf");
    const [a] = await partners(tag, ["a"]);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + HOUR))]);
    // A terminal ten times the field volume: a -900 % "gain".
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 10_000));
    const refused = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(refused.error!.status).to.equal("FAILED_PRECONDITION");
    expect(refused.error!.message).to.match(/shrinkage of -900 % .* outside the LUAF band of ±2 %/);
    const user = coordinator();
    const accepted = await reconcile(
      { terminal_receipt_id: `${tag}-r`, acknowledge_luaf: { note: "terminal tank included old stock; see ticket 77" } },
      user,
    );
    expect(accepted.error, JSON.stringify(accepted.error)).to.equal(undefined);
    const luaf = (await report(accepted.result!.reconciliation_id)).luaf;
    expect(luaf).to.deep.include({ tolerance_percent: 2, shrinkage_percent: -900, within_band: false });
    expect(luaf.acknowledgement).to.deep.include({
      by: user.uid,
      role: "jv_coordinator",
      note: "terminal tank included old stock; see ticket 77",
    });
    // Marked stale by a change that moves nothing: the re-run without an acknowledgement returns the
    // acknowledged version rather than asking for the acknowledgement again.
    await db().doc(`reconciliations/${accepted.result!.reconciliation_id}`).update({ stale: true, stale_since: Timestamp.now() });
    const rerun = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(rerun.error, JSON.stringify(rerun.error)).to.equal(undefined);
    expect([rerun.result!.reconciliation_id, rerun.result!.unchanged]).to.deep.equal([accepted.result!.reconciliation_id, true]);
    expect((await report(accepted.result!.reconciliation_id)).stale).to.equal(false);
  });

  it("gives an active partner without production a zero line with the reason, and none to an inactive one", async () => {
    const tag = uniqueId("zero");
    const [a, idle] = await partners(tag, ["a", "idle"]);
    const gone = `${tag}-gone`;
    await seedPartner(db(), gone, "Gone Ltd", false);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const { result, error } = await reconcile({ terminal_receipt_id: `${tag}-r` });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    const line = result!.allocations.find((l) => l.partner_id === idle);
    expect(line).to.deep.include({
      entries: 0,
      nsv_bbl: 0,
      allocated_bbl: 0,
      partner_active: true,
      reason: "no used production entries in the period",
    });
    expect(result!.allocations.find((l) => l.partner_id === gone)).to.equal(undefined);
    const verified = await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
      "verifyReconciliation",
      { reconciliation_id: result!.reconciliation_id },
      coordinator(),
    );
    expect(verified.result!.checks.filter((c) => !c.ok)).to.deep.equal([]);
  });
});

describe("monthly close: the digest means what the report shows", () => {
  it("a gross correction of 0.01 bbl and a partner's rename make new versions; a review note edit and a no-op re-run do not", async function () {
    this.timeout(180_000);
    const tag = uniqueId("dig");
    const [a, b] = await partners(tag, ["a", "b"]);
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [
      soundEntry(`${a}-1`, a, new Date(start.getTime() + HOUR)),
      soundEntry(`${b}-1`, b, new Date(start.getTime() + 2 * HOUR)),
      { ...soundEntry(`${b}-flag`, b, new Date(start.getTime() + 3 * HOUR), 10), status: "flagged" },
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 2000));
    const user = coordinator();
    const reviewed = await callFunction("reviewEntry", { entry_id: `${b}-flag`, decision: "rejected", note: "first note" }, user);
    expect(reviewed.error, JSON.stringify(reviewed.error)).to.equal(undefined);
    const v1 = await reconcile({ terminal_receipt_id: `${tag}-r` }, user);
    expect(v1.error, JSON.stringify(v1.error)).to.equal(undefined);

    // A new review note on the rejected entry: stale, but the report would be the same.
    await callFunction("reviewEntry", { entry_id: `${b}-flag`, decision: "rejected", note: "second, longer note" }, user);
    expect((await report(`${tag}-r_v1`)).stale).to.equal(true);
    const same = await reconcile({ terminal_receipt_id: `${tag}-r` }, user);
    expect(same.result).to.deep.include({ version: 1, unchanged: true });
    expect((await report(`${tag}-r_v1`)).stale).to.equal(false);

    // Gross 1,000.00 -> 1,000.01 bbl.
    await db().doc(`production_entries/${a}-1`).update({ gross_volume_bbl: 1000.01 });
    await waitForDoc(`reconciliations/${tag}-r_v1`, (s) => s.get("stale") === true, SLOW);
    const v2 = await reconcile({ terminal_receipt_id: `${tag}-r` }, user);
    expect(v2.result).to.deep.include({ version: 2, unchanged: false });
    expect(v2.result!.totals.field_gross_bbl).to.equal(2000.01);

    // A partner renamed: no entry changed, the statement's name did.
    await db().doc(`partners/${b}`).update({ name: "Bravo Renamed" });
    const v3 = await reconcile({ terminal_receipt_id: `${tag}-r` }, user);
    expect(v3.result).to.deep.include({ version: 3, unchanged: false });
    expect(v3.result!.allocations.find((l) => l.partner_id === b)!.partner_name).to.equal("Bravo Renamed");
    const v3again = await reconcile({ terminal_receipt_id: `${tag}-r` }, user);
    expect(v3again.result).to.deep.include({ version: 3, unchanged: true });
  });
});
