import { expect } from "chai";
import { RULES_VERSION } from "../../src/domain/audit-config";
import { bblToCb } from "../../src/domain/cent-barrels";
import { entryDisposition } from "../../src/domain/entry-disposition";
import { auditInputHash, productionDay } from "../../src/domain/production-entry";
import { ROLES } from "../../src/shared/collections";
import { buildDataset, DEMO_DAY, PERIOD_DAYS, PERIOD_END, PERIOD_START, SEED } from "../../../scripts/seed/dataset";

describe("demo dataset (scripts/seed/dataset.ts, exported to emulator-data/)", () => {
  const dataset = buildDataset();

  it("is deterministic: the same seed builds the same data, another seed other data", () => {
    expect(buildDataset(SEED)).to.deep.equal(dataset);
    expect(JSON.stringify(buildDataset(SEED + 1).entries.map((e) => e.fields.gross_volume_bbl))).to.not.equal(
      JSON.stringify(dataset.entries.map((e) => e.fields.gross_volume_bbl)),
    );
  });

  it("tells the same story whatever the seed: no ordinary reading is ever an outlier", function () {
    this.timeout(60_000);
    // buildDataset throws when any entry's verdict differs from its story.
    for (let seed = 1; seed <= 5; seed += 1)
      expect(buildDataset(seed).summary.verdicts, `seed ${seed}`).to.deep.equal(dataset.summary.verdicts);
  });

  it("has at least five active partners and a user for every role, every partner-bound role for every partner", () => {
    expect(dataset.partners.length).to.be.at.least(5);
    for (const role of ROLES)
      expect(
        dataset.users.some((u) => u.role === role),
        role,
      ).to.equal(true);
    for (const p of dataset.partners) {
      expect(
        dataset.users.some((u) => u.role === "field_operator" && u.partner_id === p.id),
        p.id,
      ).to.equal(true);
      expect(
        dataset.users.some((u) => u.role === "jv_partner" && u.partner_id === p.id),
        p.id,
      ).to.equal(true);
    }
    expect(new Set(dataset.users.map((u) => u.email)).size).to.equal(dataset.users.length);
  });

  it("holds one entry per meter per day for 60 days, with plausible crude properties", () => {
    const meters = dataset.partners.flatMap((p) => p.meters);
    const meterDays = new Set(dataset.entries.map((e) => `${productionDay(e.fields.measured_at)} ${e.fields.meter_id}`));
    expect(meterDays.size).to.equal(PERIOD_DAYS * meters.length);
    const ordinary = dataset.entries.filter((e) => e.story === "normal" || e.story === "spike_correction" || e.story === "typo_correction");
    expect(ordinary.length).to.equal(PERIOD_DAYS * meters.length - 1); // the BS&W day has only its anomaly
    for (const { fields } of ordinary) {
      expect(fields.measured_at.getTime()).to.be.within(PERIOD_START.getTime(), PERIOD_END.getTime() - 1);
      expect(fields.api_gravity).to.be.within(28, 42);
      expect(fields.bsw_percent).to.be.within(0.1, 0.8);
      expect(fields.temperature_degF).to.be.within(60, 120);
      expect(fields.pressure_psig).to.be.within(0, 50);
      expect(fields.meter_factor).to.be.within(0.998, 1.002);
      expect(fields.created_at.getTime()).to.be.greaterThan(fields.measured_at.getTime());
    }
  });

  it("seeds audits the auditor takes as current: input hash of the fields, current rules version", () => {
    for (const e of dataset.entries) {
      expect(e.audit.input_hash, e.id).to.equal(auditInputHash({ ...e.fields, audit: e.audit, review: e.review }));
      expect(e.audit.rules_version).to.equal(RULES_VERSION);
      expect(e.audit.explanation.source).to.equal("rules");
      expect(e.audit.checked_at.getTime()).to.be.greaterThan(e.fields.created_at.getTime());
      if (e.review) expect(e.review.input_hash).to.equal(e.audit.input_hash);
    }
  });

  it("has real anomalies only where the story puts them, and every flagged entry reviewed", () => {
    const anomalies = dataset.entries.filter((e) => e.audit.status !== "validated");
    expect(anomalies.map((e) => [e.story, e.audit.status, e.review?.decision ?? null])).to.deep.equal([
      ["volume_spike", "flagged", "rejected"],
      ["spike_correction", "flagged", "approved"],
      ["bsw_water_breakthrough", "flagged", "approved"],
      ["temperature_typo", "rejected", null],
      ["typo_correction", "flagged", "approved"],
      ["double_submission", "flagged", "rejected"],
    ]);
    const spike = anomalies[0];
    const fix = anomalies[1];
    expect(spike.fields.gross_volume_bbl / fix.fields.gross_volume_bbl).to.be.closeTo(5, 0.001);
    expect(anomalies[2].fields.bsw_percent).to.equal(3);
    expect(anomalies[3].fields.temperature_degF).to.be.greaterThan(800);
    // Nothing in the period blocks a reconciliation.
    for (const e of dataset.entries) {
      const kind = entryDisposition({ ...e.fields, audit: e.audit, review: e.review }).kind;
      expect(kind, e.id).to.be.oneOf(["used", "excluded"]);
    }
    // history_eligible as the auditor and the review callable leave it.
    for (const e of dataset.entries) {
      expect(e.audit.history_eligible, e.id).to.equal(e.audit.status === "validated" || e.review?.decision === "approved");
    }
  });

  it("has a terminal receipt for the period a few tenths of a percent under the field, in gross and in NSV", () => {
    const r = dataset.receipt.fields;
    expect(r.period_start).to.deep.equal(PERIOD_START);
    expect(r.period_end).to.deep.equal(PERIOD_END);
    const s = dataset.summary;
    const grossUnder = 1 - s.terminal_gross_bbl / s.field_gross_bbl;
    expect(grossUnder).to.be.within(0.001, 0.008);
    expect(s.shrinkage_percent).to.be.within(0.1, 0.8);
    expect(bblToCb(s.terminal_nsv_bbl)).to.be.lessThan(bblToCb(s.field_nsv_bbl));
  });

  it("lets the demo's operators report the next day: one entry per meter, the workover jump flagged, the rest validated", () => {
    const meters = dataset.partners.flatMap((p) => p.meters.map((m) => m.id));
    expect(dataset.demo.entries.map((e) => e.fields.meter_id)).to.deep.equal(meters);
    for (const e of dataset.demo.entries) expect(productionDay(e.fields.measured_at)).to.equal(productionDay(DEMO_DAY));
    expect(
      dataset.demo.entries.filter((e) => e.expected_verdict === "flagged").map((e) => [e.fields.partner_id, e.expected_codes]),
    ).to.deep.equal([["northwind", ["GROSS_VOLUME_OUTLIER"]]]);
    expect(dataset.demo.entries.filter((e) => e.expected_verdict === "validated")).to.have.length(meters.length - 1);
    const gross = dataset.demo.entries.reduce((sum, e) => sum + e.fields.gross_volume_bbl, 0);
    expect(1 - dataset.demo.receipt.gross_volume_bbl / gross).to.be.within(0.001, 0.008);
  });
});
