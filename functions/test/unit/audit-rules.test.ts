import { bblToCb } from "../../src/domain/cent-barrels";
import { expect } from "chai";
import { AUDIT_CONFIG } from "../../src/domain/audit-config";
import { evaluateRules, RULE_CODES, type RuleContext } from "../../src/domain/audit-rules";
import type { AuditReason, ProductionEntry } from "../../src/domain/production-entry";
import { soundProductionEntry } from "../support/sound-entry";

const NOW = new Date("2025-03-14T12:00:00.000Z");

const entry = soundProductionEntry;

function context(overrides: Partial<RuleContext> = {}): RuleContext {
  return { now: NOW, partner: { exists: true, active: true }, duplicateEntryIds: [], ...overrides };
}

function rules(overrides: Partial<ProductionEntry> = {}, ctx: Partial<RuleContext> = {}): AuditReason[] {
  return evaluateRules(entry(overrides), context(ctx));
}

function codes(reasons: AuditReason[]): string[] {
  return reasons.map((r) => r.code);
}

/** The single reason an entry raises, checked for code, field and severity. */
function only(reasons: AuditReason[], code: string, field: string, severity: AuditReason["severity"]): AuditReason {
  expect(codes(reasons)).to.deep.equal([code]);
  expect(reasons[0].field).to.equal(field);
  expect(reasons[0].severity).to.equal(severity);
  return reasons[0];
}

describe("evaluateRules", () => {
  it("finds nothing wrong with a sound entry", () => {
    expect(rules()).to.deep.equal([]);
  });

  describe("gross volume", () => {
    it("accepts the smallest positive volume", () => {
      expect(rules({ gross_volume_bbl: 0.01 })).to.deep.equal([]);
      expect(rules({ gross_volume_bbl: 0.0051 })).to.deep.equal([]);
    });

    it("rejects zero and negative volumes", () => {
      // 0.004 and 0.005 round (half to even) to 0.00 bbl: the engine cannot measure them either.
      for (const volume of [0, -0, -1, 0.004, 0.005]) {
        const reasons = rules({ gross_volume_bbl: volume });
        const reason = only(reasons, RULE_CODES.grossVolumeNotPositive, "gross_volume_bbl", "critical");
        expect(reason.message).to.include("greater than 0");
      }
    });
  });

  it("rejects a volume too large to allocate to 0.01 bbl, without throwing", () => {
    // 2e13 bbl is within the engine's own limit but not the reconciliation's exact cent-barrel sums (MAX_BBL_CB).
    for (const volume of [1e11, 2e13, 1e14, 1e300, Number.MAX_VALUE]) {
      only(rules({ gross_volume_bbl: volume }), RULE_CODES.grossVolumeTooLarge, "gross_volume_bbl", "critical");
    }
    expect(rules({ gross_volume_bbl: 1e9 })).to.deep.equal([]);
    expect(rules({ gross_volume_bbl: 99_999_999_999.99 })).to.deep.equal([]);
    // A hundred entries at the limit still sum to exact cent-barrels.
    expect(() => bblToCb(100 * 99_999_999_999.99)).to.not.throw();
  });

  describe("BS&W", () => {
    const { typicalMaxPercent, maxAcceptablePercent } = AUDIT_CONFIG.bsw;

    it("accepts 0 % and the typical maximum itself", () => {
      expect(rules({ bsw_percent: 0 })).to.deep.equal([]);
      expect(rules({ bsw_percent: typicalMaxPercent })).to.deep.equal([]);
    });

    it("warns just above the typical level, up to and including the acceptance limit", () => {
      for (const bsw of [typicalMaxPercent + 0.01, maxAcceptablePercent]) {
        const reason = only(rules({ bsw_percent: bsw }), RULE_CODES.bswAboveTypical, "bsw_percent", "warning");
        expect(reason.message).to.include(`${bsw} %`).and.include(`${typicalMaxPercent} %`);
      }
    });

    it("is critical just above the acceptance limit", () => {
      const reasons = rules({ bsw_percent: maxAcceptablePercent + 0.01 });
      const reason = only(reasons, RULE_CODES.bswAboveLimit, "bsw_percent", "critical");
      expect(reason.message).to.include(`${maxAcceptablePercent} %`);
    });

    it("rejects a negative BS&W and 100 % or more as physically impossible", () => {
      for (const bsw of [-0.01, 100, 250]) {
        only(rules({ bsw_percent: bsw }), RULE_CODES.bswOutOfRange, "bsw_percent", "critical");
      }
      expect(codes(rules({ bsw_percent: 99.99 }))).to.deep.equal([RULE_CODES.bswAboveLimit]);
    });
  });

  describe("limits of the measurement standard", () => {
    it("accepts temperatures at both limits and rejects just outside them", () => {
      expect(rules({ temperature_degF: -58 })).to.deep.equal([]);
      expect(rules({ temperature_degF: 302 })).to.deep.equal([]);
      for (const t of [-58.1, 302.1]) {
        const reasons = rules({ temperature_degF: t });
        const reason = only(reasons, RULE_CODES.temperatureOutOfRange, "temperature_degF", "critical");
        expect(reason.message).to.include(String(t).replace("-", "−")).and.include("net standard volume").and.not.match(/-\d/);
      }
    });

    it("names the field once, by its label, with the value and the range in its unit", () => {
      const [temperature] = rules({ temperature_degF: 1002 });
      expect(temperature.message).to.equal(
        "Temperature 1002 °F is outside the standard's range of −58 to 302 °F. No net standard volume can be computed " +
          "outside the limits of API MPMS Ch. 11.1. Check the reading and that it is in °F, not °C.",
      );
      const [pressure] = rules({ pressure_psig: -20 });
      expect(pressure.message).to.match(
        /^Pressure -20 psig is below absolute vacuum \(-14.696 psig\); the standard's range is 0 to 1500 psig/,
      );
      const [gravity] = rules({ api_gravity: 100.02 });
      expect(gravity.message).to.match(/^API gravity 100.02 °API is outside the standard's range of −10 to 100 °API \(density/);
      for (const reason of [temperature, pressure, gravity]) expect(reason.message).to.not.include(reason.field);
    });

    it("accepts pressures up to 1500 psig and rejects above", () => {
      expect(rules({ pressure_psig: 0 })).to.deep.equal([]);
      expect(rules({ pressure_psig: 1500 })).to.deep.equal([]);
      only(rules({ pressure_psig: 1500.5 }), RULE_CODES.pressureOutOfRange, "pressure_psig", "critical");
    });

    it("notes a small negative pressure as counted as 0 psig without changing the verdict", () => {
      const reason = only(rules({ pressure_psig: -5 }), RULE_CODES.pressureNegative, "pressure_psig", "info");
      expect(reason.message).to.include("-5 psig");
      expect(codes(rules({ pressure_psig: -14.696 }))).to.deep.equal([RULE_CODES.pressureNegative]);
    });

    it("rejects a gauge pressure below absolute vacuum", () => {
      only(rules({ pressure_psig: -20 }), RULE_CODES.pressureOutOfRange, "pressure_psig", "critical");
    });

    it("accepts API gravity at -10 and 100 °API read at 60 °F and 0 psig, and rejects just outside (density 1163.5 / 610.6 kg/m3)", () => {
      expect(rules({ api_gravity: -10, temperature_degF: 60, pressure_psig: 0 })).to.deep.equal([]);
      expect(rules({ api_gravity: 100, temperature_degF: 60, pressure_psig: 0 })).to.deep.equal([]);
      for (const api of [-10.01, 100.02]) {
        const reason = only(rules({ api_gravity: api }), RULE_CODES.apiGravityOutOfRange, "api_gravity", "critical");
        expect(reason.message).to.include(String(api).replace("-", "−"));
      }
    });

    it("rejects a gravity inside the limits as read whose density at 60 °F is outside them (Table 5A)", () => {
      // 99 °API read at -50 °F is about 126 °API at 60 °F; -10 °API read at 86.5 °F about -10.8.
      for (const [api, t] of [
        [99, -50],
        [-10, 86.5],
      ]) {
        const reason = only(rules({ api_gravity: api, temperature_degF: t }), RULE_CODES.apiGravityOutOfRange, "api_gravity", "critical");
        expect(reason.message).to.include("density at 60 °F").and.include("net standard volume");
      }
    });

    it("reports every reading outside the limits, one reason each", () => {
      const reasons = rules({ api_gravity: 120, temperature_degF: 400, pressure_psig: 2000 });
      expect(codes(reasons)).to.have.members([
        RULE_CODES.apiGravityOutOfRange,
        RULE_CODES.temperatureOutOfRange,
        RULE_CODES.pressureOutOfRange,
      ]);
      expect(reasons.every((r) => r.severity === "critical")).to.equal(true);
    });
  });

  describe("meter factor", () => {
    const band = AUDIT_CONFIG.meterFactor;

    it("accepts factors at the edges of the usual band", () => {
      expect(rules({ meter_factor: band.flagBelow })).to.deep.equal([]);
      expect(rules({ meter_factor: band.flagAbove })).to.deep.equal([]);
    });

    it("flags factors just outside the usual band, up to the plausible limits", () => {
      for (const mf of [band.flagBelow - 0.0001, band.flagAbove + 0.0001, band.rejectBelow, band.rejectAbove]) {
        const reason = only(rules({ meter_factor: mf }), RULE_CODES.meterFactorUnusual, "meter_factor", "warning");
        expect(reason.message).to.include(String(mf));
      }
    });

    it("rejects factors outside the plausible limits", () => {
      for (const mf of [band.rejectBelow - 0.0001, band.rejectAbove + 0.0001, 0, 10]) {
        only(rules({ meter_factor: mf }), RULE_CODES.meterFactorImplausible, "meter_factor", "critical");
      }
    });
  });

  describe("measured_at", () => {
    const tolerance = AUDIT_CONFIG.futureToleranceMs;

    it("accepts a measurement up to the clock-skew tolerance ahead of now", () => {
      expect(rules({ measured_at: NOW })).to.deep.equal([]);
      expect(rules({ measured_at: new Date(NOW.getTime() + tolerance) })).to.deep.equal([]);
    });

    it("rejects a measurement beyond the tolerance", () => {
      const at = new Date(NOW.getTime() + tolerance + 1);
      const reason = only(rules({ measured_at: at }), RULE_CODES.measuredInFuture, "measured_at", "critical");
      // To the minute, as people read a time: "2025-03-14 12:05 UTC", not "2025-03-14T12:05:00.001Z".
      expect(reason.message).to.match(
        /^Measurement time 2025-03-14 12:05 UTC is more than 5 min after the audit time 2025-03-14 12:00 UTC;/,
      );
    });

    it("says roughly how far ahead the measurement is", () => {
      const message = (aheadMs: number) => rules({ measured_at: new Date(NOW.getTime() + aheadMs) })[0].message;
      expect(message(3 * 3600_000 + 59 * 60_000)).to.include("more than 3 h after");
      expect(message(6 * 86_400_000 + 1)).to.include("more than 6 days after");
    });

    it("rejects a measurement before the 2000-01-01 floor (0001-01-01 was once validated)", () => {
      for (const [iso, shown] of [
        ["0001-01-01T00:00:00.000Z", "0001-01-01 00:00 UTC"],
        ["1999-12-31T23:59:59.999Z", "1999-12-31 23:59 UTC"],
      ]) {
        const reason = only(rules({ measured_at: new Date(iso) }), RULE_CODES.measuredTooOld, "measured_at", "critical");
        expect(reason.message).to.include(`Measurement time ${shown} is before 2000-01-01`);
      }
      expect(rules({ measured_at: new Date("2000-01-01T00:00:00.000Z") })).to.deep.equal([]);
    });

    it("rejects a measurement whose contract day is before the JV's start date, and accepts its first day", () => {
      const start = { jvStartDate: "2024-09-01" };
      const reason = only(
        rules({ measured_at: new Date("2024-08-31T23:59:00.000Z") }, start),
        RULE_CODES.measuredBeforeJvStart,
        "measured_at",
        "critical",
      );
      expect(reason.message).to.include("contract day 2024-08-31").and.include("start date 2024-09-01 (in the JV settings)");
      expect(reason.message).to.not.include("settings/jv");
      expect(rules({ measured_at: new Date("2024-09-01T00:00:00.000Z") }, start)).to.deep.equal([]);
      // The contract day decides, not the UTC date: 02:00Z on 1 Sep is still 31 Aug's day when days start at 06:00.
      const early = rules({ measured_at: new Date("2024-09-01T02:00:00.000Z") }, { ...start, contractDay: "2024-08-31" });
      expect(codes(early)).to.deep.equal([RULE_CODES.measuredBeforeJvStart]);
      expect(rules({ measured_at: new Date("2024-08-01T00:00:00.000Z") }, { jvStartDate: null })).to.deep.equal([]);
    });

    it("uses the `now` it is given, not the machine's clock", () => {
      const farFuture = new Date("2999-01-01T00:00:00.000Z");
      expect(evaluateRules(entry({ measured_at: farFuture }), context({ now: farFuture }))).to.deep.equal([]);
    });
  });

  describe("partner", () => {
    it("rejects an entry for a partner that does not exist", () => {
      const reason = only(rules({}, { partner: { exists: false, active: false } }), RULE_CODES.partnerUnknown, "partner_id", "critical");
      expect(reason.message).to.include('"partner-a"');
    });

    it("flags an entry for an inactive partner, named as its readers know it", () => {
      const reasons = rules({}, { partner: { exists: true, active: false } });
      expect(only(reasons, RULE_CODES.partnerInactive, "partner_id", "warning").message).to.match(/^Partner "partner-a" is not active\./);
      const named = rules({}, { partner: { exists: true, active: false, name: "Northwind Energy" } });
      expect(named[0].message).to.match(/^Partner Northwind Energy is not active\./);
    });
  });

  describe("duplicates", () => {
    it("flags a second entry for the same partner, meter and day, naming the other entries", () => {
      const reasons = rules({}, { duplicateEntryIds: ["e-9", "e-2"] });
      const reason = only(reasons, RULE_CODES.duplicateEntry, "meter_id", "warning");
      expect(reason.message).to.include("(e-2, e-9)").and.include('"M-1"').and.include("2025-03-14");
      const named = rules({}, { duplicateEntryIds: ["e-9"], partner: { exists: true, active: true, name: "Northwind Energy" } });
      expect(named[0].message).to.match(
        /^Partner Northwind Energy already has an entry on meter "M-1" for contract day 2025-03-14 \(e-9\)\./,
      );
    });

    it("says so when the entries carry no meter id, and caps the list of ids", () => {
      const ids = ["a", "b", "c", "d", "e", "f", "g"];
      const reasons = rules({ meter_id: undefined }, { duplicateEntryIds: ids });
      const reason = only(reasons, RULE_CODES.duplicateEntry, "meter_id", "warning");
      expect(reason.message).to.include("no meter id").and.include("(a, b, c, d, e and 2 more)");
    });
  });

  it("reports every broken rule, in a fixed order", () => {
    const reasons = rules(
      { gross_volume_bbl: 0, bsw_percent: 2, meter_factor: 1.2, measured_at: new Date("2025-04-01T00:00:00Z") },
      { partner: { exists: true, active: false }, duplicateEntryIds: ["e-1"] },
    );
    expect(codes(reasons)).to.deep.equal([
      RULE_CODES.grossVolumeNotPositive,
      RULE_CODES.bswAboveTypical,
      RULE_CODES.meterFactorImplausible,
      RULE_CODES.measuredInFuture,
      RULE_CODES.partnerInactive,
      RULE_CODES.duplicateEntry,
    ]);
  });

  it("follows the thresholds of the config it is given", () => {
    const strict = { ...AUDIT_CONFIG, bsw: { typicalMaxPercent: 0.3, maxAcceptablePercent: 0.35 } };
    const reasons = evaluateRules(entry({ bsw_percent: 0.4 }), context(), strict);
    expect(codes(reasons)).to.deep.equal([RULE_CODES.bswAboveLimit]);
  });
});
