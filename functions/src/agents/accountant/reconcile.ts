import { runTransaction } from "../../shared/transaction";
import { logger } from "firebase-functions/logger";
import { formatBblText } from "../../domain/statement";
import { plural } from "../../domain/plural";
import { HttpsError } from "firebase-functions/v2/https";
import { FieldValue, Timestamp, type DocumentData, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { type NetStandardVolume } from "../../domain/mpms";
import { buildReconciliationReport, type ReconciliationFigures } from "../../domain/reconciliation-report";
import { partnerInputs, type PartnerInputs } from "../../domain/report-hash";
import { contractDayStart, type JvSettings, periodContractDays, settingsUsed } from "../../domain/jv-settings";
import { contentDigest, luafStatus, type PartnerInfo, reportContent, statementLines } from "../../domain/period-close";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { readJvSettings } from "../../shared/jv-settings";
import { announceClose, newCloseCallId, withdrawClose } from "../../shared/closing-months";
import { closingMonths } from "../../domain/close-in-progress";
import { type AgentDeps } from "../../shared/agent-deps";
import { type Caller } from "../../shared/callable-guard";
import { boundedId } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { isContention } from "../../shared/firestore-errors";
import { toPlain } from "../../shared/timestamps";
import { scanPeriodEntries, type EntryScan } from "./entry-scan";
import { exclusionsInfo, writeExclusions } from "./exclusions";
import { manifestInfo, writeManifest } from "./manifest";
import { readCorrections } from "./corrections";
import { callStartOf } from "./corrections-awaiting-audit";
import { isReleased } from "../../domain/release";
import { mergeCorrections, STALE_ENTRY_IDS_LISTED, storedCorrections } from "../../domain/version-corrections";
import { utcMinute } from "../../domain/utc-minute";
import { typedNote } from "../../domain/typed-text";
import { requireWholeContractDays, examineReceipt, refuseWithdrawn, parseReceipt, measureTerminal } from "./receipt-checks";
import { refuseHeldDays } from "./day-tiling";
import { type ReconcileResult, resultOf } from "./reconcile-result";
import { type CloseContext, readCloseContext, readPartners } from "./close-context";
import { type ReportContentDraft, type CommitOutcome, commitVersion, reportBody } from "./commit-version";
import { reconciliationId } from "./version-ids";

export { STANDARD } from "./commit-version";
export type { ReconcileResult } from "./reconcile-result";

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
  const lines = statementLines(figures.allocations, partners, { first: days[0]!, last: days[days.length - 1]! });
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
