/**
 * When the contract days of a period start and end, in words: a period named "2026-09-01 –
 * 2026-10-30" means nothing to a partner until it says the day starts at 06:00 at UTC+01:00.
 */
import { contractDayText, DEFAULT_JV_SETTINGS, utcOffsetText, type JvSettings } from "./jv-settings";

export type DayClock = Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">;

/**
 * The contract day a report was reconciled under (recorded in its `settings`). A report that
 * records none was made before JV settings existed, when contract days were UTC days, as the
 * functions read it too (notification-templates.ts).
 */
export function reportDayClock(recorded: Partial<DayClock> | null | undefined): { clock: DayClock; recorded: boolean } {
  const hour = recorded?.contract_day_start_hour;
  const offset = recorded?.utc_offset_minutes;
  if (Number.isInteger(hour) && Number.isInteger(offset)) return { clock: { contract_day_start_hour: hour!, utc_offset_minutes: offset! }, recorded: true };
  return { clock: { contract_day_start_hour: DEFAULT_JV_SETTINGS.contract_day_start_hour, utc_offset_minutes: DEFAULT_JV_SETTINGS.utc_offset_minutes }, recorded: false };
}

/** An instant as the contract day's local clock reads it: "06:00 on 2026-09-01". */
function localText(at: Date, clock: DayClock): string {
  const local = new Date(at.getTime() + clock.utc_offset_minutes * 60_000).toISOString();
  return `${local.slice(11, 16)} on ${local.slice(0, 10)}`;
}

/** An instant on the contract day's clock with its offset: "06:00 on 2026-12-11 (UTC+01:00)". */
export function instantText(at: Date, clock: DayClock): string {
  return `${localText(at, clock)} (${utcOffsetText(clock.utc_offset_minutes)})`;
}

/** Where the clock comes from: the report's record, or the JV settings as they are now. */
export type ClockSource = "recorded" | "not recorded" | "settings";

const SOURCE_TEXT: Record<ClockSource, string> = {
  recorded: "as recorded on this version",
  "not recorded": "as for every version made before the JV settings existed (this one does not record its contract day)",
  settings: "per the JV settings",
};

/** "Each contract day starts at 06:00 at UTC+01:00 (05:00 UTC), per the JV settings." */
export function contractClockText(clock: DayClock, source: ClockSource): string {
  return `Each contract day starts at ${contractDayText(clock)}, ${SOURCE_TEXT[source]}.`;
}

/**
 * The clock and a period [start, end) on it: "… : the period runs from 06:00 on 2026-09-01 to
 * 06:00 on 2026-10-31 (UTC+01:00)."
 */
export function periodClockText(start: Date, end: Date, clock: DayClock, source: ClockSource): string {
  const span = `the period runs from ${localText(start, clock)} to ${localText(end, clock)} (${utcOffsetText(clock.utc_offset_minutes)})`;
  return `${contractClockText(clock, source).slice(0, -1)}: ${span}.`;
}
