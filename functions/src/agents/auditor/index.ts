/** The auditor: a verdict on every production entry, and coordinators' reviews of flagged ones. */
import { defineCallable } from "../../shared/callable";
import { defineTrigger, type DocumentEvent } from "../../shared/document-trigger";
import { auditEntry } from "./audit-entry";
import { bulkReviewInputSchema, reviewEntries } from "./review-entries";
import { REVIEWER_ROLES, reviewEntry, reviewInputSchema } from "./review-entry";

const audit = (deps: Parameters<typeof auditEntry>[0], event: DocumentEvent) =>
  auditEntry(deps, {
    entryId: event.params.entryId,
    eventId: event.id,
    data: event.after,
    before: event.before,
    createTime: event.createTime,
  });

// Every entry on create, again when a measured field changes (its own writes and reviews are
// recognised by audit.input_hash). The event lease keeps a retry from calling Gemini or logging
// twice. 120 s covers Gemini's attempts (GEMINI_TIMEOUT_MS x GEMINI_MAX_ATTEMPTS plus backoff).
const auditorTrigger = { document: "production_entries/{entryId}", retry: true, gemini: true, timeoutSeconds: 120 } as const;
export const auditOnCreate = defineTrigger({ name: "auditEntryOnCreate", on: "created", ...auditorTrigger }, audit);
export const auditOnUpdate = defineTrigger({ name: "auditEntryOnUpdate", on: "updated", ...auditorTrigger }, audit);

export const review = defineCallable(
  { name: "reviewEntry", roles: REVIEWER_ROLES, input: reviewInputSchema, rateLimit: true, action: "entry reviews" },
  reviewEntry,
);

// One decision over up to 100 flagged entries (a flood of them), each decided as reviewEntry decides it.
export const reviewMany = defineCallable(
  { name: "reviewEntries", roles: REVIEWER_ROLES, input: bulkReviewInputSchema, rateLimit: true, action: "bulk entry reviews" },
  reviewEntries,
);
