/**
 * Verifies stored reports and the audit log with the same code as the callables:
 *   npm run verify -- <reconciliation_id> [...]   recompute reports from their manifests
 *   npm run verify -- --audit-log                  walk every audit-log hash chain
 *   npm run verify -- --bundle statement.json      check an exported statement bundle offline
 *                                                  (no Firebase, no network: domain code only)
 * Against the emulators when FIRESTORE_EMULATOR_HOST is set (npm run emulators prints it),
 * otherwise against the project of GOOGLE_CLOUD_PROJECT with application default credentials.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type VerificationReport } from "../functions/src/domain/report-verification";
import { BundleRefused, verifyStatementBundleText } from "../functions/src/domain/statement-bundle";
import { verificationPrintout } from "../functions/src/domain/verification-printout";

function printReport(label: string, report: VerificationReport): void {
  for (const line of verificationPrintout(label, report)) console.log(line);
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
    console.error("usage: npm run verify -- <reconciliation_id> [...] | --audit-log | --bundle <statement.json> [...]");
    return 2;
  }
  let failures = 0;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === "--bundle") {
      const file = args[++i];
      if (!file) throw new Error("--bundle needs a file name");
      // npm runs scripts from the project root; the file is named from where the user stands.
      const read = readBundleText(resolve(process.env.INIT_CWD ?? process.cwd(), file));
      const verified = read.ok ? verifyBundleText(read.text) : read;
      if (!verified.ok) {
        console.log(`${file}: REFUSED — ${verified.error}`);
        failures += 1;
        continue;
      }
      const report = verified.report;
      printReport(`${file} (${report.reconciliation_id}, offline)`, report);
      if (!report.ok) failures += 1;
      continue;
    }
    // Loaded only when the database is needed: --bundle runs with no Firebase code at all.
    const { firestore } = await import("../functions/src/shared/firebase");
    const db = firestore();
    if (arg === "--audit-log") {
      const { verifyAuditLog } = await import("../functions/src/shared/audit-log-walk");
      const report = await verifyAuditLog(db);
      console.log(`audit log: ${report.streams} streams, ${report.events} events, ${report.problems.length} broken`);
      for (const p of report.problems) console.log(`  BROKEN ${p.kind}: ${p.message}`);
      failures += report.problems.length;
      continue;
    }
    const { verifyReconciliation } = await import("../functions/src/agents/accountant/verify");
    const report = await verifyReconciliation(db, arg);
    if (!report) {
      console.log(`${arg}: not found`);
      failures += 1;
      continue;
    }
    printReport(arg, report);
    if (!report.ok) failures += 1;
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
