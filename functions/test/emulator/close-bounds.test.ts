import { expect } from "chai";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { entryData, seedPartner as seedLivePartner, waitForAudit } from "../support/production-entries";
import { isolatedPeriod, seedEntries, seedPartner, seedReceipt, type EntrySeed } from "../support/seed";

const db = () => adminDb();
const coordinator = (): TestUser => ({ uid: uniqueId("coord"), role: "jv_coordinator" });

describe("monthly close: bounded ids and reports", () => {
  it("rejects an entry written around the rules with a 1,490-byte id, and reviewEntry refuses such an id as an argument", async () => {
    const partner = await seedLivePartner();
    const id = `long${"x".repeat(1486)}`;
    await db().doc(`production_entries/${id}`).set(entryData(partner));
    const audit = await waitForAudit(id);
    expect(audit.status).to.equal("rejected");
    expect(audit.reasons.map((r: { code: string }) => r.code)).to.include("SCHEMA_ENTRY_ID");

    const review = await callFunction("reviewEntry", { entry_id: id, decision: "rejected" }, coordinator());
    expect(review.error!.status).to.equal("INVALID_ARGUMENT");
    expect(JSON.stringify(review.error!.details)).to.contain("1 to 64 characters");
    const reconcile = await callFunction("reconcile", { terminal_receipt_id: id }, coordinator());
    expect(reconcile.error!.status).to.equal("INVALID_ARGUMENT");
  });

  it("reconciles a period with 2,000 excluded entries: the report keeps a preview, the count and a digest; the list sits beside it", async function () {
    this.timeout(120_000);
    const tag = uniqueId("many");
    const [a, b] = [`${tag}-a`, `${tag}-b`];
    await seedPartner(db(), a);
    await seedPartner(db(), b);
    const { start, end } = isolatedPeriod(1);
    const at = new Date(start.getTime() + 3_600_000);
    const seeds: EntrySeed[] = [
      {
        id: `${a}-used`,
        partner_id: a,
        measured_at: at,
        gross_volume_bbl: 1000,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "validated",
      },
      {
        id: `${b}-used`,
        partner_id: b,
        measured_at: at,
        gross_volume_bbl: 1000,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "validated",
      },
    ];
    for (let i = 0; i < 2000; i += 1) {
      // 64-character ids, the longest the rules allow, each rejected on review.
      const id = `${tag}-${String(i).padStart(5, "0")}`.padEnd(64, "z");
      seeds.push({
        id,
        partner_id: i % 2 ? a : b,
        measured_at: at,
        gross_volume_bbl: 10,
        bsw_percent: 0.5,
        temperature_degF: 60,
        api_gravity: 30,
        status: "flagged",
        review: "rejected",
      });
    }
    await seedEntries(db(), seeds);
    await seedReceipt(db(), {
      id: `${tag}-r`,
      period_start: start,
      period_end: end,
      gross_volume_bbl: 1990,
      bsw_percent: 0.5,
      temperature_degF: 60,
      api_gravity: 30,
    });

    const { result, error } = await callFunction<{ reconciliation_id: string; totals: Record<string, number> }>(
      "reconcile",
      { terminal_receipt_id: `${tag}-r` },
      coordinator(),
    );
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result!.totals).to.include({ entries_used: 2, entries_excluded: 2000 });
    const report = await db().doc(`reconciliations/${result!.reconciliation_id}`).get();
    expect(report.get("excluded")).to.have.length(20);
    expect(report.get("exclusions")).to.deep.include({ rows: 2000, chunks: 2 });
    expect(report.get("exclusions_digest")).to.match(/^[0-9a-f]{64}$/);
    const chunks = await db().collection(`reconciliations/${result!.reconciliation_id}/exclusions`).get();
    const rows = chunks.docs.flatMap((d) => d.get("rows") as Array<{ entry_id: string; reason: string }>);
    expect(rows).to.have.length(2000);
    expect(new Set(rows.map((r) => r.reason))).to.deep.equal(new Set(["rejected on review by seed-coordinator"]));

    const verified = await callFunction<{ ok: boolean; checks: Array<{ check: string; ok: boolean }> }>(
      "verifyReconciliation",
      { reconciliation_id: result!.reconciliation_id },
      coordinator(),
    );
    expect(
      verified.result!.checks.filter((c) => !c.ok),
      JSON.stringify(verified.result),
    ).to.deep.equal([]);
    expect(verified.result!.checks.map((c) => c.check)).to.include("exclusions_digest");
  });
});
