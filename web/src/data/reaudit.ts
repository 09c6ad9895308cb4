import { signal } from "@preact/signals";
import type { ProductionEntry } from "./types";

/**
 * Entries this session saved with changed measured figures, each with the audit input hash it had
 * then: until the auditor writes a verdict of other inputs, the verdict shown is the old figures'.
 */
const saved = signal<ReadonlyMap<string, string | null>>(new Map());

export function expectReaudit(id: string, hashAtSave: string | null): void {
  saved.value = new Map(saved.value).set(id, hashAtSave);
}

/** Whether the entry's verdict is still the one of the figures it had before this session's save. */
export function awaitingReaudit(id: string, entry: ProductionEntry): boolean {
  const at = saved.value.get(id);
  return at !== undefined && (entry.audit?.input_hash ?? null) === at;
}
