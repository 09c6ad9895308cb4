/**
 * The callables the app uses, by name (the functions' region is in data/firebase.ts).
 */
import { httpsCallable } from "firebase/functions";
import { firebase } from "./firebase";
import type { JvSettings } from "../domain/jv-settings";
import type { AuditLogReport, VerificationReport } from "./types";

function callable<In, Out>(name: string, timeout = 70_000) {
  return async (input: In): Promise<Out> => (await httpsCallable<In, Out>(firebase().functions, name, { timeout })(input)).data;
}

export const reviewEntry = callable<{ entry_id: string; decision: "approved" | "rejected"; note: string; input_hash?: string }, { entry_id: string; decision: string }>("reviewEntry");

/** One decision, with one note, over up to 100 flagged entries (functions/src/agents/auditor/review-entries.ts). */
export const reviewEntries = callable<
  { entry_ids: string[]; decision: "approved" | "rejected"; note: string; input_hashes?: Record<string, string> },
  {
    decision: string;
    results: Array<{ entry_id: string; status: "decided" | "unchanged" | "refused"; code?: string; reason?: string }>;
    counts: { decided: number; unchanged: number; refused: number };
  }
>("reviewEntries", 120_000);

export const reconcile = callable<
  { terminal_receipt_id: string; acknowledge_luaf?: { note: string } },
  { reconciliation_id: string; version: number; unchanged?: boolean; released: boolean; stale?: true }
>("reconcile", 540_000);

/** Another coordinator or an admin (not the version's maker) releases a version to the partners, with what was checked. */
export const releaseReconciliation = callable<
  { reconciliation_id: string; note: string },
  { reconciliation_id: string; released: true; released_by: string; released_at: string; adjustments_released: number }
>("releaseReconciliation");

export const verifyReconciliation = callable<{ reconciliation_id: string }, VerificationReport>("verifyReconciliation", 300_000);

export const setUserRole = callable<({ uid: string } | { email: string }) & { role: string; partner_id?: string }, { uid: string; role: string; partner_id?: string }>("setUserRole");

export type StatementFormat = "pdf" | "csv" | "json";

export const exportStatement = callable<
  { reconciliation_id: string; format: StatementFormat; partner_id?: string },
  { filename: string; content_type: string; sha256: string; base64: string }
>("exportStatement", 300_000);

export const verifyAuditLog = callable<{ run_id?: string }, AuditLogReport>("verifyAuditLog", 300_000);

export const decideAdjustment = callable<
  { adjustment_id: string; decision: "approved" | "rejected"; note: string },
  {
    adjustment_id: string;
    status: "approved" | "rejected";
    partner_id: string;
    delta_bbl: number;
    from_reconciliation_id: string | null;
    set: Array<{ adjustment_id: string; partner_id: string; delta_bbl: number }>;
    set_total_bbl: number;
  }
>("decideAdjustment");

export interface CreatedApiKey {
  key_id: string;
  /** The clear key: returned this once, never stored. */
  key: string;
  prefix: string;
  partner_id: string;
  meter_ids: string[] | null;
  expires_at: string | null;
}

export const createApiKey = callable<{ partner_id: string; name: string; meter_ids?: string[]; expires_at?: string; request_id: string }, CreatedApiKey>("createApiKey");

export const revokeApiKey = callable<{ key_id: string }, { key_id: string; revoked_at: string; already_revoked: boolean }>("revokeApiKey");

export const withdrawReceipt = callable<{ terminal_receipt_id: string; note: string }, { terminal_receipt_id: string; withdrawn_by: string; withdrawn_at: string; note: string }>("withdrawReceipt");

export const setJvSettings = callable<Partial<JvSettings>, { settings: JvSettings; changed: string[] }>("setJvSettings");

/** A partner as setPartner keeps it (functions/src/domain/partner-membership.ts). */
export interface PartnerMembership {
  partner_id: string;
  name: string;
  active: boolean;
  /** The first contract day on which it is no longer a party; only while inactive. */
  left_jv_on: string | null;
}

/** Admins add, rename, deactivate, record the departure of, or reactivate a partner: fields not given keep their values. */
export const setPartner = callable<
  { partner_id: string; name?: string; active?: boolean; left_jv_on?: string | null; joined_jv_on?: string | null; new_partner?: true },
  { partner: PartnerMembership; changed: string[] }
>("setPartner");

/** A partner takes written exception to the released version it holds (the same text again: the same exception). */
export const raiseStatementException = callable<
  { reconciliation_id: string; text: string },
  { exception_id: string; reconciliation_id: string; partner_id: string; status: "open"; raised_at: string; window_ends_at: string }
>("raiseStatementException");

/** A coordinator or admin answers an open exception, once: upheld or rejected, saying why. */
export const answerStatementException = callable<
  { exception_id: string; outcome: "upheld" | "rejected"; answer: string },
  { exception_id: string; status: "upheld" | "rejected"; answered_by: string; answered_at: string }
>("answerStatementException");

/**
 * A coordinator or admin records the later, released version (of the exception's receipt, or of a
 * receipt replacing it) that corrects an upheld exception, once: the same version again returns the same.
 */
export const recordExceptionCorrection = callable<
  { exception_id: string; reconciliation_id: string },
  {
    exception_id: string;
    reconciliation_id: string;
    terminal_receipt_id: string;
    version: number;
    allocated_bbl_before: number;
    allocated_bbl_after: number;
    recorded_by: string;
    /** null only for a correction stored without its time (the callable writes none so). */
    recorded_at: string | null;
  }
>("recordExceptionCorrection");

/** Days without production per partner and meter: gaps, each none at all or only excluded entries (functions/src/domain/period-coverage.ts). */
export interface DayGaps {
  days_without_entries: string[];
  days_only_excluded: string[];
}
export interface PeriodCoverage {
  terminal_receipt_id: string;
  entries_read: number;
  days: string[];
  partners: Array<DayGaps & { partner_id: string; name: string; active: boolean; entries: number; used: number; meters: Array<DayGaps & { meter_id: string; entries: number }> }>;
  complete: boolean;
}

/** What a receipt's period lacks, per partner and meter, before it is reconciled (coordinators and admins). */
export const periodCoverage = callable<{ terminal_receipt_id: string }, PeriodCoverage>("periodCoverage", 300_000);
