import type { ScanPart } from "../../src/agents/accountant/entry-scan";

/** A scan part holding `fields`, the rest empty; excluded ids default to the rows' own. */
export const scanPart = (fields: Partial<ScanPart>): ScanPart => ({
  used: [],
  excluded: [],
  pendingAudit: [],
  awaitingReview: [],
  unmeasurable: [],
  documentsRead: 0,
  ...fields,
  excludedIds: fields.excludedIds ?? (fields.excluded ?? []).map((e) => e.entry_id),
});
