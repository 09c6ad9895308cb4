import { auditEventHash, type ChainedAuditEvent } from "./audit-chain";

/** The audit stream every decision on a prior-period adjustment is logged in. */
export const ADJUSTMENT_DECISIONS_STREAM = "prior_period_adjustments";

/** A set is decided by one call on one of its members: one event, named after that member, lists the set. */
export const adjustmentDecisionEventId = (calledId: string, decision: "approved" | "rejected") => `adjustment_${calledId}_${decision}`;

/** The member of its set whose decision event holds an adjustment's approval (`decided_with`, else itself). */
export function approvalEventIdOf(adjustmentId: string, record: Record<string, unknown>): string {
  const called = typeof record.decided_with === "string" && record.decided_with !== "" ? record.decided_with : adjustmentId;
  return adjustmentDecisionEventId(called, "approved");
}

export interface CarriedLine {
  id: string;
  partner_id: unknown;
  delta_bbl: unknown;
  from_reconciliation_id: unknown;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === undefined ? null : value);

/**
 * Why a carried adjustment's approval, as its record holds it (who, when, the note a statement
 * prints), is not the coordinator's decision in the audit log; null when it is. The event's own
 * hash is recomputed; its place in the chain is the audit log's verification.
 */
export function approvalFault(line: CarriedLine, record: Record<string, unknown>, event: ChainedAuditEvent | null): string | null {
  const eventId = approvalEventIdOf(line.id, record);
  if (!event) return `no approval of it is in the audit log (no event ${eventId})`;
  if (!(event.at instanceof Date) || typeof event.details !== "object" || event.details === null) {
    return `its approval event ${eventId} is not an audit event (no time or details)`;
  }
  if (!hashes(event)) return `its approval event ${eventId} was changed after it was logged (its hash does not match)`;
  const details = event.details;
  const set = Array.isArray(details.set) ? (details.set as Array<Record<string, unknown>>) : [];
  const member = set.find((m) => m.adjustment_id === line.id);
  const differences: Array<[string, unknown, unknown]> = [
    ["stream", ADJUSTMENT_DECISIONS_STREAM, event.stream],
    ["action", "adjustment_approved", event.action],
    ["decided_by", record.decided_by ?? null, event.actor],
    ["decided_at", iso(record.decided_at), iso(event.at)],
    ["note", record.note ?? null, details.note ?? null],
    ["from_reconciliation_id", line.from_reconciliation_id ?? null, details.from_reconciliation_id ?? null],
    ["partner_id", line.partner_id, member?.partner_id ?? null],
    ["delta_bbl", line.delta_bbl, member?.delta_bbl ?? null],
  ];
  const differing = differences.filter(([, recorded, logged]) => recorded !== logged);
  if (differing.length === 0) return null;
  const said = differing.map(
    ([field, recorded, logged]) => `${field} ${JSON.stringify(recorded)} where the event says ${JSON.stringify(logged)}`,
  );
  return `its approval is not the decision event ${eventId} logged: ${said.join("; ")}`;
}

function hashes(event: ChainedAuditEvent): boolean {
  try {
    return auditEventHash(event) === event.hash;
  } catch {
    return false;
  }
}
