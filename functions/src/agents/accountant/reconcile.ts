import { runTransaction } from "../../shared/transaction";
import { randomBytes } from "node:crypto";
import { logger } from "firebase-functions/logger";
import { formatBblText } from "../../domain/statement";
import { plural } from "../../domain/plural";
import { HttpsError } from "firebase-functions/v2/https";
import {
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import { z } from "zod";
import { ALLOCATION_METHOD } from "../../domain/allocation";
import { type NetStandardVolume } from "../../domain/mpms";
import {
  buildReconciliationReport,
  changesFromPrevious,
  type ChangesFromPrevious,
  type ReplacedReceipt as SupersedesReceipt,
  type ReconciliationFigures,
} from "../../domain/reconciliation-report";
import { integrityHash, partnerInputs, REPORT_HASH_V2, sha256Hex, type PartnerInputs } from "../../domain/report-hash";
import { measureFields } from "../../domain/measured-fields";
import { terminalReceiptSchema, type TerminalReceipt } from "../../domain/terminal-receipt";
import { measurementBandReasons } from "../../domain/audit-rules";
import { canonicalJson } from "../../domain/canonical-json";
import {
  contractDayOf,
  contractDayStart,
  isContractDayBoundary,
  type JvSettings,
  periodContractDays,
  settingsUsed,
  type SettingsUsed,
} from "../../domain/jv-settings";
import {
  type CarriedAdjustment,
  contentDigest,
  type LuafStatus,
  luafStatus,
  netPositions,
  type PartnerInfo,
  reportContent,
  type StatementLine,
  statementLines,
} from "../../domain/period-close";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { JV_SETTINGS_PATH, jvSettingsOf, readJvSettings } from "../../shared/jv-settings";
import { announceClose, callRecordOf, closingMonthRef, endClose, newCloseCallId, withdrawClose } from "../../shared/closing-months";
import { closingMonths, mayCommit } from "../../domain/close-in-progress";
import { changesNotRead, type ScanTaken } from "./changes-during-close";
import { type AgentDeps } from "../../shared/agent-deps";
import { auditAppendRefs, preparedAppend, writeAuditAppend } from "../../shared/audit-log";
import { receiptEventId } from "../../domain/audit-chain";
import { approvalFault } from "../../domain/adjustment-approval";
import { readApprovalEvents } from "../../shared/approval-events";
import { type Caller } from "../../shared/callable-guard";
import { boundedId, isDocumentIdLike } from "../../shared/document-id";
import { CLOSE_HORIZON_PATH, laterDay, readHorizon, writeHorizon } from "../../shared/close-horizon";
import { COLLECTIONS } from "../../shared/collections";
import { isContention } from "../../shared/firestore-errors";
import { toPlain } from "../../shared/timestamps";
import { scanPeriodEntries, type EntryScan } from "./entry-scan";
import { exclusionsInfo, writeExclusions, type ExclusionsInfo } from "./exclusions";
import { manifestInfo, writeManifest, type ManifestInfo } from "./manifest";
import { readCorrections } from "./corrections";
import { callStartOf, correctionsAwaitingAudit } from "./corrections-awaiting-audit";
import { isReleased, releaseOnCreation } from "../../domain/release";
import {
  adjustmentOriginFault,
  adjustmentsRaisedBy,
  missingAdjustments,
  missingAdjustmentsText,
  changesComparedWith,
  raisedAdjustments,
  type ChangesAgainstReason,
} from "../../domain/reconciliation-report";
import { mergeCorrections, STALE_ENTRY_IDS_LISTED, storedCorrections, type VersionCorrection } from "../../domain/version-corrections";
import { utcMinute } from "../../domain/utc-minute";
import { typedNote } from "../../domain/typed-text";
import { replacementsOf } from "./receipt-replacements";

export const STANDARD = "API MPMS Ch. 11.1 (2004) Tables 5A/6A, crude oil; Ch. 12.2 rounding";

export const reconcileInput = z
  .object({
    terminal_receipt_id: boundedId(),
    /** A coordinator's acknowledgement of a shrinkage outside the LUAF band, recorded on the report. */
    acknowledge_luaf: z
      .object({ note: typedNote(NOTE_MAX_LENGTH).min(1, "say why the loss or gain is accepted") })
      .strict()
      .optional(),
  })
  .strict();

export interface ReconcileResult {
  reconciliation_id: string;
  version: number;
  /** True when the report's content had not changed and the existing version was returned. */
  unchanged: boolean;
  totals: ReconciliationFigures["totals"];
  allocations: ReconciliationFigures["allocations"];
  /** Set when the new version was made stale by a change accepted during the close. */
  stale?: boolean;
  /** False while the version waits for its release to the partners (settings/jv `release_approval_required`). */
  released: boolean;
  /** Documents this call read and wrote — for the benchmark and the curious. */
  cost: { documents_read: number; documents_written: number };
}

/** Settles after the event loop's next turn: requests just made are on their way. */
const afterIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const reconciliationId = (receiptId: string, version: number) => `${receiptId}_v${version}`;

/** A call that met a change it did not read (another version, a newer stale mark): it runs again from the start. */
const RERUN = Symbol("rerun");
const RECONCILE_ATTEMPTS = 3;

/** The `reconcile` callable: a coordinator reconciles a terminal receipt into a new report version. */
export async function reconcile(
  deps: AgentDeps,
  input: z.output<typeof reconcileInput>,
  caller: Caller,
  prefetched?: Promise<CloseReads>,
): Promise<ReconcileResult> {
  for (let attempt = 0; attempt < RECONCILE_ATTEMPTS; attempt += 1) {
    // A call that runs again reads again: what was read before its first attempt may have moved.
    const reads = attempt === 0 && prefetched ? prefetched : readsForClose(deps, input);
    const result = await reconcileOnce(deps, input, caller, reads);
    if (result !== RERUN) return result;
  }
  throw new HttpsError(
    "aborted",
    `Reconciliation of ${input.terminal_receipt_id} met changes it had not read three times running (another call reconciling it, or its entries or settings changing meanwhile); no version was made — try again once they settle.`,
  );
}

/** What a close reads first: the receipt, and beside it what does not depend on it. */
export interface CloseReads {
  receiptSnap: DocumentSnapshot;
  settings: JvSettings;
  partners: PartnerInfo[];
}

/** The callable's prefetch (shared/callable.ts): begun beside the rate-limit count. */
export async function readsForClose(deps: Pick<AgentDeps, "db">, input: z.output<typeof reconcileInput>): Promise<CloseReads> {
  const { db } = deps;
  const [receiptSnap, settings, partners] = await Promise.all([
    db.doc(`${COLLECTIONS.terminalReceipts}/${input.terminal_receipt_id}`).get(),
    readJvSettings(db),
    readPartners(db),
  ]);
  return { receiptSnap, settings, partners };
}

/** This call's close in progress on the period's days (shared/closing-months.ts), from before its scan to its commit. */
interface CloseCall {
  id: string;
  days: readonly string[];
  /** Settles once the call's records are written; the scan starts after them. */
  announced?: Promise<void>;
  /** The commit removed the records. */
  ended: boolean;
}

async function reconcileOnce(
  deps: AgentDeps,
  input: z.output<typeof reconcileInput>,
  caller: Caller,
  reads: Promise<CloseReads>,
): Promise<ReconcileResult | typeof RERUN> {
  const close: CloseCall = { id: newCloseCallId(), days: [], ended: false };
  try {
    return await closeOnce(deps, input, caller, close, reads);
  } finally {
    // A call ending without its commit (a refusal, nothing new, an error) takes its records back;
    // should that fail, they expire, and no change is lost by them.
    const announced = close.announced
      ? await close.announced.then(
          () => true,
          () => false,
        )
      : false;
    if (announced && !close.ended) {
      await withdrawClose(deps.db, close.id, close.days).catch((error: unknown) =>
        logger.warn("reconcile: a close's records in its months were not withdrawn; they expire", {
          receiptId: input.terminal_receipt_id,
          error: String(error),
        }),
      );
    }
  }
}

/**
 * One reading of the receipt, its context and its entries, and at most one commit. Whatever it
 * finds changed since it read (the receipt's version, the replaced receipt's, a stale mark newer
 * than its scan) asks for a new reading rather than committing what it read before.
 */
async function closeOnce(
  deps: AgentDeps,
  input: z.output<typeof reconcileInput>,
  caller: Caller,
  close: CloseCall,
  reads: Promise<CloseReads>,
): Promise<ReconcileResult | typeof RERUN> {
  const { terminal_receipt_id: receiptId } = input;
  const uid = caller.uid;
  const { db, clock } = deps;
  const started = clock.now().getTime();
  const cpuAtStart = process.cpuUsage();
  const { receiptSnap, settings, partners } = await reads;
  if (!receiptSnap.exists) throw new HttpsError("not-found", `Terminal receipt ${receiptId} does not exist.`);
  refuseWithdrawn(receiptId, receiptSnap);
  const receipt = parseReceipt(receiptId, receiptSnap.data()!);
  if (receipt.period_end.getTime() > clock.now().getTime()) {
    // Reconciling closes the period's days: a day that has not ended yet cannot be closed.
    throw new HttpsError(
      "failed-precondition",
      `The period of terminal receipt ${receiptId} ends ${utcMinute(receipt.period_end)}, in the future; reconcile it once it has ended.`,
    );
  }
  if (receipt.supersedes_receipt_id === receiptId) {
    throw new HttpsError("failed-precondition", `Terminal receipt ${receiptId} names itself as the receipt it replaces.`);
  }
  requireWholeContractDays(receiptId, receipt, settings);
  examineReceipt(receiptId, receipt);
  const terminal = measureTerminal(receiptId, receipt);
  const days = periodContractDays(receipt.period_start, receipt.period_end, settings);

  // Only a current, fresh version can make this call return without scanning: otherwise the
  // scan starts now, beside the remaining reads (and is stopped should one of them refuse).
  const scanAbort = new AbortController();
  let scanning: Promise<EntryScan> | undefined;
  const jvStart = settings.jv_start_date
    ? { date: settings.jv_start_date, from: contractDayStart(settings.jv_start_date, settings) }
    : undefined;
  const startScan = () => {
    if (scanning) return;
    // The call is recorded in its days' months before the scan reads them: every change committing after
    // the scan's snapshot and before the commit is then recorded for the commit to read.
    close.days = days;
    close.announced = announceClose(db, close.id, close.days, clock.now());
    scanning = close.announced.then(() =>
      scanPeriodEntries(db, receipt.period_start, receipt.period_end, {
        signal: scanAbort.signal,
        jvStart,
      }),
    );
    // Awaited below; a scan abandoned by a refusal must not surface as an unhandled rejection.
    scanning.catch(() => undefined);
  };
  const latestId = receipt.latest_reconciliation_id ?? undefined;
  if (!latestId) startScan();
  let prepared: CloseContext;
  try {
    prepared = await readCloseContext(db, { receiptId, receipt, settings, partners, latestId, onLatest: startScan });
  } catch (error) {
    scanAbort.abort();
    throw error;
  }
  const { latest, current, replaced, inheritFrom, carriable, context, cost } = prepared;
  // Nothing the report depends on changed: every audit or review of an entry on a closed day marks
  // the day's current version stale in its own transaction (shared/stale-marks.ts), and a
  // correction awaiting its audit was looked for (corrections-awaiting-audit.ts).
  if (current && latest?.context_digest === context) return resultOf(latest, true, cost);

  // Wall and CPU time per phase, for the log: on few cores a close is bound by the work it makes.
  // The CPU is the process's: gRPC's and the garbage collector's threads too, and any other call the instance runs meanwhile.
  const phases: Record<string, number> = { prepare: clock.now().getTime() - started };
  const cpuMs = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);
  const cpuPhases: Record<string, number> = { prepare: cpuMs(process.cpuUsage(cpuAtStart)) };
  let mark = clock.now().getTime();
  let cpuMark = process.cpuUsage();
  const lap = (phase: string) => {
    const now = clock.now().getTime();
    phases[phase] = (phases[phase] ?? 0) + now - mark;
    mark = now;
    cpuPhases[phase] = (cpuPhases[phase] ?? 0) + cpuMs(process.cpuUsage(cpuMark));
    cpuMark = process.cpuUsage();
  };
  startScan();
  // Days another receipt holds are refused before anything asks for a LUAF acknowledgement; the
  // closing transaction checks them again, against what it reads.
  const overlapCheck = refuseHeldDays(db, receiptId, receipt, days);
  overlapCheck.catch(() => undefined);
  // Why the version this call may make exists: the corrections the version it follows names when
  // stale (this receipt's latest, or the current version of the receipt it replaces), read beside the scan.
  const before = latest ?? replaced?.version;
  const correctionsRead = before?.stale === true ? readCorrections(db, before.stale_entry_ids, callStartOf(before)) : undefined;
  correctionsRead?.catch(() => undefined);
  const scan = await scanning!;
  lap("scan");
  cost.documents_read += scan.documentsRead + (await overlapCheck);
  // The call's records in its days' months, written before the scan (closing-months.ts).
  cost.documents_written += closingMonths(close.days).length;
  refuseUnexamined(scan);
  scan.digest.setReceipt(receipt);
  const inputsDigest = scan.digest.digest();

  const names = new Map(partners.map((p) => [p.partner_id, p.name]));
  const figures = buildFigures(scan, terminal, names);
  const luaf = luafStatus(figures.totals.shrinkage_percent, settings.luaf_tolerance_percent);
  const lines = statementLines(figures.allocations, partners);
  const content: ReportContentDraft = {
    figures: { ...figures, allocations: lines },
    luaf: {
      ...luaf,
      acknowledgement:
        luaf.within_band || !input.acknowledge_luaf ? null : { by: uid, role: caller.role, note: input.acknowledge_luaf.note },
    },
    settings: settingsUsed(settings),
    days,
    carried: carriable.adjustments,
    supersedesReceipt: replaced
      ? {
          terminal_receipt_id: replaced.receiptId,
          reconciliation_id: replaced.reconciliationId,
          // Why the ticket was corrected, by whom and when (receipts entered before the note have none).
          ...(receipt.correction_note ? { note: receipt.correction_note, by: receipt.created_by, at: receipt.created_at } : {}),
        }
      : null,
    context,
  };
  const draftBase = {
    receiptId,
    uid,
    receipt,
    terminal,
    inputsDigest,
    exclusionsDigest: scan.exclusionsDigest,
    started,
    inheritFrom,
    released: carriable.released,
    content,
    closeCallId: close.id,
    taken: { scan, from: receipt.period_start, to: receipt.period_end, jvStart },
  };
  const digest = contentDigest(
    reportContent(reportBody({ ...draftBase, version: 0, manifest: EMPTY_CHUNKS, exclusions: EMPTY_CHUNKS }, undefined, new Date(0))),
  );

  if (latest && latest.status === "completed" && latest.content_digest === digest) {
    // Same content: the current version stands; a stale mark it carried, or a post-close check that
    // never ran, is answered by this scan, unless the version was written after the scan began
    // (a mark's change may be missing from what was read).
    if (latest.stale === true || latest.close_check_pending === true) {
      const cleared = await clearStaleMark(db, `${COLLECTIONS.reconciliations}/${latestId}`, receiptSnap.readTime, clock.now()).catch(
        (error: unknown) => {
          if (isContention(error)) return false;
          throw error;
        },
      );
      if (!cleared) return RERUN;
      cost.documents_written += 1;
    }
    const { close_check_pending: _pending, ...answered } = latest;
    return resultOf({ ...answered, stale: false }, true, cost);
  }

  // After the comparison: a re-run whose content is the current version's returns it, acknowledged or not.
  if (!luaf.within_band && !input.acknowledge_luaf) {
    throw new HttpsError(
      "failed-precondition",
      `The shrinkage of ${figures.totals.shrinkage_percent} % (${figures.totals.shrinkage_bbl} bbl; negative is a gain) is outside the LUAF band of ±${settings.luaf_tolerance_percent} %. ` +
        "Investigate the receipt and the period's entries; to release the allocation anyway, call again with acknowledge_luaf: {note} saying why.",
      { luaf, field_nsv_bbl: figures.totals.field_nsv_bbl, terminal_nsv_bbl: figures.totals.terminal_nsv_bbl },
    );
  }
  const version = latest ? Number(latest.version) + 1 : 1;
  const id = reconciliationId(receiptId, version);
  const corrections = correctionsRead ? await correctionsRead : undefined;
  if (corrections) cost.documents_read += corrections.reads;
  // Another receipt's version may name entries on days this period does not cover: not behind this
  // version. A full list is kept whole, so that its statement still says there may be more.
  const listedIds = Array.isArray(before?.stale_entry_ids) ? (before.stale_entry_ids as unknown[]).length : 0;
  const scanned = !corrections || latest || listedIds >= STALE_ENTRY_IDS_LISTED ? undefined : scannedIds(scan);
  const read = scanned ? corrections?.corrections.filter((c) => scanned.has(c.entry_id)) : corrections?.corrections;
  // Following a version never released to the partners: what changed before it is behind this one too.
  const unshown = before && !isReleased(before) ? storedCorrections(toPlain(before.corrections)) : [];
  const behind = unshown.length > 0 ? mergeCorrections(unshown, read ?? []) : read;
  lap("figures");
  const manifest = manifestInfo(inputsDigest, scan.rows.length);
  const exclusions = exclusionsInfo(scan.exclusionsDigest, scan.excluded.length);
  // Begun by the closing transaction once its reads are out (and once, however often it runs):
  // packing the chunks and digesting each partner's rows take this process's CPU while the
  // database answers, rather than before the reads leave.
  let chunksWritten: Promise<unknown> | undefined;
  const writeChunks = () => {
    chunksWritten ??= Promise.all([
      writeManifest(db, id, inputsDigest, scan.lines),
      writeExclusions(db, id, scan.exclusionsDigest, scan.excluded),
    ]);
    // Awaited inside the transaction before it writes; a failure is handled there, never left unhandled.
    chunksWritten.catch(() => undefined);
    return chunksWritten;
  };
  let partnerDigests: PartnerInputs[] | undefined;
  const digestPartners = () =>
    (partnerDigests ??= partnerInputs(scan.rows, scan.excluded, new Set(lines.map((l) => l.partner_id)), scan.lines));
  let outcome: CommitOutcome;
  try {
    outcome = await commitVersion(deps, {
      ...draftBase,
      manifest,
      exclusions,
      writeChunks,
      latestId,
      replacedLatestId: replaced?.latestId ?? null,
      version,
      contentDigest: digest,
      staleEntryIds: staleIdsByPartner(before?.stale === true ? before : undefined, scan),
      corrections: behind,
      digestPartners,
    });
  } catch (error) {
    // Simultaneous calls for one receipt meet on its documents: the loser reads it all again. (Not
    // ALREADY_EXISTS on the version: the transaction read the receipt, so a simultaneous close
    // aborts it; a version it did not see says the data is inconsistent, an internal error.)
    if (!isContention(error)) throw error;
    outcome = { kind: "rerun", documentsRead: 0, documentsWritten: 0 };
  } finally {
    // A version refused or raced may end before its chunks are written: no write outlives the call.
    await chunksWritten?.catch(() => undefined);
  }
  lap("manifest_and_commit");
  cost.documents_written += manifest.chunks + exclusions.chunks;
  cost.documents_read += outcome.documentsRead;
  cost.documents_written += outcome.documentsWritten;
  if (outcome.kind === "created") {
    close.ended = true;
    logger.info("reconcile: phases", {
      receiptId,
      entries: scan.documentsRead,
      phases_ms: phases,
      cpu_ms: cpuPhases,
    });
    return resultOf(outcome.report, false, cost);
  }
  if (outcome.kind === "unchanged") return resultOf(outcome.report, true, cost);
  return RERUN;
}

/**
 * Clears a version's stale mark and its pending post-close check when the version was last written
 * before `scanStart` (so the scan read each change a mark names, and each change the check would
 * have looked for); false when it was written since.
 */
async function clearStaleMark(db: Firestore, path: string, scanStart: Timestamp, now: Date): Promise<boolean> {
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(db.doc(path));
    const stale = snap.get("stale") === true;
    const pending = snap.get("close_check_pending") === true;
    if (!snap.exists || (!stale && !pending)) return true;
    if (snap.updateTime!.toMillis() > scanStart.toMillis()) return false;
    tx.update(snap.ref, {
      ...(stale ? { stale: false, stale_resolved_at: Timestamp.fromDate(now) } : {}),
      ...(pending ? { close_check_pending: FieldValue.delete() } : {}),
    });
    return true;
  });
}

const EMPTY_CHUNKS = { prefix: "", chunks: 0, rows: 0 };

/** A completed version with no stale mark (nor, made by older code, a pending post-close check): the only kind an unchanged call may return. */
function isFresh(version: DocumentData | undefined): version is DocumentData {
  return version !== undefined && version.status === "completed" && version.stale !== true && version.close_check_pending !== true;
}

interface CloseContext {
  latest: DocumentData | undefined;
  /** The latest version is fresh and no correction on its days awaits its audit: it may be returned unscanned. */
  current: boolean;
  replaced: ReplacedReceipt | undefined;
  /** The versions whose carried adjustments this one may carry again (it replaces them). */
  inheritFrom: string[];
  carriable: { adjustments: CarriedAdjustment[]; released: string[]; documentsRead: number };
  context: string;
  cost: ReconcileResult["cost"];
}

/**
 * The receipt's current version, the receipt it supersedes and the adjustments it may carry,
 * and the digest of everything but the entries. `onLatest` hears when the current version is
 * not fresh, so that the caller can start scanning at once.
 */
async function readCloseContext(
  db: Firestore,
  input: {
    receiptId: string;
    receipt: TerminalReceipt;
    settings: JvSettings;
    partners: PartnerInfo[];
    latestId: string | undefined;
    onLatest: () => void;
  },
): Promise<CloseContext> {
  const { receiptId, receipt, settings, partners, latestId } = input;
  // The adjustments' queries need the replaced receipt's version (when there is one), not ours.
  const carriedBy = replacedReceipt(db, receipt.supersedes_receipt_id, receiptId).then(async (replaced) => {
    const inheritFrom = [latestId, replaced?.reconciliationId].filter((id): id is string => typeof id === "string");
    // Only an open period takes up adjustments not carried yet: a receipt's first reconciliation
    // that replaces no reconciled receipt. A re-run, or a receipt replacing a reconciled one,
    // restates a closed period and carries again only what the versions it replaces carried.
    const open = inheritFrom.length === 0;
    return { replaced, inheritFrom, carriable: await carriableAdjustments(db, receiptId, receipt.period_start, inheritFrom, open) };
  });
  const [{ version: latest, current, reads: correctionReads }, { replaced, inheritFrom, carriable }, replacements] = await Promise.all([
    latestVersion(db, latestId).then(async (version) => {
      refuseReplacedReceipt(receiptId, latestId, version);
      // A fresh version is returned as it is, unless a correction on its days still awaits the audit that will mark it stale.
      // One page: more corrections since the version than it holds send the call to read the period.
      const awaiting = isFresh(version) ? await correctionsAwaitingAudit(db, version, 1) : undefined;
      const current = awaiting !== undefined && awaiting.complete && awaiting.ids.length === 0;
      if (!current) input.onLatest();
      return { version, current, reads: awaiting?.reads ?? 0 };
    }),
    carriedBy,
    replacementsOf(db, receiptId).get(),
  ]);
  refuseReplacedBeforeReconciled(receiptId, replacements);
  const context = contextDigest(receipt, settingsUsed(settings), partners, carriable.adjustments);
  const cost = {
    documents_read:
      2 +
      partners.length +
      (latest ? 1 : 0) +
      correctionReads +
      (replaced ? replaced.documentsRead : 0) +
      carriable.documentsRead +
      replacements.size,
    documents_written: 0,
  };
  return { latest, current, replaced, inheritFrom, carriable, context, cost };
}

interface ReportContentDraft {
  figures: ReconciliationFigures & { allocations: StatementLine[] };
  luaf: LuafStatus & { acknowledgement: { by: string; role: string; note: string } | null };
  settings: SettingsUsed;
  days: string[];
  carried: CarriedAdjustment[];
  supersedesReceipt: SupersedesReceipt | null;
  /** Digest of what the fast "unchanged" path compares: receipt, settings, partners, adjustments. */
  context: string;
}

/** Receipt periods are whole contract days: closed days then tile time exactly. */
function requireWholeContractDays(receiptId: string, receipt: TerminalReceipt, settings: JvSettings): void {
  for (const [field, words, at] of [
    ["period_start", "starts", receipt.period_start],
    ["period_end", "ends", receipt.period_end],
  ] as const) {
    if (isContractDayBoundary(at, settings)) continue;
    const day = contractDayOf(at, settings);
    throw new HttpsError(
      "failed-precondition",
      `The period of terminal receipt ${receiptId} ${words} at ${utcMinute(at)}, inside contract day ${day}; a receipt period must start and end where a contract day starts ` +
        `(${String(settings.contract_day_start_hour).padStart(2, "0")}:00 at UTC${settings.utc_offset_minutes >= 0 ? "+" : "-"}${Math.abs(settings.utc_offset_minutes)} min, e.g. ${utcMinute(contractDayStart(day, settings))}).`,
      { field, contract_day: day },
    );
  }
}

/** The auditor's bands on the receipt's measured fields: a critical finding refuses the receipt. */
function examineReceipt(receiptId: string, receipt: TerminalReceipt): void {
  const critical = measurementBandReasons(receipt).filter((r) => r.severity === "critical");
  if (critical.length === 0) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} is outside the measurement bands: ${critical.map((r) => r.message).join(" ")}`,
    { reasons: critical.map((r) => ({ code: r.code, field: r.field })) },
  );
}

async function readPartners(db: Firestore): Promise<PartnerInfo[]> {
  const snap = await db.collection(COLLECTIONS.partners).select("name", "active").get();
  return snap.docs
    .map((d) => ({
      partner_id: d.id,
      name: typeof d.get("name") === "string" ? String(d.get("name")) : d.id,
      active: d.get("active") === true,
    }))
    .sort((a, b) => (a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0));
}

interface ReplacedReceipt {
  receiptId: string;
  /** The version this receipt replaces: its current (completed) one, or the one a version of this receipt already replaced. */
  reconciliationId: string | null;
  /** Its latest_reconciliation_id as read: the commit starts over should it have moved. */
  latestId: string | null;
  /** The replaced version as read, when it is the receipt's current one (its stale marks say why this version moves). */
  version?: DocumentData;
  documentsRead: number;
}

async function replacedReceipt(db: Firestore, supersededId: string | null, receiptId: string): Promise<ReplacedReceipt | undefined> {
  if (!supersededId) return undefined;
  const snap = await db.doc(`${COLLECTIONS.terminalReceipts}/${supersededId}`).get();
  if (!snap.exists) {
    throw new HttpsError("failed-precondition", `The receipt it replaces, terminal receipt ${supersededId}, does not exist.`);
  }
  refuseWithdrawnReplaced(receiptId, snap);
  const latestId = (snap.get("latest_reconciliation_id") as string | undefined) ?? null;
  if (!latestId) return { receiptId: supersededId, reconciliationId: null, latestId, documentsRead: 1 };
  const latest = await db.doc(`${COLLECTIONS.reconciliations}/${latestId}`).get();
  const current = latest.exists && latest.get("status") === "completed";
  const by: unknown = latest.get("superseded_by");
  if (latest.exists && latest.get("status") === "superseded" && typeof by === "string" && !isVersionOf(receiptId, by)) {
    // Replaced by another ticket already: a second replacement would restate nothing and read as one that did.
    const byReceipt = receiptOfVersion(by);
    throw new HttpsError(
      "failed-precondition",
      `The receipt it replaces, terminal receipt ${supersededId}, was already replaced by receipt ${byReceipt} (its version ${latestId} is superseded by ${by}). Replace ${byReceipt} instead.`,
      { superseded_by: by, terminal_receipt_id: byReceipt },
    );
  }
  const replaced = current || (latest.exists && isVersionOf(receiptId, by)) ? latestId : null;
  return {
    receiptId: supersededId,
    reconciliationId: replaced,
    latestId,
    ...(current ? { version: latest.data() } : {}),
    documentsRead: 2,
  };
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

/**
 * A receipt whose version a corrected ticket (another receipt) replaced is done: its days are that
 * receipt's now, and a new version of it would close them again with barrels already restated.
 */
function refuseReplacedReceipt(receiptId: string, latestId: string | null | undefined, latest: DocumentData | undefined): void {
  const by = latest?.superseded_by;
  if (latest?.status !== "superseded" || typeof by !== "string" || isVersionOf(receiptId, by)) return;
  const byReceipt = receiptOfVersion(by);
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was replaced by receipt ${byReceipt}: its version ${latestId} is superseded by ${by}. Reconcile ${byReceipt} instead; to correct the ticket again, enter a new receipt that replaces ${byReceipt}.`,
    { superseded_by: by, terminal_receipt_id: byReceipt },
  );
}

/** A replacing receipt reconciled: by the receipts naming this one (a query, beside the scan). */
function refuseReplacedBeforeReconciled(receiptId: string, replacements: { docs: QueryDocumentSnapshot[] }): void {
  const by = replacements.docs.find((d) => typeof d.get("latest_reconciliation_id") === "string");
  if (by) throw replacedBeforeReconciled(receiptId, by.id, String(by.get("latest_reconciliation_id")));
}

/**
 * The same, in the closing transaction: by the mark a replacing receipt's first version leaves on
 * this receipt. A document it reads anyway, where a query in the transaction waits for the
 * transaction's first read to return (40-60 ms of a 10,000-entry close in the emulator).
 */
function refuseMarkedReplaced(receiptId: string, receipt: DocumentSnapshot): void {
  const by: unknown = receipt.get(REPLACED_BY_RECEIPT);
  if (typeof by === "string") throw replacedBeforeReconciled(receiptId, by, String(receipt.get(REPLACED_BY_RECONCILIATION)));
}

function replacedBeforeReconciled(receiptId: string, by: string, reconciliationId: string): HttpsError {
  return new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was replaced by receipt ${by} (reconciled as ${reconciliationId}). Reconcile ${by} instead; to correct the ticket again, enter a new receipt that replaces ${by}.`,
    { terminal_receipt_id: by },
  );
}

/** Server fields of a receipt never reconciled whose replacing receipt was (refuseMarkedReplaced). */
const REPLACED_BY_RECEIPT = "replaced_by_receipt_id";
const REPLACED_BY_RECONCILIATION = "replaced_by_reconciliation_id";

/** The terminal receipt a version id names ("R1_v3" -> "R1"). */
function receiptOfVersion(versionId: string): string {
  return versionId.replace(/_v\d+$/, "");
}

interface Overlap {
  terminal_receipt_id: string;
  reconciliation_id: string;
  days: string[];
}

function overlapRefusal(receiptId: string, conflicts: readonly Overlap[]): HttpsError {
  const text = conflicts
    .map(
      (c) =>
        `receipt ${c.terminal_receipt_id} (reconciliation ${c.reconciliation_id}) on ${c.days.slice(0, 10).join(", ")}${c.days.length > 10 ? ` and ${c.days.length - 10} more days` : ""}`,
    )
    .join("; ");
  return new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} overlaps ${text}. No barrel is allocated twice: to replace that receipt, create the new one as replacing it ("Replaces receipt").`,
    { overlaps: conflicts.map((c) => ({ ...c, days: c.days.slice(0, 100) })) },
  );
}

/**
 * Refuses a period whose days a current version of another receipt holds, other than the receipt
 * this one replaces (the closing transaction decides that case, and this receipt's own versions,
 * on the versions it reads). The holders are told by their own versions, not by the day records,
 * which older versions wrote without the receipt's id. Answers the documents read.
 */
async function refuseHeldDays(db: Firestore, receiptId: string, receipt: TerminalReceipt, days: readonly string[]): Promise<number> {
  if (days.length === 0) return 0;
  const daySnaps = await db.getAll(...days.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`)));
  const held = daySnaps.filter((d) => d.exists && isDocumentIdLike(d.get("reconciliation_id")));
  const holderIds = [...new Set(held.map((d) => String(d.get("reconciliation_id"))))].filter((id) => !isVersionOf(receiptId, id));
  if (holderIds.length === 0) return daySnaps.length;
  const holders = await db.getAll(...holderIds.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const ours = new Set([receiptId, receipt.supersedes_receipt_id]);
  const conflicts = holders
    .filter((h) => h.exists && h.get("status") === "completed" && !ours.has(String(h.get("terminal_receipt_id") ?? receiptOfVersion(h.id))))
    .map((h) => ({
      terminal_receipt_id: String(h.get("terminal_receipt_id") ?? receiptOfVersion(h.id)),
      reconciliation_id: h.id,
      days: held.filter((d) => d.get("reconciliation_id") === h.id).map((d) => d.id),
    }));
  if (conflicts.length > 0) throw overlapRefusal(receiptId, conflicts);
  return daySnaps.length + holders.length;
}

/** Whether `id` names a version of receipt `receiptId` (`{receiptId}_v{n}`, exactly: an id may itself end in _v2). */
function isVersionOf(receiptId: string, id: unknown): boolean {
  return typeof id === "string" && id.startsWith(`${receiptId}_v`) && /^\d+$/.test(id.slice(receiptId.length + 2));
}

/**
 * Approved prior-period adjustments this receipt's report carries: those carried by the versions
 * this one replaces, whatever this period (a replacing receipt may start earlier than the one it
 * replaces, and an adjustment left with a superseded version would be carried by none), and, when
 * `open`, those not carried yet, from a period that ended by this period's start.
 *
 * `released`: adjustments those versions carried that are no longer approved (an admin set their
 * set back to pending, or a coordinator then rejected it). The new version lets go of them
 * (carried_in back to null): once approved again, the next open period carries them.
 */
async function carriableAdjustments(
  db: Firestore,
  receiptId: string,
  periodStart: Date,
  inheritFrom: readonly string[],
  open: boolean,
): Promise<{ adjustments: CarriedAdjustment[]; released: string[]; documentsRead: number }> {
  const col = db.collection(COLLECTIONS.priorPeriodAdjustments);
  const queries = [
    ...(open ? [col.where("status", "==", "approved").where("carried_in", "==", null)] : []),
    ...inheritFrom.map((id) => col.where("carried_in", "==", id)),
  ];
  const snaps = await Promise.all(queries.map((q) => q.get()));
  const seen = new Map<string, CarriedAdjustment>();
  const records = new Map<string, DocumentData>();
  const released = new Set<string>();
  let documentsRead = 0;
  for (const [i, snap] of snaps.entries()) {
    const notCarriedYet = open && i === 0;
    documentsRead += Math.max(1, snap.size);
    for (const doc of snap.docs) {
      const periodEnd = (doc.get("period_end") as Timestamp | undefined)?.toDate();
      if (doc.get("terminal_receipt_id") === receiptId) continue;
      if (doc.get("status") !== "approved") {
        if (!notCarriedYet) released.add(doc.id);
        continue;
      }
      if (notCarriedYet && (!periodEnd || periodEnd.getTime() > periodStart.getTime())) continue;
      seen.set(doc.id, {
        id: doc.id,
        partner_id: String(doc.get("partner_id")),
        delta_bbl: Number(doc.get("delta_bbl")),
        from_reconciliation_id: String(doc.get("from_reconciliation_id")),
      });
      records.set(doc.id, doc.data());
    }
  }
  const adjustments = [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  documentsRead += await refuseForgedAdjustments(db, adjustments);
  return {
    adjustments,
    released: [...released].sort(),
    documentsRead: documentsRead + (await refuseUnloggedApprovals(db, adjustments, records)),
  };
}

/**
 * Refuses to carry an adjustment whose approval is not a coordinator's decision in the audit log
 * (approved by writing its document, or its approver, time or note rewritten since): the statement
 * would print an approval nobody gave. Answers the documents read.
 */
async function refuseUnloggedApprovals(
  db: Firestore,
  adjustments: readonly CarriedAdjustment[],
  records: ReadonlyMap<string, DocumentData>,
): Promise<number> {
  if (adjustments.length === 0) return 0;
  const plain = new Map(adjustments.map((a) => [a.id, toPlain(records.get(a.id)) as Record<string, unknown>]));
  const { events, decisions, documentsRead } = await readApprovalEvents(db, plain);
  const faults = adjustments.flatMap((a) => {
    const fault = approvalFault(a, plain.get(a.id)!, events.get(a.id) ?? null, decisions.get(a.id));
    return fault ? [{ adjustment_id: a.id, fault }] : [];
  });
  if (faults.length > 0) {
    const [first] = faults;
    throw new HttpsError(
      "failed-precondition",
      `Prior-period adjustment ${first.adjustment_id} cannot be carried: ${first.fault}${faults.length > 1 ? `, nor can ${faults.length - 1} more` : ""}. ` +
        "Its approval on record is not the decision the audit log holds: an admin puts back the logged decision (who, when, the note), or sets its set back to pending for a coordinator to decide again, then this period is reconciled.",
      { unlogged_approvals: faults.slice(0, 20) },
    );
  }
  return documentsRead;
}

/**
 * Refuses to carry an adjustment that is not what the version it names raised (its delta,
 * partner or id changed, or the version is gone): carried, it would move barrels no
 * reconciliation measured. Answers the documents read.
 */
async function refuseForgedAdjustments(db: Firestore, adjustments: readonly CarriedAdjustment[]): Promise<number> {
  // A name that is no document id names no version: its adjustment is refused below, not read.
  const sources = [...new Set(adjustments.map((a) => a.from_reconciliation_id))].filter(isDocumentIdLike);
  if (adjustments.length === 0) return 0;
  if (sources.length === 0) {
    refuseForged(adjustments, new Map());
    return 0;
  }
  const snaps = await db.getAll(...sources.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`)));
  const byId = new Map(snaps.map((snap) => [snap.id, snap.exists ? snap.data()! : null]));
  refuseForged(adjustments, byId);
  return snaps.length + (await refuseIncompleteSets(db, adjustments, byId));
}

/**
 * Refuses to carry part of a set: an adjustment its version raised that is not carried here is
 * read, and one that no longer exists was deleted outside FlowShare. Answers the documents read.
 */
async function refuseIncompleteSets(
  db: Firestore,
  adjustments: readonly CarriedAdjustment[],
  byId: ReadonlyMap<string, DocumentData | null>,
): Promise<number> {
  const carried = new Set(adjustments.map((a) => a.id));
  const absent = [...byId].flatMap(([id, source]) => missingAdjustments(id, source, carried).map((a) => ({ from: id, raised: a })));
  if (absent.length === 0) return 0;
  const snaps = await db.getAll(...absent.map((a) => db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${a.raised.id}`)));
  const gone = absent.filter((_, i) => !snaps[i].exists);
  if (gone.length > 0) {
    const from = gone[0].from;
    const missing = gone.filter((a) => a.from === from).map((a) => a.raised);
    throw new HttpsError(
      "failed-precondition",
      `The approved adjustments of ${from} cannot be carried: ${missingAdjustmentsText(from, missing)}, then this period is reconciled.`,
      { from_reconciliation_id: from, missing_adjustments: gone.slice(0, 100).map((a) => a.raised.id) },
    );
  }
  return snaps.length;
}

/** Throws for the adjustments that are not what the versions they name (`byId`, as read) raised. */
function refuseForged(adjustments: readonly CarriedAdjustment[], byId: ReadonlyMap<string, DocumentData | null>): void {
  const faults = adjustments.flatMap((a) => {
    const fault = adjustmentOriginFault(a, byId.get(a.from_reconciliation_id));
    return fault ? [{ adjustment_id: a.id, fault }] : [];
  });
  if (faults.length > 0) {
    const [first] = faults;
    throw new HttpsError(
      "failed-precondition",
      `Prior-period adjustment ${first.adjustment_id} is not what its version raised (${first.fault.text})${faults.length > 1 ? `, nor are ${faults.length - 1} more` : ""}: ` +
        `it was written or changed outside FlowShare, and no period carries it as it is; ${first.fault.remedy}, then this period is reconciled.`,
      { forged_adjustments: faults.slice(0, 20).map((f) => ({ adjustment_id: f.adjustment_id, kind: f.fault.kind, fault: f.fault.text })) },
    );
  }
}

/** The receipt's measured fields, as the report shows them and the context digest covers them. */
function terminalInputs(receipt: TerminalReceipt) {
  const { gross_volume_bbl, bsw_percent, temperature_degF, api_gravity, pressure_psig, meter_factor } = receipt;
  return { gross_volume_bbl, bsw_percent, temperature_degF, api_gravity, pressure_psig, meter_factor };
}

function contextDigest(
  receipt: TerminalReceipt,
  settings: SettingsUsed,
  partners: readonly PartnerInfo[],
  carried: readonly CarriedAdjustment[],
): string {
  return sha256Hex(
    canonicalJson({
      receipt: {
        period_start: receipt.period_start.toISOString(),
        period_end: receipt.period_end.toISOString(),
        ...terminalInputs(receipt),
        supersedes_receipt_id: receipt.supersedes_receipt_id,
      },
      settings,
      partners,
      carried,
    }),
  );
}

/** Every entry the scan read into the version, used or excluded. */
function scannedIds(scan: EntryScan): Set<string> {
  return new Set([...scan.rows.map((r) => r.entry_id), ...scan.excluded.map((e) => e.entry_id)]);
}

/** Per partner, the entries the stale marks of the version before name (the entries behind a change). */
function staleIdsByPartner(before: DocumentData | undefined, scan: EntryScan): Map<string, string[]> {
  const byPartner = new Map<string, string[]>();
  const ids = new Set((before?.stale_entry_ids as string[] | undefined) ?? []);
  if (ids.size === 0) return byPartner;
  const add = (entryId: string, partnerId: string) => {
    if (!ids.has(entryId)) return;
    byPartner.set(partnerId, [...(byPartner.get(partnerId) ?? []), entryId]);
  };
  for (const row of scan.rows) add(row.entry_id, row.partner_id);
  for (const row of scan.excluded) add(row.entry_id, row.partner_id);
  return byPartner;
}

/** A withdrawn receipt was never a ticket of the period: nothing can be its correction. */
function refuseWithdrawnReplaced(receiptId: string, replaced: DocumentSnapshot): void {
  if (replaced.get("withdrawn") !== true) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} replaces receipt ${replaced.id}, which was withdrawn as entered by mistake: it replaces nothing. Enter it again as a receipt of its own period, without "Replaces receipt".`,
    { withdrawn_receipt_id: replaced.id },
  );
}

/** A receipt withdrawn as entered by mistake (withdrawReceipt) is never reconciled. */
function refuseWithdrawn(receiptId: string, snap: DocumentSnapshot): void {
  if (snap.get("withdrawn") !== true) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was withdrawn (${String(snap.get("withdrawal_note"))}): it is not reconciled. Enter the ticket again as a new receipt.`,
    { withdrawn_by: snap.get("withdrawn_by") ?? null },
  );
}

function parseReceipt(receiptId: string, data: DocumentData): TerminalReceipt {
  const parsed = terminalReceiptSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    { issues },
  );
}

function measureTerminal(receiptId: string, receipt: TerminalReceipt): NetStandardVolume {
  try {
    return measureFields(receipt);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new HttpsError("failed-precondition", `Terminal receipt ${receiptId} cannot be measured: ${error.message}`);
  }
}

function refuseUnexamined(scan: EntryScan): void {
  if (scan.pendingAuditCount === 0 && scan.awaitingReviewCount === 0 && scan.unmeasurable.length === 0) return;
  const parts: string[] = [];
  if (scan.pendingAuditCount > 0) parts.push(`${plural(scan.pendingAuditCount, "entry", "entries")} still pending audit`);
  if (scan.awaitingReviewCount > 0) parts.push(`${plural(scan.awaitingReviewCount, "flagged entry", "flagged entries")} without a review`);
  if (scan.unmeasurable.length > 0) parts.push(`${plural(scan.unmeasurable.length, "entry", "entries")} the measurement standard refuses`);
  throw new HttpsError("failed-precondition", `Cannot reconcile on unexamined data: ${parts.join(", ")}.`, {
    pending_audit: scan.pendingAudit,
    pending_audit_count: scan.pendingAuditCount,
    awaiting_review: scan.awaitingReview,
    awaiting_review_count: scan.awaitingReviewCount,
    unmeasurable: scan.unmeasurable.slice(0, 200),
  });
}

function buildFigures(scan: EntryScan, terminal: NetStandardVolume, names: Map<string, string>): ReconciliationFigures {
  try {
    return buildReconciliationReport({
      terminal: {
        gross_volume_bbl: terminal.grossVolumeBbl,
        api60: terminal.api60,
        ctl: terminal.ctl,
        cpl: terminal.cpl,
        csw: terminal.csw,
        nsv_bbl: terminal.nsvBbl,
      },
      partners: scan.aggregator.aggregates((id) => names.get(id) ?? id),
      entries_used: scan.aggregator.entryCount,
      entries_excluded: scan.excludedCount,
      excluded: scan.excluded,
    });
  } catch (error) {
    if (error instanceof RangeError && /nothing to prorate/.test(error.message)) {
      const used = scan.aggregator.entryCount;
      throw new HttpsError(
        "failed-precondition",
        `No production to allocate the terminal's ${formatBblText(terminal.nsvBbl)} bbl to: ${used === 0 ? "no entry of the period is used" : `the period's ${plural(used, "entry", "entries")} used measure 0 bbl net`}${scan.excludedCount > 0 ? ` (${plural(scan.excludedCount, "entry", "entries")} excluded)` : ""}. Check the receipt's period, and that the period's entries are entered and audited.`,
        { entries_used: used, entries_excluded: scan.excludedCount, terminal_nsv_bbl: terminal.nsvBbl },
      );
    }
    if (error instanceof RangeError && /too large (for exact cent-barrels|to write exactly in bbl)/.test(error.message)) {
      throw new HttpsError(
        "failed-precondition",
        `The period's volumes cannot be allocated exactly: ${error.message}. Check the terminal receipt's gross volume and the largest entries (the auditor rejects any of 100,000,000,000 bbl or more).`,
      );
    }
    throw error;
  }
}

async function latestVersion(db: Firestore, latestId: string | null | undefined): Promise<DocumentData | undefined> {
  if (!latestId) return undefined;
  const snap = await db.doc(`${COLLECTIONS.reconciliations}/${latestId}`).get();
  return snap.exists ? snap.data() : undefined;
}

/** The caller's answer: a version that is stale says so, also when it is answered as unchanged. */
function resultOf(report: DocumentData, unchanged: boolean, cost: ReconcileResult["cost"]): ReconcileResult {
  return {
    cost,
    reconciliation_id: reconciliationId(String(report.terminal_receipt_id), Number(report.version)),
    version: Number(report.version),
    unchanged,
    totals: report.totals,
    allocations: report.allocations,
    released: isReleased(report),
    ...(report.stale === true ? { stale: true } : {}),
  };
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

type CommitOutcome = { documentsRead: number; documentsWritten: number } & (
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
async function commitVersion(deps: AgentDeps, draft: VersionDraft): Promise<CommitOutcome> {
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
function reportBody(
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
