// Statistics the benchmark parts judge their goals by (pure: unit-tested).

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The reconcile part's judged ratio: the turns' median call against their median floor (each
 * turn's floor the faster of its two reads), as the ingestion part judges its pairs. The
 * emulator's reads drift by ±40 % from one minute to the next and now and then one is far faster:
 * the best call against the best read puts a call of one minute against a read of another, and
 * the floor has two reads a turn to the call's one.
 */
export function turnsRatio(turns: ReadonlyArray<{ floorMs: number; callMs: number }>): number {
  return median(turns.map((t) => t.callMs)) / median(turns.map((t) => t.floorMs));
}
