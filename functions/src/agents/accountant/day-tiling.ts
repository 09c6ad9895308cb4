/** Closed days tile time: a day another receipt's current version holds refuses the period. */
import { HttpsError } from "firebase-functions/v2/https";
import { type Firestore } from "firebase-admin/firestore";
import { type TerminalReceipt } from "../../domain/terminal-receipt";
import { isDocumentIdLike } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { receiptOfVersion, isVersionOf } from "./version-ids";

export interface Overlap {
  terminal_receipt_id: string;
  reconciliation_id: string;
  days: string[];
}

export function overlapRefusal(receiptId: string, conflicts: readonly Overlap[]): HttpsError {
  const text = conflicts
    .map(
      (c) =>
        `receipt ${c.terminal_receipt_id} (reconciliation ${c.reconciliation_id}) on ${c.days.slice(0, 10).join(", ")}${c.days.length > 10 ? ` and ${c.days.length - 10} more days` : ""}`,
    )
    .join("; ");
  return new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} overlaps ${text}. No barrel is allocated twice: to replace that receipt, create the new one as replacing it ("Replaces receipt").`,
    { overlaps: conflicts.map((c) => ({ ...c, days: c.days.slice(0, 100) })) },
  );
}

/**
 * Refuses a period whose days a current version of another receipt holds, other than the receipt
 * this one replaces (the closing transaction decides that case, and this receipt's own versions,
 * on the versions it reads). The holders are told by their own versions, not by the day records,
 * which older versions wrote without the receipt's id. Answers the documents read.
 */
export async function refuseHeldDays(db: Firestore, receiptId: string, receipt: TerminalReceipt, days: readonly string[]): Promise<number> {
  if (days.length === 0) return 0;
  const daySnaps = await db.getAll(...days.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`)));
  const held = daySnaps.filter((d) => d.exists && isDocumentIdLike(d.get("reconciliation_id")));
  const holderIds = [...new Set(held.map((d) => String(d.get("reconciliation_id"))))].filter((id) => !isVersionOf(receiptId, id));
  if (holderIds.length === 0) return daySnaps.length;
  const holders = await db.getAll(...holderIds.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const ours = new Set([receiptId, receipt.supersedes_receipt_id]);
  const conflicts = holders
    .filter((h) => h.exists && h.get("status") === "completed" && !ours.has(String(h.get("terminal_receipt_id") ?? receiptOfVersion(h.id))))
    .map((h) => ({
      terminal_receipt_id: String(h.get("terminal_receipt_id") ?? receiptOfVersion(h.id)),
      reconciliation_id: h.id,
      days: held.filter((d) => d.get("reconciliation_id") === h.id).map((d) => d.id),
    }));
  if (conflicts.length > 0) throw overlapRefusal(receiptId, conflicts);
  return daySnaps.length + holders.length;
}
