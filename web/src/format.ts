import type { Timestamp } from "firebase/firestore";

const fixed = new Map<number, Intl.NumberFormat>();

/** Thousands separators and exactly `decimals` decimals (en-US: 1,234.56). */
export function num(x: number | null | undefined, decimals: number): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return "—";
  let f = fixed.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixed.set(decimals, f);
  }
  return f.format(x);
}

/** Volumes: to 0.01 bbl. */
export const bbl = (x: number | null | undefined) => num(x, 2);
/** Correction factors (CTL, CPL, CTPL, CSW): 5 decimals, as the standard rounds them. */
export const factor = (x: number | null | undefined) => num(x, 5);
export const pct = (x: number | null | undefined, decimals = 3) => num(x, decimals);

export function toDate(t: Timestamp | Date | undefined | null): Date | undefined {
  if (!t) return undefined;
  return t instanceof Date ? t : t.toDate();
}

/** The UTC date, YYYY-MM-DD (an entry's contract day is useContractDayOf's, data/jv-settings.ts). */
export function dayOf(t: Timestamp | Date | undefined | null): string {
  const d = toDate(t);
  return d ? d.toISOString().slice(0, 10) : "—";
}

export function dateTime(t: Timestamp | Date | undefined | null): string {
  const d = toDate(t);
  return d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}

export function errorMessage(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: string; message?: string; details?: unknown };
    const details = e.details === undefined ? "" : ` ${JSON.stringify(e.details).slice(0, 600)}`;
    return `${e.message ?? String(error)}${details}`;
  }
  return String(error);
}
