const DAY_MS = 86_400_000;
/** How far back the closed days are always read: a year and a bit covers a normal list. */
export const CLOSED_DAYS_BACK = 400;

/**
 * The closed days a list of entries needs: from the oldest entry's UTC date (two days early: an
 * entry's contract day can carry a date up to two days before it, as with a 20:00 start at
 * UTC-6), rounded down to the month so that loading older entries re-subscribes seldom, and never
 * later than CLOSED_DAYS_BACK days ago. `limit` is one more than the days from `since` to today, so the
 * ascending query can never stop short of today (at most one closed day per date).
 */
export function closedDaysWindow(oldest: Date | undefined, now: Date): { since: string; limit: number } {
  let from = now.getTime() - CLOSED_DAYS_BACK * DAY_MS;
  if (oldest && !Number.isNaN(oldest.getTime()) && oldest.getTime() - 2 * DAY_MS < from) {
    const early = new Date(oldest.getTime() - 2 * DAY_MS);
    from = Date.UTC(early.getUTCFullYear(), early.getUTCMonth(), 1);
  }
  const since = new Date(from).toISOString().slice(0, 10);
  const limit = Math.ceil((now.getTime() - Date.parse(`${since}T00:00:00Z`)) / DAY_MS) + 2;
  return { since, limit };
}
