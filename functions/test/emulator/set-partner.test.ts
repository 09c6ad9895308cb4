// setPartner through the Functions emulator (as the web app calls it): adding, renaming and
// deactivating a partner, recording the day it left the JV and its rejoining, each change one
// audit event, every refusal writing nothing. And setJvSettings moving a departure's left_at with
// the contract day.
import { expect } from "chai";
import { getApps } from "firebase-admin/app";
import { getFirestore, Timestamp, type DocumentData } from "firebase-admin/firestore";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { seedEntries, soundEntry } from "../support/seed";
import { directDeps } from "../support/communicator-world";
import { contractDayOf, contractDayStart } from "../../src/domain/jv-settings";
import { setPartner } from "../../src/agents/admin/set-partner";
import { setJvSettings } from "../../src/agents/admin/set-jv-settings";

const DAY = 86_400_000;
const six = { contract_day_start_hour: 6, utc_offset_minutes: 60 };
const admin = (): TestUser => ({ uid: uniqueId("admin"), role: "admin" });
const coordinator = (): TestUser => ({ uid: uniqueId("coord"), role: "jv_coordinator" });

interface Answer {
  partner: { partner_id: string; name: string; active: boolean; left_jv_on: string | null };
  changed: string[];
}
const set = (data: Record<string, unknown>, user: TestUser) => callFunction<Answer>("setPartner", data, user);
const partnerDoc = async (id: string) => (await adminDb().doc(`partners/${id}`).get()).data();

/** The partner's audit events, oldest first. */
async function events(id: string): Promise<DocumentData[]> {
  const snap = await adminDb().collection("audit_log").where("subject", "==", `partners/${id}`).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.seq - b.seq);
}

/**
 * Runs `work` with settings/jv holding `fields` over what it holds (written as the server, as other
 * tests do: closed days of other tests would refuse setJvSettings), then puts it back as it was.
 */
async function withSettings(fields: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
  const ref = adminDb().doc("settings/jv");
  const previous = await ref.get();
  await ref.set({ ...previous.data(), ...fields });
  try {
    await work();
  } finally {
    if (previous.exists) await ref.set(previous.data()!);
    else await ref.delete();
  }
}

/** A day a month ago on the 06:00 +01:00 contract day, and when it starts. */
function pastDeparture(): { day: string; start: Date } {
  const day = contractDayOf(new Date(Date.now() - 30 * DAY), six);
  return { day, start: contractDayStart(day, six) };
}

describe("setPartner", () => {
  it("adds a partner and renames it, each change one partner_set event with the fields before and after", async () => {
    const id = uniqueId("pt");
    const caller = admin();
    const added = await set({ partner_id: id, name: "  Cobalt Ltd " }, caller);
    expect(added.error, JSON.stringify(added.error)).to.equal(undefined);
    expect(added.result).to.deep.equal({
      partner: { partner_id: id, name: "Cobalt Ltd", active: true, left_jv_on: null },
      changed: ["name", "active"],
    });
    const stored = (await partnerDoc(id))!;
    expect(stored).to.include({ name: "Cobalt Ltd", active: true, updated_by: caller.uid });
    expect(stored.updated_at).to.be.instanceOf(Timestamp);
    expect(stored).to.not.have.any.keys("left_jv_on", "left_at");

    const renamed = await set({ partner_id: id, name: "Cobalt Energy plc" }, caller);
    expect(renamed.result).to.deep.equal({
      partner: { partner_id: id, name: "Cobalt Energy plc", active: true, left_jv_on: null },
      changed: ["name"],
    });
    expect((await partnerDoc(id))!.name).to.equal("Cobalt Energy plc");

    const logged = await events(id);
    expect(logged.map((e) => [e.action, e.stream, e.actor])).to.deep.equal([
      ["partner_set", "partners", caller.uid],
      ["partner_set", "partners", caller.uid],
    ]);
    expect(logged.map((e) => e.details)).to.deep.equal([
      {
        changed: ["name", "active"],
        before: { name: null, active: null },
        after: { name: "Cobalt Ltd", active: true },
        role: "admin",
        created: true,
      },
      { changed: ["name"], before: { name: "Cobalt Ltd" }, after: { name: "Cobalt Energy plc" }, role: "admin" },
    ]);

    // An addition of an id already in use (another admin's, added meanwhile) is refused, not a rename.
    const again = await set({ partner_id: id, name: "Cobalt Again", new_partner: true }, caller);
    expect(again.error?.status).to.equal("FAILED_PRECONDITION");
    expect(again.error?.message).to.match(/^The id .* is already partner Cobalt Energy plc: nothing was changed\./);
    expect((await partnerDoc(id))!.name).to.equal("Cobalt Energy plc");
    expect(await events(id)).to.have.length(2);
  });

  it("refuses a coordinator, writing nothing", async () => {
    const id = uniqueId("pt");
    const denied = await set({ partner_id: id, name: "Sneaky Ltd" }, coordinator());
    expect(denied.error?.status).to.equal("PERMISSION_DENIED");
    expect(await partnerDoc(id)).to.equal(undefined);
    expect(await events(id)).to.deep.equal([]);
  });

  it("refuses a new partner without a name, and a payload it cannot read, writing nothing", async () => {
    const id = uniqueId("pt");
    const nameless = await set({ partner_id: id, active: true }, admin());
    expect(nameless.error?.status).to.equal("NOT_FOUND");
    expect(nameless.error?.message).to.equal(`No partner "${id}" exists: to add it, give its name.`);
    const both = await set({ partner_id: id, name: "X", active: true, left_jv_on: "2026-01-01" }, admin());
    expect(both.error?.status).to.equal("INVALID_ARGUMENT");
    const badDay = await set({ partner_id: id, name: "X", left_jv_on: "2026-02-30" }, admin());
    expect(badDay.error?.message).to.equal("Invalid request: left_jv_on: must be a real calendar date");
    expect(await partnerDoc(id)).to.equal(undefined);
    expect(await events(id)).to.deep.equal([]);
  });

  it("records a departure with left_at at the start of its contract day (06:00 at +01:00), and clears it on rejoining", async () => {
    const id = uniqueId("pt");
    const caller = admin();
    expect((await set({ partner_id: id, name: "Departing Ltd" }, caller)).error).to.equal(undefined);
    const { day, start } = pastDeparture();
    // Half an hour before the day starts: still the day before, on this contract day.
    await seedEntries(adminDb(), [soundEntry(`${id}-e1`, id, new Date(start.getTime() - 30 * 60_000))]);
    await withSettings(six, async () => {
      const left = await set({ partner_id: id, left_jv_on: day }, caller);
      expect(left.error, JSON.stringify(left.error)).to.equal(undefined);
      expect(left.result).to.deep.equal({
        partner: { partner_id: id, name: "Departing Ltd", active: false, left_jv_on: day },
        changed: ["active", "left_jv_on"],
      });
    });
    const stored = (await partnerDoc(id))!;
    expect(stored).to.include({ active: false, left_jv_on: day, updated_by: caller.uid });
    expect((stored.left_at as Timestamp).toDate().toISOString()).to.equal(start.toISOString());
    expect(start.toISOString().slice(11)).to.equal("05:00:00.000Z");
    expect((await events(id)).at(-1)!.details).to.deep.equal({
      changed: ["active", "left_jv_on"],
      before: { active: true, left_jv_on: null },
      after: { active: false, left_jv_on: day },
      role: "admin",
    });

    const rejoined = await set({ partner_id: id, active: true }, caller);
    expect(rejoined.result).to.deep.equal({
      partner: { partner_id: id, name: "Departing Ltd", active: true, left_jv_on: null },
      changed: ["active", "left_jv_on"],
    });
    const back = (await partnerDoc(id))!;
    expect(back.active).to.equal(true);
    expect(back).to.not.have.any.keys("left_jv_on", "left_at");
    expect((await events(id)).map((e) => e.details.after)).to.deep.equal([
      { name: "Departing Ltd", active: true },
      { active: false, left_jv_on: day },
      { active: true, left_jv_on: null },
    ]);
  });

  it("refuses a departure while an entry of the partner was measured from that day on, naming the entry, writing nothing", async () => {
    const id = uniqueId("pt");
    const caller = admin();
    expect((await set({ partner_id: id, name: "Still Producing Ltd" }, caller)).error).to.equal(undefined);
    const { day, start } = pastDeparture();
    const nextDay = contractDayOf(new Date(start.getTime() + DAY), six);
    // Measured at the very start of the departure's day: on it, so after the partner left.
    await seedEntries(adminDb(), [soundEntry(`${id}-on`, id, start)]);
    const before = await adminDb().doc(`partners/${id}`).get();
    await withSettings(six, async () => {
      const refused = await set({ partner_id: id, left_jv_on: day }, caller);
      expect(refused.error?.status).to.equal("FAILED_PRECONDITION");
      expect(refused.error?.message).to.equal(
        `Partner Still Producing Ltd cannot be recorded as having left the JV on ${day}: its production entry ${id}-on was measured on contract day ${day}, on or after that day (its latest such entry), and a former partner has no production from the day it left. If that entry is wrong, correct its measured time; otherwise name a day after ${day}.`,
      );
      expect(refused.error?.details).to.deep.equal({ entry_id: `${id}-on`, entry_contract_day: day });
      // The latest of them is named, so that the day after it is a day that is accepted.
      await seedEntries(adminDb(), [soundEntry(`${id}-later`, id, new Date(start.getTime() + DAY + 60_000))]);
      const again = await set({ partner_id: id, left_jv_on: day }, caller);
      expect(again.error?.details).to.deep.equal({ entry_id: `${id}-later`, entry_contract_day: nextDay });
      // An entry of today's contract day: the departure can only be recorded from tomorrow on.
      await seedEntries(adminDb(), [soundEntry(`${id}-today`, id, new Date())]);
      const today = contractDayOf(new Date(), six);
      const tomorrow = contractDayOf(new Date(contractDayStart(today, six).getTime() + DAY), six);
      const producing = await set({ partner_id: id, left_jv_on: day }, caller);
      expect(producing.error?.message).to.match(
        new RegExp(
          `its production entry ${id}-today was measured on contract day ${today}, .*; otherwise record its departure on ${tomorrow} or later, once that day has come\\.$`,
        ),
      );
    });
    const after = await adminDb().doc(`partners/${id}`).get();
    expect(after.updateTime!.isEqual(before.updateTime!)).to.equal(true);
    expect(after.data()).to.include({ active: true });
    expect(await events(id)).to.have.length(1);
  });

  it("refuses a departure on a day after the current contract day, writing nothing", async () => {
    const id = uniqueId("pt");
    const caller = admin();
    expect((await set({ partner_id: id, name: "Future Ltd" }, caller)).error).to.equal(undefined);
    await withSettings(six, async () => {
      const today = contractDayOf(new Date(), six);
      const tomorrow = contractDayOf(new Date(contractDayStart(today, six).getTime() + DAY), six);
      const refused = await set({ partner_id: id, left_jv_on: tomorrow }, caller);
      expect(refused.error?.status).to.equal("FAILED_PRECONDITION");
      expect(refused.error?.message).to.match(
        new RegExp(
          `^Partner Future Ltd cannot be recorded as having left the JV on ${tomorrow}: that day is in the future \\(today is contract day \\d{4}-\\d{2}-\\d{2}\\)`,
        ),
      );
    });
    expect(await partnerDoc(id)).to.include({ active: true });
    expect(await partnerDoc(id)).to.not.have.any.keys("left_jv_on", "left_at");
    expect(await events(id)).to.have.length(1);
  });

  it("deactivates without a departure, and writes nothing for a call that changes nothing", async () => {
    const id = uniqueId("pt");
    const caller = admin();
    expect((await set({ partner_id: id, name: "Quiet Ltd" }, caller)).error).to.equal(undefined);
    const off = await set({ partner_id: id, active: false }, caller);
    expect(off.result).to.deep.equal({
      partner: { partner_id: id, name: "Quiet Ltd", active: false, left_jv_on: null },
      changed: ["active"],
    });
    const before = await adminDb().doc(`partners/${id}`).get();

    const same = await set({ partner_id: id, name: "Quiet Ltd", active: false, left_jv_on: null }, caller);
    expect(same.error, JSON.stringify(same.error)).to.equal(undefined);
    expect(same.result).to.deep.equal({ partner: { partner_id: id, name: "Quiet Ltd", active: false, left_jv_on: null }, changed: [] });
    const after = await adminDb().doc(`partners/${id}`).get();
    expect(after.updateTime!.isEqual(before.updateTime!)).to.equal(true);
    expect(await events(id)).to.have.length(2);
  });
});

describe("setJvSettings and former partners", () => {
  it("moves each former partner's left_at with the contract day, in the settings' transaction", async () => {
    // A database of its own: the shared one holds other tests' closed days, which fix the contract day.
    const db = getFirestore(getApps()[0]!, uniqueId("partner-days"));
    const deps = { ...directDeps("http://127.0.0.1:9/unused"), db };
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    const { day } = pastDeparture();
    await setPartner(deps, { partner_id: "gone", name: "Gone Ltd" }, caller);
    await setPartner(deps, { partner_id: "stays", name: "Stays Ltd" }, caller);
    await setPartner(deps, { partner_id: "gone", left_jv_on: day }, caller);
    const leftAt = async () => ((await db.doc("partners/gone").get()).get("left_at") as Timestamp).toDate().toISOString();
    expect(await leftAt()).to.equal(`${day}T00:00:00.000Z`);

    const moved = await setJvSettings(deps, six, caller);
    expect(moved.changed).to.deep.equal(["contract_day_start_hour", "utc_offset_minutes"]);
    expect(await leftAt()).to.equal(contractDayStart(day, six).toISOString());
    expect((await db.doc("partners/stays").get()).data()).to.not.have.any.keys("left_at", "left_jv_on");
    const event = (await db.collection("audit_log").where("action", "==", "jv_settings_changed").get()).docs[0]!.data();
    expect(event.details.partners_left_at_moved).to.deep.equal(["gone"]);
  });

  it("refuses a contract day under which a partner's entry would fall on or after the day it left, or before the day it joined, changing nothing", async () => {
    const db = getFirestore(getApps()[0]!, uniqueId("partner-days"));
    const deps = { ...directDeps("http://127.0.0.1:9/unused"), db };
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    const midnight = { contract_day_start_hour: 0, utc_offset_minutes: 0 };
    await setJvSettings(deps, six, caller);
    const { day, start } = pastDeparture();
    // At 03:00Z: the day before `day` under 06:00 at +01:00 (it starts at 05:00Z), `day` itself under midnight UTC.
    const at = new Date(`${day}T03:00:00Z`);
    await setPartner(deps, { partner_id: "gone", name: "Gone Ltd" }, caller);
    await seedEntries(db, [soundEntry("gone-1", "gone", at)]);
    await setPartner(deps, { partner_id: "gone", left_jv_on: day }, caller);
    const settingsEvents = async () => (await db.collection("audit_log").where("action", "==", "jv_settings_changed").get()).size;
    const eventsBefore = await settingsEvents();

    const refusal = async (work: Promise<unknown>) =>
      work.then(
        () => expect.fail("accepted"),
        (error: { code?: string; message: string }) => error,
      );
    const left = await refusal(setJvSettings(deps, midnight, caller));
    expect(left).to.include({ code: "failed-precondition" });
    expect(left.message).to.equal(
      `The contract day cannot change so: under it, Partner Gone Ltd's production entry gone-1 would fall on contract day ${day}, on or after the day it left the JV, ${day}. Nothing was changed; correct that entry's measured time, or the partner's departure day (setPartner), first.`,
    );
    expect(((await db.doc("partners/gone").get()).get("left_at") as Timestamp).toDate().toISOString()).to.equal(start.toISOString());
    expect((await db.doc("settings/jv").get()).data()).to.include(six);
    expect(await settingsEvents()).to.equal(eventsBefore);

    // A partner that joined on `day` with an entry at 00:30Z of it under midnight UTC: under 06:00 at +01:00 that is the day before.
    await db.doc("production_entries/gone-1").delete();
    await setJvSettings(deps, midnight, caller);
    await setPartner(deps, { partner_id: "late", name: "Late Ltd", joined_jv_on: day }, caller);
    const early = new Date(`${day}T00:30:00Z`);
    await seedEntries(db, [soundEntry("late-1", "late", early)]);
    const joined = await refusal(setJvSettings(deps, six, caller));
    expect(joined.message).to.equal(
      `The contract day cannot change so: under it, Partner Late Ltd's production entry late-1 would fall on contract day ${contractDayOf(early, six)}, before the day it joined the JV, ${day}. Nothing was changed; correct that entry's measured time, or the partner's joining day (setPartner), first.`,
    );
    expect((await db.doc("settings/jv").get()).data()).to.include(midnight);
  });
});
