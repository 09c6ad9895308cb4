// The values a reader was told of (the integrity hash and the audit anchor a statement's footer
// prints), given to `npm run verify -- --expect-hash <hex> --expect-anchor <anchor>` and compared
// with the verified report's: a report and chain forged whole pass every check, and only a value
// compared with the one the partner was told of reveals it.

import { type VerificationReport } from "./report-verification";

/** The audit anchor as the statement printed it: its event id, and its place and hash where the copy holds them. */
export interface ExpectedAnchor {
  event_id: string;
  /** The footer's "stream S #N" (the CSV's "stream S, seq N"). */
  place?: { stream: string; seq: number };
  /** 64 hex digits, lowercase: the footer's "event hash", the CSV's "hash". */
  hash?: string;
}

export interface ExpectedValues {
  /** 64 hex digits, lowercase. */
  integrity_hash?: string;
  anchor?: ExpectedAnchor;
  /** `--expect-anchor-hash`: the anchor's event hash copied on its own (the footer prints it on a line of its own). */
  anchor_hash?: string;
}

export type ExpectedOption = "--expect-hash" | "--expect-anchor" | "--expect-anchor-hash";

export interface ExpectationResult {
  /** What was compared, as the printout names it. */
  what: "integrity hash" | "audit anchor" | "anchor event hash";
  /** The option it was given with. */
  option: ExpectedOption;
  expected: string;
  /** The verified report's own value, in the form it was given; null when it has none. */
  found: string | null;
  ok: boolean;
}

const HASH_SHAPE = /^[0-9a-f]{64}$/i;
const ID = String.raw`[^\s,()#]+`;
const HEX = "[0-9a-fA-F]{64}";
/** The three ways a statement prints its anchor: the id alone, the footer's (the PDF, the web app) and the CSV's `audit_anchor`. */
const ANCHOR_FORMS: ReadonlyArray<{ shape: RegExp; read: (m: RegExpExecArray) => ExpectedAnchor }> = [
  { shape: new RegExp(`^(${ID})$`), read: (m) => ({ event_id: m[1]! }) },
  {
    shape: new RegExp(String.raw`^(${ID}), stream (${ID}) #(\d{1,15})$`),
    read: (m) => ({ event_id: m[1]!, place: { stream: m[2]!, seq: Number(m[3]) } }),
  },
  {
    shape: new RegExp(String.raw`^(${ID}) \(stream (${ID}), seq (\d{1,15}), hash (${HEX})\)$`),
    read: (m) => ({ event_id: m[1]!, place: { stream: m[2]!, seq: Number(m[3]) }, hash: m[4]!.toLowerCase() }),
  },
];

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

/**
 * `--expect-anchor`'s value: the statement's "Audit anchor" as printed — the event id alone, the
 * footer's "<id>, stream <S> #<N>", or the CSV's "<id> (stream <S>, seq <N>, hash <64 hex>)" —
 * with the spaces around it ignored; a RangeError names the forms it may take.
 */
export function parseExpectedAnchor(value: string): ExpectedAnchor {
  const text = value.trim();
  for (const form of ANCHOR_FORMS) {
    const m = form.shape.exec(text);
    if (m) return form.read(m);
  }
  throw new RangeError(
    `--expect-anchor must be the statement's "Audit anchor" as printed: its event id (reconcile_r_v1), ` +
      `the footer's "reconcile_r_v1, stream receipt_r #1" or the CSV's "reconcile_r_v1 (stream receipt_r, seq 1, hash <64 hex>)"; got ${JSON.stringify(value)}`,
  );
}

/** `--expect-anchor-hash`'s value (the footer's "event hash", with or without those words), lowercased. */
export function parseExpectedAnchorHash(value: string): string {
  const hex = value.trim().replace(/^event hash\s+/i, "");
  if (!HASH_SHAPE.test(hex)) {
    throw new RangeError(
      `--expect-anchor-hash must be the 64 hex digits of the statement's anchor "event hash", got ${JSON.stringify(value)} (${value.length} characters)`,
    );
  }
  return hex.toLowerCase();
}

/** An anchor in the form it was given: the parts a reader gave are the parts compared. */
function anchorText(anchor: ExpectedAnchor): string {
  return anchor.place ? `${anchor.event_id}, stream ${anchor.place.stream} #${anchor.place.seq}` : anchor.event_id;
}

/**
 * Each value given, compared with the report's: the hashes in any case of hex, the anchor's id,
 * stream and sequence number exactly (those given).
 */
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
  const given = expected.anchor;
  if (given !== undefined) {
    const found = anchor ? anchorText({ event_id: anchor.event_id, ...(given.place ? { place: anchor } : {}) }) : null;
    results.push({ what: "audit anchor", option: "--expect-anchor", expected: anchorText(given), found, ok: found === anchorText(given) });
  }
  for (const [option, eventHash] of [
    ["--expect-anchor", given?.hash],
    ["--expect-anchor-hash", expected.anchor_hash],
  ] as const) {
    if (eventHash === undefined) continue;
    results.push({
      what: "anchor event hash",
      option,
      expected: eventHash,
      found: anchor?.hash ?? null,
      ok: anchor !== null && anchor.hash.toLowerCase() === eventHash,
    });
  }
  return results;
}
