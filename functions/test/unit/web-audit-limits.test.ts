/**
 * The web app's entry form shows the auditor's thresholds from its own copy
 * (web/src/domain/audit-limits.ts: the browser bundle must not pull in the functions' sources).
 * This keeps the copy equal to the auditor's configuration and the standard's limits.
 */
import { expect } from "chai";
import { AUDIT_CONFIG, RULES_VERSION } from "../../src/domain/audit-config";
import * as mpms from "../../src/domain/mpms-limits";
import { AUDIT_LIMITS, MPMS_LIMITS, WEB_RULES_VERSION } from "../../../web/src/domain/audit-limits";
import { fieldHint, refusedFields } from "../../../web/src/domain/entry-checks";
import { evaluateRules, RULE_CODES } from "../../src/domain/audit-rules";
import { soundProductionEntry } from "../support/sound-entry";

const context = { now: new Date("2025-03-14T12:00:00.000Z"), partner: { exists: true, active: true }, duplicateEntryIds: [] };

describe("the web app's copy of the auditor's limits", () => {
  it("is for the auditor's rules version", () => {
    expect(WEB_RULES_VERSION).to.equal(RULES_VERSION);
  });

  it("has the auditor's BS&W, meter-factor, clock-skew and statistics thresholds", () => {
    expect(AUDIT_LIMITS.bsw).to.deep.equal(AUDIT_CONFIG.bsw);
    expect(AUDIT_LIMITS.meterFactor).to.deep.equal(AUDIT_CONFIG.meterFactor);
    expect(AUDIT_LIMITS.futureToleranceMs).to.equal(AUDIT_CONFIG.futureToleranceMs);
    const { window, minHistory, zThreshold } = AUDIT_CONFIG.statistics;
    expect(AUDIT_LIMITS.statistics).to.deep.equal({ window, minHistory, zThreshold });
  });

  it("has the standard's limits of API MPMS Ch. 11.1", () => {
    expect(MPMS_LIMITS).to.deep.equal({
      densityMinKgM3: mpms.DENSITY_MIN_KG_M3,
      densityMaxKgM3: mpms.DENSITY_MAX_KG_M3,
      waterDensity60FKgM3: mpms.WATER_DENSITY_60F_KG_M3,
      apiGravityMinApprox: mpms.API_GRAVITY_MIN_APPROX,
      apiGravityMaxApprox: mpms.API_GRAVITY_MAX_APPROX,
      temperatureMinDegF: mpms.TEMPERATURE_MIN_DEGF,
      temperatureMaxDegF: mpms.TEMPERATURE_MAX_DEGF,
      pressureMaxPsig: mpms.PRESSURE_MAX_PSIG,
      absoluteVacuumPsig: mpms.ABSOLUTE_VACUUM_PSIG,
    });
  });

  // The form's hints judge a value as the auditor's range checks do, on both sides of each limit.
  it("judges API gravity on density exactly as the standard's range check", () => {
    for (const api of [-10.5, -10.004, -10, 0, 35, 100, 100.011, 100.02, 150]) {
      const rejectedByStandard = mpms.apiGravityProblem(api) !== undefined;
      expect(fieldHint("api_gravity", String(api)).level === "critical", `API ${api}`).to.equal(rejectedByStandard);
    }
  });

  it("judges temperature and pressure as the standard's range checks", () => {
    for (const t of [-58.1, -58, 85, 302, 302.1]) {
      expect(fieldHint("temperature_degF", String(t)).level === "critical", `${t} °F`).to.equal(mpms.temperatureProblem(t) !== undefined);
    }
    for (const p of [-15, -14.696, -5, 0, 1500, 1500.5]) {
      expect(fieldHint("pressure_psig", String(p)).level === "critical", `${p} psig`).to.equal(mpms.pressureProblem(p) !== undefined);
    }
  });

  it("flags and rejects BS&W and meter factors at the auditor's thresholds", () => {
    expect(fieldHint("bsw_percent", "1.0").level).to.equal("ok");
    expect(fieldHint("bsw_percent", "1.01").level).to.equal("warning");
    expect(fieldHint("bsw_percent", "5.0").level).to.equal("warning");
    expect(fieldHint("bsw_percent", "5.01").level).to.equal("critical");
    expect(fieldHint("meter_factor", "0.95").level).to.equal("ok");
    expect(fieldHint("meter_factor", "0.9499").level).to.equal("warning");
    expect(fieldHint("meter_factor", "1.1").level).to.equal("warning");
    expect(fieldHint("meter_factor", "1.1001").level).to.equal("critical");
    expect(fieldHint("gross_volume_bbl", "0").level).to.equal("critical");
    for (const gross of [0.004, 0.005, 0.0050000001, 0.005000000001, 0.0050001, 0.006, 0.01]) {
      const rejectedByRules = evaluateRules(soundProductionEntry({ gross_volume_bbl: gross }), context).some(
        (r) => r.code === RULE_CODES.grossVolumeNotPositive,
      );
      expect(fieldHint("gross_volume_bbl", String(gross)).level === "critical", `${gross} bbl`).to.equal(rejectedByRules);
    }
    expect(fieldHint("gross_volume_bbl", "").level).to.equal("ok");
  });

  // What the security rules refuse (validMeasurement in firestore.rules) cannot be saved; what
  // only the auditor flags or rejects can.
  it("tells values the rules refuse from values the auditor flags or rejects", () => {
    for (const [field, raw, refused] of [
      ["gross_volume_bbl", "-5", true],
      ["gross_volume_bbl", "0", true],
      ["gross_volume_bbl", "0.004", false],
      ["bsw_percent", "-0.1", true],
      ["bsw_percent", "100", true],
      ["bsw_percent", "6", false],
      ["meter_factor", "0", true],
      ["meter_factor", "0.5", false],
      ["temperature_degF", "1002", false],
      ["pressure_psig", "-20", false],
    ] as const) {
      expect(fieldHint(field, raw).refused === true, `${field} ${raw}`).to.equal(refused);
      expect(fieldHint(field, raw).level, `${field} ${raw}`).to.equal("critical");
    }
    expect(fieldHint("gross_volume_bbl", "-5").message).to.equal("cannot be saved: must be above 0 bbl");
    const values = {
      gross_volume_bbl: "-5",
      bsw_percent: "6",
      temperature_degF: "100",
      api_gravity: "35",
      pressure_psig: "",
      meter_factor: "0",
    };
    expect(refusedFields(values)).to.deep.equal(["Gross volume must be above 0 bbl", "Meter factor must be above 0"]);
  });
});
