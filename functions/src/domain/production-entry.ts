import { hash as hashOnce } from "node:crypto";
import { z } from "zod";
import { fieldName } from "./field-names";

export { fieldName };

/** info: no effect on the verdict; warning: flagged; critical: rejected. */
export type AuditSeverity = "info" | "warning" | "critical";

/** One finding about an entry, as stored in `audit.reasons`. */
export interface AuditReason {
  code: string;
  field: string;
  severity: AuditSeverity;
  message: string;
}

/** Every schema reason's code starts with this (SCHEMA_MISSING, SCHEMA_WRONG_TYPE...). */
export const SCHEMA_CODE_PREFIX = "SCHEMA_";

/** The fields whose change means the entry must be audited again. */
export const MEASURED_FIELDS = [
  "partner_id",
  "measured_at",
  "gross_volume_bbl",
  "bsw_percent",
  "temperature_degF",
  "api_gravity",
  "pressure_psig",
  "meter_factor",
  "meter_id",
] as const;
export type MeasuredField = (typeof MEASURED_FIELDS)[number];

export const NOTE_MAX_LENGTH = 2000;
const ID_MAX_LENGTH = 128;
const METER_ID_MAX_LENGTH = 64;

/** A Firestore Timestamp, structurally (the domain does not import firebase). */
export interface TimestampLike {
  toDate(): Date;
  toMillis?(): number;
}

function isTimestampLike(value: unknown): value is TimestampLike {
  return typeof value === "object" && value !== null && typeof (value as { toDate?: unknown }).toDate === "function";
}

/**
 * A valid Date from a Date or a Timestamp-like value, else undefined; never throws. `floor`: a
 * Timestamp's sub-millisecond part is cut, as the security rules, the period scan (`toMillis()`)
 * and the web SDK take it; `toDate()` rounds it, so 04:59:59.9996 would be 05:00, the next
 * contract day. The audit's input hash keeps `toDate()`: the hashes stored were made with it.
 */
function toValidDate(value: unknown, floor = false): Date | undefined {
  let date: unknown = value;
  if (isTimestampLike(value)) {
    try {
      date = floor && typeof value.toMillis === "function" ? new Date(value.toMillis()) : value.toDate();
    } catch {
      return undefined;
    }
  }
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
}

const INVALID_TIMESTAMP = "invalid_timestamp";

/** The instant of a stored `measured_at` (a Date or a Timestamp) as the rules and the scan take it, its sub-millisecond part cut; undefined when it is none. */
export function measuredInstant(value: unknown): Date | undefined {
  return toValidDate(value, true);
}

function toDateOrIssue(value: unknown, ctx: z.core.$RefinementCtx<unknown>): Date {
  const date = toValidDate(value, true);
  if (date !== undefined) return date;
  ctx.issues.push({ code: "custom", message: INVALID_TIMESTAMP, input: value });
  return z.NEVER;
}

const timestamp = z.unknown().transform(toDateOrIssue);

/** Absent or null means "not set"; anything else must be a valid timestamp. */
const optionalTimestamp = z
  .unknown()
  .transform((value, ctx) => (value === null ? undefined : toDateOrIssue(value, ctx)))
  .optional();

/** Optional fields may be absent or null (a web form's empty input). */
const optionalNumber = (fallback: number) =>
  z
    .number()
    .nullish()
    .transform((v) => v ?? fallback);

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => (v === null || v === undefined || v.trim() === "" ? undefined : v));

/** The client-written fields of `production_entries/{id}`; server fields are stripped. */
export const productionEntrySchema = z.object({
  partner_id: z.string().min(1).max(ID_MAX_LENGTH),
  measured_at: timestamp,
  gross_volume_bbl: z.number(),
  bsw_percent: z.number(),
  temperature_degF: z.number(),
  api_gravity: z.number(),
  pressure_psig: optionalNumber(0),
  meter_factor: optionalNumber(1.0),
  meter_id: optionalText(METER_ID_MAX_LENGTH),
  note: optionalText(NOTE_MAX_LENGTH),
  correction_note: optionalText(NOTE_MAX_LENGTH),
  created_by: z.string().min(1).max(ID_MAX_LENGTH),
  created_at: optionalTimestamp,
});

export type ProductionEntry = z.output<typeof productionEntrySchema>;

export type ParseResult = { ok: true; entry: ProductionEntry } | { ok: false; reasons: AuditReason[] };

const EXPECTED: Record<string, string> = {
  number: "a number",
  string: "text",
  object: "a document (a map of fields)",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "an invalid date";
  if (isTimestampLike(value)) return "a timestamp that does not give a valid date";
  switch (typeof value) {
    case "string": {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `the text "${shown}"`;
    }
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `the boolean ${value}`;
    case "object":
      return "a map";
    default:
      return `a ${typeof value}`;
  }
}

function issueToReason(issue: z.core.$ZodIssue): AuditReason {
  const field = issue.path.length === 0 ? "document" : issue.path.map(String).join(".");
  const label = issue.path.length === 0 ? "The entry" : fieldName(field);
  const input = (issue as { input?: unknown }).input;
  const reason = (code: string, message: string): AuditReason => ({
    code: `${SCHEMA_CODE_PREFIX}${code}`,
    field,
    severity: "critical",
    message,
  });

  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (input === undefined) return reason("MISSING", `${label} is missing; it must be ${expected}.`);
      if (typeof input === "number" && !Number.isFinite(input)) {
        return reason("NOT_FINITE", `${label} must be a finite number, but is ${input}.`);
      }
      return reason("WRONG_TYPE", `${label} must be ${expected}, but is ${describeValue(input)}.`);
    }
    case "too_small":
      return reason("EMPTY", `${label} must not be empty.`);
    case "too_big": {
      const length = typeof input === "string" ? `${input.length} characters` : "too";
      return reason("TOO_LONG", `${label} is ${length} long; at most ${String(issue.maximum)} characters are allowed.`);
    }
    case "custom":
      if (input === undefined) return reason("MISSING", `${label} is missing; it must be a date and time.`);
      return reason("INVALID_DATE", `${label} must be a valid date and time (a timestamp), but is ${describeValue(input)}.`);
    default:
      return reason("INVALID", `${label} is invalid: ${issue.message}.`);
  }
}

/** Parses a raw document; never throws. One critical reason per schema problem. */
export function parseProductionEntry(raw: unknown): ParseResult {
  const result = productionEntrySchema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, entry: result.data };
  return { ok: false, reasons: result.error.issues.map(issueToReason) };
}

const MAX_CANONICAL_DEPTH = 8;

/** Deterministic JSON-like text: sorted keys, dates as ISO, non-finite numbers tagged. */
function canonical(value: unknown, depth = 0): string {
  if (value === undefined) return "null";
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":"${String(value)}"}`;
  }
  if (value instanceof Date || isTimestampLike(value)) {
    const date = toValidDate(value);
    return `{"$date":${date === undefined ? "null" : JSON.stringify(date.toISOString())}}`;
  }
  if (typeof value !== "object") return `{"$type":${JSON.stringify(typeof value)}}`;
  if (depth >= MAX_CANONICAL_DEPTH) return '{"$depth":true}';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(",")}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Some other SDK object (a reference, a GeoPoint...): tag its kind, never walk it.
    return `{"$object":${JSON.stringify(proto?.constructor?.name ?? "unknown")}}`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k], depth + 1)}`).join(",")}}`;
}

/**
 * sha256 (hex) over the measured fields exactly as found in the raw document. The
 * trigger compares it with `audit.input_hash`: equal means the write changed no
 * measured field (its own audit write, a review, a note), so no re-audit.
 */
export function auditInputHash(raw: unknown): string {
  const record = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  // canonical() of the measured fields as one object, written directly: the reconciliation
  // hashes every entry of a period, so no intermediate object and no per-call key sort.
  let text = "{";
  for (const [field, label] of MEASURED_KEYS) {
    const value = record[field];
    // Absent and undefined are the same to Firestore.
    if (value === undefined) continue;
    if (text.length > 1) text += ",";
    text += label + canonical(value, 1);
  }
  return hashOnce("sha256", text + "}", "hex");
}

/** The measured fields in canonical() key order, each with its `"key":` text. */
const MEASURED_KEYS: ReadonlyArray<readonly [MeasuredField, string]> = [...MEASURED_FIELDS]
  .sort()
  .map((field) => [field, `${JSON.stringify(field)}:`] as const);

/** The UTC date of a measurement, "YYYY-MM-DD": its contract day under the default settings (00:00 UTC). */
export function productionDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
