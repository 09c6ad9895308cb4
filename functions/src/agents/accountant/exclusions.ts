import { type Firestore } from "firebase-admin/firestore";
import { type ExcludedEntry } from "../../domain/reconciliation-report";
import { COLLECTIONS } from "../../shared/collections";

/**
 * The full list of a version's excluded entries lives beside the report, in
 * `reconciliations/{id}/exclusions/{prefix}_{n}` chunks, so that no number of exclusions
 * can push the report past Firestore's 1 MiB: the report keeps the count, a digest and a
 * short preview. A row is at most 64 + 128 + 200 characters (bounded id, partner id,
 * capped reason): 1,000 rows stay below half a MiB.
 */
export const EXCLUSION_CHUNK_ROWS = 1_000;
const COMMITS_IN_FLIGHT = 4;

export interface ExclusionsInfo {
  prefix: string;
  chunks: number;
  rows: number;
}

export { exclusionsDigest } from "../../domain/report-hash";

const chunkId = (prefix: string, index: number) => `${prefix}_${String(index).padStart(5, "0")}`;
const base = (reconciliationId: string) => `${COLLECTIONS.reconciliations}/${reconciliationId}/${COLLECTIONS.reconciliationExclusions}`;

/** Where `rows` exclusion rows with this digest are stored: known before they are written. */
export function exclusionsInfo(digest: string, rows: number): ExclusionsInfo {
  return { prefix: digest.slice(0, 16), chunks: Math.ceil(rows / EXCLUSION_CHUNK_ROWS), rows };
}

/** Writes the exclusion chunks before the version (keyed by its digest, as the manifest is). */
export async function writeExclusions(
  db: Firestore,
  reconciliationId: string,
  digest: string,
  rows: readonly ExcludedEntry[],
): Promise<ExclusionsInfo> {
  const { prefix, chunks } = exclusionsInfo(digest, rows.length);
  let next = 0;
  const commit = async () => {
    while (next < chunks) {
      const index = next;
      next += 1;
      const slice = rows.slice(index * EXCLUSION_CHUNK_ROWS, (index + 1) * EXCLUSION_CHUNK_ROWS);
      await db.doc(`${base(reconciliationId)}/${chunkId(prefix, index)}`).set({ index, exclusions_digest: digest, rows: slice });
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMITS_IN_FLIGHT, chunks) }, commit));
  return { prefix, chunks, rows: rows.length };
}

/** Reads a version's exclusion rows back in their stored order. */
export async function readExclusions(db: Firestore, reconciliationId: string, info: ExclusionsInfo): Promise<ExcludedEntry[]> {
  if (info.chunks === 0) return [];
  const snaps = await db.getAll(
    ...Array.from({ length: info.chunks }, (_, i) => db.doc(`${base(reconciliationId)}/${chunkId(info.prefix, i)}`)),
  );
  const rows: ExcludedEntry[] = [];
  for (const snap of snaps) {
    if (!snap.exists) throw new Error(`exclusion chunk ${snap.id} is missing`);
    rows.push(...(snap.get("rows") as ExcludedEntry[]));
  }
  return rows;
}
