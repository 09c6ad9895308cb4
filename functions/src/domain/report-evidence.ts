// What a verification of a stored reconciliation reads (its evidence) and what it returns: the
// named checks, what the evidence cannot show, and the values to compare out of band.

import { type ChainedAuditEvent } from "./audit-chain";
import { type ReportAllocation, type ReportTotals } from "./reconciliation-report";
import { type InputRow, type MeasuredInputRow } from "./report-hash";
import { type CorrectionNote } from "./version-corrections";

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
