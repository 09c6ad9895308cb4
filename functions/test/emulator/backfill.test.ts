import { expect } from "chai";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import {
  backfillAuditedFigures,
  backfillPeople,
  backfillReleases,
  backfillReviewMarks,
  createPeople,
  markReviewAwaited,
} from "../../src/agents/admin/backfill";
import { adminAuth, adminDb, sleep, uniqueId, waitForDoc, withoutTriggers } from "../support/emulator";
import { auditedEntry, isolatedPeriod, soundEntry, type EntrySeed } from "../support/seed";

/** An entry as the auditor wrote it before `audit.awaiting_review` existed. */
async function legacyEntry(seed: EntrySeed): Promise<string> {
  await adminDb().doc(`production_entries/${seed.id}`).set(auditedEntry(seed));
  await adminDb().doc(`production_entries/${seed.id}`).update({ "audit.awaiting_review": FieldValue.delete() });
  return seed.id;
}

const mark = async (id: string) =>
  (await adminDb().doc(`production_entries/${id}`).get()).get("audit.awaiting_review") as boolean | undefined;

describe("npm run migrate (backfill)", () => {
  it("marks legacy flagged entries for the review queue: waiting without a review, not with one; a second run writes nothing", async () => {
    const partner = uniqueId("legacy");
    const { start } = isolatedPeriod(1);
    const at = (h: number) => new Date(start.getTime() + h * 3_600_000);
    const waiting = await legacyEntry({ ...soundEntry(uniqueId("lw"), partner, at(1)), status: "flagged" });
    const reviewed = await legacyEntry({ ...soundEntry(uniqueId("lr"), partner, at(2)), status: "flagged", review: "approved" });
    const validated = await legacyEntry({ ...soundEntry(uniqueId("lv"), partner, at(3)), status: "validated" });
    const current = uniqueId("lc");
    await adminDb()
      .doc(`production_entries/${current}`)
      .set(auditedEntry({ ...soundEntry(current, partner, at(4)), status: "flagged" }));
    await adminDb().doc(`production_entries/${current}`).update({ "audit.awaiting_review": false });

    const first = await backfillReviewMarks(adminDb());

    expect(await mark(waiting)).to.equal(true);
    expect(await mark(reviewed)).to.equal(false);
    expect(await mark(validated)).to.equal(undefined);
    // Already marked by the functions: left as it is, even where the backfill would say otherwise.
    expect(await mark(current)).to.equal(false);
    expect(first.written).to.be.at.least(2);
    expect(first.examined).to.be.at.least(3);
    const second = await backfillReviewMarks(adminDb());
    expect(second.written).to.equal(0);
  });

  it("does not have the auditor audit again a flagged entry it marks whose audit predates the current rules", async function () {
    this.timeout(90_000);
    const partner = uniqueId("legacy-rules");
    const { start } = isolatedPeriod(1);
    const at = (h: number) => new Date(start.getTime() + h * 3_600_000);
    const [old, control] = [uniqueId("lo"), uniqueId("lk")];
    // Audited under an older RULES_VERSION, as a project upgraded from it holds them (seeded without triggers).
    await withoutTriggers(async () => {
      for (const [id, hour] of [
        [old, 1],
        [control, 2],
      ] as const) {
        await adminDb()
          .doc(`production_entries/${id}`)
          .set(auditedEntry({ ...soundEntry(id, partner, at(hour)), status: "flagged" }));
        await adminDb()
          .doc(`production_entries/${id}`)
          .update({ "audit.awaiting_review": FieldValue.delete(), "audit.rules_version": "2025.1" });
      }
    });
    const before = (await adminDb().doc(`production_entries/${old}`).get()).get("audit");

    expect(await markReviewAwaited(adminDb(), [await adminDb().doc(`production_entries/${old}`).get()])).to.equal(1);
    // The control's measured change is audited after the marked entry's event: once it is, that event has been handled.
    await adminDb().doc(`production_entries/${control}`).update({ gross_volume_bbl: 1234.5 });
    await waitForDoc(`production_entries/${control}`, (snap) => snap.get("audit.rules_version") !== "2025.1", 60_000);
    await sleep(1_000);

    const after = (await adminDb().doc(`production_entries/${old}`).get()).get("audit");
    expect(after.rules_version).to.equal("2025.1");
    expect(after.checked_at).to.deep.equal(before.checked_at);
    expect(after.awaiting_review).to.equal(true);
  });

  it("keeps on each entry audited before audits kept them the figures it was audited on; not on one edited since, nor over figures kept", async function () {
    this.timeout(90_000);
    const partner = uniqueId("legacy-figures");
    const { start } = isolatedPeriod(1);
    const at = (h: number) => new Date(start.getTime() + h * 3_600_000);
    const [legacy, edited, kept, control] = [uniqueId("fl"), uniqueId("fe"), uniqueId("fk"), uniqueId("fc")];
    const doc = (id: string) => adminDb().doc(`production_entries/${id}`);
    // As a project upgraded from rules 2025.1 holds them, seeded without trigger events.
    await withoutTriggers(async () => {
      for (const [id, hour] of [
        [legacy, 1],
        [edited, 2],
        [kept, 3],
        [control, 4],
      ] as const) {
        await doc(id).set(auditedEntry({ ...soundEntry(id, partner, at(hour)), status: "validated" }));
        await doc(id).update({ "audit.rules_version": "2025.1" });
      }
      // Edited after its audit, the edit's own audit not yet run: its figures are no one's verdict.
      await doc(edited).update({ gross_volume_bbl: 2222.5 });
      await doc(kept).update({ "audit.figures": { gross_volume_bbl: 1, bsw_percent: 1, temperature_degF: 1, api_gravity: 1 } });
    });
    const before = (await doc(legacy).get()).data()!;

    const first = await backfillAuditedFigures(adminDb());

    const after = (await doc(legacy).get()).data()!;
    expect(after.audit.figures).to.deep.equal({
      gross_volume_bbl: before.gross_volume_bbl,
      bsw_percent: before.bsw_percent,
      temperature_degF: before.temperature_degF,
      api_gravity: before.api_gravity,
    });
    expect((await doc(edited).get()).get("audit.figures")).to.equal(undefined);
    expect((await doc(kept).get()).get("audit.figures.gross_volume_bbl")).to.equal(1);
    expect(first.written).to.be.at.least(1);
    expect(first.examined).to.be.at.least(4);
    expect((await backfillAuditedFigures(adminDb())).written).to.equal(0);
    // The write of audit.figures alone is no reason to audit again under the current rules: once
    // the control's later change is audited, the legacy entry's event has been handled.
    await doc(control).update({ gross_volume_bbl: 1234.5 });
    await waitForDoc(`production_entries/${control}`, (snap) => snap.get("audit.rules_version") !== "2025.1", 60_000);
    await sleep(1_000);
    const settled = (await doc(legacy).get()).data()!;
    expect(settled.audit.rules_version).to.equal("2025.1");
    expect(settled.audit.checked_at).to.deep.equal(before.audit.checked_at);
  });

  it("marks reports and adjustments made before releases as released as they were made; never touches one with a release", async () => {
    const legacy = uniqueId("legacy-report");
    const made = Timestamp.fromDate(new Date("2026-09-02T07:00:00Z"));
    await adminDb().doc(`reconciliations/${legacy}`).set({ terminal_receipt_id: "r", version: 1, status: "completed", created_at: made });
    const waiting = uniqueId("waiting-report");
    const pending = { release_required: true, released: false, released_by: null, released_at: null, release_note: null };
    await adminDb()
      .doc(`reconciliations/${waiting}`)
      .set({ terminal_receipt_id: "r", version: 1, status: "completed", created_at: made, ...pending });
    const legacyAdjustment = uniqueId("legacy-adj");
    await adminDb().doc(`prior_period_adjustments/${legacyAdjustment}`).set({ partner_id: "p", delta_bbl: 1, status: "pending" });
    const heldAdjustment = uniqueId("held-adj");
    await adminDb()
      .doc(`prior_period_adjustments/${heldAdjustment}`)
      .set({ partner_id: "p", delta_bbl: 1, status: "pending", released: false });

    const first = await backfillReleases(adminDb());
    expect(first.written).to.be.at.least(2);
    const doc = async (path: string) => (await adminDb().doc(path).get()).data()!;
    const migrated = await doc(`reconciliations/${legacy}`);
    expect(migrated).to.deep.include({ release_required: false, released: true, released_by: null, release_note: null });
    expect((migrated.released_at as Timestamp).isEqual(made)).to.equal(true);
    expect(await doc(`reconciliations/${waiting}`)).to.deep.include(pending);
    expect((await doc(`prior_period_adjustments/${legacyAdjustment}`)).released).to.equal(true);
    expect((await doc(`prior_period_adjustments/${heldAdjustment}`)).released).to.equal(false);
    expect((await backfillReleases(adminDb())).written).to.equal(0);
  });

  it("marks an entry as it is when written, whatever changed since it was listed", async () => {
    const partner = uniqueId("legacy");
    const { start } = isolatedPeriod(1);
    const noted = await legacyEntry({ ...soundEntry(uniqueId("ln"), partner, start), status: "flagged" });
    const decided = await legacyEntry({ ...soundEntry(uniqueId("ld"), partner, new Date(start.getTime() + 3_600_000)), status: "flagged" });
    const listed = await Promise.all([noted, decided].map((id) => adminDb().doc(`production_entries/${id}`).get()));
    // Meanwhile an operator edits a note (the auditor skips it: no mark written) and a
    // coordinator rejects the other (reviewEntry writes its mark itself).
    await adminDb().doc(`production_entries/${noted}`).update({ note: "gauge re-read" });
    await adminDb()
      .doc(`production_entries/${decided}`)
      .update({ review: { decision: "rejected", by: "c1" }, "audit.awaiting_review": false });

    const written = await markReviewAwaited(adminDb(), listed);

    expect(written).to.equal(1);
    expect(await mark(noted)).to.equal(true);
    expect(await mark(decided)).to.equal(false);
  });

  it("creates people/{uid} for accounts given a role before it existed, without email; none for an account without a role; never overwrites one", async () => {
    const named = uniqueId("legacy-named");
    const unnamed = uniqueId("legacy-unnamed");
    const roleless = uniqueId("legacy-roleless");
    await adminAuth().createUser({ uid: named, email: `${named}@example.test`, displayName: "Ines Carvalho" });
    await adminAuth().setCustomUserClaims(named, { role: "jv_partner", partner_id: "p1" });
    await adminAuth().createUser({ uid: unnamed, email: `${unnamed}@example.test` });
    await adminAuth().setCustomUserClaims(unnamed, { role: "auditor" });
    await adminAuth().createUser({ uid: roleless, email: `${roleless}@example.test` });

    const first = await backfillPeople(adminDb(), adminAuth());

    expect((await adminDb().doc(`people/${named}`).get()).data()).to.deep.equal({ display_name: "Ines Carvalho", role: "jv_partner" });
    expect((await adminDb().doc(`people/${unnamed}`).get()).data()).to.deep.equal({ display_name: null, role: "auditor" });
    expect((await adminDb().doc(`people/${roleless}`).get()).exists).to.equal(false);
    expect(first.written).to.be.at.least(2);
    expect((await backfillPeople(adminDb(), adminAuth())).written).to.equal(0);
  });

  it("does not overwrite people/{uid} that setUserRole wrote after the accounts were listed", async () => {
    const uid = uniqueId("legacy-race");
    await adminAuth().createUser({ uid, email: `${uid}@example.test`, displayName: "Old Name" });
    await adminAuth().setCustomUserClaims(uid, { role: "auditor" });
    const listed = await adminAuth().getUser(uid);
    // setUserRole writes people/{uid} first, then the claims: the listing above is older.
    await adminDb().doc(`people/${uid}`).set({ display_name: "New Name", role: "admin" });

    expect(await createPeople(adminDb(), [listed])).to.equal(0);
    expect((await adminDb().doc(`people/${uid}`).get()).data()).to.deep.equal({ display_name: "New Name", role: "admin" });
  });
});
