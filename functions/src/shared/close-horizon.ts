/**
 * The close horizon: one document holding the latest contract day any reconciliation has closed,
 * so that a writer that must refuse closed days reads that one document rather than one per day.
 * A day after the horizon is open; only days on or before it need their closed_days record read.
 *
 * What makes it safe: closed_days records are written only by reconcile's closing transaction
 * (the rules refuse every client write), and that transaction raises the horizon to the period's
 * last day in the same commit. A supersede deletes days without lowering it (more reads, never a
 * missed day). Where the document is absent (a project closed before it existed, or none closed
 * yet), whoever needs it reads the latest closed_days record in its own transaction and writes the
 * horizon from it.
 */
import { FieldValue, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

export const CLOSE_HORIZON_PATH = "close_horizon/jv";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The latest closed day the document holds (null: none closed), or undefined when it is absent or unreadable. */
export function horizonOf(snap: DocumentSnapshot): string | null | undefined {
  if (!snap.exists) return undefined;
  const latest = snap.get("latest_closed_day") as unknown;
  if (latest === null) return null;
  return typeof latest === "string" && DAY.test(latest) ? latest : undefined;
}

/**
 * The latest closed_days record's day, read in `tx` (ids are YYYY-MM-DD). All ids are read, without
 * fields: the emulator serves no descending key scan, and this runs once, when the horizon is absent.
 */
export async function latestClosedDay(db: Firestore, tx: Transaction): Promise<string | null> {
  const days = await tx.get(db.collection(COLLECTIONS.closedDays).select());
  return days.docs.reduce<string | null>((latest, d) => laterDay(latest, d.id), null);
}

/** The horizon from its document, or, when absent, from the closed days themselves (then `rebuilt`: write it). */
export async function readHorizon(
  db: Firestore,
  tx: Transaction,
  snap: DocumentSnapshot,
): Promise<{ latest: string | null; rebuilt: boolean }> {
  const held = horizonOf(snap);
  if (held !== undefined) return { latest: held, rebuilt: false };
  return { latest: await latestClosedDay(db, tx), rebuilt: true };
}

/** The days that may be closed: those on or before the horizon. */
export function daysToCheck(days: readonly string[], latest: string | null): string[] {
  return latest === null ? [] : [...new Set(days)].filter((d) => d <= latest);
}

/** Writes the horizon as `latest` (a write in `tx`, after its reads). */
export function writeHorizon(db: Firestore, tx: Transaction, latest: string | null): void {
  tx.set(db.doc(CLOSE_HORIZON_PATH), { latest_closed_day: latest, updated_at: FieldValue.serverTimestamp() });
}

export const laterDay = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);
