import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { isBoundedId } from "../../domain/bounded-id";
import { byCorrectionTime, versionCorrection, type VersionCorrection } from "../../domain/version-corrections";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";

const CORRECTION_FIELDS = ["partner_id", "correction_note", "corrected_by", "corrected_at", "created_by", "created_at"];

/**
 * The corrections behind a new version of a stale one: the entries its stale marks name (at most
 * STALE_ENTRY_IDS_LISTED), read for who changed each, when and why. Entries are never deleted; one
 * missing is left out.
 */
export async function readCorrections(db: Firestore, entryIds: unknown): Promise<{ corrections: VersionCorrection[]; reads: number }> {
  const ids = Array.isArray(entryIds) ? entryIds.filter((id): id is string => typeof id === "string" && isBoundedId(id)) : [];
  if (ids.length === 0) return { corrections: [], reads: 0 };
  const refs = ids.map((id) => db.doc(`${COLLECTIONS.productionEntries}/${id}`));
  const snaps = await db.getAll(...refs, { fieldMask: CORRECTION_FIELDS.map((f) => new FieldPath(f)) });
  const corrections = snaps
    .filter((snap) => snap.exists)
    .map((snap) => versionCorrection(snap.id, toPlain(snap.data()) as Record<string, unknown>))
    .sort(byCorrectionTime);
  return { corrections, reads: snaps.length };
}
