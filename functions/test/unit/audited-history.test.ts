import { expect } from "chai";
import { auditedFigures, auditedHistoryRow } from "../../src/domain/audited-history";
import { auditInputHash } from "../../src/domain/production-entry";
import { scoreAgainstHistory } from "../../src/domain/robust-stats";
import { AUDIT_CONFIG } from "../../src/domain/audit-config";

const MEASURED_AT = new Date("2026-11-04T06:00:00Z");

function entry(gross: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partner_id: "p1",
    meter_id: "M-1",
    measured_at: MEASURED_AT,
    gross_volume_bbl: gross,
    bsw_percent: 0.4,
    temperature_degF: 80,
    api_gravity: 35,
    ...extra,
  };
}

/** An entry as the auditor leaves it: its audit keeps its figures and its input hash. */
function audited(gross: number): Record<string, unknown> {
  const e = entry(gross);
  return { ...e, audit: { status: "validated", history_eligible: true, input_hash: auditInputHash(e), figures: auditedFigures(e) } };
}

describe("audited history", () => {
  it("counts an entry by its figures as audited, also once it is edited and waits for its next audit", () => {
    const kept = audited(1000);
    expect(auditedHistoryRow(kept)).to.deep.equal({ gross_volume_bbl: 1000, bsw_percent: 0.4, temperature_degF: 80, api_gravity: 35 });
    expect(auditedHistoryRow({ ...kept, gross_volume_bbl: 1500 })?.gross_volume_bbl).to.equal(1000);
  });

  it("counts an entry audited before its audit kept its figures only while they are still the audited ones", () => {
    const e = entry(1000);
    const legacy = { ...e, audit: { status: "validated", history_eligible: true, input_hash: auditInputHash(e) } };
    expect(auditedHistoryRow(legacy)?.gross_volume_bbl).to.equal(1000);
    expect(auditedHistoryRow({ ...legacy, gross_volume_bbl: 1500 })).to.equal(undefined);
  });

  it("keeps a figure that is not a number out of the statistics", () => {
    const row = auditedHistoryRow({
      ...audited(1000),
      audit: { input_hash: "x", figures: { ...auditedFigures(entry(1000)), api_gravity: null } },
    });
    expect(row?.api_gravity).to.be.NaN;
  });

  it("flags a meter's entries edited together: each is scored against the others as audited, not as edited", () => {
    // 30 validated entries of about 1,000 bbl, all then raised to 1,500 bbl in one batch write.
    const history = Array.from({ length: 29 }, (_, i) => ({ ...audited(990 + (i % 21)), gross_volume_bbl: 1500 }));
    const rows = history.map(auditedHistoryRow).filter((r) => r !== undefined);
    const scored = scoreAgainstHistory(
      { gross_volume_bbl: 1500, bsw_percent: 0.4, temperature_degF: 80, api_gravity: 35 },
      rows,
      AUDIT_CONFIG.statistics,
      "meter",
    );
    expect(scored.reasons.map((r) => r.field)).to.include("gross_volume_bbl");
    // As the edited figures they would have been scored against, nothing stands out.
    const asEdited = history.map((h) => ({
      gross_volume_bbl: h.gross_volume_bbl as number,
      bsw_percent: 0.4,
      temperature_degF: 80,
      api_gravity: 35,
    }));
    expect(
      scoreAgainstHistory(
        { gross_volume_bbl: 1500, bsw_percent: 0.4, temperature_degF: 80, api_gravity: 35 },
        asEdited,
        AUDIT_CONFIG.statistics,
        "meter",
      ).reasons,
    ).to.deep.equal([]);
  });
});
