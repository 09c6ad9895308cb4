// Which correction a report's row names: the report stores its time as the Admin SDK's Date of the
// entry's corrected_at (whole milliseconds, rounded); the entry read here keeps microseconds.

interface TimestampParts {
  seconds: number;
  nanoseconds: number;
}

/** A server timestamp as the functions stored it in a report: rounded to the millisecond, as Timestamp.toDate() does. */
export function storedMillis(t: TimestampParts): number {
  return t.seconds * 1000 + Math.round(t.nanoseconds / 1e6);
}

/** Whether an entry's last correction (`correctedAt`) is the one a report's row records (`rowAt`). */
export function sameCorrection(correctedAt: TimestampParts | undefined | null, rowAt: TimestampParts): boolean {
  return correctedAt !== undefined && correctedAt !== null && storedMillis(correctedAt) === storedMillis(rowAt);
}
