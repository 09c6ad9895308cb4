import type { ClassifiedEntries } from "../../src/agents/accountant/entry-scan";

/** Classified entries holding `fields`, the rest empty. */
export const classified = (fields: Partial<ClassifiedEntries>): ClassifiedEntries => ({
  used: [],
  excluded: [],
  pendingAudit: [],
  awaitingReview: [],
  unmeasurable: [],
  documentsRead: 0,
  ...fields,
});
