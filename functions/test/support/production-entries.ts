/**
 * Production entries for the emulator tests: partners under unique ids, entry data with
 * sane figures, and waits for what the auditor writes.
 */
import { Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { adminDb, uniqueId, waitForDoc, waitUntil } from "./emulator";

export async function seedPartner(options: { active?: boolean; name?: string; db?: Firestore } = {}): Promise<string> {
  const id = uniqueId("partner");
  await (options.db ?? adminDb()).doc(`partners/${id}`).set({ name: options.name ?? `Partner ${id}`, active: options.active ?? true });
  return id;
}

const DAY_MS = 86_400_000;

/** Noon UTC, `daysAgo` days before today. */
export function dayAgo(daysAgo: number): Timestamp {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return Timestamp.fromMillis(today - daysAgo * DAY_MS + 12 * 3600_000);
}

/** A sound entry of a light crude, measured `daysAgo` days ago on meter M-1. */
export function entryData(partnerId: string, overrides: Record<string, unknown> = {}, daysAgo = 1): DocumentData {
  return {
    partner_id: partnerId,
    measured_at: dayAgo(daysAgo),
    gross_volume_bbl: 1000,
    bsw_percent: 0.3,
    temperature_degF: 80,
    api_gravity: 35,
    pressure_psig: 0,
    meter_factor: 1.0,
    meter_id: "M-1",
    created_by: "operator-uid",
    created_at: Timestamp.now(),
    ...overrides,
  };
}

export async function writeEntry(data: DocumentData, db: Firestore = adminDb()): Promise<string> {
  const ref = db.collection("production_entries").doc(uniqueId("entry"));
  await ref.set(data);
  return ref.id;
}

export type Audit = Record<string, any>;

/**
 * Waits until the entry carries an audit that `accept` takes (any audit by default). The limit
 * only ends a hung test: on a loaded 2-core CI machine a trigger can queue behind a burst.
 */
export async function waitForAudit(entryId: string, accept: (audit: Audit) => boolean = () => true, timeoutMs = 150_000): Promise<Audit> {
  const snap = await waitForDoc(
    `production_entries/${entryId}`,
    (s) => s.get("audit") !== undefined && accept(s.get("audit") as Audit),
    timeoutMs,
  );
  return snap.get("audit") as Audit;
}

/** The entry_audited events logged for an entry. */
export async function auditEvents(entryId: string, db: Firestore = adminDb()): Promise<DocumentData[]> {
  const snap = await db
    .collection("audit_log")
    .where("subject", "==", `production_entries/${entryId}`)
    .where("action", "==", "entry_audited")
    .get();
  return snap.docs.map((d) => d.data());
}

/** Waits for n entries of the partner to be audited (history seeding). */
export async function waitForAudits(entryIds: readonly string[]): Promise<Audit[]> {
  return Promise.all(entryIds.map((id) => waitForAudit(id)));
}

export { waitUntil };
