// What every section check of a verification (report-verification.ts) runs with: the context it
// pushes its checks to, and the readings of the evidence that more than one section makes.

import { escapeRegExp } from "./regexp-text";
import { type ChainedAuditEvent } from "./audit-chain";
import { MEASURED_ROW_FIELDS, type InputRow, type MeasuredInputRow, type ReceiptMeasuredFields } from "./report-hash";
import { type ReportEvidence, type VerificationCheck } from "./report-evidence";

export interface Context {
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

export type SectionCheck = (ctx: Context) => void;

export const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export const isMeasuredRow = (row: InputRow | MeasuredInputRow): row is MeasuredInputRow =>
  MEASURED_ROW_FIELDS.every((f) => typeof (row as unknown as Record<string, unknown>)[f] === "number");

/** The receipt's measured fields as the engine reads them (missing pressure 0, meter factor 1). */
export function receiptFields(source: Record<string, unknown>): ReceiptMeasuredFields {
  return {
    gross_volume_bbl: source.gross_volume_bbl as number,
    bsw_percent: source.bsw_percent as number,
    temperature_degF: source.temperature_degF as number,
    api_gravity: source.api_gravity as number,
    pressure_psig: (source.pressure_psig as number | null | undefined) ?? 0,
    meter_factor: (source.meter_factor as number | null | undefined) ?? 1,
  };
}

export function attempt<T>(ctx: Context, name: string, compute: () => T): T | undefined {
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
export function successorChain(ctx: Context): NonNullable<ReportEvidence["successors"]> {
  const chain = ctx.evidence.successors ?? [];
  return chain.length > 0 && chain[0]!.reconciliation_id === ctx.report.superseded_by ? chain : [];
}

export function anchorEvent(ctx: Context): ChainedAuditEvent | undefined {
  const subject = `reconciliations/${ctx.evidence.reconciliation_id}`;
  return ctx.evidence.audit_events.find((e) => e.action === "reconciliation_completed" && e.subject === subject);
}
