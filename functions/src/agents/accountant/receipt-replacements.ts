import type { Firestore, Query } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";

/**
 * The receipts that name `receiptId` in supersedes_receipt_id (a handful at most; the single-field
 * index serves the query). For reconcile, one of them reconciled means a receipt replaced before it was ever
 * reconciled, which is done too: its correcting ticket's version stands for it; a version of it
 * would allocate barrels that ticket replaced, and a later version of that ticket would supersede
 * it and reopen its days without an adjustment.
 */
export function replacementsOf(db: Firestore, receiptId: string): Query {
  return db.collection(COLLECTIONS.terminalReceipts).where("supersedes_receipt_id", "==", receiptId);
}
