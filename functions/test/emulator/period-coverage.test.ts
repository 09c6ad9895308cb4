// periodCoverage through the Functions emulator: the contract days each partner and meter of a
// receipt's period has no used entry on, as the close would take the entries.
import { expect } from "chai";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import type { PeriodCoverageResult } from "../../src/agents/accountant/period-coverage";

const db = () => adminDb();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const coordinator = (): TestUser => ({ uid: uniqueId("coverage-coord"), role: "jv_coordinator" });

describe("periodCoverage", () => {
  it("names the partner without entries, the day whose only entry was rejected and each meter's missing days; reads nothing it writes", async () => {
    const tag = uniqueId("cov");
    const [a, b, gone] = [`${tag}-a`, `${tag}-b`, `${tag}-gone`];
    await seedPartner(db(), a, "Partner A");
    await seedPartner(db(), b, "Partner B");
    await seedPartner(db(), gone, "Gone Oil", false);
    const { start, end } = isolatedPeriod(3);
    const day = (n: number) => new Date(start.getTime() + n * DAY).toISOString().slice(0, 10);
    const at = (n: number) => new Date(start.getTime() + n * DAY + 8 * HOUR);
    await seedEntries(db(), [
      { ...soundEntry(`${tag}-1`, a, at(0)), meter_id: "M1" },
      { ...soundEntry(`${tag}-2`, a, at(1)), meter_id: "M1", status: "rejected" },
      // Flagged without a review yet: it blocks reconcile, and it covers its day.
      { ...soundEntry(`${tag}-3`, a, at(2)), meter_id: "M2", status: "flagged" },
    ]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const before = (await db().collection("production_entries").where("partner_id", "==", a).get()).docs.map((d) =>
      d.updateTime.toMillis(),
    );

    const answer = await callFunction<PeriodCoverageResult>("periodCoverage", { terminal_receipt_id: `${tag}-r` }, coordinator());
    expect(answer.error, JSON.stringify(answer.error)).to.equal(undefined);
    const coverage = answer.result!;
    expect(coverage).to.deep.include({ terminal_receipt_id: `${tag}-r`, days: [day(0), day(1), day(2)], complete: false });
    expect(coverage.entries_read).to.equal(3);
    const ours = coverage.partners.filter((p) => p.partner_id.startsWith(tag));
    expect(ours.map((p) => p.partner_id)).to.deep.equal([a, b]);
    expect(ours[0]).to.deep.equal({
      partner_id: a,
      name: "Partner A",
      active: true,
      entries: 3,
      used: 1,
      days_without_entries: [],
      days_only_excluded: [day(1)],
      meters: [
        { meter_id: "M1", entries: 2, days_without_entries: [day(2)], days_only_excluded: [day(1)] },
        { meter_id: "M2", entries: 1, days_without_entries: [day(0), day(1)], days_only_excluded: [] },
      ],
    });
    expect(ours[1]).to.deep.include({ name: "Partner B", entries: 0, used: 0, days_without_entries: [day(0), day(1), day(2)], meters: [] });
    const after = (await db().collection("production_entries").where("partner_id", "==", a).get()).docs.map((d) => d.updateTime.toMillis());
    expect(after).to.deep.equal(before);
  });

  it("expects a partner that left the JV to cover the period's days before it left only", async () => {
    const tag = uniqueId("covleft");
    const left = `${tag}-left`;
    await seedPartner(db(), left, "Left Oil", false);
    const { start, end } = isolatedPeriod(3);
    const day = (n: number) => new Date(start.getTime() + n * DAY).toISOString().slice(0, 10);
    await db()
      .doc(`partners/${left}`)
      .update({ left_jv_on: day(1), left_at: new Date(start.getTime() + DAY) });
    await seedEntries(db(), [{ ...soundEntry(`${tag}-1`, left, new Date(start.getTime() + 8 * HOUR)), meter_id: "L1" }]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const answer = await callFunction<PeriodCoverageResult>("periodCoverage", { terminal_receipt_id: `${tag}-r` }, coordinator());
    expect(answer.error, JSON.stringify(answer.error)).to.equal(undefined);
    const ours = answer.result!.partners.find((p) => p.partner_id === left);
    expect(ours).to.deep.include({ active: false, left_jv_on: day(1), entries: 1, days_without_entries: [], days_only_excluded: [] });
    expect(ours!.meters).to.deep.equal([{ meter_id: "L1", entries: 1, days_without_entries: [], days_only_excluded: [] }]);
  });

  it("is refused to a partner user, and for a receipt that does not exist", async () => {
    const partner = await callFunction(
      "periodCoverage",
      { terminal_receipt_id: "x" },
      { uid: "cov-p", role: "jv_partner", partner_id: "p" },
    );
    expect(partner.error!.status).to.equal("PERMISSION_DENIED");
    const missing = await callFunction("periodCoverage", { terminal_receipt_id: uniqueId("cov-missing") }, coordinator());
    expect(missing.error!.status).to.equal("NOT_FOUND");
    expect(missing.error!.message).to.match(/^Terminal receipt cov-missing.* does not exist\.$/);
    const bad = await callFunction("periodCoverage", { terminal_receipt_id: "a/b" }, coordinator());
    expect(bad.error!.status).to.equal("INVALID_ARGUMENT");
  });
});
