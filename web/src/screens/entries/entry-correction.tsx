import { useLiveDoc } from "../../data/live";
import type { ProductionEntry } from "../../data/types";
import { dateTime, toDate } from "../../format";
import { PersonName } from "../../ui/person";
import { EntryLink } from "./entry-link";

/** A coordinator's late entry: created and signed in the same write (one server time); a later correction has its own. */
function lateEntry(entry: ProductionEntry): boolean {
  return entry.created_by === entry.corrected_by && toDate(entry.created_at)?.getTime() === toDate(entry.corrected_at)?.getTime();
}

/** Who entered an entry late or last corrected it, when, and the note saying why. */
export function CorrectionNote({ entry }: { entry: ProductionEntry }) {
  if (!entry.correction_note) return null;
  return (
    <p class="review-note" data-testid="correction" data-corrected-by={entry.corrected_by ?? ""}>
      {lateEntry(entry) ? "Entered late" : "Corrected"} by{" "}
      <strong><PersonName uid={entry.corrected_by} /></strong>, {entry.corrected_at ? dateTime(entry.corrected_at) : "saving…"}: “{entry.correction_note}”
    </p>
  );
}

/**
 * An entry behind a change (a stale mark, an adjustment), linked, with why it changed as it stands
 * now: the late entry's or last correction's note. The audit log keeps every earlier note.
 */
export function EntryWithCorrection({ id }: { id: string }) {
  const live = useLiveDoc<ProductionEntry>(`production_entries/${id}`).value;
  return (
    <div class="entry-behind" data-testid="entry-behind" data-entry={id}>
      <EntryLink id={id} entry={live.docs} />
      {live.error && <span class="error" role="alert"> (could not read it: {live.error})</span>}
      {live.docs && (live.docs.correction_note ? <CorrectionNote entry={live.docs} /> : <span class="muted small-text"> — no correction note on it: its page says what changed</span>)}
      {!live.loading && !live.error && !live.docs && <span class="muted small-text"> — not found</span>}
    </div>
  );
}
