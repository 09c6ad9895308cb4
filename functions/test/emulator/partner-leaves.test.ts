// A partner that leaves the JV during a period (setPartner's left_jv_on), through the Functions
// emulator: it was a party to the period's days before it left, so a re-run of the period keeps
// its line, zero or not, saying when it left, and the verifier passes it; one that left on the
// period's first day was a party to none of them and has no line.
import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import type { ReconcileResult } from "../../src/agents/accountant/reconcile";
import type { PeriodCoverageResult } from "../../src/agents/accountant/period-coverage";
import { NO_PRODUCTION_REASON, ZERO_FIGURES } from "../../src/domain/period-close";
import { pdfText } from "../support/pdf-text";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const admin = (): TestUser => ({ uid: uniqueId("leave-admin"), role: "admin" });
const coordinator = (): TestUser => ({ uid: uniqueId("leave-coord"), role: "jv_coordinator" });

interface Line {
  partner_id: string;
  entries: number;
  allocated_bbl: number;
  partner_active: boolean;
  reason?: string;
  left_jv_on?: string;
}

type Verification = { ok: boolean; checks: Array<{ check: string; ok: boolean }> };

describe("a partner that leaves the JV during a period", () => {
  it("keeps its line on a re-run, zero or not, with the day it left, verified; one that left on the first day has none", async () => {
    const tag = uniqueId("leave");
    const [a, during, first, producer] = [`${tag}-a`, `${tag}-during`, `${tag}-first`, `${tag}-producer`];
    await seedPartner(adminDb(), a, "Alpha Oil");
    await seedPartner(adminDb(), during, "Midway Oil");
    await seedPartner(adminDb(), first, "Early Oil");
    await seedPartner(adminDb(), producer, "Parting Oil");
    const { start, end } = isolatedPeriod(3);
    const day = (n: number) => new Date(start.getTime() + n * DAY).toISOString().slice(0, 10);
    await seedEntries(adminDb(), [
      soundEntry(`${tag}-1`, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(`${tag}-2`, producer, new Date(start.getTime() + 9 * HOUR)),
    ]);
    const receiptId = `${tag}-r`;
    await seedReceipt(adminDb(), receiptOf(receiptId, start, end, 1990));
    const user = coordinator();
    const lines = async (id: string) => {
      const all = (await adminDb().doc(`reconciliations/${id}`).get()).get("allocations") as Line[];
      return all.filter((l) => [a, during, first, producer].includes(l.partner_id));
    };
    try {
      const v1 = await callFunction<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId }, user);
      expect(v1.error, JSON.stringify(v1.error)).to.equal(undefined);
      expect((await lines(v1.result!.reconciliation_id)).map((l) => [l.partner_id, l.partner_active, l.reason ?? null])).to.deep.equal([
        [a, true, null],
        [during, true, NO_PRODUCTION_REASON],
        [first, true, NO_PRODUCTION_REASON],
        [producer, true, null],
      ]);

      for (const [id, on] of [
        [during, day(1)],
        [first, day(0)],
        [producer, day(2)],
      ] as const) {
        const left = await callFunction("setPartner", { partner_id: id, left_jv_on: on }, admin());
        expect(left.error, JSON.stringify(left.error)).to.equal(undefined);
      }

      const v2 = await callFunction<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId }, user);
      expect(v2.error, JSON.stringify(v2.error)).to.equal(undefined);
      expect(v2.result!.unchanged ?? false).to.equal(false);
      const v2Id = v2.result!.reconciliation_id;
      const v1Lines = await lines(v1.result!.reconciliation_id);
      expect(await lines(v2Id)).to.deep.equal([
        v1Lines[0],
        {
          partner_id: during,
          partner_name: "Midway Oil",
          ...ZERO_FIGURES,
          partner_active: false,
          reason: NO_PRODUCTION_REASON,
          left_jv_on: day(1),
        },
        // Its figures as before: its entry of the first day is its share.
        { ...v1Lines[3], partner_active: false, left_jv_on: day(2) },
      ]);
      expect(v1Lines[3]).to.include({ partner_id: producer, entries: 1 });

      // Both versions verify: the old one's zero lines were of active partners, the new one's of a partner that left during the period.
      for (const id of [v1.result!.reconciliation_id, v2Id]) {
        const verified = await callFunction<Verification>("verifyReconciliation", { reconciliation_id: id }, user);
        expect(verified.error, JSON.stringify(verified.error)).to.equal(undefined);
        expect(verified.result!.checks.filter((c) => !c.ok)).to.deep.equal([]);
        expect(verified.result!.ok).to.equal(true);
      }
      const checks = (await callFunction<Verification>("verifyReconciliation", { reconciliation_id: v2Id }, user)).result!.checks;
      const at = (await adminDb().doc(`reconciliations/${v2Id}`).get()).get("allocations") as Line[];
      for (const id of [during, producer]) {
        expect(checks.map((c) => c.check)).to.include(`allocations[${at.findIndex((l) => l.partner_id === id)}].left_jv_on`);
      }

      // The statement says why the line is zero and when the partner left.
      const csv = await callFunction<{ base64: string }>("exportStatement", { reconciliation_id: v2Id, format: "csv" }, user);
      expect(csv.error, JSON.stringify(csv.error)).to.equal(undefined);
      const text = Buffer.from(csv.result!.base64, "base64").toString("utf8");
      expect(text).to.contain(
        `${during},Midway Oil,0,0.00,0.00,0.00000,0.00,0.00,${NO_PRODUCTION_REASON}; it left the JV on ${day(1)},${day(1)}`,
      );
      expect(text.split("\n").find((row) => row.startsWith(`${producer},`))).to.match(
        new RegExp(`^${producer},Parting Oil,1,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,-?[0-9.]+,,${day(2)}\r?$`),
      );
      // The PDF says it beside the figures: the partner left on the period's last day.
      const pdf = await callFunction<{ base64: string }>("exportStatement", { reconciliation_id: v2Id, format: "pdf" }, user);
      expect(pdf.error, JSON.stringify(pdf.error)).to.equal(undefined);
      const squash = (t: string) => t.replace(/\s+/g, "");
      expect(squash(await pdfText(Buffer.from(pdf.result!.base64, "base64")))).to.contain(
        squash(
          `Parting Oil (${producer}) left the JV on ${day(2)}, its first day outside it: this line counts its entries of the contract days before.`,
        ),
      );

      // The pre-flight expects of it the day before it left only, and nothing of the partner that left on the first day.
      const coverage = await callFunction<PeriodCoverageResult>("periodCoverage", { terminal_receipt_id: receiptId }, user);
      expect(coverage.error, JSON.stringify(coverage.error)).to.equal(undefined);
      const ours = coverage.result!.partners.filter((p) => [during, first].includes(p.partner_id));
      expect(ours.map((p) => [p.partner_id, p.left_jv_on, p.days_without_entries])).to.deep.equal([[during, day(1), [day(0)]]]);
    } finally {
      // Deactivated without a departure day: no later test's period counts them as parties to it.
      for (const id of [during, first, producer]) {
        await adminDb().doc(`partners/${id}`).update({ active: false, left_jv_on: FieldValue.delete(), left_at: FieldValue.delete() });
      }
    }
  });
});
