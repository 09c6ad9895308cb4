// What an edit of a stored entry writes, and whether the auditor will look at it again.

/** The fields the auditor's input hash covers (production-entry.ts MEASURED_FIELDS), bar the partner, which no edit changes. */
const AUDITED_FIELDS = ["measured_at", "gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity", "pressure_psig", "meter_factor", "meter_id"];

export function measuredChanged(fields: Record<string, unknown>, stored: object): boolean {
  const before = stored as Record<string, unknown>;
  // A Timestamp (measured_at) is equal by value, through its own isEqual.
  const same = (a: unknown, b: unknown) =>
    typeof (a as { isEqual?: unknown } | null)?.isEqual === "function" ? (a as { isEqual(o: unknown): boolean }).isEqual(b) : a === b;
  return AUDITED_FIELDS.some((key) => key in fields && !same(fields[key], before[key]));
}

/** Text the form shows trimmed: kept as stored when the form leaves it as it showed it. */
const TRIMMED_TEXT = new Set(["meter_id", "note"]);

/**
 * What an edit writes of what the form shows as the stored entry has it: a field the entry does not
 * have stays absent when the form leaves it empty (a gateway's ticket omits pressure and meter
 * factor), and a meter id or note the form shows trimmed keeps its stored spelling when unchanged
 * (a gateway may send "LACT-1 " or a note ending in a line break). A meter id written otherwise
 * would change the entry's audited inputs (a new audit, its approval dropped, a closed day's
 * version stale); a note, the correction's told changes, and the rules would judge it as typed.
 */
export function keepStored(fields: Record<string, unknown>, stored: object): Record<string, unknown> {
  const before = stored as Record<string, unknown>;
  const unchangedText = (key: string, value: unknown) => {
    const was = before[key];
    return TRIMMED_TEXT.has(key) && typeof was === "string" && (was.trim() === value || (value === null && was.trim() === ""));
  };
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([key, value]) => !(value === null && !(key in stored)))
      .map(([key, value]) => (unchangedText(key, value) ? [key, before[key]] : [key, value])),
  );
}
