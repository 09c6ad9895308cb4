/** The closing transaction: a new report version and all it writes with it, or nothing. */
import { runTransaction } from "../../shared/transaction";
import { randomBytes } from "node:crypto";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentData, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { ALLOCATION_METHOD } from "../../domain/allocation";
import { type NetStandardVolume } from "../../domain/mpms";
import {
  changesFromPrevious,
  type ChangesFromPrevious,
  type ReplacedReceipt as SupersedesReceipt,
  type ReconciliationFigures,
} from "../../domain/reconciliation-report";
import { integrityHash, REPORT_HASH_V2, type PartnerInputs } from "../../domain/report-hash";
import { type TerminalReceipt } from "../../domain/terminal-receipt";
import { canonicalJson } from "../../domain/canonical-json";
import { settingsUsed, type SettingsUsed } from "../../domain/jv-settings";
import {
  type CarriedAdjustment,
  contentDigest,
  type LuafStatus,
  netPositions,
  reportContent,
  type StatementLine,
} from "../../domain/period-close";
import { JV_SETTINGS_PATH, jvSettingsOf } from "../../shared/jv-settings";
import { callRecordOf, closingMonthRef, endClose } from "../../shared/closing-months";
import { closingMonths, mayCommit } from "../../domain/close-in-progress";
import { changesNotRead, type ScanTaken } from "./changes-during-close";
import { type AgentDeps } from "../../shared/agent-deps";
import { auditAppendRefs, preparedAppend, writeAuditAppend } from "../../shared/audit-log";
import { receiptEventId } from "../../domain/audit-chain";
import { CLOSE_HORIZON_PATH, laterDay, readHorizon, writeHorizon } from "../../shared/close-horizon";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { type ExclusionsInfo } from "./exclusions";
import { type ManifestInfo } from "./manifest";
import { isReleased, releaseOnCreation } from "../../domain/release";
import { adjustmentsRaisedBy, changesComparedWith, raisedAdjustments, type ChangesAgainstReason } from "../../domain/reconciliation-report";
import { type VersionCorrection } from "../../domain/version-corrections";
import { terminalInputs, refuseWithdrawnReplaced, refuseWithdrawn } from "./receipt-checks";
import { refuseReplacedReceipt, refuseMarkedReplaced, REPLACED_BY_RECEIPT, REPLACED_BY_RECONCILIATION } from "./receipt-replacements";
import { type Overlap, overlapRefusal } from "./day-tiling";
import { reconciliationId, isVersionOf } from "./version-ids";

export const STANDARD = "API MPMS Ch. 11.1 (2004) Tables 5A/6A, crude oil; Ch. 12.2 rounding";

/** Settles after the event loop's next turn: requests just made are on their way. */
const afterIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReportContentDraft {
  figures: ReconciliationFigures & { allocations: StatementLine[] };
  luaf: LuafStatus & { acknowledgement: { by: string; role: string; note: string } | null };
  settings: SettingsUsed;
  days: string[];
  carried: CarriedAdjustment[];
  supersedesReceipt: SupersedesReceipt | null;
  /** Digest of what the fast "unchanged" path compares: receipt, settings, partners, adjustments. */
  context: string;
}

/** How far back a new version looks for the figures the partners are settled on. */
const SETTLED_WALK_MAX = 20;

/** Why the partners are not settled on a version: never released to them, or its restatement rejected or undecided. */
function unsettledReason(released: boolean, statuses: readonly unknown[]): ChangesAgainstReason | null {
  if (!released) return "never released";
  if (statuses.includes("rejected")) return "restatement rejected";
  if (statuses.includes("pending")) return "restatement replaced";
  return null;
}

interface VersionDraft {
  receiptId: string;
  uid: string;
  receipt: TerminalReceipt;
  terminal: NetStandardVolume;
  inputsDigest: string;
  exclusionsDigest: string;
  manifest: ManifestInfo;
  exclusions: ExclusionsInfo;
  /** Writes the manifest and exclusion chunks on its first call; settles when they are written (rejects when one is not). */
  writeChunks?: () => Promise<unknown>;
  /** The receipt's current version when the scan began. */
  latestId?: string;
  /** The replaced receipt's latest_reconciliation_id when the context was read (null: none). */
  replacedLatestId?: string | null;
  version: number;
  started: number;
  inheritFrom: readonly string[];
  /** Adjustments the versions replaced carried that are no longer approved: let go of (carriableAdjustments). */
  released: readonly string[];
  content: ReportContentDraft;
  contentDigest?: string;
  /** Entries named by the previous version's stale marks, per partner. */
  staleEntryIds?: Map<string, string[]>;
  /** Who changed those entries, when and why: the report's `corrections`. */
  corrections?: VersionCorrection[];
  /** Each partner's own rows and exclusions, digested (outside the content digest: the inputs and exclusions digests cover them). */
  digestPartners?: () => PartnerInputs[];
  /** The call's records in the months of the period's days (closing-months.ts), announced before its scan. */
  closeCallId: string;
  /** What the scan took of each entry, to tell a recorded change it read from one it did not. */
  taken: ScanTaken;
}

export type CommitOutcome = { documentsRead: number; documentsWritten: number } & (
  { kind: "created" | "unchanged"; report: DocumentData } | { kind: "rerun" }
);

/** How many entries a prior-period adjustment names as behind its delta. */
const ADJUSTMENT_ENTRIES_LISTED = 50;

/**
 * One transaction: the new version, the superseded mark on the previous one (and on the
 * current version of the receipt this one replaces), the receipt's pointer, the period's
 * closed days, the prior-period adjustments of a new version, the adjustments it carries
 * and the audit event — all or nothing. Concurrent calls serialise on the receipt: the
 * loser returns the winner's version when its content is the same, and otherwise reads it all again. Closed days tile time: a day closed by
 * another receipt's current version refuses the commit unless that receipt is the one named
 * in supersedes_receipt_id.
 */
export async function commitVersion(deps: AgentDeps, draft: VersionDraft): Promise<CommitOutcome> {
  const { db, clock } = deps;
  const receiptRef = db.doc(`${COLLECTIONS.terminalReceipts}/${draft.receiptId}`);
  const { content } = draft;
  const dayRefs = content.days.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`));
  const closingRefs = closingMonths(content.days).map((month) => closingMonthRef(db, month));
  const carriedRefs = content.carried.map((a) => db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${a.id}`));
  const releasedRefs = draft.released.map((id) => db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${id}`));
  const versionRef = (id: string) => db.doc(`${COLLECTIONS.reconciliations}/${id}`);
  const replacedVersionId = content.supersedesReceipt?.reconciliation_id ?? null;
  const replacedReceiptId = content.supersedesReceipt?.terminal_receipt_id ?? null;
  // The audit events this commit appends, under the version it expects to make (another one reruns).
  const completedEvent = {
    eventId: receiptEventId("reconciliation_completed", reconciliationId(draft.receiptId, draft.version)),
    stream: `receipt_${draft.receiptId}`,
  };
  const supersededEvent =
    replacedVersionId && replacedReceiptId
      ? { eventId: receiptEventId("reconciliation_superseded", replacedVersionId), stream: `receipt_${replacedReceiptId}` }
      : undefined;
  return runTransaction(db, async (tx) => {
    // Everything whose id is known beforehand in one read: the receipt, the version it pointed
    // to when the scan began, the JV settings, the replaced receipt and its version, the
    // period's days, the carried adjustments, the audit events and their chains' heads.
    const known = [
      receiptRef,
      db.doc(JV_SETTINGS_PATH),
      db.doc(CLOSE_HORIZON_PATH),
      ...(draft.latestId ? [versionRef(draft.latestId)] : []),
      ...(replacedReceiptId ? [db.doc(`${COLLECTIONS.terminalReceipts}/${replacedReceiptId}`)] : []),
      ...(replacedVersionId ? [versionRef(replacedVersionId)] : []),
      ...dayRefs,
      ...carriedRefs,
      ...releasedRefs,
      ...closingRefs,
      ...auditAppendRefs(db, completedEvent),
      ...(supersededEvent ? auditAppendRefs(db, supersededEvent) : []),
    ];
    const reading = tx.getAll(...known);
    reading.catch(() => undefined);
    await afterIo();
    const chunksWritten = draft.writeChunks?.();
    const partnerDigests = draft.digestPartners?.();
    const snaps = await reading;
    let documentsRead = snaps.length;
    const eventSnaps = snaps.slice(known.length - (supersededEvent ? 4 : 2));
    const receiptSnap = snaps[0];
    refuseWithdrawn(draft.receiptId, receiptSnap);
    const settingsSnap = snaps[1];
    const horizonSnap = snaps[2];
    let at = 3;
    const expectedLatest = draft.latestId ? snaps[at++] : undefined;
    const replacedReceiptSnap = replacedReceiptId ? snaps[at++] : undefined;
    if (replacedReceiptSnap?.exists) refuseWithdrawnReplaced(draft.receiptId, replacedReceiptSnap);
    const replacedSnap = replacedVersionId ? snaps[at++] : undefined;
    // Read again with what they are now: the contract day the days are named by, and the
    // version the replaced receipt has (another call may have reconciled it meanwhile).
    const settingsNow = jvSettingsOf(settingsSnap);
    if (canonicalJson(settingsUsed(settingsNow)) !== canonicalJson(content.settings)) {
      return { kind: "rerun", documentsRead, documentsWritten: 0 };
    }
    if (
      replacedReceiptSnap &&
      ((replacedReceiptSnap.get("latest_reconciliation_id") as string | undefined) ?? null) !== draft.replacedLatestId
    ) {
      return { kind: "rerun", documentsRead, documentsWritten: 0 };
    }
    const daySnaps = snaps.slice(at, at + dayRefs.length);
    const carriedSnaps = snaps.slice(at + dayRefs.length, at + dayRefs.length + carriedRefs.length);
    const releasedAt = at + dayRefs.length + carriedRefs.length;
    const releasedSnaps = snaps.slice(releasedAt, releasedAt + releasedRefs.length);
    const closingSnaps = snaps.slice(releasedAt + releasedRefs.length, releasedAt + releasedRefs.length + closingRefs.length);
    // Without its record in every month of its days, a change during the call may have gone unrecorded: read again.
    const nowMs = clock.now().getTime();
    const records = closingSnaps.map((snap) => callRecordOf(snap, draft.closeCallId));
    if (!records.every((record) => mayCommit(record, nowMs))) return { kind: "rerun", documentsRead, documentsWritten: 0 };
    const latestId = receiptSnap.get("latest_reconciliation_id") as string | undefined;
    let latestSnap = expectedLatest;
    if (latestId !== draft.latestId) {
      latestSnap = latestId ? await tx.get(versionRef(latestId)) : undefined;
      documentsRead += latestSnap ? 1 : 0;
    }
    const latest = latestSnap?.exists ? latestSnap.data()! : undefined;
    refuseReplacedReceipt(draft.receiptId, latestId, latest);
    refuseMarkedReplaced(draft.receiptId, receiptSnap);
    if (latest && latest.status === "completed" && latest.content_digest === draft.contentDigest) {
      return { kind: "unchanged", report: latest, documentsRead, documentsWritten: 0 };
    }
    const version = latest ? Number(latest.version) + 1 : 1;
    if (version !== draft.version) return { kind: "rerun", documentsRead, documentsWritten: 0 };
    const id = reconciliationId(draft.receiptId, version);

    // Tiling: who holds each of the period's days now; and the replaced version's days this period
    // does not cover. The version replaced was read above, this receipt's latest needs no reading.
    const dayHolders = new Set(daySnaps.filter((d) => d.exists).map((d) => String(d.get("reconciliation_id"))));
    const holderIds = [...dayHolders].filter((h) => h !== latestId && h !== replacedVersionId);
    const replacedCurrent = replacedSnap?.exists === true && replacedSnap.get("status") === "completed";
    // Replaced already by an earlier version of this receipt: nothing of it is left to take over.
    const replacedByUs = replacedSnap?.exists === true && isVersionOf(draft.receiptId, replacedSnap.get("superseded_by"));
    const covered = new Set(content.days);
    const leftover = replacedCurrent
      ? ((replacedSnap!.get("closed_days") as string[] | undefined) ?? []).filter((d) => !covered.has(d))
      : [];
    const second = [...holderIds.map(versionRef), ...leftover.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`))];
    const secondSnaps = second.length > 0 ? await tx.getAll(...second) : [];
    documentsRead += secondSnaps.length;
    const holders = [
      ...secondSnaps.slice(0, holderIds.length),
      ...(replacedSnap && replacedVersionId !== latestId && dayHolders.has(replacedSnap.id) ? [replacedSnap] : []),
    ];
    const leftoverSnaps = secondSnaps.slice(holderIds.length);
    const replacedId = content.supersedesReceipt?.terminal_receipt_id ?? null;
    const conflicts: Overlap[] = [];
    for (const holder of holders) {
      if (!holder.exists || holder.get("status") !== "completed") continue;
      const holderReceipt = String(holder.get("terminal_receipt_id"));
      if (holderReceipt === draft.receiptId || (holderReceipt === replacedId && holder.id === replacedVersionId)) continue;
      const days = daySnaps.filter((d) => d.exists && d.get("reconciliation_id") === holder.id).map((d) => d.id);
      conflicts.push({ terminal_receipt_id: holderReceipt, reconciliation_id: holder.id, days });
    }
    if (conflicts.length > 0) throw overlapRefusal(draft.receiptId, conflicts);
    // The replaced receipt's version changed since the scan: start over with what it is now.
    if (replacedSnap && !replacedCurrent && !replacedByUs) return { kind: "rerun", documentsRead, documentsWritten: 0 };
    const replaced =
      replacedSnap && replacedCurrent
        ? {
            id: replacedSnap.id,
            days: leftoverSnaps.filter((d) => d.exists && d.get("reconciliation_id") === replacedSnap.id).map((d) => d.id),
          }
        : undefined;

    // The adjustments carried must still be approved and not carried elsewhere.
    for (const snap of carriedSnaps) {
      const carriedIn = snap.get("carried_in") as string | null | undefined;
      if (snap.get("status") !== "approved" || (carriedIn && !draft.inheritFrom.includes(carriedIn))) {
        throw new HttpsError("aborted", `Prior-period adjustment ${snap.id} changed while ${draft.receiptId} was reconciled; try again.`);
      }
    }
    // Those let go of: approved meanwhile, this version would have carried them; read again.
    if (releasedSnaps.some((snap) => snap.get("status") === "approved")) return { kind: "rerun", documentsRead, documentsWritten: 0 };
    const letGo = releasedSnaps.filter((snap) => draft.inheritFrom.includes(snap.get("carried_in") as string));

    // The gateways' guard (close-horizon.ts): raised to this period's last day in this commit.
    const horizon = await readHorizon(db, tx, horizonSnap);
    documentsRead += horizon.rebuilt ? 1 : 0;
    const raisedHorizon = laterDay(horizon.latest, content.days.reduce<string | null>(laterDay, null));
    const writesHorizon = horizon.rebuilt || raisedHorizon !== horizon.latest;

    // The manifest and exclusion chunks the report names are written beside these reads; the
    // version is written only once they all are.
    await chunksWritten;
    const now = clock.now();
    const previous = latestId && latest ? { id: latestId, data: latest } : undefined;
    // What partners were told before, per partner: this receipt's previous version, or, for a
    // receipt's first version replacing another receipt's current one, that version (a corrected
    // terminal ticket moves barrels as a late entry does: the difference is adjusted, never lost).
    const followed = previous ?? (replaced && replacedSnap ? { id: replaced.id, data: replacedSnap.data()! } : undefined);
    // Against what the partners are settled on: the version followed, unless it was never released
    // to them, or its restatement was rejected or is still undecided. Then the version that one was
    // compared with, by the same rule (walked back, for versions made before the rule), and the
    // pending adjustments of those passed are withdrawn: this version's, against the settled
    // figures, replace them. The entries behind the sets passed stay behind the new changes.
    let comparedWith = followed;
    const withdrawn: QueryDocumentSnapshot[] = [];
    const behind: QueryDocumentSnapshot[] = [];
    let unsettled: ChangesAgainstReason | null = null;
    for (let step = 0; comparedWith && step < SETTLED_WALK_MAX; step += 1) {
      const released = isReleased(comparedWith.data);
      if (released && !raisedAdjustments(comparedWith.data)) break;
      const set = await tx.get(db.collection(COLLECTIONS.priorPeriodAdjustments).where("from_reconciliation_id", "==", comparedWith.id));
      documentsRead += set.size;
      const reason = unsettledReason(
        released,
        set.docs.map((d) => d.get("status")),
      );
      if (!reason) break;
      unsettled ??= reason;
      withdrawn.push(...set.docs.filter((d) => d.get("status") === "pending"));
      behind.push(...set.docs.filter((d) => d.get("status") === "pending" || d.get("status") === "rejected"));
      const told = changesComparedWith(comparedWith.data);
      const toldSnap = told ? await tx.get(versionRef(told)) : undefined;
      documentsRead += toldSnap ? 1 : 0;
      comparedWith = toldSnap?.exists ? { id: told!, data: toldSnap.data()! } : undefined;
    }
    const report = reportBody({ ...draft, partnerDigests }, previous, now, version, comparedWith, unsettled);
    const told = comparedWith ? { id: comparedWith.id, changes: report.changes_from_previous as ChangesFromPrevious } : undefined;
    const withdrawnIds = new Map<string, string[]>();
    for (const w of behind) {
      const ids = w.get("entry_ids");
      if (!Array.isArray(ids)) continue;
      const partner = String(w.get("partner_id"));
      withdrawnIds.set(partner, [...(withdrawnIds.get(partner) ?? []), ...ids.filter((e): e is string => typeof e === "string")]);
    }
    const adjustments = told ? newAdjustments(draft, id, told, now, withdrawnIds) : [];
    // Partners see it once released: now, or when a coordinator or admin releases it (release.ts).
    const release = releaseOnCreation(settingsNow.release_approval_required, now);
    const audit = preparedAppend(
      {
        ...completedEvent,
        actor: draft.uid,
        action: "reconciliation_completed",
        subject: `${COLLECTIONS.reconciliations}/${id}`,
        details: {
          version,
          supersedes: latestId ?? null,
          // Ids only: the audit chain hashes plain JSON (the reason, its author and time are on the report).
          supersedes_receipt: content.supersedesReceipt
            ? {
                terminal_receipt_id: content.supersedesReceipt.terminal_receipt_id,
                reconciliation_id: content.supersedesReceipt.reconciliation_id,
              }
            : null,
          inputs_digest: draft.inputsDigest,
          integrity_hash: report.integrity_hash,
          hash_scheme: REPORT_HASH_V2,
          content_digest: report.content_digest,
          // No figures or notes: the receipt's chain travels in every partner's bundle, also while
          // this version waits for its release (the integrity hash binds them).
          luaf_acknowledged: content.luaf.acknowledgement !== null,
          release_required: release.release_required,
          adjustments_created: adjustments.map((a) => a.id),
          adjustments_carried: content.carried.map((a) => a.id),
          // A version of another receipt that replaces this one will append reconciliation_superseded
          // to this chain: the verifier fails a superseded_by of another receipt's without it.
          replacement_recorded: true,
        },
      },
      eventSnaps[0],
      eventSnaps[1],
    );
    // The replaced version's own receipt chain records it too: a bundle of that version, verified
    // offline, then shows the replacement by the head it asks its holder to confirm.
    const replacedAudit =
      replaced && supersededEvent
        ? preparedAppend(
            {
              ...supersededEvent,
              actor: draft.uid,
              action: "reconciliation_superseded",
              subject: `${COLLECTIONS.reconciliations}/${replaced.id}`,
              details: { superseded_by: id, terminal_receipt_id: draft.receiptId },
            },
            eventSnaps[2],
            eventSnaps[3],
          )
        : undefined;
    // Changes committed during the call that the scan did not read, as their own transactions
    // recorded them: read last, so that a commit refused or raced above reads no entry.
    const during = await changesNotRead(db, tx, records, draft.taken);
    documentsRead += during.reads;
    const staleAtOnce =
      during.changes > 0
        ? { stale: true, stale_since: Timestamp.fromDate(now), stale_changes: during.changes, stale_entry_ids: during.entry_ids }
        : {};
    tx.create(db.doc(`${COLLECTIONS.reconciliations}/${id}`), { ...report, ...release, ...staleAtOnce });
    endClose(tx, closingSnaps, draft.closeCallId, nowMs);
    if (previous) tx.update(db.doc(`${COLLECTIONS.reconciliations}/${previous.id}`), { status: "superseded", superseded_by: id });
    if (replaced) {
      tx.update(db.doc(`${COLLECTIONS.reconciliations}/${replaced.id}`), { status: "superseded", superseded_by: id });
      for (const day of replaced.days) tx.delete(db.doc(`${COLLECTIONS.closedDays}/${day}`));
    }
    tx.update(receiptRef, { latest_reconciliation_id: id });
    // A receipt replaced before it was ever reconciled is done: its own closing transaction reads this mark.
    const marksReplaced =
      replacedReceiptSnap?.exists === true &&
      typeof replacedReceiptSnap.get("latest_reconciliation_id") !== "string" &&
      replacedReceiptSnap.get(REPLACED_BY_RECEIPT) === undefined;
    if (marksReplaced) {
      tx.update(replacedReceiptSnap.ref, { [REPLACED_BY_RECEIPT]: draft.receiptId, [REPLACED_BY_RECONCILIATION]: id });
    }
    for (const day of content.days) {
      tx.set(db.doc(`${COLLECTIONS.closedDays}/${day}`), {
        reconciliation_id: id,
        terminal_receipt_id: draft.receiptId,
        closed_at: Timestamp.fromDate(now),
      });
    }
    if (writesHorizon) writeHorizon(db, tx, raisedHorizon);
    for (const a of adjustments)
      tx.create(db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${a.id}`), { ...a.data, released: release.released });
    for (const w of withdrawn) tx.update(w.ref, { status: "withdrawn", withdrawn_in: id, withdrawn_at: Timestamp.fromDate(now) });
    for (const ref of carriedRefs) tx.update(ref, { carried_in: id, carried_at: Timestamp.fromDate(now) });
    for (const snap of letGo) tx.update(snap.ref, { carried_in: null, carried_at: null });
    writeAuditAppend(db, tx, audit, now);
    if (replacedAudit) writeAuditAppend(db, tx, replacedAudit, now);
    const documentsWritten =
      1 +
      1 +
      content.days.length +
      2 +
      (previous ? 1 : 0) +
      (replaced ? 1 + replaced.days.length : 0) +
      (replacedAudit ? 2 : 0) +
      adjustments.length +
      withdrawn.length +
      carriedRefs.length +
      letGo.length +
      closingSnaps.filter((snap) => snap.exists).length +
      (writesHorizon ? 1 : 0) +
      (marksReplaced ? 1 : 0);
    return { kind: "created", report: { ...report, ...release, ...staleAtOnce }, documentsRead, documentsWritten };
  });
}

/**
 * A new version of a period already reconciled (or a receipt's first replacing another's): each
 * partner's change of allocation becomes a pending prior-period adjustment, with the entries
 * behind it (those the stale marks named).
 */
function newAdjustments(
  draft: VersionDraft,
  id: string,
  told: { id: string; changes: ChangesFromPrevious },
  now: Date,
  earlierIds: ReadonlyMap<string, string[]> = new Map(),
): Array<{ id: string; data: Record<string, unknown> }> {
  // Numbered as the checks of carrying, deciding and verifying read them back (adjustmentsRaisedBy).
  return [...adjustmentsRaisedBy(id, { changes_from_previous: told.changes }).values()].map((c) => ({
    id: c.id,
    data: {
      from_reconciliation_id: id,
      previous_reconciliation_id: told.id,
      terminal_receipt_id: draft.receiptId,
      period_start: Timestamp.fromDate(draft.receipt.period_start),
      period_end: Timestamp.fromDate(draft.receipt.period_end),
      partner_id: c.partner_id,
      delta_bbl: c.delta_bbl,
      entry_ids: [...new Set([...(earlierIds.get(c.partner_id) ?? []), ...(draft.staleEntryIds?.get(c.partner_id) ?? [])])].slice(
        0,
        ADJUSTMENT_ENTRIES_LISTED,
      ),
      status: "pending",
      decided_by: null,
      decided_at: null,
      note: null,
      carried_in: null,
      created_at: Timestamp.fromDate(now),
    },
  }));
}

/**
 * `comparedWith`: the version whose figures `changes_from_previous` is against: `previous`, or
 * for a receipt's first version replacing another receipt's, that receipt's current version.
 */
export function reportBody(
  draft: VersionDraft & { partnerDigests?: PartnerInputs[] },
  previous: { id: string; data: DocumentData } | undefined,
  now: Date,
  version = draft.version,
  comparedWith = previous,
  unsettled: ChangesAgainstReason | null = null,
): Record<string, unknown> & { integrity_hash: string } {
  const { terminal, receipt, content } = draft;
  const figures = content.figures;
  const body: Record<string, unknown> = {
    hash_scheme: REPORT_HASH_V2,
    // Salts the per-partner leaves of the hash (report-hash.ts); random, so a partner's
    // statement, which carries other partners' rows only as leaf hashes, cannot be brute-forced.
    leaf_key: randomBytes(16).toString("hex"),
    terminal_receipt_id: draft.receiptId,
    // The statement prints it: bound by the hash, and checked against the receipt (null: it has none).
    terminal_name: receipt.terminal_name ?? null,
    version,
    status: "completed",
    supersedes: previous?.id ?? null,
    period_start: receipt.period_start,
    period_end: receipt.period_end,
    standard: STANDARD,
    method: ALLOCATION_METHOD,
    terminal: { ...figures.terminal, ctpl: terminal.ctpl, meter_factor: terminal.meterFactor, gsv_bbl: terminal.gsvBbl },
    terminal_inputs: terminalInputs(receipt),
    totals: figures.totals,
    allocations: figures.allocations,
    excluded: figures.excluded,
    inputs_digest: draft.inputsDigest,
    exclusions_digest: draft.exclusionsDigest,
    manifest: draft.manifest,
    exclusions: draft.exclusions,
    closed_days: content.days,
    settings: content.settings,
    luaf: content.luaf.acknowledgement ? { ...content.luaf, acknowledgement: { ...content.luaf.acknowledgement, at: now } } : content.luaf,
    supersedes_receipt: content.supersedesReceipt,
    prior_period_adjustments: content.carried,
    net_positions: netPositions(figures.allocations, content.carried),
    ...(draft.partnerDigests ? { partner_inputs: draft.partnerDigests } : {}),
    ...(draft.corrections && draft.corrections.length > 0 ? { corrections: draft.corrections } : {}),
    context_digest: content.context,
    changes_from_previous: comparedWith
      ? changesFromPrevious(comparedWith.data.allocations, figures.allocations, comparedWith.data.totals, figures.totals)
      : null,
    // Named only when not the version followed (the partners are not settled on that one), with why.
    ...(unsettled ? { changes_against: comparedWith?.id ?? null, changes_against_reason: unsettled } : {}),
    created_by: draft.uid,
    created_at: now,
    duration_ms: now.getTime() - draft.started,
  };
  body.content_digest = draft.contentDigest ?? contentDigest(reportContent(toPlain(body) as Record<string, unknown>));
  // Hashed as stored and as read back: Timestamps become Dates (see verify.ts).
  return { ...body, integrity_hash: integrityHash(toPlain(body) as Record<string, unknown>) };
}
