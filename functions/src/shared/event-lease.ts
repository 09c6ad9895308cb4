import { runTransaction } from "./transaction";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/**
 * At-least-once delivery guard for triggers (the firestore-send-email lease pattern): the
 * first delivery of an event takes a lease in `event_leases/{key}`; a concurrent or later
 * replay of the same event finds it held or done and does nothing. A lease that expired
 * (its holder crashed) can be taken over, so a crash never loses the work.
 */
export type LeaseOutcome = "acquired" | "done" | "busy";

export const EVENT_LEASE_MS = 120_000;
/** For a TTL policy on event_leases.expires_at: markers outlive any redelivery window. */
const MARKER_TTL_MS = 7 * 24 * 3600 * 1000;

export async function acquireEventLease(db: Firestore, key: string, now: Date): Promise<LeaseOutcome> {
  const ref = db.doc(`${COLLECTIONS.eventLeases}/${key}`);
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists) {
      if (snap.get("state") === "done") return "done";
      const until = snap.get("lease_until") as Timestamp | undefined;
      if (until && until.toMillis() > now.getTime()) return "busy";
    }
    tx.set(ref, {
      state: "processing",
      lease_until: Timestamp.fromMillis(now.getTime() + EVENT_LEASE_MS),
      attempts: (snap.exists ? Number(snap.get("attempts") ?? 0) : 0) + 1,
      expires_at: Timestamp.fromMillis(now.getTime() + MARKER_TTL_MS),
    });
    return "acquired";
  });
}

export async function completeEventLease(db: Firestore, key: string, now: Date, outcome: string): Promise<void> {
  await db
    .doc(`${COLLECTIONS.eventLeases}/${key}`)
    .set({ state: "done", outcome, done_at: Timestamp.fromDate(now), lease_until: null }, { merge: true });
}

/** Gives the lease back after a failure, so the platform's retry can take it at once. */
export async function releaseEventLease(db: Firestore, key: string): Promise<void> {
  await db.doc(`${COLLECTIONS.eventLeases}/${key}`).set({ state: "failed", lease_until: null }, { merge: true });
}
