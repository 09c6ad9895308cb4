// The rules-test harness: one RulesTestEnvironment on its own project id, the personas (auth
// contexts carrying custom claims), the seeded documents, and the case runner that counts what
// it asserted.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { doc, setLogLevel, Timestamp, writeBatch, type DocumentData, type Firestore } from "firebase/firestore";

/**
 * Not the emulator's main project ("demo-flowshare"): the Functions emulator registers its
 * Firestore triggers for that project only, so nothing written here fires a function, and the
 * rules loaded here apply to this project only. The Firestore emulator in singleProjectMode
 * (firebase.json) logs a warning for a second project id and serves it.
 */
export const RULES_PROJECT_ID = "demo-flowshare-rules";

const RULES_FILE = resolve(__dirname, "../../../firestore.rules");

/** Test actors. `claims: null` is an unauthenticated client. */
export interface Persona {
  name: string;
  uid: string;
  claims: Record<string, unknown> | null;
}

const persona = (name: string, uid: string, claims: Record<string, unknown> | null): Persona => ({
  name,
  uid,
  claims,
});

/** The seven columns of the matrix: the five roles, no auth, and a signed-in user with no role. */
export const ROLES = {
  field_operator: persona("field_operator", "op1", { role: "field_operator", partner_id: "p1" }),
  jv_coordinator: persona("jv_coordinator", "coord1", { role: "jv_coordinator" }),
  jv_partner: persona("jv_partner", "jvp1", { role: "jv_partner", partner_id: "p1" }),
  auditor: persona("auditor", "aud1", { role: "auditor" }),
  admin: persona("admin", "admin1", { role: "admin" }),
  no_auth: persona("no_auth", "anon", null),
  no_role: persona("no_role", "norole1", {}),
} as const;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

/** Extra actors for the edge cases. */
export const OTHERS = {
  op1b: persona("field_operator p1 (another operator)", "op1b", { role: "field_operator", partner_id: "p1" }),
  op2: persona("field_operator p2", "op2", { role: "field_operator", partner_id: "p2" }),
  jvp2: persona("jv_partner p2", "jvp2", { role: "jv_partner", partner_id: "p2" }),
  op1MovedToP2: persona("field_operator op1 now bound to p2", "op1", { role: "field_operator", partner_id: "p2" }),
  opNoPartner: persona("field_operator without partner_id", "op9", { role: "field_operator" }),
  opEmptyPartner: persona("field_operator with partner_id ''", "op8", { role: "field_operator", partner_id: "" }),
  jvpNoPartner: persona("jv_partner without partner_id", "jvp9", { role: "jv_partner" }),
  superuser: persona("unknown role 'superuser'", "su1", { role: "superuser" }),
  opInactive: persona("field_operator of inactive partner p3", "op3", { role: "field_operator", partner_id: "p3" }),
  jvpInactive: persona("jv_partner of inactive partner p3", "jvp3", { role: "jv_partner", partner_id: "p3" }),
  opFormer: persona("field_operator of former partner p4", "op4", { role: "field_operator", partner_id: "p4" }),
  jvpFormer: persona("jv_partner of former partner p4", "jvp4", { role: "jv_partner", partner_id: "p4" }),
  opGhost: persona("field_operator of missing partner p404", "op404", { role: "field_operator", partner_id: "p404" }),
  jvpGhost: persona("jv_partner of missing partner p404", "jvp404", { role: "jv_partner", partner_id: "p404" }),
} as const;

export const at = (iso: string): Timestamp => Timestamp.fromDate(new Date(iso));

/** Seeded closed days: single-digit month and day, two-digit ones, a three-digit year (padding). */
export const CLOSED_DAYS = ["2024-03-05", "2024-11-25", "0999-01-02"] as const;
export const OPEN_DAY_AT = "2024-03-06T08:00:00Z";
/** When former partner p4 left the JV: the start of contract day 2024-03-20. */
export const FORMER_LEFT_AT = "2024-03-20T00:00:00Z";
export const CLOSED_DAY_AT = "2024-03-05T12:00:00Z";
/** An api_keys record: its id is the key's SHA-256. */
export const API_KEY_DOC = `api_keys/${"a".repeat(64)}`;
export const API_KEY_REQUEST_DOC = `api_key_requests/${"c".repeat(40)}`;

const validatedAudit = {
  status: "validated",
  reasons: [],
  stats: {},
  explanation: { text: "Within limits.", source: "rules" },
  input_hash: "0".repeat(64),
  rules_version: "1",
  checked_at: at("2024-03-06T08:01:00Z"),
};

function entry(partnerId: string, createdBy: string, measuredAt: string, extra: DocumentData = {}): DocumentData {
  return {
    partner_id: partnerId,
    measured_at: at(measuredAt),
    gross_volume_bbl: 1250.5,
    bsw_percent: 0.8,
    temperature_degF: 92.3,
    api_gravity: 34.1,
    pressure_psig: 45,
    meter_factor: 1.0012,
    meter_id: "M-01",
    note: "morning gauge",
    created_by: createdBy,
    created_at: at(measuredAt),
    audit: validatedAudit,
    ...extra,
  };
}

/** Every document the cases read or write, in the shapes the data model gives them. */
export function seedDocuments(): Record<string, DocumentData> {
  const docs: Record<string, DocumentData> = {
    "partners/p1": { name: "Alpha Oil", active: true },
    "partners/p2": { name: "Beta Energy", active: true },
    "partners/p3": { name: "Gamma Gone", active: false },
    // Left the JV at the start of 2024-03-20 (FORMER_LEFT_AT): it keeps read access to what came before.
    "partners/p4": { name: "Delta Departed", active: false, left_jv_on: "2024-03-20", left_at: at(FORMER_LEFT_AT) },
    "production_entries/e_op1_open": entry("p1", "op1", OPEN_DAY_AT),
    "production_entries/e_op1_closed": entry("p1", "op1", CLOSED_DAY_AT, {
      review: { decision: "approved", by: "coord1", at: at("2024-03-05T15:00:00Z"), note: "ok" },
    }),
    "production_entries/e_op1_corrected": entry("p1", "op1", OPEN_DAY_AT, { correction_note: "meter swap" }),
    "production_entries/e_op1b": entry("p1", "op1b", OPEN_DAY_AT),
    "production_entries/e_op2": entry("p2", "op2", OPEN_DAY_AT),
    "production_entries/e_op3": entry("p3", "op3", OPEN_DAY_AT),
    "production_entries/e_op4_before": entry("p4", "op4", OPEN_DAY_AT),
    "production_entries/e_op4_after": entry("p4", "op4", "2024-03-20T00:00:00Z"),
    "terminal_receipts/r1": {
      period_start: at("2024-03-01T00:00:00Z"),
      period_end: at("2024-03-06T00:00:00Z"),
      terminal_name: "Bonny",
      gross_volume_bbl: 9000,
      bsw_percent: 0.5,
      temperature_degF: 80,
      api_gravity: 33.9,
      created_by: "coord1",
      created_at: at("2024-03-06T09:00:00Z"),
      latest_reconciliation_id: "r1_v1",
    },
    "reconciliations/r1_v1": {
      terminal_receipt_id: "r1",
      period_start: at("2024-03-01T00:00:00Z"),
      period_end: at("2024-03-06T00:00:00Z"),
      version: 1,
      status: "completed",
      totals: { entries_used: 2, terminal_nsv_bbl: 8900 },
      allocations: [
        { partner_id: "p1", allocated_bbl: 4450 },
        { partner_id: "p2", allocated_bbl: 4450 },
      ],
      created_by: "accountant",
      created_at: at("2024-03-06T09:01:00Z"),
      release_required: false,
      released: true,
      released_by: null,
      released_at: at("2024-03-06T09:01:00Z"),
      release_note: null,
    },
    // A released version of a period that began the day p4 left: not p4's.
    "reconciliations/r4_v1": {
      terminal_receipt_id: "r4",
      period_start: at(FORMER_LEFT_AT),
      period_end: at("2024-03-21T00:00:00Z"),
      version: 1,
      status: "completed",
      allocations: [{ partner_id: "p1", allocated_bbl: 4450 }],
      created_by: "coord1",
      created_at: at("2024-03-21T09:01:00Z"),
      release_required: false,
      released: true,
      released_by: null,
      released_at: at("2024-03-21T09:01:00Z"),
      release_note: null,
    },
    // A version of a JV that requires approval, not released yet: partners may not read it.
    "reconciliations/r3_v1": {
      terminal_receipt_id: "r3",
      version: 1,
      status: "completed",
      allocations: [{ partner_id: "p1", allocated_bbl: 4450 }],
      created_by: "coord1",
      created_at: at("2024-03-07T09:01:00Z"),
      release_required: true,
      released: false,
      released_by: null,
      released_at: null,
      release_note: null,
    },
    "reconciliations/r1_v1/inputs/0": {
      rows: [
        { entry_id: "e_op1_closed", partner_id: "p1", nsv_bbl: 1200 },
        { entry_id: "e_op2", partner_id: "p2", nsv_bbl: 1200 },
      ],
    },
    "reconciliations/r1_v1/exclusions/0": {
      rows: [{ entry_id: "e_op1_rejected", partner_id: "p1", reason: "rejected by the auditor" }],
    },
    "audit_log/ev1": {
      seq: 1,
      at: at("2024-03-06T09:01:00Z"),
      actor: "accountant",
      action: "reconcile",
      subject: "reconciliations/r1_v1",
      details: {},
      prev_hash: "",
      hash: "a".repeat(64),
    },
    "audit_chains/partner_p1": { seq: 1, hash: "a".repeat(64), updated_at: at("2024-03-06T09:01:00Z") },
    "audit_verifications/run1": { started_by: "aud1", status: "complete", problems_count: 0, events: 1, streams: 1 },
    "notifications_archive/n_old_op1": {
      recipient_uid: "op1",
      type: "reconciliation_completed",
      title: "t",
      body: "b",
      read: false,
      archived_because: "role_changed",
    },
    "settings/jv": { contract_day_start_hour: 0, utc_offset_minutes: 0, luaf_tolerance_percent: 2, jv_start_date: null },
    "prior_period_adjustments/a1": { partner_id: "p1", delta_bbl: 1.5, status: "pending", from_reconciliation_id: "r1_v2", released: true },
    "prior_period_adjustments/a3": { partner_id: "p1", delta_bbl: -2, status: "pending", from_reconciliation_id: "r3_v1", released: false },
    "statement_exceptions/x1": { reconciliation_id: "r1_v1", partner_id: "p1", status: "open", text: "The 3 March entry is missing." },
    "statement_exceptions/x4": { reconciliation_id: "r1_v1", partner_id: "p4", status: "open", text: "Our last days are missing." },
    "prior_period_adjustments/a4": { partner_id: "p4", delta_bbl: 3, status: "approved", from_reconciliation_id: "r1_v2", released: true },
    "statement_exceptions/x2": { reconciliation_id: "r1_v1", partner_id: "p2", status: "open", text: "Our share looks low this month." },
    "agent_status/auditor": { runs: 10, failures: 0, last_run: at("2024-03-06T08:01:00Z") },
    "llm_usage/2024-03-06_auditor": { calls: 3, prompt_tokens: 300, output_tokens: 90 },
    "agent_status/auditor/shards/3": { runs: 10, failures: 0 },
    "llm_usage/2024-03-06_auditor/shards/7": { calls: 3, total_tokens: 390, day: "2024-03-06", agent: "auditor", model: "m" },
    [API_KEY_DOC]: {
      key_id: "key_0123456789abcdef0123",
      prefix: "fsgk_AbCdEfGh",
      last_four: "wxyz",
      name: "gw",
      partner_id: "p1",
      meter_ids: null,
    },
    [API_KEY_REQUEST_DOC]: { key_id: "key_0123456789abcdef0123", prefix: "fsgk_AbCdEfGh", partner_id: "p1" },
    "unknown_collection/x": { anything: true },
    "closing_months/2024-03": {
      closes: {
        "0123456789abcdef": {
          expires_at: at("2024-03-06T09:15:00Z"),
          first_day: "2024-03-01",
          last_day: "2024-03-05",
          entry_ids: ["e1"],
          changes: 1,
        },
      },
    },
  };
  for (const day of CLOSED_DAYS) {
    docs[`closed_days/${day}`] = { reconciliation_id: "r1_v1", closed_at: at("2024-03-06T09:01:00Z") };
  }
  for (const p of [...Object.values(ROLES), ...Object.values(OTHERS)]) {
    if (p.claims === null) continue;
    const claims = p.claims as { role?: string; partner_id?: string };
    docs[`users/${p.uid}`] = {
      email: `${p.uid}@example.test`,
      display_name: p.uid,
      role: claims.role ?? null,
      ...(claims.partner_id !== undefined ? { partner_id: claims.partner_id } : {}),
    };
    docs[`people/${p.uid}`] = { display_name: p.uid, role: claims.role ?? null };
    docs[`notifications/n_${p.uid}`] = {
      recipient_uid: p.uid,
      type: "reconciliation_completed",
      title: "Reconciliation r1_v1",
      body: "Your allocation is ready.",
      data: { reconciliation_id: "r1_v1" },
      summary_source: "template",
      read: false,
      created_at: at("2024-03-06T09:02:00Z"),
    };
  }
  return docs;
}

let env: RulesTestEnvironment | undefined;
const contexts = new Map<string, RulesTestContext>();
let dirty = true;

function emulatorHostPort(): { host: string; port: number } {
  const value = process.env.FIRESTORE_EMULATOR_HOST;
  if (!value) {
    throw new Error(
      "FIRESTORE_EMULATOR_HOST is not set: run the rules tests inside `firebase emulators:exec` " + "(scripts/test.sh does).",
    );
  }
  const i = value.lastIndexOf(":");
  return { host: value.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(value.slice(i + 1)) };
}

export async function startRulesEnv(): Promise<void> {
  const { host, port } = emulatorHostPort();
  // The client SDK logs every denied write stream; the assertions already say what happened.
  setLogLevel("silent");
  env = await initializeTestEnvironment({
    projectId: RULES_PROJECT_ID,
    firestore: { rules: readFileSync(RULES_FILE, "utf8"), host, port },
  });
}

export async function stopRulesEnv(): Promise<void> {
  if (env) await env.cleanup();
  env = undefined;
  contexts.clear();
}

function testEnv(): RulesTestEnvironment {
  if (!env) throw new Error("rules test environment not started");
  return env;
}

/** The client Firestore of a persona (the compat instance works with the modular API). */
export function dbFor(p: Persona): Firestore {
  const key = `${p.uid}|${JSON.stringify(p.claims)}`;
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = p.claims === null ? testEnv().unauthenticatedContext() : testEnv().authenticatedContext(p.uid, p.claims);
    contexts.set(key, ctx);
  }
  return ctx.firestore() as unknown as Firestore;
}

/** Runs fn with rules disabled (the Admin SDK's view); marks the data as changed. */
export async function asServer(fn: (db: Firestore) => Promise<unknown>): Promise<void> {
  dirty = true;
  await testEnv().withSecurityRulesDisabled(async (ctx) => {
    await fn(ctx.firestore() as unknown as Firestore);
  });
}

/** Clears and reseeds the emulator, only when a previous case may have changed data. */
export async function ensureSeeded(): Promise<void> {
  if (!dirty) return;
  await testEnv().clearFirestore();
  await testEnv().withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore() as unknown as Firestore;
    const batch = writeBatch(db);
    for (const [path, data] of Object.entries(seedDocuments())) batch.set(doc(db, path), data);
    await batch.commit();
  });
  dirty = false;
}

export type Op = "read" | "create" | "update" | "delete";

export interface RuleCase {
  title: string;
  persona: Persona;
  op: Op;
  allow: boolean;
  /** The client call under test, made as the persona. */
  run: (db: Firestore, uid: string) => Promise<unknown>;
  /** Optional set-up with rules disabled, before the call. */
  prepare?: (db: Firestore, uid: string) => Promise<unknown>;
}

export const tally = { declared: 0, allowed: 0, denied: 0 };

/** One mocha test per case: assertSucceeds when allowed, assertFails when denied. */
export function ruleCase(c: RuleCase): void {
  tally.declared += 1;
  const verdict = c.allow ? "allows" : "denies";
  it(`${verdict} ${c.op} ${c.title} [${c.persona.name}]`, async () => {
    await ensureSeeded();
    const prepare = c.prepare;
    if (prepare) await asServer((db) => prepare(db, c.persona.uid));
    // A denied write changes nothing, so only allowed writes (and failed assertions) make the
    // next case reseed.
    if (c.allow && c.op !== "read") dirty = true;
    const db = dbFor(c.persona);
    const call = Promise.resolve().then(() => c.run(db, c.persona.uid));
    try {
      if (c.allow) {
        await assertSucceeds(call);
        tally.allowed += 1;
      } else {
        await assertFails(call);
        tally.denied += 1;
      }
    } catch (err) {
      dirty = true;
      throw err;
    }
  });
}
