// withdrawReceipt through the Functions emulator: a receipt entered by mistake is withdrawn with a
// note, once, before it is reconciled; reconcile then refuses it.
import { expect } from "chai";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";

const db = () => adminDb();
const HOUR = 3_600_000;
const coordinator = (): TestUser => ({ uid: uniqueId("withdraw-coord"), role: "jv_coordinator" });

describe("withdrawReceipt", () => {
  it("withdraws an unreconciled receipt with a note, logged in its chain; reconcile then refuses it; the same call again changes nothing", async () => {
    const id = uniqueId("wr");
    const { start, end } = isolatedPeriod(1);
    await seedReceipt(db(), receiptOf(id, start, end, 1000));
    const who = coordinator();
    const partner = await callFunction(
      "withdrawReceipt",
      { terminal_receipt_id: id, note: "typo" },
      { uid: "p", role: "jv_partner", partner_id: "p" },
    );
    expect(partner.error!.status).to.equal("PERMISSION_DENIED");
    const blank = await callFunction("withdrawReceipt", { terminal_receipt_id: id, note: "  " }, who);
    expect(blank.error!.status).to.equal("INVALID_ARGUMENT");
    expect(JSON.stringify(blank.error!.details)).to.contain("say why the receipt is withdrawn");

    const note = "Entered for the wrong period: the ticket is for November";
    const done = await callFunction<{ terminal_receipt_id: string; withdrawn_by: string; note: string }>(
      "withdrawReceipt",
      { terminal_receipt_id: id, note },
      who,
    );
    expect(done.error, JSON.stringify(done.error)).to.equal(undefined);
    expect(done.result).to.deep.include({ terminal_receipt_id: id, withdrawn_by: who.uid, note });
    const receipt = (await db().doc(`terminal_receipts/${id}`).get()).data()!;
    expect(receipt).to.include({ withdrawn: true, withdrawn_by: who.uid, withdrawal_note: note });
    const event = (await db().doc(`audit_log/receipt_withdrawn_${id}`).get()).data()!;
    expect(event).to.deep.include({
      stream: `receipt_${id}`,
      actor: who.uid,
      action: "receipt_withdrawn",
      subject: `terminal_receipts/${id}`,
    });
    expect(event.details).to.deep.include({ note });

    // A double click: the same answer, nothing more logged; another note is told who withdrew it.
    const again = await callFunction("withdrawReceipt", { terminal_receipt_id: id, note }, coordinator());
    expect(again.result).to.deep.include({ terminal_receipt_id: id, withdrawn_by: who.uid, note });
    const other = await callFunction("withdrawReceipt", { terminal_receipt_id: id, note: "another reason" }, coordinator());
    expect(other.error!.status).to.equal("FAILED_PRECONDITION");
    expect(other.error!.message).to.contain(`Terminal receipt ${id} was already withdrawn by ${who.uid}`);
    const events = await db().collection("audit_log").where("stream", "==", `receipt_${id}`).get();
    expect(events.size).to.equal(1);

    const reconcile = await callFunction("reconcile", { terminal_receipt_id: id }, coordinator());
    expect(reconcile.error!.status).to.equal("FAILED_PRECONDITION");
    expect(reconcile.error!.message).to.equal(
      `Terminal receipt ${id} was withdrawn (${note}): it is not reconciled. Enter the ticket again as a new receipt.`,
    );
    expect((await db().doc(`terminal_receipts/${id}`).get()).get("latest_reconciliation_id") ?? null).to.equal(null);
  });

  it("refuses a reconciled receipt, one another receipt replaces, and one that does not exist", async () => {
    const tag = uniqueId("wr-held");
    const partner = `${tag}-a`;
    await seedPartner(db(), partner, "Partner A");
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${tag}-e`, partner, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const reconciled = await callFunction("reconcile", { terminal_receipt_id: `${tag}-r` }, coordinator());
    expect(reconciled.error, JSON.stringify(reconciled.error)).to.equal(undefined);
    const held = await callFunction("withdrawReceipt", { terminal_receipt_id: `${tag}-r`, note: "late thoughts" }, coordinator());
    expect(held.error!.status).to.equal("FAILED_PRECONDITION");
    expect(held.error!.message).to.equal(
      `Terminal receipt ${tag}-r is reconciled (${tag}-r_v1): its figures stand. To correct it, enter a receipt that replaces it, with the corrected ticket.`,
    );

    const later = isolatedPeriod(1);
    await seedReceipt(db(), receiptOf(`${tag}-old`, later.start, later.end, 1000));
    await seedReceipt(
      db(),
      receiptOf(`${tag}-new`, later.start, later.end, 990, { supersedes_receipt_id: `${tag}-old`, correction_note: "re-proved" }),
    );
    const replaced = await callFunction("withdrawReceipt", { terminal_receipt_id: `${tag}-old`, note: "superseded" }, coordinator());
    expect(replaced.error!.status).to.equal("FAILED_PRECONDITION");
    expect(replaced.error!.message).to.equal(`Terminal receipt ${tag}-old is the receipt ${tag}-new replaces: it stays for that one.`);
    expect((await db().doc(`terminal_receipts/${tag}-old`).get()).get("withdrawn")).to.equal(undefined);

    const missing = await callFunction("withdrawReceipt", { terminal_receipt_id: `${tag}-none`, note: "gone" }, coordinator());
    expect(missing.error!.status).to.equal("NOT_FOUND");

    // The replacing receipt withdrawn itself: the one it named may go too; and nothing can replace a withdrawn receipt.
    const gone = await callFunction("withdrawReceipt", { terminal_receipt_id: `${tag}-new`, note: "keyed twice" }, coordinator());
    expect(gone.error, JSON.stringify(gone.error)).to.equal(undefined);
    const freed = await callFunction("withdrawReceipt", { terminal_receipt_id: `${tag}-old`, note: "wrong ticket" }, coordinator());
    expect(freed.error, JSON.stringify(freed.error)).to.equal(undefined);
    await seedReceipt(
      db(),
      receiptOf(`${tag}-third`, later.start, later.end, 995, { supersedes_receipt_id: `${tag}-old`, correction_note: "again" }),
    );
    const third = await callFunction("reconcile", { terminal_receipt_id: `${tag}-third` }, coordinator());
    expect(third.error!.status).to.equal("FAILED_PRECONDITION");
    expect(third.error!.message).to.equal(
      `Terminal receipt ${tag}-third replaces receipt ${tag}-old, which was withdrawn as entered by mistake: it replaces nothing. Enter it again as a receipt of its own period, without "Replaces receipt".`,
    );
  });
});
