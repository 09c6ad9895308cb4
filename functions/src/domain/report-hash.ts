// Hashes that let anyone re-check a reconciliation: `inputs_digest` over the inputs it
// used, `integrity_hash` over the report itself. node:crypto is a pure computation
// (no I/O, no clock, no randomness), so it belongs in the domain.

import { createHash, createHmac, hash as hashOnce, type Hash } from "node:crypto";
import { canonicalJson, canonicalTypedJson } from "./canonical-json";
import { RELEASE_FIELDS } from "./release";

/** sha256 of the UTF-8 encoding of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return hashOnce("sha256", text, "hex");
}

/**
 * Fields of a reconciliation document left out of its integrity hash: the hash itself,
 * and the lifecycle fields a later version changes on the old document (`status` turns
 * "superseded", a later change marks it stale), which must not make the old version look
 * tampered with.
 */
export const INTEGRITY_HASH_EXCLUDED_FIELDS: readonly string[] = [
  "integrity_hash",
  "status",
  "superseded_by",
  // Set by later changes of the period's entries (shared/stale-marks.ts) and by the re-run that answers them.
  "stale",
  "stale_since",
  "stale_entry_ids",
  "stale_changes",
  "stale_resolved_at",
  // On versions made before closes were recorded on their days: set by that code's closing commit, removed by its check after it.
  "close_check_pending",
  // Its release to the partners (release.ts), decided after the version is made.
  ...RELEASE_FIELDS,
];

/** Reports written before `hash_scheme` existed: untyped canonical JSON of the whole report. */
export const REPORT_HASH_V1 = "flowshare/report-hash/v1";
/** Typed canonical JSON, per-partner rows sealed as salted leaf hashes (see integrityHash). */
export const REPORT_HASH_V2 = "flowshare/report-hash/v2";
export type ReportHashScheme = typeof REPORT_HASH_V1 | typeof REPORT_HASH_V2;

/** v2 also leaves out the key the leaf salts derive from: a partner's bundle cannot carry it. */
const V2_EXCLUDED_FIELDS: readonly string[] = [...INTEGRITY_HASH_EXCLUDED_FIELDS, "leaf_key"];

/**
 * The report's arrays of partner rows (each row has a `partner_id`): in scheme v2 each row
 * enters the hash as a salted leaf hash, so a partner's statement can carry its own rows in
 * the clear and everyone else's as `{sealed: leafHash}` and still reproduce the hash.
 */
export const SEALED_SECTIONS: readonly string[] = [
  "allocations",
  "excluded",
  "changes_from_previous.partners",
  "prior_period_adjustments",
  "net_positions",
  "partner_inputs",
  "corrections",
];

export interface SealedRow {
  sealed: string;
}

export function isSealedRow(row: unknown): row is SealedRow {
  return typeof row === "object" && row !== null && Object.keys(row).length === 1 && typeof (row as SealedRow).sealed === "string";
}

/** The scheme a stored report was hashed with: its `hash_scheme`, v1 when absent. */
export function hashSchemeOf(report: Readonly<Record<string, unknown>>): ReportHashScheme | string {
  return typeof report.hash_scheme === "string" ? report.hash_scheme : REPORT_HASH_V1;
}

/** A partner's leaf salt: HMAC-SHA256 of its id under the report's `leaf_key`. */
export function partnerSalt(leafKey: string, partnerId: string): string {
  return createHmac("sha256", leafKey).update(partnerId, "utf8").digest("hex");
}

/** The v2 leaf hash of one partner row. */
export function leafHash(salt: string, row: unknown): string {
  return sha256Hex(`flowshare/report-leaf/v2\n${salt}\n${canonicalTypedJson(row)}`);
}

function sectionAt(
  report: Record<string, unknown>,
  path: string,
): { parent: Record<string, unknown>; key: string; rows: unknown[] } | undefined {
  const parts = path.split(".");
  let parent: unknown = report;
  for (const part of parts.slice(0, -1)) {
    parent = parent !== null && typeof parent === "object" ? (parent as Record<string, unknown>)[part] : undefined;
  }
  if (parent === null || typeof parent !== "object") return undefined;
  const key = parts[parts.length - 1]!;
  const rows = (parent as Record<string, unknown>)[key];
  return Array.isArray(rows) ? { parent: parent as Record<string, unknown>, key, rows } : undefined;
}

function cloneObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneObjects);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneObjects(v)]));
  }
  return value;
}

/**
 * How a v2 report's partner rows are salted: from its `leaf_key` (the stored report), or
 * from the salts a partner's bundle carries for its own rows.
 */
function saltSource(report: Readonly<Record<string, unknown>>, salts?: Readonly<Record<string, string>>): (partnerId: string) => string {
  const leafKey = typeof report.leaf_key === "string" ? report.leaf_key : undefined;
  return (partnerId) => {
    const salt = salts?.[partnerId] ?? (leafKey === undefined ? undefined : partnerSalt(leafKey, partnerId));
    if (salt === undefined) throw new TypeError(`report hash v2: no leaf salt for partner ${partnerId}'s rows`);
    return salt;
  };
}

/** Replaces the rows of `partnerIds` (or of every partner but `keep`) by their sealed leaf. */
export function sealRows(report: Readonly<Record<string, unknown>>, keep: (partnerId: string) => boolean): Record<string, unknown> {
  const saltOf = saltSource(report);
  const copy = cloneObjects(report) as Record<string, unknown>;
  for (const path of SEALED_SECTIONS) {
    const section = sectionAt(copy, path);
    if (!section) continue;
    section.parent[section.key] = section.rows.map((row) => {
      if (isSealedRow(row)) return row;
      const partnerId = String((row as { partner_id?: unknown }).partner_id);
      return keep(partnerId) ? row : { sealed: leafHash(saltOf(partnerId), row) };
    });
  }
  return copy;
}

/**
 * The integrity hash of a stored report, by its scheme:
 *
 * - v1 (no `hash_scheme`): sha256 hex of the canonical JSON of the report without
 *   INTEGRITY_HASH_EXCLUDED_FIELDS (a Date and its ISO string hash alike);
 * - v2: sha256 hex of `flowshare/report-hash/v2\n` + the typed canonical JSON of the report
 *   without those fields and `leaf_key`, in which every row of SEALED_SECTIONS is replaced
 *   by its leaf hash: sha256 of `flowshare/report-leaf/v2\n<salt>\n<typed canonical row>`,
 *   salt = HMAC-SHA256(leaf_key, partner_id) hex (or `salts[partner_id]`); a row already
 *   sealed as `{sealed: h}` enters as h.
 *
 * Every other field counts, `inputs_digest` included. The report must be plain data:
 * convert Firestore Timestamps to Dates first.
 */
export function integrityHash(report: Readonly<Record<string, unknown>>, salts?: Readonly<Record<string, string>>): string {
  const scheme = hashSchemeOf(report);
  if (scheme === REPORT_HASH_V1) {
    const hashed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(report)) {
      if (!INTEGRITY_HASH_EXCLUDED_FIELDS.includes(key)) hashed[key] = value;
    }
    return sha256Hex(canonicalJson(hashed));
  }
  if (scheme !== REPORT_HASH_V2) throw new TypeError(`unknown report hash scheme ${JSON.stringify(scheme)}`);
  const hashed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report)) {
    if (!V2_EXCLUDED_FIELDS.includes(key)) hashed[key] = cloneObjects(value);
  }
  const saltOf = saltSource(report, salts);
  for (const path of SEALED_SECTIONS) {
    const section = sectionAt(hashed, path);
    if (!section) continue;
    section.parent[section.key] = section.rows.map((row) => {
      if (isSealedRow(row)) return row.sealed;
      const partnerId = (row as { partner_id?: unknown })?.partner_id;
      if (typeof partnerId !== "string") throw new TypeError(`report hash v2: a row of ${path} has no partner_id`);
      return leafHash(saltOf(partnerId), row);
    });
  }
  return sha256Hex(`${REPORT_HASH_V2}\n${canonicalTypedJson(hashed)}`);
}

/**
 * sha256 over a reconciliation's excluded entries in entry-id order, one canonical JSON line
 * `{"entry_id","partner_id","reason"}` each, joined by "\n": the report's
 * `exclusions_digest`, recomputable from the `exclusions` chunks beside the report.
 */
export function exclusionsDigest(rows: ReadonlyArray<{ entry_id: string; partner_id: string; reason: string }>): string {
  return sha256Hex(rows.map((r) => canonicalJson({ entry_id: r.entry_id, partner_id: r.partner_id, reason: r.reason })).join("\n"));
}

/** One partner's own manifest rows and exclusions, digested: a partner's bundle can then show they are the reconciled ones. */
export interface PartnerInputs {
  partner_id: string;
  entries: number;
  rows_digest: string;
  excluded: number;
  exclusions_digest: string;
}

const PARTNER_ROWS_HEADER = "flowshare/partner-rows/v1\n";
const byEntryId = <T extends { entry_id: string }>(a: T, b: T) => (a.entry_id < b.entry_id ? -1 : a.entry_id > b.entry_id ? 1 : 0);

/**
 * Per partner of `lined` (the report's allocation lines) with used or excluded entries, sorted
 * by partner id: the sha256 of its manifest
 * rows (one canonical JSON line of the v2 row fields each, in entry-id order, after
 * `flowshare/partner-rows/v1`) and of its exclusions (as exclusionsDigest, in entry-id order).
 * The report's `partner_inputs`, a sealed section: the integrity hash binds each partner's own
 * entries and exclusions, which its bundle alone can recompute.
 */
export function partnerInputs(
  rows: ReadonlyArray<MeasuredInputRow>,
  exclusions: ReadonlyArray<{ entry_id: string; partner_id: string; reason: string }>,
  lined: ReadonlySet<string>,
  /** Each row's measuredRowLine, index for index, when the caller has them already (the scan makes them). */
  lines?: readonly string[],
): PartnerInputs[] {
  const byPartner = new Map<
    string,
    { rows: Array<{ entry_id: string; line: string }>; exclusions: Array<{ entry_id: string; partner_id: string; reason: string }> }
  >();
  const of = (partnerId: string) => {
    let found = byPartner.get(partnerId);
    if (!found) byPartner.set(partnerId, (found = { rows: [], exclusions: [] }));
    return found;
  };
  if (lines && lines.length !== rows.length) throw new Error(`partnerInputs: ${lines.length} lines given for ${rows.length} rows`);
  rows.forEach((row, i) => of(row.partner_id).rows.push({ entry_id: row.entry_id, line: lines?.[i] ?? measuredRowLine(row) }));
  for (const exclusion of exclusions) of(exclusion.partner_id).exclusions.push(exclusion);
  // Exclusions of ids without a line (unknown partners, any number of them) stay in the JV's
  // exclusions digest only: the report's size is bounded by its lines.
  return [...byPartner.entries()]
    .filter(([partnerId]) => lined.has(partnerId))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partner_id, own]) => ({
      partner_id,
      entries: own.rows.length,
      rows_digest: partnerRowsDigest(own.rows),
      excluded: own.exclusions.length,
      exclusions_digest: exclusionsDigest([...own.exclusions].sort(byEntryId)),
    }));
}

function partnerRowsDigest(rows: ReadonlyArray<{ entry_id: string; line: string }>): string {
  const hash = createHash("sha256").update(PARTNER_ROWS_HEADER, "utf8");
  let pending = "";
  for (const row of [...rows].sort(byEntryId)) {
    pending += `${row.line}\n`;
    if (pending.length >= PENDING_FLUSH) {
      hash.update(pending, "utf8");
      pending = "";
    }
  }
  return hash.update(pending, "utf8").digest("hex");
}

/** One production entry used by a reconciliation, as listed in its `inputs` manifest. */
export interface InputRow {
  entry_id: string;
  partner_id: string;
  nsv_bbl: number;
}

/**
 * A manifest row of scheme v2: the entry's measured inputs as the engine used them
 * (missing pressure 0 psig, missing meter factor 1), so that its NSV re-derives.
 */
export interface MeasuredInputRow extends InputRow {
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig: number;
  meter_factor: number;
}

export const MEASURED_ROW_FIELDS = [
  "gross_volume_bbl",
  "bsw_percent",
  "temperature_degF",
  "api_gravity",
  "pressure_psig",
  "meter_factor",
] as const;

/** The terminal receipt's measured fields; the optional ones take the defaults the measurement uses. */
export interface ReceiptMeasuredFields {
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
}

/** A row's fields in each version, in canonical key order, each with its `"key":` text. */
const ROW_KEYS = {
  1: rowKeys(["entry_id", "nsv_bbl", "partner_id"]),
  2: rowKeys(["entry_id", "nsv_bbl", "partner_id", ...MEASURED_ROW_FIELDS]),
} as const;
function rowKeys(fields: readonly string[]): ReadonlyArray<readonly [string, string]> {
  return [...fields].sort().map((field) => [field, `${JSON.stringify(field)}:`] as const);
}
/** Pending row text (UTF-16 code units) given to the hash at once. */
const PENDING_FLUSH = 64 * 1024;

/**
 * canonicalJson of the row's `keys`, written directly when every value is a string or a finite
 * number (every row a reconciliation adds); any other value takes canonicalJson itself, which
 * writes or refuses it. Joined rather than concatenated: a scan keeps its lines, and a line made
 * with `+=` is a tree of some 25 pieces in V8 (100,000 lines held 119 MB against 37 MB flat).
 */
function rowLine(row: Record<string, unknown>, keys: ReadonlyArray<readonly [string, string]>): string {
  const fields: string[] = [];
  for (const [key, label] of keys) {
    const value = row[key];
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
      fields.push(label + JSON.stringify(value));
    } else {
      return canonicalJson(Object.fromEntries(keys.map(([k]) => [k, row[k]])));
    }
  }
  return `{${fields.join(",")}}`;
}

/** A v2 manifest row's canonical JSON line: what the inputs digest and a partner's rows digest hash, and what a manifest chunk stores. */
export function measuredRowLine(row: Readonly<MeasuredInputRow>): string {
  return rowLine(row as unknown as Record<string, unknown>, ROW_KEYS[2]);
}

const INPUTS_DIGEST_HEADERS = { 1: "flowshare/inputs-digest/v1\n", 2: "flowshare/inputs-digest/v2\n" } as const;
/** The inputs digest version of a report hash scheme. */
export function inputsDigestVersion(scheme: string): 1 | 2 {
  return scheme === REPORT_HASH_V1 ? 1 : 2;
}

/**
 * The sha256 of a reconciliation's inputs, fed one row at a time so that 100,000 rows
 * never sit in one array. The hashed text is, in UTF-8:
 *
 *     flowshare/inputs-digest/v1\n
 *     {"entry_id":…,"nsv_bbl":…,"partner_id":…}\n      one line per row, in read order
 *     receipt {"api_gravity":…,"bsw_percent":…,"gross_volume_bbl":…,"meter_factor":…,
 *              "pressure_psig":…,"temperature_degF":…}   (one line, no trailing newline)
 *
 * each line canonical JSON of exactly those fields (missing pressure is 0, missing meter
 * factor 1), so a verifier can recompute it from the `inputs` chunks and the receipt.
 * The receipt may be given before, between or after the rows. Version 2 (reports of hash
 * scheme v2) starts `flowshare/inputs-digest/v2` and each row line also holds the row's
 * measured inputs (MEASURED_ROW_FIELDS), so a manifest edit that keeps the NSV still shows.
 */
export class InputsDigest {
  private readonly hash: Hash;

  constructor(readonly version: 1 | 2 = 2) {
    this.hash = createHash("sha256").update(INPUTS_DIGEST_HEADERS[version], "utf8");
  }
  private receiptLine: string | undefined;
  /** Row lines not yet given to the hash. */
  private pending = "";
  private rows = 0;
  private result: string | undefined;

  /**
   * Adds the next input row. Returns this, for chaining. `line`, the row's measuredRowLine when
   * the caller made it already (a v2 digest only), saves making it again.
   */
  addRow(row: Readonly<InputRow> | Readonly<MeasuredInputRow>, line?: string): this {
    this.requireOpen();
    if (typeof row.entry_id !== "string" || typeof row.partner_id !== "string") {
      throw new TypeError(`input row ${this.rows}: entry_id and partner_id must be strings`);
    }
    if (this.version === 2) {
      for (const name of MEASURED_ROW_FIELDS) {
        const value = (row as Partial<MeasuredInputRow>)[name];
        if (typeof value !== "number")
          throw new TypeError(`input row ${this.rows} (${row.entry_id}): ${name} must be a number, got ${typeof value}`);
      }
    }
    const text =
      line !== undefined && this.version === 2 ? line : rowLine(row as unknown as Record<string, unknown>, ROW_KEYS[this.version]);
    this.pending += `${text}\n`;
    // One hash update per many rows: a reconciliation adds one row per used entry.
    if (this.pending.length >= PENDING_FLUSH) this.flush();
    this.rows += 1;
    return this;
  }

  private flush(): void {
    this.hash.update(this.pending, "utf8");
    this.pending = "";
  }

  /** Sets the receipt's measured fields (once). Returns this, for chaining. */
  setReceipt(receipt: Readonly<ReceiptMeasuredFields>): this {
    this.requireOpen();
    if (this.receiptLine !== undefined) throw new Error("the receipt of an inputs digest is already set");
    const fields = {
      gross_volume_bbl: receipt.gross_volume_bbl,
      bsw_percent: receipt.bsw_percent,
      temperature_degF: receipt.temperature_degF,
      api_gravity: receipt.api_gravity,
      pressure_psig: receipt.pressure_psig ?? 0,
      meter_factor: receipt.meter_factor ?? 1,
    };
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value !== "number") throw new TypeError(`receipt ${name} must be a number, got ${typeof value}`);
    }
    this.receiptLine = `receipt ${canonicalJson(fields)}`;
    return this;
  }

  /** How many rows have been added. */
  get rowCount(): number {
    return this.rows;
  }

  /** The hex digest. Needs the receipt; may be called again, but no row can be added after it. */
  digest(): string {
    if (this.result === undefined) {
      if (this.receiptLine === undefined) throw new Error("an inputs digest needs the receipt's measured fields");
      this.flush();
      this.result = this.hash.update(this.receiptLine, "utf8").digest("hex");
    }
    return this.result;
  }

  private requireOpen(): void {
    if (this.result !== undefined) throw new Error("the inputs digest is already final");
  }
}
