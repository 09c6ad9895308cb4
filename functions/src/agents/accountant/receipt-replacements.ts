/** A receipt that replaces another (a corrected terminal ticket): the version it replaces, and the refusals of a receipt replaced. */
import { HttpsError } from "firebase-functions/v2/https";
import { type DocumentData, type DocumentSnapshot, type Firestore, type Query, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";
import { refuseWithdrawnReplaced } from "./receipt-checks";
import { receiptOfVersion, isVersionOf } from "./version-ids";

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

export interface ReplacedReceipt {
  receiptId: string;
  /** The version this receipt replaces: its current (completed) one, or the one a version of this receipt already replaced. */
  reconciliationId: string | null;
  /** Its latest_reconciliation_id as read: the commit starts over should it have moved. */
  latestId: string | null;
  /** The replaced version as read, when it is the receipt's current one (its stale marks say why this version moves). */
  version?: DocumentData;
  documentsRead: number;
}

export async function replacedReceipt(db: Firestore, supersededId: string | null, receiptId: string): Promise<ReplacedReceipt | undefined> {
  if (!supersededId) return undefined;
  const snap = await db.doc(`${COLLECTIONS.terminalReceipts}/${supersededId}`).get();
  if (!snap.exists) {
    throw new HttpsError("failed-precondition", `The receipt it replaces, terminal receipt ${supersededId}, does not exist.`);
  }
  refuseWithdrawnReplaced(receiptId, snap);
  const latestId = (snap.get("latest_reconciliation_id") as string | undefined) ?? null;
  if (!latestId) return { receiptId: supersededId, reconciliationId: null, latestId, documentsRead: 1 };
  const latest = await db.doc(`${COLLECTIONS.reconciliations}/${latestId}`).get();
  const current = latest.exists && latest.get("status") === "completed";
  const by: unknown = latest.get("superseded_by");
  if (latest.exists && latest.get("status") === "superseded" && typeof by === "string" && !isVersionOf(receiptId, by)) {
    // Replaced by another ticket already: a second replacement would restate nothing and read as one that did.
    const byReceipt = receiptOfVersion(by);
    throw new HttpsError(
      "failed-precondition",
      `The receipt it replaces, terminal receipt ${supersededId}, was already replaced by receipt ${byReceipt} (its version ${latestId} is superseded by ${by}). Replace ${byReceipt} instead.`,
      { superseded_by: by, terminal_receipt_id: byReceipt },
    );
  }
  const replaced = current || (latest.exists && isVersionOf(receiptId, by)) ? latestId : null;
  return {
    receiptId: supersededId,
    reconciliationId: replaced,
    latestId,
    ...(current ? { version: latest.data() } : {}),
    documentsRead: 2,
  };
}

/**
 * A receipt whose version a corrected ticket (another receipt) replaced is done: its days are that
 * receipt's now, and a new version of it would close them again with barrels already restated.
 */
export function refuseReplacedReceipt(receiptId: string, latestId: string | null | undefined, latest: DocumentData | undefined): void {
  const by = latest?.superseded_by;
  if (latest?.status !== "superseded" || typeof by !== "string" || isVersionOf(receiptId, by)) return;
  const byReceipt = receiptOfVersion(by);
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was replaced by receipt ${byReceipt}: its version ${latestId} is superseded by ${by}. Reconcile ${byReceipt} instead; to correct the ticket again, enter a new receipt that replaces ${byReceipt}.`,
    { superseded_by: by, terminal_receipt_id: byReceipt },
  );
}

/** A replacing receipt reconciled: by the receipts naming this one (a query, beside the scan). */
export function refuseReplacedBeforeReconciled(receiptId: string, replacements: { docs: QueryDocumentSnapshot[] }): void {
  const by = replacements.docs.find((d) => typeof d.get("latest_reconciliation_id") === "string");
  if (by) throw replacedBeforeReconciled(receiptId, by.id, String(by.get("latest_reconciliation_id")));
}

/**
 * The same, in the closing transaction: by the mark a replacing receipt's first version leaves on
 * this receipt. A document it reads anyway, where a query in the transaction waits for the
 * transaction's first read to return (40-60 ms of a 10,000-entry close in the emulator).
 */
export function refuseMarkedReplaced(receiptId: string, receipt: DocumentSnapshot): void {
  const by: unknown = receipt.get(REPLACED_BY_RECEIPT);
  if (typeof by === "string") throw replacedBeforeReconciled(receiptId, by, String(receipt.get(REPLACED_BY_RECONCILIATION)));
}

function replacedBeforeReconciled(receiptId: string, by: string, reconciliationId: string): HttpsError {
  return new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was replaced by receipt ${by} (reconciled as ${reconciliationId}). Reconcile ${by} instead; to correct the ticket again, enter a new receipt that replaces ${by}.`,
    { terminal_receipt_id: by },
  );
}

/** Server fields of a receipt never reconciled whose replacing receipt was (refuseMarkedReplaced). */
export const REPLACED_BY_RECEIPT = "replaced_by_receipt_id";
export const REPLACED_BY_RECONCILIATION = "replaced_by_reconciliation_id";
