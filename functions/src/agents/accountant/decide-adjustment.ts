import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import {
  Timestamp,
  type DocumentData,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import { z } from "zod";
import { ADJUSTMENT_DECISIONS_STREAM, adjustmentDecisionEventId } from "../../domain/adjustment-approval";
import { bblToCb, cbToBbl } from "../../domain/cent-barrels";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { adjustmentOriginFault, changesComparedWith, missingAdjustments, missingAdjustmentsText } from "../../domain/reconciliation-report";
import { isReleased } from "../../domain/release";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId, isDocumentIdLike } from "../../shared/document-id";
import { accountInWords } from "../../shared/people";
import { typedNote } from "../../domain/typed-text";

export const decideAdjustmentInput = z
  .object({
    adjustment_id: documentId(200),
    decision: z.enum(["approved", "rejected"]),
    note: typedNote(NOTE_MAX_LENGTH).min(1, "say why the adjustment is approved or rejected"),
  })
  .strict();

export interface DecideAdjustmentResult {
  adjustment_id: string;
  status: "approved" | "rejected";
  partner_id: string;
  delta_bbl: number;
  from_reconciliation_id: string | null;
  /** Every adjustment of the same restatement, decided together by this call. */
  set: Array<{ adjustment_id: string; partner_id: string; delta_bbl: number }>;
  /** Their sum: zero for a re-run of the same receipt, the terminal's change for a replacing receipt. */
  set_total_bbl: number;
}

/** A restatement raises one adjustment per partner whose allocation moved: a set this large is not a JV's, and one transaction decides it. */
const SET_MAX = 400;

/**
 * The `decideAdjustment` callable: a coordinator approves or rejects a pending prior-period
 * adjustment, once, and with it every pending adjustment of the same restatement (the same
 * `from_reconciliation_id`). Their deltas sum to the restatement's change of the terminal NSV
 * (zero when the receipt was only re-run): carrying one partner's gain without the others'
 * losses would allocate barrels that never arrived. An approved set is carried by the next
 * first reconciliation of a later period. Sending the decision already taken again changes
 * nothing; a different one is refused.
 */
export async function decideAdjustment(
  deps: AgentDeps,
  input: z.output<typeof decideAdjustmentInput>,
  caller: Caller,
): Promise<DecideAdjustmentResult> {
  const { db, clock } = deps;
  const ref = db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${input.adjustment_id}`);
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError("not-found", `Prior-period adjustment ${input.adjustment_id} does not exist.`);
    const named = snap.get("from_reconciliation_id") as unknown;
    // A name that is no document id names no version (refused below), and is never read as a path.
    const from = isDocumentIdLike(named) ? named : null;
    // The set, and the version that raised it: what it raised and whether partners were shown it are that version's.
    const [siblings, source] = from
      ? await Promise.all([
          tx
            .get(
              db
                .collection(COLLECTIONS.priorPeriodAdjustments)
                .where("from_reconciliation_id", "==", from)
                .limit(SET_MAX + 1),
            )
            .then((q) => q.docs),
          tx.get(db.doc(`${COLLECTIONS.reconciliations}/${from}`)),
        ])
      : [[snap], undefined];
    if (siblings.length > SET_MAX) {
      throw new HttpsError(
        "failed-precondition",
        `Restatement ${from} names more than ${SET_MAX} adjustments (one per partner whose allocation moved), more than one decision takes; decideAdjustment does not decide a set this large.`,
      );
    }
    if (snap.get("status") === "withdrawn") {
      throw new HttpsError(
        "failed-precondition",
        `Prior-period adjustment ${input.adjustment_id} was withdrawn: ${from ?? "its version"} was replaced by ${String(snap.get("withdrawn_in"))} before its restatement was decided (or released to the partners), and the adjustments of ${String(snap.get("withdrawn_in"))}, against the figures the partners are settled on, replace it. Decide those instead (once their version is released, if it waits for approval).`,
      );
    }
    if (snap.get("released") === false || (source?.exists === true && !isReleased(source.data()!))) {
      throw new HttpsError(
        "failed-precondition",
        `Prior-period adjustment ${input.adjustment_id} belongs to ${from ?? "a version"}, which waits for its release to the partners: release it first, then decide its adjustments.`,
      );
    }
    const status = snap.get("status") as string;
    // The set's adjustments in the called one's status: all of them, unless some were decided apart.
    const members = siblings.filter((d) => d.id === snap.id || d.get("status") === status);
    refuseForgedMembers(members, from, source?.exists ? source.data()! : null);
    const missing = from ? missingAdjustments(from, source?.exists ? source.data()! : null, new Set(siblings.map((d) => d.id))) : [];
    if (missing.length > 0) {
      throw new HttpsError(
        "failed-precondition",
        `No decision is taken on the adjustments of ${from}: ${missingAdjustmentsText(from!, missing)}, then its set is decided.`,
        { from_reconciliation_id: from, missing_adjustments: missing.slice(0, 100).map((a) => a.id) },
      );
    }
    const set = members
      .map((d) => ({ adjustment_id: d.id, partner_id: String(d.get("partner_id")), delta_bbl: Number(d.get("delta_bbl")) }))
      .sort((a, b) => (a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0));
    const result: DecideAdjustmentResult = {
      adjustment_id: snap.id,
      status: input.decision,
      partner_id: String(snap.get("partner_id")),
      delta_bbl: Number(snap.get("delta_bbl")),
      from_reconciliation_id: from,
      set,
      set_total_bbl: cbToBbl(set.reduce((sum, a) => sum + bblToCb(a.delta_bbl), 0)),
    };
    if (status === input.decision && snap.get("note") === input.note) return result;
    if (status !== "pending") {
      throw new HttpsError(
        "failed-precondition",
        `Prior-period adjustment ${input.adjustment_id} was already ${status} by ${await accountInWords(db, String(snap.get("decided_by")))}, with the other adjustments of ${from ?? "its restatement"}; a decision is taken once.`,
        { status },
      );
    }
    if (input.decision === "rejected" && from) await refuseRejectingGivenUpDays(db, tx, input.adjustment_id, from);
    const now = clock.now();
    const event = {
      eventId: adjustmentDecisionEventId(snap.id, input.decision),
      stream: ADJUSTMENT_DECISIONS_STREAM,
      actor: caller.uid,
      action: `adjustment_${input.decision}`,
      subject: ref.path,
      details: {
        decision: input.decision,
        note: input.note,
        role: caller.role,
        partner_id: result.partner_id,
        delta_bbl: result.delta_bbl,
        from_reconciliation_id: from,
        set: result.set,
        set_total_bbl: result.set_total_bbl,
      },
    };
    let audit = await prepareAuditAppend(db, tx, event);
    // A set put back to pending (by an admin, outside FlowShare) and decided again the same way: a
    // new event, never the earlier one's id, which would leave this decision unlogged.
    if (audit.alreadyLogged) audit = await prepareAuditAppend(db, tx, { ...event, eventId: `${event.eventId}_${now.getTime()}` });
    const decided = {
      status: input.decision,
      decided_by: caller.uid,
      decided_at: Timestamp.fromDate(now),
      note: input.note,
      decided_with: snap.id,
      decision_event: audit.input.eventId,
    };
    for (const member of members) tx.update(member.ref, decided);
    writeAuditAppend(db, tx, audit, now);
    return result;
  });
}

/** A set whose documents are not what its version raised was changed outside FlowShare: no decision is taken on it. */
function refuseForgedMembers(
  members: readonly QueryDocumentSnapshot[] | readonly DocumentSnapshot[],
  from: string | null,
  source: DocumentData | null,
): void {
  for (const member of members) {
    const fault = adjustmentOriginFault(
      { id: member.id, partner_id: member.get("partner_id"), delta_bbl: member.get("delta_bbl"), from_reconciliation_id: from },
      source,
    );
    if (fault) {
      throw new HttpsError(
        "failed-precondition",
        `Prior-period adjustment ${member.id} is not what its version raised (${fault.text}): it was written or changed outside FlowShare, and no decision is taken on its set until ${fault.remedy}.`,
        { adjustment_id: member.id, from_reconciliation_id: from },
      );
    }
  }
}

/**
 * A corrected ticket over a shorter period gives up days the version it was compared with held:
 * they are open again, for another receipt to close and allocate. Rejecting its restatement would
 * keep their barrels in the figures the partners are settled on as well, so it is refused.
 */
async function refuseRejectingGivenUpDays(db: Firestore, tx: Transaction, adjustmentId: string, from: string): Promise<void> {
  const version = await tx.get(db.doc(`${COLLECTIONS.reconciliations}/${from}`));
  const against = version.exists ? changesComparedWith(version.data()!) : null;
  if (!against) return;
  const before = await tx.get(db.doc(`${COLLECTIONS.reconciliations}/${against}`));
  const held = new Set(daysOf(version.get("closed_days")));
  const givenUp = daysOf(before.get("closed_days")).filter((d) => !held.has(d));
  if (givenUp.length === 0) return;
  const listed = `${givenUp.slice(0, 10).join(", ")}${givenUp.length > 10 ? ` and ${givenUp.length - 10} more days` : ""}`;
  throw new HttpsError(
    "failed-precondition",
    `Prior-period adjustment ${adjustmentId} cannot be rejected: ${from}, compared with ${against}, does not hold its days ${listed}; they were given up for another receipt to close. Rejecting would leave their barrels in the figures the partners are settled on while they are allocated again. Approve the restatement, or enter a corrected ticket that covers those days too.`,
    { given_up_days: givenUp.slice(0, 100), from_reconciliation_id: from, compared_with: against },
  );
}

const daysOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((d): d is string => typeof d === "string") : []);
