/**
 * FlowShare's main job, end to end, as the web app drives it. Runs inside
 * `firebase emulators:exec --import emulator-data` (scripts/demo.sh): every user signs in with
 * email and password against the Auth emulator and uses the Firebase client SDK, so Firestore
 * writes go through the security rules and callables carry real ID tokens.
 *
 *   1. the coordinator reconciles the seeded 60-day terminal receipt (the accountant);
 *   2. Basalt's SCADA gateway posts its meter tickets to POST /v1/production (API key), and
 *      every other partner's field operator reports the next day's meters, one plainly anomalous,
 *      and the rules refuse what an operator may not do;
 *   3. the auditor gives every new entry its verdict;
 *   4. the coordinator reviews the flagged entry (approves it, with a note);
 *   5. the coordinator enters the terminal receipt for that day and reconciles it;
 *   6. the communicator notifies coordinators and partners;
 *   7. the allocation statements, terminal factors, flagged entries with their explanations
 *      and excerpts of the notifications are printed.
 *
 * Steps that wait on a trigger (the auditor, the communicator) wait with a timeout and say
 * what they waited for. A step that fails skips what depends on it; whatever could be shown is
 * still shown, and the exit code is 1.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatNumber } from "../../functions/src/domain/notification-templates";
import { shareTotalPercent } from "../../functions/src/domain/statement";
import { randomUUID } from "node:crypto";
import { REGION } from "../../functions/src/shared/config";
import { functionsUrl, PROJECT_ID } from "../../functions/test/support/emulator";
import { clientFirestore as fs, signInWebClient, type WebClient } from "../../functions/test/support/web-client";
import {
  buildDataset,
  demoGatewayKey,
  DEMO_PASSWORD,
  FIELD_NAME,
  GATEWAY,
  PERIOD_DAYS,
  PERIOD_END,
  PERIOD_RECEIPT_ID,
  TERMINAL_NAME,
  userByUid,
  type DemoDayEntry,
  type DemoUser,
} from "../seed/dataset";

// ------------------------------------------------------------------------------ output

const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1).padStart(5);
const progress = (line: string) => console.log(`[demo ${elapsed()}s] ${line}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const bbl = (x: unknown) => (typeof x === "number" ? formatNumber(x, 2) : "—");
const factor = (x: unknown) => (typeof x === "number" ? formatNumber(x, 5) : "—");
/** A share or a percent of the statement, to 5 decimals as statements print factors and shares. */
const share = factor;
const day = (d: Date) => d.toISOString().slice(0, 10);
const who = (u: DemoUser) => `${u.display_name} (${u.role}${u.partner_id ? `, ${u.partner_id}` : ""})`;

function heading(title: string): void {
  console.log("");
  console.log(title);
  console.log("=".repeat(Math.min(100, title.length)));
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(line(headers));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  rows.forEach((r, i) => {
    if (i === rows.length - 1) console.log(widths.map((w) => "-".repeat(w)).join("  "));
    console.log(line(r));
  });
}

/** Word-wraps text to `width` columns behind `prefix`; at most `maxLines` source lines. */
function indent(text: string, prefix = "    ", maxLines = Infinity, width = 112): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (const line of lines.slice(0, maxLines)) {
    let rest = line;
    let lead = prefix;
    while (rest.length > width - lead.length) {
      const cut = rest.lastIndexOf(" ", width - lead.length);
      const at = cut > 20 ? cut : width - lead.length;
      out.push(`${lead}${rest.slice(0, at)}`);
      rest = rest.slice(at).trimStart();
      lead = prefix.replace(/\S/g, " ") + "  ";
    }
    out.push(`${lead}${rest}`);
  }
  if (lines.length > maxLines) out.push(`${prefix}… (${lines.length - maxLines} more line${lines.length - maxLines === 1 ? "" : "s"})`);
  return out.join("\n");
}

/** A step that could not complete, and why: printed at the end, makes the exit code 1. */
const failures: string[] = [];

function errorText(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    const details = e.details === undefined ? "" : ` ${JSON.stringify(e.details).slice(0, 400)}`;
    return `${typeof e.code === "string" ? `${e.code}: ` : ""}${String(e.message ?? error)}${details}`;
  }
  return String(error);
}

// ------------------------------------------------------------------------- functions

interface LoadedFunctions {
  names: string[];
  /** Triggers whose event filters or resource mention the collection. */
  triggersOn(collection: string): string[];
  has(name: string): boolean;
}

/** What the Functions emulator has loaded (its /backends listing), to say which agents are in this build. */
async function loadedFunctions(): Promise<LoadedFunctions> {
  interface Trigger {
    name?: string;
    entryPoint?: string;
    id?: string;
    eventTrigger?: unknown;
  }
  let triggers: Trigger[] = [];
  try {
    const response = await fetch(`${await functionsUrl()}/backends`);
    const body = (await response.json()) as { backends?: Array<{ functionTriggers?: Trigger[] }> };
    triggers = (body.backends ?? []).flatMap((b) => b.functionTriggers ?? []);
  } catch (error) {
    progress(`could not list the loaded functions (${errorText(error)}); waiting on triggers regardless`);
  }
  const nameOf = (t: Trigger) => String(t.entryPoint ?? t.name ?? t.id ?? "?");
  return {
    names: triggers.map(nameOf),
    triggersOn: (collection) =>
      triggers.filter((t) => t.eventTrigger !== undefined && JSON.stringify(t.eventTrigger).includes(`${collection}/`)).map(nameOf),
    has: (name) => triggers.some((t) => nameOf(t) === name || String(t.name ?? "").endsWith(`-${name}`)),
  };
}

// ---------------------------------------------------------------------------- steps

const dataset = buildDataset();
const signIns = new Map<string, WebClient>();

async function as(uid: string): Promise<WebClient> {
  const existing = signIns.get(uid);
  if (existing) return existing;
  const user = userByUid(uid);
  const client = await signInWebClient(user.email, DEMO_PASSWORD);
  if (client.claims.role !== user.role)
    throw new Error(`${user.email} signed in without its role claim (${JSON.stringify(client.claims)})`);
  signIns.set(uid, client);
  return client;
}

interface ReconcileResult {
  reconciliation_id: string;
  version: number;
  unchanged: boolean;
  totals: Record<string, number>;
}

async function reconcile(coordinator: WebClient, receiptId: string, what: string): Promise<Record<string, unknown> | undefined> {
  progress(`${who(userByUid(coordinator.uid))} calls reconcile on terminal receipt ${receiptId} (${what})`);
  try {
    const result = await coordinator.call<ReconcileResult>("reconcile", { terminal_receipt_id: receiptId });
    const t = result.totals;
    progress(
      `  -> ${result.reconciliation_id}: ${t.entries_used} entries used, ${t.entries_excluded} excluded; ` +
        `terminal NSV ${bbl(t.terminal_nsv_bbl)} bbl allocated, shrinkage ${bbl(t.shrinkage_bbl)} bbl (${formatNumber(t.shrinkage_percent, 2)} %)`,
    );
    const snap = await fs.getDoc(fs.doc(coordinator.db, "reconciliations", result.reconciliation_id));
    return { id: snap.id, ...snap.data() };
  } catch (error) {
    failures.push(`reconcile ${receiptId} failed: ${errorText(error)}`);
    progress(`  -> FAILED: ${errorText(error)}`);
    return undefined;
  }
}

interface Filed {
  id: string;
  entry: DemoDayEntry;
}

/**
 * The demo day's production: the SCADA gateway posts its partner's meter tickets to
 * POST /v1/production with its API key; every other partner's operator files its meters as the
 * web app's entry form does.
 */
async function fileDemoDay(): Promise<Filed[]> {
  const filed: Filed[] = [];
  const gatewayEntries = dataset.demo.entries.filter((e) => e.fields.partner_id === GATEWAY.partner_id);
  filed.push(...(await ingestThroughGateway(gatewayEntries)));
  for (const entry of dataset.demo.entries.filter((e) => e.fields.partner_id !== GATEWAY.partner_id)) {
    const operator = await as(entry.operator_uid);
    const f = entry.fields;
    const ref = await fs.addDoc(fs.collection(operator.db, "production_entries"), {
      ...f,
      measured_at: fs.Timestamp.fromDate(f.measured_at),
      created_by: operator.uid,
      created_at: fs.serverTimestamp(),
    });
    filed.push({ id: ref.id, entry });
    progress(`  ${who(userByUid(operator.uid))} files ${readingText(f)} -> production_entries/${ref.id}`);
  }
  return filed;
}

function readingText(f: DemoDayEntry["fields"]): string {
  return (
    `${f.meter_id} ${day(f.measured_at)}: ${bbl(f.gross_volume_bbl)} bbl, ` +
    `${f.api_gravity} °API at ${f.temperature_degF} °F, BS&W ${f.bsw_percent} %, ${f.pressure_psig} psig, MF ${f.meter_factor.toFixed(4)}` +
    `${f.note ? ` — note: "${f.note}"` : ""}`
  );
}

const ticketOf = (f: DemoDayEntry["fields"], ticketId = `${f.meter_id}-${day(f.measured_at)}`) => ({
  ticket_id: ticketId,
  meter_id: f.meter_id,
  measured_at: f.measured_at.toISOString(),
  gross_volume_bbl: f.gross_volume_bbl,
  bsw_percent: f.bsw_percent,
  temperature_degF: f.temperature_degF,
  api_gravity: f.api_gravity,
  pressure_psig: f.pressure_psig,
  meter_factor: f.meter_factor,
  ...(f.note ? { note: f.note } : {}),
});

interface TicketResponse {
  results: { ticket_id: string; status: string; issues?: { code: string; message: string }[] }[];
}

async function postTickets(tickets: unknown[]): Promise<{ status: number; body: TicketResponse }> {
  const response = await fetch(`${await functionsUrl()}/${PROJECT_ID}/${REGION}/ingestProduction/v1/production`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${demoGatewayKey().key}`, "Idempotency-Key": randomUUID() },
    body: JSON.stringify({ tickets }),
  });
  return { status: response.status, body: (await response.json().catch(() => ({ results: [] }))) as TicketResponse };
}

/** The gateway's batch for its partner's meters (POST /v1/production, API key, Idempotency-Key). */
async function ingestThroughGateway(entries: DemoDayEntry[]): Promise<Filed[]> {
  if (entries.length === 0) return [];
  const key = demoGatewayKey();
  progress(
    `  ${GATEWAY.name} (key ${key.prefix}…, partner ${GATEWAY.partner_id}) posts ${entries.length} meter tickets to POST /v1/production`,
  );
  try {
    const { status, body } = await postTickets(entries.map((e) => ticketOf(e.fields)));
    if (status !== 200) throw new Error(`HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
    const filed: Filed[] = [];
    body.results.forEach((result: { ticket_id: string; status: string; entry_id?: string; issues?: unknown }, i: number) => {
      progress(
        `    ticket ${result.ticket_id} ${readingText(entries[i].fields)} -> ${result.status}${result.entry_id ? ` production_entries/${result.entry_id}` : ""}${result.issues ? ` ${JSON.stringify(result.issues)}` : ""}`,
      );
      if (result.status === "created" && result.entry_id) filed.push({ id: result.entry_id, entry: entries[i] });
      else failures.push(`the gateway's ticket ${result.ticket_id} was ${result.status}, not created`);
    });
    return filed;
  } catch (error) {
    failures.push(`the gateway's batch failed: ${errorText(error)}`);
    progress(`    FAILED: ${errorText(error)}`);
    return [];
  }
}

/** What the endpoint must refuse the gateway: a ticket on a day the period's reconciliation closed. */
async function gatewayGuardRail(): Promise<void> {
  const template = dataset.demo.entries.find((e) => e.fields.partner_id === GATEWAY.partner_id)?.fields;
  if (!template) return;
  const late = { ...template, measured_at: new Date(PERIOD_END.getTime() - 12 * 3_600_000) };
  const { status, body } = await postTickets([ticketOf(late, `LATE-${day(late.measured_at)}`)]);
  const result = body?.results?.[0];
  if (status === 200 && result?.status === "invalid" && result.issues?.[0]?.code === "day_closed") {
    progress(`  endpoint: a late ticket for ${day(late.measured_at)}, a closed day, is refused (invalid, day_closed), as it must be`);
  } else {
    failures.push(
      `the endpoint did not refuse a ticket on the closed day ${day(late.measured_at)}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`,
    );
    progress(`  endpoint: a late ticket on a closed day was NOT refused: HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

/** What the rules must refuse an operator: another partner's entry, and an entry on a closed day. */
async function guardRails(periodClosed: boolean): Promise<void> {
  const operator = await as("demo-operator-northwind");
  const template = dataset.demo.entries.find((e) => e.fields.partner_id === "northwind")!.fields;
  const attempts: Array<{ what: string; data: Record<string, unknown>; applies: boolean }> = [
    {
      what: "an entry for another partner (basalt)",
      data: { ...template, partner_id: "basalt", meter_id: "BRP-LACT-01A" },
      applies: true,
    },
    {
      what: `a late entry for ${day(new Date(PERIOD_END.getTime() - 86_400_000))}, a day the period's reconciliation closed`,
      data: { ...template, measured_at: new Date(PERIOD_END.getTime() - 12 * 3_600_000) },
      applies: periodClosed,
    },
  ];
  for (const attempt of attempts.filter((a) => a.applies)) {
    const data = {
      ...attempt.data,
      measured_at: fs.Timestamp.fromDate(attempt.data.measured_at as Date),
      created_by: operator.uid,
      created_at: fs.serverTimestamp(),
    };
    try {
      const ref = await fs.addDoc(fs.collection(operator.db, "production_entries"), data);
      failures.push(`the security rules let ${operator.email} write ${attempt.what} (production_entries/${ref.id})`);
      progress(`  rules: ${attempt.what} was ACCEPTED — it must be refused`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "permission-denied") progress(`  rules: ${attempt.what} is refused (permission-denied), as it must be`);
      else {
        failures.push(`writing ${attempt.what} failed unexpectedly: ${errorText(error)}`);
        progress(`  rules: ${attempt.what} failed unexpectedly: ${errorText(error)}`);
      }
    }
  }
}

interface Audit {
  status: string;
  reasons?: Array<{ code: string; field: string; severity: string; message: string }>;
  explanation?: { text?: string; source?: string; model?: string };
}

/** Waits for the auditor's verdict on every filed entry; returns the entries with their audits. */
async function waitForVerdicts(
  coordinator: WebClient,
  filed: Filed[],
  timeoutMs: number,
  hint: string,
): Promise<Map<string, Audit> | undefined> {
  const verdicts = new Map<string, Audit>();
  const t0 = Date.now();
  let lastReport = 0;
  while (Date.now() - t0 < timeoutMs) {
    for (const { id, entry } of filed.filter((x) => !verdicts.has(x.id))) {
      const snap = await fs.getDoc(fs.doc(coordinator.db, "production_entries", id));
      const audit = snap.get("audit") as Audit | undefined;
      if (!audit?.status) continue;
      verdicts.set(id, audit);
      const codes = (audit.reasons ?? []).map((r) => r.code);
      const expected =
        entry.expected_verdict === audit.status ? "" : ` (the seed's replay of the rules expected ${entry.expected_verdict})`;
      progress(
        `  auditor: ${entry.fields.meter_id} (${entry.fields.partner_id}) is ${audit.status.toUpperCase()}` +
          `${codes.length ? ` [${codes.join(", ")}]` : ""}, explanation by ${audit.explanation?.source ?? "?"}` +
          `${audit.explanation?.model ? ` (${audit.explanation.model})` : ""} after ${((Date.now() - t0) / 1000).toFixed(1)} s${expected}`,
      );
    }
    if (verdicts.size === filed.length) return verdicts;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      progress(`  waiting for the auditor: ${verdicts.size}/${filed.length} verdicts after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    await sleep(500);
  }
  failures.push(
    `the auditor gave ${verdicts.size} of ${filed.length} verdicts in ${timeoutMs / 1000} s: no audit field was written on ` +
      `${filed
        .filter((x) => !verdicts.has(x.id))
        .map((x) => `production_entries/${x.id}`)
        .join(", ")}. ${hint}`,
  );
  return undefined;
}

interface Notification {
  id: string;
  recipient_uid: string;
  type: string;
  title?: string;
  body?: string;
  highlights?: string[];
  data?: Record<string, unknown>;
  summary_source?: string;
  model?: string;
  created_at?: { toDate(): Date };
}

async function notificationsOf(user: WebClient): Promise<Notification[]> {
  const snap = await fs.getDocs(fs.query(fs.collection(user.db, "notifications"), fs.where("recipient_uid", "==", user.uid)));
  return snap.docs
    .map((d) => ({ id: d.id, ...(d.data() as Omit<Notification, "id">) }))
    .sort((a, b) => (a.created_at?.toDate().getTime() ?? 0) - (b.created_at?.toDate().getTime() ?? 0) || (a.id < b.id ? -1 : 1));
}

const mentions = (n: Notification, id: string) => JSON.stringify([n.data ?? {}, n.title ?? "", n.body ?? ""]).includes(id);

/** Waits until every expected (recipient, subject) pair has a notification. */
async function waitForNotifications(
  expected: Array<{ user: WebClient; subject: string; what: string }>,
  timeoutMs: number,
  hint: string,
): Promise<boolean> {
  const t0 = Date.now();
  const seen = new Set<number>();
  let lastReport = 0;
  while (Date.now() - t0 < timeoutMs) {
    for (const [i, e] of expected.entries()) {
      if (seen.has(i)) continue;
      const found = (await notificationsOf(e.user)).find((n) => mentions(n, e.subject));
      if (found) {
        seen.add(i);
        progress(
          `  communicator: ${userByUid(e.user.uid).display_name} got "${found.title ?? found.type}" (${found.type}, ${found.summary_source ?? "?"}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
    }
    if (seen.size === expected.length) return true;
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      progress(
        `  waiting for the communicator: ${seen.size}/${expected.length} expected notifications after ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
    await sleep(500);
  }
  const missing = expected.filter((_, i) => !seen.has(i)).map((e) => `${userByUid(e.user.uid).email} about ${e.what}`);
  failures.push(`no notification arrived in ${timeoutMs / 1000} s for: ${missing.join("; ")}. ${hint}`);
  return false;
}

// --------------------------------------------------------------------------- report

function printStatement(report: Record<string, unknown>): void {
  const totals = report.totals as Record<string, number>;
  const terminal = report.terminal as Record<string, number>;
  const allocations = report.allocations as Array<Record<string, number | string>>;
  const start = (report.period_start as { toDate(): Date }).toDate();
  const end = (report.period_end as { toDate(): Date }).toDate();
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  const span = days === 1 ? `${day(start)} (1 day)` : `${day(start)} to ${day(new Date(end.getTime() - 1))} (${days} days)`;
  heading(`Allocation statement — ${FIELD_NAME}, ${span}`);
  console.log(
    `Reconciliation ${String(report.id)} (version ${String(report.version)}, ${String(report.status)}) of terminal receipt ${String(report.terminal_receipt_id)}, ${TERMINAL_NAME}`,
  );
  console.log(`Standard: ${String(report.standard)}; method: ${String(report.method)}`);
  console.log("");
  const rows = allocations.map((a) => [
    String(a.partner_name),
    String(a.entries),
    bbl(a.gross_bbl),
    bbl(a.nsv_bbl),
    share(a.share_percent),
    bbl(a.allocated_bbl),
    bbl(a.shrinkage_bbl),
  ]);
  rows.push([
    "Total",
    String(totals.entries_used),
    bbl(totals.field_gross_bbl),
    bbl(totals.field_nsv_bbl),
    share(shareTotalPercent(allocations.map((a) => ({ share_percent: Number(a.share_percent) })))),
    bbl(totals.terminal_nsv_bbl),
    bbl(totals.shrinkage_bbl),
  ]);
  table(["Partner", "Entries", "Gross (bbl)", "NSV (bbl)", "Share %", "Allocated (bbl)", "Shrinkage (bbl)"], rows, [
    false,
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
  console.log("");
  console.log(
    `Terminal: gross ${bbl(terminal.gross_volume_bbl)} bbl; API60 ${formatNumber(terminal.api60, 1)}; CTL ${factor(terminal.ctl)}; ` +
      `CPL ${factor(terminal.cpl)}; CSW ${factor(terminal.csw)}; NSV ${bbl(terminal.nsv_bbl)} bbl`,
  );
  console.log(`Shrinkage: ${bbl(totals.shrinkage_bbl)} bbl, ${share(totals.shrinkage_percent)} % of the field NSV (shared pro rata)`);
  const excluded = (report.excluded as Array<Record<string, string>> | undefined) ?? [];
  if (excluded.length > 0) {
    console.log(`Excluded entries (${totals.entries_excluded}):`);
    for (const e of excluded) console.log(indent(`${e.entry_id} (${e.partner_id}): ${e.reason}`, "  - "));
  }
  console.log(`Integrity hash: ${String(report.integrity_hash)}`);
}

/** The coordinator's JV PDF and one partner's PDF, CSV and JSON bundle, written to a folder. */
async function exportStatements(report: Record<string, unknown>, coordinator: WebClient, partner: WebClient): Promise<void> {
  const reconciliationId = String(report.id);
  heading(`Statements of ${reconciliationId} (exportStatement)`);
  const dir = process.env.FLOWSHARE_STATEMENTS_DIR ?? join(tmpdir(), "flowshare-demo-statements");
  mkdirSync(dir, { recursive: true });
  console.log(`Written to ${dir}:`);
  let bundle: string | undefined;
  let csv: string | undefined;
  const exports: Array<[WebClient, "pdf" | "csv" | "json"]> = [
    [coordinator, "pdf"],
    [partner, "pdf"],
    [partner, "csv"],
    [partner, "json"],
  ];
  for (const [client, format] of exports) {
    try {
      const result = await client.call<{ filename: string; sha256: string; base64: string }>("exportStatement", {
        reconciliation_id: reconciliationId,
        format,
      });
      const path = join(dir, result.filename);
      writeFileSync(path, Buffer.from(result.base64, "base64"));
      if (format === "json") bundle = path;
      if (format === "csv") csv = Buffer.from(result.base64, "base64").toString("utf8");
      console.log(
        `  ${format.toUpperCase().padEnd(4)} for ${who(userByUid(client.uid))}: ${path} (sha256 ${result.sha256.slice(0, 16)}...)`,
      );
    } catch (error) {
      failures.push(`exportStatement ${format} for ${client.uid} failed: ${errorText(error)}`);
    }
  }
  if (bundle && csv) verifyBundleAgainstCsv(bundle, csv);
}

/** One `key,value` line of the statement CSV's header block, its value unquoted. */
function csvHeaderValue(csv: string, key: string): string | undefined {
  const line = csv.split("\r\n").find((l) => l.startsWith(`${key},`));
  const value = line?.slice(key.length + 1);
  return value?.startsWith('"') ? value.slice(1, -1).replace(/""/g, '"') : value;
}

/**
 * The partner's auditor's check: the bundle verified offline (no Firebase) against the integrity
 * hash and the audit anchor its CSV statement printed, by the same script a partner runs.
 */
function verifyBundleAgainstCsv(bundle: string, csv: string): void {
  const hash = csvHeaderValue(csv, "integrity_hash");
  const anchor = csvHeaderValue(csv, "audit_anchor");
  if (!hash || !anchor) {
    failures.push("the partner's CSV statement holds no integrity_hash or audit_anchor to verify its bundle against");
    return;
  }
  const args = ["--bundle", bundle, "--expect-hash", hash, "--expect-anchor", anchor];
  console.log(`The partner's bundle, verified offline against the hash and anchor its CSV statement printed:`);
  console.log(`  npm run verify -- --bundle ${bundle} --expect-hash ${hash} --expect-anchor "${anchor}"`);
  const root = join(__dirname, "../..");
  const run = spawnSync(join(root, "functions/node_modules/.bin/tsx"), [join(root, "scripts/verify.ts"), ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = run.stdout.split("\n");
  for (const line of [lines[0], ...lines.filter((l) => /^ {4}(ok|FAIL) /.test(l))]) if (line) console.log(`  ${line}`);
  if (run.status !== 0)
    failures.push(`npm run verify on the partner's bundle exited ${String(run.status)}: ${run.stderr.trim() || lines[0]}`);
}

/** The partner takes written exception to the statement; the coordinator answers it (the statement stands). */
async function exceptionAndAnswer(reconciliationId: string, partner: WebClient, coordinator: WebClient): Promise<void> {
  heading(`An exception to ${reconciliationId} (raiseStatementException, answerStatementException)`);
  const text =
    "Our own tally of the period's LACT tickets is above the allocated volume; please confirm the meter factors applied to our entries.";
  const answer =
    "The meter factors are those of each entry's proving report, listed under the statement's entries; the difference is the period's shrinkage, shared pro rata to net volume.";
  try {
    const raised = await partner.call<{ exception_id: string; window_ends_at: string }>("raiseStatementException", {
      reconciliation_id: reconciliationId,
      text,
    });
    console.log(
      `${who(userByUid(partner.uid))} takes exception (${raised.exception_id}, open until ${raised.window_ends_at.slice(0, 10)}):`,
    );
    console.log(`  "${text}"`);
    const answered = await coordinator.call<{ status: string }>("answerStatementException", {
      exception_id: raised.exception_id,
      outcome: "rejected",
      answer,
    });
    console.log(`${who(userByUid(coordinator.uid))} answers: ${answered.status}`);
    console.log(`  "${answer}"`);
  } catch (error) {
    failures.push(`the exception to ${reconciliationId} failed: ${errorText(error)}`);
    console.log(`FAILED: ${errorText(error)}`);
  }
}

async function printFlagged(coordinator: WebClient, demoFlagged: Set<string>): Promise<void> {
  const snap = await fs.getDocs(
    fs.query(fs.collection(coordinator.db, "production_entries"), fs.where("audit.status", "in", ["flagged", "rejected"])),
  );
  const docs = snap.docs.sort(
    (a, b) =>
      (a.get("measured_at") as { toMillis(): number }).toMillis() - (b.get("measured_at") as { toMillis(): number }).toMillis() ||
      (a.id < b.id ? -1 : 1),
  );
  heading(`Flagged and rejected entries (${docs.length}): the auditor's explanations and the coordinators' reviews`);
  for (const d of docs) {
    const audit = d.get("audit") as Audit;
    const review = d.get("review") as { decision?: string; by?: string; note?: string } | undefined;
    const source = `${audit.explanation?.source ?? "?"}${audit.explanation?.model ? `, ${audit.explanation.model}` : ""}`;
    const fresh = demoFlagged.has(d.id);
    console.log("");
    console.log(
      `${fresh ? "NEW  " : ""}${d.id} — ${String(d.get("partner_id"))}, ${String(d.get("meter_id") ?? "no meter")}, ` +
        `${day((d.get("measured_at") as { toDate(): Date }).toDate())}: ${audit.status.toUpperCase()} [${(audit.reasons ?? []).map((r) => r.code).join(", ")}]`,
    );
    console.log(`  Explanation (${source}):`);
    console.log(indent(audit.explanation?.text ?? "(none)", "    ", fresh ? Infinity : 3));
    if (review?.decision) console.log(indent(`Review: ${review.decision} by ${review.by ?? "?"}: ${review.note ?? ""}`, "  "));
    else if (audit.status === "flagged") console.log("  Review: none yet (it blocks the reconciliation of its period)");
  }
}

async function printNotifications(audiences: WebClient[], auditor: WebClient | undefined): Promise<void> {
  heading("Notifications (excerpts)");
  if (auditor) {
    const all = await fs.getDocs(fs.collection(auditor.db, "notifications"));
    const byType = new Map<string, number>();
    const recipients = new Set<string>();
    for (const d of all.docs) {
      byType.set(String(d.get("type")), (byType.get(String(d.get("type"))) ?? 0) + 1);
      recipients.add(String(d.get("recipient_uid")));
    }
    const types = [...byType].map(([t, n]) => `${n} ${t}`).join(", ");
    console.log(
      `${all.size} notifications to ${recipients.size} users${types ? `: ${types}` : ""} (counted by ${userByUid(auditor.uid).display_name}, auditor)`,
    );
  }
  for (const user of audiences) {
    const list = await notificationsOf(user);
    console.log("");
    console.log(`${who(userByUid(user.uid))} — ${list.length} notification${list.length === 1 ? "" : "s"}:`);
    for (const n of list) {
      console.log(`  [${n.type}] ${n.title ?? "(no title)"}  (${n.summary_source ?? "?"}${n.model ? `, ${n.model}` : ""})`);
      if (n.body) console.log(indent(n.body, "      ", 4));
    }
  }
}

// ----------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const functions = await loadedFunctions();
  const auditorTriggers = functions.triggersOn("production_entries");
  const communicatorTriggers = [...new Set([...functions.triggersOn("reconciliations"), ...functions.triggersOn("notifications")])];
  progress(
    `emulators: Firestore ${process.env.FIRESTORE_EMULATOR_HOST}, Auth ${process.env.FIREBASE_AUTH_EMULATOR_HOST}, Functions ${await functionsUrl()} (project ${PROJECT_ID})`,
  );
  progress(`functions loaded: ${functions.names.join(", ") || "(none listed)"}`);
  progress(
    `  triggers on production_entries: ${auditorTriggers.join(", ") || "none"}; on reconciliations/notifications: ${communicatorTriggers.join(", ") || "none"}`,
  );

  // 0. The imported JV.
  const coordinator = await as("demo-coordinator");
  const partners = await fs.getDocs(fs.collection(coordinator.db, "partners"));
  const receipt = await fs.getDoc(fs.doc(coordinator.db, "terminal_receipts", PERIOD_RECEIPT_ID));
  if (partners.size === 0 || !receipt.exists()) {
    throw new Error(
      "the emulators hold no demo data: start them with --import emulator-data (npm run demo), or regenerate it with npm run seed",
    );
  }
  progress(
    `imported ${FIELD_NAME}: ${partners.size} partners (${partners.docs.map((d) => d.get("name")).join(", ")}), ${dataset.entries.length} audited entries over ${PERIOD_DAYS} days, terminal receipt ${PERIOD_RECEIPT_ID}`,
  );
  progress(`signed in ${who(userByUid(coordinator.uid))} as ${coordinator.email} (client SDK, Auth emulator)`);

  // 1. The seeded period.
  progress(`step 1: close the ${PERIOD_DAYS}-day period`);
  const period = await reconcile(coordinator, PERIOD_RECEIPT_ID, `${PERIOD_DAYS} days, ${TERMINAL_NAME}`);

  // 2. The next day's production, through the rules.
  progress(
    `step 2: ${day(dataset.demo.day)}'s production: ${GATEWAY.partner_id}'s SCADA gateway posts its meter tickets (HTTPS, API key); the other field operators file theirs (client SDK: the security rules apply)`,
  );
  const filed = await fileDemoDay();
  await guardRails(period !== undefined);
  if (period !== undefined) await gatewayGuardRail();

  // 3. Verdicts.
  progress("step 3: the auditor audits each new entry (Firestore trigger)");
  const auditorHint = auditorTriggers.length
    ? `The auditor's triggers (${auditorTriggers.join(", ")}) are loaded: see the Functions emulator's log above.`
    : "No function triggers on production_entries in this build: the auditor (auditEntryOnCreate/auditEntryOnUpdate) is not deployed.";
  const verdicts = await waitForVerdicts(coordinator, filed, auditorTriggers.length ? 120_000 : 15_000, auditorHint);

  // 4. Review.
  const flagged = filed.filter((f) => verdicts?.get(f.id)?.status === "flagged");
  let reviewed = false;
  if (verdicts) {
    progress(`step 4: the coordinator reviews ${flagged.length} flagged entr${flagged.length === 1 ? "y" : "ies"} (callable reviewEntry)`);
    reviewed = true;
    for (const f of flagged) {
      const expected = f.entry.expected_verdict === "flagged";
      const note = expected ? dataset.demo.approval_note : "Figures confirmed with the field operator during the demo.";
      try {
        const result = await coordinator.call<{ entry_id: string; decision: string }>("reviewEntry", {
          entry_id: f.id,
          decision: "approved",
          note,
        });
        progress(`  ${userByUid(coordinator.uid).display_name} ${result.decision} ${f.entry.fields.meter_id} (${f.id}): "${note}"`);
      } catch (error) {
        reviewed = false;
        failures.push(`reviewEntry on ${f.id} failed: ${errorText(error)}`);
        progress(`  reviewEntry on ${f.id} FAILED: ${errorText(error)}`);
      }
    }
  } else {
    progress("step 4: skipped (no verdicts to review)");
  }

  // 5. The day's terminal receipt and its reconciliation.
  let dayReport: Record<string, unknown> | undefined;
  if (verdicts && reviewed) {
    const r = dataset.demo.receipt;
    progress(`step 5: the coordinator enters terminal receipt ${r.id} for ${day(r.period_start)} and reconciles it`);
    try {
      const { id, ...fields } = r;
      await fs.setDoc(fs.doc(coordinator.db, "terminal_receipts", id), {
        ...fields,
        period_start: fs.Timestamp.fromDate(r.period_start),
        period_end: fs.Timestamp.fromDate(r.period_end),
        created_by: coordinator.uid,
        created_at: fs.serverTimestamp(),
      });
      progress(
        `  terminal_receipts/${id}: ${bbl(r.gross_volume_bbl)} bbl at ${r.temperature_degF} °F, ${r.api_gravity} °API, BS&W ${r.bsw_percent} %`,
      );
      dayReport = await reconcile(coordinator, id, `1 day, ${filed.length} new entries`);
    } catch (error) {
      failures.push(`entering terminal receipt ${r.id} failed: ${errorText(error)}`);
      progress(`  FAILED: ${errorText(error)}`);
    }
  } else {
    progress("step 5: skipped (the day's entries are not all audited and reviewed)");
  }

  // 6. Notifications.
  progress("step 6: the communicator notifies coordinators and partners (Firestore triggers)");
  const partnerUser = await as("demo-partner-northwind");
  const operatorUser = await as("demo-operator-northwind");
  const expected: Array<{ user: WebClient; subject: string; what: string }> = [];
  for (const report of [period, dayReport].filter((r): r is Record<string, unknown> => r !== undefined)) {
    expected.push({ user: coordinator, subject: String(report.id), what: `reconciliation ${String(report.id)}` });
    expected.push({ user: partnerUser, subject: String(report.id), what: `reconciliation ${String(report.id)}` });
  }
  for (const f of filed.filter((x) => verdicts?.get(x.id)?.status === "flagged")) {
    expected.push({ user: coordinator, subject: f.id, what: `flagged entry ${f.id}` });
  }
  const communicatorHint = communicatorTriggers.length
    ? `The communicator's triggers (${communicatorTriggers.join(", ")}) are loaded: see the Functions emulator's log above.`
    : "No function triggers on reconciliations or notifications in this build: the communicator is not deployed.";
  if (expected.length > 0)
    await waitForNotifications(expected, communicatorTriggers.length || auditorTriggers.length ? 120_000 : 15_000, communicatorHint);

  // 7. The report.
  if (period) printStatement(period);
  if (dayReport) printStatement(dayReport);
  await printFlagged(coordinator, new Set(flagged.map((f) => f.id)));
  await printNotifications([coordinator, partnerUser, operatorUser], await as("demo-auditor").catch(() => undefined));

  const exported = period ?? dayReport;
  if (exported) await exportStatements(exported, coordinator, partnerUser);
  if (exported) await exceptionAndAnswer(String(exported.id), partnerUser, coordinator);

  heading("Where the data lives");
  console.log(
    `Firestore emulator ${process.env.FIRESTORE_EMULATOR_HOST}, project ${PROJECT_ID}: reconciliations/{receipt}_v{n} (and their inputs/ manifest),`,
  );
  console.log("closed_days/, production_entries/ (audit, review), notifications/, audit_log/ (hash chains in audit_chains/).");
  console.log("This run started from emulator-data/ and exports nothing: the next `npm run demo` starts from the same data.");
  console.log(
    `To look around: npm run emulators, then sign in as any demo user (password "${DEMO_PASSWORD}"), e.g. coordinator@flowshare.example.`,
  );
  return failures.length === 0 ? 0 : 1;
}

void main()
  .catch((error: unknown) => {
    failures.push(`the demo stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await Promise.all([...signIns.values()].map((c) => c.close()));
    console.log("");
    if (failures.length === 0) {
      console.log(`Demo complete in ${elapsed().trim()} s.`);
    } else {
      console.log(`DEMO INCOMPLETE after ${elapsed().trim()} s:`);
      for (const f of failures) console.log(indent(f, "  - "));
    }
    process.exit(failures.length === 0 ? code : 1);
  });
