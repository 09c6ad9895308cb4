import { useLiveDoc } from "../../data/live";
import { useContractDayOf } from "../../data/jv-settings";
import type { ProductionEntry } from "../../data/types";
import { entryLabel } from "../../domain/entry-label";
import { href } from "../../router";

/** The entry's document id, kept small beside what names it, for support. */
export function EntryId({ id }: { id: string }) {
  return <code class="doc-id" title="The entry's document id (for support)">{id}</code>;
}

type Named = Pick<ProductionEntry, "meter_id" | "measured_at">;

/** Names entries by meter and contract day ("NWE-LACT-01 on 2026-11-04") on the JV's contract-day clock. */
export function useEntryLabel(): (entry: Named) => string {
  const dayOf = useContractDayOf();
  return (entry) => entryLabel(entry, dayOf(entry.measured_at));
}

/** A link to the entry named by its meter and contract day, its document id beside it. `entry` undefined: still being read. */
export function EntryLink({ id, entry }: { id: string; entry: Named | undefined }) {
  const label = useEntryLabel();
  return (
    <>
      <a href={href("entry", id)}>{entry ? label(entry) : "the entry"}</a> <EntryId id={id} />
    </>
  );
}

/** A link to an entry known by its id only (a report's exclusions, its corrections): the entry is read to name it. */
export function LiveEntryLink({ id }: { id: string }) {
  const live = useLiveDoc<ProductionEntry>(`production_entries/${id}`).value;
  return <EntryLink id={id} entry={live.docs ?? undefined} />;
}
