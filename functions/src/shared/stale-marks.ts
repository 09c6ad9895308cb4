import { FieldValue, Timestamp, type DocumentReference, type Firestore, type Transaction } from "firebase-admin/firestore";
import { contractDayOf, type JvSettings } from "../domain/jv-settings";
import { STALE_ENTRY_IDS_LISTED } from "../domain/version-corrections";
import { COLLECTIONS } from "./collections";

export { STALE_ENTRY_IDS_LISTED };

export interface StalePlan {
  marks: Array<{ ref: DocumentReference; data: Record<string, unknown> }>;
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
  /**
   * The entries behind each day, when several changes on different days are marked at once: a
   * reconciliation then lists only those of the days it holds. Without it, each lists `entryIds`.
   */
  idsByDay?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Transaction reads for marking stale the current reconciliation of each closed contract day
 * among `days`, because `entryIds` changed there (an entry's audit or review, a late entry, a
 * correction). Days that are open need nothing: the next reconcile reads the change. Run it in
 * the transaction that writes the change, so that a close either sees the change or is seen by it.
 */
export async function prepareStaleMarks(
  db: Firestore,
  tx: Transaction,
  days: readonly string[],
  entryIds: readonly string[],
  options: StaleMarkOptions = {},
): Promise<StalePlan> {
  const unique = [...new Set(days)];
  if (unique.length === 0) return { marks: [], reads: 0, covered: [] };
  const closed = await tx.getAll(...unique.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`)));
  const held = [...new Set(closed.filter((s) => s.exists).map((s) => String(s.get("reconciliation_id"))))];
  const reconciliationIds = held.filter((id) => !options.covered?.has(id));
  if (reconciliationIds.length === 0) return { marks: [], reads: unique.length, covered: [] };
  const reports = await tx.getAll(...reconciliationIds.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const marks: StalePlan["marks"] = [];
  const covered: string[] = [];
  const byDay = options.idsByDay;
  const idsOf = (reconciliationId: string): readonly string[] =>
    byDay
      ? [...new Set(unique.flatMap((d, i) => (closed[i].get("reconciliation_id") === reconciliationId ? (byDay.get(d) ?? []) : [])))]
      : entryIds;
  for (const report of reports) {
    if (!report.exists || report.get("status") !== "completed") continue;
    const listed = (report.get("stale_entry_ids") as string[] | undefined) ?? [];
    const wasStale = report.get("stale") === true;
    const ids = idsOf(report.id);
    covered.push(report.id);
    if (options.unlistedOnly && wasStale && ids.every((id) => listed.includes(id))) continue;
    const merged = [...new Set([...(wasStale ? listed : []), ...ids])].slice(0, STALE_ENTRY_IDS_LISTED);
    const data: Record<string, unknown> = { stale: true, stale_entry_ids: merged, stale_changes: wasStale ? FieldValue.increment(1) : 1 };
    if (!wasStale) data.stale_since = null; // set at write time (writeStaleMarks)
    marks.push({ ref: report.ref, data });
  }
  return { marks, reads: unique.length + reports.length, covered };
}

export function writeStaleMarks(tx: Transaction, plan: StalePlan, now: Date): void {
  for (const mark of plan.marks) {
    const data = { ...mark.data };
    if ("stale_since" in data) data.stale_since = Timestamp.fromDate(now);
    tx.update(mark.ref, data);
  }
}

/** The contract days of the entry's measured_at now and before the write (when valid). */
export function entryDays(settings: JvSettings, ...versions: Array<Record<string, unknown> | undefined>): string[] {
  const days: string[] = [];
  for (const version of versions) {
    const at = version?.measured_at as { toDate?: () => Date } | Date | undefined;
    const date = at instanceof Date ? at : typeof at?.toDate === "function" ? at.toDate() : undefined;
    if (date && !Number.isNaN(date.getTime())) days.push(contractDayOf(date, settings));
  }
  return days;
}
