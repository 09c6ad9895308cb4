// Re-checks a stored reconciliation from its evidence: the report, its manifest rows, the
// terminal receipt and the receipt's audit chain. Pure: the callable gathers the evidence
// from Firestore, the offline verifier reads it from a statement bundle, and both run the
// same checks. Each report section is checked by one small function (in the `*-verification.ts`
// files beside this one); a failed check names the field it recomputed
// (`totals.field_nsv_bbl`, `allocations[1].allocated_bbl`, ...).

import { canonicalJson } from "./canonical-json";
import { hashSchemeOf } from "./report-hash";
import { uniqueTexts } from "./unchecked-in-words";
import { type ReportEvidence, type VerificationCheck, type VerificationReport } from "./report-evidence";
import { anchorEvent, type Context, type SectionCheck } from "./verification-context";
import { checkAuditAnchor, checkContentDigest, checkIntegrityHash } from "./integrity-verification";
import { checkLifecycle, checkRelease, checkStaleMarks } from "./lifecycle-verification";
import { checkPeriod, checkReceipt, checkTerminal } from "./receipt-verification";
import { checkExclusions, checkManifest, checkPartnerInputs } from "./manifest-verification";
import { checkFiguresJv, checkFiguresPartner, checkLuaf } from "./allocation-verification";
import { checkChanges, checkPriorPeriodAdjustments } from "./adjustment-verification";

export type { ReportEvidence, VerificationCheck, VerificationReport } from "./report-evidence";
export { versionOfReceipt } from "./verification-context";
export { alteredChunks } from "./manifest-verification";
export { ALLOCATION_FIELDS, TOTAL_FIELDS } from "./allocation-verification";

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  try {
    return canonicalJson(a ?? null) === canonicalJson(b ?? null);
  } catch {
    return false;
  }
}

/** The section checks, in the order they are reported. */
export const SECTION_CHECKS: ReadonlyArray<{ section: string; run: SectionCheck; scope: "jv" | "partner" | "both" }> = [
  { section: "integrity hash", run: checkIntegrityHash, scope: "both" },
  { section: "audit anchor and chain", run: checkAuditAnchor, scope: "both" },
  { section: "lifecycle", run: checkLifecycle, scope: "both" },
  { section: "stale marks", run: checkStaleMarks, scope: "both" },
  { section: "release to the partners", run: checkRelease, scope: "both" },
  { section: "terminal receipt", run: checkReceipt, scope: "both" },
  { section: "terminal measurement", run: checkTerminal, scope: "both" },
  { section: "manifest", run: checkManifest, scope: "both" },
  { section: "allocations and totals", run: checkFiguresJv, scope: "jv" },
  { section: "own allocation and shared totals", run: checkFiguresPartner, scope: "partner" },
  { section: "exclusions", run: checkExclusions, scope: "both" },
  { section: "each partner's own inputs", run: checkPartnerInputs, scope: "both" },
  { section: "changes from the previous version", run: checkChanges, scope: "both" },
  { section: "prior-period adjustments", run: checkPriorPeriodAdjustments, scope: "both" },
  { section: "LUAF band", run: checkLuaf, scope: "both" },
  { section: "content digest", run: checkContentDigest, scope: "both" },
  { section: "period", run: checkPeriod, scope: "both" },
];

/** Runs every section check on the evidence. */
export function verifyReportEvidence(evidence: ReportEvidence): VerificationReport {
  const checks: VerificationCheck[] = [];
  const notChecked: string[] = [];
  const inWords: string[] = [];
  const ctx: Context = {
    evidence,
    report: evidence.report,
    partnerId: evidence.partner_id,
    scheme: hashSchemeOf(evidence.report),
    checks,
    skip(detail, words) {
      notChecked.push(detail);
      inWords.push(words);
    },
    check(name, stored, recomputed, note) {
      checks.push({ check: name, ok: sameValue(stored, recomputed), stored, recomputed, ...(note ? { note } : {}) });
    },
    fail(name, note, stored) {
      checks.push({ check: name, ok: false, note, ...(stored === undefined ? {} : { stored }) });
    },
  };
  const scope = evidence.partner_id === undefined ? "jv" : "partner";
  for (const section of SECTION_CHECKS) {
    if (section.scope === "both" || section.scope === scope) section.run(ctx);
  }
  const anchor = anchorEvent(ctx);
  // The last event of the chain, as the chain-head note names it: a head stored behind it is not the head.
  const last = evidence.audit_events[evidence.audit_events.length - 1];
  return {
    reconciliation_id: evidence.reconciliation_id,
    scope: evidence.partner_id === undefined ? "jv" : `partner:${evidence.partner_id}`,
    hash_scheme: ctx.scheme,
    ok: checks.every((c) => c.ok),
    checks,
    not_checked: notChecked,
    not_checked_in_words: uniqueTexts(inWords),
    out_of_band: {
      integrity_hash: typeof evidence.report.integrity_hash === "string" ? evidence.report.integrity_hash : null,
      anchor: anchor ? { event_id: anchor.id, stream: anchor.stream, seq: anchor.seq, hash: anchor.hash } : null,
      chain_head: last ? { stream: anchor?.stream ?? last.stream, seq: last.seq, hash: last.hash } : null,
    },
  };
}
