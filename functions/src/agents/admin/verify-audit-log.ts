import { z } from "zod";
import { type AgentDeps } from "../../shared/agent-deps";
import { verifyAuditLog, type ChainReport } from "../../shared/audit-log";

export const verifyAuditLogInput = z.object({}).strict().nullish();

/** The `verifyAuditLog` callable (auditors, admins): walks every chain, reports each first break. */
export async function verifyAuditLogCallable(deps: AgentDeps): Promise<ChainReport & { ok: boolean }> {
  const report = await verifyAuditLog(deps.db);
  return { ...report, ok: report.problems.length === 0 };
}
