// The values a reader was told of (the integrity hash and the audit anchor a statement's footer
// prints), given to `npm run verify -- --expect-hash <hex> --expect-anchor <id>` and compared with
// the verified report's: a report and chain forged whole pass every check, and only a value
// compared with the one the partner was told of reveals it.

import { type VerificationReport } from "./report-verification";

export interface ExpectedValues {
  /** 64 hex digits, lowercase. */
  integrity_hash?: string;
  anchor_event_id?: string;
}

export interface ExpectationResult {
  /** What was compared, as the printout names it. */
  what: "integrity hash" | "audit anchor";
  /** The option it was given with. */
  option: "--expect-hash" | "--expect-anchor";
  expected: string;
  /** The verified report's own value; null when it has none. */
  found: string | null;
  ok: boolean;
}

const HASH_SHAPE = /^[0-9a-f]{64}$/i;
const ANCHOR_SHAPE = /^[^\s,]+$/;

/** `--expect-hash`'s value, lowercased; a RangeError names what is wrong with it. */
export function parseExpectedHash(value: string): string {
  if (!HASH_SHAPE.test(value)) {
    const scheme = /^[0-9a-f]{64}\s*\(v\d+\)$/i.test(value.trim()) ? ' without the scheme "(v2)" the statement prints after it' : "";
    throw new RangeError(
      `--expect-hash must be the 64 hex digits of the statement's "Integrity hash"${scheme}, got ${JSON.stringify(value)} (${value.length} characters)`,
    );
  }
  return value.toLowerCase();
}

/** `--expect-anchor`'s value; a RangeError names what is wrong with it. */
export function parseExpectedAnchor(value: string): string {
  if (!ANCHOR_SHAPE.test(value)) {
    throw new RangeError(
      `--expect-anchor must be the event id of the statement's "Audit anchor" alone (e.g. reconcile_pet-20261031_v1, without ", stream …"), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Each value given, compared with the report's: the hash in any case of hex, the anchor id exactly. */
export function compareExpected(report: VerificationReport, expected: ExpectedValues): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const { integrity_hash: hash, anchor } = report.out_of_band;
  if (expected.integrity_hash !== undefined) {
    results.push({
      what: "integrity hash",
      option: "--expect-hash",
      expected: expected.integrity_hash,
      found: hash,
      ok: hash !== null && hash.toLowerCase() === expected.integrity_hash.toLowerCase(),
    });
  }
  if (expected.anchor_event_id !== undefined) {
    const found = anchor?.event_id ?? null;
    results.push({
      what: "audit anchor",
      option: "--expect-anchor",
      expected: expected.anchor_event_id,
      found,
      ok: found === expected.anchor_event_id,
    });
  }
  return results;
}
