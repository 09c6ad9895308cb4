// What a report carries from other versions: its changes from the version it is compared with, the
// prior-period adjustments it carries against their documents, approvals and origins, and each
// partner's net position with them.

import { approvalFault, type CarriedLine } from "./adjustment-approval";
import { netPositions, type CarriedAdjustment } from "./period-close";
import {
  adjustmentOriginFault,
  raisedUnrecorded,
  changesFromPrevious,
  type ReportAllocation,
  type ReportTotals,
} from "./reconciliation-report";
import { isSealedRow } from "./report-hash";
import { UNCHECKED } from "./unchecked-in-words";
import { anchorEvent, attempt, record, successorChain, versionOfReceipt, type Context, type SectionCheck } from "./verification-context";

/**
 * Against the version this one supersedes, or, on a receipt's first version replacing another
 * receipt's, that receipt's version (reports made before those changes were recorded hold none).
 */
export const checkChanges: SectionCheck = (ctx) => {
  const stored = ctx.report.changes_from_previous;
  const replacedVersion = (ctx.report.supersedes_receipt as { reconciliation_id?: unknown } | null | undefined)?.reconciliation_id;
  // `changes_against` (bound by the hash) names the last settled version when the partners are not on the one followed.
  const against =
    ctx.report.changes_against !== undefined
      ? ctx.report.changes_against
      : (ctx.report.supersedes ?? (stored === null || stored === undefined ? undefined : replacedVersion));
  if (against === null || against === undefined) {
    ctx.check("changes_from_previous", stored ?? null, null, "a first version changes nothing");
    return;
  }
  if (ctx.evidence.previous_missing === true && !ctx.evidence.from_bundle) {
    ctx.fail(
      "changes_from_previous",
      `${String(against)}, the version its changes are measured against, names no reconciliation the JV's database holds`,
    );
    return;
  }
  if (ctx.partnerId !== undefined || !ctx.evidence.previous) {
    ctx.skip(
      `changes_from_previous: needs the figures of ${String(against)}, which this evidence does not hold`,
      UNCHECKED.previousVersion,
    );
    return;
  }
  const prev = ctx.evidence.previous;
  const recomputed = attempt(ctx, "changes_from_previous", () =>
    changesFromPrevious(prev.allocations, ctx.report.allocations as ReportAllocation[], prev.totals, ctx.report.totals as ReportTotals),
  );
  if (recomputed) ctx.check("changes_from_previous", stored, recomputed);
  if (ctx.evidence.from_bundle) {
    ctx.skip(`changes_from_previous against ${String(against)}: the bundle's copy of its figures`, UNCHECKED.bundledPrevious);
  }
};

/**
 * Where a carried adjustment may have moved once this report was replaced: only a superseded
 * report's can. A later version of its own receipt (matched exactly), the report's
 * `superseded_by` (a version of the receipt that replaced this one's), or a version further
 * along the chain of successors the evidence holds. A current report's adjustment is carried
 * in the report itself, nowhere else.
 */
function laterCarrier(ctx: Context): (carriedIn: string) => boolean {
  if (ctx.report.status !== "superseded") return () => false;
  const receiptId = String(ctx.report.terminal_receipt_id);
  const version = Number(ctx.report.version);
  const by = ctx.report.superseded_by;
  const chain = new Set(successorChain(ctx).map((s) => s.reconciliation_id));
  return (carriedIn) => {
    const own = versionOfReceipt(carriedIn, receiptId);
    return (own !== undefined && own > version) || (typeof by === "string" && carriedIn === by) || chain.has(carriedIn);
  };
}

/**
 * Each carried adjustment against its document (approved, carried here, same partner,
 * delta and origin), then each partner's net position: allocation plus adjustments.
 */
export const checkPriorPeriodAdjustments: SectionCheck = (ctx) => {
  const stored = ctx.report.prior_period_adjustments;
  if (stored !== undefined && !Array.isArray(stored)) {
    ctx.fail("prior_period_adjustments", "must be a list of carried adjustments", stored);
    return;
  }
  // Reconcile writes both fields or (before they existed) neither: net positions without the
  // list are recomputed as carrying nothing, so they cannot move barrels between partners.
  const carried = (stored ?? []) as unknown[];
  checkCarriedOnce(ctx, carried);
  if (stored === undefined && ctx.report.net_positions === undefined) return;
  const clear = carried.filter((a) => !isSealedRow(a)).map(record);
  if (ctx.partnerId !== undefined) {
    const strangers = clear.filter((a) => a.partner_id !== ctx.partnerId).map((a) => a.id);
    ctx.check("prior_period_adjustments.partner", strangers, [], `only ${ctx.partnerId}'s adjustments are in the clear`);
    checkOwnNetPosition(ctx, clear as unknown as CarriedAdjustment[]);
    ctx.skip(
      "prior_period_adjustments against their documents: the adjustment documents are not in a partner's bundle; bound by the integrity hash and its anchor",
      UNCHECKED.adjustmentRecords,
    );
    return;
  }
  const docs = ctx.evidence.adjustments;
  if (carried.length > 0 && docs === undefined) {
    ctx.skip("prior_period_adjustments against their documents: this evidence does not hold them", UNCHECKED.adjustmentRecords);
  } else if (docs) {
    const origins = ctx.evidence.adjustment_origins;
    if (clear.length > 0 && !origins) {
      ctx.skip(
        "prior_period_adjustments against the versions that raised them: this evidence does not hold them",
        UNCHECKED.adjustmentOrigins,
      );
    } else if (clear.length > 0 && ctx.evidence.from_bundle) {
      // A bundle's copies of those versions are sealed by nothing it holds.
      ctx.skip(
        "prior_period_adjustments against the versions that raised them: the bundle's copies of them",
        UNCHECKED.bundledAdjustmentOrigins,
      );
    }
    const approvals = ctx.evidence.adjustment_approvals;
    if (clear.length > 0 && approvals && ctx.evidence.from_bundle) {
      ctx.skip(
        "prior_period_adjustments: the approvals were checked against the bundle's copies of their decision events, which it does not seal",
        UNCHECKED.bundledAdjustmentApprovals,
      );
    }
    if (clear.length > 0) {
      ctx.skip(
        approvals
          ? "prior_period_adjustments: each approval's event in the prior_period_adjustments audit chain is checked on its own, not its place in the chain"
          : "prior_period_adjustments: decided_by, decided_at and note (the approval a statement prints) against the decisions' audit events: this evidence does not hold them",
        approvals ? UNCHECKED.adjustmentApprovalChain : UNCHECKED.adjustmentApprovals,
      );
    }
    if (clear.length > 0 && approvals && !ctx.evidence.adjustment_decisions) {
      ctx.skip(
        "prior_period_adjustments: whether a decision was logged on an adjustment after its approval: this evidence does not hold them",
        UNCHECKED.laterAdjustmentDecisions,
      );
    }
    const carriedLater = laterCarrier(ctx);
    clear.forEach((line, i) => {
      const doc = docs[String(line.id)];
      if (!doc) {
        ctx.fail(`prior_period_adjustments[${i}]`, `adjustment ${String(line.id)} does not exist`);
        return;
      }
      ctx.check(`prior_period_adjustments[${i}].status`, doc.status, "approved");
      if (approvals) {
        const id = String(line.id);
        const fault = approvalFault({ ...line, id } as CarriedLine, doc, approvals[id] ?? null, ctx.evidence.adjustment_decisions?.[id]);
        if (fault) ctx.fail(`prior_period_adjustments[${i}].approval`, fault, id);
        else ctx.check(`prior_period_adjustments[${i}].approval`, id, id, "as the decision's audit event logged it");
      }
      for (const field of ["partner_id", "delta_bbl", "from_reconciliation_id"] as const) {
        ctx.check(`prior_period_adjustments[${i}].${field}`, line[field], doc[field]);
      }
      // The document agreeing is not enough: it must be what the version it names raised.
      if (origins) {
        const from = String(line.from_reconciliation_id);
        const fault = adjustmentOriginFault(
          { id: String(line.id), partner_id: line.partner_id, delta_bbl: line.delta_bbl, from_reconciliation_id: from },
          origins[from],
        );
        const origin = origins[from];
        if (fault) ctx.fail(`prior_period_adjustments[${i}].origin`, `not what ${from} raised: ${fault.text}`, line.delta_bbl);
        else if (origin && raisedUnrecorded(origin)) {
          ctx.skip(`prior_period_adjustments[${i}].origin: ${from} did not record its changes`, UNCHECKED.unrecordedAdjustmentOrigin);
        } else ctx.check(`prior_period_adjustments[${i}].origin`, line.delta_bbl, line.delta_bbl, `as ${from} raised it`);
      }
      // A version that replaced this one carries it again (and moves carried_in to itself).
      const carriedIn = String(doc.carried_in ?? "");
      ctx.checks.push({
        check: `prior_period_adjustments[${i}].carried_in`,
        ok: carriedIn === ctx.evidence.reconciliation_id || carriedLater(carriedIn),
        stored: ctx.evidence.reconciliation_id,
        recomputed: doc.carried_in ?? null,
      });
    });
  }
  if (ctx.report.net_positions !== undefined) {
    const lines = (Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [])
      .filter((a) => !isSealedRow(a))
      .map(record);
    const net = attempt(ctx, "net_positions", () =>
      netPositions(
        lines.map((l) => ({ partner_id: String(l.partner_id), allocated_bbl: Number(l.allocated_bbl) })),
        clear as unknown as CarriedAdjustment[],
      ),
    );
    if (net) ctx.check("net_positions", ctx.report.net_positions, net);
  }
};

const SEALED_LINE = "(sealed)";

/**
 * Each adjustment carried once, and the ones the anchoring event records as carried
 * (`adjustments_carried`, in the order reconcile carried them) where it records them. A line of
 * another partner's is sealed in a partner's bundle: with one salt per partner, the same line
 * sealed twice gives the same leaf hash, so a repeat shows sealed too.
 */
function checkCarriedOnce(ctx: Context, carried: readonly unknown[]): void {
  if (carried.length > 0) {
    const keys = carried.map((a) => (isSealedRow(a) ? `sealed ${String(record(a).sealed)}` : String(record(a).id)));
    const repeated = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
    ctx.check("prior_period_adjustments.unique_ids", repeated, [], "each adjustment carried once");
  }
  const anchored = record(anchorEvent(ctx)?.details).adjustments_carried;
  if (!Array.isArray(anchored)) return;
  ctx.check(
    "audit_anchor.adjustments_carried",
    carried.map((a) => (isSealedRow(a) ? SEALED_LINE : record(a).id)),
    (anchored as unknown[]).map((id, i) => (i < carried.length && isSealedRow(carried[i]) ? SEALED_LINE : id)),
    "the ids carried as the anchoring event records them (another partner's sealed, by position)",
  );
}

/** A partner's bundle: its own net position, from its own line and carried adjustments, all of them in the clear. */
function checkOwnNetPosition(ctx: Context, carriedClear: readonly CarriedAdjustment[]): void {
  if (ctx.report.net_positions === undefined) return;
  const scope = ctx.partnerId!;
  const own = <T>(rows: unknown): T[] =>
    (Array.isArray(rows) ? (rows as unknown[]) : [])
      .filter((r) => !isSealedRow(r))
      .map(record)
      .filter((r) => r.partner_id === scope) as T[];
  const lines = own<Record<string, unknown>>(ctx.report.allocations).map((l) => ({
    partner_id: scope,
    allocated_bbl: Number(l.allocated_bbl),
  }));
  const recomputed = attempt(ctx, "net_positions.partner", () =>
    netPositions(
      lines,
      carriedClear.filter((a) => a.partner_id === scope),
    ),
  );
  if (recomputed) {
    ctx.check(
      "net_positions.partner",
      own(ctx.report.net_positions),
      recomputed,
      `${scope}'s net position from its line and carried adjustments, each in the clear`,
    );
  }
}
