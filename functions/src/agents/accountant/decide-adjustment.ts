import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId } from "../../shared/document-id";

export const decideAdjustmentInput = z
  .object({
    adjustment_id: documentId(200),
    decision: z.enum(["approved", "rejected"]),
    note: z.string().trim().min(1, "say why the adjustment is approved or rejected").max(NOTE_MAX_LENGTH),
  })
  .strict();

export interface DecideAdjustmentResult {
  adjustment_id: string;
  status: "approved" | "rejected";
  partner_id: string;
  delta_bbl: number;
}

/**
 * The `decideAdjustment` callable: a coordinator approves or rejects a pending prior-period
 * adjustment, once. An approved one is carried by the next reconciliation of a later period.
 * Sending the decision already taken again changes nothing; a different one is refused.
 */
export async function decideAdjustment(
  deps: AgentDeps,
  input: z.output<typeof decideAdjustmentInput>,
  caller: Caller,
): Promise<DecideAdjustmentResult> {
  const { db, clock } = deps;
  const ref = db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${input.adjustment_id}`);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError("not-found", `Prior-period adjustment ${input.adjustment_id} does not exist.`);
    const status = snap.get("status") as string;
    const result = {
      adjustment_id: snap.id,
      status: input.decision,
      partner_id: String(snap.get("partner_id")),
      delta_bbl: Number(snap.get("delta_bbl")),
    };
    if (status === input.decision && snap.get("note") === input.note) return result;
    if (status !== "pending") {
      throw new HttpsError(
        "failed-precondition",
        `Prior-period adjustment ${input.adjustment_id} was already ${status} by ${String(snap.get("decided_by"))}; a decision is taken once.`,
        { status },
      );
    }
    const now = clock.now();
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `adjustment_${snap.id}_${input.decision}`,
      stream: "prior_period_adjustments",
      actor: caller.uid,
      action: `adjustment_${input.decision}`,
      subject: ref.path,
      details: {
        decision: input.decision,
        note: input.note,
        role: caller.role,
        partner_id: result.partner_id,
        delta_bbl: result.delta_bbl,
        from_reconciliation_id: snap.get("from_reconciliation_id") ?? null,
      },
    });
    tx.update(ref, { status: input.decision, decided_by: caller.uid, decided_at: Timestamp.fromDate(now), note: input.note });
    writeAuditAppend(db, tx, audit, now);
    return result;
  });
}
