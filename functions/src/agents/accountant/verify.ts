import { HttpsError } from "firebase-functions/v2/https";
import { type DocumentData, type Firestore } from "firebase-admin/firestore";
import { readApprovalEvents } from "../../shared/approval-events";
import { z } from "zod";
import { changesComparedWith, type ReportAllocation, type ReportTotals } from "../../domain/reconciliation-report";
import {
  verifyReportEvidence,
  type ReportEvidence,
  type VerificationCheck,
  type VerificationReport,
} from "../../domain/report-verification";
import { entriesOfOtherPartners, verificationForPartner } from "../../domain/verification-for-partner";
import { type AgentDeps } from "../../shared/agent-deps";
import { auditEventOf } from "../../shared/audit-log";
import { documentId, isDocumentIdLike } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { readExclusions, type ExclusionsInfo } from "./exclusions";
import { readManifest, type ManifestInfo } from "./manifest";
import { refuseUnreleasedToPartner } from "./release-reconciliation";
import { type Caller } from "../../shared/callable-guard";

export type { VerificationCheck, VerificationReport } from "../../domain/report-verification";

export const verifyInput = z.object({ reconciliation_id: documentId(220) }).strict();

/** The `verifyReconciliation` callable: anyone who may read reconciliations may check one. */
export async function verifyReconciliationCallable(
  deps: AgentDeps,
  input: z.output<typeof verifyInput>,
  caller: Caller,
): Promise<VerificationReport> {
  const { reconciliation_id } = input;
  const evidence = await gatherEvidence(deps.db, reconciliation_id, (report) =>
    refuseUnreleasedToPartner(report, caller, reconciliation_id),
  );
  if (!evidence) throw new HttpsError("not-found", `Reconciliation ${reconciliation_id} does not exist.`);
  const verification = verifyReportEvidence(evidence);
  if (caller.role !== "jv_partner" || !caller.partnerId || verification.checks.every((c) => c.ok)) return verification;
  const shown = verificationForPartner(verification, entriesOfOtherPartners(evidence, caller.partnerId));
  return { ...shown, checks: shown.checks.map((c) => withoutOthersApprovals(c, evidence.report, caller.partnerId!)) };
}

/**
 * A failed approval check of another partner's carried adjustment, as that partner's reader sees
 * it: that it failed, not the approver, time and note its record and the audit log hold.
 */
function withoutOthersApprovals(check: VerificationCheck, report: Record<string, unknown>, partnerId: string): VerificationCheck {
  const at = /^prior_period_adjustments\[(\d+)\]\.approval$/.exec(check.check);
  if (check.ok || !at) return check;
  const line = (report.prior_period_adjustments as Array<{ partner_id?: unknown }> | undefined)?.[Number(at[1])];
  if (line?.partner_id === partnerId) return check;
  return { ...check, note: "another partner's adjustment: its approval on record is not its decision in the audit log" };
}

/**
 * Recomputes a stored report from its evidence (domain/report-verification.ts): the hash,
 * the anchor in the receipt's audit chain, the terminal from the receipt, every entry NSV
 * from the manifest's measured inputs, every total and partner row, the exclusions and
 * the changes from the superseded version.
 */
export async function verifyReconciliation(db: Firestore, reconciliationId: string): Promise<VerificationReport | undefined> {
  const evidence = await gatherEvidence(db, reconciliationId);
  return evidence && verifyReportEvidence(evidence);
}

/** The version `changes_from_previous` compares with, when it names a document (a tampered id may not). */
function comparedVersionId(report: Record<string, unknown>): string | undefined {
  const id = changesComparedWith(report);
  return id !== null && id !== "" && !id.includes("/") ? id : undefined;
}

/**
 * Everything stored about one reconciliation that its verification reads. `admit` sees the report
 * as first read (undefined when there is none) and may refuse it before anything else is read: a
 * refusal then takes one read whatever the version holds, so its time tells no more than its words.
 */
export async function gatherEvidence(
  db: Firestore,
  reconciliationId: string,
  admit: (report: Record<string, unknown> | undefined) => void = () => undefined,
): Promise<ReportEvidence | undefined> {
  const ref = db.doc(`${COLLECTIONS.reconciliations}/${reconciliationId}`);
  const snap = await ref.get();
  const report = snap.exists ? (toPlain(snap.data()) as Record<string, unknown>) : undefined;
  admit(report);
  if (!report) return undefined;
  const evidence = await evidenceFor(db, reconciliationId, report);
  // A version committed between the report's read and its days' read moves the days and the
  // report's lifecycle fields together: read both again once, so that neither is judged stale.
  const again = await ref.get();
  if (!again.exists || again.updateTime!.isEqual(snap.updateTime!)) return evidence;
  return evidenceFor(db, reconciliationId, toPlain(again.data()) as Record<string, unknown>);
}

/** The report fields that name the documents its evidence is read from (the rest is compared, not followed). */
export const EVIDENCE_POINTERS = [
  "terminal_receipt_id",
  "manifest",
  "exclusions",
  "prior_period_adjustments",
  "supersedes",
  // A receipt's first version replacing another's: the version its changes compare with.
  "supersedes_receipt",
  // The last released version, when the one followed never was: its changes compare with that.
  "changes_against",
  "superseded_by",
  // A current report's days: whose closed_days records hold them.
  "status",
  "closed_days",
] as const;

/** The most closed days whose records the evidence reads for a current report (one read each). */
export const MAX_DAY_HOLDERS = 400;

/** How many versions past a superseded report the evidence follows `superseded_by` (one read each). */
export const MAX_SUCCESSORS = 10;

/**
 * The versions that replaced a superseded report, following `superseded_by` as stored now:
 * each with its own receipt id (read, not parsed from its id), up to MAX_SUCCESSORS, stopping
 * at a version not found or one already seen.
 */
async function readSuccessors(
  db: Firestore,
  report: Record<string, unknown>,
): Promise<{ chain: NonNullable<ReportEvidence["successors"]>; firstMissing: boolean }> {
  const chain: NonNullable<ReportEvidence["successors"]> = [];
  const seen = new Set<string>();
  let next = report.superseded_by;
  while (typeof next === "string" && next.length > 0 && !seen.has(next) && chain.length < MAX_SUCCESSORS) {
    // A name that is no document id names no reconciliation, and is never read as a path.
    if (!isDocumentIdLike(next)) return { chain, firstMissing: chain.length === 0 };
    seen.add(next);
    const snap = await db.doc(`${COLLECTIONS.reconciliations}/${next}`).get();
    if (!snap.exists) return { chain, firstMissing: chain.length === 0 };
    const replaced = snap.get("supersedes_receipt") as { reconciliation_id?: unknown } | null | undefined;
    chain.push({
      reconciliation_id: next,
      terminal_receipt_id: String(snap.get("terminal_receipt_id")),
      replaces: typeof replaced?.reconciliation_id === "string" ? replaced.reconciliation_id : null,
    });
    next = snap.get("superseded_by") as unknown;
  }
  return { chain, firstMissing: false };
}

/** The evidence of `report` (a reconciliation as read, in plain values): what its EVIDENCE_POINTERS name, read as stored. */
export async function evidenceFor(db: Firestore, reconciliationId: string, report: Record<string, unknown>): Promise<ReportEvidence> {
  const receiptId = String(report.terminal_receipt_id);
  const stream = `receipt_${receiptId}`;
  const problemOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const carried = Array.isArray(report.prior_period_adjustments) ? (report.prior_period_adjustments as Array<{ id?: unknown }>) : [];
  // Day ids only (a tampered list could name anything); the check compares the list as stored.
  const closedDays = Array.isArray(report.closed_days)
    ? (report.closed_days as unknown[]).filter((d): d is string => typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d))
    : [];
  const readsHolders = closedDays.length > 0 && closedDays.length <= MAX_DAY_HOLDERS;
  const comparedWith = comparedVersionId(report);
  // The versions that raised the carried adjustments, as the report names them (its hash binds the names).
  const origins = [
    ...new Set(carried.map((a) => (a as { from_reconciliation_id?: unknown }).from_reconciliation_id).filter(isDocumentIdLike)),
  ];
  const [rows, exclusions, adjustments, receiptSnap, events, head, previous, successors, holders, originSnaps] = await Promise.all([
    readManifest(db, reconciliationId, report.manifest as ManifestInfo).then(
      (r) => ({ rows: r }),
      (error: unknown) => ({ rows: undefined, problem: problemOf(error) }),
    ),
    report.exclusions === undefined
      ? { rows: undefined }
      : readExclusions(db, reconciliationId, report.exclusions as ExclusionsInfo).then(
          (r) => ({ rows: r }),
          (error: unknown) => ({ rows: undefined, problem: problemOf(error) }),
        ),
    carried.length === 0 ? [] : db.getAll(...carried.map((a) => db.doc(`${COLLECTIONS.priorPeriodAdjustments}/${String(a.id)}`))),
    db.doc(`${COLLECTIONS.terminalReceipts}/${receiptId}`).get(),
    db.collection(COLLECTIONS.auditLog).where("stream", "==", stream).orderBy("seq").get(),
    db.doc(`${COLLECTIONS.auditChains}/${stream}`).get(),
    comparedWith ? db.doc(`${COLLECTIONS.reconciliations}/${comparedWith}`).get() : undefined,
    readSuccessors(db, report),
    readsHolders ? db.getAll(...closedDays.map((d) => db.doc(`${COLLECTIONS.closedDays}/${d}`))) : undefined,
    origins.length === 0 ? [] : db.getAll(...origins.map((id) => db.doc(`${COLLECTIONS.reconciliations}/${id}`))),
  ]);
  const previousData = previous?.exists ? (previous.data() as DocumentData) : undefined;
  const adjustmentDocs = adjustments.filter((a) => a.exists);
  const { events: approvals, decisions } = await readApprovalEvents(db, new Map(adjustmentDocs.map((d) => [d.id, d.data() ?? {}])));
  return {
    reconciliation_id: reconciliationId,
    report,
    rows: rows.rows,
    ...("problem" in rows ? { rows_problem: rows.problem } : {}),
    ...(exclusions.rows ? { exclusions: exclusions.rows } : {}),
    ...("problem" in exclusions ? { exclusions_problem: exclusions.problem } : {}),
    ...(carried.length > 0
      ? {
          adjustments: Object.fromEntries(adjustmentDocs.map((a) => [a.id, toPlain(a.data()) as Record<string, unknown>])),
          adjustment_approvals: Object.fromEntries(approvals),
          adjustment_decisions: Object.fromEntries(decisions),
          adjustment_origins: Object.fromEntries(
            originSnaps.map((o) => [
              o.id,
              o.exists
                ? {
                    changes_from_previous: toPlain(o.get("changes_from_previous") ?? null),
                    supersedes_receipt: toPlain(o.get("supersedes_receipt") ?? null),
                  }
                : null,
            ]),
          ),
        }
      : {}),
    receipt: receiptSnap.exists ? (toPlain(receiptSnap.data()) as Record<string, unknown>) : undefined,
    audit_events: events.docs.map((doc) => auditEventOf(doc.id, doc.data())),
    ...(head.exists ? { chain_head: { seq: Number(head.get("seq")), hash: String(head.get("hash")) } } : {}),
    ...(previousData
      ? { previous: { allocations: previousData.allocations as ReportAllocation[], totals: previousData.totals as ReportTotals } }
      : {}),
    ...(successors.chain.length > 0 ? { successors: successors.chain } : {}),
    ...(successors.firstMissing ? { superseded_by_missing: true } : {}),
    ...(previous && !previous.exists ? { previous_missing: true } : {}),
    ...(holders
      ? { day_holders: Object.fromEntries(holders.map((d) => [d.id, d.exists ? String(d.get("reconciliation_id")) : null])) }
      : {}),
  };
}
