import { type CallableRequest } from "firebase-functions/v2/https";
import { z } from "zod";
import { type AgentDeps } from "../../shared/agent-deps";
import { verifyAuditLog, type ChainReport } from "../../shared/audit-log";
import { parseInput, requireRole } from "../../shared/callable-guard";
import { enforceRateLimit } from "../../shared/rate-limit";

/** The `verifyAuditLog` callable (auditors, admins): walks every chain, reports each first break. */
export async function verifyAuditLogCallable(deps: AgentDeps, request: Pick<CallableRequest, "auth" | "data">): Promise<ChainReport & { ok: boolean }> {
  const caller = requireRole(request, ["auditor", "admin"]);
  parseInput(z.object({}).strict().nullish(), request.data);
  await enforceRateLimit(deps.db, caller.uid, "verifyAuditLog", deps.rateLimit, deps.clock.now());
  const report = await verifyAuditLog(deps.db);
  return { ...report, ok: report.problems.length === 0 };
}
