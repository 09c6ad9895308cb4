/**
 * A stale version's marks in words. `stale_changes` counts the changes marked (each event: a late
 * entry, a correction, then its audit or its review, is one more), `stale_entry_ids` the distinct
 * entries behind them, at most STALE_ENTRY_IDS_LISTED (functions/src/shared/stale-marks.ts).
 */
const LISTED = 50;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "2 changes to 1 entry", "1 change to 1 entry", "60 changes to 50 or more entries", "3 changes to entries". */
export function staleChangesInWords(changes: number | undefined, entryIds: readonly string[] | undefined): string {
  const n = changes ?? 1;
  const entries = entryIds?.length ?? 0;
  const what = plural(n, "change", "changes");
  if (entries === 0) return `${what} to entries`;
  if (entries >= LISTED) return `${what} to ${LISTED} or more entries`;
  return `${what} to ${plural(entries, "entry", "entries")}`;
}

/** Why there are more changes than entries, when there are: the reader would count rows otherwise. */
export function staleCountNote(changes: number | undefined, entryIds: readonly string[] | undefined): string | undefined {
  const entries = entryIds?.length ?? 0;
  return entries > 0 && (changes ?? 1) > entries
    ? "An entry counts once for each change to it: entered late or corrected, then audited or reviewed."
    : undefined;
}
