/**
 * settings/jv as the app shows and edits it: the defaults and the checks of
 * functions/src/domain/jv-settings.ts (jvSettingsSchema), copied because the bundle must not
 * import the functions' sources; functions/test/unit/web-jv-settings.test.ts fails when they differ.
 */
import { MINUS, signed } from "../format";

export interface JvSettings {
  contract_day_start_hour: number;
  utc_offset_minutes: number;
  luaf_tolerance_percent: number;
  jv_start_date: string | null;
  /** A new version waits for a release by a coordinator or admin other than its maker before partners see it. */
  release_approval_required: boolean;
  /** Days after a statement is issued in which a partner may take exception to it. */
  exception_window_days: number;
}

export type JvSettingKey = keyof JvSettings;

export const DEFAULT_JV_SETTINGS: Readonly<JvSettings> = Object.freeze({
  contract_day_start_hour: 0,
  utc_offset_minutes: 0,
  luaf_tolerance_percent: 2,
  jv_start_date: null,
  release_approval_required: false,
  exception_window_days: 730,
});

export const JV_SETTING_KEYS = Object.keys(DEFAULT_JV_SETTINGS) as JvSettingKey[];

/** The stored document over the defaults, and which fields are absent (shown as defaults). */
export function resolveJvSettings(stored: Record<string, unknown> | undefined): { settings: JvSettings; defaulted: JvSettingKey[] } {
  const defaulted = JV_SETTING_KEYS.filter((k) => stored?.[k] === undefined);
  const settings = { ...DEFAULT_JV_SETTINGS } as Record<JvSettingKey, unknown>;
  for (const k of JV_SETTING_KEYS) if (stored?.[k] !== undefined) settings[k] = stored[k];
  return { settings: settings as unknown as JvSettings, defaulted };
}

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/** The UTC offsets the schema accepts, in minutes (UTC−12:00 to UTC+14:00). */
export const UTC_OFFSET_MINUTES = { min: -720, max: 840 } as const;
/** "−720 to 840", with the statements' minus sign. */
export const utcOffsetRangeText = `${signed(UTC_OFFSET_MINUTES.min, 0)} to ${signed(UTC_OFFSET_MINUTES.max, 0)}`;

/** Why a value is refused, as the schema refuses it; undefined when it is valid. */
export function jvSettingProblem(key: JvSettingKey, value: unknown): string | undefined {
  switch (key) {
    case "contract_day_start_hour":
      return isInt(value) && value >= 0 && value <= 23 ? undefined : "must be a whole hour from 0 to 23";
    case "utc_offset_minutes":
      return isInt(value) && value >= UTC_OFFSET_MINUTES.min && value <= UTC_OFFSET_MINUTES.max ? undefined : `must be whole minutes from ${utcOffsetRangeText}`;
    case "luaf_tolerance_percent":
      return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 100 ? undefined : "must be a number from 0 to 100";
    case "jv_start_date": {
      if (value === null) return undefined;
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return "must be YYYY-MM-DD";
      const d = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? undefined : "must be a real calendar date";
    }
    case "release_approval_required":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "exception_window_days":
      return isInt(value) && value >= 1 && value <= 3650 ? undefined : "must be whole days from 1 to 3650";
  }
}

/** A start date moved past the first closed day would drop allocated entries (setJvSettings refuses it). */
export function startDateProblem(value: unknown, firstClosedDay: string | undefined): string | undefined {
  return typeof value === "string" && firstClosedDay !== undefined && value > firstClosedDay
    ? `must be on or before ${firstClosedDay}, the first closed day: its entries are allocated`
    : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "+01:00" for 60 minutes, "−03:30" for −210. */
export function utcOffsetText(minutes: number): string {
  const sign = minutes < 0 ? MINUS : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "06:00 at UTC+01:00", and when that is in UTC. */
export function contractDayText(s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">): string {
  const local = `${pad(s.contract_day_start_hour)}:00 at ${utcOffsetText(s.utc_offset_minutes)}`;
  const utcMinutes = (((s.contract_day_start_hour * 60 - s.utc_offset_minutes) % 1440) + 1440) % 1440;
  const utc = `${pad(Math.floor(utcMinutes / 60))}:${pad(utcMinutes % 60)} UTC`;
  return s.utc_offset_minutes === 0 ? local : `${local} (${utc})`;
}

const MINUTE_MS = 60_000;
export type DayClock = Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">;
const dayStartShiftMs = (s: DayClock) => (s.contract_day_start_hour * 60 - s.utc_offset_minutes) * MINUTE_MS;

/** The contract day holding `date`, "YYYY-MM-DD" (the closed_days id), as the functions and the rules count it. */
export function contractDayOf(date: Date, s: DayClock): string {
  return new Date(date.getTime() - dayStartShiftMs(s)).toISOString().slice(0, 10);
}

/** When the contract day `day` starts. */
export function contractDayStart(day: string, s: DayClock): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + dayStartShiftMs(s));
}

/**
 * The day's entry time the form stamps: six hours into the contract day (the daily ticket), never
 * later than `latest`, nor before the day starts (in its first minutes, `latest` = now − 5 min
 * would fall on the day before).
 */
export function dailyTicketTime(day: string, s: DayClock, latest: Date): Date {
  const start = contractDayStart(day, s);
  const at = new Date(start.getTime() + 6 * 60 * MINUTE_MS);
  if (at <= latest) return at;
  return latest > start ? latest : start;
}

/** The first and last contract days of a period [start, end). */
export function contractPeriodDays(start: Date, end: Date, s: DayClock): { first: string; last: string } {
  return { first: contractDayOf(start, s), last: contractDayOf(new Date(end.getTime() - 1), s) };
}

/** A period [start, end) as its contract days: "2026-09-01 – 2026-09-30 (30 days)", or the one day. */
export function contractPeriodText(start: Date, end: Date, s: DayClock): string {
  const { first, last } = contractPeriodDays(start, end, s);
  const days = Math.round((end.getTime() - start.getTime()) / (1440 * MINUTE_MS));
  return days <= 1 ? first : `${first} – ${last} (${days} days)`;
}
