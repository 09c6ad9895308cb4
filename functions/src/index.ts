/**
 * FlowShare's event graph: every trigger and callable, bound to its agent. Nothing else
 * lives here; the agents (src/agents) take their collaborators from `productionDeps()`.
 */
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentCreated, onDocumentUpdated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { setUserRole as setUserRoleHandler } from "./agents/admin/set-user-role";
import { verifyAuditLogCallable } from "./agents/admin/verify-audit-log";
import { reconcile as reconcileReceipt } from "./agents/accountant/reconcile";
import { verifyReconciliationCallable } from "./agents/accountant/verify";
import { auditEntry } from "./agents/auditor";
import { notifyFlaggedEntry, notifyReconciliation } from "./agents/communicator";
import { reviewEntry as review } from "./agents/review";
import { productionDeps } from "./shared/agent-deps";
import { toHttpsError } from "./shared/callable-guard";
import { geminiApiKey, REGION } from "./shared/config";

setGlobalOptions({ region: REGION, maxInstances: 20 });

const guarded = <T>(work: () => Promise<T>): Promise<T> => work().catch((error) => { throw toHttpsError(error); });

// Auditor
// Every production entry on create, again when a measured field changes (its own writes and
// reviews are recognised by audit.input_hash). Retried: a failed read or write rethrows, and
// the event lease keeps a retry from calling Gemini or logging twice. 120 s covers Gemini's
// attempts (GEMINI_TIMEOUT_MS x GEMINI_MAX_ATTEMPTS plus backoff).
const auditorTrigger = {
  document: "production_entries/{entryId}",
  secrets: [geminiApiKey],
  retry: true,
  timeoutSeconds: 120,
};
export const auditEntryOnCreate = onDocumentCreated(auditorTrigger, (event) =>
  auditEntry(productionDeps(), {
    entryId: event.params.entryId,
    eventId: event.id,
    data: event.data?.data(),
    createTime: event.data?.createTime?.toDate(),
  }),
);
export const auditEntryOnUpdate = onDocumentUpdated(auditorTrigger, (event) =>
  auditEntry(productionDeps(), {
    entryId: event.params.entryId,
    eventId: event.id,
    data: event.data?.after.data(),
    createTime: event.data?.after.createTime?.toDate(),
  }),
);
export const reviewEntry = onCall((request) => guarded(() => review(productionDeps({ gemini: false }), request)));

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

// Communicator
export const notifyOnReconciliation = onDocumentCreated(
  { document: "reconciliations/{reconciliationId}", secrets: [geminiApiKey], timeoutSeconds: 300 },
  async (event) => {
    await notifyReconciliation(productionDeps(), {
      reconciliationId: event.params.reconciliationId,
      eventId: event.id,
      data: event.data?.data(),
    });
  },
);
export const notifyOnFlaggedEntry = onDocumentUpdated(
  { document: "production_entries/{entryId}", secrets: [geminiApiKey], timeoutSeconds: 300 },
  async (event) => {
    await notifyFlaggedEntry(productionDeps(), {
      entryId: event.params.entryId,
      eventId: event.id,
      before: event.data?.before.data(),
      after: event.data?.after.data(),
    });
  },
);
