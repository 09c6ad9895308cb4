import { randomBytes } from "node:crypto";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { ALLOCATION_METHOD } from "../../domain/allocation";
import { type NetStandardVolume } from "../../domain/mpms";
import { buildReconciliationReport, changesFromPrevious, type ReconciliationFigures } from "../../domain/reconciliation-report";
import { integrityHash, REPORT_HASH_V2 } from "../../domain/report-hash";
import { measureFields } from "../../domain/measured-fields";
import { periodDays, terminalReceiptSchema, type TerminalReceipt } from "../../domain/terminal-receipt";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { documentId } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { scanPeriodEntries, type EntryScan } from "./entry-scan";
import { writeManifest, type ManifestInfo } from "./manifest";

export const STANDARD = "API MPMS Ch. 11.1 (2004) Tables 5A/6A, crude oil; Ch. 12.2 rounding";

export const reconcileInput = z.object({ terminal_receipt_id: documentId() }).strict();

export interface ReconcileResult {
  reconciliation_id: string;
  version: number;
  /** True when the inputs had not changed and the existing version was returned. */
  unchanged: boolean;
  totals: ReconciliationFigures["totals"];
  allocations: ReconciliationFigures["allocations"];
  /** Documents this call read and wrote (for the benchmark and the curious). */
  cost: { documents_read: number; documents_written: number };
}

const reconciliationId = (receiptId: string, version: number) => `${receiptId}_v${version}`;

/** The `reconcile` callable: a coordinator reconciles a terminal receipt into a new report version. */
export async function reconcile(deps: AgentDeps, input: z.output<typeof reconcileInput>, caller: Caller): Promise<ReconcileResult> {
  const { terminal_receipt_id: receiptId } = input;
  const uid = caller.uid;
  const { db, clock } = deps;
  const started = clock.now().getTime();
  const receiptRef = db.doc(`${COLLECTIONS.terminalReceipts}/${receiptId}`);
  const receiptSnap = await receiptRef.get();
  if (!receiptSnap.exists) throw new HttpsError("not-found", `Terminal receipt ${receiptId} does not exist.`);
  const receipt = parseReceipt(receiptId, receiptSnap.data()!);
  if (receipt.period_end.getTime() > clock.now().getTime()) {
    // Reconciling closes the period's days: a day that has not ended yet cannot be closed.
    throw new HttpsError(
      "failed-precondition",
      `The period of terminal receipt ${receiptId} ends ${receipt.period_end.toISOString()}, in the future; reconcile it once it has ended.`,
    );
  }
  const terminal = measureTerminal(receiptId, receipt);

  const scan = await scanPeriodEntries(db, receipt.period_start, receipt.period_end);
  refuseUnexamined(scan);
  scan.digest.setReceipt(receipt);
  const inputsDigest = scan.digest.digest();

  // Unchanged inputs: return the current version and write nothing.
  const latest = await latestVersion(db, receipt.latest_reconciliation_id);
  const cost = { documents_read: 1 + scan.documentsRead + (latest ? 1 : 0), documents_written: 0 };
  if (latest && sameInputs(latest, inputsDigest, scan.exclusionsDigest)) return resultOf(latest, true, cost);

  const names = await partnerNames(db, scan);
  cost.documents_read += names.size;
  const figures = buildFigures(scan, terminal, names);
  let plannedVersion = latest ? Number(latest.version) + 1 : 1;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = reconciliationId(receiptId, plannedVersion);
    const manifest = await writeManifest(db, id, inputsDigest, scan.rows);
    const outcome = await commitVersion(deps, {
      receiptId,
      uid,
      receipt,
      terminal,
      figures,
      inputsDigest,
      exclusionsDigest: scan.exclusionsDigest,
      manifest,
      version: plannedVersion,
      started,
    });
    cost.documents_written += manifest.chunks;
    cost.documents_read += outcome.documentsRead;
    cost.documents_written += outcome.documentsWritten;
    if (outcome.kind !== "retry") return resultOf(outcome.report, outcome.kind === "unchanged", cost);
    plannedVersion = outcome.version;
  }
  throw new HttpsError("aborted", `Reconciliation of ${receiptId} kept racing with other calls; try again.`);
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
  if (scan.pendingAuditCount > 0) parts.push(`${scan.pendingAuditCount} entries still pending audit`);
  if (scan.awaitingReviewCount > 0) parts.push(`${scan.awaitingReviewCount} flagged entries without a review`);
  if (scan.unmeasurable.length > 0) parts.push(`${scan.unmeasurable.length} entries the measurement standard refuses`);
  throw new HttpsError("failed-precondition", `Cannot reconcile on unexamined data: ${parts.join(", ")}.`, {
    pending_audit: scan.pendingAudit,
    pending_audit_count: scan.pendingAuditCount,
    awaiting_review: scan.awaitingReview,
    awaiting_review_count: scan.awaitingReviewCount,
    unmeasurable: scan.unmeasurable.slice(0, 200),
  });
}

async function partnerNames(db: Firestore, scan: EntryScan): Promise<Map<string, string>> {
  const ids = scan.aggregator.aggregates((id) => id).map((a) => a.partner_id);
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const snaps = await db.getAll(...ids.map((id) => db.doc(`${COLLECTIONS.partners}/${id}`)));
  for (const snap of snaps) names.set(snap.id, typeof snap.get("name") === "string" ? snap.get("name") : snap.id);
  return names;
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
      throw new HttpsError("failed-precondition", `No production to allocate the terminal volume to: ${error.message}`);
    }
    throw error;
  }
}

async function latestVersion(db: Firestore, latestId: string | null | undefined): Promise<DocumentData | undefined> {
  if (!latestId) return undefined;
  const snap = await db.doc(`${COLLECTIONS.reconciliations}/${latestId}`).get();
  return snap.exists ? snap.data() : undefined;
}

function sameInputs(report: DocumentData, inputsDigest: string, exclusionsDigest: string): boolean {
  return report.inputs_digest === inputsDigest && report.exclusions_digest === exclusionsDigest;
}

function resultOf(report: DocumentData, unchanged: boolean, cost: ReconcileResult["cost"]): ReconcileResult {
  return {
    cost,
    reconciliation_id: reconciliationId(String(report.terminal_receipt_id), Number(report.version)),
    version: Number(report.version),
    unchanged,
    totals: report.totals,
    allocations: report.allocations,
  };
}

interface VersionDraft {
  receiptId: string;
  uid: string;
  receipt: TerminalReceipt;
  terminal: NetStandardVolume;
  figures: ReconciliationFigures;
  inputsDigest: string;
  exclusionsDigest: string;
  manifest: ManifestInfo;
  version: number;
  started: number;
}

type CommitOutcome = { documentsRead: number; documentsWritten: number } & (
  { kind: "created" | "unchanged"; report: DocumentData } | { kind: "retry"; version: number }
);

/**
 * One transaction: the new version, the superseded mark on the previous one, the receipt's
 * pointer, the period's closed days and the audit event — all or nothing. Concurrent calls
 * serialise on the receipt: the loser sees the winner's version and returns it.
 */
async function commitVersion(deps: AgentDeps, draft: VersionDraft): Promise<CommitOutcome> {
  const { db, clock } = deps;
  const receiptRef = db.doc(`${COLLECTIONS.terminalReceipts}/${draft.receiptId}`);
  return db.runTransaction(async (tx) => {
    const receiptSnap = await tx.get(receiptRef);
    const latestId = receiptSnap.get("latest_reconciliation_id") as string | undefined;
    const latestSnap = latestId ? await tx.get(db.doc(`${COLLECTIONS.reconciliations}/${latestId}`)) : undefined;
    const latest = latestSnap?.exists ? latestSnap.data()! : undefined;
    const documentsRead = 1 + (latestSnap ? 1 : 0);
    if (latest && sameInputs(latest, draft.inputsDigest, draft.exclusionsDigest)) {
      return { kind: "unchanged", report: latest, documentsRead, documentsWritten: 0 };
    }
    const version = latest ? Number(latest.version) + 1 : 1;
    if (version !== draft.version) return { kind: "retry", version, documentsRead, documentsWritten: 0 };

    const id = reconciliationId(draft.receiptId, version);
    const now = clock.now();
    const days = periodDays(draft.receipt.period_start, draft.receipt.period_end);
    const report = reportDocument(draft, id, latestId && latest ? { id: latestId, data: latest } : undefined, days, now);
    // The anchor: the chain holds the report's hash, so recomputing it after an edit is not enough.
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `reconcile_${id}`,
      stream: `receipt_${draft.receiptId}`,
      actor: draft.uid,
      action: "reconciliation_completed",
      subject: `${COLLECTIONS.reconciliations}/${id}`,
      details: {
        version,
        supersedes: latestId ?? null,
        inputs_digest: draft.inputsDigest,
        integrity_hash: report.integrity_hash,
        hash_scheme: REPORT_HASH_V2,
        terminal_nsv_bbl: draft.figures.totals.terminal_nsv_bbl,
        entries_used: draft.figures.totals.entries_used,
      },
    });
    tx.create(db.doc(`${COLLECTIONS.reconciliations}/${id}`), report);
    if (latestId && latest) {
      tx.update(db.doc(`${COLLECTIONS.reconciliations}/${latestId}`), { status: "superseded", superseded_by: id });
    }
    tx.update(receiptRef, { latest_reconciliation_id: id });
    for (const day of days) {
      tx.set(db.doc(`${COLLECTIONS.closedDays}/${day}`), { reconciliation_id: id, closed_at: Timestamp.fromDate(now) });
    }
    writeAuditAppend(db, tx, audit, now);
    // report + receipt + days + audit event and chain head (+ the superseded version)
    const documentsWritten = 1 + 1 + days.length + 2 + (latest ? 1 : 0);
    return { kind: "created", report, documentsRead: documentsRead + 2, documentsWritten };
  });
}

function reportDocument(
  draft: VersionDraft,
  id: string,
  previous: { id: string; data: DocumentData } | undefined,
  days: string[],
  now: Date,
): Record<string, unknown> & { integrity_hash: string } {
  const { figures, terminal, receipt } = draft;
  const body: Record<string, unknown> = {
    hash_scheme: REPORT_HASH_V2,
    // Salts the per-partner leaves of the hash (report-hash.ts); random, so a partner's
    // statement, which carries other partners' rows only as leaf hashes, cannot be brute-forced.
    leaf_key: randomBytes(16).toString("hex"),
    terminal_receipt_id: draft.receiptId,
    version: draft.version,
    status: "completed",
    supersedes: previous?.id ?? null,
    period_start: receipt.period_start,
    period_end: receipt.period_end,
    standard: STANDARD,
    method: ALLOCATION_METHOD,
    terminal: { ...figures.terminal, ctpl: terminal.ctpl, meter_factor: terminal.meterFactor, gsv_bbl: terminal.gsvBbl },
    terminal_inputs: {
      gross_volume_bbl: receipt.gross_volume_bbl,
      bsw_percent: receipt.bsw_percent,
      temperature_degF: receipt.temperature_degF,
      api_gravity: receipt.api_gravity,
      pressure_psig: receipt.pressure_psig,
      meter_factor: receipt.meter_factor,
    },
    totals: figures.totals,
    allocations: figures.allocations,
    excluded: figures.excluded,
    inputs_digest: draft.inputsDigest,
    exclusions_digest: draft.exclusionsDigest,
    manifest: draft.manifest,
    closed_days: days,
    changes_from_previous: previous
      ? changesFromPrevious(previous.data.allocations, figures.allocations, previous.data.totals, figures.totals)
      : null,
    created_by: draft.uid,
    created_at: now,
    duration_ms: now.getTime() - draft.started,
  };
  // Hashed as stored and as read back: Timestamps become Dates (see verify.ts).
  return { ...body, integrity_hash: integrityHash(toPlain(body) as Record<string, unknown>) };
}
