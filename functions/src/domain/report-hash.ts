// Hashes that let anyone re-check a reconciliation: `inputs_digest` over the inputs it
// used, `integrity_hash` over the report itself. node:crypto is a pure computation
// (no I/O, no clock, no randomness), so it belongs in the domain.

import { createHash, type Hash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/** sha256 of the UTF-8 encoding of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Fields of a reconciliation document left out of its integrity hash: the hash itself,
 * and the lifecycle fields a later version changes on the old document (`status` turns
 * "superseded", a later change marks it stale), which must not make the old version look
 * tampered with.
 */
export const INTEGRITY_HASH_EXCLUDED_FIELDS: readonly string[] = [
  "integrity_hash", "status", "superseded_by",
  // Set by later changes of the period's entries (shared/stale-marks.ts) and by the re-run that answers them.
  "stale", "stale_since", "stale_entry_ids", "stale_changes", "stale_resolved_at",
];

/**
 * sha256 hex of the canonical JSON (canonical-json.ts) of `report` without the fields in
 * INTEGRITY_HASH_EXCLUDED_FIELDS. Every other field counts, `inputs_digest` included.
 * The report must be plain data: convert Firestore Timestamps to Dates first, and leave
 * out values only the server knows after the write (a serverTimestamp sentinel).
 */
export function integrityHash(report: Readonly<Record<string, unknown>>): string {
  const hashed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(report)) {
    if (!INTEGRITY_HASH_EXCLUDED_FIELDS.includes(key)) hashed[key] = value;
  }
  return sha256Hex(canonicalJson(hashed));
}

/** One production entry used by a reconciliation, as listed in its `inputs` manifest. */
export interface InputRow {
  entry_id: string;
  partner_id: string;
  nsv_bbl: number;
}

/** The terminal receipt's measured fields; the optional ones take the defaults the measurement uses. */
export interface ReceiptMeasuredFields {
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
}

const INPUTS_DIGEST_HEADER = "flowshare/inputs-digest/v1\n";

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
 * The receipt may be given before, between or after the rows.
 */
export class InputsDigest {
  private readonly hash: Hash = createHash("sha256").update(INPUTS_DIGEST_HEADER, "utf8");
  private receiptLine: string | undefined;
  private rows = 0;
  private result: string | undefined;

  /** Adds the next input row. Returns this, for chaining. */
  addRow(row: Readonly<InputRow>): this {
    this.requireOpen();
    if (typeof row.entry_id !== "string" || typeof row.partner_id !== "string") {
      throw new TypeError(`input row ${this.rows}: entry_id and partner_id must be strings`);
    }
    const line = canonicalJson({ entry_id: row.entry_id, nsv_bbl: row.nsv_bbl, partner_id: row.partner_id });
    this.hash.update(`${line}\n`, "utf8");
    this.rows += 1;
    return this;
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
      this.result = this.hash.update(this.receiptLine, "utf8").digest("hex");
    }
    return this.result;
  }

  private requireOpen(): void {
    if (this.result !== undefined) throw new Error("the inputs digest is already final");
  }
}
