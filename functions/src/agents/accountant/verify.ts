import { HttpsError } from "firebase-functions/v2/https";
import { type DocumentData, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { allocateProRata } from "../../domain/allocation";
import { bblToCb, cbToBbl } from "../../domain/cent-barrels";
import { measureFields } from "../../domain/measured-fields";
import { InputsDigest, integrityHash, type ReceiptMeasuredFields } from "../../domain/report-hash";
import { type AgentDeps } from "../../shared/agent-deps";
import { documentId } from "../../shared/document-id";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { exclusionsDigest, readExclusions, type ExclusionsInfo } from "./exclusions";
import { contentDigest, reportContent } from "../../domain/period-close";
import { readManifest, type ManifestInfo } from "./manifest";

export interface VerificationCheck {
  check: string;
  ok: boolean;
  stored?: unknown;
  recomputed?: unknown;
}

export interface VerificationReport {
  reconciliation_id: string;
  ok: boolean;
  checks: VerificationCheck[];
}

export const verifyInput = z.object({ reconciliation_id: documentId(220) }).strict();

/** The `verifyReconciliation` callable: anyone who may read reconciliations may check one. */
export async function verifyReconciliationCallable(deps: AgentDeps, input: z.output<typeof verifyInput>): Promise<VerificationReport> {
  const { reconciliation_id } = input;
  const report = await verifyReconciliation(deps.db, reconciliation_id);
  if (!report) throw new HttpsError("not-found", `Reconciliation ${reconciliation_id} does not exist.`);
  return report;
}

/**
 * Recomputes a stored report from its own evidence: the integrity hash over the stored
 * document, the inputs digest over the manifest and the receipt's measured fields, the
 * terminal NSV from those fields, each partner's NSV from the manifest rows, and the
 * allocation from both. Any edit of the document or of its manifest shows as a failed check.
 */
export async function verifyReconciliation(db: Firestore, reconciliationId: string): Promise<VerificationReport | undefined> {
  const snap = await db.doc(`${COLLECTIONS.reconciliations}/${reconciliationId}`).get();
  if (!snap.exists) return undefined;
  const stored = toPlain(snap.data()) as DocumentData;
  const checks: VerificationCheck[] = [];
  const check = (name: string, storedValue: unknown, recomputed: unknown) =>
    checks.push({ check: name, ok: JSON.stringify(storedValue) === JSON.stringify(recomputed), stored: storedValue, recomputed });

  check("integrity_hash", stored.integrity_hash, integrityHash(stored));

  const manifest = stored.manifest as ManifestInfo;
  let rows;
  try {
    rows = await readManifest(db, reconciliationId, manifest);
  } catch (error) {
    checks.push({ check: "manifest", ok: false, stored: manifest, recomputed: error instanceof Error ? error.message : String(error) });
    return { reconciliation_id: reconciliationId, ok: false, checks };
  }
  check("manifest.rows", manifest.rows, rows.length);

  const receipt = stored.terminal_inputs as ReceiptMeasuredFields;
  const digest = new InputsDigest();
  const partnerNsvCb = new Map<string, number>();
  const partnerEntries = new Map<string, number>();
  for (const row of rows) {
    digest.addRow(row);
    partnerNsvCb.set(row.partner_id, (partnerNsvCb.get(row.partner_id) ?? 0) + bblToCb(row.nsv_bbl));
    partnerEntries.set(row.partner_id, (partnerEntries.get(row.partner_id) ?? 0) + 1);
  }
  check("inputs_digest", stored.inputs_digest, digest.setReceipt(receipt).digest());
  checks.push(...(await exclusionChecks(db, reconciliationId, stored)));

  const terminal = measureFields(receipt);
  check("terminal.nsv_bbl", stored.terminal?.nsv_bbl, terminal.nsvBbl);
  check("totals.terminal_nsv_bbl", stored.totals?.terminal_nsv_bbl, terminal.nsvBbl);

  const partners = [...partnerNsvCb.keys()].sort().map((partner_id) => ({ partner_id, nsv_cb: partnerNsvCb.get(partner_id)! }));
  const fieldCb = partners.reduce((sum, p) => sum + p.nsv_cb, 0);
  check("totals.field_nsv_bbl", stored.totals?.field_nsv_bbl, cbToBbl(fieldCb));
  check("totals.entries_used", stored.totals?.entries_used, rows.length);

  const allocated = fieldCb > 0 || terminal.nsvCb === 0 ? allocateProRata(terminal.nsvCb, partners) : [];
  // Zero lines (an active partner without used entries) are checked to be zero, then set aside.
  const zeroLines = ((stored.allocations ?? []) as Array<Record<string, unknown>>).filter((a) => a.entries === 0);
  check("zero lines", zeroLines.filter((a) => a.nsv_bbl !== 0 || a.allocated_bbl !== 0 || a.gross_bbl !== 0).map((a) => a.partner_id), []);
  const storedRows = ((stored.allocations ?? []) as Array<Record<string, unknown>>).filter((a) => a.entries !== 0).map((a) => ({
    partner_id: a.partner_id,
    entries: a.entries,
    nsv_bbl: a.nsv_bbl,
    allocated_bbl: a.allocated_bbl,
  }));
  const recomputedRows = partners.map((p, i) => ({
    partner_id: p.partner_id,
    entries: partnerEntries.get(p.partner_id),
    nsv_bbl: cbToBbl(p.nsv_cb),
    allocated_bbl: cbToBbl(allocated[i]?.allocated_cb ?? 0),
  }));
  check("allocations", storedRows, recomputedRows);
  if (stored.content_digest !== undefined) check("content_digest", stored.content_digest, contentDigest(reportContent(stored)));

  return { reconciliation_id: reconciliationId, ok: checks.every((c) => c.ok), checks };
}

/** The full exclusion list beside the report: its digest and count (exclusions.ts). */
async function exclusionChecks(db: Firestore, reconciliationId: string, stored: DocumentData): Promise<VerificationCheck[]> {
  const info = stored.exclusions as ExclusionsInfo | undefined;
  if (info === undefined) return [];
  let rows;
  try {
    rows = await readExclusions(db, reconciliationId, info);
  } catch (error) {
    return [{ check: "exclusions", ok: false, stored: info, recomputed: error instanceof Error ? error.message : String(error) }];
  }
  const digest = exclusionsDigest(rows);
  return [
    { check: "exclusions_digest", ok: digest === stored.exclusions_digest, stored: stored.exclusions_digest, recomputed: digest },
    { check: "totals.entries_excluded", ok: rows.length === stored.totals?.entries_excluded && rows.length === info.rows, stored: stored.totals?.entries_excluded, recomputed: rows.length },
  ];
}
