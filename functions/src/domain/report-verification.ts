// Re-checks a stored reconciliation from its evidence: the report, its manifest rows, the
// terminal receipt and the receipt's audit chain. Pure: the callable gathers the evidence
// from Firestore, the offline verifier reads it from a statement bundle, and both run the
// same checks. Each report section is checked by one small function; a failed check names
// the field it recomputed (`totals.field_nsv_bbl`, `allocations[1].allocated_bbl`, ...).

import { ALLOCATION_METHOD, sharePercent } from "./allocation";
import { escapeRegExp } from "./regexp-text";
import { approvalFault, type CarriedLine } from "./adjustment-approval";
import { expectedReceiptEventId, legacyReceiptNotifyIds, verifyChain, type ChainedAuditEvent } from "./audit-chain";
import { canonicalJson } from "./canonical-json";
import { bblToCb, cbToBbl } from "./cent-barrels";
import { measureFields } from "./measured-fields";
import { contentDigest, luafStatus, netPositions, NO_PRODUCTION_REASON, reportContent, type CarriedAdjustment } from "./period-close";
import {
  adjustmentOriginFault,
  raisedUnrecorded,
  buildReconciliationReport,
  changesFromPrevious,
  MAX_EXCLUDED_LISTED,
  type PartnerAggregate,
  type ReportAllocation,
  type ReportTotals,
} from "./reconciliation-report";
import {
  hashSchemeOf,
  InputsDigest,
  inputsDigestVersion,
  integrityHash,
  exclusionsDigest,
  isSealedRow,
  partnerInputs,
  MEASURED_ROW_FIELDS,
  REPORT_HASH_V1,
  type InputRow,
  type MeasuredInputRow,
  type ReceiptMeasuredFields,
} from "./report-hash";
import { totalShrinkage } from "./shrinkage";
import { periodContractDays } from "./jv-settings";
import { periodDays } from "./terminal-receipt";
import { type CorrectionNote } from "./version-corrections";
import { UNCHECKED, uniqueTexts } from "./unchecked-in-words";

export interface VerificationCheck {
  check: string;
  ok: boolean;
  stored?: unknown;
  recomputed?: unknown;
  note?: string;
}

export interface VerificationReport {
  reconciliation_id: string;
  /** "jv" for the whole statement, "partner:<id>" for one partner's. */
  scope: string;
  hash_scheme: string;
  ok: boolean;
  checks: VerificationCheck[];
  /** What this evidence cannot show, and why, by field (auditors, the CLI). */
  not_checked: string[];
  /** The same in words for the statement's readers, each text once. */
  not_checked_in_words: string[];
  /**
   * What a reader compares out of band, in full, as this evidence holds it: the report's stored
   * integrity hash and its anchoring event (what the statement's footer prints), and the head of
   * that event's stream the chain was checked up to (to confirm with the operator). A report and
   * chain forged whole pass every check; only these, compared, reveal it.
   */
  out_of_band: {
    integrity_hash: string | null;
    anchor: { event_id: string; stream: string; seq: number; hash: string } | null;
    chain_head: { stream: string; seq: number; hash: string } | null;
  };
}

/** Everything a verification reads. Dates are Dates (Timestamps converted, bundle tags revived). */
export interface ReportEvidence {
  reconciliation_id: string;
  report: Record<string, unknown>;
  /** The partner a partner-scoped bundle belongs to: only its rows are in the clear. */
  partner_id?: string;
  /** Leaf salts of the rows in the clear when the report carries no `leaf_key` (partner bundles). */
  salts?: Record<string, string>;
  /** The manifest rows (a partner's own only, in a partner bundle); undefined when unreadable. */
  rows: Array<InputRow | MeasuredInputRow> | undefined;
  rows_problem?: string;
  /** The terminal receipt document as it is now; undefined when it is gone. */
  receipt: Record<string, unknown> | undefined;
  /** The receipt stream's audit events in sequence order, from seq 1. */
  audit_events: ChainedAuditEvent[];
  /** The stream's head as stored, when known (the live verifier); else the last event given. */
  chain_head?: { seq: number; hash: string };
  /** Read from a statement bundle: its chain head is the bundle's own, which nobody vouches for offline. */
  from_bundle?: boolean;
  /** Every excluded entry, from the `exclusions` chunks beside the report (the live verifier). */
  exclusions?: Array<{ entry_id: string; partner_id: string; reason: string }>;
  /** Why the exclusion chunks could not be read, when the report names some. */
  exclusions_problem?: string;
  /** The prior-period adjustment documents the report carries, by id, as they are now (the live verifier). */
  adjustments?: Record<string, Record<string, unknown>>;
  /**
   * The versions that raised the carried adjustments, by id (null: the version does not exist), as
   * far as the check needs them: what each raised (`changes_from_previous`), under its own integrity hash.
   */
  adjustment_origins?: Record<string, { changes_from_previous: unknown; supersedes_receipt?: unknown } | null>;
  /** The audit events approving the carried adjustments, by adjustment id (null: no such event). */
  adjustment_approvals?: Record<string, ChainedAuditEvent | null>;
  /** Every decision logged on each carried adjustment, by adjustment id: one after its approval is the decision that stands. */
  adjustment_decisions?: Record<string, ChainedAuditEvent[]>;
  /** The notes of the report's `corrections`, by entry id, as the entries hold them now (statements; never in a bundle). */
  correction_notes?: Record<string, CorrectionNote>;
  /** The figures of the version `changes_from_previous` compares with (superseded, or replaced by a corrected receipt), when at hand. */
  previous?: { allocations: ReportAllocation[]; totals: ReportTotals };
  /**
   * The versions that replaced this one, in order, as stored now (the live verifier): the
   * report's `superseded_by`, the version that replaced that one, and so on. Each with its own
   * receipt id, so a successor's receipt is read, not parsed out of its reconciliation id.
   */
  successors?: Array<{
    reconciliation_id: string;
    terminal_receipt_id: string;
    /** The version it names as replaced when it is another receipt's (`supersedes_receipt.reconciliation_id`); null: none. */
    replaces?: string | null;
  }>;
  /**
   * Who holds each day the report closed, from `closed_days` as stored now (the live verifier):
   * the reconciliation id, or null where no day record is. A current report holds all of them.
   */
  day_holders?: Record<string, string | null>;
  /** The live verifier read the report's `superseded_by` and found no such reconciliation. */
  superseded_by_missing?: boolean;
  /** The live verifier read the version the report's changes are measured against and found no such reconciliation. */
  previous_missing?: boolean;
}

interface Context {
  evidence: ReportEvidence;
  report: Record<string, unknown>;
  partnerId: string | undefined;
  scheme: string;
  checks: VerificationCheck[];
  /** Records what this evidence cannot check: `detail` names the fields (auditors, the CLI), `inWords` is for the statement's readers. */
  skip(detail: string, inWords: string): void;
  check(name: string, stored: unknown, recomputed: unknown, note?: string): void;
  fail(name: string, note: string, stored?: unknown): void;
}

type SectionCheck = (ctx: Context) => void;

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  try {
    return canonicalJson(a ?? null) === canonicalJson(b ?? null);
  } catch {
    return false;
  }
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const isMeasuredRow = (row: InputRow | MeasuredInputRow): row is MeasuredInputRow =>
  MEASURED_ROW_FIELDS.every((f) => typeof (row as unknown as Record<string, unknown>)[f] === "number");

/** The receipt's measured fields as the engine reads them (missing pressure 0, meter factor 1). */
function receiptFields(source: Record<string, unknown>): ReceiptMeasuredFields {
  return {
    gross_volume_bbl: source.gross_volume_bbl as number,
    bsw_percent: source.bsw_percent as number,
    temperature_degF: source.temperature_degF as number,
    api_gravity: source.api_gravity as number,
    pressure_psig: (source.pressure_psig as number | null | undefined) ?? 0,
    meter_factor: (source.meter_factor as number | null | undefined) ?? 1,
  };
}

/**
 * Whether the manifest and exclusion chunks read beside a report are the ones it was made
 * from: their digests recomputed against `inputs_digest` and `exclusions_digest`. What an
 * export names before it prints entries it would otherwise take on trust; empty when they hold.
 */
export function alteredChunks(evidence: ReportEvidence): string[] {
  const report = evidence.report;
  const altered: string[] = [];
  if (evidence.rows && typeof report.inputs_digest === "string") {
    let digest: string | undefined;
    try {
      const d = new InputsDigest(inputsDigestVersion(hashSchemeOf(report)));
      for (const row of evidence.rows) d.addRow(row);
      digest = d.setReceipt(receiptFields(record(report.terminal_inputs))).digest();
    } catch {
      digest = undefined;
    }
    if (digest !== report.inputs_digest) altered.push("its entries manifest (its rows do not give the report's inputs digest)");
  }
  if (
    evidence.exclusions &&
    typeof report.exclusions_digest === "string" &&
    exclusionsDigest(evidence.exclusions) !== report.exclusions_digest
  ) {
    altered.push("its list of excluded entries (its rows do not give the report's exclusions digest)");
  }
  return altered;
}

function attempt<T>(ctx: Context, name: string, compute: () => T): T | undefined {
  try {
    return compute();
  } catch (error) {
    ctx.fail(name, `cannot be recomputed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * The version `n` when `reconciliationId` is exactly `${receiptId}_v${n}`, else undefined.
 * Never a prefix test: a receipt id may itself end in `_v2`, so `r_v2_v1` (receipt `r_v2`,
 * version 1) is no version of receipt `r`.
 */
export function versionOfReceipt(reconciliationId: unknown, receiptId: string): number | undefined {
  if (typeof reconciliationId !== "string") return undefined;
  const match = new RegExp(`^${escapeRegExp(receiptId)}_v(\\d+)$`).exec(reconciliationId);
  return match ? Number(match[1]) : undefined;
}

/**
 * The chain of versions that replaced this report, from the evidence: used only when it starts
 * at the report's `superseded_by` (it follows that pointer as stored now).
 */
function successorChain(ctx: Context): NonNullable<ReportEvidence["successors"]> {
  const chain = ctx.evidence.successors ?? [];
  return chain.length > 0 && chain[0]!.reconciliation_id === ctx.report.superseded_by ? chain : [];
}

/**
 * Whether `by` (a `superseded_by`) names a version of this report's own receipt, whose anchor
 * must then be in this receipt's chain. The successor's own receipt id when the evidence holds
 * it; an exact match of the id either way, so an id that reads as this receipt's version is
 * never taken for another receipt's.
 */
function isOwnReceiptVersion(ctx: Context, by: string): boolean {
  const receiptId = String(ctx.report.terminal_receipt_id);
  const successor = successorChain(ctx)[0];
  return (successor !== undefined && successor.terminal_receipt_id === receiptId) || versionOfReceipt(by, receiptId) !== undefined;
}

// ------------------------------------------------------------------ section checks

const checkIntegrityHash: SectionCheck = (ctx) => {
  const hash = attempt(ctx, "integrity_hash", () => integrityHash(ctx.report, ctx.evidence.salts));
  if (hash !== undefined) ctx.check("integrity_hash", ctx.report.integrity_hash, hash);
  if (Array.isArray(ctx.report.corrections)) {
    ctx.skip(
      "corrections: who changed the entries behind this version and when, bound by the integrity hash only (the entries may have changed since)",
      UNCHECKED.corrections,
    );
  }
  if (ctx.scheme === REPORT_HASH_V1) {
    ctx.skip("hash scheme v1 (a report written before typed hashing): a Date and its ISO string hash alike in it", UNCHECKED.oldHashScheme);
  }
};

function anchorEvent(ctx: Context): ChainedAuditEvent | undefined {
  const subject = `reconciliations/${ctx.evidence.reconciliation_id}`;
  return ctx.evidence.audit_events.find((e) => e.action === "reconciliation_completed" && e.subject === subject);
}

const checkAuditAnchor: SectionCheck = (ctx) => {
  const events = ctx.evidence.audit_events;
  const anchor = anchorEvent(ctx);
  if (!anchor) {
    ctx.fail("audit_anchor.event", `no reconciliation_completed event for ${ctx.evidence.reconciliation_id} in the receipt's audit chain`);
    return;
  }
  const details = record(anchor.details);
  if (typeof details.integrity_hash === "string") {
    ctx.check("audit_anchor.integrity_hash", ctx.report.integrity_hash, details.integrity_hash);
  } else if (ctx.scheme === REPORT_HASH_V1) {
    // Events written before the anchor existed; a v2 report's event always holds its hash.
    ctx.skip(
      "audit_anchor.integrity_hash: the reconcile event of a v1 report predates recording the hash (its inputs digest is anchored)",
      UNCHECKED.oldAnchor,
    );
  } else {
    ctx.fail("audit_anchor.integrity_hash", "the anchoring audit event records no integrity hash");
  }
  ctx.check("audit_anchor.inputs_digest", ctx.report.inputs_digest, details.inputs_digest);
  ctx.check("audit_anchor.version", ctx.report.version, details.version);
  ctx.check("audit_anchor.supersedes", ctx.report.supersedes ?? null, details.supersedes ?? null);
  if (ctx.report.supersedes_receipt !== undefined) {
    // What it replaces, by id: the reason, its author and time (a corrected ticket's) are bound by the anchored integrity hash.
    const replaced = ctx.report.supersedes_receipt as { terminal_receipt_id?: unknown; reconciliation_id?: unknown } | null;
    ctx.check(
      "audit_anchor.supersedes_receipt",
      replaced === null ? null : { terminal_receipt_id: replaced.terminal_receipt_id, reconciliation_id: replaced.reconciliation_id },
      details.supersedes_receipt ?? null,
    );
  }
  const stream = anchor.stream;
  const last = events[events.length - 1]!;
  const problem = verifyChain(stream, events, ctx.evidence.chain_head ?? { seq: last.seq, hash: last.hash });
  ctx.checks.push({
    check: "audit_chain",
    ok: problem === null,
    ...(problem
      ? { note: problem.message }
      : { note: `${events.length} events of ${stream} link up to the head (the anchor is event ${anchor.seq})` }),
  });
  // The footer's "Audit anchor" prints the anchor's id, which no hash covers: it must be the key its action and subject make.
  const ids = events.map((e) => e.id);
  const derived = events.map(
    (e) =>
      (legacyReceiptNotifyIds(e).includes(e.id) ? e.id : expectedReceiptEventId(e)) ??
      `(no ${e.action} event is written to a receipt's stream)`,
  );
  ctx.check(
    "audit_events.id",
    ids,
    derived,
    "each event's id is made of its action and subject (reconcile_{version}, release_{version}, ...)",
  );
  if (ctx.evidence.from_bundle) {
    ctx.skip(
      `the chain head of ${stream} (seq ${last.seq}, hash ${last.hash}): the bundle's own; the release and the status come from events after the anchor, so confirm the head with the operator, not the anchor alone`,
      UNCHECKED.chainHead,
    );
  }
};

/** `status`/`superseded_by` are outside the hash: the chain says whether a later version superseded this one. */
const checkLifecycle: SectionCheck = (ctx) => {
  const id = ctx.evidence.reconciliation_id;
  const successor = ctx.evidence.audit_events.find((e) => e.action === "reconciliation_completed" && record(e.details).supersedes === id);
  const successorId = successor ? successor.subject.replace(/^reconciliations\//, "") : undefined;
  const by = ctx.report.superseded_by;
  // A version of another receipt replacing this one records it in this receipt's chain too
  // (reconciliation_superseded); reports replaced before that event existed have none.
  const replacement = ctx.evidence.audit_events.find(
    (e) => e.action === "reconciliation_superseded" && e.subject === `reconciliations/${id}`,
  );
  if (!successorId && replacement) {
    const replacedBy = record(replacement.details).superseded_by;
    ctx.check("status", ctx.report.status, "superseded");
    ctx.check(
      "superseded_by",
      by ?? null,
      typeof replacedBy === "string" ? replacedBy : null,
      `event ${replacement.seq} of ${replacement.stream}`,
    );
    // Where the evidence holds the replacing report (the live verifier), it must name this version too.
    const successor = successorChain(ctx)[0];
    if (successor?.replaces !== undefined) {
      ctx.check("superseded_by", successor.replaces, id, `${String(by)} names the version of another receipt it replaced`);
    }
    checkDayHolders(ctx, false);
    return;
  }
  if (!successorId && typeof by === "string" && !isOwnReceiptVersion(ctx, by)) {
    // A receipt that supersedes this one's receipt: its anchor is in that receipt's chain, and
    // its report names the version it replaced.
    ctx.check("status", ctx.report.status, "superseded");
    const successor = successorChain(ctx)[0];
    if (ctx.evidence.superseded_by_missing === true && !ctx.evidence.from_bundle) {
      ctx.fail("superseded_by", `${by} names no reconciliation the JV's database holds`);
    } else if (record(anchorEvent(ctx)?.details).replacement_recorded === true) {
      // Made when a replacement by another receipt was recorded in this chain: none is.
      ctx.fail(
        "superseded_by",
        `${by}: a version of another receipt replacing this one appends reconciliation_superseded to this receipt's chain, and the chain holds none`,
      );
    } else if (successor?.replaces !== undefined && !ctx.evidence.from_bundle) {
      ctx.check("superseded_by", successor.replaces, id, `${by} names the version of another receipt it replaced`);
    } else {
      // A bundle's successors are copies it does not seal: whoever edits superseded_by writes them too.
      ctx.skip(
        `superseded_by ${by}: a reconciliation of another receipt, anchored in that receipt's audit chain${successor ? " (this bundle's copy of it proves nothing)" : ""}`,
        UNCHECKED.replacedElsewhere,
      );
    }
    checkDayHolders(ctx, false);
    return;
  }
  ctx.check("status", ctx.report.status, successorId ? "superseded" : "completed");
  ctx.check("superseded_by", ctx.report.superseded_by ?? null, successorId ?? null);
  const current = !successorId && (by === undefined || by === null);
  checkDayHolders(ctx, current);
  if (current && ctx.evidence.from_bundle) {
    // Only closed_days shows it, and a bundle holds no day records.
    ctx.skip(
      `status "completed" (that ${id} is still the current version): a version made on a corrected terminal ticket replaces it from another receipt and appends reconciliation_superseded to this receipt's chain, so the chain head to confirm with the operator shows it; a replacement recorded before that event existed shows only in the JV's closed days: run the live verifier (verifyReconciliation) to rule it out`,
      UNCHECKED.stillCurrentOffline,
    );
  }
};

/** Marks a later change writes on the report, outside the hash and in no audit event. */
const checkStaleMarks: SectionCheck = (ctx) => {
  const where = ctx.evidence.from_bundle
    ? "the values in this bundle, or their absence, prove nothing: the current ones are in the JV's database, so ask the operator"
    : "they are read as the JV's database holds them now";
  ctx.skip(
    `stale, stale_since, stale_changes, stale_entry_ids, stale_resolved_at and close_check_pending (whether entries behind this version changed during or after its close, and whether its check after the monthly close is still pending): outside the integrity hash and recorded in no audit event, so nothing can check them; ${where}`,
    ctx.evidence.from_bundle ? UNCHECKED.staleOffline : UNCHECKED.staleLive,
  );
};

/**
 * Who holds the report's days now (the live verifier reads closed_days): a current report holds
 * every day it closed, a superseded one none (the version that replaced it took them over, or
 * they were reopened). A day held otherwise gives away lifecycle fields changed by hand: a
 * replaced report made to look current again, or a current one made to look replaced.
 */
function checkDayHolders(ctx: Context, current: boolean): void {
  const holders = ctx.evidence.day_holders;
  if (!holders) {
    ctx.skip("closed_days: which reconciliation holds each day (read from closed_days by the live verifier)", UNCHECKED.closedDays);
    return;
  }
  const id = ctx.evidence.reconciliation_id;
  const days = Array.isArray(ctx.report.closed_days) ? (ctx.report.closed_days as unknown[]).map(String) : [];
  const wrong = current ? days.filter((d) => holders[d] !== id) : days.filter((d) => holders[d] === id);
  ctx.check(
    "closed_days.held_by",
    wrong.map((d) => `${d}: ${holders[d] ?? "no record"}`),
    [],
    current ? "every day a current report closed names it in closed_days" : "no day names a superseded report in closed_days",
  );
}

const checkReceipt: SectionCheck = (ctx) => {
  const receipt = ctx.evidence.receipt;
  if (!receipt) {
    ctx.fail("receipt", `terminal receipt ${String(ctx.report.terminal_receipt_id)} is missing`);
    return;
  }
  const now = receiptFields(receipt);
  const used = receiptFields(record(ctx.report.terminal_inputs));
  for (const key of Object.keys(now) as Array<keyof ReceiptMeasuredFields>) {
    ctx.check(`receipt.${key}`, used[key], now[key], "the report's terminal_inputs against the receipt document as it is now");
  }
  ctx.check("period_start", ctx.report.period_start, receipt.period_start);
  ctx.check("period_end", ctx.report.period_end, receipt.period_end);
  if (ctx.report.terminal_name !== undefined) {
    const name = typeof receipt.terminal_name === "string" ? receipt.terminal_name : null;
    ctx.check(
      "receipt.terminal_name",
      ctx.report.terminal_name,
      name,
      "the report's terminal_name against the receipt document as it is now",
    );
  } else {
    ctx.skip(
      "receipt.terminal_name: the report predates recording the terminal's name; a statement prints the receipt's as it is now",
      UNCHECKED.terminalName,
    );
  }
};

const checkTerminal: SectionCheck = (ctx) => {
  const stored = record(ctx.report.terminal);
  const measured = attempt(ctx, "terminal", () => measureFields(receiptFields(record(ctx.report.terminal_inputs))));
  if (!measured) return;
  const recomputed: Record<string, number> = {
    gross_volume_bbl: measured.grossVolumeBbl,
    api60: measured.api60,
    ctl: measured.ctl,
    cpl: measured.cpl,
    ctpl: measured.ctpl,
    csw: measured.csw,
    meter_factor: measured.meterFactor,
    gsv_bbl: measured.gsvBbl,
    nsv_bbl: measured.nsvBbl,
  };
  for (const [field, value] of Object.entries(recomputed)) ctx.check(`terminal.${field}`, stored[field], value);
  const extra = Object.keys(stored).filter((k) => !(k in recomputed));
  if (extra.length > 0) ctx.fail("terminal", `fields no measurement produces: ${extra.join(", ")}`);
};

/** Reports of the monthly close: manifest rows and exclusions in entry-id order, exclusions beside the report. */
const isCloseReport = (report: Record<string, unknown>) => report.content_digest !== undefined;

/** Stored allocation lines with their index; zero lines (an active partner without used entries) apart. */
function storedLines(report: Record<string, unknown>): {
  lines: Array<{ index: number; line: Record<string, unknown> }>;
  zero: Array<{ index: number; line: Record<string, unknown> }>;
} {
  const all = Array.isArray(report.allocations) ? (report.allocations as unknown[]) : [];
  const lines: Array<{ index: number; line: Record<string, unknown> }> = [];
  const zero: Array<{ index: number; line: Record<string, unknown> }> = [];
  all.forEach((a, index) => {
    if (isSealedRow(a)) return;
    const line = record(a);
    (line.entries === 0 ? zero : lines).push({ index, line });
  });
  return { lines, zero };
}

function usableRows(ctx: Context): Array<InputRow | MeasuredInputRow> | undefined {
  if (!ctx.evidence.rows) ctx.fail("manifest", ctx.evidence.rows_problem ?? "the manifest rows could not be read");
  return ctx.evidence.rows;
}

const checkManifest: SectionCheck = (ctx) => {
  const rows = usableRows(ctx);
  if (!rows) return;
  if (ctx.partnerId === undefined) ctx.check("manifest.rows", record(ctx.report.manifest).rows, rows.length);
  else {
    const strangers = rows.filter((r) => r.partner_id !== ctx.partnerId).map((r) => r.entry_id);
    ctx.check("manifest.partner", strangers, [], `every row belongs to ${ctx.partnerId}`);
  }
  if (isCloseReport(ctx.report)) {
    const outOfOrder = rows.findIndex((r, i) => i > 0 && !(rows[i - 1]!.entry_id < r.entry_id));
    ctx.check(
      "manifest.order",
      outOfOrder < 0 ? null : rows[outOfOrder]!.entry_id,
      null,
      "rows in entry-id order, as the inputs digest runs over them",
    );
  }
  const seen = new Set<string>();
  const duplicates = rows.filter((r) => (seen.has(r.entry_id) ? true : (seen.add(r.entry_id), false))).map((r) => r.entry_id);
  ctx.check("manifest.unique_entries", duplicates, []);

  const legacy = rows.filter((r) => !isMeasuredRow(r)).length;
  if (legacy > 0) {
    ctx.skip(`entry NSVs of ${legacy} manifest rows: written before rows carried their measured inputs`, UNCHECKED.oldEntries(legacy));
  }
  const wrong: Array<{ entry_id: string; stored: unknown; recomputed: unknown }> = [];
  let derived = 0;
  for (const row of rows) {
    if (!isMeasuredRow(row)) continue;
    derived += 1;
    let nsv: unknown;
    try {
      nsv = measureFields(row).nsvBbl;
    } catch (error) {
      nsv = `unmeasurable: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (nsv !== row.nsv_bbl) wrong.push({ entry_id: row.entry_id, stored: row.nsv_bbl, recomputed: nsv });
  }
  ctx.checks.push({
    check: "manifest.entry_nsv",
    ok: wrong.length === 0,
    note:
      wrong.length === 0
        ? `${derived} entry NSVs re-derived from their measured inputs`
        : `${wrong.length} of ${derived} entry NSVs differ`,
    ...(wrong.length > 0
      ? {
          stored: wrong.slice(0, 20).map((w) => ({ entry_id: w.entry_id, nsv_bbl: w.stored })),
          recomputed: wrong.slice(0, 20).map((w) => ({ entry_id: w.entry_id, nsv_bbl: w.recomputed })),
        }
      : {}),
  });

  if (ctx.partnerId !== undefined) {
    ctx.skip("inputs_digest: it runs over every partner's rows, and this bundle holds only the partner's own", UNCHECKED.othersSealed);
    return;
  }
  const digest = attempt(ctx, "inputs_digest", () => {
    const d = new InputsDigest(inputsDigestVersion(ctx.scheme));
    for (const row of rows) d.addRow(row);
    return d.setReceipt(receiptFields(record(ctx.report.terminal_inputs))).digest();
  });
  if (digest !== undefined) ctx.check("inputs_digest", ctx.report.inputs_digest, digest);
};

/**
 * Per-partner sums of the rows, in cent-barrels. Gross volumes need the measured inputs:
 * for rows without them (v1 manifests) the stored gross stands in, `grossKnown` says so.
 */
function aggregate(
  rows: Array<InputRow | MeasuredInputRow>,
  stored: Map<string, { partner_name: string; gross_bbl: number }>,
): PartnerAggregate[] & { grossKnown?: boolean } {
  const byPartner = new Map<string, PartnerAggregate>();
  let grossKnown = true;
  for (const row of rows) {
    let total = byPartner.get(row.partner_id);
    if (!total) {
      total = {
        partner_id: row.partner_id,
        partner_name: stored.get(row.partner_id)?.partner_name ?? row.partner_id,
        entries: 0,
        gross_cb: 0,
        nsv_cb: 0,
      };
      byPartner.set(row.partner_id, total);
    }
    total.entries += 1;
    if (isMeasuredRow(row)) total.gross_cb += bblToCb(measureFields(row).grossVolumeBbl);
    else grossKnown = false;
    total.nsv_cb += bblToCb(row.nsv_bbl);
  }
  if (!grossKnown) for (const total of byPartner.values()) total.gross_cb = bblToCb(stored.get(total.partner_id)?.gross_bbl ?? 0);
  const sorted: PartnerAggregate[] & { grossKnown?: boolean } = [...byPartner.values()].sort((a, b) =>
    a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0,
  );
  sorted.grossKnown = grossKnown;
  return sorted;
}

export const ALLOCATION_FIELDS = [
  "partner_id",
  "partner_name",
  "entries",
  "gross_bbl",
  "nsv_bbl",
  "share_percent",
  "allocated_bbl",
  "shrinkage_bbl",
] as const;
export const TOTAL_FIELDS = [
  "entries_used",
  "entries_excluded",
  "field_gross_bbl",
  "field_nsv_bbl",
  "terminal_nsv_bbl",
  "shrinkage_bbl",
  "shrinkage_percent",
] as const;

const checkFiguresJv: SectionCheck = (ctx) => {
  const rows = ctx.evidence.rows;
  if (!rows) return;
  const { lines, zero } = storedLines(ctx.report);
  const storedAllocations = lines.map((l) => l.line);
  const storedTotals = record(ctx.report.totals);
  const stored = new Map(
    storedAllocations.map((a) => [String(a.partner_id), { partner_name: String(a.partner_name), gross_bbl: Number(a.gross_bbl) }]),
  );
  checkZeroLines(ctx, zero);
  const all = Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as Array<Record<string, unknown>>) : [];
  const ids = all.map((a) => String(a.partner_id));
  ctx.check(
    "allocations.order",
    ids,
    [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    "lines in partner_id order",
  );
  const partners = attempt(ctx, "allocations", () => aggregate(rows, stored));
  if (partners === undefined) return;
  const grossKnown = partners.grossKnown !== false;
  if (!grossKnown)
    ctx.skip("gross volumes (gross_bbl, totals.field_gross_bbl): manifest rows without measured inputs", UNCHECKED.grossVolumes);
  const excluded = Array.isArray(ctx.report.excluded)
    ? (ctx.report.excluded as Array<{ entry_id: string; partner_id: string; reason: string }>)
    : [];
  const figures = attempt(ctx, "allocations", () =>
    buildReconciliationReport({
      terminal: terminalMeasurement(ctx),
      partners,
      entries_used: rows.length,
      entries_excluded: Math.max(Number(storedTotals.entries_excluded) || 0, excluded.length),
      excluded,
    }),
  );
  if (!figures) return;
  ctx.check(
    "allocations.partners",
    storedAllocations.map((a) => a.partner_id),
    figures.allocations.map((a) => a.partner_id),
    "one line per partner with used entries, in partner_id order (zero lines apart)",
  );
  // Lines are matched by partner: a check names the stored line it recomputed.
  const byPartner = new Map(lines.map((l) => [String(l.line.partner_id), l]));
  const recomputedIds = new Set(figures.allocations.map((a) => a.partner_id));
  figures.allocations.forEach((row, i) => {
    const match = byPartner.get(row.partner_id);
    const stored = match?.line ?? {};
    const at = match?.index ?? all.length + i;
    for (const field of ALLOCATION_FIELDS) {
      if (field === "partner_name") continue; // from the partners collection: covered by the hash and its anchor
      if (field === "gross_bbl" && !grossKnown) continue;
      ctx.check(`allocations[${at}].${field}`, stored[field], row[field]);
    }
  });
  for (const { index, line } of lines) {
    if (recomputedIds.has(String(line.partner_id))) continue;
    // Entries counted for a partner the manifest has no row of: its id or its count is wrong.
    const note = `the line counts ${String(line.entries)} entries of ${String(line.partner_id)}; the manifest has none`;
    ctx.fail(`allocations[${index}].partner_id`, note);
    ctx.fail(`allocations[${index}].entries`, note);
  }
  for (const field of TOTAL_FIELDS) {
    if (field === "entries_excluded") continue; // checkExclusions
    if (field === "field_gross_bbl" && !grossKnown) continue;
    ctx.check(`totals.${field}`, storedTotals[field], figures.totals[field]);
  }
};

/** A zero line holds zeros only, says why, and belongs to a partner that was active. */
function checkZeroLines(ctx: Context, zero: Array<{ index: number; line: Record<string, unknown> }>): void {
  for (const { index, line } of zero) {
    for (const field of ["gross_bbl", "nsv_bbl", "share_percent", "allocated_bbl", "shrinkage_bbl"] as const) {
      ctx.check(`allocations[${index}].${field}`, line[field], 0, "a zero line (no used entries)");
    }
    ctx.check(`allocations[${index}].partner_active`, line.partner_active, true, "zero lines are written for active partners only");
    ctx.check(`allocations[${index}].reason`, line.reason, NO_PRODUCTION_REASON);
  }
  if (zero.length > 0) {
    ctx.skip(
      "which partners were active when the report was made (zero lines and partner_active): the partners collection changes; bound by the integrity hash and its anchor",
      UNCHECKED.activePartners,
    );
  }
}

function terminalMeasurement(ctx: Context): {
  gross_volume_bbl: number;
  api60: number;
  ctl: number;
  cpl: number;
  csw: number;
  nsv_bbl: number;
} {
  const m = measureFields(receiptFields(record(ctx.report.terminal_inputs)));
  return { gross_volume_bbl: m.grossVolumeBbl, api60: m.api60, ctl: m.ctl, cpl: m.cpl, csw: m.csw, nsv_bbl: m.nsvBbl };
}

/** A partner's bundle: its own row from its entries; the shared totals from the terminal and each other. */
const checkFiguresPartner: SectionCheck = (ctx) => {
  const rows = ctx.evidence.rows;
  const partnerId = ctx.partnerId!;
  const storedAllocations = Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [];
  const index = storedAllocations.findIndex((a) => !isSealedRow(a) && record(a).partner_id === partnerId);
  checkZeroLines(ctx, storedLines(ctx.report).zero);
  const clear = storedAllocations.filter((a) => !isSealedRow(a));
  // A partner with used entries has its line in the clear (sealed, its figures would go unchecked),
  // and so has one whose change from the version compared with leaves it a line: the bundle's
  // holder, who has the partner's salt, could otherwise seal the line and drop its entries.
  const hasEntries = (rows ?? []).some((r) => r.partner_id === partnerId);
  const ownChange = (
    Array.isArray(record(ctx.report.changes_from_previous).partners) ? (record(ctx.report.changes_from_previous).partners as unknown[]) : []
  )
    .filter((r) => !isSealedRow(r))
    .map(record)
    .find((r) => r.partner_id === partnerId);
  const lineAfter = ownChange !== undefined && (Number(ownChange.allocated_bbl_after) !== 0 || Number(ownChange.nsv_bbl_after) !== 0);
  ctx.check(
    "allocations.partners",
    clear.map((a) => record(a).partner_id),
    index >= 0 || hasEntries || lineAfter ? [partnerId] : [],
    `only ${partnerId}'s row is in the clear, and it is when the manifest has its entries or its change leaves it a line`,
  );
  // A statement is issued only for a partner the report speaks of: a line, a carried adjustment, or
  // a change from the version compared with (a partner dropped since). The holder of a partner's
  // bundle knows its salt and could seal its own rows: its line, net position, entries and
  // exclusions are required in the clear; a sealed own row elsewhere cannot be told apart.
  const clearOwn = (rows: unknown) =>
    (Array.isArray(rows) ? (rows as unknown[]) : []).some((r) => !isSealedRow(r) && record(r).partner_id === partnerId);
  const spoken = index >= 0 || clearOwn(ctx.report.net_positions) || clearOwn(record(ctx.report.changes_from_previous).partners);
  ctx.check(
    "partner.line",
    spoken,
    true,
    `${partnerId}'s line, or without one its net position of carried adjustments or its change from the version compared with, is in the clear`,
  );
  ctx.skip(
    `that none of ${partnerId}'s rows in changes_from_previous and corrections is sealed: whoever holds this bundle holds ${partnerId}'s salt`,
    UNCHECKED.ownRowsOpen,
  );
  const totals = record(ctx.report.totals);
  const terminal = attempt(ctx, "totals.terminal_nsv_bbl", () => terminalMeasurement(ctx));
  if (!terminal) return;
  const terminalCb = bblToCb(terminal.nsv_bbl);
  ctx.check("totals.terminal_nsv_bbl", totals.terminal_nsv_bbl, terminal.nsv_bbl);
  const fieldCb = attempt(ctx, "totals.field_nsv_bbl", () => bblToCb(Number(totals.field_nsv_bbl)));
  if (fieldCb === undefined) return;
  const shrinkage = attempt(ctx, "totals.shrinkage_bbl", () => totalShrinkage(fieldCb, terminalCb));
  if (shrinkage) {
    ctx.check("totals.shrinkage_bbl", totals.shrinkage_bbl, cbToBbl(shrinkage.shrinkage_cb));
    ctx.check("totals.shrinkage_percent", totals.shrinkage_percent, shrinkage.shrinkage_percent);
  }
  ctx.skip(
    "other partners' NSVs, gross volumes and entry counts (totals.field_nsv_bbl, field_gross_bbl, entries_used): their rows are sealed; " +
      "their sum is checked to be what the totals leave after this partner, and the sealed rows are bound by the integrity hash and its anchor",
    UNCHECKED.othersRows,
  );
  if (index < 0 || !rows) return;
  const own = record(storedAllocations[index]);
  const aggregates = attempt(ctx, `allocations[${index}]`, () => aggregate(rows, new Map()));
  if (!aggregates) return;
  if (aggregates.grossKnown === false)
    ctx.fail(`allocations[${index}].gross_bbl`, "a partner bundle's rows must carry their measured inputs");
  const mine = aggregates[0] ?? { entries: 0, gross_cb: 0, nsv_cb: 0 };
  ctx.check(`allocations[${index}].entries`, own.entries, mine.entries);
  ctx.check(`allocations[${index}].gross_bbl`, own.gross_bbl, cbToBbl(mine.gross_cb));
  ctx.check(`allocations[${index}].nsv_bbl`, own.nsv_bbl, cbToBbl(mine.nsv_cb));
  const share = attempt(ctx, `allocations[${index}].share_percent`, () => sharePercent(mine.nsv_cb, fieldCb));
  if (share !== undefined) ctx.check(`allocations[${index}].share_percent`, own.share_percent, share);
  // Pro rata with largest remainders: floor(T x own / field) or one cent-barrel more.
  const floorCb = fieldCb === 0 ? 0 : Number((BigInt(terminalCb) * BigInt(mine.nsv_cb)) / BigInt(fieldCb));
  const allocatedCb = attempt(ctx, `allocations[${index}].allocated_bbl`, () => bblToCb(Number(own.allocated_bbl)));
  if (allocatedCb !== undefined) {
    ctx.checks.push({
      check: `allocations[${index}].allocated_bbl`,
      ok: allocatedCb === floorCb || allocatedCb === floorCb + 1,
      stored: own.allocated_bbl,
      recomputed: [cbToBbl(floorCb), cbToBbl(floorCb + 1)],
      note: "within a cent-barrel of the exact pro-rata share (which partner gets the leftover cent-barrels needs every partner's NSV)",
    });
    ctx.check(`allocations[${index}].shrinkage_bbl`, own.shrinkage_bbl, cbToBbl(mine.nsv_cb - allocatedCb));
  }
  const othersCb = fieldCb - mine.nsv_cb;
  ctx.checks.push({
    check: "totals.others_nsv_bbl",
    // Sealed zero lines (active partners without production) look like any other sealed row.
    ok: othersCb >= 0 && (othersCb === 0 || storedAllocations.length > 1),
    recomputed: cbToBbl(othersCb),
    note: `field NSV less this partner's: what the ${storedAllocations.length - 1} sealed partner row(s) hold together`,
  });
  const othersEntries = Number(totals.entries_used) - mine.entries;
  ctx.checks.push({ check: "totals.others_entries", ok: othersEntries >= (othersCb > 0 ? 1 : 0), recomputed: othersEntries });
};

type Exclusion = { entry_id: string; partner_id: string; reason: string };

const checkExclusions: SectionCheck = (ctx) => {
  const excluded = Array.isArray(ctx.report.excluded) ? (ctx.report.excluded as unknown[]) : [];
  const count = Number(record(ctx.report.totals).entries_excluded);
  const clear = excluded.filter((e) => !isSealedRow(e)).map(record);
  if (ctx.partnerId !== undefined) {
    const strangers = clear.filter((e) => e.partner_id !== ctx.partnerId).map((e) => e.entry_id);
    ctx.check("excluded.partner", strangers, [], `only ${ctx.partnerId}'s excluded entries are in the clear`);
    if (ctx.evidence.exclusions) {
      ctx.check(
        "exclusions.partner",
        ctx.evidence.exclusions.filter((e) => e.partner_id !== ctx.partnerId).map((e) => e.entry_id),
        [],
        `every excluded entry this bundle lists is ${ctx.partnerId}'s`,
      );
    }
  }
  const used = new Set((ctx.evidence.rows ?? []).map((r) => r.entry_id));
  const full = ctx.partnerId === undefined ? ctx.evidence.exclusions : undefined;
  if (full) {
    checkExclusionChunks(ctx, full, excluded, count, used);
    return;
  }
  if (ctx.evidence.exclusions_problem) ctx.fail("exclusions", ctx.evidence.exclusions_problem);
  else if (ctx.report.exclusions !== undefined && ctx.partnerId === undefined) {
    ctx.skip(
      "the exclusion chunks beside the report: this evidence does not hold them (the preview and count are checked)",
      UNCHECKED.exclusionList,
    );
  }
  // The list is cut only at MAX_EXCLUDED_LISTED: below that it is the whole count.
  const complete = excluded.length < MAX_EXCLUDED_LISTED;
  ctx.checks.push({
    check: "totals.entries_excluded",
    ok: Number.isSafeInteger(count) && (complete ? count === excluded.length : count >= excluded.length),
    stored: count,
    recomputed: excluded.length,
    note: complete ? "the excluded entries listed" : `at least the ${MAX_EXCLUDED_LISTED} excluded entries listed`,
  });
  ctx.check(
    "excluded.not_used",
    clear.filter((e) => used.has(String(e.entry_id))).map((e) => e.entry_id),
    [],
    "no excluded entry is also a manifest row",
  );
  if (ctx.partnerId !== undefined) {
    ctx.skip("exclusions_digest: it runs over every partner's excluded entries", UNCHECKED.othersSealed);
    return;
  }
  if (excluded.length < count) {
    ctx.skip(
      `exclusions_digest: ${count} entries excluded but only ${excluded.length} listed in the report`,
      UNCHECKED.exclusionListCut(count, excluded.length),
    );
    return;
  }
  ctx.check("exclusions_digest", ctx.report.exclusions_digest, exclusionsDigest(clear as Exclusion[]));
};

/** The full exclusion list (the chunks beside the report): count, order, preview, digest. */
function checkExclusionChunks(
  ctx: Context,
  full: readonly Exclusion[],
  preview: unknown[],
  count: number,
  used: ReadonlySet<string>,
): void {
  const info = record(ctx.report.exclusions);
  ctx.check("exclusions.rows", info.rows, full.length, "rows in the exclusion chunks");
  ctx.check("totals.entries_excluded", count, full.length, "the exclusion chunks' rows");
  const outOfOrder = full.findIndex((r, i) => i > 0 && !(full[i - 1]!.entry_id < r.entry_id));
  ctx.check("exclusions.order", outOfOrder < 0 ? null : full[outOfOrder]!.entry_id, null, "unique entry ids in entry-id order");
  ctx.check(
    "excluded",
    preview,
    full.slice(0, MAX_EXCLUDED_LISTED),
    `the report's preview is the first ${MAX_EXCLUDED_LISTED} rows of the chunks`,
  );
  ctx.check(
    "excluded.not_used",
    full.filter((e) => used.has(e.entry_id)).map((e) => e.entry_id),
    [],
    "no excluded entry is also a manifest row",
  );
  const digest = attempt(ctx, "exclusions_digest", () => exclusionsDigest(full));
  if (digest !== undefined) ctx.check("exclusions_digest", ctx.report.exclusions_digest, digest);
}

/**
 * Against the version this one supersedes, or, on a receipt's first version replacing another
 * receipt's, that receipt's version (reports made before those changes were recorded hold none).
 */
const checkChanges: SectionCheck = (ctx) => {
  const stored = ctx.report.changes_from_previous;
  const replacedVersion = (ctx.report.supersedes_receipt as { reconciliation_id?: unknown } | null | undefined)?.reconciliation_id;
  // `changes_against` (bound by the hash) names the last settled version when the partners are not on the one followed.
  const against =
    ctx.report.changes_against !== undefined
      ? ctx.report.changes_against
      : (ctx.report.supersedes ?? (stored === null || stored === undefined ? undefined : replacedVersion));
  if (against === null || against === undefined) {
    ctx.check("changes_from_previous", stored ?? null, null, "a first version changes nothing");
    return;
  }
  if (ctx.evidence.previous_missing === true && !ctx.evidence.from_bundle) {
    ctx.fail(
      "changes_from_previous",
      `${String(against)}, the version its changes are measured against, names no reconciliation the JV's database holds`,
    );
    return;
  }
  if (ctx.partnerId !== undefined || !ctx.evidence.previous) {
    ctx.skip(
      `changes_from_previous: needs the figures of ${String(against)}, which this evidence does not hold`,
      UNCHECKED.previousVersion,
    );
    return;
  }
  const prev = ctx.evidence.previous;
  const recomputed = attempt(ctx, "changes_from_previous", () =>
    changesFromPrevious(prev.allocations, ctx.report.allocations as ReportAllocation[], prev.totals, ctx.report.totals as ReportTotals),
  );
  if (recomputed) ctx.check("changes_from_previous", stored, recomputed);
  if (ctx.evidence.from_bundle) {
    ctx.skip(`changes_from_previous against ${String(against)}: the bundle's copy of its figures`, UNCHECKED.bundledPrevious);
  }
};

/**
 * Where a carried adjustment may have moved once this report was replaced: only a superseded
 * report's can. A later version of its own receipt (matched exactly), the report's
 * `superseded_by` (a version of the receipt that replaced this one's), or a version further
 * along the chain of successors the evidence holds. A current report's adjustment is carried
 * in the report itself, nowhere else.
 */
function laterCarrier(ctx: Context): (carriedIn: string) => boolean {
  if (ctx.report.status !== "superseded") return () => false;
  const receiptId = String(ctx.report.terminal_receipt_id);
  const version = Number(ctx.report.version);
  const by = ctx.report.superseded_by;
  const chain = new Set(successorChain(ctx).map((s) => s.reconciliation_id));
  return (carriedIn) => {
    const own = versionOfReceipt(carriedIn, receiptId);
    return (own !== undefined && own > version) || (typeof by === "string" && carriedIn === by) || chain.has(carriedIn);
  };
}

/**
 * Each carried adjustment against its document (approved, carried here, same partner,
 * delta and origin), then each partner's net position: allocation plus adjustments.
 */
const checkPriorPeriodAdjustments: SectionCheck = (ctx) => {
  const stored = ctx.report.prior_period_adjustments;
  if (stored !== undefined && !Array.isArray(stored)) {
    ctx.fail("prior_period_adjustments", "must be a list of carried adjustments", stored);
    return;
  }
  // Reconcile writes both fields or (before they existed) neither: net positions without the
  // list are recomputed as carrying nothing, so they cannot move barrels between partners.
  const carried = (stored ?? []) as unknown[];
  checkCarriedOnce(ctx, carried);
  if (stored === undefined && ctx.report.net_positions === undefined) return;
  const clear = carried.filter((a) => !isSealedRow(a)).map(record);
  if (ctx.partnerId !== undefined) {
    const strangers = clear.filter((a) => a.partner_id !== ctx.partnerId).map((a) => a.id);
    ctx.check("prior_period_adjustments.partner", strangers, [], `only ${ctx.partnerId}'s adjustments are in the clear`);
    checkOwnNetPosition(ctx, clear as unknown as CarriedAdjustment[]);
    ctx.skip(
      "prior_period_adjustments against their documents: the adjustment documents are not in a partner's bundle; bound by the integrity hash and its anchor",
      UNCHECKED.adjustmentRecords,
    );
    return;
  }
  const docs = ctx.evidence.adjustments;
  if (carried.length > 0 && docs === undefined) {
    ctx.skip("prior_period_adjustments against their documents: this evidence does not hold them", UNCHECKED.adjustmentRecords);
  } else if (docs) {
    const origins = ctx.evidence.adjustment_origins;
    if (clear.length > 0 && !origins) {
      ctx.skip(
        "prior_period_adjustments against the versions that raised them: this evidence does not hold them",
        UNCHECKED.adjustmentOrigins,
      );
    } else if (clear.length > 0 && ctx.evidence.from_bundle) {
      // A bundle's copies of those versions are sealed by nothing it holds.
      ctx.skip(
        "prior_period_adjustments against the versions that raised them: the bundle's copies of them",
        UNCHECKED.bundledAdjustmentOrigins,
      );
    }
    const approvals = ctx.evidence.adjustment_approvals;
    if (clear.length > 0 && approvals && ctx.evidence.from_bundle) {
      ctx.skip(
        "prior_period_adjustments: the approvals were checked against the bundle's copies of their decision events, which it does not seal",
        UNCHECKED.bundledAdjustmentApprovals,
      );
    }
    if (clear.length > 0) {
      ctx.skip(
        approvals
          ? "prior_period_adjustments: each approval's event in the prior_period_adjustments audit chain is checked on its own, not its place in the chain"
          : "prior_period_adjustments: decided_by, decided_at and note (the approval a statement prints) against the decisions' audit events: this evidence does not hold them",
        approvals ? UNCHECKED.adjustmentApprovalChain : UNCHECKED.adjustmentApprovals,
      );
    }
    if (clear.length > 0 && approvals && !ctx.evidence.adjustment_decisions) {
      ctx.skip(
        "prior_period_adjustments: whether a decision was logged on an adjustment after its approval: this evidence does not hold them",
        UNCHECKED.laterAdjustmentDecisions,
      );
    }
    const carriedLater = laterCarrier(ctx);
    clear.forEach((line, i) => {
      const doc = docs[String(line.id)];
      if (!doc) {
        ctx.fail(`prior_period_adjustments[${i}]`, `adjustment ${String(line.id)} does not exist`);
        return;
      }
      ctx.check(`prior_period_adjustments[${i}].status`, doc.status, "approved");
      if (approvals) {
        const id = String(line.id);
        const fault = approvalFault({ ...line, id } as CarriedLine, doc, approvals[id] ?? null, ctx.evidence.adjustment_decisions?.[id]);
        if (fault) ctx.fail(`prior_period_adjustments[${i}].approval`, fault, id);
        else ctx.check(`prior_period_adjustments[${i}].approval`, id, id, "as the decision's audit event logged it");
      }
      for (const field of ["partner_id", "delta_bbl", "from_reconciliation_id"] as const) {
        ctx.check(`prior_period_adjustments[${i}].${field}`, line[field], doc[field]);
      }
      // The document agreeing is not enough: it must be what the version it names raised.
      if (origins) {
        const from = String(line.from_reconciliation_id);
        const fault = adjustmentOriginFault(
          { id: String(line.id), partner_id: line.partner_id, delta_bbl: line.delta_bbl, from_reconciliation_id: from },
          origins[from],
        );
        const origin = origins[from];
        if (fault) ctx.fail(`prior_period_adjustments[${i}].origin`, `not what ${from} raised: ${fault.text}`, line.delta_bbl);
        else if (origin && raisedUnrecorded(origin)) {
          ctx.skip(`prior_period_adjustments[${i}].origin: ${from} did not record its changes`, UNCHECKED.unrecordedAdjustmentOrigin);
        } else ctx.check(`prior_period_adjustments[${i}].origin`, line.delta_bbl, line.delta_bbl, `as ${from} raised it`);
      }
      // A version that replaced this one carries it again (and moves carried_in to itself).
      const carriedIn = String(doc.carried_in ?? "");
      ctx.checks.push({
        check: `prior_period_adjustments[${i}].carried_in`,
        ok: carriedIn === ctx.evidence.reconciliation_id || carriedLater(carriedIn),
        stored: ctx.evidence.reconciliation_id,
        recomputed: doc.carried_in ?? null,
      });
    });
  }
  if (ctx.report.net_positions !== undefined) {
    const lines = (Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [])
      .filter((a) => !isSealedRow(a))
      .map(record);
    const net = attempt(ctx, "net_positions", () =>
      netPositions(
        lines.map((l) => ({ partner_id: String(l.partner_id), allocated_bbl: Number(l.allocated_bbl) })),
        clear as unknown as CarriedAdjustment[],
      ),
    );
    if (net) ctx.check("net_positions", ctx.report.net_positions, net);
  }
};

const SEALED_LINE = "(sealed)";

/**
 * Each adjustment carried once, and the ones the anchoring event records as carried
 * (`adjustments_carried`, in the order reconcile carried them) where it records them. A line of
 * another partner's is sealed in a partner's bundle: with one salt per partner, the same line
 * sealed twice gives the same leaf hash, so a repeat shows sealed too.
 */
function checkCarriedOnce(ctx: Context, carried: readonly unknown[]): void {
  if (carried.length > 0) {
    const keys = carried.map((a) => (isSealedRow(a) ? `sealed ${String(record(a).sealed)}` : String(record(a).id)));
    const repeated = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
    ctx.check("prior_period_adjustments.unique_ids", repeated, [], "each adjustment carried once");
  }
  const anchored = record(anchorEvent(ctx)?.details).adjustments_carried;
  if (!Array.isArray(anchored)) return;
  ctx.check(
    "audit_anchor.adjustments_carried",
    carried.map((a) => (isSealedRow(a) ? SEALED_LINE : record(a).id)),
    (anchored as unknown[]).map((id, i) => (i < carried.length && isSealedRow(carried[i]) ? SEALED_LINE : id)),
    "the ids carried as the anchoring event records them (another partner's sealed, by position)",
  );
}

/** A partner's bundle: its own net position, from its own line and carried adjustments, all of them in the clear. */
function checkOwnNetPosition(ctx: Context, carriedClear: readonly CarriedAdjustment[]): void {
  if (ctx.report.net_positions === undefined) return;
  const scope = ctx.partnerId!;
  const own = <T>(rows: unknown): T[] =>
    (Array.isArray(rows) ? (rows as unknown[]) : [])
      .filter((r) => !isSealedRow(r))
      .map(record)
      .filter((r) => r.partner_id === scope) as T[];
  const lines = own<Record<string, unknown>>(ctx.report.allocations).map((l) => ({
    partner_id: scope,
    allocated_bbl: Number(l.allocated_bbl),
  }));
  const recomputed = attempt(ctx, "net_positions.partner", () =>
    netPositions(
      lines,
      carriedClear.filter((a) => a.partner_id === scope),
    ),
  );
  if (recomputed) {
    ctx.check(
      "net_positions.partner",
      own(ctx.report.net_positions),
      recomputed,
      `${scope}'s net position from its line and carried adjustments, each in the clear`,
    );
  }
}

/** The LUAF band: the report's shrinkage against the tolerance of the settings it was made under. */
const checkLuaf: SectionCheck = (ctx) => {
  if (ctx.report.luaf === undefined) return;
  const { acknowledgement, ...band } = record(ctx.report.luaf);
  const tolerance = record(ctx.report.settings).luaf_tolerance_percent;
  const recomputed = attempt(ctx, "luaf", () => luafStatus(Number(record(ctx.report.totals).shrinkage_percent), Number(tolerance)));
  if (recomputed) {
    ctx.check("luaf", band, recomputed, "shrinkage against settings.luaf_tolerance_percent");
    // Outside the band a coordinator acknowledged it with a note; inside, nobody had to.
    ctx.check("luaf.acknowledgement", acknowledgement !== null && acknowledgement !== undefined, !recomputed.within_band);
  }
  if (ctx.report.context_digest !== undefined) {
    ctx.skip(
      "context_digest: it runs over the partners collection as it was at reconcile time (names, active flags); bound by the integrity hash and its anchor",
      UNCHECKED.partnerNames,
    );
  }
};

/** The digest that decides "unchanged" re-runs, over what the report shows (period-close.ts). */
const checkContentDigest: SectionCheck = (ctx) => {
  if (ctx.report.content_digest === undefined) return;
  if (ctx.partnerId !== undefined) {
    ctx.skip("content_digest: it runs over every partner's lines, sealed in this bundle", UNCHECKED.othersSealed);
    return;
  }
  const digest = attempt(ctx, "content_digest", () => contentDigest(reportContent(ctx.report)));
  if (digest !== undefined) ctx.check("content_digest", ctx.report.content_digest, digest);
};

const checkPeriod: SectionCheck = (ctx) => {
  const start = ctx.report.period_start;
  const end = ctx.report.period_end;
  if (!(start instanceof Date) || !(end instanceof Date)) {
    ctx.fail("closed_days", "period_start and period_end must be dates");
    return;
  }
  // Contract days under the settings the report was made with; UTC calendar days before settings existed.
  const settings = record(ctx.report.settings);
  const days = attempt(ctx, "closed_days", () =>
    ctx.report.settings === undefined
      ? periodDays(start, end)
      : periodContractDays(start, end, settings as unknown as Parameters<typeof periodContractDays>[2]),
  );
  if (days) ctx.check("closed_days", ctx.report.closed_days, days);
  ctx.check("method", ctx.report.method, ALLOCATION_METHOD);
};

/**
 * Each partner's own manifest rows and exclusions against the report's `partner_inputs`
 * digests, which the integrity hash binds: in a partner's bundle, where the inputs and
 * exclusions digests over everyone's rows cannot be recomputed, this is what shows that its own
 * entries and exclusions are the reconciled ones (not renamed, moved or dropped).
 */
const checkPartnerInputs: SectionCheck = (ctx) => {
  const stored = ctx.report.partner_inputs;
  if (stored === undefined) {
    if (ctx.partnerId === undefined) {
      ctx.skip("partner_inputs: the report predates per-partner digests of its rows and exclusions", UNCHECKED.oldPartnerDigests);
    } else {
      ctx.skip(
        "partner_inputs: the report predates per-partner digests, so this bundle's own entries are checked by their sums only and its own exclusions not at all",
        UNCHECKED.oldOwnDigests,
      );
    }
    return;
  }
  if (!Array.isArray(stored)) {
    ctx.fail("partner_inputs", "must be a list of per-partner digests", stored);
    return;
  }
  const scope = ctx.partnerId;
  const clear = stored.filter((r) => !isSealedRow(r)).map(record);
  if (scope !== undefined) {
    const strangers = clear.map((r) => r.partner_id).filter((p) => p !== scope);
    ctx.check("partner_inputs.partner", strangers, [], `only ${scope}'s digests are in the clear`);
  }
  const rows = ctx.evidence.rows;
  if (!rows || !rows.every(isMeasuredRow)) {
    ctx.skip("partner_inputs: this evidence does not hold the manifest rows with their measured inputs", UNCHECKED.partnerDigestInputs);
    return;
  }
  const exclusions = ctx.evidence.exclusions;
  const own = <T extends { partner_id: string }>(list: readonly T[]) =>
    scope === undefined ? list : list.filter((x) => x.partner_id === scope);
  const storedOwn = scope === undefined ? clear : clear.filter((r) => r.partner_id === scope);
  if (scope !== undefined && !exclusions && storedOwn.some((r) => Number(r.excluded) > 0)) {
    ctx.fail("partner_inputs.exclusions", `the report states excluded entries of ${scope}, and this bundle holds none of its exclusions`);
  }
  // The partners the report digests: those with an allocation line (in a bundle, its own when in the clear).
  const lined = new Set(
    (Array.isArray(ctx.report.allocations) ? (ctx.report.allocations as unknown[]) : [])
      .filter((a) => !isSealedRow(a))
      .map((a) => String(record(a).partner_id)),
  );
  const recomputed = partnerInputs(own(rows as MeasuredInputRow[]), exclusions ? own(exclusions) : [], lined);
  // Without the exclusion chunks, the rows' digests only (a partner with exclusions alone then has nothing to compare).
  const compared = (list: ReadonlyArray<Record<string, unknown>>) =>
    list
      .filter((r) => exclusions !== undefined || Number(r.entries) > 0)
      .map((r) =>
        exclusions !== undefined
          ? {
              partner_id: r.partner_id,
              entries: r.entries,
              rows_digest: r.rows_digest,
              excluded: r.excluded,
              exclusions_digest: r.exclusions_digest,
            }
          : { partner_id: r.partner_id, entries: r.entries, rows_digest: r.rows_digest },
      );
  ctx.check(
    "partner_inputs",
    compared(storedOwn),
    compared(recomputed as unknown as Array<Record<string, unknown>>),
    scope === undefined
      ? "every partner's rows and exclusions digested as the report states them"
      : `${scope}'s own entries${exclusions ? " and exclusions" : ""} digested as the report states them`,
  );
  if (!exclusions) {
    ctx.skip(
      "partner_inputs: the exclusions' digests (this evidence does not hold the exclusion chunks)",
      UNCHECKED.partnerDigestExclusions,
    );
  }
};

/**
 * The release to the partners is outside the hash; the audit chain holds it. A version released
 * by someone has its `reconciliation_released` event with that actor and note; one waiting for
 * approval has none; one released as it was made (no approval required) names nobody.
 */
const checkRelease: SectionCheck = (ctx) => {
  const subject = `reconciliations/${ctx.evidence.reconciliation_id}`;
  const event = ctx.evidence.audit_events.find((e) => e.action === "reconciliation_released" && e.subject === subject);
  // What the JV's settings required when the version was made, as its anchoring event records it.
  const details = record(anchorEvent(ctx)?.details);
  const anchored = typeof details.release_required === "boolean" ? details.release_required : undefined;
  const r = ctx.report;
  if (r.released === undefined && event === undefined && anchored === undefined) {
    ctx.skip("release: the report predates recorded releases (it was released as it was made)", UNCHECKED.oldRelease);
    return;
  }
  if (anchored !== undefined) ctx.check("release.required", r.release_required ?? null, anchored, "as the anchoring event records it");
  const stored = {
    released: r.released ?? null,
    released_by: r.released_by ?? null,
    released_at: r.released_at ?? null,
    release_note: r.release_note ?? null,
  };
  if (event) {
    // Released by someone: the audit event says who, when and why.
    const expected = { released: true, released_by: event.actor, released_at: event.at, release_note: record(event.details).note ?? null };
    ctx.check("release", stored, expected, `released by ${event.actor} (audit event ${event.id})`);
    ctx.check("release.four_eyes", event.actor !== r.created_by, true, `released by someone other than its maker ${String(r.created_by)}`);
    return;
  }
  if (r.release_required !== true) {
    ctx.check(
      "release",
      stored,
      { released: true, released_by: null, released_at: r.created_at ?? null, release_note: null },
      "released as it was made",
    );
    return;
  }
  ctx.check(
    "release",
    stored,
    { released: false, released_by: null, released_at: null, release_note: null },
    r.status === "superseded"
      ? "replaced before its release: never released to the partners"
      : "waiting for approval: not released to partners",
  );
};

/** The section checks, in the order they are reported. */
export const SECTION_CHECKS: ReadonlyArray<{ section: string; run: SectionCheck; scope: "jv" | "partner" | "both" }> = [
  { section: "integrity hash", run: checkIntegrityHash, scope: "both" },
  { section: "audit anchor and chain", run: checkAuditAnchor, scope: "both" },
  { section: "lifecycle", run: checkLifecycle, scope: "both" },
  { section: "stale marks", run: checkStaleMarks, scope: "both" },
  { section: "release to the partners", run: checkRelease, scope: "both" },
  { section: "terminal receipt", run: checkReceipt, scope: "both" },
  { section: "terminal measurement", run: checkTerminal, scope: "both" },
  { section: "manifest", run: checkManifest, scope: "both" },
  { section: "allocations and totals", run: checkFiguresJv, scope: "jv" },
  { section: "own allocation and shared totals", run: checkFiguresPartner, scope: "partner" },
  { section: "exclusions", run: checkExclusions, scope: "both" },
  { section: "each partner's own inputs", run: checkPartnerInputs, scope: "both" },
  { section: "changes from the previous version", run: checkChanges, scope: "both" },
  { section: "prior-period adjustments", run: checkPriorPeriodAdjustments, scope: "both" },
  { section: "LUAF band", run: checkLuaf, scope: "both" },
  { section: "content digest", run: checkContentDigest, scope: "both" },
  { section: "period", run: checkPeriod, scope: "both" },
];

/** Runs every section check on the evidence. */
export function verifyReportEvidence(evidence: ReportEvidence): VerificationReport {
  const checks: VerificationCheck[] = [];
  const notChecked: string[] = [];
  const inWords: string[] = [];
  const ctx: Context = {
    evidence,
    report: evidence.report,
    partnerId: evidence.partner_id,
    scheme: hashSchemeOf(evidence.report),
    checks,
    skip(detail, words) {
      notChecked.push(detail);
      inWords.push(words);
    },
    check(name, stored, recomputed, note) {
      checks.push({ check: name, ok: sameValue(stored, recomputed), stored, recomputed, ...(note ? { note } : {}) });
    },
    fail(name, note, stored) {
      checks.push({ check: name, ok: false, note, ...(stored === undefined ? {} : { stored }) });
    },
  };
  const scope = evidence.partner_id === undefined ? "jv" : "partner";
  for (const section of SECTION_CHECKS) {
    if (section.scope === "both" || section.scope === scope) section.run(ctx);
  }
  const anchor = anchorEvent(ctx);
  // The last event of the chain, as the chain-head note names it: a head stored behind it is not the head.
  const last = evidence.audit_events[evidence.audit_events.length - 1];
  return {
    reconciliation_id: evidence.reconciliation_id,
    scope: evidence.partner_id === undefined ? "jv" : `partner:${evidence.partner_id}`,
    hash_scheme: ctx.scheme,
    ok: checks.every((c) => c.ok),
    checks,
    not_checked: notChecked,
    not_checked_in_words: uniqueTexts(inWords),
    out_of_band: {
      integrity_hash: typeof evidence.report.integrity_hash === "string" ? evidence.report.integrity_hash : null,
      anchor: anchor ? { event_id: anchor.id, stream: anchor.stream, seq: anchor.seq, hash: anchor.hash } : null,
      chain_head: last ? { stream: anchor?.stream ?? last.stream, seq: last.seq, hash: last.hash } : null,
    },
  };
}
