// A verification as `npm run verify` prints it (scripts/verify.ts): the verdict, every check,
// what was not checked, and the values to compare out of band in full, each beside the field of
// the statement (its footer, or the CSV's header block) it must equal.

import { type VerificationReport } from "./report-verification";

export function verificationPrintout(label: string, report: VerificationReport): string[] {
  const failed = report.checks.filter((c) => !c.ok);
  const lines = [
    `${label}: ${report.ok ? "OK" : `ALTERED (${failed.length} of ${report.checks.length} checks failed)`} — scope ${report.scope}, ${report.hash_scheme}`,
  ];
  for (const c of report.checks) {
    const detail = c.ok
      ? c.note
        ? ` (${c.note})`
        : ""
      : `: ${c.note ? `${c.note}; ` : ""}stored ${JSON.stringify(c.stored)}, recomputed ${JSON.stringify(c.recomputed)}`;
    lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}${detail}`);
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
