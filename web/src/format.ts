import type { Timestamp } from "firebase/firestore";
import { daysInWords } from "./domain/days-in-words";
import { reportInWords } from "./domain/statement-label";

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

/** A count and its noun, in the singular for one: "1 event", "1,204 events", "2 chains". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${num(n, 0)} ${n === 1 ? singular : plural}`;
}

/** Volumes: to 0.01 bbl. */
export const bbl = (x: number | null | undefined) => num(x, 2);
/**
 * Factors (CTL, CPL, CTPL, CSW, a meter factor): 5 decimals, as the standard rounds the correction
 * factors and as the exports and an entry's page show them all (the calculation takes a meter
 * factor to 4 decimals, functions' mpms.ts, so its fifth reads 0).
 */
export const factor = (x: number | null | undefined) => num(x, 5);
export const pct = (x: number | null | undefined, decimals = 3) => num(x, decimals);

/**
 * A measured input as it was stored: at least `decimals` decimals and every one it has (up to 12
 * decimals and 15 significant digits), so that a BS&W of 1.004 % is not shown as the 1.00 % the
 * auditor's reason says it exceeds, nor 1.0000001 % as 1.000000 %.
 */
export function measured(x: number | null | undefined, decimals: number): string {
  if (typeof x !== "number" || !Number.isFinite(x)) return num(x, decimals);
  // A median of two figures may carry binary noise (0.15000000000000002): a figure whose shortest
  // form needs 16 or 17 significant digits is read at 15 (no meter reads that finely).
  const digits = String(x).replace(/e.*$/i, "").replace(/\D/g, "").replace(/^0+/, "").length;
  const clean = digits > 15 ? Number(x.toPrecision(15)) : x;
  const text = /e/i.test(String(clean)) ? clean.toFixed(12) : String(clean);
  const stored = (text.split(".")[1] ?? "").replace(/0+$/, "").length;
  return num(clean, Math.min(12, Math.max(decimals, stored)));
}

/**
 * A history median beside measured figures: to 2 decimals, as the auditor's reasons quote it
 * (functions/src/domain/robust-stats.ts), or to the field's `decimals` where it has more, with at
 * least those and its unit
 * ("3,044.04 bbl", "0.33 %", "60.25 °F", "101.0 °F"); a unit of "" adds nothing.
 */
export function median(x: number | null | undefined, decimals: number, unit: string): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  // Rounded as the reasons' formatNumber rounds (toFixed, on the stored double): 0.175 reads 0.17 in both.
  const text = signedMeasured(Number(x.toFixed(Math.max(2, decimals))), decimals);
  return unit === "" ? text : `${text} ${unit}`;
}

/** The LUAF tolerance (%) with at least 2 decimals and every one it has: 2.00, 0.125 (not 0.13). */
export const luafTolerance = (percent: number) => measured(percent, 2);

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

const UNREACHABLE = "The server could not be reached; check the connection and try again.";

/**
 * A failure as its reader should see it: the server's own message (written for people) without
 * the SDK's HTTP status ("[400]"), its details in words, and a plain sentence where the failure
 * carries no message of the server's (the network, a time-out, a refusal by the database rules).
 */
export function errorMessage(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: string; message?: string; details?: unknown };
    const code = (e.code ?? "").replace(/^(functions|firestore)\//, "");
    const fromSdk = e.code?.startsWith("functions/") === true;
    const message = fromSdk ? (e.message ?? "").replace(/ \[\d+\]$/, "") : (e.message ?? String(error));
    const plain = plainFailure(code, message, fromSdk);
    if (plain !== undefined) return plain;
    // A rate limit's details (limit, window, retry after) are for programs: its sentence states them.
    const details = code === "resource-exhausted" ? "" : detailsInWords(withoutQuoted(e.details, message));
    return `${message}${details === "" ? "" : ` (${details.length > 600 ? `${details.slice(0, 599)}…` : details})`}`;
  }
  return String(error);
}

/** The SDK's own text where the server gave none: its code, "Backend error status: …", the database's stock sentences. */
function plainFailure(code: string, message: string, fromSdk: boolean): string | undefined {
  const stock = message === "" || message === code || message.startsWith("Backend error status:");
  if (code === "permission-denied") {
    return fromSdk && !stock ? `You are not allowed to do this: ${message}` : "You are not allowed to do this.";
  }
  if (code === "unavailable" && (stock || !fromSdk)) return UNREACHABLE;
  if (code === "deadline-exceeded" && (stock || !fromSdk)) return "The server did not answer in time; try again.";
  // A network failure reaches the SDK as HTTP status 0, which it calls "internal" with no text.
  if (code === "internal" && stock) return UNREACHABLE;
  if (code === "unauthenticated" && (stock || !fromSdk)) return "You are signed out; sign in again.";
  return stock ? `The request failed (${code.replace(/-/g, " ") || "unknown"}); try again.` : undefined;
}

/**
 * Details without what the message already says: the values it quotes (a support reference, a
 * key's id), the issues it quotes (the schema's summary), and a lone issue, which a refusal's own
 * sentence states (its `path` key is for programs: "expires_at: must be in the future").
 */
function withoutQuoted(details: unknown, message: string): unknown {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return details;
  const { issues, ...others } = details as Record<string, unknown>;
  // Long enough that finding it in the message is no coincidence (a count of 1 is kept).
  const quoted = (value: unknown) => typeof value === "string" && value.length >= 6 && message.includes(value);
  const rest = Object.fromEntries(Object.entries(others).filter(([, value]) => !quoted(value)));
  if (!Array.isArray(issues) || message === "") return issues === undefined ? rest : { ...rest, issues };
  const unstated = issues.filter((i) => !(typeof i?.message === "string" && message.includes(i.message)));
  return unstated.length === 0 || issues.length === 1 ? rest : { ...rest, issues: unstated };
}

const LISTED = 10;
const words = (key: string) => key.replace(/_/g, " ");

/**
 * A callable's `details` in words, not JSON: validation issues as "field: message", the other
 * fields as "name: value", lists cut at ten ("and 12 more").
 */
export function detailsInWords(details: unknown): string {
  if (details === null || details === undefined) return "";
  if (typeof details !== "object" || Array.isArray(details)) return valueInWords(details, 0);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (key === "overlaps" && Array.isArray(value)) {
      // reconcile's tiling refusal: which version holds which of the period's days.
      parts.push(...value.slice(0, LISTED).map(overlapInWords));
      continue;
    }
    if (key === "issues" && Array.isArray(value)) {
      parts.push(...value.slice(0, LISTED).map(issueInWords));
      if (value.length > LISTED) parts.push(`and ${value.length - LISTED} more problems`);
      continue;
    }
    const shown = valueInWords(value, 0);
    if (shown !== "") parts.push(`${words(key)}: ${shown}`);
  }
  return parts.join("; ");
}

function valueInWords(value: unknown, depth: number): string {
  if (value === null || value === undefined || value === "") return "";
  if (Array.isArray(value)) {
    const items = value.slice(0, LISTED).map((v) => valueInWords(v, depth + 1)).filter((v) => v !== "");
    return items.join(", ") + (value.length > LISTED ? ` and ${value.length - LISTED} more` : "");
  }
  if (typeof value === "object") {
    if (depth >= 2) return "…";
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [words(k), valueInWords(v, depth + 1)])
      .filter(([, v]) => v !== "")
      .map(([k, v]) => `${k} ${v}`);
    return inner.length === 0 ? "" : `{${inner.join(", ")}}`;
  }
  return String(value);
}

function overlapInWords(overlap: unknown): string {
  const { reconciliation_id: id, days } = (overlap ?? {}) as { reconciliation_id?: unknown; days?: unknown };
  const list = Array.isArray(days) ? days.filter((d): d is string => typeof d === "string") : [];
  return `held by ${typeof id === "string" ? reportInWords(id) : "another version"}${list.length > 0 ? `: ${daysInWords(list)}` : ""}`;
}

function issueInWords(issue: unknown): string {
  const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
  const where = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
  return `${where === "" ? "the request" : where}: ${typeof message === "string" ? message : "invalid"}`;
}

/** The minus sign of every signed figure on the statements: U+2212, as utcOffsetText and the adjustments' deltas write it. */
export const MINUS = "\u2212";

/**
 * A figure that may be negative, with MINUS (not num's hyphen), and `plus` for a change shown with
 * its sign either way; a figure that rounds to zero has no sign ("0.00", never "−0.00").
 */
export function signed(x: number | null | undefined, decimals: number, plus = false): string {
  const text = num(x, decimals);
  if (typeof x !== "number" || !Number.isFinite(x) || !/[1-9]/.test(text)) return text.replace(/^-/, "");
  return x < 0 ? `${MINUS}${text.slice(1)}` : `${plus ? "+" : ""}${text}`;
}

/** A limit or reading that may be negative, with every decimal it has (as `measured`) and MINUS: "−14.696", "−58". */
export function signedMeasured(x: number | null | undefined, decimals = 0): string {
  const text = measured(x, decimals);
  return /^-.*[1-9]/.test(text) ? `${MINUS}${text.slice(1)}` : text.replace(/^-/, "");
}

/** A volume to 0.01 bbl with MINUS when negative (a net position). */
export const signedBbl = (x: number | null | undefined) => signed(x, 2);
/** A change to 0.01 bbl, always with its sign: +2,309.42, −748.49, 0.00. */
export const deltaBbl = (x: number | null | undefined) => signed(x, 2, true);

/**
 * Shrinkage: field NSV less terminal NSV. A negative one means the terminal received more than the
 * field measured, so it says "(gain)" after the figure and its unit: "−12.34 bbl (gain)".
 */
export function shrinkage(x: number | null | undefined, decimals: number, unit = ""): string {
  return `${signed(x, decimals)}${unit}${isGain(x, decimals) ? " (gain)" : ""}`;
}

/** Whether a shrinkage is a gain: negative as shown (to `decimals`), not merely below zero. */
export const isGain = (x: number | null | undefined, decimals = 2) => signed(x, decimals).startsWith(MINUS);
