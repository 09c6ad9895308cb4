// A verification as `npm run verify` prints it (scripts/verify.ts): the verdict, every check,
// what was not checked, and the values to compare out of band in full, each beside the field of
// the statement (its footer, or the CSV's header block) it must equal; with the values the reader
// gave (--expect-hash, --expect-anchor), what each was compared with and whether it matched.

import { type ExpectationResult } from "./expected-statement";
import { type VerificationReport } from "./report-verification";

/** Whether a verification passed and every value given matched: what the CLI's exit code says. */
export function verifiedAsExpected(report: VerificationReport, expectations: readonly ExpectationResult[]): boolean {
  return report.ok && expectations.every((e) => e.ok);
}

function verdict(report: VerificationReport, expectations: readonly ExpectationResult[]): string {
  const failed = report.checks.filter((c) => !c.ok);
  const differs = expectations.filter((e) => !e.ok).map((e) => `its ${e.what} is not the one given with ${e.option}`);
  if (report.ok) return differs.length === 0 ? "OK" : `NOT THE STATEMENT EXPECTED (${differs.join("; ")})`;
  return `ALTERED (${failed.length} of ${report.checks.length} checks failed${differs.map((d) => `; ${d}`).join("")})`;
}

export function verificationPrintout(label: string, report: VerificationReport, expectations: readonly ExpectationResult[] = []): string[] {
  const lines = [`${label}: ${verdict(report, expectations)} — scope ${report.scope}, ${report.hash_scheme}`];
  for (const c of report.checks) {
    const detail = c.ok
      ? c.note
        ? ` (${c.note})`
        : ""
      : `: ${c.note ? `${c.note}; ` : ""}stored ${JSON.stringify(c.stored)}, recomputed ${JSON.stringify(c.recomputed)}`;
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}${detail}`);
  }
  if (expectations.length > 0) lines.push("  compared with the values given:");
  for (const e of expectations) {
    lines.push(
      e.ok
        ? `    ok   ${e.what} ${e.found} = ${e.option} ${e.expected}`
        : `    FAIL ${e.what}: the report's ${e.found ?? "none"}, not ${e.option} ${e.expected}`,
    );
  }
  for (const n of report.not_checked) lines.push(`  not checked: ${n}`);
  const { integrity_hash: hash, anchor, chain_head: head } = report.out_of_band;
  lines.push(
    "  compare out of band (a report and audit chain forged whole pass every check above; these values, compared with the copies you keep and with the operator, do not):",
    `    integrity hash:    ${hash ?? "none"}  = the statement's "Integrity hash" (CSV: integrity_hash)`,
    anchor
      ? `    audit anchor:      ${anchor.event_id}, stream ${anchor.stream} #${anchor.seq}  = the statement's "Audit anchor" (CSV: audit_anchor)`
      : "    audit anchor:      none found",
  );
  if (anchor) lines.push(`    anchor event hash: ${anchor.hash}  = the statement's "event hash" (CSV: audit_anchor, hash)`);
  lines.push(
    head
      ? `    chain head:        stream ${head.stream} #${head.seq}, hash ${head.hash}  = the head the operator's audit log holds now (on no statement: ask the operator)`
      : "    chain head:        none",
  );
  return lines;
}
