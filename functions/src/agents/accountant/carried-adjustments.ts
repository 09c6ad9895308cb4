/** The approved prior-period adjustments a new version carries, refused when not what their version raised or their approval logged. */
import { HttpsError } from "firebase-functions/v2/https";
import { type Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { type CarriedAdjustment } from "../../domain/period-close";
import { approvalFault } from "../../domain/adjustment-approval";
import { readApprovalEvents } from "../../shared/approval-events";
import { isDocumentIdLike } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { adjustmentOriginFault, missingAdjustments, missingAdjustmentsText } from "../../domain/reconciliation-report";

/**
 * Approved prior-period adjustments this receipt's report carries: those carried by the versions
 * this one replaces, whatever this period (a replacing receipt may start earlier than the one it
 * replaces, and an adjustment left with a superseded version would be carried by none), and, when
 * `open`, those not carried yet, from a period that ended by this period's start.
 *
 * `released`: adjustments those versions carried that are no longer approved (an admin set their
 * set back to pending, or a coordinator then rejected it). The new version lets go of them
 * (carried_in back to null): once approved again, the next open period carries them.
 */
export async function carriableAdjustments(
  db: Firestore,
  receiptId: string,
  periodStart: Date,
  inheritFrom: readonly string[],
  open: boolean,
): Promise<{ adjustments: CarriedAdjustment[]; released: string[]; documentsRead: number }> {
  const col = db.collection(COLLECTIONS.priorPeriodAdjustments);
  const queries = [
    ...(open ? [col.where("status", "==", "approved").where("carried_in", "==", null)] : []),
    ...inheritFrom.map((id) => col.where("carried_in", "==", id)),
  ];
  const snaps = await Promise.all(queries.map((q) => q.get()));
  const seen = new Map<string, CarriedAdjustment>();
  const records = new Map<string, DocumentData>();
  const released = new Set<string>();
  let documentsRead = 0;
  for (const [i, snap] of snaps.entries()) {
    const notCarriedYet = open && i === 0;
    documentsRead += Math.max(1, snap.size);
    for (const doc of snap.docs) {
      const periodEnd = (doc.get("period_end") as Timestamp | undefined)?.toDate();
      if (doc.get("terminal_receipt_id") === receiptId) continue;
      if (doc.get("status") !== "approved") {
        if (!notCarriedYet) released.add(doc.id);
        continue;
      }
      if (notCarriedYet && (!periodEnd || periodEnd.getTime() > periodStart.getTime())) continue;
      seen.set(doc.id, {
        id: doc.id,
        partner_id: String(doc.get("partner_id")),
        delta_bbl: Number(doc.get("delta_bbl")),
        from_reconciliation_id: String(doc.get("from_reconciliation_id")),
      });
      records.set(doc.id, doc.data());
    }
  }
  const adjustments = [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  documentsRead += await refuseForgedAdjustments(db, adjustments);
  return {
    adjustments,
    released: [...released].sort(),
    documentsRead: documentsRead + (await refuseUnloggedApprovals(db, adjustments, records)),
  };
}

/**
 * Refuses to carry an adjustment whose approval is not a coordinator's decision in the audit log
 * (approved by writing its document, or its approver, time or note rewritten since): the statement
 * would print an approval nobody gave. Answers the documents read.
 */
async function refuseUnloggedApprovals(
  db: Firestore,
  adjustments: readonly CarriedAdjustment[],
  records: ReadonlyMap<string, DocumentData>,
): Promise<number> {
  if (adjustments.length === 0) return 0;
  const plain = new Map(adjustments.map((a) => [a.id, toPlain(records.get(a.id)) as Record<string, unknown>]));
  const { events, decisions, documentsRead } = await readApprovalEvents(db, plain);
  const faults = adjustments.flatMap((a) => {
    const fault = approvalFault(a, plain.get(a.id)!, events.get(a.id) ?? null, decisions.get(a.id));
    return fault ? [{ adjustment_id: a.id, fault }] : [];
  });
  if (faults.length > 0) {
    const [first] = faults;
    throw new HttpsError(
      "failed-precondition",
      `Prior-period adjustment ${first.adjustment_id} cannot be carried: ${first.fault}${faults.length > 1 ? `, nor can ${faults.length - 1} more` : ""}. ` +
        "Its approval on record is not the decision the audit log holds: an admin puts back the logged decision (who, when, the note), or sets its set back to pending for a coordinator to decide again, then this period is reconciled.",
      { unlogged_approvals: faults.slice(0, 20) },
    );
  }
  return documentsRead;
}

/**
 * Refuses to carry an adjustment that is not what the version it names raised (its delta,
 * partner or id changed, or the version is gone): carried, it would move barrels no
 * reconciliation measured. Answers the documents read.
 */
async function refuseForgedAdjustments(db: Firestore, adjustments: readonly CarriedAdjustment[]): Promise<number> {
  // A name that is no document id names no version: its adjustment is refused below, not read.
  const sources = [...new Set(adjustments.map((a) => a.from_reconciliation_id))].filter(isDocumentIdLike);
  if (adjustments.length === 0) return 0;
  if (sources.length === 0) {
    refuseForged(adjustments, new Map());
    return 0;
  }
  const snaps = await db.getAll(...sources.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const byId = new Map(snaps.map((snap) => [snap.id, snap.exists ? snap.data()! : null]));
  refuseForged(adjustments, byId);
  return snaps.length + (await refuseIncompleteSets(db, adjustments, byId));
}

/**
 * Refuses to carry part of a set: an adjustment its version raised that is not carried here is
 * read, and one that no longer exists was deleted outside FlowShare. Answers the documents read.
 */
async function refuseIncompleteSets(
  db: Firestore,
  adjustments: readonly CarriedAdjustment[],
  byId: ReadonlyMap<string, DocumentData | null>,
): Promise<number> {
  const carried = new Set(adjustments.map((a) => a.id));
  const absent = [...byId].flatMap(([id, source]) => missingAdjustments(id, source, carried).map((a) => ({ from: id, raised: a })));
  if (absent.length === 0) return 0;
  const snaps = await db.getAll(...absent.map((a) => db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${a.raised.id}`)));
  const gone = absent.filter((_, i) => !snaps[i].exists);
  if (gone.length > 0) {
    const from = gone[0].from;
    const missing = gone.filter((a) => a.from === from).map((a) => a.raised);
    throw new HttpsError(
      "failed-precondition",
      `The approved adjustments of ${from} cannot be carried: ${missingAdjustmentsText(from, missing)}, then this period is reconciled.`,
      { from_reconciliation_id: from, missing_adjustments: gone.slice(0, 100).map((a) => a.raised.id) },
    );
  }
  return snaps.length;
}

/** Throws for the adjustments that are not what the versions they name (`byId`, as read) raised. */
function refuseForged(adjustments: readonly CarriedAdjustment[], byId: ReadonlyMap<string, DocumentData | null>): void {
  const faults = adjustments.flatMap((a) => {
    const fault = adjustmentOriginFault(a, byId.get(a.from_reconciliation_id));
    return fault ? [{ adjustment_id: a.id, fault }] : [];
  });
  if (faults.length > 0) {
    const [first] = faults;
    throw new HttpsError(
      "failed-precondition",
      `Prior-period adjustment ${first.adjustment_id} is not what its version raised (${first.fault.text})${faults.length > 1 ? `, nor are ${faults.length - 1} more` : ""}: ` +
        `it was written or changed outside FlowShare, and no period carries it as it is; ${first.fault.remedy}, then this period is reconciled.`,
      { forged_adjustments: faults.slice(0, 20).map((f) => ({ adjustment_id: f.adjustment_id, kind: f.fault.kind, fault: f.fault.text })) },
    );
  }
}
