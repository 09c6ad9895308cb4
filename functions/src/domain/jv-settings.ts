// The JV's negotiated knobs, stored in `settings/jv` (docs/jv-settings.md), and the contract
// day they define. Pure: the reader is shared/jv-settings.ts.
import { z } from "zod";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Zod runs the refinement after a failed regex too: an unparseable string must not throw. */
function isCalendarDate(d: string): boolean {
  const date = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === d;
}

export const jvSettingsSchema = z
  .object({
    /** The hour (local to utc_offset_minutes) at which a contract day starts, 0-23. */
    contract_day_start_hour: z.number().int().min(0).max(23),
    /** The fixed offset of the contract's clock from UTC, in minutes (no daylight saving). */
    utc_offset_minutes: z.number().int().min(-720).max(840),
    /** The loss-and-unaccounted-for band: |shrinkage %| above it needs a coordinator's acknowledgement. */
    luaf_tolerance_percent: z.number().finite().min(0).max(100),
    /** The first day of the JV, YYYY-MM-DD; null when not set. */
    jv_start_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
      .refine((d) => isCalendarDate(d), { message: "must be a real calendar date", when: (payload) => payload.issues.length === 0 })
      .nullable(),
    /** Whether a new version waits for a coordinator's or admin's release before partners see it. */
    release_approval_required: z.boolean(),
    /** Days after a statement is issued to the partners in which a partner may take exception to it (COPAS: typically two years). */
    exception_window_days: z.number().int().min(1).max(3650),
  })
  .strict();

export type JvSettings = z.output<typeof jvSettingsSchema>;

/**
 * An absent document or field: contract days are UTC calendar days (the meaning data had
 * before settings existed), a 2 % LUAF band, no JV start date, versions released when made.
 */
export const DEFAULT_JV_SETTINGS: Readonly<JvSettings> = Object.freeze({
  contract_day_start_hour: 0,
  utc_offset_minutes: 0,
  luaf_tolerance_percent: 2,
  jv_start_date: null,
  release_approval_required: false,
  exception_window_days: 730,
});

/** A stored document (possibly partial) over the defaults; throws a ZodError when a field is invalid. */
export function resolveJvSettings(stored: Record<string, unknown> | undefined): JvSettings {
  const present = Object.fromEntries(Object.entries(stored ?? {}).filter(([key]) => key in DEFAULT_JV_SETTINGS));
  return jvSettingsSchema.parse({ ...DEFAULT_JV_SETTINGS, ...present });
}

/** How far a contract day's start lies from UTC midnight of the same date, in ms. */
function dayStartShiftMs(s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">): number {
  return (s.contract_day_start_hour * 60 - s.utc_offset_minutes) * MINUTE_MS;
}

/** The contract day's clock a report was made under: its stored settings, the defaults for a report made before them. */
export function reportContractClock(
  settings: Partial<Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">> | null | undefined,
): Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes"> {
  return {
    contract_day_start_hour: settings?.contract_day_start_hour ?? DEFAULT_JV_SETTINGS.contract_day_start_hour,
    utc_offset_minutes: settings?.utc_offset_minutes ?? DEFAULT_JV_SETTINGS.utc_offset_minutes,
  };
}

/**
 * The contract day holding `date`, "YYYY-MM-DD": the closed_days id. With 06:00 at +01:00
 * the day "2026-09-02" runs from 2026-09-02T05:00Z to 2026-09-03T05:00Z. firestore.rules
 * computes the same string (dayId).
 */
export function contractDayOf(date: Date, s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">): string {
  return new Date(date.getTime() - dayStartShiftMs(s)).toISOString().slice(0, 10);
}

/** The instant a contract day starts. */
export function contractDayStart(day: string, s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + dayStartShiftMs(s));
}

export function isContractDayBoundary(date: Date, s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">): boolean {
  return contractDayStart(contractDayOf(date, s), s).getTime() === date.getTime();
}

/** Every contract day touched by [start, end): the closed_days ids of a period. */
export function periodContractDays(
  start: Date,
  end: Date,
  s: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">,
): string[] {
  const days: string[] = [];
  let day = contractDayOf(start, s);
  while (contractDayStart(day, s).getTime() < end.getTime()) {
    days.push(day);
    day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  }
  return days;
}

/**
 * The settings that shape a report's figures and days (the release rule decides who sees it, and
 * the exception window how long partners may object to it, not what it says).
 */
export type SettingsUsed = Omit<JvSettings, "release_approval_required" | "exception_window_days">;

/** The settings a report was computed under (stored on it, and in its content digest). */
export function settingsUsed(s: JvSettings): SettingsUsed {
  const { release_approval_required: _release, exception_window_days: _window, ...used } = s;
  return used;
}
