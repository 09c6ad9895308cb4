import type { ClassifiedEntries } from "../../src/agents/accountant/entry-scan";
import { measuredRowLine, type MeasuredInputRow } from "../../src/domain/report-hash";

/** Classified entries holding `fields` (used ones given as rows, each with its line as the scan makes it), the rest empty. */
export const classified = (fields: Partial<Omit<ClassifiedEntries, "used">> & { used?: MeasuredInputRow[] }): ClassifiedEntries => ({
  excluded: [],
  pendingAudit: [],
  awaitingReview: [],
  unmeasurable: [],
  documentsRead: 0,
  ...fields,
  used: (fields.used ?? []).map((row) => ({ row, line: measuredRowLine(row) })),
});
