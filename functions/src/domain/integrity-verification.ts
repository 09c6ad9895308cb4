// The report against what seals it: its integrity hash recomputed, the audit event that anchors it
// and the receipt's audit chain that event stands in, and the content digest over what it shows.

import { expectedReceiptEventId, legacyReceiptNotifyIds, verifyChain } from "./audit-chain";
import { contentDigest, reportContent } from "./period-close";
import { integrityHash, REPORT_HASH_V1 } from "./report-hash";
import { UNCHECKED } from "./unchecked-in-words";
import { anchorEvent, attempt, record, type SectionCheck } from "./verification-context";

export const checkIntegrityHash: SectionCheck = (ctx) => {
  const hash = attempt(ctx, "integrity_hash", () => integrityHash(ctx.report, ctx.evidence.salts));
  if (hash !== undefined) ctx.check("integrity_hash", ctx.report.integrity_hash, hash);
  if (Array.isArray(ctx.report.corrections)) {
    ctx.skip(
      "corrections: who changed the entries behind this version and when, bound by the integrity hash only (the entries may have changed since)",
      UNCHECKED.corrections,
    );
  }
  if (ctx.scheme === REPORT_HASH_V1) {
    ctx.skip("hash scheme v1 (a report written before typed hashing): a Date and its ISO string hash alike in it", UNCHECKED.oldHashScheme);
  }
};

export const checkAuditAnchor: SectionCheck = (ctx) => {
  const events = ctx.evidence.audit_events;
  const anchor = anchorEvent(ctx);
  if (!anchor) {
    ctx.fail("audit_anchor.event", `no reconciliation_completed event for ${ctx.evidence.reconciliation_id} in the receipt's audit chain`);
    return;
  }
  const details = record(anchor.details);
  if (typeof details.integrity_hash === "string") {
    ctx.check("audit_anchor.integrity_hash", ctx.report.integrity_hash, details.integrity_hash);
  } else if (ctx.scheme === REPORT_HASH_V1) {
    // Events written before the anchor existed; a v2 report's event always holds its hash.
    ctx.skip(
      "audit_anchor.integrity_hash: the reconcile event of a v1 report predates recording the hash (its inputs digest is anchored)",
      UNCHECKED.oldAnchor,
    );
  } else {
    ctx.fail("audit_anchor.integrity_hash", "the anchoring audit event records no integrity hash");
  }
  ctx.check("audit_anchor.inputs_digest", ctx.report.inputs_digest, details.inputs_digest);
  ctx.check("audit_anchor.version", ctx.report.version, details.version);
  ctx.check("audit_anchor.supersedes", ctx.report.supersedes ?? null, details.supersedes ?? null);
  if (ctx.report.supersedes_receipt !== undefined) {
    // What it replaces, by id: the reason, its author and time (a corrected ticket's) are bound by the anchored integrity hash.
    const replaced = ctx.report.supersedes_receipt as { terminal_receipt_id?: unknown; reconciliation_id?: unknown } | null;
    ctx.check(
      "audit_anchor.supersedes_receipt",
      replaced === null ? null : { terminal_receipt_id: replaced.terminal_receipt_id, reconciliation_id: replaced.reconciliation_id },
      details.supersedes_receipt ?? null,
    );
  }
  const stream = anchor.stream;
  const last = events[events.length - 1]!;
  const problem = verifyChain(stream, events, ctx.evidence.chain_head ?? { seq: last.seq, hash: last.hash });
  ctx.checks.push({
    check: "audit_chain",
    ok: problem === null,
    ...(problem
      ? { note: problem.message }
      : { note: `${events.length} events of ${stream} link up to the head (the anchor is event ${anchor.seq})` }),
  });
  // The footer's "Audit anchor" prints the anchor's id, which no hash covers: it must be the key its action and subject make.
  const ids = events.map((e) => e.id);
  const derived = events.map(
    (e) =>
      (legacyReceiptNotifyIds(e).includes(e.id) ? e.id : expectedReceiptEventId(e)) ??
      `(no ${e.action} event is written to a receipt's stream)`,
  );
  ctx.check(
    "audit_events.id",
    ids,
    derived,
    "each event's id is made of its action and subject (reconcile_{version}, release_{version}, ...)",
  );
  if (ctx.evidence.from_bundle) {
    ctx.skip(
      `the chain head of ${stream} (seq ${last.seq}, hash ${last.hash}): the bundle's own; the release and the status come from events after the anchor, so confirm the head with the operator, not the anchor alone`,
      UNCHECKED.chainHead,
    );
  }
};

/** The digest that decides "unchanged" re-runs, over what the report shows (period-close.ts). */
export const checkContentDigest: SectionCheck = (ctx) => {
  if (ctx.report.content_digest === undefined) return;
  if (ctx.partnerId !== undefined) {
    ctx.skip("content_digest: it runs over every partner's lines, sealed in this bundle", UNCHECKED.othersSealed);
    return;
  }
  const digest = attempt(ctx, "content_digest", () => contentDigest(reportContent(ctx.report)));
  if (digest !== undefined) ctx.check("content_digest", ctx.report.content_digest, digest);
};
