import type { ScanPart } from "../../src/agents/accountant/entry-scan";

/** A scan part holding `fields`, the rest empty. */
export const scanPart = (fields: Partial<ScanPart>): ScanPart => ({
  used: [],
  excluded: [],
  pendingAudit: [],
  awaitingReview: [],
  unmeasurable: [],
  documentsRead: 0,
  ...fields,
});
