// A coordinator's correction or late entry on a closed day is a client write that marks nothing
// itself: the version of the day turns stale when the auditor stores the new audit. In between,
// the version must not pass for current: reconcile reads the period (and finds the entries
// pending audit) rather than answering "unchanged", and its release is refused. Once audited,
// the road is the usual one: stale, a new version, its release.
import { expect } from "chai";
import { doc, serverTimestamp, setDoc, Timestamp as ClientTimestamp, updateDoc } from "firebase/firestore";
import { adminAuth, adminDb, callFunction, uniqueId, waitForDoc, withoutTriggers, type TestUser } from "../support/emulator";
import { waitForAudit } from "../support/production-entries";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import { signInWebClient } from "../support/web-client";

const HOUR = 3_600_000;
/** Trigger events queue one at a time in the Functions emulator, behind earlier files' backlog. */
const SLOW = 270_000;

describe("corrections on a closed day awaiting their audit", () => {
  it("keep the day's version from passing for current until audited: reconcile reads the period and refuses, release is refused", async function () {
    // Its audits queue behind the trigger events earlier files left (117 s in one CI run).
    this.timeout(600_000);
    const db = adminDb();
    const admin: TestUser = { uid: uniqueId("admin"), role: "admin" };
    const on = await callFunction("setJvSettings", { release_approval_required: true }, admin);
    expect(on.error, JSON.stringify(on.error)).to.equal(undefined);
    try {
      const tag = uniqueId("awaiting");
      const [a, b] = [`${tag}-a`, `${tag}-b`];
      for (const p of [a, b]) await seedPartner(db, p, `Partner ${p}`);
      const { start, end } = isolatedPeriod(1);
      const elsewhere = isolatedPeriod(1).start;
      await seedEntries(db, [
        soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR)),
        soundEntry(`${b}-1`, b, new Date(start.getTime() + 9 * HOUR)),
        soundEntry(`${a}-other`, a, new Date(elsewhere.getTime() + 8 * HOUR)),
      ]);
      await seedReceipt(db, receiptOf(`${tag}-r1`, start, end, 2000));
      const maker: TestUser = { uid: uniqueId("maker"), role: "jv_coordinator" };
      const checker: TestUser = { uid: uniqueId("checker"), role: "jv_coordinator" };
      const reconcile = () =>
        callFunction<{ version: number; unchanged: boolean; released: boolean }>("reconcile", { terminal_receipt_id: `${tag}-r1` }, maker);
      const release = (version: number) =>
        callFunction<{ released: boolean }>(
          "releaseReconciliation",
          { reconciliation_id: `${tag}-r1_v${version}`, note: "Checked against the terminal ticket" },
          checker,
        );
      const made = await reconcile();
      expect(made.error, JSON.stringify(made.error)).to.equal(undefined);
      expect(made.result).to.deep.include({ version: 1, released: false });

      const email = `${tag}@example.test`;
      const { uid } = await adminAuth().createUser({ email, password: "secret-123" });
      await adminAuth().setCustomUserClaims(uid, { role: "jv_coordinator" });
      const coordinator = await signInWebClient(email, "secret-123");
      const correct = (entryId: string, gross: number) =>
        updateDoc(doc(coordinator.db, `production_entries/${entryId}`), {
          gross_volume_bbl: gross,
          correction_note: `Gauger's book: the ticket read ${gross} bbl`,
          corrected_by: uid,
          corrected_at: serverTimestamp(),
        });
      const late = `${tag}-late`;
      try {
        await withoutTriggers(async () => {
          // A correction on another period's entry leaves this version current.
          await correct(`${a}-other`, 1003);
          const unchanged = await reconcile();
          expect(unchanged.result?.unchanged, JSON.stringify(unchanged.error)).to.equal(true);

          // A late entry and a correction on the closed day: nothing marks the version yet.
          await setDoc(doc(coordinator.db, `production_entries/${late}`), {
            partner_id: b,
            measured_at: ClientTimestamp.fromMillis(start.getTime() + 14 * HOUR),
            gross_volume_bbl: 20,
            bsw_percent: 0.5,
            temperature_degF: 60,
            api_gravity: 30,
            meter_id: "M-late",
            created_by: uid,
            created_at: serverTimestamp(),
            correction_note: "Ticket 4411 found in the gauger's book",
            corrected_by: uid,
            corrected_at: serverTimestamp(),
          });
          await correct(`${a}-1`, 1012.5);
          expect((await db.doc(`reconciliations/${tag}-r1_v1`).get()).get("stale") ?? false).to.equal(false);

          const rerun = await reconcile();
          expect(rerun.error?.status, JSON.stringify(rerun.result)).to.equal("FAILED_PRECONDITION");
          expect(rerun.error!.message).to.contain("2 entries still pending audit");
          expect((rerun.error!.details as { pending_audit: string[] }).pending_audit.sort()).to.deep.equal([`${a}-1`, late].sort());

          const refused = await release(1);
          expect(refused.error?.status, JSON.stringify(refused.result)).to.equal("FAILED_PRECONDITION");
          expect(refused.error!.message).to.contain("were corrected after it was made and await their audit");
          expect((refused.error!.details as { awaiting_audit: string[] }).awaiting_audit.sort()).to.deep.equal([`${a}-1`, late].sort());
          expect((await db.doc(`reconciliations/${tag}-r1_v1`).get()).get("released")).to.equal(false);
        });

        // The audits (their trigger events were dropped above: corrected again) mark v1 stale; v2 is released.
        await correct(`${a}-1`, 1012.6);
        await updateDoc(doc(coordinator.db, `production_entries/${late}`), {
          gross_volume_bbl: 21,
          correction_note: "Ticket 4411 re-read: 21 bbl",
          corrected_by: uid,
          corrected_at: serverTimestamp(),
        });
        for (const id of [`${a}-1`, late]) {
          const audit = await waitForAudit(id, undefined, SLOW);
          expect(audit.status, `${id}: ${JSON.stringify(audit.reasons)}`).to.equal("validated");
        }
        await waitForDoc(`reconciliations/${tag}-r1_v1`, (s) => s.get("stale") === true, SLOW);
        const v2 = await reconcile();
        expect(v2.result, JSON.stringify(v2.error)).to.deep.include({ version: 2, unchanged: false, released: false });
        const released = await release(2);
        expect(released.result?.released, JSON.stringify(released.error)).to.equal(true);
      } finally {
        await coordinator.close();
      }
    } finally {
      const off = await callFunction("setJvSettings", { release_approval_required: false }, admin);
      expect(off.error, JSON.stringify(off.error)).to.equal(undefined);
    }
  });
});
