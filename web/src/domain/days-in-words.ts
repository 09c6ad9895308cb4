/** A list of contract days in a sentence, cut at ten. */
const LISTED_DAYS = 10;

/** Days in words: "2026-10-30", "2026-10-29 and 2026-10-30", "2026-10-01, …, 2026-10-10 and 5 more days". */
export function daysInWords(days: readonly string[]): string {
  if (days.length <= 1) return days[0] ?? "";
  const shown = days.slice(0, LISTED_DAYS);
  const more = days.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${more} more day${more === 1 ? "" : "s"}`;
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}
