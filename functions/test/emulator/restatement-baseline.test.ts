/**
 * What a restatement's adjustments are measured against: the figures the partners are settled on.
 * A restatement rejected, or replaced while still undecided, never moves them; the next version's
 * adjustments are against the last settled version, and the undecided set is withdrawn.
 */
import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
import { adminDb, uniqueId } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import { reconcile as reconcileHandler } from "../../src/agents/accountant/reconcile";
import { decideAdjustment } from "../../src/agents/accountant/decide-adjustment";
import { exportStatement } from "../../src/agents/accountant/export-statement";
import { pdfText } from "../support/pdf-text";
import { gatherEvidence } from "../../src/agents/accountant/verify";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { statementOf, changesIntro } from "../../src/domain/statement";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { directDeps } from "../support/communicator-world";
import { bblToCb } from "../../src/domain/cent-barrels";

const db = () => adminDb();
const HOUR = 3_600_000;
const maker = { uid: "baseline-coordinator", role: "jv_coordinator" as const };
const decider = { uid: "baseline-decider", role: "jv_coordinator" as const };
const plainDeps = (): AgentDeps => directDeps("http://127.0.0.1:9", { now: new Date() });
const reconcile = (receiptId: string) => reconcileHandler(plainDeps(), { terminal_receipt_id: receiptId }, maker);
const report = async (id: string) => (await db().doc(`reconciliations/${id}`).get()).data()!;
const setOf = async (from: string) =>
  (await db().collection("prior_period_adjustments").where("from_reconciliation_id", "==", from).get()).docs.map((d) => ({
    id: d.id,
    ...(d.data() as { partner_id: string; delta_bbl: number; status: string; previous_reconciliation_id: string; withdrawn_in?: string }),
  }));
const allocated = (r: FirebaseFirestore.DocumentData) =>
  Object.fromEntries((r.allocations as Array<{ partner_id: string; allocated_bbl: number }>).map((x) => [x.partner_id, x.allocated_bbl]));
const decide = (adjustmentId: string, decision: "approved" | "rejected") =>
  decideAdjustment(plainDeps(), { adjustment_id: adjustmentId, decision, note: `${decision} in the test` }, decider);

/**
 * A receipt never reconciled, and a corrected ticket replacing it. The corrected ticket may cover
 * other days than the one it replaces: here the next day.
 */
async function replacedUnreconciled(prefix: string) {
  const tag = uniqueId(prefix);
  const a = `${tag}-a`;
  await seedPartner(db(), a, "Partner A");
  const first = isolatedPeriod(1);
  const second = isolatedPeriod(1);
  await seedEntries(db(), [
    soundEntry(`${a}-1`, a, new Date(first.start.getTime() + 8 * HOUR)),
    soundEntry(`${a}-2`, a, new Date(second.start.getTime() + 8 * HOUR)),
  ]);
  const [replaced, replacing] = [`${tag}-r1`, `${tag}-r2`];
  await seedReceipt(db(), receiptOf(replaced, first.start, first.end, 995));
  await seedReceipt(
    db(),
    receiptOf(replacing, second.start, second.end, 990, { supersedes_receipt_id: replaced, correction_note: "corrected ticket" }),
  );
  return { replaced, replacing, first };
}

/** The call is refused as the close of a receipt replaced before it was ever reconciled, and closed nothing. */
async function expectRefusedAsReplaced(call: Promise<unknown>, replaced: string, replacing: string, day: Date) {
  const refused = await call.catch((e: Error) => e);
  expect(refused).to.be.instanceOf(Error);
  expect((refused as Error).message).to.contain(
    `Terminal receipt ${replaced} was replaced by receipt ${replacing} (reconciled as ${replacing}_v1). Reconcile ${replacing} instead; to correct the ticket again, enter a new receipt that replaces ${replacing}.`,
  );
  expect((await db().doc(`reconciliations/${replaced}_v1`).get()).exists).to.equal(false);
  expect(
    (
      await db()
        .doc(`closed_days/${day.toISOString().slice(0, 10)}`)
        .get()
    ).exists,
  ).to.equal(false);
}

/**
 * Partners a (1,000 bbl) and b (2,000 bbl) on a day of their own, and corrected terminal tickets
 * for it, each replacing the one before: every version moves the partners.
 */
async function ticketChain(prefix: string, grosses: number[]) {
  const tag = uniqueId(prefix);
  const [a, b] = [`${tag}-a`, `${tag}-b`];
  await seedPartner(db(), a, "Partner A");
  await seedPartner(db(), b, "Partner B");
  const { start, end } = isolatedPeriod(1);
  await seedEntries(db(), [
    soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR), 1000),
    soundEntry(`${b}-1`, b, new Date(start.getTime() + 9 * HOUR), 2000),
  ]);
  const ids = grosses.map((_, i) => `${tag}-r${i + 1}`);
  for (const [i, gross] of grosses.entries()) {
    await seedReceipt(
      db(),
      receiptOf(ids[i], start, end, gross, i === 0 ? {} : { supersedes_receipt_id: ids[i - 1], correction_note: `ticket ${i + 1}` }),
    );
  }
  return { tag, a, b, ids, start, end, v: (i: number) => `${ids[i]}_v1` };
}

describe("prior-period adjustments: measured against what the partners are settled on", () => {
  it("after a rejected restatement and one replaced undecided, the next set is against the last settled version; approved sets settle each partner on the current figures", async function () {
    this.timeout(120_000);
    const { ids, v, start, end } = await ticketChain("base", [2990, 2960, 2980, 2970, 2985]);

    await reconcile(ids[0]);
    await reconcile(ids[1]);
    // The replaced receipt is done: reconciling it again is refused, naming the receipt that replaced it.
    const again = await reconcile(ids[0]).catch((e: Error) => e);
    expect((again as Error).message).to.contain(
      `Terminal receipt ${ids[0]} was replaced by receipt ${ids[1]}: its version ${v(0)} is superseded by ${v(1)}.`,
    );
    expect((await db().doc(`reconciliations/${ids[0]}_v2`).get()).exists).to.equal(false);
    // A second ticket naming the replaced receipt would replace nothing: refused, naming the one that did.
    const twice = `${ids[0]}-twice`;
    await seedReceipt(db(), receiptOf(twice, start, end, 2990, { supersedes_receipt_id: ids[0], correction_note: "again" }));
    const refusedTwice = await reconcile(twice).catch((e: Error) => e);
    expect((refusedTwice as Error).message).to.contain(
      `The receipt it replaces, terminal receipt ${ids[0]}, was already replaced by receipt ${ids[1]} (its version ${v(0)} is superseded by ${v(1)}). Replace ${ids[1]} instead.`,
    );
    expect((await db().doc(`reconciliations/${twice}_v1`).get()).exists).to.equal(false);
    const second = await setOf(v(1));
    expect(second.map((s) => s.status)).to.deep.equal(["pending", "pending"]);
    const statementText = async () =>
      (await pdfText(Buffer.from((await exportStatement(plainDeps(), { reconciliation_id: v(1), format: "pdf" }, maker)).base64, "base64")))
        .replace(/\s+/g, " ")
        .replace(/- /g, "-"); // a line broken at a hyphen
    const beforeDecision = await statementText();
    expect(beforeDecision).to.contain("raised as a pending prior-period adjustment");
    await decide(second[0].id, "rejected");
    // The statement of the version that raised them says so, with who decided, when and why.
    const afterRejection = await statementText();
    expect(afterRejection).to.match(
      /Each change was raised as a prior-period adjustment, and the coordinators rejected the restatement by baseline-decider on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: "rejected in the test": nothing is carried/,
    );
    expect(afterRejection).to.not.contain("pending prior-period adjustment");

    // The third is against the first: the partners were never moved off it.
    await reconcile(ids[2]);
    const third = await report(v(2));
    expect([third.changes_against, third.changes_against_reason]).to.deep.equal([v(0), "restatement rejected"]);
    const first = await report(v(0));
    const thirdSet = await setOf(v(2));
    expect(thirdSet.map((s) => s.previous_reconciliation_id)).to.deep.equal([v(0), v(0)]);
    for (const s of thirdSet)
      expect(bblToCb(s.delta_bbl)).to.equal(bblToCb(allocated(third)[s.partner_id]) - bblToCb(allocated(first)[s.partner_id]));
    expect((await setOf(v(1))).map((s) => s.status)).to.deep.equal(["rejected", "rejected"]);

    // The fourth comes while the third's set is undecided: that set is withdrawn, and the fourth is against the first too.
    await reconcile(ids[3]);
    const fourth = await report(v(3));
    expect([fourth.changes_against, fourth.changes_against_reason]).to.deep.equal([v(0), "restatement replaced"]);
    expect((await setOf(v(2))).map((s) => [s.status, s.withdrawn_in])).to.deep.equal([
      ["withdrawn", v(3)],
      ["withdrawn", v(3)],
    ]);
    const late = await decide(thirdSet[0].id, "approved").catch((e: Error) => e);
    expect(late).to.be.instanceOf(Error);
    expect((late as Error).message).to.contain(`was withdrawn: ${v(2)} was replaced by ${v(3)} before its restatement was decided`);
    const fourthSet = await setOf(v(3));
    await decide(fourthSet[0].id, "approved");
    // Settled: the first version's allocation plus the approved deltas is the fourth's, to the cent-barrel.
    for (const s of fourthSet)
      expect(bblToCb(allocated(first)[s.partner_id]) + bblToCb(s.delta_bbl)).to.equal(bblToCb(allocated(fourth)[s.partner_id]));

    // The fifth follows an approved restatement: against the fourth, and says nothing more.
    await reconcile(ids[4]);
    const fifth = await report(v(4));
    expect(fifth.changes_against).to.equal(undefined);
    expect((await setOf(v(4))).map((s) => s.previous_reconciliation_id)).to.deep.equal([v(3), v(3)]);

    // The verifier recomputes the fourth's changes against the first's figures; its statement says why.
    const evidence = (await gatherEvidence(db(), v(3)))!;
    const verdict = verifyReportEvidence(evidence);
    expect(verdict.ok, JSON.stringify(verdict.checks.filter((c) => !c.ok))).to.equal(true);
    expect(verdict.checks.find((c) => c.check === "changes_from_previous")?.ok).to.equal(true);
    expect(changesIntro(statementOf(evidence), true)).to.contain(
      `The restatement of ${v(2)} was still waiting for the coordinators' decision: it is withdrawn, and the changes are against ${v(0)}`,
    );
  });

  it("refuses a receipt replaced before it was ever reconciled, once its replacement is, so that no later version drops its allocation unadjusted", async function () {
    this.timeout(60_000);
    const { replaced, replacing, first } = await replacedUnreconciled("unreconciled");

    await reconcile(replacing);
    await expectRefusedAsReplaced(reconcile(replaced), replaced, replacing, first.start);
  });

  it("marks a receipt replaced before it was ever reconciled, and its close refuses it when the replacement is reconciled after its reads", async function () {
    this.timeout(60_000);
    const { replaced, replacing, first } = await replacedUnreconciled("raced");
    // The replacing receipt is reconciled once the replaced one's call has read its context and
    // scanned, just before its closing transaction: the reads before found no replacement reconciled.
    let raced = false;
    const real = db();
    const racing = new Proxy(real, {
      get(target, prop) {
        if (prop === "runTransaction") {
          return async (...args: Parameters<typeof real.runTransaction>) => {
            if (!raced) {
              raced = true;
              await reconcile(replacing);
            }
            return target.runTransaction(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expectRefusedAsReplaced(
      reconcileHandler({ ...plainDeps(), db: racing }, { terminal_receipt_id: replaced }, maker),
      replaced,
      replacing,
      first.start,
    );
    expect(raced).to.equal(true);
    const mark = (await db().doc(`terminal_receipts/${replaced}`).get()).data()!;
    expect([mark.replaced_by_receipt_id, mark.replaced_by_reconciliation_id, mark.latest_reconciliation_id]).to.deep.equal([
      replacing,
      `${replacing}_v1`,
      undefined,
    ]);
  });

  it("walks back past a version made before the rule that was compared with a rejected one, and keeps the entries behind rejected sets", async function () {
    this.timeout(120_000);
    const { a, b, ids, v } = await ticketChain("walk", [2990, 2960, 2980, 2970]);
    await reconcile(ids[0]);
    await reconcile(ids[1]);
    // The second's set names the entries behind it, and is rejected.
    const second = await setOf(v(1));
    for (const s of second)
      await db()
        .doc(`prior_period_adjustments/${s.id}`)
        .update({ entry_ids: [`${s.partner_id}-1`] });
    await decide(second[0].id, "rejected");
    await reconcile(ids[2]);
    const third = await setOf(v(2));
    // The rejected set's entries are behind the changes that take its place.
    expect(Object.fromEntries(third.map((s) => [s.partner_id, (s as unknown as { entry_ids: string[] }).entry_ids]))).to.deep.equal({
      [a]: [`${a}-1`],
      [b]: [`${b}-1`],
    });
    // As a version made before the rule would be: compared with the rejected second, naming nothing else.
    await db()
      .doc(`reconciliations/${v(2)}`)
      .update({ changes_against: FieldValue.delete(), changes_against_reason: FieldValue.delete() });
    await decide(third[0].id, "rejected");

    await reconcile(ids[3]);
    const fourth = await report(v(3));
    expect([fourth.changes_against, fourth.changes_against_reason]).to.deep.equal([v(0), "restatement rejected"]);
    const first = await report(v(0));
    for (const s of await setOf(v(3))) {
      expect(s.previous_reconciliation_id).to.equal(v(0));
      expect(bblToCb(s.delta_bbl)).to.equal(bblToCb(allocated(fourth)[s.partner_id]) - bblToCb(allocated(first)[s.partner_id]));
    }
  });
});
