import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { z } from "zod";
import {
  ANSWER_TEXT_MAX,
  ANSWER_TEXT_MIN,
  EXCEPTION_OUTCOMES,
  EXCEPTION_TEXT_MAX,
  EXCEPTION_TEXT_MIN,
  EXCEPTIONS_STREAM,
  exceptionAnsweredEventId,
  exceptionRaisedEventId,
  exceptionWindowEnds,
  OPEN_EXCEPTIONS_MAX,
  statementExceptionId,
  type ExceptionOutcome,
  type ExceptionStatus,
} from "../../domain/statement-exception";
import { typedNote } from "../../domain/typed-text";
import { utcMinute } from "../../domain/utc-minute";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId, isDocumentIdLike } from "../../shared/document-id";
import { isReleased } from "../../domain/release";
import { JV_SETTINGS_PATH, jvSettingsOf } from "../../shared/jv-settings";
import { accountInWords } from "../../shared/people";
import { refuseUnreleasedToPartner } from "./release-reconciliation";

export const raiseStatementExceptionInput = z
  .object({
    reconciliation_id: documentId(220),
    text: typedNote(EXCEPTION_TEXT_MAX).min(
      EXCEPTION_TEXT_MIN,
      `say what is wrong with the statement and why, in at least ${EXCEPTION_TEXT_MIN} characters`,
    ),
  })
  .strict();

export const answerStatementExceptionInput = z
  .object({
    exception_id: documentId(64),
    outcome: z.enum(EXCEPTION_OUTCOMES),
    answer: typedNote(ANSWER_TEXT_MAX).min(
      ANSWER_TEXT_MIN,
      `say why the exception is upheld or rejected, in at least ${ANSWER_TEXT_MIN} characters`,
    ),
  })
  .strict();

export interface StatementExceptionResult {
  exception_id: string;
  reconciliation_id: string;
  partner_id: string;
  status: ExceptionStatus;
  raised_at: string;
  /** The last day (UTC) the partner could take exception to this statement. */
  window_ends_at: string;
}

const exceptionPath = (id: string) => `${COLLECTIONS.statementExceptions}/${id}`;

function resultOf(snap: DocumentSnapshot): StatementExceptionResult {
  return {
    exception_id: snap.id,
    reconciliation_id: String(snap.get("reconciliation_id")),
    partner_id: String(snap.get("partner_id")),
    status: snap.get("status") as ExceptionStatus,
    raised_at: (snap.get("raised_at") as Timestamp).toDate().toISOString(),
    window_ends_at: (snap.get("window_ends_at") as Timestamp).toDate().toISOString(),
  };
}

/** When the statement was issued to the partners: its release, or its making when it was released as made. */
function issuedAt(report: Record<string, unknown>): Date | undefined {
  const at = report.released_at ?? report.created_at;
  return at instanceof Timestamp ? at.toDate() : undefined;
}

/** How many later versions a partner's standing statement is looked for through. */
const SUCCESSORS_MAX = 20;

/**
 * The first version released to the partners among those that replaced `report` (its
 * `superseded_by`, then theirs); null when every version after it awaits its release (as far as
 * SUCCESSORS_MAX of them), so that it is the statement its partners hold. A chain that names no
 * version, or a version that does not exist, is refused: which statement stands cannot be told.
 */
async function releasedSuccessor(
  db: Firestore,
  tx: Transaction,
  reconciliationId: string,
  report: Record<string, unknown>,
): Promise<string | null> {
  let next: unknown = report.superseded_by;
  for (let step = 0; step < SUCCESSORS_MAX; step += 1) {
    const version = isDocumentIdLike(next) ? await tx.get(db.doc(`${COLLECTIONS.reconciliations}/${next}`)) : undefined;
    if (!version?.exists) {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${reconciliationId} is ${String(report.status)}, and the version that replaced it cannot be read: which statement stands cannot be told. Ask the JV's coordinator.`,
      );
    }
    if (isReleased(version.data()!)) return version.id;
    if (version.get("status") !== "superseded") return null;
    next = version.get("superseded_by");
  }
  return null;
}

/**
 * The `raiseStatementException` callable: a partner takes written exception to the released
 * statement it holds (the current version, or the last one released to it while the versions
 * after it await their release), within the JV's exception window. The same text again is the
 * same exception (answered as the first call was); the operator answers it with
 * answerStatementException. Audited in the statement_exceptions stream.
 */
export async function raiseStatementException(
  deps: AgentDeps,
  input: z.output<typeof raiseStatementExceptionInput>,
  caller: Caller,
): Promise<StatementExceptionResult> {
  const { db, clock } = deps;
  const partnerId = caller.partnerId!;
  const reconciliationId = input.reconciliation_id;
  const id = statementExceptionId(reconciliationId, partnerId, input.text);
  const ref = db.doc(exceptionPath(id));
  return runTransaction(db, async (tx) => {
    const [reportSnap, existing, settingsSnap] = await tx.getAll(
      db.doc(`${COLLECTIONS.reconciliations}/${reconciliationId}`),
      ref,
      db.doc(JV_SETTINGS_PATH),
    );
    const report = reportSnap.exists ? reportSnap.data()! : undefined;
    refuseUnreleasedToPartner(report, caller, reconciliationId);
    if (existing.exists) return resultOf(existing);
    if (report!.status !== "completed") {
      // Replaced only by versions that await their release: to its partners the statement stands.
      const replacedBy = await releasedSuccessor(db, tx, reconciliationId, report!);
      if (replacedBy !== null) {
        throw new HttpsError(
          "failed-precondition",
          `Reconciliation ${reconciliationId} is ${String(report!.status)} by ${replacedBy}: take exception to the current version.`,
          { superseded_by: replacedBy },
        );
      }
    }
    const lines = Array.isArray(report!.allocations) ? (report!.allocations as Array<Record<string, unknown>>) : [];
    if (!lines.some((l) => l.partner_id === partnerId)) {
      throw new HttpsError("permission-denied", `Partner ${partnerId} has no line on reconciliation ${reconciliationId}.`);
    }
    const settings = jvSettingsOf(settingsSnap);
    const issued = issuedAt(report!);
    if (!issued) {
      throw new HttpsError(
        "failed-precondition",
        `Reconciliation ${reconciliationId} records neither its release nor its making: when it was issued, and so the time to take exception to it, cannot be told. Ask the JV's coordinator.`,
      );
    }
    const windowEnds = exceptionWindowEnds(issued, settings.exception_window_days);
    const now = clock.now();
    if (now.getTime() > windowEnds.getTime()) {
      throw new HttpsError(
        "failed-precondition",
        `The time to take exception to reconciliation ${reconciliationId} ended ${utcMinute(windowEnds)} (${settings.exception_window_days} days after it was issued on ${utcMinute(issued)}): it stands.`,
        { window_ends_at: windowEnds.toISOString() },
      );
    }
    const open = await tx.get(
      db
        .collection(COLLECTIONS.statementExceptions)
        .where("reconciliation_id", "==", reconciliationId)
        .where("partner_id", "==", partnerId)
        .where("status", "==", "open")
        .limit(OPEN_EXCEPTIONS_MAX),
    );
    if (open.size >= OPEN_EXCEPTIONS_MAX) {
      throw new HttpsError(
        "resource-exhausted",
        `Partner ${partnerId} has ${OPEN_EXCEPTIONS_MAX} exceptions to reconciliation ${reconciliationId} awaiting the JV operator's answer; raise another once one of them is answered.`,
      );
    }
    const audit = await prepareAuditAppend(db, tx, {
      eventId: exceptionRaisedEventId(id),
      stream: EXCEPTIONS_STREAM,
      actor: caller.uid,
      action: "statement_exception_raised",
      subject: ref.path,
      details: {
        reconciliation_id: reconciliationId,
        version: report!.version,
        integrity_hash: report!.integrity_hash ?? null,
        partner_id: partnerId,
        text: input.text,
      },
    });
    const doc = {
      reconciliation_id: reconciliationId,
      terminal_receipt_id: String(report!.terminal_receipt_id),
      version: Number(report!.version),
      integrity_hash: typeof report!.integrity_hash === "string" ? report!.integrity_hash : null,
      partner_id: partnerId,
      text: input.text,
      status: "open" as const,
      raised_by: caller.uid,
      raised_at: Timestamp.fromDate(now),
      issued_at: Timestamp.fromDate(issued),
      window_days: settings.exception_window_days,
      window_ends_at: Timestamp.fromDate(windowEnds),
      answer: null,
    };
    tx.create(ref, doc);
    writeAuditAppend(db, tx, audit, now);
    return {
      exception_id: id,
      reconciliation_id: reconciliationId,
      partner_id: partnerId,
      status: "open",
      raised_at: now.toISOString(),
      window_ends_at: windowEnds.toISOString(),
    };
  });
}

export interface AnswerStatementExceptionResult {
  exception_id: string;
  status: ExceptionOutcome;
  answered_by: string;
  answered_at: string;
}

/**
 * The `answerStatementException` callable: a coordinator or admin answers an open exception,
 * once: upheld (the operator agrees and corrects the figures through a late entry or a corrected
 * ticket, then reconciles again) or rejected (the statement stands), with the reason. The same
 * answer again returns it; another is refused.
 */
export async function answerStatementException(
  deps: AgentDeps,
  input: z.output<typeof answerStatementExceptionInput>,
  caller: Caller,
): Promise<AnswerStatementExceptionResult> {
  const { db, clock } = deps;
  const ref = db.doc(exceptionPath(input.exception_id));
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError("not-found", `Statement exception ${input.exception_id} does not exist.`);
    const status = snap.get("status") as ExceptionStatus;
    const answer = snap.get("answer") as { by?: string; at?: Timestamp; text?: string } | null;
    if (status !== "open") {
      if (status === input.outcome && answer?.by === caller.uid && answer.text === input.answer && answer.at instanceof Timestamp) {
        return { exception_id: snap.id, status, answered_by: caller.uid, answered_at: answer.at.toDate().toISOString() };
      }
      throw new HttpsError(
        "failed-precondition",
        `Statement exception ${input.exception_id} was already ${status} by ${await accountInWords(db, String(answer?.by))}${answer?.at instanceof Timestamp ? ` on ${utcMinute(answer.at.toDate())}` : ""}; an exception is answered once.`,
        { status },
      );
    }
    const now = clock.now();
    const audit = await prepareAuditAppend(db, tx, {
      eventId: exceptionAnsweredEventId(snap.id),
      stream: EXCEPTIONS_STREAM,
      actor: caller.uid,
      action: "statement_exception_answered",
      subject: ref.path,
      details: {
        reconciliation_id: snap.get("reconciliation_id"),
        version: snap.get("version") ?? null,
        integrity_hash: snap.get("integrity_hash") ?? null,
        partner_id: snap.get("partner_id"),
        outcome: input.outcome,
        answer: input.answer,
        role: caller.role,
      },
    });
    tx.update(ref, { status: input.outcome, answer: { by: caller.uid, at: Timestamp.fromDate(now), text: input.answer } });
    writeAuditAppend(db, tx, audit, now);
    return { exception_id: snap.id, status: input.outcome, answered_by: caller.uid, answered_at: now.toISOString() };
  });
}
