import { sleep } from "./emulator";

const DAY_MS = 86_400_000;

/**
 * 00:00 UTC of the day this test process started on. Tests date their entries and tickets "n days
 * ago" from it rather than from the clock at each call: a test building one entry before midnight
 * and the next after it would otherwise put the same "one day ago" on two days.
 */
export const TEST_DAY_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS;

/**
 * Waits until just past 00:00 UTC when fewer than `marginMs` remain before it: for a test whose
 * steps the functions date by their own clock (an audit's `checked_at`, a usage counter's day) and
 * which needs them on one UTC day.
 */
export async function clearOfUtcMidnight(context: Mocha.Context, marginMs: number): Promise<void> {
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (untilMidnight >= marginMs) return;
  // The test's (or hook's) time is lengthened by the wait.
  context.timeout(context.timeout() + untilMidnight + 1_000);
  await sleep(untilMidnight + 1_000);
}
