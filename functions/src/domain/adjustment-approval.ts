import { auditEventHash, type ChainedAuditEvent } from "./audit-chain";

/** The audit stream every decision on a prior-period adjustment is logged in. */
export const ADJUSTMENT_DECISIONS_STREAM = "prior_period_adjustments";

/** A set is decided by one call on one of its members: one event, named after that member, lists the set. */
export const adjustmentDecisionEventId = (calledId: string, decision: "approved" | "rejected") => `adjustment_${calledId}_${decision}`;

const named = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * The event holding an adjustment's approval: the one its record names (`decision_event`), else,
 * for decisions made before records named it, the event of the member its set was decided by
 * (`decided_with`, else itself).
 */
export function approvalEventIdOf(adjustmentId: string, record: Record<string, unknown>): string {
  if (named(record.decision_event)) return record.decision_event;
  return adjustmentDecisionEventId(named(record.decided_with) ? record.decided_with : adjustmentId, "approved");
}

export interface CarriedLine {
  id: string;
  partner_id: unknown;
  delta_bbl: unknown;
  from_reconciliation_id: unknown;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === undefined ? null : value);

const DECISION_ACTIONS = new Set(["adjustment_approved", "adjustment_rejected"]);

/**
 * What a decision event logged of one adjustment (its partner and change), when the event decides
 * it: its set lists it, or, decided one by one before sets were decided whole, it is the event's subject.
 */
function memberOf(event: ChainedAuditEvent, adjustmentId: string): Record<string, unknown> | undefined {
  const details = typeof event.details === "object" && event.details !== null ? event.details : {};
  if (Array.isArray(details.set)) {
    return (details.set as unknown[]).find(
      (m): m is Record<string, unknown> =>
        m !== null && typeof m === "object" && (m as Record<string, unknown>).adjustment_id === adjustmentId,
    );
  }
  return event.subject === `prior_period_adjustments/${adjustmentId}`
    ? { partner_id: details.partner_id, delta_bbl: details.delta_bbl }
    : undefined;
}

/** Of a restatement's logged decisions, those deciding the adjustment. */
export function decisionsOn(adjustmentId: string, events: readonly ChainedAuditEvent[]): ChainedAuditEvent[] {
  return events.filter(
    (e) => e.stream === ADJUSTMENT_DECISIONS_STREAM && DECISION_ACTIONS.has(e.action) && memberOf(e, adjustmentId) !== undefined,
  );
}

/**
 * Why a carried adjustment's approval, as its record holds it (who, when, the note a statement
 * prints), is not the coordinator's decision in the audit log; null when it is. The event's own
 * hash is recomputed; its place in the chain is the audit log's verification. `decisions`: the
 * logged decisions on the adjustment (decisionsOn), when looked for: one logged after the
 * approval (a set put back to pending and decided again) is the decision that stands.
 */
export function approvalFault(
  line: CarriedLine,
  record: Record<string, unknown>,
  event: ChainedAuditEvent | null,
  decisions?: readonly ChainedAuditEvent[],
): string | null {
  const eventId = approvalEventIdOf(line.id, record);
  if (!event) return `no approval of it is in the audit log (no event ${eventId})`;
  if (!(event.at instanceof Date) || typeof event.details !== "object" || event.details === null) {
    return `its approval event ${eventId} is not an audit event (no time or details)`;
  }
  if (!hashes(event)) return `its approval event ${eventId} was changed after it was logged (its hash does not match)`;
  const details = event.details;
  const member = memberOf(event, line.id);
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
  if (differing.length > 0) {
    const said = differing.map(
      ([field, recorded, logged]) => `${field} ${JSON.stringify(recorded)} where the event says ${JSON.stringify(logged)}`,
    );
    return `its approval is not the decision event ${eventId} logged: ${said.join("; ")}`;
  }
  // A bundle's copies are unsealed: a list that is not one of events fails the check, never the verifier.
  const wellFormed = (d: unknown) => d !== null && typeof d === "object" && typeof (d as ChainedAuditEvent).seq === "number";
  if (decisions !== undefined && !(Array.isArray(decisions) && decisions.every(wellFormed))) {
    return `the decisions logged on it, as this evidence holds them, are not a list of audit events`;
  }
  const logged = decisions ?? [];
  const later = logged.filter((d) => d.id !== event.id && d.seq > event.seq);
  if (later.length === 0) return null;
  const last = later.reduce((a, b) => (b.seq > a.seq ? b : a));
  const decided = last.action === "adjustment_rejected" ? "rejected" : "approved again";
  return `a later decision on it is logged: ${decided} by ${last.actor} at ${String(iso(last.at))} (event ${last.id}, after the approval ${eventId} the record names)`;
}

function hashes(event: ChainedAuditEvent): boolean {
  try {
    return auditEventHash(event) === event.hash;
  } catch {
    return false;
  }
}

/**
 * The adjustment records whose approval is the logged decision (`approvals` by adjustment id, as
 * the evidence holds them): what a statement may print as who approved, when and why. Without
 * the events (evidence made before it held them), the records as they are.
 */
export function recordsWithLoggedApproval(
  carried: readonly CarriedLine[],
  records: Readonly<Record<string, Record<string, unknown>>>,
  approvals: Readonly<Record<string, ChainedAuditEvent | null>> | undefined,
  decisions?: Readonly<Record<string, ChainedAuditEvent[]>>,
): Record<string, Record<string, unknown>> {
  if (!approvals) return { ...records };
  const kept: Record<string, Record<string, unknown>> = {};
  for (const line of carried) {
    const record = records[line.id];
    if (record && approvalFault(line, record, approvals[line.id] ?? null, decisions?.[line.id]) === null) kept[line.id] = record;
  }
  return kept;
}

/** The carried adjustments a report lists in the clear, as the approval check reads them. */
export function carriedLines(report: Record<string, unknown>): CarriedLine[] {
  const listed = Array.isArray(report.prior_period_adjustments) ? (report.prior_period_adjustments as unknown[]) : [];
  return listed
    .filter(
      (a): a is Record<string, unknown> => a !== null && typeof a === "object" && typeof (a as Record<string, unknown>).id === "string",
    )
    .map((a) => ({
      id: a.id as string,
      partner_id: a.partner_id,
      delta_bbl: a.delta_bbl,
      from_reconciliation_id: a.from_reconciliation_id,
    }));
}
