import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { utcMinute } from "../../domain/utc-minute";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { receiptEventId } from "../../domain/audit-chain";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { boundedId } from "../../shared/document-id";
import { accountInWords } from "../../shared/people";
import { replacementsOf } from "./receipt-replacements";
import { typedNote } from "../../domain/typed-text";

export const withdrawReceiptInput = z
  .object({
    terminal_receipt_id: boundedId(),
    note: typedNote(NOTE_MAX_LENGTH).min(1, "say why the receipt is withdrawn"),
  })
  .strict();

/** Receipts naming one as replaced, looked at: a JV enters one corrected ticket, or a few withdrawn ones first. */
const REPLACERS_READ = 20;

export interface WithdrawReceiptResult {
  terminal_receipt_id: string;
  withdrawn_by: string;
  withdrawn_at: string;
  note: string;
}

/**
 * The `withdrawReceipt` callable: a coordinator or admin withdraws a terminal receipt entered by
 * mistake (a wrong period, a figure mistyped), with a note, before it is reconciled. A reconciled
 * receipt's figures stand and are corrected by a receipt replacing it; one another receipt
 * already replaces stays for that one. `reconcile` refuses a withdrawn receipt; the withdrawal is
 * an event in the receipt's audit chain. Sending the same withdrawal again changes nothing.
 */
export async function withdrawReceipt(
  deps: AgentDeps,
  input: z.output<typeof withdrawReceiptInput>,
  caller: Caller,
): Promise<WithdrawReceiptResult> {
  const { db, clock } = deps;
  const id = input.terminal_receipt_id;
  const ref = db.doc(`${COLLECTIONS.terminalReceipts}/${id}`);
  return runTransaction(db, async (tx) => {
    const [snap, replacing] = await Promise.all([tx.get(ref), tx.get(replacementsOf(db, id).limit(REPLACERS_READ))]);
    if (!snap.exists) throw new HttpsError("not-found", `Terminal receipt ${id} does not exist.`);
    if (snap.get("withdrawn") === true) {
      const stamp: unknown = snap.get("withdrawn_at");
      const at = stamp instanceof Timestamp ? stamp.toDate() : new Date(0);
      const result = {
        terminal_receipt_id: id,
        withdrawn_by: String(snap.get("withdrawn_by")),
        withdrawn_at: at.toISOString(),
        note: String(snap.get("withdrawal_note")),
      };
      if (result.note === input.note) return result;
      throw new HttpsError(
        "failed-precondition",
        `Terminal receipt ${id} was already withdrawn by ${await accountInWords(db, result.withdrawn_by)} on ${utcMinute(at)}.`,
        { withdrawn_by: result.withdrawn_by },
      );
    }
    const latest = snap.get("latest_reconciliation_id") as unknown;
    if (typeof latest === "string") {
      throw new HttpsError(
        "failed-precondition",
        `Terminal receipt ${id} is reconciled (${latest}): its figures stand. To correct it, enter a receipt that replaces it, with the corrected ticket.`,
        { reconciliation_id: latest },
      );
    }
    // A replacing receipt withdrawn itself replaces nothing.
    const replacer = replacing.docs.find((d) => d.get("withdrawn") !== true);
    if (replacer) {
      throw new HttpsError("failed-precondition", `Terminal receipt ${id} is the receipt ${replacer.id} replaces: it stays for that one.`, {
        replaced_by: replacer.id,
      });
    }
    const now = clock.now();
    const audit = await prepareAuditAppend(db, tx, {
      eventId: receiptEventId("receipt_withdrawn", id),
      stream: `receipt_${id}`,
      actor: caller.uid,
      action: "receipt_withdrawn",
      subject: ref.path,
      details: { note: input.note, role: caller.role },
    });
    tx.update(ref, { withdrawn: true, withdrawn_by: caller.uid, withdrawn_at: Timestamp.fromDate(now), withdrawal_note: input.note });
    writeAuditAppend(db, tx, audit, now);
    return { terminal_receipt_id: id, withdrawn_by: caller.uid, withdrawn_at: now.toISOString(), note: input.note };
  });
}
