// The fields outside the integrity hash that later events change, against the audit chain and the
// JV's database: whether a later version superseded the report, who holds its days, its stale
// marks and its release to the partners.

import { UNCHECKED } from "./unchecked-in-words";
import { anchorEvent, record, successorChain, versionOfReceipt, type Context, type SectionCheck } from "./verification-context";

/**
 * Whether `by` (a `superseded_by`) names a version of this report's own receipt, whose anchor
 * must then be in this receipt's chain. The successor's own receipt id when the evidence holds
 * it; an exact match of the id either way, so an id that reads as this receipt's version is
 * never taken for another receipt's.
 */
function isOwnReceiptVersion(ctx: Context, by: string): boolean {
  const receiptId = String(ctx.report.terminal_receipt_id);
  const successor = successorChain(ctx)[0];
  return (successor !== undefined && successor.terminal_receipt_id === receiptId) || versionOfReceipt(by, receiptId) !== undefined;
}

/** `status`/`superseded_by` are outside the hash: the chain says whether a later version superseded this one. */
export const checkLifecycle: SectionCheck = (ctx) => {
  const id = ctx.evidence.reconciliation_id;
  const successor = ctx.evidence.audit_events.find((e) => e.action === "reconciliation_completed" && record(e.details).supersedes === id);
  const successorId = successor ? successor.subject.replace(/^reconciliations\//, "") : undefined;
  const by = ctx.report.superseded_by;
  // A version of another receipt replacing this one records it in this receipt's chain too
  // (reconciliation_superseded); reports replaced before that event existed have none.
  const replacement = ctx.evidence.audit_events.find(
    (e) => e.action === "reconciliation_superseded" && e.subject === `reconciliations/${id}`,
  );
  if (!successorId && replacement) {
    const replacedBy = record(replacement.details).superseded_by;
    ctx.check("status", ctx.report.status, "superseded");
    ctx.check(
      "superseded_by",
      by ?? null,
      typeof replacedBy === "string" ? replacedBy : null,
      `event ${replacement.seq} of ${replacement.stream}`,
    );
    // Where the evidence holds the replacing report (the live verifier), it must name this version too.
    const successor = successorChain(ctx)[0];
    if (successor?.replaces !== undefined) {
      ctx.check("superseded_by", successor.replaces, id, `${String(by)} names the version of another receipt it replaced`);
    }
    checkDayHolders(ctx, false);
    return;
  }
  if (!successorId && typeof by === "string" && !isOwnReceiptVersion(ctx, by)) {
    // A receipt that supersedes this one's receipt: its anchor is in that receipt's chain, and
    // its report names the version it replaced.
    ctx.check("status", ctx.report.status, "superseded");
    const successor = successorChain(ctx)[0];
    if (ctx.evidence.superseded_by_missing === true && !ctx.evidence.from_bundle) {
      ctx.fail("superseded_by", `${by} names no reconciliation the JV's database holds`);
    } else if (record(anchorEvent(ctx)?.details).replacement_recorded === true) {
      // Made when a replacement by another receipt was recorded in this chain: none is.
      ctx.fail(
        "superseded_by",
        `${by}: a version of another receipt replacing this one appends reconciliation_superseded to this receipt's chain, and the chain holds none`,
      );
    } else if (successor?.replaces !== undefined && !ctx.evidence.from_bundle) {
      ctx.check("superseded_by", successor.replaces, id, `${by} names the version of another receipt it replaced`);
    } else {
      // A bundle's successors are copies it does not seal: whoever edits superseded_by writes them too.
      ctx.skip(
        `superseded_by ${by}: a reconciliation of another receipt, anchored in that receipt's audit chain${successor ? " (this bundle's copy of it proves nothing)" : ""}`,
        UNCHECKED.replacedElsewhere,
      );
    }
    checkDayHolders(ctx, false);
    return;
  }
  ctx.check("status", ctx.report.status, successorId ? "superseded" : "completed");
  ctx.check("superseded_by", ctx.report.superseded_by ?? null, successorId ?? null);
  const current = !successorId && (by === undefined || by === null);
  checkDayHolders(ctx, current);
  if (current && ctx.evidence.from_bundle) {
    // Only closed_days shows it, and a bundle holds no day records.
    ctx.skip(
      `status "completed" (that ${id} is still the current version): a version made on a corrected terminal ticket replaces it from another receipt and appends reconciliation_superseded to this receipt's chain, so the chain head to confirm with the operator shows it; a replacement recorded before that event existed shows only in the JV's closed days: run the live verifier (verifyReconciliation) to rule it out`,
      UNCHECKED.stillCurrentOffline,
    );
  }
};

/** Marks a later change writes on the report, outside the hash and in no audit event. */
export const checkStaleMarks: SectionCheck = (ctx) => {
  const where = ctx.evidence.from_bundle
    ? "the values in this bundle, or their absence, prove nothing: the current ones are in the JV's database, so ask the operator"
    : "they are read as the JV's database holds them now";
  ctx.skip(
    `stale, stale_since, stale_changes, stale_entry_ids, stale_resolved_at and close_check_pending (whether entries behind this version changed during or after its close, and whether its check after the monthly close is still pending): outside the integrity hash and recorded in no audit event, so nothing can check them; ${where}`,
    ctx.evidence.from_bundle ? UNCHECKED.staleOffline : UNCHECKED.staleLive,
  );
};

/**
 * Who holds the report's days now (the live verifier reads closed_days): a current report holds
 * every day it closed, a superseded one none (the version that replaced it took them over, or
 * they were reopened). A day held otherwise gives away lifecycle fields changed by hand: a
 * replaced report made to look current again, or a current one made to look replaced.
 */
function checkDayHolders(ctx: Context, current: boolean): void {
  const holders = ctx.evidence.day_holders;
  if (!holders) {
    ctx.skip("closed_days: which reconciliation holds each day (read from closed_days by the live verifier)", UNCHECKED.closedDays);
    return;
  }
  const id = ctx.evidence.reconciliation_id;
  const days = Array.isArray(ctx.report.closed_days) ? (ctx.report.closed_days as unknown[]).map(String) : [];
  const wrong = current ? days.filter((d) => holders[d] !== id) : days.filter((d) => holders[d] === id);
  ctx.check(
    "closed_days.held_by",
    wrong.map((d) => `${d}: ${holders[d] ?? "no record"}`),
    [],
    current ? "every day a current report closed names it in closed_days" : "no day names a superseded report in closed_days",
  );
}

/**
 * The release to the partners is outside the hash; the audit chain holds it. A version released
 * by someone has its `reconciliation_released` event with that actor and note; one waiting for
 * approval has none; one released as it was made (no approval required) names nobody.
 */
export const checkRelease: SectionCheck = (ctx) => {
  const subject = `reconciliations/${ctx.evidence.reconciliation_id}`;
  const event = ctx.evidence.audit_events.find((e) => e.action === "reconciliation_released" && e.subject === subject);
  // What the JV's settings required when the version was made, as its anchoring event records it.
  const details = record(anchorEvent(ctx)?.details);
  const anchored = typeof details.release_required === "boolean" ? details.release_required : undefined;
  const r = ctx.report;
  if (r.released === undefined && event === undefined && anchored === undefined) {
    ctx.skip("release: the report predates recorded releases (it was released as it was made)", UNCHECKED.oldRelease);
    return;
  }
  if (anchored !== undefined) ctx.check("release.required", r.release_required ?? null, anchored, "as the anchoring event records it");
  const stored = {
    released: r.released ?? null,
    released_by: r.released_by ?? null,
    released_at: r.released_at ?? null,
    release_note: r.release_note ?? null,
  };
  if (event) {
    // Released by someone: the audit event says who, when and why.
    const expected = { released: true, released_by: event.actor, released_at: event.at, release_note: record(event.details).note ?? null };
    ctx.check("release", stored, expected, `released by ${event.actor} (audit event ${event.id})`);
    ctx.check("release.four_eyes", event.actor !== r.created_by, true, `released by someone other than its maker ${String(r.created_by)}`);
    return;
  }
  if (r.release_required !== true) {
    ctx.check(
      "release",
      stored,
      { released: true, released_by: null, released_at: r.created_at ?? null, release_note: null },
      "released as it was made",
    );
    return;
  }
  ctx.check(
    "release",
    stored,
    { released: false, released_by: null, released_at: null, release_note: null },
    r.status === "superseded"
      ? "replaced before its release: never released to the partners"
      : "waiting for approval: not released to partners",
  );
};
