import { signal } from "@preact/signals";
import type { ProductionEntry } from "./types";

/**
 * Entries this session saved with changed measured figures, each with the audit input hash it had
 * then: until the auditor writes a verdict of other inputs, the verdict shown is the old figures'.
 */
const saved = signal<ReadonlyMap<string, { hash: string | null; at: number }>>(new Map());

/**
 * How long the notice may stand without a new audit: figures saved back to the audited ones
 * before the auditor ran leave the audit as it was, and no new one comes.
 */
const REAUDIT_WAIT_MS = 3 * 60_000;

export function expectReaudit(id: string, hashAtSave: string | null, now = Date.now()): void {
  saved.value = new Map(saved.value).set(id, { hash: hashAtSave, at: now });
}

/** Whether the entry's verdict is still the one of the figures it had before this session's save. */
export function awaitingReaudit(id: string, entry: ProductionEntry, now = Date.now()): boolean {
  const save = saved.value.get(id);
  return save !== undefined && (entry.audit?.input_hash ?? null) === save.hash && now - save.at < REAUDIT_WAIT_MS;
}
