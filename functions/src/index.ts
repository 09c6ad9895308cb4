/**
 * FlowShare's event graph: every trigger and callable, bound to its agent. Nothing else
 * lives here; the agents (src/agents) take their collaborators from `productionDeps()`.
 */
import { setGlobalOptions } from "firebase-functions/v2";
import { onCall } from "firebase-functions/v2/https";
import { setUserRole as setUserRoleHandler } from "./agents/admin/set-user-role";
import { verifyAuditLogCallable } from "./agents/admin/verify-audit-log";
import { reconcile as reconcileReceipt } from "./agents/accountant/reconcile";
import { verifyReconciliationCallable } from "./agents/accountant/verify";
import { productionDeps } from "./shared/agent-deps";
import { toHttpsError } from "./shared/callable-guard";
import { REGION } from "./shared/config";

setGlobalOptions({ region: REGION, maxInstances: 20 });

const guarded = <T>(work: () => Promise<T>): Promise<T> => work().catch((error) => { throw toHttpsError(error); });

// Accountant
export const reconcile = onCall({ timeoutSeconds: 540, memory: "2GiB" }, (request) =>
  guarded(() => reconcileReceipt(productionDeps({ gemini: false }), request)),
);
export const verifyReconciliation = onCall({ timeoutSeconds: 300, memory: "1GiB" }, (request) =>
  guarded(() => verifyReconciliationCallable(productionDeps({ gemini: false }), request)),
);

// Administration
export const setUserRole = onCall((request) => guarded(() => setUserRoleHandler(productionDeps({ gemini: false }), request)));
export const verifyAuditLog = onCall({ timeoutSeconds: 300 }, (request) =>
  guarded(() => verifyAuditLogCallable(productionDeps({ gemini: false }), request)),
);
