/**
 * Verifies stored reports and the audit log with the same code as the callables:
 *   npm run verify -- <reconciliation_id> [...]   recompute reports from their manifests
 *   npm run verify -- --audit-log                  walk every audit-log hash chain
 *   npm run verify -- --bundle statement.json      check an exported statement bundle offline
 *                                                  (no Firebase, no network: domain code only)
 *   ... --expect-hash <hex> [--expect-anchor <anchor>] [--expect-anchor-hash <hex>]
 *                                                  also require the report's integrity hash (and its
 *                                                  audit anchor: id, stream and #, event hash, as much as
 *                                                  given) to be the ones the statement or notice gave;
 *                                                  anything else fails the run
 * Against the emulators when FIRESTORE_EMULATOR_HOST is set (npm run emulators prints it),
 * otherwise against the project of GOOGLE_CLOUD_PROJECT with application default credentials.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  compareExpected,
  parseExpectedAnchor,
  parseExpectedAnchorHash,
  parseExpectedHash,
  type ExpectedValues,
} from "../functions/src/domain/expected-statement";
import { type VerificationReport } from "../functions/src/domain/report-verification";
import { BundleRefused, verifyStatementBundleText } from "../functions/src/domain/statement-bundle";
import { verificationPrintout, verifiedAsExpected } from "../functions/src/domain/verification-printout";

const USAGE =
  "usage: npm run verify -- <reconciliation_id> [...] | --audit-log | --bundle <statement.json> [...]  [--expect-hash <hex>] [--expect-anchor <anchor>] [--expect-anchor-hash <hex>]";

/** Prints the verification; whether it passed and matched every value expected. */
function printReport(label: string, report: VerificationReport, expected: ExpectedValues): boolean {
  const expectations = compareExpected(report, expected);
  for (const line of verificationPrintout(label, report, expectations)) console.log(line);
  return verifiedAsExpected(report, expectations);
}

const EXPECTED_OPTIONS = {
  "--expect-hash": { key: "integrity_hash", what: "the statement's integrity hash (64 hex digits)" },
  "--expect-anchor": { key: "anchor", what: "the statement's audit anchor as printed" },
  "--expect-anchor-hash": { key: "anchor_hash", what: "the statement's anchor event hash (64 hex digits)" },
} as const;

type Target = { kind: "bundle"; file: string } | { kind: "audit-log" } | { kind: "reconciliation"; id: string };

/** The targets in order and the values expected of every report; an Error says what is wrong with the arguments. */
function parseArgs(args: string[]): { targets: Target[]; expected: ExpectedValues } {
  const targets: Target[] = [];
  const expected: ExpectedValues = {};
  const value = (option: string, i: number, what: string): string => {
    const given = args[i];
    if (given === undefined) throw new Error(`${option} needs ${what}`);
    return given;
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === "--bundle") {
      targets.push({ kind: "bundle", file: value(arg, ++i, "a file name") });
    } else if (arg === "--audit-log") {
      targets.push({ kind: "audit-log" });
    } else if (Object.hasOwn(EXPECTED_OPTIONS, arg)) {
      const option = EXPECTED_OPTIONS[arg as keyof typeof EXPECTED_OPTIONS];
      if (expected[option.key] !== undefined) throw new Error(`${arg} is given twice: verify one statement per run to compare its values`);
      const given = value(arg, ++i, option.what);
      if (option.key === "integrity_hash") expected.integrity_hash = parseExpectedHash(given);
      else if (option.key === "anchor") expected.anchor = parseExpectedAnchor(given);
      else expected.anchor_hash = parseExpectedAnchorHash(given);
      if (expected.anchor?.hash !== undefined && expected.anchor_hash !== undefined) {
        throw new Error(
          "the anchor's event hash is given twice (in --expect-anchor's CSV form and with --expect-anchor-hash): give it once",
        );
      }
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      targets.push({ kind: "reconciliation", id: arg });
    }
  }
  const statements = targets.filter((t) => t.kind !== "audit-log").length;
  if (Object.keys(expected).length > 0 && statements !== 1) {
    throw new Error(
      `--expect-hash, --expect-anchor and --expect-anchor-hash compare one statement's values: give one --bundle or reconciliation id with them, not ${statements}`,
    );
  }
  return { targets, expected };
}

/** A bundle file's text, refused unless valid UTF-8: a lenient decoder would turn different bytes into the same text. */
function readBundleText(path: string): { ok: true; text: string } | { ok: false; error: string } {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path)) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_ENCODING_INVALID_ENCODED_DATA") throw error;
    return { ok: false, error: "the file is not valid UTF-8" };
  }
}

/** verifyStatementBundleText, its refusal (not JSON, a refused key, not a bundle) as a result. */
function verifyBundleText(text: string): { ok: true; report: VerificationReport } | { ok: false; error: string } {
  try {
    return { ok: true, report: verifyStatementBundleText(text) };
  } catch (error) {
    if (!(error instanceof BundleRefused)) throw error;
    return { ok: false, error: error.message };
  }
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const { targets, expected } = parseArgs(args);
  let failures = 0;
  for (const target of targets) {
    if (target.kind === "bundle") {
      const file = target.file;
      // npm runs scripts from the project root; the file is named from where the user stands.
      const read = readBundleText(resolve(process.env.INIT_CWD ?? process.cwd(), file));
      const verified = read.ok ? verifyBundleText(read.text) : read;
      if (!verified.ok) {
        console.log(`${file}: REFUSED — ${verified.error}`);
        failures += 1;
        continue;
      }
      const report = verified.report;
      if (!printReport(`${file} (${report.reconciliation_id}, offline)`, report, expected)) failures += 1;
      continue;
    }
    // Loaded only when the database is needed: --bundle runs with no Firebase code at all.
    const { firestore } = await import("../functions/src/shared/firebase");
    const db = firestore();
    if (target.kind === "audit-log") {
      const { verifyAuditLog } = await import("../functions/src/shared/audit-log-walk");
      const report = await verifyAuditLog(db);
      console.log(`audit log: ${report.streams} streams, ${report.events} events, ${report.problems.length} broken`);
      for (const p of report.problems) console.log(`  BROKEN ${p.kind}: ${p.message}`);
      failures += report.problems.length;
      continue;
    }
    const { verifyReconciliation } = await import("../functions/src/agents/accountant/verify");
    const report = await verifyReconciliation(db, target.id);
    if (!report) {
      console.log(`${target.id}: not found`);
      failures += 1;
      continue;
    }
    if (!printReport(target.id, report, expected)) failures += 1;
  }
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
