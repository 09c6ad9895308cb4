// The closed shape of a statement bundle (flowshare/statement-bundle/v1) around its report: every
// key the exporter writes and nothing else. The report's own fields are the integrity hash's to
// judge; everything else in a bundle is a copy nothing hashes, so a key the verifier would not
// read (an "approved_by_all_partners", a row's "nsv_bbl_override") is refused rather than passed
// over in silence beside an OK.

import { changesComparedWith } from "./reconciliation-report";
import { MEASURED_ROW_FIELDS } from "./report-hash";
import { ALLOCATION_FIELDS, TOTAL_FIELDS } from "./report-verification";

/** The receipt fields a bundle carries: what the rules let a coordinator write, and what reconcile and withdrawReceipt add. */
export const BUNDLE_RECEIPT_FIELDS = [
  "period_start",
  "period_end",
  "terminal_name",
  ...MEASURED_ROW_FIELDS,
  "created_by",
  "created_at",
  "supersedes_receipt_id",
  "correction_note",
  "latest_reconciliation_id",
  "withdrawn",
  "withdrawn_by",
  "withdrawn_at",
  "withdrawal_note",
] as const;

const TOP_FIELDS = [
  "format",
  "how_to_verify",
  "reconciliation_id",
  "scope",
  "report",
  "salts",
  "manifest_rows",
  "manifest_problem",
  "receipt",
  "audit_events",
  "chain_head",
  "previous",
  "exclusions",
  "exclusions_problem",
  "adjustments",
  "adjustment_origins",
  "adjustment_approvals",
  "adjustment_decisions",
  "successors",
];
/** What a JV's evidence holds and a partner's never does (statement-bundle.ts partnerEvidence). */
const JV_ONLY_FIELDS = ["adjustments", "adjustment_origins", "adjustment_approvals", "adjustment_decisions"];
const EVENT_FIELDS = ["id", "seq", "at", "stream", "actor", "action", "subject", "details", "prev_hash", "hash"];
const ROW_FIELDS = ["entry_id", "partner_id", "nsv_bbl", ...MEASURED_ROW_FIELDS];
const EXCLUSION_FIELDS = ["entry_id", "partner_id", "reason"];
/**
 * A report's allocation line: the figures and, on a monthly close's lines, the partner's activity,
 * a zero line's reason and, for a partner that left the JV after the period's first day, the day it left.
 */
const ALLOCATION_LINE_FIELDS = [...ALLOCATION_FIELDS, "partner_active", "reason", "left_jv_on"];

type Json = Record<string, unknown>;

/** `$.a.b`, or `$.a["odd key"]` for a key that is no plain name. */
export function jsonPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function refuse(path: string, what: string): never {
  throw new TypeError(`not a FlowShare statement bundle: ${path} ${what}`);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fields(value: unknown, path: string, allowed: readonly string[], required: readonly string[] = []): Json {
  if (!isObject(value)) refuse(path, "must be an object");
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) refuse(jsonPath(path, key), "is not a field a statement bundle has there");
  }
  for (const key of required) {
    if (!(key in value)) refuse(jsonPath(path, key), "is missing");
  }
  return value;
}

function list(value: unknown, path: string, each: (item: unknown, path: string) => void): void {
  if (!Array.isArray(value)) refuse(path, "must be an array");
  value.forEach((item, i) => each(item, `${path}[${i}]`));
}

function map(value: unknown, path: string, each: (item: unknown, path: string) => void): void {
  if (!isObject(value)) refuse(path, "must be an object");
  for (const [key, item] of Object.entries(value)) each(item, jsonPath(path, key));
}

function event(value: unknown, path: string): void {
  fields(value, path, EVENT_FIELDS, EVENT_FIELDS);
}

function nullOr(check: (value: unknown, path: string) => void): (value: unknown, path: string) => void {
  return (value, path) => {
    if (value !== null) check(value, path);
  };
}

/**
 * Throws a TypeError naming the JSON path of the first key a bundle should not have there (or of
 * a part that is missing or misplaced). `howToVerify` holds the texts exporters have written, the
 * current one first.
 */
export function checkBundleShape(bundle: unknown, howToVerify: readonly [string, ...string[]]): void {
  const b = fields(bundle, "$", TOP_FIELDS, ["format", "reconciliation_id", "scope", "report", "manifest_rows", "audit_events"]);
  if (b.how_to_verify !== undefined && !howToVerify.includes(b.how_to_verify as string)) {
    const earlier =
      howToVerify.length > 1
        ? ` (or an earlier exporter's ${howToVerify
            .slice(1)
            .map((t) => JSON.stringify(t))
            .join(", ")})`
        : "";
    refuse("$.how_to_verify", `must read ${JSON.stringify(howToVerify[0])}${earlier}`);
  }
  const scope = fields(b.scope, "$.scope", ["kind", "partner_id"], ["kind"]);
  const partner = scope.kind === "partner";
  if (!partner && scope.kind !== "jv") refuse("$.scope.kind", 'must be "jv" or "partner"');
  if (partner && typeof scope.partner_id !== "string") refuse("$.scope.partner_id", "must be a string");
  if (!partner && "partner_id" in scope) refuse("$.scope.partner_id", "is not a field of a JV bundle's scope");
  if (!isObject(b.report)) refuse("$.report", "must be an object");

  // A partner's bundle holds its own salt and no other; a JV's report holds its leaf key instead.
  if (partner) {
    const salts = fields(b.salts, "$.salts", [scope.partner_id as string], [scope.partner_id as string]);
    if (typeof salts[scope.partner_id as string] !== "string") refuse(jsonPath("$.salts", scope.partner_id as string), "must be a string");
  } else if ("salts" in b) {
    refuse("$.salts", "is not a field of a JV bundle");
  }
  for (const key of JV_ONLY_FIELDS) if (partner && key in b) refuse(jsonPath("$", key), "is not a field of a partner's bundle");

  if (b.manifest_rows !== null) list(b.manifest_rows, "$.manifest_rows", (row, path) => fields(row, path, ROW_FIELDS));
  if ("manifest_problem" in b && (b.manifest_rows !== null || typeof b.manifest_problem !== "string")) {
    refuse("$.manifest_problem", "is a string said only of manifest rows that could not be read (manifest_rows null)");
  }
  if ("exclusions" in b) list(b.exclusions, "$.exclusions", (row, path) => fields(row, path, EXCLUSION_FIELDS, EXCLUSION_FIELDS));
  if ("exclusions_problem" in b && ("exclusions" in b || typeof b.exclusions_problem !== "string")) {
    refuse("$.exclusions_problem", "is a string said only of exclusions that could not be read (no exclusions)");
  }
  // The exporter reads the exclusion chunks of every report that has them: a bundle without them would leave their check out.
  if ((b.report as Json).exclusions !== undefined && !("exclusions" in b) && !("exclusions_problem" in b)) {
    refuse("$.exclusions", "is missing: the report has exclusion chunks");
  }

  if ("receipt" in b) nullOr((r, path) => fields(r, path, BUNDLE_RECEIPT_FIELDS))(b.receipt, "$.receipt");
  list(b.audit_events, "$.audit_events", event);
  const events = b.audit_events as unknown[];
  if (b.chain_head === null || b.chain_head === undefined) {
    // Without a head the verifier would take the last event given for it.
    if (events.length > 0) refuse("$.chain_head", "must be {seq, hash}: the stream has events");
  } else {
    fields(b.chain_head, "$.chain_head", ["seq", "hash"], ["seq", "hash"]);
  }

  if (b.previous !== null && b.previous !== undefined) {
    if (partner) refuse("$.previous", "must be null in a partner's bundle");
    if (changesComparedWith(b.report) === null) refuse("$.previous", "must be null: the report compares with no earlier version");
    const previous = fields(b.previous, "$.previous", ["allocations", "totals"], ["allocations", "totals"]);
    list(previous.allocations, "$.previous.allocations", (row, path) => fields(row, path, ALLOCATION_LINE_FIELDS));
    fields(previous.totals, "$.previous.totals", TOTAL_FIELDS);
  }

  // Adjustment documents are copied as stored, with whatever fields their lifecycle wrote: only their keys are closed.
  if ("adjustments" in b) {
    map(b.adjustments, "$.adjustments", (doc, path) => {
      if (!isObject(doc)) refuse(path, "must be an object");
    });
  }
  if ("adjustment_origins" in b) {
    map(
      b.adjustment_origins,
      "$.adjustment_origins",
      nullOr((o, path) => fields(o, path, ["changes_from_previous", "supersedes_receipt"])),
    );
  }
  if ("adjustment_approvals" in b) map(b.adjustment_approvals, "$.adjustment_approvals", nullOr(event));
  if ("adjustment_decisions" in b) map(b.adjustment_decisions, "$.adjustment_decisions", (d, path) => list(d, path, event));
  if ("successors" in b) {
    list(b.successors, "$.successors", (s, path) => {
      const successor = fields(
        s,
        path,
        ["reconciliation_id", "terminal_receipt_id", "replaces"],
        ["reconciliation_id", "terminal_receipt_id"],
      );
      if (typeof successor.reconciliation_id !== "string" || typeof successor.terminal_receipt_id !== "string") {
        refuse(path, "must be {reconciliation_id, terminal_receipt_id} with string ids");
      }
    });
  }
}
