import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/**
 * Counters that take every event of a burst: Firestore sustains about one write per second
 * on a single document, so increments land on one of SHARD_COUNT shard documents and
 * readers add them up (the firestore-counter extension's approach).
 */
export const SHARD_COUNT = 10;

export async function incrementSharded(
  db: Firestore,
  docPath: string,
  amounts: Record<string, number>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const shard = Math.floor(Math.random() * SHARD_COUNT);
  const update: Record<string, unknown> = { ...extra };
  for (const [field, amount] of Object.entries(amounts)) update[field] = FieldValue.increment(amount);
  await db.doc(`${docPath}/${COLLECTIONS.shards}/${shard}`).set(update, { merge: true });
}

export async function readShardedTotals(db: Firestore, docPath: string): Promise<Record<string, number>> {
  const shards = await db.collection(`${docPath}/${COLLECTIONS.shards}`).limit(SHARD_COUNT).get();
  const totals: Record<string, number> = {};
  for (const doc of shards.docs) {
    for (const [field, value] of Object.entries(doc.data())) {
      if (typeof value === "number") totals[field] = (totals[field] ?? 0) + value;
    }
  }
  return totals;
}
