/**
 * FlowShare's event graph: every trigger and callable, bound to its agent. Nothing else
 * lives here; the agents (src/agents) take their collaborators from `productionDeps()`.
 */
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentCreated, onDocumentUpdated } from "firebase-functions/v2/firestore";
import { notifyFlaggedEntry, notifyReconciliation } from "./agents/communicator";
import { productionDeps } from "./shared/agent-deps";
import { geminiApiKey, REGION } from "./shared/config";

setGlobalOptions({ region: REGION, maxInstances: 20 });

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
