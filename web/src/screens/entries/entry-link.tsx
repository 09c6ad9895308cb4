import { useContractDayOf } from "../../data/jv-settings";
import type { ProductionEntry } from "../../data/types";
import { entryLabel } from "../../domain/entry-label";
import { href } from "../../router";

/** The entry's document id, kept small beside what names it, for support. */
export function EntryId({ id }: { id: string }) {
  return <code class="doc-id" title="The entry's document id (for support)">{id}</code>;
}

/** A link to the entry named by its meter and contract day, its document id beside it. `entry` undefined: still being read. */
export function EntryLink({ id, entry }: { id: string; entry: Pick<ProductionEntry, "meter_id" | "measured_at"> | undefined }) {
  const dayOf = useContractDayOf();
  return (
    <>
      <a href={href("entry", id)}>{entry ? entryLabel(entry, dayOf(entry.measured_at)) : "the entry"}</a> <EntryId id={id} />
    </>
  );
}
