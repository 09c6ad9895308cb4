/**
 * The `recordExceptionCorrection` callable: a coordinator or admin names the report version that
 * corrects an upheld statement exception, so that the partner and its auditor can follow the
 * exception to the figures restated. Once per exception; audited in the statement_exceptions stream.
 */
import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { z } from "zod";
import {
  correctionRefusal,
  EXCEPTIONS_STREAM,
  exceptionCorrectedEventId,
  type ExceptionCorrection,
  LINE_FIGURES,
  type LineFigures,
  REPLACED_CHAIN_MAX,
} from "../../domain/statement-exception";
import { utcMinute } from "../../domain/utc-minute";
import { accountInWords } from "../../shared/people";
import { isReleased } from "../../domain/release";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId, isDocumentIdLike } from "../../shared/document-id";

export const recordExceptionCorrectionInput = z
  .object({
    exception_id: documentId(64),
    reconciliation_id: documentId(220),
  })
  .strict();

export interface ExceptionCorrectionResult extends ExceptionCorrection {
  exception_id: string;
  recorded_by: string;
  /** null only for a correction stored without its time (none is written so). */
  recorded_at: string | null;
}

type StoredCorrection = ExceptionCorrection & { by: string; at: Timestamp | null };

function storedCorrection(snap: DocumentSnapshot): StoredCorrection | null {
  const c = snap.get("correction") as Record<string, unknown> | null | undefined;
  if (!c || typeof c.reconciliation_id !== "string") return null;
  return {
    reconciliation_id: c.reconciliation_id,
    terminal_receipt_id: String(c.terminal_receipt_id),
    version: Number(c.version),
    allocated_bbl_before: Number(c.allocated_bbl_before),
    allocated_bbl_after: Number(c.allocated_bbl_after),
    by: String(c.by),
    at: c.at instanceof Timestamp ? c.at : null,
  };
}

/** The partner's figures on a report's line, or null when it has none. */
function lineOf(report: Record<string, unknown> | undefined, partnerId: string): LineFigures | null {
  const lines = Array.isArray(report?.allocations) ? (report.allocations as Array<Record<string, unknown>>) : [];
  const line = lines.find((l) => l.partner_id === partnerId);
  return line ? (Object.fromEntries(LINE_FIGURES.map((f) => [f, Number(line[f])])) as LineFigures) : null;
}

/** The receipts `report`'s receipt replaces, nearest first: its supersedes_receipt, then that version's, as far as REPLACED_CHAIN_MAX. */
async function replacedReceipts(db: Firestore, tx: Transaction, report: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let replaced = report.supersedes_receipt as { terminal_receipt_id?: unknown; reconciliation_id?: unknown } | null | undefined;
  while (
    typeof replaced?.terminal_receipt_id === "string" &&
    ids.length < REPLACED_CHAIN_MAX &&
    !ids.includes(replaced.terminal_receipt_id)
  ) {
    ids.push(replaced.terminal_receipt_id);
    if (!isDocumentIdLike(replaced.reconciliation_id)) break;
    const next = await tx.get(db.doc(`${COLLECTIONS.reconciliations}/${replaced.reconciliation_id}`));
    replaced = next.get("supersedes_receipt") as typeof replaced;
  }
  return ids;
}

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
    const exceptedId = String(snap.get("reconciliation_id"));
    const partnerId = String(snap.get("partner_id"));
    const [receiptSnap, exceptedSnap] = await tx.getAll(
      db.doc(`${COLLECTIONS.terminalReceipts}/${receiptId}`),
      db.doc(`${COLLECTIONS.reconciliations}/${exceptedId}`),
    );
    const recorded = storedCorrection(snap);
    // Who recorded it and when, named only when another version is refused for it.
    const recordedWords =
      recorded && recorded.reconciliation_id !== versionSnap.id
        ? `by ${await accountInWords(db, recorded.by)}${recorded.at ? ` on ${utcMinute(recorded.at.toDate())}` : ""}`
        : "";
    const exception = {
      id: snap.id,
      status: snap.get("status") as unknown,
      reconciliation_id: exceptedId,
      terminal_receipt_id: String(snap.get("terminal_receipt_id")),
      version: Number(snap.get("version")),
      partner_id: partnerId,
      line: lineOf(exceptedSnap.data(), partnerId),
      correction: recorded ? { ...recorded, recorded: recordedWords } : null,
    };
    const line = lineOf(report, partnerId);
    const refusal = correctionRefusal(exception, {
      id: versionSnap.id,
      terminal_receipt_id: receiptId,
      version: Number(report.version),
      released: isReleased(report),
      replaced_receipt_ids: await replacedReceipts(db, tx, report),
      line,
      receipt_withdrawn: receiptSnap.get("withdrawn") === true,
    });
    if (refusal) throw new HttpsError("failed-precondition", refusal, recorded ? { correction: recorded.reconciliation_id } : undefined);
    if (recorded) {
      const { by, at, ...correction } = recorded;
      return { exception_id: snap.id, ...correction, recorded_by: by, recorded_at: at?.toDate().toISOString() ?? null };
    }
    const now = clock.now();
    const correction: ExceptionCorrection = {
      reconciliation_id: versionSnap.id,
      terminal_receipt_id: receiptId,
      version: Number(report.version),
      allocated_bbl_before: exception.line?.allocated_bbl ?? 0,
      allocated_bbl_after: line!.allocated_bbl,
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
        corrected_in_status: report.status ?? null,
        corrected_in_integrity_hash: report.integrity_hash ?? null,
        allocated_bbl_before: correction.allocated_bbl_before,
        allocated_bbl_after: correction.allocated_bbl_after,
        role: caller.role,
      },
    });
    tx.update(ref, { correction: { ...correction, by: caller.uid, at: Timestamp.fromDate(now) } });
    writeAuditAppend(db, tx, audit, now);
    return { exception_id: snap.id, ...correction, recorded_by: caller.uid, recorded_at: now.toISOString() };
  });
}
