import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from "firebase-admin/firestore";
import { closesAnyOf, closingMonths, withChange, type CallRecord } from "../domain/close-in-progress";
import { contractDayOf, type JvSettings } from "../domain/jv-settings";
import { measuredInstant } from "../domain/production-entry";
import { STALE_ENTRY_IDS_LISTED } from "../domain/version-corrections";
import { callRecordOf, closingMonthRef, liveCallIds } from "./closing-months";
import { COLLECTIONS } from "./collections";

export { STALE_ENTRY_IDS_LISTED };

export interface StalePlan {
  marks: Array<{ ref: DocumentReference; data: Record<string, unknown> }>;
  /** The change recorded for each reconcile call closing one of the days now (closing-months.ts). */
  closes: Array<{ ref: DocumentReference; callId: string; record: CallRecord }>;
  /** Documents read to make the plan. */
  reads: number;
  /** The reconciliations that are stale for the change once the plan is written (marked, or listing it already). */
  covered: string[];
}

export interface StaleMarkOptions {
  /** Reconciliations marked for this same change already (by an earlier transaction of the same event). */
  covered?: ReadonlySet<string>;
  /** Leave alone a stale reconciliation that lists every entry id already (a retried early mark). */
  unlistedOnly?: boolean;
  /** The time a close in progress is judged live at (its record expires). */
  now?: Date;
  /**
   * False for a mark that changes no disposition (the auditor's early mark of a flagged entry):
   * it tells no close in progress, the transaction storing the verdict that follows does.
   */
  tellCloses?: boolean;
}

/**
 * Transaction reads for marking stale the current reconciliation of each closed contract day
 * among `days`, because `entryIds` changed there (an entry's audit or review, a late entry, a
 * correction), and for telling each reconcile call closing one of the days now. Open days with
 * no close in progress need nothing: the next reconcile reads the change. Run it in the
 * transaction that writes the change, so that a close either sees the change or is seen by it.
 */
export async function prepareStaleMarks(
  db: Firestore,
  tx: Transaction,
  days: readonly string[],
  entryIds: readonly string[],
  options: StaleMarkOptions = {},
): Promise<StalePlan> {
  const unique = [...new Set(days)];
  if (unique.length === 0) return { marks: [], closes: [], reads: 0, covered: [] };
  const months = closingMonths(unique);
  const snaps = await tx.getAll(
    ...unique.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`)),
    ...months.map((month) => closingMonthRef(db, month)),
  );
  const closed = snaps.slice(0, unique.length);
  const closes =
    options.tellCloses === false ? [] : recordInCloses(snaps.slice(unique.length), unique, entryIds, options.now ?? new Date());
  const covered: string[] = [];
  const held = [...new Set(closed.filter((s) => s.exists).map((s) => String(s.get("reconciliation_id"))))];
  const reconciliationIds = held.filter((id) => !options.covered?.has(id));
  const reads = unique.length + months.length;
  if (reconciliationIds.length === 0) return { marks: [], closes, reads, covered };
  const reports = await tx.getAll(...reconciliationIds.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const marks: StalePlan["marks"] = [];
  for (const report of reports) {
    if (!report.exists || report.get("status") !== "completed") continue;
    const listed = (report.get("stale_entry_ids") as string[] | undefined) ?? [];
    const wasStale = report.get("stale") === true;
    covered.push(report.id);
    if (options.unlistedOnly && wasStale && entryIds.every((id) => listed.includes(id))) continue;
    const merged = [...new Set([...(wasStale ? listed : []), ...entryIds])].slice(0, STALE_ENTRY_IDS_LISTED);
    const data: Record<string, unknown> = { stale: true, stale_entry_ids: merged, stale_changes: wasStale ? FieldValue.increment(1) : 1 };
    if (!wasStale) data.stale_since = null; // set at write time (writeStaleMarks)
    marks.push({ ref: report.ref, data });
  }
  return { marks, closes, reads: reads + reports.length, covered };
}

/**
 * Each live call closing one of `days` is told once, in the first of the months' documents it is
 * recorded in: its commit adds up all of them.
 */
function recordInCloses(
  closing: readonly DocumentSnapshot[],
  days: readonly string[],
  entryIds: readonly string[],
  now: Date,
): StalePlan["closes"] {
  const closes: StalePlan["closes"] = [];
  const told = new Set<string>();
  for (const snap of closing) {
    for (const callId of liveCallIds(snap, now.getTime())) {
      const record = callRecordOf(snap, callId)!;
      if (told.has(callId) || !closesAnyOf(record, days)) continue;
      told.add(callId);
      closes.push({ ref: snap.ref, callId, record: withChange(record, entryIds, STALE_ENTRY_IDS_LISTED) });
    }
  }
  return closes;
}

export function writeStaleMarks(tx: Transaction, plan: StalePlan, now: Date): void {
  for (const mark of plan.marks) {
    const data = { ...mark.data };
    if ("stale_since" in data) data.stale_since = Timestamp.fromDate(now);
    tx.update(mark.ref, data);
  }
  // One update per month's document, whatever the number of calls recorded in it.
  const byMonth = new Map<string, { ref: DocumentReference; data: Record<string, unknown> }>();
  for (const { ref, callId, record } of plan.closes) {
    const update = byMonth.get(ref.path) ?? { ref, data: {} };
    update.data[`closes.${callId}.entry_ids`] = record.entry_ids;
    update.data[`closes.${callId}.changes`] = record.changes;
    byMonth.set(ref.path, update);
  }
  for (const { ref, data } of byMonth.values()) tx.update(ref, data);
}

/** The contract days of the entry's measured_at now and before the write (when valid). */
export function entryDays(settings: JvSettings, ...versions: Array<Record<string, unknown> | undefined>): string[] {
  const days: string[] = [];
  for (const version of versions) {
    const date = measuredInstant(version?.measured_at);
    if (date) days.push(contractDayOf(date, settings));
  }
  return days;
}
