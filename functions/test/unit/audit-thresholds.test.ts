/**
 * The auditor's thresholds as users rely on them: each value pinned as a literal, each band's
 * edge checked through the rules, and the documented table (docs/auditor.md) read back and
 * compared with the configuration, so neither can change without the other.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { AUDIT_CONFIG, RULES_VERSION } from "../../src/domain/audit-config";
import { evaluateRules } from "../../src/domain/audit-rules";
import { decideVerdict } from "../../src/domain/audit-verdict";
import * as limits from "../../src/domain/mpms-limits";
import type { ProductionEntry } from "../../src/domain/production-entry";
import { soundProductionEntry } from "../support/sound-entry";

const NOW = new Date("2025-03-14T12:00:00.000Z");

function verdictOf(overrides: Partial<ProductionEntry>): string {
  const entry = soundProductionEntry({ meter_factor: 1.0, ...overrides });
  return decideVerdict(evaluateRules(entry, { now: NOW, partner: { exists: true, active: true }, duplicateEntryIds: [] }));
}

describe("auditor thresholds (pinned)", () => {
  it("are exactly the published values of rules version 2025.3", () => {
    expect(RULES_VERSION).to.equal("2025.3");
    expect(AUDIT_CONFIG).to.deep.equal({
      bsw: { typicalMaxPercent: 1.0, maxAcceptablePercent: 5.0 },
      meterFactor: { flagBelow: 0.95, flagAbove: 1.05, rejectBelow: 0.9, rejectAbove: 1.1 },
      futureToleranceMs: 300_000,
      measuredAtFloor: new Date("2000-01-01T00:00:00Z"),
      statistics: {
        window: 30,
        minHistory: 5,
        zThreshold: 3.5,
        spreadFloor: {
          gross_volume_bbl: { absolute: 1, relative: 0.01 },
          bsw_percent: { absolute: 0.1, relative: 0 },
          temperature_degF: { absolute: 1, relative: 0 },
          api_gravity: { absolute: 0.2, relative: 0 },
        },
      },
    });
    expect([limits.TEMPERATURE_MIN_DEGF, limits.TEMPERATURE_MAX_DEGF]).to.deep.equal([-58, 302]);
    expect([limits.PRESSURE_MAX_PSIG, limits.ABSOLUTE_VACUUM_PSIG]).to.deep.equal([1500, -14.696]);
    expect([limits.DENSITY_MIN_KG_M3, limits.DENSITY_MAX_KG_M3]).to.deep.equal([610.6, 1163.5]);
  });

  const bands: [string, Partial<ProductionEntry>, string][] = [
    ["BS&W at the typical maximum, 1.0 %", { bsw_percent: 1.0 }, "validated"],
    ["BS&W just above it, 1.01 %", { bsw_percent: 1.01 }, "flagged"],
    ["BS&W at the acceptable maximum, 5.0 %", { bsw_percent: 5.0 }, "flagged"],
    ["BS&W just above it, 5.01 %", { bsw_percent: 5.01 }, "rejected"],
    ["meter factor 0.95", { meter_factor: 0.95 }, "validated"],
    ["meter factor 0.9499", { meter_factor: 0.9499 }, "flagged"],
    ["meter factor 1.05", { meter_factor: 1.05 }, "validated"],
    ["meter factor 1.0501", { meter_factor: 1.0501 }, "flagged"],
    ["meter factor 0.90", { meter_factor: 0.9 }, "flagged"],
    ["meter factor 0.8999", { meter_factor: 0.8999 }, "rejected"],
    ["meter factor 1.10", { meter_factor: 1.1 }, "flagged"],
    ["meter factor 1.1001", { meter_factor: 1.1001 }, "rejected"],
    ["temperature 302 °F", { temperature_degF: 302 }, "validated"],
    ["temperature 302.1 °F", { temperature_degF: 302.1 }, "rejected"],
    ["temperature −58 °F", { temperature_degF: -58 }, "validated"],
    ["temperature −58.1 °F", { temperature_degF: -58.1 }, "rejected"],
    ["pressure 1500 psig", { pressure_psig: 1500 }, "validated"],
    ["pressure 1500.1 psig", { pressure_psig: 1500.1 }, "rejected"],
    ["measured 5 min ahead of the clock", { measured_at: new Date(NOW.getTime() + 300_000) }, "validated"],
    ["measured 5 min 1 s ahead", { measured_at: new Date(NOW.getTime() + 301_000) }, "rejected"],
    ["measured at the floor, 2000-01-01", { measured_at: new Date("2000-01-01T00:00:00Z") }, "validated"],
    ["measured a second before it", { measured_at: new Date("1999-12-31T23:59:59Z") }, "rejected"],
    ["gross 0.01 bbl", { gross_volume_bbl: 0.01 }, "validated"],
    ["gross 0 bbl", { gross_volume_bbl: 0 }, "rejected"],
  ];
  for (const [name, overrides, expected] of bands) {
    it(`${name} is ${expected}`, () => expect(verdictOf(overrides)).to.equal(expected));
  }
});

describe("docs/auditor.md thresholds table", () => {
  const doc = readFileSync(join(__dirname, "../../../docs/auditor.md"), "utf8");
  const row = (check: string): string[] => {
    const line = doc.split("\n").find((l) => l.startsWith(`| ${check} |`));
    if (!line) throw new Error(`docs/auditor.md has no thresholds row for ${check}`);
    return line
      .replace(/\\\|/g, "¦")
      .split("|")
      .slice(2, -1)
      .map((cell) => cell.trim());
  };
  const numbers = (cell: string) => (cell.replace(/−/g, "-").match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

  it("documents the rules version it describes", () => {
    expect(doc).to.contain(`### Thresholds (RULES_VERSION ${RULES_VERSION})`.replace("###", "##"));
  });

  it("states the BS&W, meter-factor and future-time limits the configuration holds", () => {
    const [bswFlag, bswReject] = row("BS&W");
    expect(numbers(bswFlag)[0]).to.equal(AUDIT_CONFIG.bsw.typicalMaxPercent);
    expect(numbers(bswReject)[0]).to.equal(AUDIT_CONFIG.bsw.maxAcceptablePercent);
    const [mfFlag, mfReject] = row("meter factor");
    const mf = AUDIT_CONFIG.meterFactor;
    expect(numbers(mfFlag)).to.deep.equal([mf.flagBelow, mf.flagAbove]);
    expect(numbers(mfReject)).to.deep.equal([mf.rejectBelow, mf.rejectAbove]);
    expect(numbers(row("measured_at")[1])[0] * 60_000).to.equal(AUDIT_CONFIG.futureToleranceMs);
    expect(row("measured_at")[1]).to.contain(`before ${AUDIT_CONFIG.measuredAtFloor.toISOString().slice(0, 10)}`);
  });

  it("states the standard's temperature, pressure and density limits", () => {
    expect(numbers(row("temperature")[1]).slice(0, 2)).to.deep.equal([limits.TEMPERATURE_MIN_DEGF, limits.TEMPERATURE_MAX_DEGF]);
    const pressure = numbers(row("pressure")[1]);
    expect(pressure.slice(0, 2)).to.deep.equal([limits.PRESSURE_MAX_PSIG, limits.ABSOLUTE_VACUUM_PSIG]);
    expect(numbers(row("API gravity")[1]).slice(1, 3)).to.deep.equal([limits.DENSITY_MIN_KG_M3, limits.DENSITY_MAX_KG_M3]);
  });

  it("states the statistics window, minimum history and z threshold", () => {
    const stats = AUDIT_CONFIG.statistics;
    expect(numbers(row("statistics")[0])[0]).to.equal(stats.zThreshold);
    expect(doc).to.contain(`the meter's ${stats.window} most recent *accepted* entries`);
    expect(doc).to.contain(`or the partner's while the meter has fewer than ${stats.minHistory}`);
    expect(doc).to.contain(`With fewer than ${stats.minHistory} accepted entries no statistical reason is raised`);
  });
});
