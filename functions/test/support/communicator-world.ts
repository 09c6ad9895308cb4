/**
 * Fixtures for the communicator's emulator tests: users, a reconciliation in the shape the
 * accountant writes, production entries in the shape the auditor leaves them, and agent
 * deps for calling the handlers directly. Every id is unique, so tests sharing an emulator
 * never meet.
 */
import { type DocumentSnapshot, Timestamp } from "firebase-admin/firestore";
import { RULES_VERSION } from "../../src/domain/audit-config";
import { contractDayOf, DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import { auditInputHash } from "../../src/domain/production-entry";
import type { AgentDeps } from "../../src/shared/agent-deps";
import type { Role } from "../../src/shared/collections";
import { createGeminiClient } from "../../src/shared/gemini";
import { adminAuth, adminDb, uniqueId, waitUntil } from "./emulator";
import { sampleReport } from "./sample-report";

export interface TestUser {
  uid: string;
  role: Role;
  partner_id?: string;
}

export async function seedUsers(users: readonly TestUser[]): Promise<void> {
  const batch = adminDb().batch();
  for (const u of users) {
    batch.set(adminDb().doc(`users/${u.uid}`), {
      email: `${u.uid}@example.test`,
      display_name: u.uid,
      role: u.role,
      ...(u.partner_id ? { partner_id: u.partner_id } : {}),
    });
  }
  await batch.commit();
}

export const user = (role: Role, partner_id?: string): TestUser => ({ uid: uniqueId(role), role, partner_id });

/** The sample report's figures for a fresh receipt, with partners alpha and beta renamed. */
export function reconciliationData(receiptId: string, partners: { alpha: string; beta: string }, version = 1): Record<string, unknown> {
  const rename = (id: string) => (id === "alpha" ? partners.alpha : id === "beta" ? partners.beta : id);
  const changes = sampleReport.changes_from_previous!;
  return {
    terminal_receipt_id: receiptId,
    version,
    status: "completed",
    ...(version > 1 ? { supersedes: `${receiptId}_v${version - 1}` } : {}),
    period_start: Timestamp.fromDate(new Date("2026-11-01T00:00:00Z")),
    period_end: Timestamp.fromDate(new Date("2026-11-08T00:00:00Z")),
    standard: sampleReport.standard,
    method: sampleReport.method,
    terminal: sampleReport.terminal,
    totals: sampleReport.totals,
    allocations: sampleReport.allocations.map((a) => ({ ...a, partner_id: rename(a.partner_id) })),
    excluded: sampleReport.excluded.map((e) => ({ ...e, partner_id: rename(e.partner_id) })),
    changes_from_previous: {
      partners: changes.partners.map((p) => ({ ...p, partner_id: rename(p.partner_id) })),
      totals_delta: changes.totals_delta,
    },
    inputs_digest: "d".repeat(64),
    integrity_hash: "e".repeat(64),
    created_by: "accountant",
    created_at: Timestamp.now(),
    duration_ms: 42,
  };
}

/** The report the templates see for that data (Timestamps as Dates). */
export function reportOf(data: Record<string, unknown>) {
  const ts = (v: unknown) => (v as Timestamp).toDate();
  return { ...(data as any), period_start: ts(data.period_start), period_end: ts(data.period_end) };
}

/** A production entry as the auditor left it: validated, its input hash consistent. */
export function validatedEntry(partnerId: string, measured: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    partner_id: partnerId,
    measured_at: Timestamp.fromDate(new Date("2026-11-03T06:00:00Z")),
    gross_volume_bbl: 1840.25,
    bsw_percent: 0.45,
    temperature_degF: 88.4,
    api_gravity: 33.1,
    meter_id: "M-7",
    created_by: "operator",
    created_at: Timestamp.now(),
    ...measured,
  };
  return { ...entry, audit: auditFor(entry, "validated") };
}

export function auditFor(entry: Record<string, unknown>, status: "validated" | "flagged" | "rejected", reasons: unknown[] = []) {
  return {
    status,
    reasons,
    stats: { partner_median_gross_bbl: 912.4 },
    explanation:
      status === "flagged" ? { text: "The gross volume is about twice this partner's median of 912.4 bbl.", source: "rules" } : null,
    input_hash: auditInputHash(entry),
    contract_day: contractDayOf((entry.measured_at as Timestamp).toDate(), DEFAULT_JV_SETTINGS),
    // The auditor's own version: the auditor trigger then takes this audit as current and leaves it.
    rules_version: RULES_VERSION,
    checked_at: Timestamp.now(),
  };
}

export const GROSS_OUTLIER = {
  code: "GROSS_OUTLIER",
  field: "gross_volume_bbl",
  severity: "warning",
  message: "Gross volume is 3.2 robust deviations above the partner's median of 912.4 bbl.",
};

/** Waits until every listed notification exists and returns them by id. */
export async function waitForNotifications(ids: readonly string[], timeoutMs = 30_000): Promise<Map<string, DocumentSnapshot>> {
  const refs = ids.map((id) => adminDb().doc(`notifications/${id}`));
  return waitUntil(
    `notifications ${ids.join(", ")}`,
    async () => {
      const snaps = await adminDb().getAll(...refs);
      return snaps.every((s) => s.exists) ? new Map(snaps.map((s) => [s.id, s])) : undefined;
    },
    timeoutMs,
  );
}

/**
 * A user's notifications about one source. Scoped, because other tests' reconciliations
 * and flagged entries legitimately notify every coordinator, admin and auditor.
 */
export async function notificationsOf(
  uid: string,
  about: { reconciliation_id?: string; terminal_receipt_id?: string; entry_id?: string },
): Promise<DocumentSnapshot[]> {
  const docs = (await adminDb().collection("notifications").where("recipient_uid", "==", uid).limit(500).get()).docs;
  return docs.filter((d) => Object.entries(about).every(([key, value]) => d.get(`data.${key}`) === value));
}

/** Deps for calling a handler from the test process, Gemini pointed at the fake server. */
export function directDeps(geminiUrl: string, options: { apiKey?: string; now?: Date } = {}): AgentDeps {
  const now = options.now ?? new Date();
  return {
    db: adminDb(),
    auth: adminAuth(),
    clock: { now: () => now },
    gemini: createGeminiClient({
      apiKey: options.apiKey ?? "test-key",
      model: "gemini-direct-test",
      baseUrl: geminiUrl,
      timeoutMs: 1500,
      maxAttempts: 3,
      backoffMs: 50,
    }),
    rateLimit: { maxCalls: 30, windowMs: 60_000 },
  };
}

/** A UTC day no other test uses, so an `llm_usage/{day}_communicator` document is this test's own. */
export function unusedDay(): Date {
  const days = Math.floor(Math.random() * 365 * 50);
  return new Date(Date.UTC(2100, 0, 1) + days * 86_400_000);
}
