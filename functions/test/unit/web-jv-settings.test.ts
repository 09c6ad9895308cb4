/**
 * The web app's JV settings screen validates and shows defaults from its own copy
 * (web/src/domain/jv-settings.ts: the bundle must not pull in the functions' sources). This
 * keeps the copy's defaults equal to the functions' and its checks agreeing with the schema
 * setJvSettings applies, value by value, at and around every bound.
 */
import { expect } from "chai";
import { DEFAULT_JV_SETTINGS, jvSettingsSchema, resolveJvSettings, contractDayOf, contractDayStart } from "../../src/domain/jv-settings";
import {
  contractDayOf as webContractDayOf,
  contractDayStart as webContractDayStart,
  contractDayText,
  contractPeriodText,
  dailyTicketTime,
  DEFAULT_JV_SETTINGS as WEB_DEFAULTS,
  JV_SETTING_KEYS,
  jvSettingProblem,
  resolveJvSettings as webResolve,
  startDateProblem,
} from "../../../web/src/domain/jv-settings";

const SAMPLES: Record<string, unknown[]> = {
  contract_day_start_hour: [0, 6, 23, 24, -1, 6.5, "6", null, Number.NaN],
  utc_offset_minutes: [0, 60, -720, 840, -721, 841, 30.5, "60", null],
  luaf_tolerance_percent: [0, 2, 0.35, 100, 100.01, -0.01, Number.POSITIVE_INFINITY, Number.NaN, "2", null],
  jv_start_date: [null, "2026-01-01", "2024-02-29", "2023-02-29", "2026-02-30", "2026-1-01", "20260101", "", 20260101],
  release_approval_required: [true, false, "true", "false", 0, 1, null, undefined],
  exception_window_days: [1, 730, 3650, 0, 3651, 30.5, "730", null, Number.NaN],
};

describe("the web app's copy of the JV settings schema", () => {
  it("has the functions' defaults and fields", () => {
    expect(WEB_DEFAULTS).to.deep.equal(DEFAULT_JV_SETTINGS);
    expect([...JV_SETTING_KEYS].sort()).to.deep.equal(Object.keys(jvSettingsSchema.shape).sort());
  });

  for (const [key, values] of Object.entries(SAMPLES)) {
    it(`accepts and refuses ${key} as setJvSettings's schema does`, () => {
      for (const value of values) {
        const schemaAccepts = jvSettingsSchema.safeParse({ ...DEFAULT_JV_SETTINGS, [key]: value }).success;
        const webAccepts = jvSettingProblem(key as (typeof JV_SETTING_KEYS)[number], value) === undefined;
        expect(webAccepts, `${key} = ${JSON.stringify(value)}`).to.equal(schemaAccepts);
      }
    });
  }

  it("says the UTC offset's bounds with the statements' minus sign", () => {
    expect(jvSettingProblem("utc_offset_minutes", -721)).to.equal("must be whole minutes from \u2212720 to 840");
    expect(contractDayText({ contract_day_start_hour: 6, utc_offset_minutes: -60 })).to.equal("06:00 at UTC\u221201:00 (07:00 UTC)");
  });

  it("refuses a start date after the first closed day, as setJvSettings does, and only then", () => {
    expect(startDateProblem("2026-09-02", "2026-09-01")).to.equal(
      "must be on or before 2026-09-01, the first closed day: its entries are allocated",
    );
    expect(startDateProblem("2026-09-01", "2026-09-01")).to.equal(undefined);
    expect(startDateProblem("2026-08-01", "2026-09-01")).to.equal(undefined);
    expect(startDateProblem("2026-09-02", undefined)).to.equal(undefined);
    expect(startDateProblem(null, "2026-09-01")).to.equal(undefined);
  });

  it("resolves a partial stored document over the defaults as the functions do", () => {
    const stored = { luaf_tolerance_percent: 0.5, updated_by: "admin" };
    const web = webResolve(stored);
    expect(web.settings).to.deep.equal(resolveJvSettings(stored));
    expect(web.defaulted).to.deep.equal([
      "contract_day_start_hour",
      "utc_offset_minutes",
      "jv_start_date",
      "release_approval_required",
      "exception_window_days",
    ]);
    expect(webResolve({ release_approval_required: true }).settings).to.deep.equal(resolveJvSettings({ release_approval_required: true }));
    expect(webResolve(undefined).settings).to.deep.equal(resolveJvSettings(undefined));
  });

  it("describes the contract day's start in local time and in UTC, as contractDayOf counts it", () => {
    const s = { contract_day_start_hour: 6, utc_offset_minutes: 60 };
    expect(contractDayText(s)).to.equal("06:00 at UTC+01:00 (05:00 UTC)");
    // The day named 2026-09-02 starts at 05:00Z: a minute before belongs to the day before.
    expect(contractDayOf(new Date("2026-09-02T05:00:00Z"), s)).to.equal("2026-09-02");
    expect(contractDayOf(new Date("2026-09-02T04:59:00Z"), s)).to.equal("2026-09-01");
    expect(contractDayText({ contract_day_start_hour: 0, utc_offset_minutes: 0 })).to.equal("00:00 at UTC+00:00");
    expect(contractDayText({ contract_day_start_hour: 1, utc_offset_minutes: 330 })).to.equal("01:00 at UTC+05:30 (19:30 UTC)");
    expect(contractDayText({ contract_day_start_hour: 22, utc_offset_minutes: -210 })).to.equal("22:00 at UTC−03:30 (01:30 UTC)");
  });

  it("counts contract days as the functions do, and stamps the form's entry inside the chosen day", () => {
    const clocks = [
      { contract_day_start_hour: 0, utc_offset_minutes: 0 },
      { contract_day_start_hour: 6, utc_offset_minutes: 60 },
      { contract_day_start_hour: 6, utc_offset_minutes: -300 },
      { contract_day_start_hour: 23, utc_offset_minutes: 840 },
      { contract_day_start_hour: 1, utc_offset_minutes: 330 },
    ];
    const base = Date.parse("2026-09-01T00:00:00Z");
    for (const s of clocks) {
      for (let minutes = 0; minutes < 3 * 1440; minutes += 17) {
        const at = new Date(base + minutes * 60_000);
        const day = webContractDayOf(at, s);
        expect(day, `${at.toISOString()} ${JSON.stringify(s)}`).to.equal(contractDayOf(at, s));
        expect(webContractDayStart(day, s).getTime()).to.equal(contractDayStart(day, s).getTime());
        expect(contractDayOf(dailyTicketTime(day, s, new Date(base + 10 * 86_400_000)), s)).to.equal(day);
      }
      // Today's entry is stamped no later than now, still inside today's contract day.
      const now = new Date(contractDayStart("2026-09-03", s).getTime() + 60 * 60_000);
      const stamped = dailyTicketTime("2026-09-03", s, now);
      expect(stamped.getTime()).to.equal(now.getTime());
      expect(contractDayOf(stamped, s)).to.equal("2026-09-03");
    }
  });

  it("names a period by the contract days it covers, also where the day starts before UTC midnight", () => {
    // 00:00 at +01:00: the day named 2026-09-01 starts at 2026-08-31T23:00Z.
    const cet = { contract_day_start_hour: 0, utc_offset_minutes: 60 };
    const start = contractDayStart("2026-09-01", cet);
    const end = contractDayStart("2026-10-01", cet);
    expect(contractPeriodText(start, end, cet)).to.equal("2026-09-01 – 2026-09-30 (30 days)");
    expect(contractPeriodText(start, contractDayStart("2026-09-02", cet), cet)).to.equal("2026-09-01");
    const utc = { contract_day_start_hour: 0, utc_offset_minutes: 0 };
    expect(contractPeriodText(new Date("2026-09-01T00:00:00Z"), new Date("2026-09-04T00:00:00Z"), utc)).to.equal(
      "2026-09-01 – 2026-09-03 (3 days)",
    );
  });
});
