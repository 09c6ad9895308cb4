// A statement's verification bundle: one JSON file holding everything needed to re-check a
// reconciliation offline (the report, its manifest rows, the receipt, the receipt's audit
// chain), with Dates tagged as {"$date": ISO} so the typed hash reproduces. A partner's
// bundle holds only its own rows in the clear: every other partner's report rows are
// sealed leaf hashes (report-hash.ts) and its manifest rows are left out.

import { type ChainedAuditEvent } from "./audit-chain";
import { fromTypedJson, PROTO_KEY, toTypedJson } from "./canonical-json";
import { hashSchemeOf, partnerSalt, REPORT_HASH_V1, sealRows } from "./report-hash";
import { verifyReportEvidence, type ReportEvidence, type VerificationReport } from "./report-verification";
import { BUNDLE_RECEIPT_FIELDS, checkBundleShape } from "./statement-bundle-shape";
import { parseStrictJson } from "./strict-json";
import { UNCHECKED } from "./unchecked-in-words";

export const STATEMENT_BUNDLE_FORMAT = "flowshare/statement-bundle/v1";
export const VERIFY_COMMAND = "npm run verify -- --bundle <file>.json";
const HOW_TO_VERIFY = `${VERIFY_COMMAND} --expect-hash <the "Integrity hash" of the statement you were given> (FlowShare's scripts/verify.ts; no network, no Firebase)`;
/** Every text an exporter has written as `how_to_verify`, the current first: bundles already handed out stay readable. */
const HOW_TO_VERIFY_TEXTS = [HOW_TO_VERIFY, `${VERIFY_COMMAND} (FlowShare's scripts/verify.ts; no network, no Firebase)`] as const;

/** The evidence one partner may see: its own rows and excluded entries, the shared terminal and totals, the anchor. */
export function partnerEvidence(evidence: ReportEvidence, partnerId: string): ReportEvidence {
  const report = evidence.report;
  if (hashSchemeOf(report) === REPORT_HASH_V1) {
    throw new RangeError(
      `${evidence.reconciliation_id} was hashed with scheme v1, which cannot seal other partners' rows; reconcile the receipt again for a partner statement`,
    );
  }
  if (typeof report.leaf_key !== "string") throw new RangeError(`${evidence.reconciliation_id} has no leaf key`);
  // Outside the hash: the stale mark's entry ids are other partners' entries too (its count stays).
  const { leaf_key: leafKey, stale_entry_ids: _othersToo, ...sealed } = sealRows(report, (p) => p === partnerId);
  return {
    reconciliation_id: evidence.reconciliation_id,
    report: sealed,
    partner_id: partnerId,
    salts: { [partnerId]: partnerSalt(leafKey as string, partnerId) },
    rows: evidence.rows?.filter((r) => r.partner_id === partnerId),
    ...(evidence.rows_problem ? { rows_problem: evidence.rows_problem } : {}),
    // Its own excluded entries from the chunks: the report's preview lists only the first few of everyone's.
    ...(evidence.exclusions ? { exclusions: evidence.exclusions.filter((e) => e.partner_id === partnerId) } : {}),
    ...(evidence.exclusions_problem ? { exclusions_problem: evidence.exclusions_problem } : {}),
    receipt: evidence.receipt,
    audit_events: evidence.audit_events,
    ...(evidence.chain_head ? { chain_head: evidence.chain_head } : {}),
  };
}

/** The bundle as JSON-ready data. */
export function statementBundle(evidence: ReportEvidence): Record<string, unknown> {
  return {
    format: STATEMENT_BUNDLE_FORMAT,
    how_to_verify: HOW_TO_VERIFY,
    reconciliation_id: evidence.reconciliation_id,
    scope: evidence.partner_id === undefined ? { kind: "jv" } : { kind: "partner", partner_id: evidence.partner_id },
    report: toTypedJson(evidence.report),
    ...(evidence.salts ? { salts: evidence.salts } : {}),
    manifest_rows: evidence.rows ?? null,
    ...(evidence.rows_problem ? { manifest_problem: evidence.rows_problem } : {}),
    receipt: evidence.receipt === undefined ? null : toTypedJson(receiptFields(evidence.receipt)),
    audit_events: toTypedJson(evidence.audit_events),
    chain_head: evidence.chain_head ?? null,
    previous: evidence.previous ?? null,
    ...(evidence.exclusions ? { exclusions: evidence.exclusions } : {}),
    ...(evidence.exclusions_problem ? { exclusions_problem: evidence.exclusions_problem } : {}),
    ...(evidence.adjustments ? { adjustments: toTypedJson(evidence.adjustments) } : {}),
    ...(evidence.adjustment_origins ? { adjustment_origins: toTypedJson(evidence.adjustment_origins) } : {}),
    ...(evidence.adjustment_approvals ? { adjustment_approvals: toTypedJson(evidence.adjustment_approvals) } : {}),
    ...(evidence.adjustment_decisions ? { adjustment_decisions: toTypedJson(evidence.adjustment_decisions) } : {}),
    ...(evidence.successors ? { successors: evidence.successors } : {}),
  };
}

/** The receipt's fields a bundle carries (the document may hold others, which nothing reads). */
function receiptFields(receipt: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(BUNDLE_RECEIPT_FIELDS.filter((f) => receipt[f] !== undefined).map((f) => [f, receipt[f]]));
}

function need(condition: boolean, what: string): void {
  if (!condition) throw new TypeError(`not a FlowShare statement bundle: ${what}`);
}

/** Where `value` holds a "__proto__" key, if anywhere. */
function protoKeyPath(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const at = protoKeyPath(value[i], `${path}[${i}]`);
      if (at) return at;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key === PROTO_KEY) return path;
    const at = protoKeyPath((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (at) return at;
  }
  return undefined;
}

/** Reads a bundle back into evidence; a TypeError says what is malformed. */
export function evidenceOfBundle(bundle: unknown): ReportEvidence {
  need(bundle !== null && typeof bundle === "object" && !Array.isArray(bundle), "the file does not hold a JSON object");
  const protoAt = protoKeyPath(bundle, "$");
  need(protoAt === undefined, `the object at ${protoAt} has a "__proto__" key, which JavaScript would read as its prototype`);
  const b = bundle as Record<string, unknown>;
  need(b.format === STATEMENT_BUNDLE_FORMAT, `format must be ${STATEMENT_BUNDLE_FORMAT}, got ${JSON.stringify(b.format)}`);
  need(typeof b.reconciliation_id === "string", "reconciliation_id must be a string");
  need(b.report !== null && typeof b.report === "object", "report must be an object");
  need(Array.isArray(b.audit_events), "audit_events must be an array");
  need(b.manifest_rows === null || Array.isArray(b.manifest_rows), "manifest_rows must be an array");
  const scope = (b.scope ?? {}) as { kind?: string; partner_id?: unknown };
  need(
    scope.kind === "jv" || (scope.kind === "partner" && typeof scope.partner_id === "string"),
    "scope must be {kind: jv} or {kind: partner, partner_id}",
  );
  checkBundleShape(b, HOW_TO_VERIFY_TEXTS);
  const events = (fromTypedJson(b.audit_events, "$.audit_events") as ChainedAuditEvent[]).map((e, i) => {
    need(e.at instanceof Date, `audit_events[${i}].at must be a $date`);
    return e;
  });
  const head = b.chain_head as { seq: number; hash: string } | null | undefined;
  return {
    reconciliation_id: b.reconciliation_id as string,
    report: fromTypedJson(b.report, "$.report") as Record<string, unknown>,
    ...(scope.kind === "partner" ? { partner_id: scope.partner_id as string } : {}),
    ...(b.salts ? { salts: b.salts as Record<string, string> } : {}),
    rows: (b.manifest_rows as ReportEvidence["rows"]) ?? undefined,
    ...(typeof b.manifest_problem === "string" ? { rows_problem: b.manifest_problem } : {}),
    receipt: b.receipt ? (fromTypedJson(b.receipt, "$.receipt") as Record<string, unknown>) : undefined,
    audit_events: events,
    ...(head ? { chain_head: head } : {}),
    from_bundle: true,
    ...(b.previous ? { previous: b.previous as NonNullable<ReportEvidence["previous"]> } : {}),
    ...(Array.isArray(b.exclusions) ? { exclusions: b.exclusions as NonNullable<ReportEvidence["exclusions"]> } : {}),
    ...(typeof b.exclusions_problem === "string" ? { exclusions_problem: b.exclusions_problem } : {}),
    ...(b.adjustments ? { adjustments: fromTypedJson(b.adjustments, "$.adjustments") as NonNullable<ReportEvidence["adjustments"]> } : {}),
    ...(b.adjustment_origins
      ? {
          adjustment_origins: fromTypedJson(b.adjustment_origins, "$.adjustment_origins") as NonNullable<
            ReportEvidence["adjustment_origins"]
          >,
        }
      : {}),
    ...(b.adjustment_approvals
      ? {
          adjustment_approvals: fromTypedJson(b.adjustment_approvals, "$.adjustment_approvals") as NonNullable<
            ReportEvidence["adjustment_approvals"]
          >,
        }
      : {}),
    ...(b.adjustment_decisions
      ? {
          adjustment_decisions: fromTypedJson(b.adjustment_decisions, "$.adjustment_decisions") as NonNullable<
            ReportEvidence["adjustment_decisions"]
          >,
        }
      : {}),
    ...(Array.isArray(b.successors) ? { successors: b.successors as NonNullable<ReportEvidence["successors"]> } : {}),
  };
}

/**
 * Verifies a bundle's text with no network, as `npm run verify -- --bundle` does: the text read
 * strictly (strict-json.ts: a repeated key or a "__proto__" key is refused; JSON.parse alone
 * cannot see a repeated key, so a bundle could show another figure to another JSON reader),
 * then verifyStatementBundle. A leading byte-order mark is dropped. A BundleRefused (a TypeError)
 * says why a text is refused: not JSON, a refused key, or not a statement bundle.
 */
export function verifyStatementBundleText(text: string): VerificationReport {
  const parsed = parseStrictJson(text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) {
    const why = parsed.reason === "repeated_key" ? ": a bundle must read the same in every JSON reader" : "";
    throw new BundleRefused(`${parsed.error}${why}`);
  }
  let evidence: ReportEvidence;
  try {
    evidence = evidenceOfBundle(parsed.value);
  } catch (error) {
    if (error instanceof TypeError) throw new BundleRefused(error.message);
    throw error;
  }
  return verifyBundleEvidence(evidence);
}

/** A text verifyStatementBundleText refuses to read as a bundle (what the verifier itself may throw is not one). */
export class BundleRefused extends TypeError {
  override name = "BundleRefused";
}

/**
 * Verifies a bundle already parsed, with no network: every check of the live verifier that its
 * contents allow, and what it cannot know (that the copies it holds are what the operator
 * stores). It cannot see keys the parser dropped: verify a bundle's text with verifyStatementBundleText.
 */
export function verifyStatementBundle(bundle: unknown): VerificationReport {
  return verifyBundleEvidence(evidenceOfBundle(bundle));
}

function verifyBundleEvidence(evidence: ReportEvidence): VerificationReport {
  const report = verifyReportEvidence(evidence);
  report.not_checked.push(
    "that the receipt and audit chain in the bundle are the ones stored now: compare the anchor (the reconcile event's hash) with the operator's audit log, or run verifyReconciliation",
  );
  report.not_checked_in_words.push(UNCHECKED.bundleCopies);
  return report;
}
