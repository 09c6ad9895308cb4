import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { SCAN_SLICES, scanPeriodEntries, type EntryScan } from "../../src/agents/accountant/entry-scan";
import { bblToCb } from "../../src/domain/cent-barrels";
import { adminDb, callFunction, uniqueId, waitForDoc, withoutTriggers, type TestUser } from "../support/emulator";
import { waitForAudit } from "../support/production-entries";
import { isolatedPeriod, seedEntries, seedPartner, seedReceipt, type EntrySeed } from "../support/seed";
import { manifestRowsGzip, manifestRowsOf } from "../../src/agents/accountant/manifest";
import type { MeasuredInputRow } from "../../src/domain/report-hash";
import { roleWords } from "../../src/shared/role-words";

const db = () => adminDb();
const coordinator = (): TestUser => ({ uid: uniqueId("coord"), role: "jv_coordinator" });

interface Allocation {
  partner_id: string;
  nsv_bbl: number;
  allocated_bbl: number;
  shrinkage_bbl: number;
  share_percent: number;
  entries: number;
  gross_bbl: number;
}
interface ReconcileResult {
  reconciliation_id: string;
  version: number;
  unchanged: boolean;
  totals: Record<string, number>;
  allocations: Allocation[];
  cost: { documents_read: number; documents_written: number };
}

/** Three partners with one 1,000 bbl entry each at 60 °F and 0.5 % BS&W, and a receipt of 2,990 bbl. */
async function threePartnerPeriod(extra: (p: string[], start: Date) => EntrySeed[] = () => []) {
  const tag = uniqueId("acc");
  const partners = ["a", "b", "c"].map((s) => `${tag}-${s}`);
  for (const p of partners) await seedPartner(db(), p, `Partner ${p.slice(-1).toUpperCase()}`);
  const { start, end } = isolatedPeriod(2);
  const day = (h: number) => new Date(start.getTime() + h * 3_600_000);
  const seeds: EntrySeed[] = partners.map((p, i) => ({
    id: `${p}-e1`,
    partner_id: p,
    measured_at: day(6 + i),
    gross_volume_bbl: 1000,
    bsw_percent: 0.5,
    temperature_degF: 60,
    api_gravity: 30,
    status: "validated",
  }));
  await seedEntries(db(), [...seeds, ...extra(partners, start)]);
  const receiptId = `${tag}-receipt`;
  await seedReceipt(db(), {
    id: receiptId,
    period_start: start,
    period_end: end,
    gross_volume_bbl: 2990,
    bsw_percent: 0.5,
    temperature_degF: 60,
    api_gravity: 30,
  });
  return { partners, receiptId, start, end };
}

/** The lines of partners with used entries (every active partner has a line, zero without production). */
const produced = (allocations: Allocation[]) => allocations.filter((a) => a.entries > 0);

async function reconcileAs(user: TestUser | undefined, data: unknown) {
  return callFunction<ReconcileResult>("reconcile", data, user);
}

describe("accountant: reconcile callable (through the Functions emulator)", () => {
  it("allocates the terminal NSV pro rata, to the cent-barrel, and writes the whole report", async () => {
    const { partners, receiptId, start } = await threePartnerPeriod();
    const user = coordinator();
    const { status, result, error } = await reconcileAs(user, { terminal_receipt_id: receiptId });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(status).to.equal(200);
    // By hand: each entry 1,000.00 x CTL 1.00000 x CSW 0.99500 = 995.00 bbl; field 2,985.00.
    // Terminal 2,990.00 x 0.99500 = 2,975.05 bbl. 297,505 cb / 3 = 99,168 r 1: the one cent
    // left goes, NSVs being equal, to the smallest partner_id.
    expect(result!.totals).to.include({
      entries_used: 3,
      entries_excluded: 0,
      field_gross_bbl: 3000,
      field_nsv_bbl: 2985,
      terminal_nsv_bbl: 2975.05,
      shrinkage_bbl: 9.95,
    });
    // Every other active partner of the emulator has a zero line (monthly-close.test.ts): set aside.
    expect(produced(result!.allocations).map((a) => [a.partner_id, a.nsv_bbl, a.allocated_bbl, a.shrinkage_bbl])).to.deep.equal([
      [partners[0], 995, 991.69, 3.31],
      [partners[1], 995, 991.68, 3.32],
      [partners[2], 995, 991.68, 3.32],
    ]);
    const allocatedCb = result!.allocations.reduce((s, a) => s + bblToCb(a.allocated_bbl), 0);
    expect(allocatedCb).to.equal(bblToCb(result!.totals.terminal_nsv_bbl));

    const report = (await db().doc(`reconciliations/${result!.reconciliation_id}`).get()).data()!;
    expect(result!.reconciliation_id).to.equal(`${receiptId}_v1`);
    expect(report).to.include({ terminal_receipt_id: receiptId, version: 1, status: "completed", supersedes: null, created_by: user.uid });
    expect(report.terminal).to.include({ gross_volume_bbl: 2990, api60: 30, ctl: 1, cpl: 1, csw: 0.995, nsv_bbl: 2975.05 });
    expect(report.inputs_digest).to.match(/^[0-9a-f]{64}$/);
    expect(report.integrity_hash).to.match(/^[0-9a-f]{64}$/);
    expect(report.manifest).to.deep.include({ chunks: 1, rows: 3 });
    const chunks = await db().collection(`reconciliations/${result!.reconciliation_id}/inputs`).get();
    expect(
      chunks.docs
        .flatMap((d) => manifestRowsOf(d.id, d.data()))
        .map((r: { entry_id: string }) => r.entry_id)
        .sort(),
    ).to.deep.equal(partners.map((p) => `${p}-e1`).sort());

    const receipt = (await db().doc(`terminal_receipts/${receiptId}`).get()).data()!;
    expect(receipt.latest_reconciliation_id).to.equal(result!.reconciliation_id);
    const day0 = start.toISOString().slice(0, 10);
    expect((await db().doc(`closed_days/${day0}`).get()).get("reconciliation_id")).to.equal(result!.reconciliation_id);
    const events = await db().collection("audit_log").where("stream", "==", `receipt_${receiptId}`).get();
    // The receipt's stream holds the accountant's events only (the communicator logs its round elsewhere).
    expect(events.docs.map((d) => d.get("action"))).to.deep.equal(["reconciliation_completed"]);
  });

  it("returns the existing version and writes nothing when called again with unchanged inputs", async () => {
    const { receiptId } = await threePartnerPeriod();
    const user = coordinator();
    const first = await reconcileAs(user, { terminal_receipt_id: receiptId });
    const before = (await db().doc(`reconciliations/${first.result!.reconciliation_id}`).get()).updateTime!;
    const second = await reconcileAs(user, { terminal_receipt_id: receiptId });
    expect(second.result).to.deep.include({ reconciliation_id: first.result!.reconciliation_id, version: 1, unchanged: true });
    const after = await db().doc(`reconciliations/${first.result!.reconciliation_id}`).get();
    expect(after.updateTime!.isEqual(before)).to.equal(true);
    expect((await db().doc(`reconciliations/${receiptId}_v2`).get()).exists).to.equal(false);
    const events = await db().collection("audit_log").where("stream", "==", `receipt_${receiptId}`).get();
    expect(events.docs.map((d) => d.get("action"))).to.deep.equal(["reconciliation_completed"]);
  });

  it("excludes rejected and review-rejected entries with their reasons and uses approved flagged ones", async () => {
    const { partners, receiptId } = await threePartnerPeriod((p, start) => [
      {
        id: `${p[0]}-rej`,
        partner_id: p[0],
        measured_at: new Date(start.getTime() + 3_600_000),
        gross_volume_bbl: 50,
        bsw_percent: 9,
        temperature_degF: 60,
        api_gravity: 30,
        status: "rejected",
      },
      {
        id: `${p[1]}-revrej`,
        partner_id: p[1],
        measured_at: new Date(start.getTime() + 3_600_000),
        gross_volume_bbl: 70,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "flagged",
        review: "rejected",
      },
      {
        id: `${p[2]}-approved`,
        partner_id: p[2],
        measured_at: new Date(start.getTime() + 3_600_000),
        gross_volume_bbl: 100,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "flagged",
        review: "approved",
      },
    ]);
    // Field 3,084.50 bbl against 2,975.05 at the terminal: 3.5 %, outside the 2 % LUAF band.
    const { result, error } = await reconcileAs(coordinator(), {
      terminal_receipt_id: receiptId,
      acknowledge_luaf: { note: "approved entry of partner c outside the receipt's tank" },
    });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result!.totals).to.include({ entries_used: 4, entries_excluded: 2 });
    expect(result!.allocations.find((a) => a.partner_id === partners[2])!.nsv_bbl).to.equal(995 + 99.5);
    const report = (await db().doc(`reconciliations/${result!.reconciliation_id}`).get()).data()!;
    const reasons = Object.fromEntries(report.excluded.map((e: { entry_id: string; reason: string }) => [e.entry_id, e.reason]));
    expect(reasons[`${partners[0]}-rej`]).to.match(/rejected by the auditor \(BSW_ABOVE_LIMIT\)/);
    expect(reasons[`${partners[1]}-revrej`]).to.equal("rejected on review by seed-coordinator");
  });

  it("refuses, listing the entry ids, while entries are pending audit or flagged without a review", async () => {
    // The auditor would audit the pending entry within a second: hold the triggers off.
    await withoutTriggers(async () => {
      const { partners, receiptId } = await threePartnerPeriod((p, start) => [
        {
          id: `${p[0]}-pending`,
          partner_id: p[0],
          measured_at: new Date(start.getTime() + 7_200_000),
          gross_volume_bbl: 10,
          bsw_percent: 0.5,
          temperature_degF: 60,
          api_gravity: 30,
        },
        {
          id: `${p[1]}-flagged`,
          partner_id: p[1],
          measured_at: new Date(start.getTime() + 7_200_000),
          gross_volume_bbl: 10,
          bsw_percent: 0.5,
          temperature_degF: 60,
          api_gravity: 30,
          status: "flagged",
        },
      ]);
      const { status, error } = await reconcileAs(coordinator(), { terminal_receipt_id: receiptId });
      expect(status).to.equal(400);
      expect(error!.status).to.equal("FAILED_PRECONDITION");
      expect(error!.message).to.match(/1 entry still pending audit, 1 flagged entry without a review/);
      expect(error!.details).to.deep.include({ pending_audit: [`${partners[0]}-pending`], awaiting_review: [`${partners[1]}-flagged`] });
      expect((await db().doc(`reconciliations/${receiptId}_v1`).get()).exists).to.equal(false);
      expect((await db().doc(`terminal_receipts/${receiptId}`).get()).get("latest_reconciliation_id")).to.equal(undefined);
    });
  });

  it("reads the period in one stream, keeps the manifest in entry-id order, and refuses a period above its entry bound", async () => {
    const { partners, start, end } = await threePartnerPeriod((p, s) => [
      // Same instant as another partner's entry: the document id breaks the tie.
      {
        id: `${p[0]}-e0`,
        partner_id: p[0],
        measured_at: new Date(s.getTime() + 7 * 3_600_000),
        gross_volume_bbl: 10,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "validated",
      },
    ]);
    const scan = await scanPeriodEntries(db(), start, end, { maxEntries: 4 });
    expect(scan.documentsRead).to.equal(4);
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal([
      `${partners[0]}-e0`,
      `${partners[0]}-e1`,
      `${partners[1]}-e1`,
      `${partners[2]}-e1`,
    ]);
    const refused = await scanPeriodEntries(db(), start, end, { maxEntries: 3 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(HttpsError);
    expect(refused).to.include({ code: "failed-precondition" });
    expect((refused as HttpsError).message).to.match(/more than 3 production entries/);
    // A scan stopped by its caller (a refusal found beside it) ends at once with an error.
    const abort = new AbortController();
    const stopped = scanPeriodEntries(db(), start, end, { signal: abort.signal }).then(
      () => undefined,
      (error: unknown) => error,
    );
    abort.abort();
    expect(((await stopped) as Error).message).to.equal("scan abandoned: the reconciliation was refused");
  });

  it("classifies every kind of entry of a period the same whether it is read as one range or as sub-ranges side by side", async () => {
    const tag = uniqueId("kinds");
    const partners = ["a", "b", "c"].map((s) => `${tag}-${s}`);
    for (const p of partners) await seedPartner(db(), p);
    const { start, end } = isolatedPeriod(2);
    // One entry every 50 minutes over both days, so that each sub-range holds some of each kind.
    const seeds: EntrySeed[] = Array.from({ length: 57 }, (_, i) => ({
      id: `${tag}-e${String(i).padStart(2, "0")}`,
      partner_id: partners[i % 3],
      measured_at: new Date(start.getTime() + i * 50 * 60_000),
      gross_volume_bbl: 100 + i,
      bsw_percent: 0.5,
      temperature_degF: i % 5 === 0 ? -4 : 60 + (i % 7),
      api_gravity: 30,
      ...(i % 19 === 5
        ? {}
        : { status: i % 11 === 3 ? ("rejected" as const) : i % 13 === 4 ? ("flagged" as const) : ("validated" as const) }),
    }));
    const jvStart = { date: "jv-start", from: new Date(start.getTime() + 3_600_000) };
    const { whole, sliced, refused, stopped } = await withoutTriggers(async () => {
      await seedEntries(db(), seeds);
      const whole = await scanPeriodEntries(db(), start, end, { jvStart, slices: 1 });
      const sliced = await scanPeriodEntries(db(), start, end, { jvStart });
      const refused = await scanPeriodEntries(db(), start, end, { maxEntries: 56 }).catch((error: unknown) => error);
      const stoppedBefore = new AbortController();
      stoppedBefore.abort();
      const stopped = await scanPeriodEntries(db(), start, end, { signal: stoppedBefore.signal }).catch((error: unknown) => error);
      return { whole, sliced, refused, stopped };
    });
    expect(SCAN_SLICES).to.be.greaterThan(1);
    const figures = (scan: EntryScan) => ({
      rows: scan.rows,
      excluded: scan.excluded,
      exclusionsDigest: scan.exclusionsDigest,
      pending: [scan.pendingAudit, scan.pendingAuditCount],
      review: [scan.awaitingReview, scan.awaitingReviewCount],
      unmeasurable: scan.unmeasurable,
      read: scan.documentsRead,
      totals: scan.aggregator.aggregates((id) => id),
    });
    expect(figures(sliced)).to.deep.equal(figures(whole));
    // Every kind is there: used, rejected, flagged without review, pending, and measured before the JV's start.
    expect(whole.rows.length).to.be.greaterThan(30);
    expect(whole.rows.some((r) => r.temperature_degF === -4)).to.equal(true);
    expect(whole.excluded.map((e) => e.reason)).to.include.members(["measured before the JV start date jv-start"]);
    expect(whole.excludedCount).to.be.greaterThan(3);
    expect(whole.pendingAuditCount).to.equal(3);
    expect(whole.awaitingReviewCount).to.be.greaterThan(2);
    expect(whole.documentsRead).to.equal(57);
    expect(refused).to.be.instanceOf(HttpsError);
    expect((refused as HttpsError).message).to.match(/more than 56 production entries/);
    expect((stopped as Error).message).to.equal("scan abandoned: the reconciliation was refused");
  });

  it("writes a second version after a correction, naming what it supersedes and what changed", async () => {
    const { partners, receiptId } = await threePartnerPeriod();
    const user = coordinator();
    const v1 = await reconcileAs(user, { terminal_receipt_id: receiptId });
    // A correction on the closed day: the auditor re-audits partner b's entry and rejects it
    // (BS&W above the acceptance limit), which marks v1 stale.
    await db().doc(`production_entries/${partners[1]}-e1`).update({ bsw_percent: 9 });
    // Triggers queue behind each other on a loaded machine: wait generously.
    await waitForAudit(`${partners[1]}-e1`, (a) => a.status === "rejected", 120_000);
    await waitForDoc(`reconciliations/${v1.result!.reconciliation_id}`, (s) => s.get("stale") === true, 120_000);
    // Field NSV 1,990 against a terminal of 2,975.05: a gain far outside the LUAF band, acknowledged.
    const v2 = await reconcileAs(user, {
      terminal_receipt_id: receiptId,
      acknowledge_luaf: { note: "partner b's entry re-sampled and rejected" },
    });
    expect(v2.error, JSON.stringify(v2.error)).to.equal(undefined);
    expect(v2.result).to.deep.include({ reconciliation_id: `${receiptId}_v2`, version: 2, unchanged: false });
    const old = (await db().doc(`reconciliations/${v1.result!.reconciliation_id}`).get()).data()!;
    expect(old).to.include({ status: "superseded", superseded_by: `${receiptId}_v2` });
    const next = (await db().doc(`reconciliations/${receiptId}_v2`).get()).data()!;
    expect(next.supersedes).to.equal(`${receiptId}_v1`);
    // 297,505 cb over two equal partners: 148,752 r 1 -> a gets 1,487.53, c 1,487.52.
    const change = (id: string) => next.changes_from_previous.partners.find((c: { partner_id: string }) => c.partner_id === id);
    expect(change(partners[0])).to.deep.include({ allocated_bbl_before: 991.69, allocated_bbl_after: 1487.53, delta_bbl: 495.84 });
    expect(change(partners[1])).to.deep.include({
      allocated_bbl_before: 991.68,
      allocated_bbl_after: 0,
      delta_bbl: -991.68,
      nsv_bbl_after: 0,
    });
    expect(next.changes_from_previous.totals_delta).to.include({ entries_used: -1, entries_excluded: 1, field_nsv_bbl: -995 });
    expect((await db().doc(`terminal_receipts/${receiptId}`).get()).get("latest_reconciliation_id")).to.equal(`${receiptId}_v2`);
  });

  it("produces exactly one version from ten simultaneous calls", async function () {
    // Ten cold Functions-emulator workers on two cores: slow, not a timing assertion.
    this.timeout(480_000);
    const { receiptId } = await threePartnerPeriod();
    // The emulator starts a worker per concurrent request and gives each 30 s to load: warm
    // ten up first (their answers do not matter), so the race below is between warm workers.
    await Promise.all(Array.from({ length: 10 }, () => reconcileAs(coordinator(), {})));
    const results = await Promise.all(Array.from({ length: 10 }, () => reconcileAs(coordinator(), { terminal_receipt_id: receiptId })));
    for (const r of results) expect(r.error, JSON.stringify(r.error)).to.equal(undefined);
    expect(new Set(results.map((r) => r.result!.reconciliation_id))).to.deep.equal(new Set([`${receiptId}_v1`]));
    expect(results.filter((r) => !r.result!.unchanged)).to.have.length(1);
    const versions = await db().collection("reconciliations").where("terminal_receipt_id", "==", receiptId).get();
    expect(versions.size).to.equal(1);
    console.log(`      concurrency: 10 simultaneous reconcile calls -> ${versions.size} version`);
  });

  describe("who may call it and what it refuses", () => {
    let receiptId: string;
    before(async () => ({ receiptId } = await threePartnerPeriod()));

    it("asks for sign-in without an ID token", async () => {
      const { error } = await reconcileAs(undefined, { terminal_receipt_id: receiptId });
      expect(error!.status).to.equal("UNAUTHENTICATED");
    });
    for (const role of ["field_operator", "jv_partner", "auditor"]) {
      it(`denies the ${role} role`, async () => {
        const { error } = await reconcileAs(
          { uid: uniqueId(role), role, partner_id: role === "auditor" ? undefined : "p1" },
          { terminal_receipt_id: receiptId },
        );
        expect(error!.status).to.equal("PERMISSION_DENIED");
        expect(error!.message).to.contain(`The ${roleWords(role)} role may not do this`);
      });
    }
    it("denies a signed-in user without a role", async () => {
      const { error } = await reconcileAs({ uid: uniqueId("norole") }, { terminal_receipt_id: receiptId });
      expect(error!.status).to.equal("PERMISSION_DENIED");
    });
    it("lets an admin reconcile", async () => {
      const { error, result } = await reconcileAs({ uid: uniqueId("admin"), role: "admin" }, { terminal_receipt_id: receiptId });
      expect(error).to.equal(undefined);
      expect(result!.version).to.equal(1);
    });
    for (const [what, data] of [
      ["a missing id", {}],
      ["a number for the id", { terminal_receipt_id: 42 }],
      ["an empty id", { terminal_receipt_id: "  " }],
      ["an unknown field", { terminal_receipt_id: "x", force: true }],
      ["a path as id", { terminal_receipt_id: "a/b" }],
      ["no payload", null],
    ] as const) {
      it(`answers invalid-argument with the schema issues for ${what}`, async () => {
        const { error } = await reconcileAs(coordinator(), data);
        expect(error!.status).to.equal("INVALID_ARGUMENT");
        expect((error!.details as { issues: unknown[] }).issues).to.be.an("array").that.is.not.empty;
      });
    }
    it("answers not-found for an unknown receipt", async () => {
      const { error } = await reconcileAs(coordinator(), { terminal_receipt_id: uniqueId("nope") });
      expect(error!.status).to.equal("NOT_FOUND");
    });
    it("answers failed-precondition, naming the limit, for a receipt the standard cannot measure", async () => {
      const id = uniqueId("hot-receipt");
      const { start, end } = isolatedPeriod(1);
      await seedReceipt(db(), {
        id,
        period_start: start,
        period_end: end,
        gross_volume_bbl: 100,
        bsw_percent: 0.5,
        temperature_degF: 400,
        api_gravity: 30,
      });
      const { error } = await reconcileAs(coordinator(), { terminal_receipt_id: id });
      expect(error!.status).to.equal("FAILED_PRECONDITION");
      expect(error!.message).to.match(/Temperature 400 °F is outside the standard's range of −58 to 302 °F/);
    });
    it("answers failed-precondition for a receipt whose period ends before it starts", async () => {
      const id = uniqueId("bad-period");
      const { start, end } = isolatedPeriod(1);
      await seedReceipt(db(), {
        id,
        period_start: end,
        period_end: start,
        gross_volume_bbl: 100,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
      });
      const { error } = await reconcileAs(coordinator(), { terminal_receipt_id: id });
      expect(error!.status).to.equal("FAILED_PRECONDITION");
      expect(error!.message).to.contain("period_start must be before period_end");
    });
    it("answers failed-precondition when the period has no production to allocate to", async () => {
      const id = uniqueId("empty-period");
      const { start, end } = isolatedPeriod(1);
      await seedReceipt(db(), {
        id,
        period_start: start,
        period_end: end,
        gross_volume_bbl: 100,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
      });
      const { error } = await reconcileAs(coordinator(), { terminal_receipt_id: id });
      expect(error!.status).to.equal("FAILED_PRECONDITION");
      expect(error!.message).to.match(
        /^No production to allocate the terminal's \d+\.\d{2} bbl to: no entry of the period is used\. Check the receipt's period, and that the period's entries are entered and audited\.$/,
      );
      expect(error!.details).to.deep.include({ entries_used: 0, entries_excluded: 0 });
    });
  });
});

describe("accountant: verifyReconciliation", () => {
  it("confirms an untouched report and names the check that an edit breaks", async () => {
    const { receiptId } = await threePartnerPeriod();
    const { result } = await reconcileAs(coordinator(), { terminal_receipt_id: receiptId });
    const id = result!.reconciliation_id;
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    const clean = await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
      "verifyReconciliation",
      { reconciliation_id: id },
      auditor,
    );
    expect(clean.error, JSON.stringify(clean.error)).to.equal(undefined);
    expect(clean.result!.ok).to.equal(true);
    expect(clean.result!.checks.map((c) => c.check)).to.include.members(["integrity_hash", "inputs_digest", "allocations.partners"]);

    // Someone moves a barrel between partners in the stored report.
    const ref = db().doc(`reconciliations/${id}`);
    const allocations = (await ref.get()).get("allocations");
    const [first, second] = allocations.filter((a: Allocation) => a.entries > 0);
    first.allocated_bbl += 1;
    second.allocated_bbl -= 1;
    await ref.update({ allocations });
    const edited = await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
      "verifyReconciliation",
      { reconciliation_id: id },
      auditor,
    );
    expect(edited.result!.ok).to.equal(false);
    const failed = edited.result!.checks.filter((c) => !c.ok).map((c) => c.check);
    expect(failed).to.include.members(["integrity_hash", "content_digest"]);
    // Indexed by the stored line: other tests' active partners add zero lines around these.
    expect(failed.filter((c) => /^allocations\[\d+\]\.allocated_bbl$/.test(c))).to.have.length(2);
  });

  it("detects an edited manifest row", async () => {
    const { receiptId } = await threePartnerPeriod();
    const { result } = await reconcileAs(coordinator(), { terminal_receipt_id: receiptId });
    const chunk = (await db().collection(`reconciliations/${result!.reconciliation_id}/inputs`).get()).docs[0]!;
    const rows = manifestRowsOf(chunk.id, chunk.data()) as MeasuredInputRow[];
    rows[0].nsv_bbl += 10;
    await chunk.ref.update(await manifestRowsGzip(rows));
    const { result: report } = await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
      "verifyReconciliation",
      { reconciliation_id: result!.reconciliation_id },
      coordinator(),
    );
    expect(report!.ok).to.equal(false);
    expect(report!.checks.filter((c) => !c.ok).map((c) => c.check)).to.include.members([
      "inputs_digest",
      "totals.field_nsv_bbl",
      "manifest.entry_nsv",
    ]);
    // The true rows as a chunk written before chunks were compressed (rows_json) verify; in both forms, the chunk is refused.
    rows[0].nsv_bbl -= 10;
    const verify = async () =>
      (
        await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
          "verifyReconciliation",
          { reconciliation_id: result!.reconciliation_id },
          coordinator(),
        )
      ).result!;
    await chunk.ref.update({ rows_json: JSON.stringify(rows), rows_gzip: FieldValue.delete() });
    expect((await verify()).ok).to.equal(true);
    await chunk.ref.update(await manifestRowsGzip(rows));
    const twice = await verify();
    expect(twice.ok).to.equal(false);
    expect(JSON.stringify(twice)).to.contain("holds its rows twice (rows_gzip and rows_json)");
  });

  it("refuses field operators and answers not-found for an unknown report", async () => {
    const denied = await callFunction(
      "verifyReconciliation",
      { reconciliation_id: "x_v1" },
      { uid: uniqueId("op"), role: "field_operator", partner_id: "p" },
    );
    expect(denied.error!.status).to.equal("PERMISSION_DENIED");
    const missing = await callFunction("verifyReconciliation", { reconciliation_id: uniqueId("none") }, coordinator());
    expect(missing.error!.status).to.equal("NOT_FOUND");
  });
});

describe("accountant: periods that have not ended", () => {
  it("refuses to reconcile (and so to close) days that are still to come", async () => {
    const id = uniqueId("future-receipt");
    const start = new Date(Date.now() - 86_400_000);
    await seedReceipt(db(), {
      id,
      period_start: start,
      period_end: new Date(start.getTime() + 3 * 86_400_000),
      gross_volume_bbl: 100,
      bsw_percent: 0.5,
      temperature_degF: 60,
      api_gravity: 30,
    });
    const { error } = await reconcileAs(coordinator(), { terminal_receipt_id: id });
    expect(error!.status).to.equal("FAILED_PRECONDITION");
    expect(error!.message).to.match(/in the future/);
  });
});

describe("accountant: the hand-checkable example of docs/accountant.md", () => {
  it("returns exactly the figures docs/accountant.md shows", async () => {
    const tag = uniqueId("readme");
    const [alpha, bravo, charlie] = ["alpha", "bravo", "charlie"].map((s) => `${tag}-${s}`) as [string, string, string];
    for (const p of [alpha, bravo, charlie]) await seedPartner(db(), p);
    const { start, end } = isolatedPeriod(1);
    const at = new Date(start.getTime() + 6 * 3_600_000);
    await seedEntries(db(), [
      {
        id: `${alpha}-1`,
        partner_id: alpha,
        measured_at: at,
        gross_volume_bbl: 1000,
        api_gravity: 35.2,
        temperature_degF: 84,
        bsw_percent: 0.3,
        status: "validated",
      },
      {
        id: `${bravo}-1`,
        partner_id: bravo,
        measured_at: at,
        gross_volume_bbl: 1500,
        api_gravity: 32.0,
        temperature_degF: 90,
        bsw_percent: 0.5,
        status: "validated",
      },
      {
        id: `${charlie}-1`,
        partner_id: charlie,
        measured_at: at,
        gross_volume_bbl: 800,
        api_gravity: 40.1,
        temperature_degF: 70,
        bsw_percent: 0.2,
        status: "validated",
      },
    ]);
    await seedReceipt(db(), {
      id: `${tag}-receipt`,
      period_start: start,
      period_end: end,
      gross_volume_bbl: 3280,
      api_gravity: 34.5,
      temperature_degF: 76,
      bsw_percent: 0.4,
    });
    const { result, error } = await reconcileAs(coordinator(), { terminal_receipt_id: `${tag}-receipt` });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result!.totals).to.include({
      field_gross_bbl: 3300,
      field_nsv_bbl: 3252.82,
      terminal_nsv_bbl: 3242.58,
      shrinkage_bbl: 10.24,
      shrinkage_percent: 0.3148,
    });
    expect(produced(result!.allocations).map((a) => [a.nsv_bbl, a.share_percent, a.allocated_bbl, a.shrinkage_bbl])).to.deep.equal([
      [985.86, 30.30786, 982.76, 3.1],
      [1472.53, 45.26934, 1467.89, 4.64],
      [794.43, 24.42281, 791.93, 2.5],
    ]);
    const report = (await db().doc(`reconciliations/${result!.reconciliation_id}`).get()).data()!;
    expect(report.terminal).to.include({ api60: 33.3, ctl: 0.99256, cpl: 1, ctpl: 0.99256, csw: 0.996, gsv_bbl: 3255.6, nsv_bbl: 3242.58 });
  });
});
