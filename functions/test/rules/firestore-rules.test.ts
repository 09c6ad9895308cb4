// Security rules matrix: every role (five roles, no auth, signed in without a role) x every
// collection x read/create/update/delete, with what must succeed and what must fail, then the
// edge cases of validation, closed days, corrections, claims and queries. Every case is one
// assertSucceeds or assertFails against the Firestore emulator.
import { expect } from "chai";
import {
  collection,
  deleteDoc,
  deleteField,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
  type Firestore,
} from "firebase/firestore";
import {
  API_KEY_DOC,
  API_KEY_REQUEST_DOC,
  at,
  CLOSED_DAY_AT,
  FORMER_LEFT_AT,
  OPEN_DAY_AT,
  OTHERS,
  ROLE_NAMES,
  ROLES,
  ruleCase,
  startRulesEnv,
  stopRulesEnv,
  tally,
  type Op,
  type Persona,
  type RoleName,
} from "./rules-env";

type Run = (db: Firestore, uid: string) => Promise<unknown>;

const OP: RoleName = "field_operator";
const CO: RoleName = "jv_coordinator";
const JP: RoleName = "jv_partner";
const AU: RoleName = "auditor";
const AD: RoleName = "admin";
const NR: RoleName = "no_role";
const WITH_ROLE: RoleName[] = [OP, CO, JP, AU, AD];
const OPERATIONAL: RoleName[] = [CO, AU, AD];
const NOBODY: RoleName[] = [];

/** The unauthenticated persona has no documents of its own: aim "own" cases at op1's. */
const own = (uid: string): string => (uid === "anon" ? "op1" : uid);

const read =
  (path: string | ((uid: string) => string)): Run =>
  (db, uid) =>
    getDoc(doc(db, typeof path === "string" ? path : path(uid)));
const create =
  (path: (uid: string) => string, data: (uid: string) => DocumentData): Run =>
  (db, uid) =>
    setDoc(doc(db, path(uid)), data(uid));
const update =
  (path: string | ((uid: string) => string), data: DocumentData): Run =>
  (db, uid) =>
    updateDoc(doc(db, typeof path === "string" ? path : path(uid)), data);
const remove =
  (path: string | ((uid: string) => string)): Run =>
  (db, uid) =>
    deleteDoc(doc(db, typeof path === "string" ? path : path(uid)));

/** A valid production entry as a field operator's web app writes it. */
function newEntry(uid: string, over: DocumentData = {}, drop: string[] = []): DocumentData {
  const data: DocumentData = {
    partner_id: "p1",
    measured_at: at(OPEN_DAY_AT),
    gross_volume_bbl: 1250.5,
    bsw_percent: 0.8,
    temperature_degF: 92.3,
    api_gravity: 34.1,
    pressure_psig: 45,
    meter_factor: 1.0012,
    meter_id: "M-01",
    note: "morning gauge",
    created_by: uid,
    created_at: serverTimestamp(),
    ...over,
  };
  for (const key of drop) delete data[key];
  return data;
}

/** A valid terminal receipt as a coordinator's web app writes it. */
function newReceipt(uid: string, over: DocumentData = {}, drop: string[] = []): DocumentData {
  const data: DocumentData = {
    period_start: at("2024-03-06T00:00:00Z"),
    period_end: at("2024-03-07T00:00:00Z"),
    terminal_name: "Bonny",
    gross_volume_bbl: 2400,
    bsw_percent: 0.4,
    temperature_degF: 81.5,
    api_gravity: 34,
    pressure_psig: 12,
    meter_factor: 0.9998,
    created_by: uid,
    created_at: serverTimestamp(),
    ...over,
  };
  for (const key of drop) delete data[key];
  return data;
}

// ------------------------------------------------------------------------------------------
// The matrix: one row per collection x operation (some with a second variant), each row run
// as all seven roles. `allowed` lists the roles that must succeed; the others must fail.
// ------------------------------------------------------------------------------------------

interface Row {
  collection: string;
  op: Op;
  what: string;
  allowed: RoleName[];
  run: Run;
  prepare?: (db: Firestore, uid: string) => Promise<unknown>;
}

const MATRIX: Row[] = [
  // partners: read by every role; written only through the Admin SDK.
  { collection: "partners", op: "read", what: "partners/p1", allowed: WITH_ROLE, run: read("partners/p1") },
  {
    collection: "partners",
    op: "create",
    what: "partners/p9",
    allowed: NOBODY,
    run: create(
      () => "partners/p9",
      () => ({ name: "New Co", active: true }),
    ),
  },
  {
    collection: "partners",
    op: "update",
    what: "partners/p1 active=false",
    allowed: NOBODY,
    run: update("partners/p1", { active: false }),
  },
  { collection: "partners", op: "delete", what: "partners/p1", allowed: NOBODY, run: remove("partners/p1") },

  // users: own profile for any signed-in user; everyone's for coordinators, admins, auditors.
  {
    collection: "users",
    op: "read",
    what: "own profile users/{uid}",
    allowed: [...WITH_ROLE, NR],
    run: read((uid) => `users/${own(uid)}`),
  },
  { collection: "users", op: "read", what: "another user's profile users/op1b", allowed: OPERATIONAL, run: read("users/op1b") },
  {
    collection: "users",
    op: "create",
    what: "own profile users/{uid} with role admin",
    allowed: NOBODY,
    prepare: (db, uid) => deleteDoc(doc(db, `users/${uid}`)),
    run: create(
      (uid) => `users/${uid}`,
      (uid) => ({ email: `${uid}@example.test`, display_name: uid, role: "admin" }),
    ),
  },
  {
    collection: "users",
    op: "update",
    what: "own profile role=admin",
    allowed: NOBODY,
    run: update((uid) => `users/${own(uid)}`, { role: "admin" }),
  },
  { collection: "users", op: "delete", what: "own profile", allowed: NOBODY, run: remove((uid) => `users/${own(uid)}`) },

  // people: names and roles, read by everyone with a role; written only by setUserRole.
  { collection: "people", op: "read", what: "another user's name people/op1b", allowed: WITH_ROLE, run: read("people/op1b") },
  {
    collection: "people",
    op: "create",
    what: "own name people/{uid}",
    allowed: NOBODY,
    prepare: (db, uid) => deleteDoc(doc(db, `people/${uid}`)),
    run: create(
      (uid) => `people/${uid}`,
      () => ({ display_name: "The Chief", role: "admin" }),
    ),
  },
  {
    collection: "people",
    op: "update",
    what: "own name people/{uid}",
    allowed: NOBODY,
    run: update((uid) => `people/${own(uid)}`, { display_name: "The Chief" }),
  },
  { collection: "people", op: "delete", what: "another user's name people/op1b", allowed: NOBODY, run: remove("people/op1b") },

  // production_entries
  {
    collection: "production_entries",
    op: "read",
    what: "a partner p1 entry written by another operator (e_op1b)",
    allowed: WITH_ROLE,
    run: read("production_entries/e_op1b"),
  },
  {
    collection: "production_entries",
    op: "read",
    what: "a partner p2 entry (e_op2)",
    allowed: OPERATIONAL,
    run: read("production_entries/e_op2"),
  },
  {
    collection: "production_entries",
    op: "create",
    what: "a valid p1 entry on an open day, created_by=uid, created_at=serverTimestamp()",
    allowed: [OP],
    run: create(
      (uid) => `production_entries/new_${uid}`,
      (uid) => newEntry(uid),
    ),
  },
  {
    collection: "production_entries",
    op: "update",
    what: "open-day entry e_op1_open (op1's): gross_volume_bbl, no correction_note",
    allowed: [OP],
    run: update("production_entries/e_op1_open", { gross_volume_bbl: 1300 }),
  },
  {
    collection: "production_entries",
    op: "update",
    what: "open-day entry e_op1_open: gross_volume_bbl with a correction_note",
    allowed: [CO, AD],
    run: (db, uid) =>
      updateDoc(doc(db, "production_entries/e_op1_open"), {
        gross_volume_bbl: 1300,
        correction_note: "tank strapping error",
        corrected_by: uid,
        corrected_at: serverTimestamp(),
      }),
  },
  {
    collection: "production_entries",
    op: "update",
    what: "closed-day entry e_op1_closed: gross_volume_bbl with a correction_note",
    allowed: [CO, AD],
    run: (db, uid) =>
      updateDoc(doc(db, "production_entries/e_op1_closed"), {
        gross_volume_bbl: 1180,
        correction_note: "meter factor re-proved",
        corrected_by: uid,
        corrected_at: serverTimestamp(),
      }),
  },
  {
    collection: "production_entries",
    op: "update",
    what: "closed-day entry e_op1_closed: note only",
    allowed: NOBODY,
    run: update("production_entries/e_op1_closed", { note: "late remark" }),
  },
  { collection: "production_entries", op: "delete", what: "e_op1_open", allowed: NOBODY, run: remove("production_entries/e_op1_open") },

  // terminal_receipts: created by coordinators/admins; read by them and auditors (partners read the
  // terminal's figures on released reports: a receipt's may be a waiting version's).
  {
    collection: "terminal_receipts",
    op: "read",
    what: "terminal_receipts/r1",
    allowed: [CO, AU, AD],
    run: read("terminal_receipts/r1"),
  },
  {
    collection: "terminal_receipts",
    op: "create",
    what: "a valid receipt, created_by=uid, created_at=serverTimestamp()",
    allowed: [CO, AD],
    run: create(
      (uid) => `terminal_receipts/new_${uid}`,
      (uid) => newReceipt(uid),
    ),
  },
  {
    collection: "terminal_receipts",
    op: "update",
    what: "r1 gross_volume_bbl",
    allowed: NOBODY,
    run: update("terminal_receipts/r1", { gross_volume_bbl: 9100 }),
  },
  {
    collection: "terminal_receipts",
    op: "update",
    what: "r1 latest_reconciliation_id (server field)",
    allowed: NOBODY,
    run: update("terminal_receipts/r1", { latest_reconciliation_id: "r1_v2" }),
  },
  { collection: "terminal_receipts", op: "delete", what: "r1", allowed: NOBODY, run: remove("terminal_receipts/r1") },

  // reconciliations (server): read by coordinators, admins, auditors, and by partners once released.
  {
    collection: "reconciliations",
    op: "read",
    what: "reconciliations/r1_v1",
    allowed: [CO, JP, AU, AD],
    run: read("reconciliations/r1_v1"),
  },
  {
    collection: "reconciliations",
    op: "read",
    what: "reconciliations/r3_v1 awaiting release",
    allowed: OPERATIONAL,
    run: read("reconciliations/r3_v1"),
  },
  {
    collection: "reconciliations",
    op: "update",
    what: "r3_v1 released=true",
    allowed: NOBODY,
    run: update("reconciliations/r3_v1", { released: true }),
  },
  {
    collection: "reconciliations",
    op: "create",
    what: "reconciliations/r1_v2",
    allowed: NOBODY,
    run: create(
      () => "reconciliations/r1_v2",
      () => ({ terminal_receipt_id: "r1", version: 2, status: "completed" }),
    ),
  },
  {
    collection: "reconciliations",
    op: "update",
    what: "r1_v1 status=superseded",
    allowed: NOBODY,
    run: update("reconciliations/r1_v1", { status: "superseded" }),
  },
  { collection: "reconciliations", op: "delete", what: "r1_v1", allowed: NOBODY, run: remove("reconciliations/r1_v1") },

  // reconciliations/{id}/inputs (server): the verifiers read it, partners do not.
  {
    collection: "reconciliations/{id}/inputs",
    op: "read",
    what: "reconciliations/r1_v1/inputs/0",
    allowed: OPERATIONAL,
    run: read("reconciliations/r1_v1/inputs/0"),
  },
  {
    collection: "reconciliations/{id}/inputs",
    op: "create",
    what: "reconciliations/r1_v1/inputs/1",
    allowed: NOBODY,
    run: create(
      () => "reconciliations/r1_v1/inputs/1",
      () => ({ rows: [] }),
    ),
  },
  {
    collection: "reconciliations/{id}/inputs",
    op: "update",
    what: "inputs/0 rows=[]",
    allowed: NOBODY,
    run: update("reconciliations/r1_v1/inputs/0", { rows: [] }),
  },
  {
    collection: "reconciliations/{id}/inputs",
    op: "delete",
    what: "inputs/0",
    allowed: NOBODY,
    run: remove("reconciliations/r1_v1/inputs/0"),
  },

  // Excluded entries of a version (every partner's, with their reasons): the JV's roles read them, no partner.
  {
    collection: "reconciliations/{id}/exclusions",
    op: "read",
    what: "reconciliations/r1_v1/exclusions/0",
    allowed: OPERATIONAL,
    run: read("reconciliations/r1_v1/exclusions/0"),
  },
  {
    collection: "reconciliations/{id}/exclusions",
    op: "create",
    what: "reconciliations/r1_v1/exclusions/1",
    allowed: NOBODY,
    run: create(
      () => "reconciliations/r1_v1/exclusions/1",
      () => ({ rows: [] }),
    ),
  },
  {
    collection: "reconciliations/{id}/exclusions",
    op: "update",
    what: "exclusions/0 rows=[]",
    allowed: NOBODY,
    run: update("reconciliations/r1_v1/exclusions/0", { rows: [] }),
  },
  {
    collection: "reconciliations/{id}/exclusions",
    op: "delete",
    what: "exclusions/0",
    allowed: NOBODY,
    run: remove("reconciliations/r1_v1/exclusions/0"),
  },

  // closed_days (server): any role reads; nobody closes or reopens a day from a client.
  // settings (server, through setJvSettings): every role reads; no client writes.
  { collection: "settings", op: "read", what: "settings/jv", allowed: WITH_ROLE, run: read("settings/jv") },
  {
    collection: "settings",
    op: "create",
    what: "settings/other",
    allowed: NOBODY,
    run: create(
      () => "settings/other",
      () => ({ luaf_tolerance_percent: 5 }),
    ),
  },
  {
    collection: "settings",
    op: "update",
    what: "settings/jv luaf_tolerance_percent",
    allowed: NOBODY,
    run: update("settings/jv", { luaf_tolerance_percent: 50 }),
  },
  { collection: "settings", op: "delete", what: "settings/jv", allowed: NOBODY, run: remove("settings/jv") },
  // prior_period_adjustments (server; decided through decideAdjustment): operational roles and the partner concerned read.
  {
    collection: "prior_period_adjustments",
    op: "read",
    what: "adjustment a1 of p1",
    allowed: [CO, JP, AU, AD],
    run: read("prior_period_adjustments/a1"),
  },
  {
    collection: "prior_period_adjustments",
    op: "read",
    what: "adjustment a3 of p1, its version awaiting release",
    allowed: OPERATIONAL,
    run: read("prior_period_adjustments/a3"),
  },
  {
    collection: "prior_period_adjustments",
    op: "create",
    what: "a2",
    allowed: NOBODY,
    run: create(
      () => "prior_period_adjustments/a2",
      () => ({ partner_id: "p1", delta_bbl: 1, status: "approved" }),
    ),
  },
  {
    collection: "prior_period_adjustments",
    op: "update",
    what: "a1 status approved",
    allowed: NOBODY,
    run: update("prior_period_adjustments/a1", { status: "approved" }),
  },
  { collection: "prior_period_adjustments", op: "delete", what: "a1", allowed: NOBODY, run: remove("prior_period_adjustments/a1") },
  // statement_exceptions (server; raised and answered through their callables): operational roles and the partner concerned read.
  { collection: "statement_exceptions", op: "read", what: "x1 of p1", allowed: [CO, JP, AU, AD], run: read("statement_exceptions/x1") },
  { collection: "statement_exceptions", op: "read", what: "x2 of p2", allowed: OPERATIONAL, run: read("statement_exceptions/x2") },
  {
    collection: "statement_exceptions",
    op: "create",
    what: "x3 of p1",
    allowed: NOBODY,
    run: create(
      () => "statement_exceptions/x3",
      () => ({ reconciliation_id: "r1_v1", partner_id: "p1", status: "open", text: "An exception written from a client." }),
    ),
  },
  {
    collection: "statement_exceptions",
    op: "update",
    what: "x1 status upheld",
    allowed: NOBODY,
    run: update("statement_exceptions/x1", { status: "upheld" }),
  },
  { collection: "statement_exceptions", op: "delete", what: "x1", allowed: NOBODY, run: remove("statement_exceptions/x1") },
  { collection: "closed_days", op: "read", what: "closed_days/2024-03-05", allowed: WITH_ROLE, run: read("closed_days/2024-03-05") },
  {
    collection: "closed_days",
    op: "create",
    what: "closed_days/2024-03-06",
    allowed: NOBODY,
    run: create(
      () => "closed_days/2024-03-06",
      () => ({ reconciliation_id: "r1_v1", closed_at: serverTimestamp() }),
    ),
  },
  {
    collection: "closed_days",
    op: "update",
    what: "closed_days/2024-03-05 reconciliation_id",
    allowed: NOBODY,
    run: update("closed_days/2024-03-05", { reconciliation_id: "r0_v1" }),
  },
  {
    collection: "closed_days",
    op: "delete",
    what: "closed_days/2024-03-05 (reopen a day)",
    allowed: NOBODY,
    run: remove("closed_days/2024-03-05"),
  },

  // closing_months (server): the calls closing days of a month and what changed meanwhile; no client access at all.
  { collection: "closing_months", op: "read", what: "closing_months/2024-03", allowed: NOBODY, run: read("closing_months/2024-03") },
  {
    collection: "closing_months",
    op: "create",
    what: "a forged close in progress",
    allowed: NOBODY,
    run: create(
      () => "closing_months/2024-04",
      () => ({ closes: { "0123456789abcdef": { expires_at: serverTimestamp(), entry_ids: [], changes: 0 } } }),
    ),
  },
  {
    collection: "closing_months",
    op: "update",
    what: "closing_months/2024-03 (hide a change)",
    allowed: NOBODY,
    run: update("closing_months/2024-03", { closes: {} }),
  },
  { collection: "closing_months", op: "delete", what: "closing_months/2024-03", allowed: NOBODY, run: remove("closing_months/2024-03") },

  // notifications (server): the recipient reads and flips `read`; auditors read all.
  {
    collection: "notifications",
    op: "read",
    what: "own notification n_{uid}",
    allowed: WITH_ROLE,
    run: read((uid) => `notifications/n_${own(uid)}`),
  },
  { collection: "notifications", op: "read", what: "someone else's notification n_op1b", allowed: [AU], run: read("notifications/n_op1b") },
  {
    collection: "notifications",
    op: "create",
    what: "a notification to oneself",
    allowed: NOBODY,
    run: create(
      (uid) => `notifications/self_${uid}`,
      (uid) => ({ recipient_uid: uid, type: "entry_flagged", title: "t", body: "b", data: {}, read: false }),
    ),
  },
  {
    collection: "notifications",
    op: "update",
    what: "own notification read=true",
    allowed: WITH_ROLE,
    run: update((uid) => `notifications/n_${own(uid)}`, { read: true }),
  },
  {
    collection: "notifications",
    op: "update",
    what: "own notification title",
    allowed: NOBODY,
    run: update((uid) => `notifications/n_${own(uid)}`, { title: "changed" }),
  },
  {
    collection: "notifications",
    op: "update",
    what: "someone else's notification n_op1b read=true",
    allowed: NOBODY,
    run: update("notifications/n_op1b", { read: true }),
  },
  {
    collection: "notifications",
    op: "delete",
    what: "own notification",
    allowed: NOBODY,
    run: remove((uid) => `notifications/n_${own(uid)}`),
  },

  // audit_log (server, append-only): auditors read.
  { collection: "audit_log", op: "read", what: "audit_log/ev1", allowed: [AU], run: read("audit_log/ev1") },
  {
    collection: "audit_log",
    op: "create",
    what: "audit_log/ev2",
    allowed: NOBODY,
    run: create(
      () => "audit_log/ev2",
      (uid) => ({ seq: 2, actor: uid, action: "forge", prev_hash: "a".repeat(64), hash: "b" }),
    ),
  },
  {
    collection: "audit_log",
    op: "update",
    what: "audit_log/ev1 hash",
    allowed: NOBODY,
    run: update("audit_log/ev1", { hash: "c".repeat(64) }),
  },
  { collection: "audit_log", op: "delete", what: "audit_log/ev1", allowed: NOBODY, run: remove("audit_log/ev1") },

  // audit_chains (server): the chain heads, read by auditors to check the chains' ends.
  { collection: "audit_chains", op: "read", what: "audit_chains/partner_p1", allowed: [AU], run: read("audit_chains/partner_p1") },
  {
    collection: "audit_chains",
    op: "create",
    what: "audit_chains/partner_p2",
    allowed: NOBODY,
    run: create(
      () => "audit_chains/partner_p2",
      () => ({ seq: 0, hash: "" }),
    ),
  },
  {
    collection: "audit_chains",
    op: "update",
    what: "audit_chains/partner_p1 seq",
    allowed: NOBODY,
    run: update("audit_chains/partner_p1", { seq: 0 }),
  },
  { collection: "audit_chains", op: "delete", what: "audit_chains/partner_p1", allowed: NOBODY, run: remove("audit_chains/partner_p1") },

  // audit_verifications (server): verifyAuditLog's runs, who walked the chains and what they found; auditors read them.
  { collection: "audit_verifications", op: "read", what: "audit_verifications/run1", allowed: [AU], run: read("audit_verifications/run1") },
  {
    collection: "audit_verifications",
    op: "create",
    what: "audit_verifications/run2",
    allowed: NOBODY,
    run: create(
      () => "audit_verifications/run2",
      () => ({ status: "complete", problems_count: 0 }),
    ),
  },
  {
    collection: "audit_verifications",
    op: "update",
    what: "audit_verifications/run1 problems_count",
    allowed: NOBODY,
    run: update("audit_verifications/run1", { problems_count: 0 }),
  },
  {
    collection: "audit_verifications",
    op: "delete",
    what: "audit_verifications/run1",
    allowed: NOBODY,
    run: remove("audit_verifications/run1"),
  },

  // notifications_archive (server): a user's notifications of before a role change; auditors only,
  // not even their recipient (op1 here), who may no longer see what they told.
  {
    collection: "notifications_archive",
    op: "read",
    what: "notifications_archive/n_old_op1 (op1's own, archived)",
    allowed: [AU],
    run: read("notifications_archive/n_old_op1"),
  },
  {
    collection: "notifications_archive",
    op: "create",
    what: "notifications_archive/n_new",
    allowed: NOBODY,
    run: create(
      () => "notifications_archive/n_new",
      (uid) => ({ recipient_uid: uid, read: false }),
    ),
  },
  {
    collection: "notifications_archive",
    op: "update",
    what: "notifications_archive/n_old_op1 read",
    allowed: NOBODY,
    run: update("notifications_archive/n_old_op1", { read: true }),
  },
  {
    collection: "notifications_archive",
    op: "delete",
    what: "notifications_archive/n_old_op1",
    allowed: NOBODY,
    run: remove("notifications_archive/n_old_op1"),
  },

  // agent_status and llm_usage (server): operational, read by coordinators, admins, auditors.
  { collection: "agent_status", op: "read", what: "agent_status/auditor", allowed: OPERATIONAL, run: read("agent_status/auditor") },
  {
    collection: "agent_status",
    op: "create",
    what: "agent_status/accountant",
    allowed: NOBODY,
    run: create(
      () => "agent_status/accountant",
      () => ({ runs: 0 }),
    ),
  },
  {
    collection: "agent_status",
    op: "update",
    what: "agent_status/auditor failures",
    allowed: NOBODY,
    run: update("agent_status/auditor", { failures: 0 }),
  },
  { collection: "agent_status", op: "delete", what: "agent_status/auditor", allowed: NOBODY, run: remove("agent_status/auditor") },
  // Their counts, in shards the health screen adds up: read like the summaries, written by functions only.
  {
    collection: "agent_status",
    op: "read",
    what: "agent_status/auditor/shards/3 (run counts)",
    allowed: OPERATIONAL,
    run: read("agent_status/auditor/shards/3"),
  },
  {
    collection: "agent_status",
    op: "update",
    what: "agent_status/auditor/shards/3 runs",
    allowed: NOBODY,
    run: update("agent_status/auditor/shards/3", { runs: 0 }),
  },
  {
    collection: "llm_usage",
    op: "read",
    what: "llm_usage/2024-03-06_auditor/shards/7 (Gemini counts)",
    allowed: OPERATIONAL,
    run: read("llm_usage/2024-03-06_auditor/shards/7"),
  },
  {
    collection: "llm_usage",
    op: "create",
    what: "llm_usage/2024-03-06_auditor/shards/8",
    allowed: NOBODY,
    run: create(
      () => "llm_usage/2024-03-06_auditor/shards/8",
      () => ({ calls: 1 }),
    ),
  },
  {
    collection: "llm_usage",
    op: "read",
    what: "llm_usage/2024-03-06_auditor",
    allowed: OPERATIONAL,
    run: read("llm_usage/2024-03-06_auditor"),
  },
  {
    collection: "llm_usage",
    op: "create",
    what: "llm_usage/2024-03-07_auditor",
    allowed: NOBODY,
    run: create(
      () => "llm_usage/2024-03-07_auditor",
      () => ({ calls: 0 }),
    ),
  },
  {
    collection: "llm_usage",
    op: "update",
    what: "llm_usage/2024-03-06_auditor calls",
    allowed: NOBODY,
    run: update("llm_usage/2024-03-06_auditor", { calls: 0 }),
  },
  {
    collection: "llm_usage",
    op: "delete",
    what: "llm_usage/2024-03-06_auditor",
    allowed: NOBODY,
    run: remove("llm_usage/2024-03-06_auditor"),
  },

  // An unknown collection is closed to everyone.
  // api_keys (server, through createApiKey/revokeApiKey): admins read the records (no key, only its hash as the id).
  { collection: "api_keys", op: "read", what: "a key record", allowed: [AD], run: read(API_KEY_DOC) },
  {
    collection: "api_keys",
    op: "create",
    what: "a forged key record",
    allowed: NOBODY,
    run: create(
      () => `api_keys/${"b".repeat(64)}`,
      () => ({ key_id: "key_bbbbbbbbbbbbbbbbbbbb", partner_id: "p1", name: "forged" }),
    ),
  },
  { collection: "api_keys", op: "update", what: "revoked_at cleared", allowed: NOBODY, run: update(API_KEY_DOC, { revoked_at: null }) },
  { collection: "api_keys", op: "delete", what: "a key record", allowed: NOBODY, run: remove(API_KEY_DOC) },
  // api_key_requests (server, createApiKey's memory of a request_id): no client access at all.
  { collection: "api_key_requests", op: "read", what: "which key a request made", allowed: NOBODY, run: read(API_KEY_REQUEST_DOC) },
  {
    collection: "api_key_requests",
    op: "create",
    what: "a forged request record",
    allowed: NOBODY,
    run: create(
      () => `api_key_requests/${"d".repeat(40)}`,
      () => ({ key_id: "key_bbbbbbbbbbbbbbbbbbbb", prefix: "fsgk_forged00" }),
    ),
  },
  {
    collection: "api_key_requests",
    op: "update",
    what: "the key a request made",
    allowed: NOBODY,
    run: update(API_KEY_REQUEST_DOC, { key_id: "key_cccccccccccccccccccc" }),
  },
  { collection: "api_key_requests", op: "delete", what: "a request record", allowed: NOBODY, run: remove(API_KEY_REQUEST_DOC) },
  { collection: "unknown_collection", op: "read", what: "unknown_collection/x", allowed: NOBODY, run: read("unknown_collection/x") },
  {
    collection: "unknown_collection",
    op: "create",
    what: "unknown_collection/y",
    allowed: NOBODY,
    run: create(
      () => "unknown_collection/y",
      () => ({ anything: true }),
    ),
  },
  {
    collection: "unknown_collection",
    op: "update",
    what: "unknown_collection/x",
    allowed: NOBODY,
    run: update("unknown_collection/x", { anything: false }),
  },
  { collection: "unknown_collection", op: "delete", what: "unknown_collection/x", allowed: NOBODY, run: remove("unknown_collection/x") },
];

const COLLECTIONS = [
  "partners",
  "users",
  "people",
  "production_entries",
  "terminal_receipts",
  "reconciliations",
  "reconciliations/{id}/inputs",
  "reconciliations/{id}/exclusions",
  "closed_days",
  "closing_months",
  "settings",
  "prior_period_adjustments",
  "statement_exceptions",
  "notifications",
  "audit_log",
  "audit_chains",
  "audit_verifications",
  "notifications_archive",
  "agent_status",
  "llm_usage",
  "api_keys",
  "api_key_requests",
  "unknown_collection",
];
const OPS: Op[] = ["read", "create", "update", "delete"];

// ------------------------------------------------------------------------------------------
// Edge cases: one persona each.
// ------------------------------------------------------------------------------------------

interface Edge {
  what: string;
  allow: boolean;
  run: Run;
  persona?: Persona;
  op?: Op;
  prepare?: (db: Firestore, uid: string) => Promise<unknown>;
}

const operator = ROLES.field_operator;
const coordinator = ROLES.jv_coordinator;
const longText = (n: number): string => "x".repeat(n);
const nowPlus = (ms: number): Timestamp => Timestamp.fromMillis(Date.now() + ms);

const createEntry =
  (over: DocumentData = {}, drop: string[] = []): Run =>
  (db, uid) =>
    setDoc(doc(db, `production_entries/edge_${uid}`), newEntry(uid, over, drop));

/**
 * Typed text the rules refuse (forbiddenCharacter in functions/src/domain/typed-text.ts): controls
 * (C0, DEL, C1), U+2028, U+2029, bidirectional embeddings, overrides and isolates.
 */
const FORBIDDEN_IN_NOTES = [
  "gross 1\u00000 bbl",
  "gross \u202e0051 bbl",
  "a\u202ab",
  "a\u2066b",
  "a\u2069b",
  "next\u0085line",
  "a\u0080b",
  "a\u007fb",
  "a\u001bb",
  "a\u000bb",
  "a\u2028b",
  "a\u2029b",
];
/** A sample as a test's title shows it: every character outside printable ASCII as \uXXXX. */
const escaped = (text: string): string =>
  JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
/** And what they accept: line breaks, tabs, accents, other scripts, right-to-left text, emoji. */
const PLAIN_NOTES = [
  "Meter proved.\r\nFactor\t1.0002\nsee ticket 44",
  "Zähler geeicht, Prüfung bestanden; café",
  "東京の計量器 1号",
  "\u05e9\u05dc\u05d5\u05dd \u0645\u06cc\u200c\u062e \u200f",
  "👩‍🔧 ok 🛢️",
];

const createEntryWithId =
  (id: string): Run =>
  (db, uid) =>
    setDoc(doc(db, `production_entries/${id}`), newEntry(uid));
const createReceiptWithId =
  (id: string): Run =>
  (db, uid) =>
    setDoc(doc(db, `terminal_receipts/${id}`), newReceipt(uid));

const jvSettings = (hour: number, offset: number) => (db: Firestore) =>
  setDoc(doc(db, "settings/jv"), { contract_day_start_hour: hour, utc_offset_minutes: offset });

const jvStart =
  (date: string, hour = 0, offset = 0) =>
  (db: Firestore) =>
    setDoc(doc(db, "settings/jv"), { contract_day_start_hour: hour, utc_offset_minutes: offset, jv_start_date: date });

const ENTRY_CREATE: Edge[] = [
  { what: "an id of 64 characters from [A-Za-z0-9_-]", allow: true, run: createEntryWithId(`e-${"x_".repeat(31)}`) },
  // Contract day 06:00 at +01:00: closed day 2024-03-05 runs 2024-03-05T05:00Z to 2024-03-06T05:00Z.
  {
    what: "06:00 at +01:00: 2024-03-06T04:59Z (still contract day 2024-03-05, closed)",
    allow: false,
    prepare: jvSettings(6, 60),
    run: createEntry({ measured_at: at("2024-03-06T04:59:00Z") }),
  },
  {
    what: "06:00 at +01:00: 2024-03-06T05:00Z (contract day 2024-03-06, open)",
    allow: true,
    prepare: jvSettings(6, 60),
    run: createEntry({ measured_at: at("2024-03-06T05:00:00Z") }),
  },
  {
    what: "06:00 at +01:00: 2024-03-05T04:59Z (contract day 2024-03-04, open)",
    allow: true,
    prepare: jvSettings(6, 60),
    run: createEntry({ measured_at: at("2024-03-05T04:59:00Z") }),
  },
  {
    what: "18:00 at -05:00: 2024-03-06T12:00Z (contract day 2024-03-05, closed)",
    allow: false,
    prepare: jvSettings(18, -300),
    run: createEntry({ measured_at: at("2024-03-06T12:00:00Z") }),
  },
  {
    what: "18:00 at -05:00: 2024-03-05T22:59Z (contract day 2024-03-04, open)",
    allow: true,
    prepare: jvSettings(18, -300),
    run: createEntry({ measured_at: at("2024-03-05T22:59:00Z") }),
  },
  {
    what: "jv_start_date 2024-03-01: 2024-02-29T23:59Z (before the JV)",
    allow: false,
    prepare: jvStart("2024-03-01"),
    run: createEntry({ measured_at: at("2024-02-29T23:59:00Z") }),
  },
  {
    what: "jv_start_date 2024-03-01: 2024-03-01T00:00Z (its first day)",
    allow: true,
    prepare: jvStart("2024-03-01"),
    run: createEntry({ measured_at: at("2024-03-01T00:00:00Z") }),
  },
  {
    what: "jv_start_date 2024-03-01, 06:00 at +01:00: 2024-03-01T04:59Z (contract day 2024-02-29, before the JV)",
    allow: false,
    prepare: jvStart("2024-03-01", 6, 60),
    run: createEntry({ measured_at: at("2024-03-01T04:59:00Z") }),
  },
  { what: "an id of 1,490 bytes", allow: false, run: createEntryWithId(longText(1490)) },
  { what: "an id of 65 characters", allow: false, run: createEntryWithId(longText(65)) },
  { what: "an id with a space", allow: false, run: createEntryWithId("entry 1") },
  { what: "an id with a dot", allow: false, run: createEntryWithId("entry.1") },
  // api_… ids are the gateway's (ticketEntryId): an operator taking one would make the gateway's
  // ticket a "duplicate" of the operator's figures.
  { what: "a gateway's id api_ + 43 characters", allow: false, run: createEntryWithId(`api_${"A".repeat(43)}`) },
  { what: "an id starting api_", allow: false, run: createEntryWithId("api_mine") },
  { what: "an id starting api but no underscore", allow: true, run: createEntryWithId("apix-1") },
  { what: "only the required fields", allow: true, run: createEntry({}, ["pressure_psig", "meter_factor", "meter_id", "note"]) },
  {
    what: "optional fields null (a web form's empty inputs)",
    allow: true,
    run: createEntry({ pressure_psig: null, meter_factor: null, meter_id: null, note: null }),
  },
  { what: "integer volumes and temperature", allow: true, run: createEntry({ gross_volume_bbl: 1000, temperature_degF: 60 }) },
  { what: "gross_volume_bbl 0.001", allow: true, run: createEntry({ gross_volume_bbl: 0.001 }) },
  { what: "bsw_percent 0", allow: true, run: createEntry({ bsw_percent: 0 }) },
  { what: "bsw_percent 99.99", allow: true, run: createEntry({ bsw_percent: 99.99 }) },
  { what: "negative temperature and pressure", allow: true, run: createEntry({ temperature_degF: -12.5, pressure_psig: -3 }) },
  { what: "meter_id of 64 characters", allow: true, run: createEntry({ meter_id: longText(64) }) },
  { what: "meter_id with a space, as gateways send ids", allow: true, run: createEntry({ meter_id: "LACT 01A" }) },
  { what: "meter_id with a joiner some scripts spell with", allow: true, run: createEntry({ meter_id: "\u0645\u06cc\u200c\u062e" }) },
  { what: "note of 2000 characters", allow: true, run: createEntry({ note: longText(2000) }) },
  // size() counts UTF-16 code units, as the gateways' endpoint does (meter-ticket.ts): an emoji counts two.
  { what: "note of 1000 emoji (2000 UTF-16 code units)", allow: true, run: createEntry({ note: "\u{1F6E2}".repeat(1000) }) },
  { what: "meter_id of 32 emoji (64 UTF-16 code units)", allow: true, run: createEntry({ meter_id: "\u{1F6E2}".repeat(32) }) },
  { what: "measured_at one minute ago", allow: true, run: createEntry({ measured_at: nowPlus(-60_000) }) },
  {
    what: "measured_at 2024-03-04T23:59:59.999Z (the day before a closed day)",
    allow: true,
    run: createEntry({ measured_at: at("2024-03-04T23:59:59.999Z") }),
  },
  {
    what: "measured_at 2024-03-06T00:00:00Z (the day after a closed day)",
    allow: true,
    run: createEntry({ measured_at: at("2024-03-06T00:00:00Z") }),
  },
  {
    what: "measured_at 2024-11-26T00:00:00Z (the day after closed 2024-11-25)",
    allow: true,
    run: createEntry({ measured_at: at("2024-11-26T00:00:00Z") }),
  },
  { what: "measured_at on closed day 2024-03-05 (00:00:00Z)", allow: false, run: createEntry({ measured_at: at("2024-03-05T00:00:00Z") }) },
  {
    what: "measured_at on closed day 2024-03-05 (23:59:59.999Z)",
    allow: false,
    run: createEntry({ measured_at: at("2024-03-05T23:59:59.999Z") }),
  },
  { what: "measured_at on closed day 2024-11-25 (12:00Z)", allow: false, run: createEntry({ measured_at: at("2024-11-25T12:00:00Z") }) },
  {
    what: "measured_at on closed day 0999-01-02 (a zero-padded year)",
    allow: false,
    run: createEntry({ measured_at: at("0999-01-02T06:00:00Z") }),
  },
  {
    what: "measured_at 0999-01-03 (open, but before the 2000-01-01 floor)",
    allow: false,
    run: createEntry({ measured_at: at("0999-01-03T06:00:00Z") }),
  },
  { what: "measured_at 0001-01-01 (before the floor)", allow: false, run: createEntry({ measured_at: at("0001-01-01T00:00:00Z") }) },
  {
    what: "measured_at 1999-12-31T23:59:59.999Z (just before the floor)",
    allow: false,
    run: createEntry({ measured_at: at("1999-12-31T23:59:59.999Z") }),
  },
  { what: "measured_at 2000-01-01T00:00:00Z (the floor)", allow: true, run: createEntry({ measured_at: at("2000-01-01T00:00:00Z") }) },
  { what: "measured_at one hour in the future", allow: false, run: createEntry({ measured_at: nowPlus(3_600_000) }) },
  {
    what: "measured_at with a sub-millisecond part (04:59:59.9996)",
    allow: false,
    run: createEntry({ measured_at: new Timestamp(at("2024-03-06T04:59:59Z").seconds, 999_600_000) }),
  },
  {
    what: "measured_at in whole milliseconds (04:59:59.999)",
    allow: true,
    run: createEntry({ measured_at: new Timestamp(at("2024-03-06T04:59:59Z").seconds, 999_000_000) }),
  },
  { what: "measured_at as a string", allow: false, run: createEntry({ measured_at: "2024-03-06" }) },
  ...["partner_id", "measured_at", "gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity", "created_by", "created_at"].map(
    (key): Edge => ({ what: `without ${key}`, allow: false, run: createEntry({}, [key]) }),
  ),
  { what: "partner_id p2 (not the claim)", allow: false, run: createEntry({ partner_id: "p2" }) },
  { what: "partner_id as a number", allow: false, run: createEntry({ partner_id: 1 }) },
  { what: "created_by another uid", allow: false, run: createEntry({ created_by: "op1b" }) },
  { what: "created_at from the client clock", allow: false, run: createEntry({ created_at: Timestamp.now() }) },
  { what: "gross_volume_bbl 0", allow: false, run: createEntry({ gross_volume_bbl: 0 }) },
  { what: "gross_volume_bbl -10", allow: false, run: createEntry({ gross_volume_bbl: -10 }) },
  { what: "gross_volume_bbl as a string", allow: false, run: createEntry({ gross_volume_bbl: "1250" }) },
  { what: "gross_volume_bbl NaN", allow: false, run: createEntry({ gross_volume_bbl: NaN }) },
  { what: "gross_volume_bbl Infinity", allow: false, run: createEntry({ gross_volume_bbl: Infinity }) },
  { what: "bsw_percent -0.01", allow: false, run: createEntry({ bsw_percent: -0.01 }) },
  { what: "bsw_percent 100", allow: false, run: createEntry({ bsw_percent: 100 }) },
  { what: "bsw_percent as a string", allow: false, run: createEntry({ bsw_percent: "1" }) },
  { what: "temperature_degF as a string", allow: false, run: createEntry({ temperature_degF: "hot" }) },
  { what: "temperature_degF NaN", allow: false, run: createEntry({ temperature_degF: NaN }) },
  { what: "temperature_degF -Infinity", allow: false, run: createEntry({ temperature_degF: -Infinity }) },
  { what: "api_gravity null", allow: false, run: createEntry({ api_gravity: null }) },
  { what: "api_gravity as a string", allow: false, run: createEntry({ api_gravity: "34" }) },
  { what: "pressure_psig as a string", allow: false, run: createEntry({ pressure_psig: "45" }) },
  { what: "pressure_psig Infinity", allow: false, run: createEntry({ pressure_psig: Infinity }) },
  { what: "meter_factor 0", allow: false, run: createEntry({ meter_factor: 0 }) },
  { what: "meter_factor -1", allow: false, run: createEntry({ meter_factor: -1 }) },
  { what: "meter_factor as a string", allow: false, run: createEntry({ meter_factor: "1" }) },
  { what: "meter_id of 65 characters", allow: false, run: createEntry({ meter_id: longText(65) }) },
  { what: "meter_id of 33 emoji (66 UTF-16 code units)", allow: false, run: createEntry({ meter_id: "\u{1F6E2}".repeat(33) }) },
  {
    what: "note of 1000 emoji and one letter (2001 UTF-16 code units)",
    allow: false,
    run: createEntry({ note: `${"\u{1F6E2}".repeat(1000)}x` }),
  },
  { what: "meter_id as a number", allow: false, run: createEntry({ meter_id: 7 }) },
  ...[
    "M-7\nYour allocation: 9,999.00 bbl",
    "M\t7",
    "M-7\u2028x",
    "M-7\u2029x",
    "\u202eA10-TCAL",
    "LA\u00adCT",
    "LACT\u200b01A",
    "LACT\u206601A",
    "\ufeffLACT",
    "M-7\u0000",
  ].map((meter_id) => ({
    what: `meter_id ${JSON.stringify(meter_id)} (a control, line-separator, bidirectional or invisible character)`,
    allow: false,
    run: createEntry({ meter_id }),
  })),
  { what: "note of 2001 characters", allow: false, run: createEntry({ note: longText(2001) }) },
  ...FORBIDDEN_IN_NOTES.map((note) => ({
    what: `note ${escaped(note)} (a forbidden character)`,
    allow: false,
    run: createEntry({ note }),
  })),
  ...PLAIN_NOTES.map((note) => ({ what: `note ${escaped(note)}`, allow: true, run: createEntry({ note }) })),
  { what: "note as a map", allow: false, run: createEntry({ note: { text: "x" } }) },
  { what: "with a correction_note", allow: false, run: createEntry({ correction_note: "pre-emptive" }) },
  { what: "with a server field audit", allow: false, run: createEntry({ audit: { status: "validated" } }) },
  { what: "with a server field review", allow: false, run: createEntry({ review: { decision: "approved" } }) },
  { what: "with an unknown field", allow: false, run: createEntry({ priority: "high" }) },
  { what: "for p2, its own partner", allow: true, persona: OTHERS.op2, run: createEntry({ partner_id: "p2" }) },
  { what: "for p1, another partner", allow: false, persona: OTHERS.op2, run: createEntry({ partner_id: "p1" }) },
  { what: "without a partner_id claim", allow: false, persona: OTHERS.opNoPartner, run: createEntry({ partner_id: "p1" }) },
  {
    what: "with an empty partner_id claim and partner_id ''",
    allow: false,
    persona: OTHERS.opEmptyPartner,
    run: createEntry({ partner_id: "" }),
  },
  { what: "with an unknown role claim", allow: false, persona: OTHERS.superuser, run: createEntry() },
];

const OPEN = "production_entries/e_op1_open";
const CLOSED = "production_entries/e_op1_closed";
const CORRECTED = "production_entries/e_op1_corrected";

const ENTRY_OPERATOR_UPDATE: Edge[] = [
  { what: "note only", allow: true, run: update(OPEN, { note: "re-gauged" }) },
  {
    what: "gross_volume_bbl, bsw_percent, temperature_degF, api_gravity",
    allow: true,
    run: update(OPEN, { gross_volume_bbl: 1260, bsw_percent: 1.1, temperature_degF: 90, api_gravity: 33.8 }),
  },
  { what: "measured_at to another open day", allow: true, run: update(OPEN, { measured_at: at("2024-03-07T08:00:00Z") }) },
  {
    what: "pressure_psig removed, meter_factor null, meter_id changed",
    allow: true,
    run: update(OPEN, { pressure_psig: deleteField(), meter_factor: null, meter_id: "M-02" }),
  },
  {
    what: "note, on an entry that holds a server field these rules do not know",
    allow: true,
    prepare: (db) => updateDoc(doc(db, OPEN), { audit_lease: { owner: "auditor", until: at("2024-03-06T08:05:00Z") } }),
    run: update(OPEN, { note: "re-gauged" }),
  },
  { what: "measured_at moved onto closed day 2024-03-05", allow: false, run: update(OPEN, { measured_at: at(CLOSED_DAY_AT) }) },
  { what: "closed-day entry moved to an open day", allow: false, run: update(CLOSED, { measured_at: at(OPEN_DAY_AT) }) },
  { what: "closed-day entry: gross_volume_bbl", allow: false, run: update(CLOSED, { gross_volume_bbl: 1 }) },
  { what: "partner_id to p2", allow: false, run: update(OPEN, { partner_id: "p2" }) },
  { what: "created_by to op1b", allow: false, run: update(OPEN, { created_by: "op1b" }) },
  { what: "created_at to serverTimestamp()", allow: false, run: update(OPEN, { created_at: serverTimestamp() }) },
  { what: "audit.status to rejected", allow: false, run: update(OPEN, { "audit.status": "rejected" }) },
  { what: "audit removed (back to pending)", allow: false, run: update(OPEN, { audit: deleteField() }) },
  { what: "review added", allow: false, run: update(OPEN, { review: { decision: "approved", by: "op1", note: "" } }) },
  { what: "correction_note added", allow: false, run: update(OPEN, { gross_volume_bbl: 1300, correction_note: "mine" }) },
  { what: "gross_volume_bbl removed", allow: false, run: update(OPEN, { gross_volume_bbl: deleteField() }) },
  { what: "gross_volume_bbl -1", allow: false, run: update(OPEN, { gross_volume_bbl: -1 }) },
  { what: "bsw_percent 100", allow: false, run: update(OPEN, { bsw_percent: 100 }) },
  { what: "measured_at in the future", allow: false, run: update(OPEN, { measured_at: nowPlus(3_600_000) }) },
  { what: "an unknown field added", allow: false, run: update(OPEN, { priority: "high" }) },
  { what: "e_op1b (same partner, another operator's entry)", allow: false, run: update("production_entries/e_op1b", { note: "x" }) },
  { what: "e_op1_open as op2 (other partner)", allow: false, persona: OTHERS.op2, run: update(OPEN, { note: "x" }) },
  { what: "note with U+202E", allow: false, run: update(OPEN, { note: "gross \u202e0051 bbl" }) },
  { what: "note with NUL, figures too", allow: false, run: update(OPEN, { gross_volume_bbl: 1260, note: "x\u0000" }) },
  { what: "meter_id with U+202E", allow: false, run: update(OPEN, { meter_id: "LACT\u202e01" }) },
  { what: "meter_id with NUL", allow: false, run: update(OPEN, { meter_id: "LACT\u000001" }) },
  { what: "note with line breaks and emoji", allow: true, run: update(OPEN, { note: "re-gauged\n👩‍🔧 twice" }) },
  {
    what: "gross_volume_bbl, on an entry whose older note and meter_id hold U+202E and NUL (left as they are)",
    allow: true,
    prepare: (db) => updateDoc(doc(db, OPEN), { note: "old \u202e0051", meter_id: "OLD\u0000" }),
    run: update(OPEN, { gross_volume_bbl: 1260 }),
  },
  {
    what: "the older note with U+202E replaced by another holding U+2066",
    allow: false,
    prepare: (db) => updateDoc(doc(db, OPEN), { note: "old \u202e0051" }),
    run: update(OPEN, { note: "new \u20660051" }),
  },
  {
    what: "the older note with U+202E replaced by a plain one",
    allow: true,
    prepare: (db) => updateDoc(doc(db, OPEN), { note: "old \u202e0051" }),
    run: update(OPEN, { note: "0051" }),
  },
  { what: "own entry after the claim moved to p2", allow: false, persona: OTHERS.op1MovedToP2, run: update(OPEN, { note: "x" }) },
  { what: "e_op1b as op1b (its own entry)", allow: true, persona: OTHERS.op1b, run: update("production_entries/e_op1b", { note: "x" }) },
  // A coordinator's signed correction stays as signed: the operator's edit would keep its note and name.
  { what: "own entry a coordinator corrected: gross_volume_bbl", allow: false, run: update(CORRECTED, { gross_volume_bbl: 1 }) },
  { what: "own entry a coordinator corrected: note only", allow: false, run: update(CORRECTED, { note: "x" }) },
];

/** A coordinator's correction as the web app writes it: signed with corrected_by and corrected_at. */
const correct =
  (path: string, data: DocumentData): Run =>
  (db, uid) =>
    updateDoc(doc(db, path), { ...data, corrected_by: uid, corrected_at: serverTimestamp() });

/** A missed entry a coordinator enters on a closed day. */
const lateEntry =
  (over: DocumentData, drop: string[] = [], id?: string): Run =>
  (db, uid) => {
    const data: DocumentData = {
      ...newEntry(uid, {
        measured_at: at(CLOSED_DAY_AT),
        correction_note: "ticket found late",
        corrected_by: uid,
        corrected_at: serverTimestamp(),
        ...over,
      }),
    };
    for (const key of drop) delete data[key];
    return setDoc(doc(db, `production_entries/${id ?? `late_${uid}`}`), data);
  };

const ENTRY_CORRECTION: Edge[] = [
  {
    what: "correction_note only (rewording the last correction)",
    allow: true,
    run: correct(CORRECTED, { correction_note: "meter swap on 6 March" }),
  },
  {
    what: "measured_at, note and correction_note on a closed day",
    allow: true,
    run: correct(CLOSED, { measured_at: at("2024-03-04T12:00:00Z"), note: "moved", correction_note: "wrong day" }),
  },
  { what: "second correction with a new note", allow: true, run: correct(CORRECTED, { bsw_percent: 1.5, correction_note: "lab BS&W" }) },
  ...FORBIDDEN_IN_NOTES.map((correction_note) => ({
    what: `correction_note ${escaped(correction_note)} (a forbidden character)`,
    allow: false,
    run: correct(OPEN, { gross_volume_bbl: 1300, correction_note }),
  })),
  ...PLAIN_NOTES.map((correction_note) => ({
    what: `correction_note ${escaped(correction_note)}`,
    allow: true,
    run: correct(OPEN, { gross_volume_bbl: 1300, correction_note }),
  })),
  {
    what: "note with U+202E beside a plain correction_note",
    allow: false,
    run: correct(OPEN, { note: "gross \u202e0051 bbl", correction_note: "typo" }),
  },
  {
    what: "meter_id with NUL beside a correction_note",
    allow: false,
    run: correct(OPEN, { meter_id: "M\u0000", correction_note: "typo" }),
  },
  {
    what: "figures of an entry whose older note and correction_note hold U+202E and NUL, with a new plain correction_note",
    allow: true,
    prepare: (db) => updateDoc(doc(db, CORRECTED), { note: "old \u202e0051", correction_note: "old\u0000" }),
    run: correct(CORRECTED, { gross_volume_bbl: 1300, correction_note: "meter re-proved" }),
  },
  { what: "measured field without correction_note", allow: false, run: correct(OPEN, { gross_volume_bbl: 1300 }) },
  { what: "correction_note ''", allow: false, run: correct(OPEN, { gross_volume_bbl: 1300, correction_note: "" }) },
  { what: "correction_note of blanks", allow: false, run: correct(OPEN, { gross_volume_bbl: 1300, correction_note: "   " }) },
  {
    what: "correction_note unchanged from the last correction",
    allow: false,
    run: correct(CORRECTED, { gross_volume_bbl: 1300, correction_note: "meter swap" }),
  },
  { what: "correction_note removed", allow: false, run: correct(CORRECTED, { gross_volume_bbl: 1300, correction_note: deleteField() }) },
  {
    what: "correction_note of 2001 characters",
    allow: false,
    run: correct(OPEN, { gross_volume_bbl: 1300, correction_note: longText(2001) }),
  },
  { what: "correction_note as a number", allow: false, run: correct(OPEN, { gross_volume_bbl: 1300, correction_note: 1 }) },
  { what: "partner_id with a correction_note", allow: false, run: correct(OPEN, { partner_id: "p2", correction_note: "wrong partner" }) },
  { what: "created_by with a correction_note", allow: false, run: correct(OPEN, { created_by: "coord1", correction_note: "mine now" }) },
  { what: "audit with a correction_note", allow: false, run: correct(OPEN, { "audit.status": "rejected", correction_note: "ok" }) },
  {
    what: "review with a correction_note (reviewEntry's job)",
    allow: false,
    run: correct(OPEN, { review: { decision: "approved" }, correction_note: "ok" }),
  },
  { what: "bsw_percent 150 with a correction_note", allow: false, run: correct(OPEN, { bsw_percent: 150, correction_note: "typo" }) },
  {
    what: "measured_at in the future with a correction_note",
    allow: false,
    run: correct(OPEN, { measured_at: nowPlus(3_600_000), correction_note: "typo" }),
  },
  { what: "an unknown field with a correction_note", allow: false, run: correct(OPEN, { priority: "high", correction_note: "typo" }) },
  {
    what: "closed-day entry by admin",
    allow: true,
    persona: ROLES.admin,
    run: correct(CLOSED, { temperature_degF: 88, correction_note: "thermometer" }),
  },
  {
    what: "closed-day entry by auditor",
    allow: false,
    persona: ROLES.auditor,
    run: correct(CLOSED, { temperature_degF: 88, correction_note: "thermometer" }),
  },
  {
    what: "own-partner entry by jv_partner",
    allow: false,
    persona: ROLES.jv_partner,
    run: correct(OPEN, { temperature_degF: 88, correction_note: "thermometer" }),
  },
  {
    what: "measured field, correction_note, but no corrected_by/corrected_at",
    allow: false,
    run: update(OPEN, { gross_volume_bbl: 1300, correction_note: "unsigned" }),
  },
  {
    what: "corrected_by naming someone else",
    allow: false,
    run: update(OPEN, { gross_volume_bbl: 1300, correction_note: "x", corrected_by: "op1", corrected_at: serverTimestamp() }),
  },
  {
    what: "corrected_at not the server's time",
    allow: false,
    run: update(OPEN, { gross_volume_bbl: 1300, correction_note: "x", corrected_by: "coord1", corrected_at: at("2024-03-06T08:00:00Z") }),
  },
  { what: "a late entry on closed day 2024-03-05 (create, signed)", allow: true, op: "create", run: lateEntry({}) },
  { what: "a late entry without a correction_note", allow: false, op: "create", run: lateEntry({}, ["correction_note"]) },
  { what: "a late entry without corrected_by", allow: false, op: "create", run: lateEntry({}, ["corrected_by"]) },
  { what: "a late entry with a 1,490-byte id", allow: false, op: "create", run: lateEntry({}, [], longText(1490)) },
  { what: "a late entry by an auditor", allow: false, op: "create", persona: ROLES.auditor, run: lateEntry({}) },
  { what: "a late entry by admin", allow: true, op: "create", persona: ROLES.admin, run: lateEntry({}) },
  { what: "a late entry with a gateway's api_ id", allow: false, op: "create", run: lateEntry({}, [], `api_${"B".repeat(43)}`) },
  // A partner that left the JV has no production from the day it left; an unknown one none at all.
  { what: "a late entry of former partner p4 before it left", allow: true, op: "create", run: lateEntry({ partner_id: "p4" }) },
  {
    what: "a late entry of former partner p4 at the instant it left",
    allow: false,
    op: "create",
    run: lateEntry({ partner_id: "p4", measured_at: at(FORMER_LEFT_AT) }),
  },
  { what: "a late entry of deactivated p3 (it has not left)", allow: true, op: "create", run: lateEntry({ partner_id: "p3" }) },
  { what: "a late entry of a partner the JV does not have", allow: false, op: "create", run: lateEntry({ partner_id: "p404" }) },
  {
    what: "a correction moving former partner p4's entry to the day it left",
    allow: false,
    op: "update",
    run: correct("production_entries/e_op4_before", { measured_at: at(FORMER_LEFT_AT), correction_note: "wrong day" }),
  },
  {
    what: "a correction of former partner p4's entry before it left",
    allow: true,
    op: "update",
    run: correct("production_entries/e_op4_before", { gross_volume_bbl: 1300, correction_note: "meter proved" }),
  },
];

const createReceipt =
  (over: DocumentData = {}, drop: string[] = []): Run =>
  (db, uid) =>
    setDoc(doc(db, `terminal_receipts/edge_${uid}`), newReceipt(uid, over, drop));

const RECEIPT_CREATE: Edge[] = [
  { what: "an id of 1,490 bytes", allow: false, run: createReceiptWithId(longText(1490)) },
  { what: "an id with a slash-like %2F", allow: false, run: createReceiptWithId("r%2F1") },
  { what: "an id of 64 characters", allow: true, run: createReceiptWithId(`r${"9".repeat(63)}`) },
  { what: "only the required fields", allow: true, run: createReceipt({}, ["terminal_name", "pressure_psig", "meter_factor"]) },
  {
    what: "a month-long period",
    allow: true,
    run: createReceipt({ period_start: at("2024-02-01T00:00:00Z"), period_end: at("2024-03-01T00:00:00Z") }),
  },
  {
    what: "a period of 366 days",
    allow: true,
    run: createReceipt({ period_start: at("2024-01-01T00:00:00Z"), period_end: at("2025-01-01T00:00:00Z") }),
  },
  {
    what: "a period one second past 366 days (reconcile could never close it)",
    allow: false,
    run: createReceipt({ period_start: at("2024-01-01T00:00:00Z"), period_end: at("2025-01-01T00:00:01Z") }),
  },
  { what: "terminal_name null (read as absent)", allow: true, run: createReceipt({ terminal_name: null }) },
  { what: "period_start == period_end", allow: false, run: createReceipt({ period_end: at("2024-03-06T00:00:00Z") }) },
  { what: "period_start after period_end", allow: false, run: createReceipt({ period_start: at("2024-03-08T00:00:00Z") }) },
  { what: "period_start as a string", allow: false, run: createReceipt({ period_start: "2024-03-06" }) },
  { what: "without period_end", allow: false, run: createReceipt({}, ["period_end"]) },
  { what: "without api_gravity", allow: false, run: createReceipt({}, ["api_gravity"]) },
  { what: "without created_at", allow: false, run: createReceipt({}, ["created_at"]) },
  { what: "created_by another uid", allow: false, run: createReceipt({ created_by: "admin1" }) },
  { what: "created_at from the client clock", allow: false, run: createReceipt({ created_at: Timestamp.now() }) },
  { what: "with latest_reconciliation_id (server field)", allow: false, run: createReceipt({ latest_reconciliation_id: "r9_v1" }) },
  { what: "gross_volume_bbl 0", allow: false, run: createReceipt({ gross_volume_bbl: 0 }) },
  { what: "bsw_percent 100", allow: false, run: createReceipt({ bsw_percent: 100 }) },
  { what: "meter_factor 0", allow: false, run: createReceipt({ meter_factor: 0 }) },
  { what: "temperature_degF as a string", allow: false, run: createReceipt({ temperature_degF: "80" }) },
  { what: "terminal_name of 129 characters", allow: false, run: createReceipt({ terminal_name: longText(129) }) },
  ...["Bon\u202eny", "Bonny\u0000", "Bonny\nTerminal", "Bon\u2067ny", "Bonny\u0085"].map((terminal_name) => ({
    what: `terminal_name ${escaped(terminal_name)} (a forbidden character)`,
    allow: false,
    run: createReceipt({ terminal_name }),
  })),
  { what: 'terminal_name "Bonny Öl-Terminal 東京 🛢️"', allow: true, run: createReceipt({ terminal_name: "Bonny Öl-Terminal 東京 🛢️" }) },
  { what: "an unknown field", allow: false, run: createReceipt({ allocation_hint: "p1" }) },
  {
    what: "a corrected ticket replacing a receipt, with why",
    allow: true,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note: "The terminal re-proved its meter: factor 1.0004." }),
  },
  { what: "a corrected ticket without a correction_note", allow: false, run: createReceipt({ supersedes_receipt_id: "r1" }) },
  {
    what: "a corrected ticket naming a reserved __id__ (the server refuses it, and receipts are immutable)",
    allow: false,
    run: createReceipt({ supersedes_receipt_id: "__r1__", correction_note: "The terminal re-proved its meter." }),
  },
  {
    what: "a corrected ticket with a blank correction_note",
    allow: false,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note: " \n " }),
  },
  {
    what: "a corrected ticket with a correction_note of 2,000 characters",
    allow: true,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note: longText(2000) }),
  },
  {
    what: "a corrected ticket with a correction_note of 2,001 characters",
    allow: false,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note: longText(2001) }),
  },
  { what: "a correction_note that is not text", allow: false, run: createReceipt({ supersedes_receipt_id: "r1", correction_note: 42 }) },
  ...["re-proved \u202e0051", "re-proved\u0000", "re-proved\u2028"].map((correction_note) => ({
    what: `a corrected ticket with a correction_note ${escaped(correction_note)} (a forbidden character)`,
    allow: false,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note }),
  })),
  {
    what: "a corrected ticket with a correction_note of lines",
    allow: true,
    run: createReceipt({ supersedes_receipt_id: "r1", correction_note: "Re-proved.\r\nFactor\t1.0004 — Zähler 🛢️" }),
  },
  { what: "a correction_note on a receipt that replaces nothing", allow: false, run: createReceipt({ correction_note: "why?" }) },
];

const OWN_NOTE = "notifications/n_op1";
/** As many of op1's own notifications as the web app's Mark all read commits in one batch (inbox.tsx). */
const MARK_ALL_BATCH = 20;
const seedOwnNotes = async (db: Firestore, uid: string) => {
  const batch = writeBatch(db);
  for (let i = 0; i < MARK_ALL_BATCH; i += 1) {
    batch.set(doc(db, `notifications/many_${uid}_${i}`), {
      recipient_uid: uid,
      type: "entry_flagged",
      read: false,
      created_at: at("2024-03-06T09:02:00Z"),
    });
  }
  return batch.commit();
};
const markRead = (paths: string[]) => (db: Firestore) => {
  const batch = writeBatch(db);
  for (const path of paths) batch.update(doc(db, path), { read: true });
  return batch.commit();
};
const ownNotes = (uid: string) => Array.from({ length: MARK_ALL_BATCH }, (_, i) => `notifications/many_${uid}_${i}`);

const NOTIFICATION_UPDATE: Edge[] = [
  // Each update's rule reads the operator's partner (partnerActive): 20 reads, a batched write's limit in production.
  {
    what: `${MARK_ALL_BATCH} own notifications read in one batch (Mark all read)`,
    allow: true,
    prepare: seedOwnNotes,
    run: (db, uid) => markRead(ownNotes(uid))(db),
  },
  {
    what: "a batch of own notifications with someone else's among them (refused whole)",
    allow: false,
    prepare: seedOwnNotes,
    run: (db, uid) => markRead([...ownNotes(uid).slice(0, 10), "notifications/n_op1b"])(db),
  },
  {
    what: "read false after true (mark unread)",
    allow: true,
    run: async (db) => {
      await updateDoc(doc(db, OWN_NOTE), { read: true });
      return updateDoc(doc(db, OWN_NOTE), { read: false });
    },
  },
  { what: "read as a string", allow: false, run: update(OWN_NOTE, { read: "yes" }) },
  { what: "read removed", allow: false, run: update(OWN_NOTE, { read: deleteField() }) },
  { what: "read and body together", allow: false, run: update(OWN_NOTE, { read: true, body: "edited" }) },
  { what: "recipient_uid to another user", allow: false, run: update(OWN_NOTE, { recipient_uid: "op1b" }) },
  {
    what: "own notification as a user with no role",
    allow: false,
    persona: ROLES.no_role,
    run: update("notifications/n_norole1", { read: true }),
  },
];

const entries = (db: Firestore) => collection(db, "production_entries");
const reports = (db: Firestore) => collection(db, "reconciliations");
const adjustments = (db: Firestore) => collection(db, "prior_period_adjustments");
/** The statements list's query of the adjustments two listed versions raised for a partner. */
const exceptionsTo = (db: Firestore, reconciliationId: string, partnerId?: string) =>
  query(
    collection(db, "statement_exceptions"),
    where("reconciliation_id", "==", reconciliationId),
    ...(partnerId ? [where("partner_id", "==", partnerId)] : []),
  );
const restatementsOf = (db: Firestore, partnerId: string, releasedOnly: boolean) =>
  query(
    adjustments(db),
    where("from_reconciliation_id", "in", ["r1_v2", "r1_v3"]),
    where("partner_id", "==", partnerId),
    ...(releasedOnly ? [where("released", "==", true)] : []),
  );
const QUERIES: Edge[] = [
  // A partner's queries of reports and adjustments say released == true, or they are refused whole.
  {
    what: "reconciliations where released == true",
    allow: true,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(query(reports(db), where("released", "==", true))),
  },
  { what: "reconciliations unfiltered", allow: false, persona: ROLES.jv_partner, run: (db) => getDocs(reports(db)) },
  { what: "reconciliations unfiltered", allow: true, persona: ROLES.auditor, run: (db) => getDocs(reports(db)) },
  {
    what: "own adjustments where released == true",
    allow: true,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(query(adjustments(db), where("partner_id", "==", "p1"), where("released", "==", true))),
  },
  {
    what: "own adjustments without released",
    allow: false,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(query(adjustments(db), where("partner_id", "==", "p1"))),
  },
  // The statements list reads the restatements of the versions it lists, 30 to a query.
  // The statement page lists a partner's own exceptions to it, a coordinator's all.
  {
    what: "own exceptions to a statement",
    allow: true,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(exceptionsTo(db, "r1_v1", "p1")),
  },
  {
    what: "every partner's exceptions to a statement",
    allow: false,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(exceptionsTo(db, "r1_v1")),
  },
  {
    what: "every partner's exceptions to a statement, as a coordinator",
    allow: true,
    persona: ROLES.jv_coordinator,
    run: (db) => getDocs(exceptionsTo(db, "r1_v1")),
  },
  {
    what: "own exceptions to a statement, as another partner's jv_partner",
    allow: false,
    persona: OTHERS.jvp2,
    run: (db) => getDocs(exceptionsTo(db, "r1_v1", "p1")),
  },
  {
    what: "own released adjustments of listed versions (from_reconciliation_id in [...])",
    allow: true,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(restatementsOf(db, "p1", true)),
  },
  {
    what: "another partner's released adjustments of listed versions",
    allow: false,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(restatementsOf(db, "p2", true)),
  },
  {
    what: "own adjustments of listed versions without released",
    allow: false,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(restatementsOf(db, "p1", false)),
  },
  {
    what: "production_entries where partner_id == p1",
    allow: true,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p1"))),
  },
  { what: "production_entries unfiltered", allow: false, run: (db) => getDocs(entries(db)) },
  {
    what: "production_entries where partner_id == p2",
    allow: false,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p2"))),
  },
  {
    what: "production_entries where partner_id == p1",
    allow: true,
    persona: ROLES.jv_partner,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p1"))),
  },
  {
    what: "production_entries where partner_id == p1",
    allow: false,
    persona: OTHERS.jvp2,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p1"))),
  },
  { what: "production_entries unfiltered", allow: true, persona: coordinator, run: (db) => getDocs(entries(db)) },
  {
    what: "production_entries where partner_id == p1",
    allow: false,
    persona: OTHERS.opNoPartner,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p1"))),
  },
  {
    what: "notifications where recipient_uid == own uid",
    allow: true,
    run: (db, uid) => getDocs(query(collection(db, "notifications"), where("recipient_uid", "==", uid))),
  },
  { what: "notifications unfiltered", allow: false, run: (db) => getDocs(collection(db, "notifications")) },
  { what: "notifications unfiltered", allow: true, persona: ROLES.auditor, run: (db) => getDocs(collection(db, "notifications")) },
  { what: "audit_log", allow: true, persona: ROLES.auditor, run: (db) => getDocs(collection(db, "audit_log")) },
  { what: "audit_log", allow: false, persona: coordinator, run: (db) => getDocs(collection(db, "audit_log")) },
  { what: "reconciliations", allow: false, run: (db) => getDocs(collection(db, "reconciliations")) },
  { what: "users", allow: true, persona: ROLES.auditor, run: (db) => getDocs(collection(db, "users")) },
  { what: "users", allow: false, run: (db) => getDocs(collection(db, "users")) },
  // Names one uid at a time: nobody lists every account and its role.
  { what: "people unfiltered", allow: false, persona: ROLES.admin, run: (db) => getDocs(collection(db, "people")) },
  { what: "people unfiltered", allow: false, persona: ROLES.jv_partner, run: (db) => getDocs(collection(db, "people")) },
];

const CLAIMS: Edge[] = [
  { what: "partners/p1", allow: false, persona: OTHERS.superuser, run: read("partners/p1") },
  { what: "own profile", allow: true, persona: OTHERS.superuser, run: read("users/su1") },
  { what: "production_entries/e_op1b", allow: false, persona: OTHERS.superuser, run: read("production_entries/e_op1b") },
  { what: "partners/p1", allow: false, persona: OTHERS.opNoPartner, run: read("partners/p1") },
  { what: "reconciliations/r1_v1", allow: false, persona: OTHERS.jvpNoPartner, run: read("reconciliations/r1_v1") },
  { what: "production_entries/e_op1b", allow: false, persona: OTHERS.jvp2, run: read("production_entries/e_op1b") },
  { what: "production_entries/e_op2", allow: true, persona: OTHERS.jvp2, run: read("production_entries/e_op2") },
  { what: "production_entries/e_op1_open", allow: false, persona: OTHERS.op2, run: read("production_entries/e_op1_open") },
];

// A partner-bound role needs an existing, active partner: without one it reads and writes nothing
// partner-scoped (and deactivating a partner stops its operators at once).
const inactiveEntry = (uid: string, over: DocumentData = {}): DocumentData => newEntry(uid, { partner_id: "p3", ...over });
const PARTNER_BOUND: Edge[] = [
  {
    what: "create an entry for inactive p3",
    op: "create",
    allow: false,
    persona: OTHERS.opInactive,
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), inactiveEntry(uid)),
  },
  {
    what: "update own entry e_op3 of inactive p3",
    op: "update",
    allow: false,
    persona: OTHERS.opInactive,
    run: update("production_entries/e_op3", { gross_volume_bbl: 1300 }),
  },
  { what: "read own entry e_op3 of inactive p3", allow: false, persona: OTHERS.opInactive, run: read("production_entries/e_op3") },
  // Its own partner, to be told why (the web app's notice); no other partner, no partner list.
  { what: "partners/p3 as an operator of inactive p3", allow: true, persona: OTHERS.opInactive, run: read("partners/p3") },
  { what: "partners/p3 as a jv_partner of inactive p3", allow: true, persona: OTHERS.jvpInactive, run: read("partners/p3") },
  { what: "partners/p1 as an operator of inactive p3", allow: false, persona: OTHERS.opInactive, run: read("partners/p1") },
  { what: "partners/p1 as a jv_partner of inactive p3", allow: false, persona: OTHERS.jvpInactive, run: read("partners/p1") },
  {
    what: "the partners list as an operator of inactive p3",
    allow: false,
    persona: OTHERS.opInactive,
    run: (db) => getDocs(collection(db, "partners")),
  },
  { what: "partners/p404 as a jv_partner of missing p404", allow: true, persona: OTHERS.jvpGhost, run: read("partners/p404") },
  { what: "partners/p1 as a jv_partner of missing p404", allow: false, persona: OTHERS.jvpGhost, run: read("partners/p1") },
  {
    what: "reconciliations/r1_v1 as a jv_partner of inactive p3",
    allow: false,
    persona: OTHERS.jvpInactive,
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "terminal_receipts/r1 as a jv_partner of inactive p3",
    allow: false,
    persona: OTHERS.jvpInactive,
    run: read("terminal_receipts/r1"),
  },
  { what: "own notification as an operator of inactive p3", allow: false, persona: OTHERS.opInactive, run: read("notifications/n_op3") },
  {
    what: "create an entry for missing p404",
    op: "create",
    allow: false,
    persona: OTHERS.opGhost,
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid, { partner_id: "p404" })),
  },
  {
    what: "reconciliations/r1_v1 as a jv_partner of missing p404",
    allow: false,
    persona: OTHERS.jvpGhost,
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "create an entry without partner_id claim",
    op: "create",
    allow: false,
    persona: OTHERS.opNoPartner,
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid)),
  },
  {
    what: "create an entry with partner_id claim ''",
    op: "create",
    allow: false,
    persona: OTHERS.opEmptyPartner,
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid, { partner_id: "" })),
  },
  {
    what: "reconciliations/r1_v1 without partner_id claim",
    allow: false,
    persona: OTHERS.jvpNoPartner,
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "create an entry after p1 was deactivated",
    op: "create",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p1"), { active: false }),
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid)),
  },
  {
    what: "update own entry after p1 was deactivated",
    op: "update",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p1"), { active: false }),
    run: update("production_entries/e_op1_open", { gross_volume_bbl: 1300 }),
  },
  {
    what: "create an entry after p1 lost its active field",
    op: "create",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p1"), { active: deleteField() }),
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid)),
  },
  {
    what: "create an entry when p1 is reactivated",
    op: "create",
    allow: true,
    prepare: (db) => updateDoc(doc(db, "partners/p1"), { active: true }),
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid)),
  },
  {
    what: "a coordinator still corrects an entry of inactive p3",
    op: "update",
    allow: true,
    persona: ROLES.jv_coordinator,
    run: correct("production_entries/e_op3", { gross_volume_bbl: 1300, correction_note: "late fix" }),
  },
];

// A partner that left the JV (p4, left_at 2024-03-20): its partner users read what came before,
// and nothing after; its operators nothing at all.
const leftAt = () => at(FORMER_LEFT_AT);
const FORMER_PARTNER: Edge[] = [
  { what: "released r1_v1, a period before p4 left", allow: true, run: read("reconciliations/r1_v1") },
  { what: "released r4_v1, a period that began the day p4 left", allow: false, run: read("reconciliations/r4_v1") },
  { what: "r3_v1, not released", allow: false, run: read("reconciliations/r3_v1") },
  {
    what: "released reports whose period began before p4 left (the list query says so)",
    allow: true,
    run: (db) => getDocs(query(reports(db), where("released", "==", true), where("period_start", "<", leftAt()))),
  },
  {
    what: "released reports without the period bound",
    allow: false,
    run: (db) => getDocs(query(reports(db), where("released", "==", true))),
  },
  { what: "r1_v1's inputs (entry-level rows of every partner)", allow: false, run: read("reconciliations/r1_v1/inputs/0") },
  { what: "own entry from before leaving", allow: true, run: read("production_entries/e_op4_before") },
  { what: "own entry from the day it left", allow: false, run: read("production_entries/e_op4_after") },
  { what: "another partner's entry", allow: false, run: read("production_entries/e_op2") },
  {
    what: "own entries before leaving (the list query says so)",
    allow: true,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p4"), where("measured_at", "<", leftAt()))),
  },
  {
    what: "own entries without the bound",
    allow: false,
    run: (db) => getDocs(query(entries(db), where("partner_id", "==", "p4"))),
  },
  { what: "own released adjustment", allow: true, run: read("prior_period_adjustments/a4") },
  { what: "another partner's adjustment", allow: false, run: read("prior_period_adjustments/a1") },
  { what: "own statement exception", allow: true, run: read("statement_exceptions/x4") },
  { what: "another partner's statement exception", allow: false, run: read("statement_exceptions/x1") },
  { what: "own notification", allow: true, run: read("notifications/n_jvp4") },
  { what: "the JV settings (contract days on its statements)", allow: true, run: read("settings/jv") },
  { what: "terminal_receipts/r1", allow: false, run: read("terminal_receipts/r1") },
  {
    what: "create an entry as an operator of p4",
    op: "create",
    allow: false,
    persona: OTHERS.opFormer,
    run: (db, uid) => setDoc(doc(db, `production_entries/pb_${uid}`), newEntry(uid, { partner_id: "p4" })),
  },
  {
    what: "own entry from before leaving, as an operator of p4",
    allow: false,
    persona: OTHERS.opFormer,
    run: read("production_entries/e_op4_before"),
  },
  { what: "own notification, as an operator of p4", allow: false, persona: OTHERS.opFormer, run: read("notifications/n_op4") },
  {
    what: "r1_v1 once p4 is deactivated without leaving (left_at removed)",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p4"), { left_jv_on: deleteField(), left_at: deleteField() }),
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "r1_v1 with left_at but no left_jv_on (not as setPartner writes a departure)",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p4"), { left_jv_on: deleteField() }),
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "r1_v1 with left_at stored as text",
    allow: false,
    prepare: (db) => updateDoc(doc(db, "partners/p4"), { left_at: FORMER_LEFT_AT }),
    run: read("reconciliations/r1_v1"),
  },
  {
    what: "r4_v1 once p4 rejoined (active again, as a partner)",
    allow: true,
    prepare: (db) => updateDoc(doc(db, "partners/p4"), { active: true, left_jv_on: deleteField(), left_at: deleteField() }),
    run: read("reconciliations/r4_v1"),
  },
];

// ------------------------------------------------------------------------------------------

function edgeCases(title: string, op: Op, defaultPersona: Persona, cases: Edge[]): void {
  describe(title, () => {
    for (const c of cases) {
      ruleCase({ title: c.what, persona: c.persona ?? defaultPersona, op: c.op ?? op, allow: c.allow, run: c.run, prepare: c.prepare });
    }
  });
}

let matrixCases = 0;

describe("firestore.rules", function () {
  before(startRulesEnv);
  after(async () => {
    await stopRulesEnv();
    const asserted = tally.allowed + tally.denied;
    const pairs = COLLECTIONS.length * OPS.length;
    console.log(
      `\n  rules matrix: ${tally.declared} cases (${matrixCases} in the matrix: ${COLLECTIONS.length} collections x ` +
        `${OPS.length} operations = ${pairs} cells in ${MATRIX.length} rows, each row for ${ROLE_NAMES.length} roles; ` +
        `${tally.declared - matrixCases} edge cases); asserted ${asserted}: ` +
        `${tally.allowed} allowed, ${tally.denied} denied\n`,
    );
  });

  it("the matrix covers every collection x operation, and only those", () => {
    const covered = new Set(MATRIX.map((r) => `${r.collection} ${r.op}`));
    const expected = COLLECTIONS.flatMap((c) => OPS.map((op) => `${c} ${op}`));
    expect([...covered].sort()).to.deep.equal([...expected].sort());
  });

  describe("matrix: role x collection x operation", () => {
    for (const row of MATRIX) {
      describe(`${row.collection} ${row.op}: ${row.what}`, () => {
        for (const name of ROLE_NAMES) {
          matrixCases += 1;
          ruleCase({
            title: `${row.collection}: ${row.what}`,
            persona: ROLES[name],
            op: row.op,
            allow: row.allowed.includes(name),
            run: row.run,
            prepare: row.prepare,
          });
        }
      });
    }
  });

  edgeCases("production_entries create: validation and closed days", "create", operator, ENTRY_CREATE);
  edgeCases("production_entries update by field operators", "update", operator, ENTRY_OPERATOR_UPDATE);
  edgeCases("production_entries correction by coordinators", "update", coordinator, ENTRY_CORRECTION);
  edgeCases("terminal_receipts create: validation", "create", coordinator, RECEIPT_CREATE);
  edgeCases("notifications: the recipient changes read only", "update", operator, NOTIFICATION_UPDATE);
  edgeCases("queries (list reads)", "read", operator, QUERIES);
  edgeCases("claims", "read", operator, CLAIMS);
  edgeCases("partner-bound roles without an active partner", "read", operator, PARTNER_BOUND);
  edgeCases("a partner that left the JV keeps its audit rights", "read", OTHERS.jvpFormer, FORMER_PARTNER);
});
