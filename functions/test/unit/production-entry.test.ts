import { expect } from "chai";
import fc from "fast-check";
import { Timestamp } from "firebase-admin/firestore";
import { DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import { entryDays } from "../../src/shared/stale-marks";
import {
  auditInputHash,
  fieldName,
  MEASURED_FIELDS,
  NOTE_MAX_LENGTH,
  parseProductionEntry,
  productionDay,
} from "../../src/domain/production-entry";

const MEASURED = new Date("2025-03-14T06:00:00.000Z");

/** What the Admin SDK hands the trigger: Timestamps, not Dates. */
function timestamp(date: Date): { toDate(): Date; seconds: number; nanoseconds: number } {
  return {
    seconds: Math.floor(date.getTime() / 1000),
    nanoseconds: (date.getTime() % 1000) * 1e6,
    toDate: () => new Date(date.getTime()),
  };
}

function rawEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partner_id: "partner-a",
    measured_at: timestamp(MEASURED),
    gross_volume_bbl: 5000,
    bsw_percent: 0.4,
    temperature_degF: 86.5,
    api_gravity: 35.2,
    pressure_psig: 12,
    meter_factor: 1.0012,
    meter_id: "M-1",
    created_by: "uid-1",
    created_at: timestamp(MEASURED),
    ...overrides,
  };
}

function reasonsOf(raw: unknown) {
  const result = parseProductionEntry(raw);
  if (result.ok) throw new Error("expected a rejection");
  return result.reasons;
}

describe("parseProductionEntry", () => {
  it("accepts a complete entry and converts Timestamps to Dates", () => {
    const result = parseProductionEntry(rawEntry());
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.entry.measured_at).to.be.instanceOf(Date);
    expect(result.entry.measured_at.toISOString()).to.equal("2025-03-14T06:00:00.000Z");
    expect(result.entry.gross_volume_bbl).to.equal(5000);
    expect(result.entry.meter_id).to.equal("M-1");
  });

  it("cuts a Timestamp's sub-millisecond part, as the rules and the period scan do, and hashes it as its stored hash was made", () => {
    // 04:59:59.9996Z: the rules and the scan (toMillis) put it before 05:00; toDate() rounds it to 05:00.
    const seconds = Date.parse("2026-09-02T04:59:59Z") / 1000;
    const subMillisecond = new Timestamp(seconds, 999_600_000);
    const result = parseProductionEntry(rawEntry({ measured_at: subMillisecond }));
    expect(result.ok && result.entry.measured_at.toISOString()).to.equal("2026-09-02T04:59:59.999Z");
    const settings = { ...DEFAULT_JV_SETTINGS, contract_day_start_hour: 6, utc_offset_minutes: 60 };
    expect(entryDays(settings, { measured_at: subMillisecond })).to.deep.equal(["2026-09-01"]);
    expect(auditInputHash(rawEntry({ measured_at: subMillisecond }))).to.equal(
      auditInputHash(rawEntry({ measured_at: timestamp(new Date("2026-09-02T05:00:00.000Z")) })),
    );
  });

  it("accepts a plain Date for measured_at", () => {
    const result = parseProductionEntry(rawEntry({ measured_at: MEASURED }));
    expect(result.ok && result.entry.measured_at.getTime()).to.equal(MEASURED.getTime());
  });

  it("defaults pressure to 0 psig and meter factor to 1.0 when absent or null", () => {
    for (const missing of [undefined, null]) {
      const result = parseProductionEntry(rawEntry({ pressure_psig: missing, meter_factor: missing }));
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.entry.pressure_psig).to.equal(0);
      expect(result.entry.meter_factor).to.equal(1.0);
    }
  });

  it("treats a blank meter id, note or created_at as not set", () => {
    const result = parseProductionEntry(rawEntry({ meter_id: "  ", note: "", created_at: null }));
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.entry.meter_id).to.equal(undefined);
    expect(result.entry.note).to.equal(undefined);
    expect(result.entry.created_at).to.equal(undefined);
  });

  it("strips server-written fields (audit, review) from the parsed entry", () => {
    const result = parseProductionEntry(rawEntry({ audit: { status: "validated" }, review: { decision: "approved" } }));
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.entry).to.not.have.property("audit");
    expect(result.entry).to.not.have.property("review");
  });

  it("gives one SCHEMA_MISSING reason per missing required field", () => {
    const required = ["partner_id", "measured_at", "gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity", "created_by"];
    const raw = rawEntry();
    for (const field of required) delete raw[field];
    const reasons = reasonsOf(raw);
    expect(reasons.map((r) => r.field)).to.have.members(required);
    expect(reasons).to.have.length(required.length);
    for (const reason of reasons) {
      expect(reason.code).to.equal("SCHEMA_MISSING");
      expect(reason.severity).to.equal("critical");
      // Named as its readers call it ("Gross volume is missing"), never by its key.
      expect(reason.message).to.match(new RegExp(`^${fieldName(reason.field)} is missing; it must be `));
      expect(reason.message).to.not.include(reason.field);
    }
  });

  it("names the field and the wrong value for a string where a number belongs", () => {
    const [reason] = reasonsOf(rawEntry({ gross_volume_bbl: "5000" }));
    expect(reason).to.deep.equal({
      code: "SCHEMA_WRONG_TYPE",
      field: "gross_volume_bbl",
      severity: "critical",
      message: 'Gross volume must be a number, but is the text "5000".',
    });
  });

  it("rejects NaN and ±Infinity as SCHEMA_NOT_FINITE, one reason each", () => {
    const reasons = reasonsOf(rawEntry({ bsw_percent: Number.NaN, temperature_degF: Infinity, api_gravity: -Infinity }));
    expect(reasons.map((r) => [r.code, r.field])).to.deep.equal([
      ["SCHEMA_NOT_FINITE", "bsw_percent"],
      ["SCHEMA_NOT_FINITE", "temperature_degF"],
      ["SCHEMA_NOT_FINITE", "api_gravity"],
    ]);
    expect(reasons[0].message).to.equal("BS&W must be a finite number, but is NaN.");
    expect(reasons[2].message).to.include("-Infinity");
  });

  it("rejects non-finite optional numbers too", () => {
    const reasons = reasonsOf(rawEntry({ pressure_psig: Number.NaN, meter_factor: "1.0" }));
    expect(reasons.map((r) => [r.code, r.field])).to.deep.equal([
      ["SCHEMA_NOT_FINITE", "pressure_psig"],
      ["SCHEMA_WRONG_TYPE", "meter_factor"],
    ]);
  });

  it("rejects a measured_at that is not a date, an invalid Date, or a Timestamp whose toDate throws", () => {
    const bad: unknown[] = [
      "2025-03-14",
      1710396000000,
      null,
      new Date(Number.NaN),
      { toDate: () => new Date(Number.NaN) },
      {
        toDate: () => {
          throw new Error("broken");
        },
      },
      { seconds: 1 },
    ];
    for (const value of bad) {
      const reasons = reasonsOf(rawEntry({ measured_at: value }));
      expect(reasons, String(value)).to.have.length(1);
      expect(reasons[0].code).to.equal("SCHEMA_INVALID_DATE");
      expect(reasons[0].field).to.equal("measured_at");
    }
  });

  it("rejects an empty partner id and an empty author", () => {
    const reasons = reasonsOf(rawEntry({ partner_id: "", created_by: "" }));
    expect(reasons.map((r) => [r.code, r.field])).to.deep.equal([
      ["SCHEMA_EMPTY", "partner_id"],
      ["SCHEMA_EMPTY", "created_by"],
    ]);
  });

  it("accepts a note at the maximum length and rejects one character more", () => {
    expect(parseProductionEntry(rawEntry({ note: "x".repeat(NOTE_MAX_LENGTH) })).ok).to.equal(true);
    const [reason] = reasonsOf(rawEntry({ correction_note: "x".repeat(NOTE_MAX_LENGTH + 1) }));
    expect(reason.code).to.equal("SCHEMA_TOO_LONG");
    expect(reason.field).to.equal("correction_note");
    expect(reason.message)
      .to.include(String(NOTE_MAX_LENGTH + 1))
      .and.include(String(NOTE_MAX_LENGTH));
  });

  it("rejects a document that is not a map with one reason", () => {
    for (const raw of [null, undefined, 42, "entry", [rawEntry()]]) {
      const reasons = reasonsOf(raw);
      expect(reasons).to.have.length(1);
      expect(reasons[0].field).to.equal("document");
      expect(reasons[0].code).to.match(/^SCHEMA_/);
    }
  });

  it("lists several problems at once, one reason each", () => {
    const reasons = reasonsOf(rawEntry({ partner_id: 7, gross_volume_bbl: null, bsw_percent: "0.5", api_gravity: Number.NaN }));
    expect(reasons.map((r) => r.field)).to.deep.equal(["partner_id", "gross_volume_bbl", "bsw_percent", "api_gravity"]);
  });

  it("never throws and always answers ok with an entry or critical SCHEMA_ reasons (property)", () => {
    const field = fc.oneof(
      fc.anything(),
      fc.double(),
      fc.date(),
      fc.constant(undefined),
      fc.constant({ toDate: () => new Date(Number.NaN) }),
    );
    const doc = fc.record(
      {
        partner_id: fc.oneof(fc.string(), field),
        measured_at: fc.oneof(fc.date().map(timestamp), field),
        gross_volume_bbl: fc.oneof(fc.double(), field),
        bsw_percent: fc.oneof(fc.double(), field),
        temperature_degF: fc.oneof(fc.double(), field),
        api_gravity: fc.oneof(fc.double(), field),
        pressure_psig: field,
        meter_factor: field,
        meter_id: field,
        note: field,
        created_by: fc.oneof(fc.string(), field),
        created_at: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), doc), (raw) => {
        const result = parseProductionEntry(raw);
        if (result.ok) return Number.isFinite(result.entry.gross_volume_bbl);
        return (
          result.reasons.length > 0 &&
          result.reasons.every((r) => r.code.startsWith("SCHEMA_") && r.severity === "critical" && r.message.length > 0)
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("auditInputHash", () => {
  const base = rawEntry();

  it("keeps the digests stored on audited entries (fixed values)", () => {
    const fields = {
      partner_id: "basalt",
      measured_at: timestamp(MEASURED),
      gross_volume_bbl: 1000.01,
      bsw_percent: 0.35,
      temperature_degF: 82.5,
      api_gravity: 35.1,
      pressure_psig: 14,
      meter_factor: 1.0004,
      meter_id: "BRP-LACT-01A",
      note: "not measured",
    };
    expect(auditInputHash(fields)).to.equal("52bb0baaa4141627b5fdb26b9733193e07c197e1af49a3bb0fb7c86170355ddc");
    const odd = { meter_id: "é\u2028", gross_volume_bbl: Number.NaN, measured_at: MEASURED, pressure_psig: null, meter_factor: undefined };
    expect(auditInputHash(odd)).to.equal("e037a9f75e0b4337319d5393f130030c1b52436ca7fd339fe7bef993e857ba77");
  });

  it("is a sha256 hex digest and stable for the same measured fields", () => {
    expect(auditInputHash(base)).to.match(/^[0-9a-f]{64}$/);
    expect(auditInputHash(rawEntry())).to.equal(auditInputHash(base));
  });

  it("lists exactly the measured fields", () => {
    expect([...MEASURED_FIELDS]).to.deep.equal([
      "partner_id",
      "measured_at",
      "gross_volume_bbl",
      "bsw_percent",
      "temperature_degF",
      "api_gravity",
      "pressure_psig",
      "meter_factor",
      "meter_id",
    ]);
  });

  it("changes when any measured field changes", () => {
    const changed: Record<string, unknown> = {
      partner_id: "partner-b",
      measured_at: timestamp(new Date(MEASURED.getTime() + 1)),
      gross_volume_bbl: 5000.01,
      bsw_percent: 0.41,
      temperature_degF: 86.6,
      api_gravity: 35.3,
      pressure_psig: 13,
      meter_factor: 1.0013,
      meter_id: "M-2",
    };
    expect(Object.keys(changed)).to.have.members([...MEASURED_FIELDS]);
    const before = auditInputHash(base);
    for (const [field, value] of Object.entries(changed)) {
      expect(auditInputHash({ ...base, [field]: value }), field).to.not.equal(before);
    }
  });

  it("changes when a measured field is removed or changes type", () => {
    const before = auditInputHash(base);
    const { pressure_psig: _removed, ...withoutPressure } = base;
    expect(auditInputHash(withoutPressure)).to.not.equal(before);
    expect(auditInputHash({ ...base, gross_volume_bbl: "5000" })).to.not.equal(before);
    expect(auditInputHash({ ...base, gross_volume_bbl: Number.NaN })).to.not.equal(before);
    expect(auditInputHash({ ...base, gross_volume_bbl: Number.NaN })).to.not.equal(auditInputHash({ ...base, gross_volume_bbl: Infinity }));
  });

  it("does not change for note, correction note, audit, review or creation fields", () => {
    const before = auditInputHash(base);
    const edited = {
      ...base,
      note: "pump trip at 14:00",
      correction_note: "typo fixed",
      audit: { status: "flagged", input_hash: before, checked_at: timestamp(new Date()) },
      review: { decision: "approved", by: "uid-9" },
      created_by: "uid-2",
      created_at: timestamp(new Date(0)),
    };
    expect(auditInputHash(edited)).to.equal(before);
  });

  it("does not depend on key order, and a Timestamp hashes as the same instant as a Date", () => {
    const reversed = Object.fromEntries(Object.entries(base).reverse());
    expect(auditInputHash(reversed)).to.equal(auditInputHash(base));
    expect(auditInputHash({ ...base, measured_at: MEASURED })).to.equal(auditInputHash(base));
  });

  it("treats an undefined field as absent, as Firestore does", () => {
    const { meter_id: _removed, ...withoutMeter } = base;
    expect(auditInputHash({ ...base, meter_id: undefined })).to.equal(auditInputHash(withoutMeter));
  });

  it("never throws, whatever the document holds (property)", () => {
    fc.assert(
      fc.property(fc.anything(), fc.dictionary(fc.constantFrom(...MEASURED_FIELDS), fc.anything()), (a, b) => {
        return /^[0-9a-f]{64}$/.test(auditInputHash(a)) && /^[0-9a-f]{64}$/.test(auditInputHash(b));
      }),
    );
  });
});

describe("productionDay", () => {
  it("is the UTC calendar day", () => {
    expect(productionDay(new Date("2025-03-14T00:00:00.000Z"))).to.equal("2025-03-14");
    expect(productionDay(new Date("2025-03-14T23:59:59.999Z"))).to.equal("2025-03-14");
    expect(productionDay(new Date("2025-03-14T23:30:00.000-01:00"))).to.equal("2025-03-15");
  });
});
