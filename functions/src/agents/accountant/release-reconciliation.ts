import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { capText } from "../../domain/bounded-id";
import { isReleased, RELEASE_NOTE_MAX } from "../../domain/release";
import { CORRECTIONS_PAGE, correctionsAwaitingAudit } from "./corrections-awaiting-audit";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { receiptEventId } from "../../domain/audit-chain";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId } from "../../shared/document-id";
import { accountInWords } from "../../shared/people";
import { utcMinute } from "../../domain/utc-minute";
import { dateOf } from "../../shared/timestamps";
import { typedNote } from "../../domain/typed-text";

/** Pages of corrections since a version a release looks through (their audits are checked). */
const RELEASE_CORRECTION_PAGES = 40;

export const releaseReconciliationInput = z
  .object({
    reconciliation_id: documentId(220),
    note: typedNote(RELEASE_NOTE_MAX).min(1, "say what was checked before the release"),
  })
  .strict();

export interface ReleaseReconciliationResult {
  reconciliation_id: string;
  released: true;
  released_by: string;
  released_at: string;
  /** How many prior-period adjustments of this version partners may now read and a coordinator decide. */
  adjustments_released: number;
}

/** A partner reads, verifies and exports a version only once it is released to the partners (firestore.rules says the same). */
export function refuseUnreleasedToPartner(report: Record<string, unknown> | undefined, caller: Caller, reconciliationId: string): void {
  // A partner is told the same of a version that does not exist: else asking for r_v2, r_v3… would
  // tell which versions wait for their release (the rules refuse both reads alike too).
  if (caller.role !== "jv_partner") return;
  const left = caller.partnerLeft;
  // Told alike whether the version exists or not, as the rules refuse both alike.
  const periodStart = dateOf(report?.period_start);
  if (left && (!periodStart || periodStart.getTime() >= left.at.getTime())) {
    throw new HttpsError(
      "permission-denied",
      `Reconciliation ${reconciliationId} does not exist, has not been released, or is of a period that began after partner ${caller.partnerId} left the joint venture on ${left.on}: a former partner reaches only its statements of the periods before.`,
    );
  }
  if (!report || !isReleased(report)) {
    throw new HttpsError(
      "permission-denied",
      `Reconciliation ${reconciliationId} does not exist or has not been released to the partners yet: the JV approves each version before partners see it.`,
    );
  }
}

/** A restatement's adjustments: one per partner whose allocation moved. */
const ADJUSTMENTS_MAX = 400;

/**
 * The `releaseReconciliation` callable: a coordinator or admin other than the one who made the
 * version approves it for the partners, once. Only the current version is released, and not while
 * stale (a later change is not in its figures: reconcile again). Its prior-period adjustments are
 * released with it. Sending the same release again returns it; another note is refused.
 */
export async function releaseReconciliation(
  deps: AgentDeps,
  input: z.output<typeof releaseReconciliationInput>,
  caller: Caller,
): Promise<ReleaseReconciliationResult> {
  const { db, clock } = deps;
  const id = input.reconciliation_id;
  const ref = db.doc(`${COLLECTIONS.reconciliations}/${id}`);
  const note = capText(input.note, RELEASE_NOTE_MAX);
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError("not-found", `Reconciliation ${id} does not exist.`);
    const report = snap.data()!;
    if (isReleased(report)) {
      const by = typeof report.released_by === "string" ? report.released_by : null;
      const at = report.released_at instanceof Timestamp ? report.released_at.toDate() : null;
      if (by === caller.uid && report.release_note === note && at) {
        // The same release again: answered as the first was, from its audit event.
        const event = await tx.get(db.doc(`${COLLECTIONS.auditLog}/release_${id}`));
        const released = event.get("details.adjustments_released");
        return {
          reconciliation_id: id,
          released: true,
          released_by: by,
          released_at: at.toISOString(),
          adjustments_released: Array.isArray(released) ? released.length : 0,
        };
      }
      throw new HttpsError(
        "failed-precondition",
        by
          ? `Reconciliation ${id} was released by ${await accountInWords(db, by)}${at ? ` on ${utcMinute(at)}` : ""}; a release is given once.`
          : `Reconciliation ${id} was released to the partners as it was made (no approval was required).`,
        { released_by: by },
      );
    }
    if (report.status !== "completed") {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${id} is ${String(report.status)}${report.superseded_by ? ` by ${String(report.superseded_by)}` : ""}: only the current version is released.`,
      );
    }
    if (report.close_check_pending === true) {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${id} is still being closed (its check for entries changed during the close has not run): try again in a minute, or reconcile the receipt again if it stays so.`,
      );
    }
    if (report.stale === true) {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${id} is stale: entries of its period changed during or after its close. Reconcile the receipt again and release the new version.`,
      );
    }
    if (report.created_by === caller.uid) {
      throw new HttpsError(
        "permission-denied",
        `You made reconciliation ${id}: another coordinator or an admin approves its release (four eyes).`,
      );
    }
    // Read beside the transaction: a correction committed after this look is one made after the
    // release, and its audit marks the released version stale as any later change does.
    const look = await correctionsAwaitingAudit(db, report, RELEASE_CORRECTION_PAGES);
    if (!look.complete) {
      throw new HttpsError(
        "failed-precondition",
        `More than ${RELEASE_CORRECTION_PAGES * CORRECTIONS_PAGE} entries were corrected since reconciliation ${id} was made: reconcile the receipt again and release the new version.`,
      );
    }
    const awaiting = look.ids;
    if (awaiting.length > 0) {
      throw new HttpsError(
        "failed-precondition",
        `Entries on the days of reconciliation ${id} were corrected after it was made and await their audit (${awaiting.slice(0, 10).join(", ")}${awaiting.length > 10 ? ` and ${awaiting.length - 10} more` : ""}); their audits will mark it stale. Reconcile the receipt again once they are audited (an unchanged version is kept), then release.`,
        { awaiting_audit: awaiting },
      );
    }
    const adjustments = await tx.get(
      db
        .collection(COLLECTIONS.priorPeriodAdjustments)
        .where("from_reconciliation_id", "==", id)
        .limit(ADJUSTMENTS_MAX + 1),
    );
    if (adjustments.size > ADJUSTMENTS_MAX) {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${id} raised more than ${ADJUSTMENTS_MAX} adjustments; release it with the Admin SDK.`,
      );
    }
    const now = clock.now();
    const audit = await prepareAuditAppend(db, tx, {
      eventId: receiptEventId("reconciliation_released", id),
      stream: `receipt_${String(report.terminal_receipt_id)}`,
      actor: caller.uid,
      action: "reconciliation_released",
      subject: ref.path,
      details: {
        reconciliation_id: id,
        version: report.version,
        integrity_hash: report.integrity_hash,
        note,
        role: caller.role,
        adjustments_released: adjustments.docs.map((d) => d.id),
      },
    });
    const at = Timestamp.fromDate(now);
    tx.update(ref, { released: true, released_by: caller.uid, released_at: at, release_note: note });
    for (const a of adjustments.docs) tx.update(a.ref, { released: true });
    writeAuditAppend(db, tx, audit, now);
    return {
      reconciliation_id: id,
      released: true,
      released_by: caller.uid,
      released_at: now.toISOString(),
      adjustments_released: adjustments.size,
    };
  });
}
