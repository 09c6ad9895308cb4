// A coordinator's correction on a closed day is a client write that marks nothing itself: the
// version of the day turns stale when the auditor stores the new audit. In between, the version
// must not pass for current: reconcile scans (and finds the entry pending audit) rather than
// answering "unchanged", and its release is refused.
import { expect } from "chai";
import { doc, serverTimestamp, updateDoc } from "firebase/firestore";
import { adminAuth, adminDb, callFunction, uniqueId, withoutTriggers, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import { signInWebClient } from "../support/web-client";

const HOUR = 3_600_000;

describe("a correction on a closed day awaiting its audit", () => {
  it("keeps its day's version from passing for current: reconcile scans and refuses, release is refused", async function () {
    this.timeout(240_000);
    const db = adminDb();
    const admin: TestUser = { uid: uniqueId("admin"), role: "admin" };
    const on = await callFunction("setJvSettings", { release_approval_required: true }, admin);
    expect(on.error, JSON.stringify(on.error)).to.equal(undefined);
    try {
      const tag = uniqueId("awaiting");
      const [a, b] = [`${tag}-a`, `${tag}-b`];
      for (const p of [a, b]) await seedPartner(db, p, `Partner ${p}`);
      const { start, end } = isolatedPeriod(1);
      await seedEntries(db, [
        soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR)),
        soundEntry(`${b}-1`, b, new Date(start.getTime() + 9 * HOUR)),
      ]);
      await seedReceipt(db, receiptOf(`${tag}-r1`, start, end, 2000));
      const maker: TestUser = { uid: uniqueId("maker"), role: "jv_coordinator" };
      const made = await callFunction<{ version: number; released: boolean }>("reconcile", { terminal_receipt_id: `${tag}-r1` }, maker);
      expect(made.error, JSON.stringify(made.error)).to.equal(undefined);
      expect(made.result).to.deep.include({ version: 1, released: false });
      const again = await callFunction<{ unchanged: boolean }>("reconcile", { terminal_receipt_id: `${tag}-r1` }, maker);
      expect(again.result?.unchanged, JSON.stringify(again.error)).to.equal(true);

      const email = `${tag}@example.test`;
      const { uid } = await adminAuth().createUser({ email, password: "secret-123" });
      await adminAuth().setCustomUserClaims(uid, { role: "jv_coordinator" });
      const corrector = await signInWebClient(email, "secret-123");
      const checker: TestUser = { uid: uniqueId("checker"), role: "jv_coordinator" };
      try {
        await withoutTriggers(async () => {
          await updateDoc(doc(corrector.db, `production_entries/${a}-1`), {
            gross_volume_bbl: 1012.5,
            correction_note: "Gauger's book: the ticket read 1,012.50 bbl",
            corrected_by: uid,
            corrected_at: serverTimestamp(),
          });
          const report = (await db.doc(`reconciliations/${tag}-r1_v1`).get()).data()!;
          expect(report.stale ?? false, "nothing has marked the version yet").to.equal(false);

          const rerun = await callFunction("reconcile", { terminal_receipt_id: `${tag}-r1` }, maker);
          expect(rerun.error?.status, JSON.stringify(rerun.result)).to.equal("FAILED_PRECONDITION");
          expect(rerun.error!.message).to.contain("1 entries still pending audit");
          expect((rerun.error!.details as { pending_audit: string[] }).pending_audit).to.deep.equal([`${a}-1`]);

          const release = await callFunction(
            "releaseReconciliation",
            { reconciliation_id: `${tag}-r1_v1`, note: "Checked against the terminal ticket" },
            checker,
          );
          expect(release.error?.status, JSON.stringify(release.result)).to.equal("FAILED_PRECONDITION");
          expect(release.error!.message).to.contain(`corrected after it was made and await their audit (${a}-1)`);
          expect((release.error!.details as { awaiting_audit: string[] }).awaiting_audit).to.deep.equal([`${a}-1`]);
          expect((await db.doc(`reconciliations/${tag}-r1_v1`).get()).get("released")).to.equal(false);
        });
      } finally {
        await corrector.close();
      }
    } finally {
      const off = await callFunction("setJvSettings", { release_approval_required: false }, admin);
      expect(off.error, JSON.stringify(off.error)).to.equal(undefined);
    }
  });
});
