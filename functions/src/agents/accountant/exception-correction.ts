/**
 * The `recordExceptionCorrection` callable: a coordinator or admin names the report version that
 * corrects an upheld statement exception, so that the partner and its auditor can follow the
 * exception to the figures restated. Once per exception; audited in the statement_exceptions stream.
 */
import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import { z } from "zod";
import {
  correctionRefusal,
  EXCEPTIONS_STREAM,
  exceptionCorrectedEventId,
  type ExceptionCorrection,
  type ExceptionStatus,
} from "../../domain/statement-exception";
import { isReleased } from "../../domain/release";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId } from "../../shared/document-id";

export const recordExceptionCorrectionInput = z
  .object({
    exception_id: documentId(64),
    reconciliation_id: documentId(220),
  })
  .strict();

export interface ExceptionCorrectionResult extends ExceptionCorrection {
  exception_id: string;
  recorded_by: string;
  recorded_at: string;
}

function storedCorrection(snap: DocumentSnapshot): (ExceptionCorrection & { by: string; at: Timestamp }) | null {
  const c = snap.get("correction") as Record<string, unknown> | null | undefined;
  if (!c || typeof c.reconciliation_id !== "string") return null;
  return {
    reconciliation_id: c.reconciliation_id,
    terminal_receipt_id: String(c.terminal_receipt_id),
    version: Number(c.version),
    by: String(c.by),
    at: c.at as Timestamp,
  };
}

const partnerIdsOf = (report: Record<string, unknown>): string[] =>
  Array.isArray(report.allocations) ? (report.allocations as Array<{ partner_id?: unknown }>).map((l) => String(l.partner_id)) : [];

export async function recordExceptionCorrection(
  deps: AgentDeps,
  input: z.output<typeof recordExceptionCorrectionInput>,
  caller: Caller,
): Promise<ExceptionCorrectionResult> {
  const { db, clock } = deps;
  const ref = db.doc(`${COLLECTIONS.statementExceptions}/${input.exception_id}`);
  return runTransaction(db, async (tx) => {
    const [snap, versionSnap] = await tx.getAll(ref, db.doc(`${COLLECTIONS.reconciliations}/${input.reconciliation_id}`));
    if (!snap.exists) throw new HttpsError("not-found", `Statement exception ${input.exception_id} does not exist.`);
    if (!versionSnap.exists) throw new HttpsError("not-found", `Reconciliation ${input.reconciliation_id} does not exist.`);
    const report = versionSnap.data()!;
    const receiptId = String(report.terminal_receipt_id);
    const receiptSnap = await tx.get(db.doc(`${COLLECTIONS.terminalReceipts}/${receiptId}`));
    const recorded = storedCorrection(snap);
    const exception = {
      id: snap.id,
      status: snap.get("status") as ExceptionStatus,
      reconciliation_id: String(snap.get("reconciliation_id")),
      terminal_receipt_id: String(snap.get("terminal_receipt_id")),
      version: Number(snap.get("version")),
      partner_id: String(snap.get("partner_id")),
      correction: recorded,
    };
    const replaced = report.supersedes_receipt as { terminal_receipt_id?: unknown } | null | undefined;
    const refusal = correctionRefusal(exception, {
      id: versionSnap.id,
      terminal_receipt_id: receiptId,
      version: Number(report.version),
      released: isReleased(report),
      replaces_receipt_id: typeof replaced?.terminal_receipt_id === "string" ? replaced.terminal_receipt_id : null,
      partner_ids: partnerIdsOf(report),
      receipt_withdrawn: receiptSnap.get("withdrawn") === true,
    });
    if (refusal) throw new HttpsError("failed-precondition", refusal, recorded ? { correction: recorded.reconciliation_id } : undefined);
    if (recorded) {
      return {
        exception_id: snap.id,
        reconciliation_id: recorded.reconciliation_id,
        terminal_receipt_id: recorded.terminal_receipt_id,
        version: recorded.version,
        recorded_by: recorded.by,
        recorded_at: recorded.at.toDate().toISOString(),
      };
    }
    const now = clock.now();
    const correction: ExceptionCorrection = {
      reconciliation_id: versionSnap.id,
      terminal_receipt_id: receiptId,
      version: Number(report.version),
    };
    const audit = await prepareAuditAppend(db, tx, {
      eventId: exceptionCorrectedEventId(snap.id),
      stream: EXCEPTIONS_STREAM,
      actor: caller.uid,
      action: "statement_exception_corrected",
      subject: ref.path,
      details: {
        reconciliation_id: exception.reconciliation_id,
        version: exception.version,
        partner_id: exception.partner_id,
        corrected_in: correction.reconciliation_id,
        corrected_in_version: correction.version,
        corrected_in_integrity_hash: report.integrity_hash ?? null,
        role: caller.role,
      },
    });
    tx.update(ref, { correction: { ...correction, by: caller.uid, at: Timestamp.fromDate(now) } });
    writeAuditAppend(db, tx, audit, now);
    return { exception_id: snap.id, ...correction, recorded_by: caller.uid, recorded_at: now.toISOString() };
  });
}
