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

/**
 * What names the version that raised an adjustment, from the adjustment itself (no read): its
 * receipt and version from the version's id, its period the one it restates. Undefined when the
 * adjustment's receipt is not the one the id names (the link then reads the version).
 */
export function raisedBy<T>(a: { from_reconciliation_id: string; terminal_receipt_id?: string; period_start?: T; period_end?: T }):
  | { terminal_receipt_id: string; version: number; period_start?: T; period_end?: T }
  | undefined {
  const parts = reportIdParts(a.from_reconciliation_id);
  if (!parts || parts.receiptId !== a.terminal_receipt_id) return undefined;
  return { terminal_receipt_id: parts.receiptId, version: parts.version, period_start: a.period_start, period_end: a.period_end };
}
