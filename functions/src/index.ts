/**
 * FlowShare's event graph: every trigger and callable, bound to its agent. Nothing else
 * lives here; the agents (src/agents) take their collaborators from `productionDeps()`.
 */
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentCreated, onDocumentUpdated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { auditEntry } from "./agents/auditor";
import { reviewEntry as review } from "./agents/review";
import { productionDeps } from "./shared/agent-deps";
import { toHttpsError } from "./shared/callable-guard";
import { geminiApiKey, REGION } from "./shared/config";

setGlobalOptions({ region: REGION, maxInstances: 20 });

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
export const reviewEntry = onCall((request) =>
  review(productionDeps({ gemini: false }), request).catch((error: unknown) => {
    throw toHttpsError(error);
  }),
);
