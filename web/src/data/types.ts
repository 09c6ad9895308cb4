/** The Firestore document shapes the app reads (shared/design/data-model.md and the README's data model). */
import type { Timestamp } from "firebase/firestore";

export type Verdict = "validated" | "flagged" | "rejected";

export interface AuditReason {
  code: string;
  field: string;
  severity: "critical" | "warning" | "info";
  message: string;
}

export interface MetricStat {
  value: number | null;
  median: number | null;
  mad: number | null;
  scale: number | null;
  basis?: string;
  z: number | null;
}

export interface Audit {
  status: Verdict;
  reasons?: AuditReason[];
  explanation?: {
    text?: string;
    source?: "gemini" | "rules";
    model?: string;
    gemini_error?: string;
    likely_causes?: string[];
    checks_to_make?: string[];
  };
  stats?: {
    n?: number;
    /** Whose accepted entries: the meter's, or the partner's (also when absent: audits before rules 2025.3). */
    scope?: "meter" | "partner";
    window?: number;
    min_history?: number;
    enough_history?: boolean;
    z_threshold?: number;
    metrics?: Record<string, MetricStat>;
  } & Record<string, unknown>;
  nsv?: { api60?: number; ctl?: number; cpl?: number; ctpl?: number; csw?: number; gsv_bbl?: number; nsv_bbl?: number };
  input_hash?: string;
  /** The statistics' figures as audited (gross, BS&W, temperature, API); absent on audits before they were kept. */
  figures?: Record<string, number | null>;
  rules_version?: string;
  checked_at?: Timestamp;
  /** Flagged and no review of these figures yet: the review queue's field. */
  awaiting_review?: boolean;
  history_eligible?: boolean;
}

export interface Review {
  decision: "approved" | "rejected";
  by?: string;
  by_role?: string;
  at?: Timestamp;
  note?: string;
  revision?: number;
  /** The audit (its input hash) the decision was about: a later audit of other figures leaves it behind. */
  input_hash?: string;
  /** The review this one replaced on the same figures (null for a first decision; absent on reviews made before it was kept). */
  previous?: { decision?: "approved" | "rejected" | null; by?: string | null; at?: Timestamp | null; note?: string | null; revision?: number | null } | null;
}

export interface ProductionEntry {
  partner_id: string;
  measured_at: Timestamp;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number | null;
  meter_factor?: number | null;
  meter_id?: string | null;
  note?: string | null;
  correction_note?: string;
  /** A coordinator's or admin's correction or late entry: who (uid) and when (the server's time). */
  corrected_by?: string;
  corrected_at?: Timestamp;
  created_by: string;
  created_at?: Timestamp;
  audit?: Audit;
  review?: Review;
}

export interface TerminalReceipt {
  period_start: Timestamp;
  period_end: Timestamp;
  terminal_name?: string;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
  latest_reconciliation_id?: string;
  /** A corrected ticket: the receipt it replaces, and why. */
  supersedes_receipt_id?: string | null;
  correction_note?: string;
  created_by?: string;
  /** Never reconciled, and replaced by a receipt that was (written by that receipt's first version): done. */
  replaced_by_receipt_id?: string;
  replaced_by_reconciliation_id?: string;
  /** Withdrawn as entered by mistake (withdrawReceipt): never reconciled. */
  withdrawn?: boolean;
  withdrawn_by?: string;
  withdrawn_at?: Timestamp;
  withdrawal_note?: string;
}

export interface AllocationRow {
  partner_id: string;
  partner_name: string;
  entries: number;
  gross_bbl: number;
  nsv_bbl: number;
  share_percent: number;
  allocated_bbl: number;
  shrinkage_bbl: number;
  /** The partner's active flag when the report was made (monthly-close reports). */
  partner_active?: boolean;
  /** Why a line is zero: the report's reason, or the statement's for a partner without a line. */
  reason?: string;
  /** On the line of a partner that has left the JV since the period began: the day it left (statementRows adds it to a zero line's reason too). */
  left_jv_on?: string;
}

export interface Reconciliation {
  terminal_receipt_id: string;
  version: number;
  status: "completed" | "superseded" | string;
  supersedes?: string;
  superseded_by?: string;
  /** The receipt (and its version) this report's receipt replaced, when it named one. */
  /** A corrected ticket's report: the receipt it replaces, and why (who entered the new one, when, the note; absent on receipts entered before). */
  supersedes_receipt?: { terminal_receipt_id: string; reconciliation_id: string | null; note?: string; by?: string | null; at?: Timestamp | null } | null;
  /** What the changes are against when the partners are not settled on the version followed: the last version they are (null: none was released to them). */
  changes_against?: string | null;
  /** Why: that version was never released, or its restatement was rejected, or was undecided and is withdrawn. Absent before it was recorded: never released. */
  changes_against_reason?: "never released" | "restatement rejected" | "restatement replaced";
  /** On versions made before closes were recorded on their days: set by their closing commit until its check for entries changed during the close had run. */
  close_check_pending?: boolean;
  period_start: Timestamp;
  period_end: Timestamp;
  standard?: string;
  method?: string;
  terminal: { gross_volume_bbl: number; api60: number; ctl: number; cpl: number; csw: number; nsv_bbl: number; ctpl?: number; gsv_bbl?: number; meter_factor?: number };
  totals: {
    entries_used: number;
    entries_excluded: number;
    field_gross_bbl: number;
    field_nsv_bbl: number;
    terminal_nsv_bbl: number;
    shrinkage_bbl: number;
    shrinkage_percent: number;
  };
  allocations: AllocationRow[];
  excluded?: Array<{ entry_id: string; partner_id: string; reason: string }>;
  excluded_count?: number;
  inputs_digest?: string;
  integrity_hash?: string;
  changes_from_previous?: unknown;
  /** Approved adjustments of earlier periods this report carries beside its own allocation. */
  prior_period_adjustments?: CarriedAdjustment[];
  net_positions?: NetPosition[];
  /** The LUAF band when reconciled, and the coordinator's acknowledgement of a shrinkage outside it. */
  luaf?: { tolerance_percent: number; shrinkage_percent: number; within_band: boolean; acknowledgement: { by: string; role: string; note: string; at?: Timestamp } | null };
  /** Set when an entry of the period changed after this version was made (shared/stale-marks.ts). */
  stale?: boolean;
  stale_entry_ids?: string[];
  /** Why this version was made: the corrections its stale predecessor named, as they stood then. */
  corrections?: VersionCorrection[];
  stale_changes?: number;
  stale_since?: Timestamp | null;
  created_by?: string;
  created_at?: Timestamp;
  /** The JV settings the version was reconciled under (its contract day among them); absent on reports made before they were recorded. */
  settings?: { contract_day_start_hour?: number; utc_offset_minutes?: number } | null;
  /** Whether settings/jv required approval when the version was made. Absent on reports made before releases. */
  release_required?: boolean;
  /** Whether partners may read it; absent (older reports): released. */
  released?: boolean;
  /** Who released it (releaseReconciliation); null when released as it was made. */
  released_by?: string | null;
  released_at?: Timestamp | null;
  release_note?: string | null;
}

export interface AppNotification {
  recipient_uid: string;
  type: string;
  title?: string;
  body?: string;
  highlights?: string[];
  data?: Record<string, unknown>;
  summary_source?: "gemini" | "template";
  model?: string;
  read: boolean;
  created_at?: Timestamp;
}

export interface UserProfile {
  email?: string;
  display_name?: string;
  role?: string;
  partner_id?: string;
}

export interface VerificationReport {
  reconciliation_id: string;
  ok: boolean;
  checks: Array<{ check: string; ok: boolean; stored?: unknown; recomputed?: unknown }>;
  /** By field: shown to auditors under the checks. */
  not_checked?: string[];
  /** The same in words, for the statement's readers. */
  not_checked_in_words?: string[];
}

/** verifyAuditLog's answer: a run walked a segment per call, to the log's end (`complete`). */
export interface AuditLogReport {
  run_id: string;
  complete: boolean;
  /** Every chain walked to its end with no break; false until complete. */
  ok: boolean;
  streams: number;
  events: number;
  /** The first breaks found (at most 100); `problems_count` counts them all. */
  problems: Array<{ kind: string; stream: string; seq: number; event_id?: string; message: string }>;
  problems_count: number;
  started_at: string;
  finished_at: string | null;
}

export interface CarriedAdjustment {
  id: string;
  partner_id: string;
  delta_bbl: number;
  from_reconciliation_id: string;
}

export interface NetPosition {
  partner_id: string;
  allocated_bbl: number;
  adjustments_bbl: number;
  net_bbl: number;
}

/** prior_period_adjustments/{id}: written by reconcile (a new version of a closed period), decided by decideAdjustment. */
export interface PriorPeriodAdjustment {
  from_reconciliation_id: string;
  previous_reconciliation_id?: string | null;
  terminal_receipt_id: string;
  period_start?: Timestamp;
  period_end?: Timestamp;
  partner_id: string;
  delta_bbl: number;
  entry_ids?: string[];
  /** Withdrawn: a later version of the period was made before it was decided, and its adjustments replace this one. */
  status: "pending" | "approved" | "rejected" | "withdrawn";
  withdrawn_in?: string;
  decided_by?: string | null;
  decided_at?: Timestamp | null;
  note?: string | null;
  /** The adjustment whose decision decided this one with its restatement's set. */
  decided_with?: string | null;
  carried_in?: string | null;
  created_at?: Timestamp;
  /** False while the version that raised it awaits its release: partners do not see it, nobody decides it. */
  released?: boolean;
}

/** api_keys/{sha256}: a gateway key's record (never the key). */
export interface ApiKeyRecord {
  key_id: string;
  prefix: string;
  last_four: string;
  name: string;
  partner_id: string;
  meter_ids: string[] | null;
  created_at?: Timestamp;
  created_by?: string;
  expires_at?: Timestamp | null;
  revoked_at?: Timestamp | null;
  revoked_by?: string | null;
  last_used_at?: Timestamp | null;
}

/** An entry behind a new version: who changed it and when, relative to the version before (the note stays on the entry). */
export interface VersionCorrection {
  entry_id: string;
  partner_id: string;
  kind: "late entry" | "entered since, then corrected" | "new entry" | "correction" | "changed without a correction";
  by: string | null;
  at: Timestamp | null;
}

/**
 * statement_exceptions/{id}: a partner's written exception to a released statement version, and
 * the operator's answer (raiseStatementException, answerStatementException). A partner reads its own.
 */
export interface StatementException {
  reconciliation_id: string;
  terminal_receipt_id: string;
  version: number;
  integrity_hash: string | null;
  partner_id: string;
  text: string;
  status: "open" | "upheld" | "rejected";
  raised_by: string;
  raised_at: Timestamp;
  /** The last moment the partner could take exception to this version, as the JV's settings set it then. */
  window_ends_at: Timestamp;
  answer: { by: string; at: Timestamp; text: string } | null;
  /**
   * The later version recorded as correcting an upheld exception (recordExceptionCorrection): its
   * id, receipt and version, the partner's allocation on the version excepted to and on it, who
   * recorded it and when. Absent (or null) until one is recorded.
   */
  correction?: {
    reconciliation_id: string;
    terminal_receipt_id: string;
    version: number;
    allocated_bbl_before: number;
    allocated_bbl_after: number;
    by: string;
    at: Timestamp;
  } | null;
}
