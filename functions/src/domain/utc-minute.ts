/**
 * A time to the minute as people read it, e.g. "2026-10-02 09:15 UTC": no seconds, "T" or "Z".
 * A year outside 0000–9999 (which ISO writes with a sign) is given as ISO, not cut short.
 */
export function utcMinute(date: Date): string {
  const iso = date.toISOString();
  return /^\d{4}-/.test(iso) ? `${iso.slice(0, 16).replace("T", " ")} UTC` : iso;
}
