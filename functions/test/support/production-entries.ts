/**
 * Production entries for the emulator tests: partners under unique ids, entry data with
 * sane figures, and waits for what the auditor writes.
 */
import { expect } from "chai";
import { Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { adminDb, uniqueId, waitForDoc, waitUntil } from "./emulator";
import { TEST_DAY_MS } from "./test-day";

export async function seedPartner(options: { active?: boolean; name?: string; db?: Firestore } = {}): Promise<string> {
  const id = uniqueId("partner");
  await (options.db ?? adminDb()).doc(`partners/${id}`).set({ name: options.name ?? `Partner ${id}`, active: options.active ?? true });
  return id;
}

const DAY_MS = 86_400_000;

/** Noon UTC, `daysAgo` days before the day the tests started on. */
export function dayAgo(daysAgo: number): Timestamp {
  return Timestamp.fromMillis(TEST_DAY_MS - daysAgo * DAY_MS + 12 * 3600_000);
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

/** The events of one action logged for an entry, in their chain's order. */
async function entryEvents(entryId: string, action: string, db: Firestore): Promise<DocumentData[]> {
  const snap = await db.collection("audit_log").where("subject", "==", `production_entries/${entryId}`).where("action", "==", action).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.seq - b.seq);
}

/** The entry_audited events logged for an entry. */
export const auditEvents = (entryId: string, db: Firestore = adminDb()) => entryEvents(entryId, "entry_audited", db);

/** The entry_reviewed events logged for an entry. */
export const reviewEvents = (entryId: string, db: Firestore = adminDb()) => entryEvents(entryId, "entry_reviewed", db);

/** A flagged entry (BS&W 2 %) of `partner` (a fresh one by default), audited by the real trigger. */
export async function flaggedEntry(partner?: string): Promise<{ id: string; partner: string }> {
  const partnerId = partner ?? (await seedPartner());
  const id = await writeEntry(entryData(partnerId, { bsw_percent: 2 }));
  const audit = await waitForAudit(id);
  expect(audit.status).to.equal("flagged");
  expect(audit.awaiting_review).to.equal(true);
  return { id, partner: partnerId };
}

/** Waits for n entries of the partner to be audited (history seeding). */
export async function waitForAudits(entryIds: readonly string[]): Promise<Audit[]> {
  return Promise.all(entryIds.map((id) => waitForAudit(id)));
}

export { waitUntil };
