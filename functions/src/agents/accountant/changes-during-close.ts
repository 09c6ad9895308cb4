import { type Firestore, type Transaction } from "firebase-admin/firestore";
import { changesOfCall, type CallRecord } from "../../domain/close-in-progress";
import { STALE_ENTRY_IDS_LISTED } from "../../domain/version-corrections";
import { COLLECTIONS } from "../../shared/collections";
import { SELECTED_FIELDS, takenInScan, takenNow, type EntryScan, type ScanOptions } from "./entry-scan";

export interface ScanTaken {
  scan: EntryScan;
  from: Date;
  to: Date;
  jvStart?: ScanOptions["jvStart"];
}

/**
 * The changes a close's records hold that its scan did not read. The records are written before
 * the scan, so a change committed between them and the scan's read of its entry is in the figures
 * already: each listed entry is read again in the closing transaction and taken as a scan would
 * take it now, and one the scan took the same is no change since. A record listing as many
 * entries as it holds may have left some out: then every recorded change stands.
 */
export async function changesNotRead(
  db: Firestore,
  tx: Transaction,
  records: ReadonlyArray<CallRecord | undefined>,
  taken: ScanTaken,
): Promise<{ entry_ids: string[]; changes: number; reads: number }> {
  const during = changesOfCall(records, STALE_ENTRY_IDS_LISTED);
  const full = records.some((record) => record !== undefined && record.entry_ids.length >= STALE_ENTRY_IDS_LISTED);
  if (during.changes === 0 || full || during.entry_ids.length >= STALE_ENTRY_IDS_LISTED) return { ...during, reads: 0 };
  const refs = during.entry_ids.map((id) => db.doc(`${COLLECTIONS.productionEntries}/${id}`));
  const snaps = await tx.getAll(...refs, { fieldMask: SELECTED_FIELDS });
  const inScan = takenInScan(taken.scan, new Set(during.entry_ids));
  const unread = snaps
    .filter((snap) => takenNow(snap.id, snap.data(), taken.from, taken.to, taken.jvStart) !== inScan.get(snap.id))
    .map((snap) => snap.id);
  // Each entry read as it stands accounts for at least one of the changes counted.
  const changes = unread.length === 0 ? 0 : Math.max(unread.length, during.changes - (during.entry_ids.length - unread.length));
  return { entry_ids: unread, changes, reads: snaps.length };
}
