import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { isBoundedId } from "../../domain/bounded-id";
import {
  byCorrectionTime,
  STALE_ENTRY_IDS_LISTED,
  versionCorrection,
  type CorrectionNote,
  type VersionCorrection,
} from "../../domain/version-corrections";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";

const CORRECTION_FIELDS = ["partner_id", "corrected_by", "corrected_at", "correction_note", "created_by", "created_at"];

const entryRefs = (db: Firestore, entryIds: unknown) =>
  (Array.isArray(entryIds) ? entryIds.filter((id): id is string => typeof id === "string" && isBoundedId(id)) : [])
    .slice(0, STALE_ENTRY_IDS_LISTED)
    .map((id) => db.doc(`${COLLECTIONS.productionEntries}/${id}`));

/**
 * The corrections behind a new version of a stale one: the entries its stale marks name, with who
 * changed each and when, relative to `since` (when the call that made the stale version began).
 * Each is listed, also one changed again while this version is made (the change is recorded on
 * its day and makes this version stale, and the next version lists it again): listed twice rather
 * than never. Entries are never deleted; one not found is left out.
 */
export async function readCorrections(
  db: Firestore,
  entryIds: unknown,
  since: Date,
): Promise<{ corrections: VersionCorrection[]; reads: number }> {
  const refs = entryRefs(db, entryIds);
  if (refs.length === 0) return { corrections: [], reads: 0 };
  const snaps = await db.getAll(...refs, { fieldMask: CORRECTION_FIELDS.map((f) => new FieldPath(f)) });
  const corrections = snaps
    .filter((snap) => snap.exists)
    .map((snap) => versionCorrection(snap.id, toPlain(snap.data()) as Record<string, unknown>, since))
    .sort(byCorrectionTime);
  return { corrections, reads: snaps.length };
}

/** The correction notes of a report's corrections, as the entries hold them now (`only`: one partner's). */
export async function readCorrectionNotes(db: Firestore, corrections: unknown, only?: string): Promise<Record<string, CorrectionNote>> {
  const rows = (Array.isArray(corrections) ? corrections : []).filter(
    (r): r is { entry_id: string; partner_id: string } =>
      typeof (r as { entry_id?: unknown })?.entry_id === "string" &&
      (only === undefined || (r as { partner_id?: unknown }).partner_id === only),
  );
  const refs = entryRefs(
    db,
    rows.map((r) => r.entry_id),
  );
  if (refs.length === 0) return {};
  const snaps = await db.getAll(...refs, {
    fieldMask: [new FieldPath("correction_note"), new FieldPath("corrected_at"), new FieldPath("partner_id")],
  });
  const notes: Record<string, CorrectionNote> = {};
  for (const snap of snaps) {
    const data = toPlain(snap.data() ?? {}) as Record<string, unknown>;
    // A partner's statement shows notes of its own entries only, whatever the report's row says.
    if (!snap.exists || typeof data.correction_note !== "string" || (only !== undefined && data.partner_id !== only)) continue;
    notes[snap.id] = { note: data.correction_note, corrected_at: data.corrected_at instanceof Date ? data.corrected_at : null };
  }
  return notes;
}
