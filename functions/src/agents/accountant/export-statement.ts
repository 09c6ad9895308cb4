import { createHash } from "node:crypto";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import { carriedLines, recordsWithLoggedApproval } from "../../domain/adjustment-approval";
import { alteredChunks, verifyReportEvidence } from "../../domain/report-verification";
import { partnerEvidence, statementBundle } from "../../domain/statement-bundle";
import {
  accountsNamed,
  partnersWithoutLine,
  statementFilename,
  statementOf,
  withAccountNames,
  withEntryLabels,
  type RecordedEntry,
  type Statement,
} from "../../domain/statement";
import { reportContractClock } from "../../domain/jv-settings";
import { statementCsv } from "../../domain/statement-csv";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { type AgentDeps } from "../../shared/agent-deps";
import { COLLECTIONS } from "../../shared/collections";
import { toPlain } from "../../shared/timestamps";
import { type Caller } from "../../shared/callable-guard";
import { documentId, isDocumentIdLike } from "../../shared/document-id";
import { entryPath } from "../../shared/entry-stream";
import { accountNames } from "../../shared/people";
import { gatherEvidence } from "./verify";
import { PDF_MAX_ENTRIES, statementPdf } from "./statement-pdf";
import { readCorrectionNotes } from "./corrections";
import { refuseUnreleasedToPartner } from "./release-reconciliation";

export const exportStatementInput = z
  .object({
    reconciliation_id: documentId(220),
    format: z.enum(["pdf", "csv", "json"]),
    partner_id: documentId().optional(),
  })
  .strict();

export interface ExportedStatement {
  filename: string;
  content_type: string;
  sha256: string;
  base64: string;
}

/** The prior-period adjustments a version's changes raised, as their documents stand now (a set: one per partner at most). */
async function raisedAdjustments(db: Firestore, reconciliationId: string): Promise<Record<string, unknown>[]> {
  const snap = await db.collection(COLLECTIONS.priorPeriodAdjustments).where("from_reconciliation_id", "==", reconciliationId).get();
  return snap.docs.map((d) => toPlain(d.data()) as Record<string, unknown>);
}

const CONTENT_TYPES = { pdf: "application/pdf", csv: "text/csv; charset=utf-8; header=present", json: "application/json" } as const;

/**
 * Names of the partners the statement shows without a report line (see partnersWithoutLine):
 * the report stores names on its lines only, so these come from the partners collection as it
 * is now. A missing document or name leaves the id.
 */
async function namesOfPartnersWithoutLine(deps: AgentDeps, report: Record<string, unknown>): Promise<Record<string, string>> {
  const ids = partnersWithoutLine(report).filter((id) => documentId().safeParse(id).success && id === id.trim());
  if (ids.length === 0) return {};
  const snaps = await deps.db.getAll(...ids.map((id) => deps.db.doc(`partners/${id}`)));
  const names: Record<string, string> = {};
  for (const snap of snaps) {
    const name: unknown = snap.get("name");
    if (snap.exists && typeof name === "string" && name !== "") names[snap.id] = name;
  }
  return names;
}

/** The checks that bind a report's stored content to its close: its hashes and the audit event that anchored them. */
function brokenSeals(checks: ReadonlyArray<{ check: string; ok: boolean }>): string[] {
  const seal = (name: string) => name === "integrity_hash" || name === "content_digest" || name.startsWith("audit_anchor.");
  return [...new Set(checks.filter((c) => !c.ok && seal(c.check)).map((c) => c.check))];
}

/** How far a partner's export follows versions awaiting their release to find one it may read. */
const SUCCESSORS_FOLLOWED = 10;

/**
 * A superseded statement as its partner sees it, as the web app shows it: superseded by the first
 * version after it that was released to the partners; standing, when every one after it still
 * awaits its release (the partner can read none of them, and this one is what it is settled on).
 */
async function asPartnerSees(db: Firestore, s: Statement): Promise<Statement> {
  if (s.status !== "superseded" || !s.superseded_by) return s;
  let next: unknown = s.superseded_by;
  for (let step = 0; step < SUCCESSORS_FOLLOWED && typeof next === "string" && isDocumentIdLike(next); step += 1) {
    const snap = await db.doc(`${COLLECTIONS.reconciliations}/${next}`).get();
    if (!snap.exists) return s;
    if (snap.get("released") !== false) return { ...s, superseded_by: next };
    if (snap.get("status") !== "superseded") return { ...s, status: "completed", superseded_by: null };
    next = snap.get("superseded_by");
  }
  return s;
}

/** How a partner's PDF names the entries it lists: day and meter from the entries as recorded now (withEntryLabels). */
async function recordedEntries(db: Firestore, s: Statement): Promise<RecordedEntry[]> {
  if (!s.partner_id) return [];
  const ids = s.entries
    .slice(0, PDF_MAX_ENTRIES)
    .map((e) => e.entry_id)
    .filter(isDocumentIdLike);
  if (ids.length === 0) return [];
  const snaps = await db.getAll(...ids.map((id) => db.doc(entryPath(id))), { fieldMask: ["partner_id", "meter_id", "measured_at"] });
  return snaps
    .filter((snap) => snap.exists)
    .map((snap) => {
      const at = snap.get("measured_at") as unknown;
      return {
        entry_id: snap.id,
        partner_id: snap.get("partner_id") as unknown,
        meter_id: snap.get("meter_id") as unknown,
        measured_at: at instanceof Timestamp ? at.toDate() : undefined,
      };
    });
}

/**
 * The `exportStatement` callable: the whole JV statement or one partner's, as PDF, CSV or a
 * JSON verification bundle. A jv_partner always gets its own partner's statement.
 */
export async function exportStatement(
  deps: AgentDeps,
  input: z.output<typeof exportStatementInput>,
  caller: Caller,
): Promise<ExportedStatement> {
  let partnerId = input.partner_id;
  if (caller.role === "jv_partner") {
    if (partnerId !== undefined && partnerId !== caller.partnerId) {
      throw new HttpsError(
        "permission-denied",
        `A JV partner exports only its own partner's statement (${caller.partnerId}), not ${partnerId}'s.`,
      );
    }
    partnerId = caller.partnerId;
    if (!partnerId)
      throw new HttpsError(
        "permission-denied",
        "Your JV partner account is bound to no partner, so it has no statement to export; ask an admin to set its partner.",
      );
  }
  const evidence = await gatherEvidence(deps.db, input.reconciliation_id, (report) =>
    refuseUnreleasedToPartner(report, caller, input.reconciliation_id),
  );
  if (!evidence) throw new HttpsError("not-found", `Reconciliation ${input.reconciliation_id} does not exist.`);
  // A PDF or CSV cannot say what it leaves out: without its entries or its excluded entries it
  // is refused. The JSON bundle carries the problem and fails verification, naming it.
  const unreadable = [
    evidence.rows_problem ? `its entries manifest (${evidence.rows_problem})` : null,
    evidence.exclusions_problem ? `its list of excluded entries (${evidence.exclusions_problem})` : null,
  ].filter((p): p is string => p !== null);
  if (unreadable.length > 0 && input.format !== "json") {
    throw new HttpsError(
      "data-loss",
      `Reconciliation ${input.reconciliation_id} cannot give a complete statement: ${unreadable.join("; ")} cannot be read. Export the JSON bundle to see what verification finds, and tell the JV's administrator.`,
    );
  }
  // Nor one that would print chunks changed since the close: their digests must be the report's.
  const altered = input.format === "json" ? [] : alteredChunks(evidence);
  if (altered.length > 0) {
    throw new HttpsError(
      "data-loss",
      `Reconciliation ${input.reconciliation_id} cannot give a statement: ${altered.join("; ")}: they were changed after the close. Export the JSON bundle to see what verification finds, and tell the JV's administrator.`,
    );
  }
  // Nor one whose report no longer gives the hashes it was closed with (its figures edited since): a PDF
  // or CSV would print them beside those hashes, which a partner compares out of band. Other failed
  // checks (an adjustment's approval not on record, say) the statement itself says.
  const broken = input.format === "json" ? [] : brokenSeals(verifyReportEvidence(evidence).checks);
  if (broken.length > 0) {
    throw new HttpsError(
      "data-loss",
      `Reconciliation ${input.reconciliation_id} cannot give a statement: its report does not give the hashes it was closed with (${broken.join(", ")} fail verification), so its figures are not those that were closed. Export the JSON bundle to see what verification finds, and tell the JV's administrator.`,
      { failed_checks: broken },
    );
  }
  let scoped = evidence;
  if (partnerId !== undefined) {
    const allocations = Array.isArray(evidence.report.allocations) ? (evidence.report.allocations as Array<{ partner_id: string }>) : [];
    // A partner without a line (inactive, no production) still has a statement when the report
    // carries an adjustment of its: the adjustment lines, a zero line and the net position.
    if (!allocations.some((a) => a.partner_id === partnerId) && !partnersWithoutLine(evidence.report).includes(partnerId)) {
      throw new HttpsError(
        "not-found",
        `Partner ${partnerId} has no allocation line and no prior-period adjustment in reconciliation ${input.reconciliation_id}: there is no statement of it for this period.`,
      );
    }
    try {
      scoped = partnerEvidence(evidence, partnerId);
    } catch (error) {
      if (error instanceof RangeError) throw new HttpsError("failed-precondition", error.message);
      throw error;
    }
  }
  // A partner's bundle holds no adjustment documents; its statement still says where its own carried ones come from.
  // The notes behind a version stay on the entries: read now, a partner's of its own entries only.
  const [names, notes, raised] = await Promise.all([
    namesOfPartnersWithoutLine(deps, scoped.report),
    input.format === "json" ? Promise.resolve({}) : readCorrectionNotes(deps.db, scoped.report.corrections, partnerId),
    input.format === "json" ? Promise.resolve([]) : raisedAdjustments(deps.db, input.reconciliation_id),
  ]);
  // An approval on record that is not the logged decision is not printed as one ("not on record").
  const onRecord = recordsWithLoggedApproval(
    carriedLines(evidence.report),
    evidence.adjustments ?? {},
    evidence.adjustment_approvals,
    evidence.adjustment_decisions,
  );
  const made = statementOf(scoped, names, onRecord, notes, raised);
  // The JSON bundle is the report as stored; a partner's PDF and CSV say what the partner can see of its successors.
  const statement = caller.role === "jv_partner" && input.format !== "json" ? await asPartnerSees(deps.db, made) : made;
  let bytes: Buffer;
  if (input.format === "json") bytes = Buffer.from(`${JSON.stringify(statementBundle(scoped), null, 1)}\n`, "utf8");
  // The byte-order mark tells a spreadsheet opened by double-click that the file is UTF-8 ("±", names).
  else if (input.format === "csv") bytes = Buffer.from(`\uFEFF${statementCsv(statement)}`, "utf8");
  else {
    const [accounts, recorded] = await Promise.all([accountNames(deps.db, accountsNamed(statement)), recordedEntries(deps.db, statement)]);
    const clock = reportContractClock(scoped.report.settings as Parameters<typeof reportContractClock>[0]);
    bytes = await statementPdf(withEntryLabels(withAccountNames(statement, accounts), recorded, clock));
  }
  return {
    filename: statementFilename(statement, input.format),
    content_type: CONTENT_TYPES[input.format],
    sha256: createHash("sha256").update(bytes).digest("hex"),
    base64: bytes.toString("base64"),
  };
}
