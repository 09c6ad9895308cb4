/** A reconciliation's id names its receipt and version: `{receiptId}_v{n}`. */

export const reconciliationId = (receiptId: string, version: number) => `${receiptId}_v${version}`;

/** The terminal receipt a version id names ("R1_v3" -> "R1"). */
export function receiptOfVersion(versionId: string): string {
  return versionId.replace(/_v\d+$/, "");
}

/** Whether `id` names a version of receipt `receiptId` (`{receiptId}_v{n}`, exactly: an id may itself end in _v2). */
export function isVersionOf(receiptId: string, id: unknown): boolean {
  return typeof id === "string" && id.startsWith(`${receiptId}_v`) && /^\d+$/.test(id.slice(receiptId.length + 2));
}
