// A verifiable report of hash scheme v2 and its evidence, for the verifier's tests (unit and CLI).
import { auditEventHash, GENESIS_HASH, type ChainedAuditEvent } from "../../src/domain/audit-chain";
import { ALLOCATION_METHOD } from "../../src/domain/allocation";
import { bblToCb } from "../../src/domain/cent-barrels";
import { measureFields } from "../../src/domain/measured-fields";
import { buildReconciliationReport } from "../../src/domain/reconciliation-report";
import { exclusionsDigest, InputsDigest, integrityHash, partnerInputs, REPORT_HASH_V2, sha256Hex } from "../../src/domain/report-hash";
import { type ReportEvidence } from "../../src/domain/report-verification";
import { statementBundle } from "../../src/domain/statement-bundle";
import { periodDays } from "../../src/domain/terminal-receipt";

/** The bundle the exporter makes of `evidence`: with its stream's head as stored (here, the last event's). */
export function bundleOf(evidence: ReportEvidence): Record<string, unknown> {
  const last = evidence.audit_events[evidence.audit_events.length - 1];
  return statementBundle(last && !evidence.chain_head ? { ...evidence, chain_head: { seq: last.seq, hash: last.hash } } : evidence);
}

/**
 * A report of hash scheme v2 (measured manifest rows, leaf key, anchor holding the hash), three
 * partners; with `excluded`, one excluded entry of a's beside it; `lines` adds fields to a partner's line.
 */
export function v2Evidence(options: { excluded?: boolean; lines?: Record<string, Record<string, unknown>> } = {}): ReportEvidence {
  const excludedRows = options.excluded ? [{ entry_id: "x1", partner_id: "a", reason: "audit rejected: BS&W above the limit" }] : [];
  const receipt = { gross_volume_bbl: 2990, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30, pressure_psig: 0, meter_factor: 1 };
  const measured = (entry_id: string, partner_id: string, gross: number) => {
    const fields = { gross_volume_bbl: gross, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30, pressure_psig: 0, meter_factor: 1 };
    return { entry_id, partner_id, nsv_bbl: measureFields(fields).nsvBbl, ...fields };
  };
  const rows = [measured("e1", "a", 1000), measured("e2", "a", 10), measured("e3", "b", 1000), measured("e4", "c", 1000)];
  const t = measureFields(receipt);
  const partners = ["a", "b", "c"].map((p) => {
    const own = rows.filter((r) => r.partner_id === p);
    return {
      partner_id: p,
      partner_name: p.toUpperCase(),
      entries: own.length,
      gross_cb: own.reduce((s, r) => s + bblToCb(measureFields(r).grossVolumeBbl), 0),
      nsv_cb: own.reduce((s, r) => s + bblToCb(r.nsv_bbl), 0),
    };
  });
  const figures = buildReconciliationReport({
    terminal: { gross_volume_bbl: t.grossVolumeBbl, api60: t.api60, ctl: t.ctl, cpl: t.cpl, csw: t.csw, nsv_bbl: t.nsvBbl },
    partners,
    entries_used: rows.length,
    entries_excluded: excludedRows.length,
    excluded: excludedRows,
  });
  const digest = new InputsDigest(2);
  for (const r of rows) digest.addRow(r);
  const start = new Date("2026-01-01T00:00:00Z");
  const end = new Date("2026-01-03T00:00:00Z");
  const body: Record<string, unknown> = {
    hash_scheme: REPORT_HASH_V2,
    leaf_key: "k".repeat(32),
    terminal_receipt_id: "r",
    version: 1,
    status: "completed",
    supersedes: null,
    period_start: start,
    period_end: end,
    standard: "API MPMS Ch. 11.1",
    method: ALLOCATION_METHOD,
    terminal: { ...figures.terminal, ctpl: t.ctpl, meter_factor: t.meterFactor, gsv_bbl: t.gsvBbl },
    terminal_inputs: receipt,
    totals: figures.totals,
    allocations: figures.allocations.map((a) => ({ ...a, ...options.lines?.[a.partner_id] })),
    excluded: excludedRows,
    inputs_digest: digest.setReceipt(receipt).digest(),
    exclusions_digest: excludedRows.length > 0 ? exclusionsDigest(excludedRows) : sha256Hex(""),
    manifest: { prefix: "p", chunks: 1, rows: rows.length },
    ...(excludedRows.length > 0 ? { exclusions: { prefix: "x", chunks: 1, rows: excludedRows.length } } : {}),
    partner_inputs: partnerInputs(rows, excludedRows, new Set(["a", "b", "c"])),
    closed_days: periodDays(start, end),
    changes_from_previous: null,
    created_by: "u",
    created_at: end,
  };
  const report: Record<string, unknown> = { ...body, integrity_hash: integrityHash(body) };
  const content = {
    seq: 1,
    at: end,
    stream: "receipt_r",
    actor: "u",
    action: "reconciliation_completed",
    subject: "reconciliations/r_v1",
    details: { version: 1, supersedes: null, inputs_digest: report.inputs_digest, integrity_hash: report.integrity_hash },
    prev_hash: GENESIS_HASH,
  };
  const event: ChainedAuditEvent = { ...content, id: "reconcile_r_v1", hash: auditEventHash(content) };
  return {
    reconciliation_id: "r_v1",
    report,
    rows,
    ...(excludedRows.length > 0 ? { exclusions: excludedRows } : {}),
    receipt: { ...receipt, period_start: start, period_end: end },
    audit_events: [event],
  };
}
