import { expect } from "chai";
import { type DocumentSnapshot } from "firebase-admin/firestore";
import {
  contractDayOf,
  contractDayStart,
  DEFAULT_JV_SETTINGS,
  isContractDayBoundary,
  jvSettingsSchema,
  periodContractDays,
  resolveJvSettings,
} from "../../src/domain/jv-settings";
import { holdsSettings } from "../../src/shared/jv-settings";

const six = { contract_day_start_hour: 6, utc_offset_minutes: 60 };

describe("JV settings and contract days", () => {
  it("defaults an absent document or field to 00:00 UTC days, a 2 % LUAF band and no start date", () => {
    expect(resolveJvSettings(undefined)).to.deep.equal(DEFAULT_JV_SETTINGS);
    expect(resolveJvSettings({ luaf_tolerance_percent: 0.5, updated_by: "admin-1" })).to.deep.equal({
      ...DEFAULT_JV_SETTINGS,
      luaf_tolerance_percent: 0.5,
    });
  });

  it("refuses values out of range", () => {
    for (const bad of [
      { contract_day_start_hour: 24 },
      { contract_day_start_hour: 1.5 },
      { utc_offset_minutes: 900 },
      { luaf_tolerance_percent: -1 },
      { jv_start_date: "2026-02-30" },
      { jv_start_date: "1/2/2026" },
    ]) {
      expect(() => resolveJvSettings(bad), JSON.stringify(bad)).to.throw();
    }
  });

  it("answers an unparseable jv_start_date with schema issues, never a RangeError", () => {
    for (const bad of ["2026-13-01", "1/2/2026", "2026-1-01", ""]) {
      const parsed = jvSettingsSchema.safeParse({ ...DEFAULT_JV_SETTINGS, jv_start_date: bad });
      expect(parsed.success, bad).to.equal(false);
      expect(
        parsed.error?.issues.map((i) => i.path.join(".")),
        bad,
      ).to.include("jv_start_date");
    }
  });

  it("names the contract day holding an instant: UTC dates by default", () => {
    expect(contractDayOf(new Date("2026-09-02T00:00:00Z"), DEFAULT_JV_SETTINGS)).to.equal("2026-09-02");
    expect(contractDayOf(new Date("2026-09-02T23:59:59.999Z"), DEFAULT_JV_SETTINGS)).to.equal("2026-09-02");
  });

  it("runs a 06:00 day at +01:00 from 05:00Z to 05:00Z the next day", () => {
    expect(contractDayStart("2026-09-02", six).toISOString()).to.equal("2026-09-02T05:00:00.000Z");
    expect(contractDayOf(new Date("2026-09-02T05:00:00Z"), six)).to.equal("2026-09-02");
    expect(contractDayOf(new Date("2026-09-02T04:59:59.999Z"), six)).to.equal("2026-09-01");
    expect(contractDayOf(new Date("2026-09-03T04:59:00Z"), six)).to.equal("2026-09-02");
    expect(isContractDayBoundary(new Date("2026-09-02T05:00:00Z"), six)).to.equal(true);
    expect(isContractDayBoundary(new Date("2026-09-02T00:00:00Z"), six)).to.equal(false);
  });

  it("handles offsets west of UTC and day starts late in the day", () => {
    const west = { contract_day_start_hour: 18, utc_offset_minutes: -300 };
    expect(contractDayStart("2026-03-05", west).toISOString()).to.equal("2026-03-05T23:00:00.000Z");
    expect(contractDayOf(new Date("2026-03-05T22:59:00Z"), west)).to.equal("2026-03-04");
    expect(contractDayOf(new Date("2026-03-06T12:00:00Z"), west)).to.equal("2026-03-05");
  });

  it("closes exactly a period's own days when it ends at a contract-day boundary", () => {
    // The issue's case: a period ending 06:00 local (05:00Z) on 11 Sep closes up to 10 Sep only.
    expect(periodContractDays(new Date("2026-09-01T05:00:00Z"), new Date("2026-09-11T05:00:00Z"), six)).to.have.ordered.members([
      "2026-09-01",
      "2026-09-02",
      "2026-09-03",
      "2026-09-04",
      "2026-09-05",
      "2026-09-06",
      "2026-09-07",
      "2026-09-08",
      "2026-09-09",
      "2026-09-10",
    ]);
    expect(periodContractDays(new Date("2026-10-30T00:00:00Z"), new Date("2026-11-02T00:00:00Z"), DEFAULT_JV_SETTINGS)).to.deep.equal([
      "2026-10-30",
      "2026-10-31",
      "2026-11-01",
    ]);
  });
});

describe("holdsSettings: whether a batch's tickets still hold under settings/jv as read again", () => {
  const snap = (data?: Record<string, unknown>) => ({ exists: data !== undefined, data: () => data }) as unknown as DocumentSnapshot;
  const prepared = { ...DEFAULT_JV_SETTINGS, contract_day_start_hour: 6, utc_offset_minutes: 60, jv_start_date: "2026-01-01" };
  const stored = { contract_day_start_hour: 6, utc_offset_minutes: 60, jv_start_date: "2026-01-01" };

  it("holds when only the LUAF band or release approval changed: no ticket's check depends on them", () => {
    expect(holdsSettings(snap({ ...stored, luaf_tolerance_percent: 3, release_approval_required: true }), prepared)).to.equal(true);
  });

  it("does not hold when the contract day's start hour or offset, or the start date, changed, or the document is invalid", () => {
    expect(holdsSettings(snap({ ...stored, contract_day_start_hour: 7 }), prepared)).to.equal(false);
    expect(holdsSettings(snap({ ...stored, utc_offset_minutes: 0 }), prepared)).to.equal(false);
    expect(holdsSettings(snap({ ...stored, jv_start_date: null }), prepared)).to.equal(false);
    expect(holdsSettings(snap(), prepared)).to.equal(false);
    expect(holdsSettings(snap({ ...stored, luaf_tolerance_percent: 500 }), prepared)).to.equal(false);
  });
});
