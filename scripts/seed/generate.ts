/**
 * Writes the demo dataset (scripts/seed/dataset.ts) into freshly started Auth and Firestore
 * emulators through the Admin SDK, then exports both into emulator-data/ (the directory
 * `npm run demo` and `npm run emulators` import). Run it through `npm run seed`
 * (scripts/seed.sh), which starts the emulators without the Functions emulator, so that no
 * trigger reacts to the seeding.
 *
 * The export goes through the emulators' own endpoints (the ones `firebase emulators:export`
 * calls) addressed by FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST: the CLI's export
 * finds the running emulators through a locator file shared by every run of the same project on
 * the machine, so beside another run it could export that run's data instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { personOf } from "../../functions/src/agents/admin/set-user-role";
import { appendAuditEvent } from "../../functions/src/shared/audit-log";
import { adminAuth, adminDb } from "../../functions/test/support/emulator";
import { buildDataset, DEMO_PASSWORD, FIELD_NAME, PERIOD_END, PERIOD_START, PROJECT_ID, type AuditEventSeed } from "./dataset";

const ROOT = resolve(__dirname, "../..");
const OUT_DIR = join(ROOT, "emulator-data");
/** Fixed account timestamps (ms): the export must not change with the day it was made. */
const ACCOUNTS_CREATED_AT = String(PERIOD_START.getTime() - 8 * 86_400_000);

const say = (line: string) => console.log(`[seed] ${line}`);

function requireEmulators(): { firestore: string; auth: string } {
  const firestore = process.env.FIRESTORE_EMULATOR_HOST;
  const auth = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!firestore || !auth) {
    throw new Error("FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST are not set: run `npm run seed`, which starts the emulators");
  }
  if ((process.env.GCLOUD_PROJECT ?? PROJECT_ID) !== PROJECT_ID)
    throw new Error(`expected project ${PROJECT_ID}, got ${process.env.GCLOUD_PROJECT}`);
  return { firestore, auth };
}

async function writeAuth(dataset: ReturnType<typeof buildDataset>): Promise<void> {
  const auth = adminAuth();
  for (const user of dataset.users) {
    await auth.createUser({
      uid: user.uid,
      email: user.email,
      password: DEMO_PASSWORD,
      displayName: user.display_name,
      emailVerified: true,
    });
    await auth.setCustomUserClaims(user.uid, user.partner_id ? { role: user.role, partner_id: user.partner_id } : { role: user.role });
  }
  say(`auth: ${dataset.users.length} users with role claims (password "${DEMO_PASSWORD}")`);
}

async function writeFirestore(dataset: ReturnType<typeof buildDataset>): Promise<void> {
  const db = adminDb();
  const existing = await db.collection("partners").limit(1).get();
  if (!existing.empty) throw new Error("the Firestore emulator already holds data: the seed needs freshly started emulators");

  const writes: Array<[string, Record<string, unknown>]> = [
    ...dataset.partners.map((p): [string, Record<string, unknown>] => [`partners/${p.id}`, { name: p.name, active: true }]),
    ...dataset.userDocs.map((u): [string, Record<string, unknown>] => [`users/${u.uid}`, u.data]),
    ...dataset.userDocs.map((u): [string, Record<string, unknown>] => [
      `people/${u.uid}`,
      personOf({ displayName: u.data.display_name }, u.data.role),
    ]),
    ...dataset.entries.map((e): [string, Record<string, unknown>] => [
      `production_entries/${e.id}`,
      { ...e.fields, audit: e.audit, ...(e.review ? { review: e.review } : {}) },
    ]),
    [`terminal_receipts/${dataset.receipt.id}`, { ...dataset.receipt.fields }],
    [`api_keys/${dataset.gatewayKey.sha256}`, dataset.gatewayKey.data],
  ];
  for (let i = 0; i < writes.length; i += 400) {
    const batch = db.batch();
    for (const [path, data] of writes.slice(i, i + 400)) batch.create(db.doc(path), data);
    await batch.commit();
  }
  say(
    `firestore: ${dataset.partners.length} partners, ${dataset.userDocs.length} user profiles, ${dataset.entries.length} production entries, 1 terminal receipt, 1 gateway API key (${String(dataset.gatewayKey.data.prefix)}…, partner ${String(dataset.gatewayKey.data.partner_id)})`,
  );

  // The audit log: one hash chain per stream, appended one event at a time in time order
  // (in parallel, the emulator's export would list the documents in a varying order).
  for (const { at, ...input } of dataset.events) await appendAuditEvent(db, input, at);
  const streams = new Set(dataset.events.map((e: AuditEventSeed) => e.stream));
  say(`audit_log: ${dataset.events.length} events in ${streams.size} hash chains`);
}

async function request(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, init);
  const body = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: HTTP ${response.status} ${body.slice(0, 300)}`);
  return body;
}

interface ExportedAccount {
  localId: string;
  createdAt?: string;
  lastLoginAt?: string;
  passwordUpdatedAt?: number;
  validSince?: string;
  salt?: string;
  passwordHash?: string;
  [key: string]: unknown;
}

/**
 * The Auth emulator stamps accounts with the time they were made and a random salt inside its
 * fake password hash ("fakeHash:salt=...:password=..."). Both are fixed here, so that the same
 * seed exports the same accounts; the password stays the demo password.
 */
function normaliseAccounts(json: string): string {
  const body = JSON.parse(json) as { kind?: string; users?: ExportedAccount[] };
  const users = (body.users ?? []).map((user) => {
    const fixed: ExportedAccount = { ...user };
    for (const key of ["createdAt", "lastLoginAt", "validSince"] as const) {
      if (key in fixed) fixed[key] = key === "validSince" ? String(Number(ACCOUNTS_CREATED_AT) / 1000) : ACCOUNTS_CREATED_AT;
    }
    if ("passwordUpdatedAt" in fixed) fixed.passwordUpdatedAt = Number(ACCOUNTS_CREATED_AT);
    if (typeof fixed.salt === "string") {
      const salt = `fakeSalt${user.localId}`;
      fixed.passwordHash = `fakeHash:salt=${salt}:password=${DEMO_PASSWORD}`;
      fixed.salt = salt;
    }
    delete fixed.lastRefreshAt;
    return fixed;
  });
  users.sort((a, b) => (a.localId < b.localId ? -1 : 1));
  return `${JSON.stringify({ ...body, users }, null, 2)}\n`;
}

const varint = (value: bigint): number[] => {
  const bytes: number[] = [];
  let v = value;
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return bytes;
};

/**
 * The Firestore emulator writes the export's start and end times (microseconds, fields 2 and 3
 * of the first message) into this small protobuf; everything else in the export depends on the
 * data alone. They are set to a fixed time so that the same seed gives a byte-identical export.
 * A file of any other shape is left as it is.
 */
function fixExportTimes(path: string): void {
  const bytes = [...readFileSync(path)];
  if (bytes[0] !== 0x0a || bytes[1] >= 0x80) return;
  const outerEnd = 2 + bytes[1];
  const inner = bytes.slice(2, outerEnd);
  if (inner[0] !== 0x0a || inner[1] >= 0x80) return;
  const nameEnd = 2 + inner[1];
  const fixed = varint(BigInt(PERIOD_END.getTime()) * 1000n);
  const rebuilt: number[] = inner.slice(0, nameEnd);
  let i = nameEnd;
  while (i < inner.length) {
    const tag = inner[i];
    if (tag !== 0x10 && tag !== 0x18) return;
    let j = i + 1;
    while (j < inner.length && inner[j] & 0x80) j += 1;
    rebuilt.push(tag, ...fixed);
    i = j + 1;
  }
  if (rebuilt.length >= 0x80) return;
  writeFileSync(path, Buffer.from([0x0a, rebuilt.length, ...rebuilt, ...bytes.slice(outerEnd)]));
}

function packageVersion(path: string, key = "version"): string {
  try {
    const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const value = key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], json);
    return typeof value === "string" ? value : "unknown";
  } catch {
    return "unknown";
  }
}

async function exportData(hosts: { firestore: string; auth: string }): Promise<void> {
  mkdirSync(join(ROOT, ".cache"), { recursive: true });
  const tmp = mkdtempSync(join(ROOT, ".cache", "seed-export-"));
  try {
    await request(`http://${hosts.firestore}/emulator/v1/projects/${PROJECT_ID}:export`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        database: `projects/${PROJECT_ID}/databases/(default)`,
        export_directory: tmp,
        export_name: "firestore_export",
      }),
    });
    const authDir = join(tmp, "auth_export");
    mkdirSync(authDir);
    const owner = { headers: { Authorization: "Bearer owner" } };
    const accounts = await request(
      `http://${hosts.auth}/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:batchGet?maxResults=-1`,
      owner,
    );
    writeFileSync(join(authDir, "accounts.json"), normaliseAccounts(accounts));
    const config = await request(`http://${hosts.auth}/emulator/v1/projects/${PROJECT_ID}/config`, owner);
    writeFileSync(join(authDir, "config.json"), `${JSON.stringify(JSON.parse(config), null, 2)}\n`);

    const tools = join(ROOT, "node_modules", "firebase-tools");
    const cli = packageVersion(join(tools, "package.json"));
    const metadata = {
      version: cli,
      firestore: {
        version: packageVersion(join(tools, "lib", "emulator", "downloadableEmulatorInfo.json"), "firestore.version"),
        path: "firestore_export",
        metadata_file: "firestore_export/firestore_export.overall_export_metadata",
      },
      auth: { version: cli, path: "auth_export" },
    };
    writeFileSync(join(tmp, "firebase-export-metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
    if (!existsSync(join(tmp, "firestore_export", "all_namespaces"))) throw new Error("the Firestore export holds no data");
    fixExportTimes(join(tmp, "firestore_export", "all_namespaces", "all_kinds", "all_namespaces_all_kinds.export_metadata"));

    rmSync(OUT_DIR, { recursive: true, force: true });
    renameSync(tmp, OUT_DIR);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? sizeOf(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
}

async function main(): Promise<void> {
  const hosts = requireEmulators();
  const dataset = buildDataset();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  say(`${FIELD_NAME}: ${day(PERIOD_START)} to ${day(new Date(PERIOD_END.getTime() - 1))} (${dataset.entries.length} entries)`);
  await writeAuth(dataset);
  await writeFirestore(dataset);
  await exportData(hosts);

  const v = dataset.summary.verdicts;
  say(`verdicts: ${v.validated} validated, ${v.flagged} flagged (all reviewed), ${v.rejected} rejected`);
  for (const e of dataset.entries.filter((x) => x.story !== "normal")) {
    const review = e.review ? `, ${e.review.decision} on review` : "";
    say(`  ${e.id}: ${e.story.replace(/_/g, " ")} -> ${e.audit.status} [${e.audit.reasons.map((r) => r.code).join(", ")}]${review}`);
  }
  const s = dataset.summary;
  const fmt = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  say(
    `receipt ${dataset.receipt.id}: gross ${fmt(s.terminal_gross_bbl)} bbl (field ${fmt(s.field_gross_bbl)}), ` +
      `NSV ${fmt(s.terminal_nsv_bbl)} bbl (field ${fmt(s.field_nsv_bbl)}, shrinkage ${s.shrinkage_percent.toFixed(2)} %)`,
  );
  say(`wrote ${relative(process.cwd(), OUT_DIR) || OUT_DIR}/ (${(sizeOf(OUT_DIR) / 1024).toFixed(0)} KiB)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[seed] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
