/**
 * What the auditor reads besides the entry itself, each read bounded and served by a
 * composite index in firestore.indexes.json:
 * - the partner document;
 * - same-day entries of the partner (on the same meter when the entry names one);
 * - the partner's history: entries with `audit.history_eligible == true` (validated, or
 *   flagged and approved), newest production day first, one statistics window, each by its
 *   figures as audited (domain/audited-history.ts).
 * Errors propagate: a failed query fails the audit and the platform retries the event.
 */
import {
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Query,
  type QuerySnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import { AUDIT_CONFIG, type StatisticsConfig } from "../../domain/audit-config";
import { RULE_CODES } from "../../domain/audit-rules";
import { MEASURED_FIELDS, type ProductionEntry } from "../../domain/production-entry";
import { holdsEnoughHistory, type HistoryScope, type MetricValues } from "../../domain/robust-stats";
import { auditedHistoryRow } from "../../domain/audited-history";
import { COLLECTIONS } from "../../shared/collections";
import { dateOf } from "../../shared/timestamps";
import { isValidDocumentId } from "../../shared/entry-stream";

/** Counts billed document reads (a query that matches nothing still bills one). */
export class ReadMeter {
  reads = 0;
  doc(_snap: DocumentSnapshot): void {
    this.reads += 1;
  }
  query(snap: QuerySnapshot): void {
    this.reads += Math.max(1, snap.size);
  }
}

/** At most this many same-meter entries are listed as duplicates. */
export const DUPLICATE_QUERY_LIMIT = 10;
/**
 * Entries without a meter id cannot be matched by a query (Firestore has no "field is
 * missing" filter), so the partner's entries of the day are scanned instead; a partner
 * reports one entry per meter and day, far fewer than this. A meter's day is read this far too
 * when its first page is full and holds no entry that arrived before.
 */
export const SAME_DAY_SCAN_LIMIT = 50;
const DAY_MS = 86_400_000;

export interface PartnerState {
  exists: boolean;
  active: boolean;
  name?: string;
}

export async function readPartner(db: Firestore, partnerId: string, meter: ReadMeter): Promise<PartnerState> {
  if (!isValidDocumentId(partnerId)) return { exists: false, active: false };
  const snap = await db.doc(`${COLLECTIONS.partners}/${partnerId}`).get();
  meter.doc(snap);
  if (!snap.exists) return { exists: false, active: false };
  const name = snap.get("name");
  return { exists: true, active: snap.get("active") === true, name: typeof name === "string" ? name : undefined };
}

/** Where an entry stands in creation order: the document's server-set create time, then its id. */
export interface EntryOrder {
  id: string;
  createdAt: Date;
}

function isEarlier(a: EntryOrder, b: EntryOrder): boolean {
  const d = a.createdAt.getTime() - b.createdAt.getTime();
  return d < 0 || (d === 0 && a.id < b.id);
}

function meterOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The partner, meter (or its absence) and contract day an entry stands on, as stored in
 * `audit.duplicate_key` with `audit.key_since`, the time it arrived there.
 */
export function duplicateKey(entry: Pick<ProductionEntry, "partner_id" | "meter_id">, contractDay: string): string {
  return JSON.stringify([entry.partner_id, entry.meter_id ?? null, contractDay]);
}

/**
 * When another entry arrived on `key`: its `audit.key_since` when its audit was made there, its
 * create time when it has no such audit (not audited yet, or audited before keys were kept), and
 * undefined when its last audit put it elsewhere (it was moved here since: its own audit will
 * find this entry).
 */
function arrivalOn(doc: DocumentSnapshot, key: string): Date | undefined {
  const stored: unknown = doc.get("audit.duplicate_key");
  if (stored === undefined) return doc.createTime?.toDate();
  return stored === key ? (dateOf(doc.get("audit.key_since")) ?? doc.createTime?.toDate()) : undefined;
}

/**
 * Ids of the partner's other entries for the same meter (or the same absence of one) and
 * contract day (starting at `dayStart`) that arrived there before this one: created there
 * earlier, or moved there by a correction before this one. The first entry of a meter and day
 * is never the duplicate, whichever of the two is audited first; an entry corrected onto a
 * meter and day that already has one is, and stays so on its later edits.
 */
export async function findEarlierDuplicates(
  db: Firestore,
  entry: ProductionEntry,
  self: EntryOrder,
  meter: ReadMeter,
  dayStart: Date,
  key: string,
): Promise<string[]> {
  let query = db.collection(COLLECTIONS.productionEntries).where("partner_id", "==", entry.partner_id);
  if (entry.meter_id !== undefined) query = query.where("meter_id", "==", entry.meter_id);
  const read = async (limit: number) => {
    const snap = await query
      .where("measured_at", ">=", Timestamp.fromDate(dayStart))
      .where("measured_at", "<", Timestamp.fromMillis(dayStart.getTime() + DAY_MS))
      .orderBy("measured_at")
      .limit(limit)
      .select("meter_id", "audit.duplicate_key", "audit.key_since")
      .get();
    meter.query(snap);
    const earlier = snap.docs
      .filter((doc) => doc.id !== self.id)
      .filter((doc) => meterOf(doc.get("meter_id")) === entry.meter_id)
      .filter((doc) => {
        const arrived = arrivalOn(doc, key);
        return arrived !== undefined && isEarlier({ id: doc.id, createdAt: arrived }, self);
      })
      .map((doc) => doc.id)
      .slice(0, DUPLICATE_QUERY_LIMIT);
    return { earlier, full: snap.size >= limit };
  };
  const first = await read(entry.meter_id === undefined ? SAME_DAY_SCAN_LIMIT : DUPLICATE_QUERY_LIMIT + 1);
  // The page is in measured order, not arrival: a full one that holds no earlier arrival says
  // nothing of the entries past it (later arrivals measured earlier in the day could fill it).
  if (first.earlier.length > 0 || !first.full || entry.meter_id === undefined) return first.earlier;
  return (await read(SAME_DAY_SCAN_LIMIT)).earlier;
}

/** At most this many entries left behind on a meter and day are audited again. */
export const RECHECK_LIMIT = 20;

/**
 * In the transaction that audits an entry corrected off `key`: the entries still on that meter
 * and day that were flagged as duplicates (of it, maybe) and not yet reviewed. Their own figures
 * did not change, so nothing else would audit them again and the flag would stay after its
 * cause moved away.
 */
export async function duplicatesLeftBehind(
  db: Firestore,
  tx: Transaction,
  key: string,
  selfId: string,
  meter: ReadMeter,
): Promise<DocumentReference[]> {
  const snap = await tx.get(
    db
      .collection(COLLECTIONS.productionEntries)
      .where("audit.duplicate_key", "==", key)
      .limit(RECHECK_LIMIT + 1),
  );
  meter.query(snap);
  return (
    snap.docs
      .filter((doc) => doc.id !== selfId)
      // A coordinator's decision stands: a re-audit under the same figures would keep the review
      // beside a verdict that may no longer match it.
      .filter((doc) => doc.get("review") === undefined)
      .filter((doc) => {
        const reasons: unknown = doc.get("audit.reasons");
        return Array.isArray(reasons) && reasons.some((r) => (r as { code?: unknown } | null)?.code === RULE_CODES.duplicateEntry);
      })
      .map((doc) => doc.ref)
      .slice(0, RECHECK_LIMIT)
  );
}

/**
 * The history an entry is scored against, newest first, without the entry: its meter's most
 * recent history-eligible entries measured up to it when they are enough to score against, else its partner's
 * (read only then). Only a re-audit of an entry that is itself in the history reads one more
 * than the window.
 */
export async function readHistory(
  db: Firestore,
  entry: { partnerId: string; meterId: string | undefined; measuredAt: Date },
  self: { id: string; mayBeInHistory: boolean },
  meter: ReadMeter,
  config: StatisticsConfig = AUDIT_CONFIG.statistics,
): Promise<{ rows: MetricValues[]; scope: HistoryScope }> {
  if (entry.meterId) {
    const rows = await historyOf(
      db,
      { partner_id: entry.partnerId, meter_id: entry.meterId },
      entry.measuredAt,
      self,
      meter,
      config.window,
    );
    if (holdsEnoughHistory(rows, config)) return { rows, scope: "meter" };
  }
  return { rows: await historyOf(db, { partner_id: entry.partnerId }, entry.measuredAt, self, meter, config.window), scope: "partner" };
}

async function historyOf(
  db: Firestore,
  equal: Record<string, string>,
  asOf: Date,
  self: { id: string; mayBeInHistory: boolean },
  meter: ReadMeter,
  window: number,
): Promise<MetricValues[]> {
  let query: Query = db.collection(COLLECTIONS.productionEntries);
  for (const [field, value] of Object.entries(equal)) query = query.where(field, "==", value);
  const snap = await query
    .where("audit.history_eligible", "==", true)
    // A late entry or a correction of an old one is scored against the history of its own days, not what came after it.
    .where("measured_at", "<=", Timestamp.fromDate(asOf))
    .orderBy("measured_at", "desc")
    .limit(self.mayBeInHistory ? window + 1 : window)
    // The measured fields for an entry audited before its audit kept its figures: its input hash says whether they are still those.
    .select(...MEASURED_FIELDS, "audit.figures", "audit.input_hash")
    .get();
  meter.query(snap);
  return snap.docs
    .filter((doc) => doc.id !== self.id)
    .slice(0, window)
    .map((doc) => auditedHistoryRow(doc.data()))
    .filter((row): row is MetricValues => row !== undefined);
}
