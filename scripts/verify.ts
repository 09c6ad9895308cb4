/**
 * Verifies stored reports and the audit log with the same code as the callables:
 *   npm run verify -- <reconciliation_id> [...]   recompute reports from their manifests
 *   npm run verify -- --audit-log                  walk every audit-log hash chain
 * Against the emulators when FIRESTORE_EMULATOR_HOST is set (npm run emulators prints it),
 * otherwise against the project of GOOGLE_CLOUD_PROJECT with application default credentials.
 */
import { verifyReconciliation } from "../functions/src/agents/accountant/verify";
import { verifyAuditLog } from "../functions/src/shared/audit-log";
import { firestore } from "../functions/src/shared/firebase";

async function main(args: string[]): Promise<number> {
  if (args.length === 0) {
    console.error("usage: npm run verify -- <reconciliation_id> [...] | --audit-log");
    return 2;
  }
  const db = firestore();
  let failures = 0;
  for (const arg of args) {
    if (arg === "--audit-log") {
      const report = await verifyAuditLog(db);
      console.log(`audit log: ${report.streams} streams, ${report.events} events, ${report.problems.length} broken`);
      for (const p of report.problems) console.log(`  BROKEN ${p.kind}: ${p.message}`);
      failures += report.problems.length;
      continue;
    }
    const report = await verifyReconciliation(db, arg);
    if (!report) {
      console.log(`${arg}: not found`);
      failures += 1;
      continue;
    }
    console.log(`${arg}: ${report.ok ? "OK — nothing stored was altered" : "ALTERED"}`);
    for (const c of report.checks) {
      console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}${c.ok ? "" : `: stored ${JSON.stringify(c.stored)}, recomputed ${JSON.stringify(c.recomputed)}`}`);
    }
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
