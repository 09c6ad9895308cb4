/**
 * A close in progress, per call, recorded in the month documents of its contract days
 * (`closing_months/{YYYY-MM}`, docs/monthly-close.md): what changed on its days between the call's
 * scan and its commit. Pure: the Firestore side is shared/closing-months.ts.
 */

/** Longer than reconcile's timeout (540 s) and both clock margins: a record outliving its call is ignored, then removed. */
export const CLOSE_IN_PROGRESS_TTL_MS = 15 * 60_000;

/** Call ids are field names in the month's record. */
export const CLOSE_CALL_ID = /^[0-9a-f]{16}$/;

export interface CallRecord {
  expires_at_ms: number;
  /** The first and last contract day the call closes ("YYYY-MM-DD"). */
  first_day?: string;
  last_day?: string;
  entry_ids: string[];
  changes: number;
}

/**
 * The month document a contract day's closes are recorded in: one per month rather than per day,
 * so that a close of a month's days writes one record before its scan and removes one in its commit.
 */
export function closingMonthOf(day: string): string {
  return day.slice(0, 7);
}

/** The months of `days`, each once, in the order first met. */
export function closingMonths(days: readonly string[]): string[] {
  return [...new Set(days.map(closingMonthOf))];
}

/** Whether a change on one of `days` concerns the call (a record that does not say its days is told of every change). */
export function closesAnyOf(record: CallRecord, days: readonly string[]): boolean {
  const { first_day: first, last_day: last } = record;
  if (first === undefined || last === undefined) return true;
  return days.some((day) => day >= first && day <= last);
}

/**
 * The two sides judge a record's expiry by their own clocks: a change tells a record until this
 * long after it expired, and a commit takes its records only while they have this long left,
 * so no clock running ahead of the other's can make a change go untold to a commit that counts on it.
 */
export const CLOCK_MARGIN_MS = 2 * 60_000;

/** Whether a change tells the call of itself. */
export function isLive(record: CallRecord | undefined, nowMs: number): record is CallRecord {
  return record !== undefined && record.expires_at_ms + CLOCK_MARGIN_MS > nowMs;
}

/** Whether the call's commit may count on what the record says (otherwise it reads the period again). */
export function mayCommit(record: CallRecord | undefined, nowMs: number): record is CallRecord {
  return record !== undefined && record.expires_at_ms - CLOCK_MARGIN_MS > nowMs;
}

/** A call's record once `entryIds` changed on its days: one change more, the entries listed once (the first `cap`). */
export function withChange(record: CallRecord, entryIds: readonly string[], cap: number): CallRecord {
  return {
    ...record,
    entry_ids: [...new Set([...record.entry_ids, ...entryIds])].slice(0, cap),
    changes: record.changes + 1,
  };
}

/** What a call's records in its months say changed during it: each change is recorded in one month only. */
export function changesOfCall(records: ReadonlyArray<CallRecord | undefined>, cap: number): { entry_ids: string[]; changes: number } {
  const ids = new Set<string>();
  let changes = 0;
  for (const record of records) {
    if (!record) continue;
    record.entry_ids.forEach((id) => ids.add(id));
    changes += record.changes;
  }
  return { entry_ids: [...ids].slice(0, cap), changes };
}
