// A partner that joins the JV after it began (setPartner's joined_jv_on), through the Functions
// emulator: a period that ended before it joined is none of its business, so a re-run of that
// period after the partner was added is unchanged; a partner added without the day is taken as a
// party from the start, and the re-run then gives it a zero line in a new version.
import { expect } from "chai";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import type { ReconcileResult } from "../../src/agents/accountant/reconcile";

const HOUR = 3_600_000;
const admin = (): TestUser => ({ uid: uniqueId("join-admin"), role: "admin" });
const coordinator = (): TestUser => ({ uid: uniqueId("join-coord"), role: "jv_coordinator" });
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

interface Line {
  partner_id: string;
  entries: number;
  reason?: string;
}

describe("a partner that joins the JV later", () => {
  it("is no party to a period that ended before it joined: the re-run is unchanged; one added without the day gets a zero line", async () => {
    const tag = uniqueId("join");
    const [a, late, undated] = [`${tag}-a`, `${tag}-late`, `${tag}-undated`];
    await seedPartner(adminDb(), a, "Alpha Oil");
    const { start, end } = isolatedPeriod(1);
    await seedEntries(adminDb(), [soundEntry(`${tag}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    const receiptId = `${tag}-r`;
    await seedReceipt(adminDb(), receiptOf(receiptId, start, end, 995));
    const user = coordinator();
    const first = await callFunction<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId }, user);
    expect(first.error, JSON.stringify(first.error)).to.equal(undefined);
    const v1 = first.result!.reconciliation_id;
    try {
      // Added through setPartner with the day it joins, the day after the period.
      const added = await callFunction<{ partner: Record<string, unknown> }>(
        "setPartner",
        { partner_id: late, name: "Late Oil", joined_jv_on: dayOf(end), new_partner: true },
        admin(),
      );
      expect(added.error, JSON.stringify(added.error)).to.equal(undefined);
      expect(added.result!.partner).to.deep.include({ partner_id: late, active: true, joined_jv_on: dayOf(end) });
      expect((await adminDb().doc(`partners/${late}`).get()).get("joined_jv_on")).to.equal(dayOf(end));

      const again = await callFunction<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId }, user);
      expect(again.error, JSON.stringify(again.error)).to.equal(undefined);
      expect(again.result).to.deep.include({ reconciliation_id: v1, unchanged: true });
      const lines = (await adminDb().doc(`reconciliations/${v1}`).get()).get("allocations") as Line[];
      expect(lines.map((l) => l.partner_id))
        .to.include(a)
        .and.not.include(late);

      // Its day cannot be set after an entry of its own: a partner has no production before it joined.
      const tooLate = await callFunction("setPartner", { partner_id: a, joined_jv_on: dayOf(end) }, admin());
      expect(tooLate.error?.status).to.equal("FAILED_PRECONDITION");
      expect(tooLate.error?.message).to.equal(
        `Partner Alpha Oil cannot be recorded as having joined the JV on ${dayOf(end)}: its production entry ${tag}-1 was measured on contract day ${dayOf(start)}, before that day (its earliest such entry). If that entry is wrong, correct its measured time; otherwise name ${dayOf(start)} or an earlier day.`,
      );
      expect((await adminDb().doc(`partners/${a}`).get()).get("joined_jv_on")).to.equal(undefined);

      // Without the day, a partner is a party from the JV's start: the re-run gives it a zero line, in a new version.
      await seedPartner(adminDb(), undated, "Undated Oil");
      const third = await callFunction<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId }, user);
      expect(third.error, JSON.stringify(third.error)).to.equal(undefined);
      expect(third.result!.unchanged ?? false).to.equal(false);
      const v2 = (await adminDb().doc(`reconciliations/${third.result!.reconciliation_id}`).get()).get("allocations") as Line[];
      expect(v2.find((l) => l.partner_id === undated)).to.deep.include({ entries: 0, reason: "no used production entries in the period" });
      expect(v2.map((l) => l.partner_id)).to.not.include(late);
    } finally {
      // No later test's period counts them as active partners without production.
      for (const id of [late, undated]) await adminDb().doc(`partners/${id}`).set({ active: false }, { merge: true });
    }
  });
});
