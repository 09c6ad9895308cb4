/**
 * A statement as a partner knows it: the contract days of its period, its terminal receipt and its
 * version ("2026-09-01 – 2026-10-30 (60 days) · receipt pet-20261031 · version 2"), not its report
 * id. Pure: the screens and the unit tests share it.
 */
export function statementLabel(period: string | undefined, receiptId: string, version: number): string {
  return `${period ? `${period} · ` : ""}receipt ${receiptId} · version ${version}`;
}

/**
 * The receipt and version a report id names, `${receipt}_v${n}` as `reconcile` names its
 * versions: what can be said of a statement whose document is not (or not yet) read.
 */
export function reportIdParts(id: string): { receiptId: string; version: number } | undefined {
  const match = /^(.+)_v([1-9]\d*)$/.exec(id);
  return match ? { receiptId: match[1], version: Number(match[2]) } : undefined;
}

/** A report named in a sentence by what its id holds ("version 2 of receipt pet-20261031"); an id of another shape as it is. */
export function reportInWords(id: string): string {
  if (id === "") return "a reconciliation not named";
  const parts = reportIdParts(id);
  return parts ? `version ${parts.version} of receipt ${parts.receiptId}` : id;
}
