/**
 * The close against what happens around it while it runs: entries moved or corrected between
 * the scan and the commit, stale marks written while an unchanged re-run clears one, two calls
 * on one receipt at once, and a superseding receipt reconciled again. The handler runs in this
 * process against the emulators; races are staged through a Firestore proxy that makes the
 * other write at the exact moment.
 */
import { expect } from "chai";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { adminDb, uniqueId, waitUntil } from "../support/emulator";
import {
  auditedEntry,
  isolatedPeriod,
  receiptOf,
  seedEntries,
  seedPartner,
  seedPendingAdjustment,
  seedReceipt,
  soundEntry,
  type EntrySeed,
} from "../support/seed";
import { manifestRowsOf } from "../../src/agents/accountant/manifest";
import { decideAdjustment } from "../../src/agents/accountant/decide-adjustment";
import { reconcile as reconcileHandler } from "../../src/agents/accountant/reconcile";
import { prepareStaleMarks, writeStaleMarks } from "../../src/shared/stale-marks";
import { CLOCK_MARGIN_MS } from "../../src/domain/close-in-progress";
import { STALE_ENTRY_IDS_LISTED } from "../../src/domain/version-corrections";
import { auditInputHash } from "../../src/domain/production-entry";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { directDeps } from "../support/communicator-world";
import { beforeFirstTransaction } from "../support/raced-db";

const db = () => adminDb();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const caller = { uid: "race-coordinator", role: "jv_coordinator" as const };
const dayId = (d: Date) => d.toISOString().slice(0, 10);
const monthDoc = (d: Date) => `closing_months/${dayId(d).slice(0, 7)}`;
type StoredRecord = { first_day: string; last_day: string; entry_ids: string[]; changes: number };

/** The call recorded in the day's month as closing the day (each test closes days of its own), if any. */
async function recordOn(target: Firestore, d: Date): Promise<[string, StoredRecord] | undefined> {
  const closes = ((await target.doc(monthDoc(d)).get()).get("closes") ?? {}) as Record<string, StoredRecord>;
  return Object.entries(closes).find(([, r]) => r.first_day <= dayId(d) && dayId(d) <= r.last_day);
}
async function manifestIds(reconciliationId: string): Promise<string[]> {
  const snap = await db().collection(`reconciliations/${reconciliationId}/inputs`).get();
  return snap.docs.flatMap((d) => manifestRowsOf(d.id, d.data()).map((r) => r.entry_id));
}
const plainDeps = (): AgentDeps => directDeps("http://127.0.0.1:9", { now: new Date() });

/**
 * An entry's new disposition committed as the auditor's transaction commits one: with the stale
 * marks of the days it was and is on, which tell a close in progress on them.
 */
async function auditorCommit(target: Firestore, seed: EntrySeed, days: readonly string[]): Promise<void> {
  await target.runTransaction(async (tx) => {
    const plan = await prepareStaleMarks(target, tx, days, [seed.id], { now: new Date() });
    tx.set(target.doc(`production_entries/${seed.id}`), { ...auditedEntry(seed), changed_at: FieldValue.serverTimestamp() });
    writeStaleMarks(tx, plan, new Date());
  });
}

/** Per day, whether a call is recorded as closing it (a withdrawn call leaves the month's document, without its record). */
async function closingRecords(days: readonly Date[]): Promise<boolean[]> {
  return Promise.all(days.map(async (d) => (await recordOn(db(), d)) !== undefined));
}

/** One partner's two sound entries (08:00 and 09:00) on a day of their own, and receipt `{tag}-r` for it. */
async function twoEntryDay(prefix: string) {
  const tag = uniqueId(prefix);
  const a = `${tag}-a`;
  await seedPartner(db(), a, "Partner A");
  const { start, end } = isolatedPeriod(1);
  const [e1, e2] = [`${a}-1`, `${a}-2`];
  await seedEntries(db(), [
    soundEntry(e1, a, new Date(start.getTime() + 8 * HOUR)),
    soundEntry(e2, a, new Date(start.getTime() + 9 * HOUR)),
  ]);
  await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 2000));
  return { tag, a, start, e1, e2 };
}

describe("reconcile: changes that race the close", () => {
  it("an entry moved OUT of the period between the scan and the close is not missed (no entry in two current reconciliations)", async () => {
    const tag = uniqueId("rmove");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start } = isolatedPeriod(2);
    const day1 = new Date(start.getTime() + DAY);
    const moved = `${a}-moved`;
    await seedEntries(db(), [
      soundEntry(moved, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(`${a}-keep`, a, new Date(start.getTime() + 9 * HOUR)),
      soundEntry(`${a}-next`, a, new Date(day1.getTime() + 8 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, day1, 2000));
    await seedReceipt(db(), receiptOf(`${tag}-r2`, day1, new Date(day1.getTime() + DAY), 2000));
    // An operator moves the entry to the next (open) day after the scan read it; the auditor's
    // transaction (measured fields audited, changed_at = server time) commits before the close.
    const raced = beforeFirstTransaction(db(), (target) =>
      auditorCommit(target, soundEntry(moved, a, new Date(day1.getTime() + 10 * HOUR)), [dayId(start), dayId(day1)]),
    );
    const r1 = await reconcileHandler({ ...plainDeps(), db: raced.db }, { terminal_receipt_id: `${tag}-r1` }, caller);
    expect(raced.ran()).to.equal(true);
    const r2 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r2` }, caller);
    const inR1 = (await manifestIds(r1.reconciliation_id)).includes(moved);
    const inR2 = (await manifestIds(r2.reconciliation_id)).includes(moved);
    const r1Stale = (await db().doc(`reconciliations/${r1.reconciliation_id}`).get()).get("stale") === true;
    // Either R1's version is stale (the change is not silently missing) or the entry is not in it.
    expect({ inR1, inR2, r1Stale, r1ResultStale: r1.stale ?? false }).to.satisfy(
      (s: { inR1: boolean; inR2: boolean; r1Stale: boolean }) => !(s.inR1 && s.inR2) || s.r1Stale,
      "entry counted in two current reconciliations, neither stale",
    );
  });

  it("changes on several days during a close leave each stale version listing only the entries of its own days", async () => {
    const tag = uniqueId("rlist");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start } = isolatedPeriod(2);
    const day1 = new Date(start.getTime() + DAY);
    const [corrected, moved] = [`${a}-corrected`, `${a}-moved`];
    await seedEntries(db(), [
      soundEntry(corrected, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(moved, a, new Date(start.getTime() + 9 * HOUR)),
      soundEntry(`${a}-next`, a, new Date(day1.getTime() + 8 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, day1, 2000));
    await seedReceipt(db(), receiptOf(`${tag}-r2`, day1, new Date(day1.getTime() + DAY), 1000));
    const r2 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r2` }, caller);
    // While r1 closes, one entry of its day is corrected and another moved onto r2's day.
    const raced = beforeFirstTransaction(db(), async (target) => {
      await auditorCommit(target, soundEntry(corrected, a, new Date(start.getTime() + 8 * HOUR), 1003), [dayId(start)]);
      await auditorCommit(target, soundEntry(moved, a, new Date(day1.getTime() + 10 * HOUR)), [dayId(start), dayId(day1)]);
    });
    const r1 = await reconcileHandler({ ...plainDeps(), db: raced.db }, { terminal_receipt_id: `${tag}-r1` }, caller);
    expect([raced.ran(), r1.stale]).to.deep.equal([true, true]);
    const staleIds = async (id: string) => {
      const snap = await db().doc(`reconciliations/${id}`).get();
      return { stale: snap.get("stale"), ids: [...(snap.get("stale_entry_ids") as string[])].sort() };
    };
    expect(await staleIds(r1.reconciliation_id)).to.deep.equal({ stale: true, ids: [corrected, moved].sort() });
    expect((await db().doc(`reconciliations/${r1.reconciliation_id}`).get()).get("stale_changes")).to.equal(2);
    expect(await staleIds(r2.reconciliation_id)).to.deep.equal({ stale: true, ids: [moved] });
    // The commit took the call's records off its day.
    expect(await closingRecords([start])).to.deep.equal([false]);
  });

  it("a change committed while an 'unchanged' re-run clears the stale mark is not wiped out", async () => {
    const { tag, a, start, e1, e2 } = await twoEntryDay("rclear");
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect(v1.version).to.equal(1);
    // A coordinator's correction that moves e1 within its day: the auditor marks v1 stale (no figure moves).
    const auditorStore = async (entryId: string, seed: EntrySeed) =>
      db().runTransaction(async (tx) => {
        const plan = await prepareStaleMarks(db(), tx, [dayId(start)], [entryId]);
        tx.set(db().doc(`production_entries/${entryId}`), { ...auditedEntry(seed), changed_at: FieldValue.serverTimestamp() });
        writeStaleMarks(tx, plan, new Date());
      });
    await auditorStore(e1, soundEntry(e1, a, new Date(start.getTime() + 8 * HOUR + 30 * 60_000)));
    expect((await db().doc(`reconciliations/${tag}-r_v1`).get()).get("stale")).to.equal(true);

    // The re-run scans and finds the same content; a real correction of e2 (gross 1000 -> 1010)
    // commits after its scan, just before it clears the mark (its first transaction).
    let slipped = false;
    const raced = new Proxy(db(), {
      get(target, key, receiver) {
        if (key !== "runTransaction" || slipped) return Reflect.get(target, key, receiver);
        return async (...args: Parameters<Firestore["runTransaction"]>) => {
          slipped = true;
          await auditorStore(e2, soundEntry(e2, a, new Date(start.getTime() + 9 * HOUR), 1010));
          return target.runTransaction(...args);
        };
      },
    });
    const rerun = await reconcileHandler({ ...plainDeps(), db: raced }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect(slipped).to.equal(true);
    // The mark came after the scan: the call read everything again and made v2 with e2's correction.
    expect([rerun.version, rerun.unchanged]).to.deep.equal([2, false]);
    const v2 = (await db().doc(`reconciliations/${tag}-r_v2`).get()).data()!;
    expect(v2.totals.field_gross_bbl).to.equal(2010);
    expect((await db().doc(`reconciliations/${tag}-r_v1`).get()).get("status")).to.equal("superseded");
    const again = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect([again.version, again.unchanged]).to.deep.equal([2, true]);
  });

  it("a correction committed between the scan and the close makes the version stale at once, and the next call restates it", async () => {
    const { tag, a, start, e2 } = await twoEntryDay("rduring");
    const raced = beforeFirstTransaction(db(), async (target) => {
      // While the scan runs, the call is recorded on its day.
      expect(await closingRecords([start])).to.deep.equal([true]);
      await auditorCommit(target, soundEntry(e2, a, new Date(start.getTime() + 9 * HOUR), 1010), [dayId(start)]);
    });
    const v1 = await reconcileHandler({ ...plainDeps(), db: raced.db }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect([raced.ran(), v1.version, v1.stale]).to.deep.equal([true, 1, true]);
    const stored = (await db().doc(`reconciliations/${v1.reconciliation_id}`).get()).data()!;
    expect([stored.stale, stored.stale_entry_ids, stored.stale_changes, stored.totals.field_gross_bbl]).to.deep.equal([
      true,
      [e2],
      1,
      2000,
    ]);
    expect(stored.stale_since).to.be.instanceOf(Timestamp);
    expect(stored.close_check_pending).to.equal(undefined);
    expect(await closingRecords([start])).to.deep.equal([false]);
    const v2 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect([v2.version, v2.unchanged, v2.stale ?? false, v2.totals.field_gross_bbl]).to.deep.equal([2, false, false, 2010]);
  });

  it("a change recorded after the call's records were written but before the scan read its entry is in the figures: the version is not stale", async () => {
    const { tag, a, start, e2 } = await twoEntryDay("rread");
    // The records' batch is committed, then the correction, then the scan starts.
    let corrected = false;
    const raced = new Proxy(db(), {
      get(target, key, receiver) {
        if (key !== "batch") return Reflect.get(target, key, receiver);
        return () => {
          const batch = target.batch();
          const commit = batch.commit.bind(batch);
          batch.commit = async () => {
            const written = await commit();
            if (!corrected) {
              corrected = true;
              await auditorCommit(target, soundEntry(e2, a, new Date(start.getTime() + 9 * HOUR), 1010), [dayId(start)]);
            }
            return written;
          };
          return batch;
        };
      },
    });
    // What the call's record held at its commit: the change, told by its own transaction.
    let told: unknown;
    const seen = beforeFirstTransaction(raced, async (target) => {
      told = (await recordOn(target, start))?.[1];
    });
    const v1 = await reconcileHandler({ ...plainDeps(), db: seen.db }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect([corrected, v1.version, v1.stale ?? false, v1.totals.field_gross_bbl]).to.deep.equal([true, 1, false, 2010]);
    expect(told).to.deep.include({ entry_ids: [e2], changes: 1 });
    const stored = (await db().doc(`reconciliations/${v1.reconciliation_id}`).get()).data()!;
    expect([stored.stale, stored.stale_entry_ids]).to.deep.equal([undefined, undefined]);
    expect(await closingRecords([start])).to.deep.equal([false]);
  });

  it("a record listing as many entries as it holds keeps every change it counts, read or not", async () => {
    const { tag, start } = await twoEntryDay("rfull");
    const listed = Array.from({ length: STALE_ENTRY_IDS_LISTED }, (_, i) => `${tag}-x${i}`);
    const raced = beforeFirstTransaction(db(), async (target) => {
      const ref = target.doc(monthDoc(start));
      const [callId] = (await recordOn(target, start))!;
      await ref.update({ [`closes.${callId}.entry_ids`]: listed, [`closes.${callId}.changes`]: 60 });
    });
    const v1 = await reconcileHandler({ ...plainDeps(), db: raced.db }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect([raced.ran(), v1.stale]).to.deep.equal([true, true]);
    const stored = (await db().doc(`reconciliations/${v1.reconciliation_id}`).get()).data()!;
    expect([stored.stale_entry_ids, stored.stale_changes]).to.deep.equal([listed, 60]);
  });

  it("a close whose records are gone before its commit reads the period again", async () => {
    const { tag, a, start, e2 } = await twoEntryDay("rgone");
    // The records go, and with them any trace of a change made meanwhile (written here past every
    // transaction that would have told the close): only a new reading can include it.
    const raced = beforeFirstTransaction(db(), async (target) => {
      await target.doc(monthDoc(start)).update({ [`closes.${(await recordOn(target, start))![0]}`]: FieldValue.delete() });
      await target.doc(`production_entries/${e2}`).set(auditedEntry(soundEntry(e2, a, new Date(start.getTime() + 9 * HOUR), 1010)));
    });
    const v1 = await reconcileHandler({ ...plainDeps(), db: raced.db }, { terminal_receipt_id: `${tag}-r` }, caller);
    expect([raced.ran(), v1.version, v1.stale ?? false, v1.totals.field_gross_bbl]).to.deep.equal([true, 1, false, 2010]);
    expect(await closingRecords([start])).to.deep.equal([false]);
  });

  it("a call refused after its scan, or returning its version unchanged, leaves no record on its days", async () => {
    const { tag, start } = await twoEntryDay("rleave");
    // 2,000 bbl measured against a 1,500 bbl ticket: outside the LUAF band, refused after the scan.
    await seedReceipt(db(), receiptOf(`${tag}-luaf`, start, new Date(start.getTime() + DAY), 1500));
    const refusal = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-luaf` }, caller).catch((e: unknown) => e);
    expect((refusal as Error).message).to.contain("LUAF");
    expect(await closingRecords([start])).to.deep.equal([false]);
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    // Stale with nothing moved: the re-run scans, finds the same content and returns v1.
    await db().doc(`reconciliations/${v1.reconciliation_id}`).update({ stale: true, stale_entry_ids: [], stale_changes: 1 });
    const again = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect([again.version, again.unchanged]).to.deep.equal([1, true]);
    expect(await closingRecords([start])).to.deep.equal([false]);
  });

  it("a close in progress is told of each change on its days once, in the first of its months; an expired one, one closing other days and an early mark are told nothing", async () => {
    const tag = uniqueId("ronce");
    // The last day of a month and the first of the next, among days no other test uses.
    const { start } = isolatedPeriod(40);
    let last = new Date(start.getTime() + 5 * DAY);
    while (new Date(last.getTime() + DAY).getUTCDate() !== 1) last = new Date(last.getTime() + DAY);
    const next = new Date(last.getTime() + DAY);
    const earlier = new Date(last.getTime() - 5 * DAY);
    const [callId, expiredId, otherId, nextOnlyId] = ["0123456789abcdef", "fedcba9876543210", "00000000000000aa", "00000000000000bb"];
    const record = (first: Date, lastDay: Date, expiresAtMs = Date.now() + 60_000) => ({
      expires_at: Timestamp.fromMillis(expiresAtMs),
      first_day: dayId(first),
      last_day: dayId(lastDay),
      entry_ids: [],
      changes: 0,
    });
    await db()
      .doc(monthDoc(last))
      .set(
        {
          closes: {
            [callId]: record(last, next),
            // Expired more than the two sides' clock margin ago.
            [expiredId]: record(last, next, Date.now() - CLOCK_MARGIN_MS - 1_000),
            [otherId]: record(earlier, earlier),
          },
        },
        { merge: true },
      );
    await db()
      .doc(monthDoc(next))
      .set({ closes: { [callId]: record(last, next), [nextOnlyId]: record(next, next) } }, { merge: true });
    const change = (tellCloses = true) =>
      db().runTransaction(async (tx) => {
        const plan = await prepareStaleMarks(db(), tx, [dayId(last), dayId(next)], [`${tag}-e`], { now: new Date(), tellCloses });
        writeStaleMarks(tx, plan, new Date());
        return plan.closes.map((c) => [c.ref.id, c.callId]);
      });
    // A call recorded only in the second of the change's months is told there.
    expect(await change()).to.deep.equal([
      [dayId(last).slice(0, 7), callId],
      [dayId(next).slice(0, 7), nextOnlyId],
    ]);
    await change();
    // The auditor's early mark of a flagged entry changes no disposition: the verdict's store tells.
    expect(await change(false)).to.deep.equal([]);
    const first = (await db().doc(monthDoc(last)).get()).get("closes");
    expect(first[callId]).to.deep.include({ entry_ids: [`${tag}-e`], changes: 2 });
    // An expired call (one that died without its commit) is told nothing, nor one closing other days.
    expect(first[expiredId]).to.deep.include({ entry_ids: [], changes: 0 });
    expect(first[otherId]).to.deep.include({ entry_ids: [], changes: 0 });
    const second = (await db().doc(monthDoc(next)).get()).get("closes");
    expect(second[callId]).to.deep.include({ entry_ids: [], changes: 0 });
    expect(second[nextOnlyId]).to.deep.include({ entry_ids: [`${tag}-e`], changes: 2 });
    await db()
      .doc(monthDoc(last))
      .update({
        [`closes.${callId}`]: FieldValue.delete(),
        [`closes.${expiredId}`]: FieldValue.delete(),
        [`closes.${otherId}`]: FieldValue.delete(),
      });
    await db()
      .doc(monthDoc(next))
      .update({ [`closes.${callId}`]: FieldValue.delete(), [`closes.${nextOnlyId}`]: FieldValue.delete() });
  });

  it("a version whose post-close check never ran, with nothing missed, is answered unchanged by the next call's scan", async () => {
    const tag = uniqueId("rdied0");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect((await db().doc(`reconciliations/${v1.reconciliation_id}`).get()).get("close_check_pending")).to.equal(undefined);
    // As a version made before closes were recorded on their days was left by a call that died before its check.
    await db().doc(`reconciliations/${v1.reconciliation_id}`).update({ close_check_pending: true });
    const next = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    expect([next.version, next.unchanged]).to.deep.equal([1, true]);
    expect((await db().doc(`reconciliations/${v1.reconciliation_id}`).get()).get("close_check_pending")).to.equal(undefined);
  });

  it("two quick corrections moving an entry off a closed day leave the day's reconciliation stale", async function () {
    this.timeout(200_000);
    const tag = uniqueId("rtwice");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start } = isolatedPeriod(2);
    const day1 = new Date(start.getTime() + DAY);
    const e = `${a}-e`;
    await seedEntries(db(), [
      soundEntry(e, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(`${a}-x`, a, new Date(start.getTime() + 9 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, day1, 2000));
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r1` }, caller);
    expect(v1.version).to.equal(1);
    const ref = db().doc(`production_entries/${e}`);
    // A coordinator moves the entry to the next (open) day, then at once fixes its gross.
    await ref.update({
      measured_at: new Date(day1.getTime() + 8 * HOUR),
      correction_note: "wrong day",
      corrected_by: "c",
      corrected_at: new Date(),
    });
    await ref.update({ gross_volume_bbl: 1005, correction_note: "and the gross", corrected_at: new Date(Date.now() + 1) });
    const finalHash = auditInputHash((await ref.get()).data());
    await waitUntil("the final audit", async () => (await ref.get()).get("audit.input_hash") === finalHash, 150_000);
    const stored = (await db().doc(`reconciliations/${tag}-r1_v1`).get()).data()!;
    expect([stored.stale, stored.stale_entry_ids]).to.deep.equal([true, [e]]);
    // Day 0 now holds one entry of 1,000 bbl against a 2,000 bbl receipt: the re-run says so.
    const rerun = await reconcileHandler(
      plainDeps(),
      { terminal_receipt_id: `${tag}-r1`, acknowledge_luaf: { note: "the entry belonged to the next day" } },
      caller,
    );
    expect([rerun.version, rerun.unchanged, rerun.totals.entries_used]).to.deep.equal([2, false, 1]);
  });

  it("an adjustment approved while two first reconciliations of one receipt race is carried once, by the version that stands", async () => {
    const tag = uniqueId("rcarry");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const adjRef = await seedPendingAdjustment(db(), tag, a, { start: new Date(start.getTime() - 2 * DAY), end: start }, 1.5);
    const adjId = adjRef.id;
    // Call X has read the (still pending) adjustments and scanned; before its close, the adjustment
    // is approved and call Y reconciles the same receipt first, carrying it in v1.
    let other: Awaited<ReturnType<typeof reconcileHandler>> | undefined;
    const raced = new Proxy(db(), {
      get(target, key, receiver) {
        if (key !== "runTransaction") return Reflect.get(target, key, receiver);
        return async (...args: Parameters<Firestore["runTransaction"]>) => {
          if (!other) {
            await decideAdjustment(
              plainDeps(),
              { adjustment_id: adjRef.id, decision: "approved", note: "ok" },
              { uid: "c2", role: "jv_coordinator" },
            );
            other = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
          }
          return target.runTransaction(...args);
        };
      },
    });
    const x = await reconcileHandler({ ...plainDeps(), db: raced }, { terminal_receipt_id: `${tag}-r` }, caller);
    const carried = async (id: string) =>
      ((await db().doc(`reconciliations/${id}`).get()).get("prior_period_adjustments") as Array<{ id: string }>).map((c) => c.id);
    // X, prepared without it, found Y's version at its close and answered with it.
    expect({ y: other?.reconciliation_id, x: x.reconciliation_id, unchanged: x.unchanged }).to.deep.equal({
      y: `${tag}-r_v1`,
      x: `${tag}-r_v1`,
      unchanged: true,
    });
    expect(await carried(`${tag}-r_v1`)).to.include(adjId);
    expect((await adjRef.get()).get("carried_in")).to.equal(`${tag}-r_v1`);
    expect((await db().doc(`terminal_receipts/${tag}-r`).get()).get("latest_reconciliation_id")).to.equal(`${tag}-r_v1`);
  });

  it("a content-neutral re-run of a stale superseding receipt returns its version (no new version where nothing moved)", async () => {
    const tag = uniqueId("rsup");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start, end } = isolatedPeriod(2);
    const e0 = `${a}-0`;
    await seedEntries(db(), [
      soundEntry(e0, a, new Date(start.getTime() + 8 * HOUR)),
      soundEntry(`${a}-1`, a, new Date(start.getTime() + DAY + 8 * HOUR)),
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, end, 2000));
    await seedReceipt(db(), { ...receiptOf(`${tag}-r3`, start, end, 2000), supersedes_receipt_id: `${tag}-r1` });
    await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r1` }, caller);
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r3` }, caller);
    expect(v1.version).to.equal(1);
    const before = (await db().doc(`reconciliations/${tag}-r3_v1`).get()).data()!;
    expect(before.supersedes_receipt).to.deep.equal({ terminal_receipt_id: `${tag}-r1`, reconciliation_id: `${tag}-r1_v1` });
    // A coordinator moves e0 within its day (the auditor marks r3_v1 stale; no figure moves).
    await db().runTransaction(async (tx) => {
      const plan = await prepareStaleMarks(db(), tx, [dayId(start)], [e0]);
      tx.set(db().doc(`production_entries/${e0}`), {
        ...auditedEntry(soundEntry(e0, a, new Date(start.getTime() + 9 * HOUR))),
        changed_at: FieldValue.serverTimestamp(),
      });
      writeStaleMarks(tx, plan, new Date());
    });
    const rerun = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r3` }, caller);
    const latest = (await db().doc(`reconciliations/${rerun.reconciliation_id}`).get()).data()!;
    expect({ version: rerun.version, unchanged: rerun.unchanged, stale: latest.stale }).to.deep.equal({
      version: 1,
      unchanged: true,
      stale: false,
    });
    expect(latest.supersedes_receipt).to.deep.equal({ terminal_receipt_id: `${tag}-r1`, reconciliation_id: `${tag}-r1_v1` });

    // A real change makes v2, which still names what the receipt replaced and leaves r1 as it was.
    await db().runTransaction(async (tx) => {
      const plan = await prepareStaleMarks(db(), tx, [dayId(start)], [e0]);
      tx.set(db().doc(`production_entries/${e0}`), {
        ...auditedEntry(soundEntry(e0, a, new Date(start.getTime() + 9 * HOUR), 1007.5)),
        changed_at: FieldValue.serverTimestamp(),
      });
      writeStaleMarks(tx, plan, new Date());
    });
    const v2 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r3` }, caller);
    expect([v2.version, v2.unchanged]).to.deep.equal([2, false]);
    const second = (await db().doc(`reconciliations/${tag}-r3_v2`).get()).data()!;
    expect(second.supersedes_receipt).to.deep.equal({ terminal_receipt_id: `${tag}-r1`, reconciliation_id: `${tag}-r1_v1` });
    const r1 = (await db().doc(`reconciliations/${tag}-r1_v1`).get()).data()!;
    expect([r1.status, r1.superseded_by]).to.deep.equal(["superseded", `${tag}-r3_v1`]);
  });
  it("a superseding receipt whose replaced receipt is reconciled meanwhile supersedes that new version (no day counted twice)", async () => {
    const tag = uniqueId("rrace");
    const a = `${tag}-a`;
    await seedPartner(db(), a, "Partner A");
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r1`, start, end, 1000));
    await seedReceipt(db(), { ...receiptOf(`${tag}-r3`, start, end, 1001), supersedes_receipt_id: `${tag}-r1` });
    // r3 reads r1 without a version; r1 is reconciled just before r3's commit.
    let raced = false;
    const racing = new Proxy(db(), {
      get(target, key, receiver) {
        if (key !== "runTransaction" || raced) return Reflect.get(target, key, receiver);
        return async (...args: Parameters<Firestore["runTransaction"]>) => {
          raced = true;
          await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r1` }, caller);
          return target.runTransaction(...args);
        };
      },
    });
    const r3 = await reconcileHandler({ ...plainDeps(), db: racing }, { terminal_receipt_id: `${tag}-r3` }, caller);
    expect(raced).to.equal(true);
    expect(r3.reconciliation_id).to.equal(`${tag}-r3_v1`);
    const r1 = (await db().doc(`reconciliations/${tag}-r1_v1`).get()).data()!;
    expect([r1.status, r1.superseded_by]).to.deep.equal(["superseded", `${tag}-r3_v1`]);
    const report = (await db().doc(`reconciliations/${tag}-r3_v1`).get()).data()!;
    expect(report.supersedes_receipt).to.deep.equal({ terminal_receipt_id: `${tag}-r1`, reconciliation_id: `${tag}-r1_v1` });
    expect(
      (
        await db()
          .doc(`closed_days/${dayId(start)}`)
          .get()
      ).get("reconciliation_id"),
    ).to.equal(`${tag}-r3_v1`);
  });
});
