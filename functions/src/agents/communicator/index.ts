/**
 * The communicator: notifications for a completed reconciliation and its release, a newly
 * flagged entry, a coordinator's decision on one, a coordinator's correction or late entry, and a
 * partner's exception to a statement and its answer.
 * Retried: a transient failure rethrows, and the per-recipient notification ids and the
 * round's transaction keep a redelivery (even a concurrent one) from notifying twice.
 */
import { defineTrigger } from "../../shared/document-trigger";
import { notifyEntryUpdate, notifyReconciliation, notifyReleasedReconciliation } from "./notify";
import { notifyStaleReconciliation } from "./stale";
import { notifyStatementException } from "./exceptions";

export const onReconciliation = defineTrigger(
  {
    name: "notifyOnReconciliation",
    document: "reconciliations/{reconciliationId}",
    on: "created",
    retry: true,
    gemini: true,
    timeoutSeconds: 300,
  },
  (deps, event) => notifyReconciliation(deps, { reconciliationId: event.params.reconciliationId, eventId: event.id, data: event.after }),
);

export const onReleasedReconciliation = defineTrigger(
  {
    name: "notifyOnReleasedReconciliation",
    document: "reconciliations/{reconciliationId}",
    on: "updated",
    retry: true,
    gemini: true,
    timeoutSeconds: 300,
  },
  (deps, event) =>
    notifyReleasedReconciliation(deps, {
      reconciliationId: event.params.reconciliationId,
      eventId: event.id,
      before: event.before,
      data: event.after,
    }),
);

export const onFlaggedEntry = defineTrigger(
  { name: "notifyOnFlaggedEntry", document: "production_entries/{entryId}", on: "updated", retry: true, gemini: true, timeoutSeconds: 300 },
  (deps, event) => notifyEntryUpdate(deps, { entryId: event.params.entryId, eventId: event.id, before: event.before, after: event.after }),
);

export const onStaleReconciliation = defineTrigger(
  // Written, not updated: a version made stale by its own close (a change during it) is created stale.
  { name: "notifyOnStaleReconciliation", document: "reconciliations/{reconciliationId}", on: "written", retry: true },
  (deps, event) =>
    notifyStaleReconciliation(deps, { reconciliationId: event.params.reconciliationId, before: event.before, after: event.after }),
);

export const onStatementException = defineTrigger(
  { name: "notifyOnStatementException", document: "statement_exceptions/{exceptionId}", on: "written", retry: true },
  (deps, event) => notifyStatementException(deps, { exceptionId: event.params.exceptionId, before: event.before, after: event.after }),
);
