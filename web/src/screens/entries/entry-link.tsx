import { useLiveDoc } from "../../data/live";
import { useContractDayOf } from "../../data/jv-settings";
import type { ProductionEntry } from "../../data/types";
import { entryLabel } from "../../domain/entry-label";
import { href } from "../../router";
import { PartnerName } from "../../ui/partner";

/** The entry's document id, kept small beside what names it, for support. */
export function EntryId({ id }: { id: string }) {
  return (
    <code class="doc-id" title="The entry's document id (for support)">
      {id}
    </code>
  );
}

type Named = Pick<ProductionEntry, "meter_id" | "measured_at"> & { partner_id?: string };

/** Names entries by meter and contract day ("NWE-LACT-01 on 2026-11-04") on the JV's contract-day clock. */
export function useEntryLabel(): (entry: Named) => string {
  const dayOf = useContractDayOf();
  return (entry) => entryLabel(entry, dayOf(entry.measured_at));
}

/**
 * A link to the entry named by its meter and contract day, its document id beside it. `entry`
 * undefined: still being read, or `missing` (read, and not there). `partner`: its partner's name
 * after the name, where nothing around it says whose entry it is.
 */
export function EntryLink({
  id,
  entry,
  missing = false,
  partner = false,
}: {
  id: string;
  entry: Named | undefined;
  missing?: boolean;
  partner?: boolean;
}) {
  const label = useEntryLabel();
  return (
    <>
      <a href={href("entry", id)}>{entry ? label(entry) : missing ? "(not found)" : "the entry"}</a>
      {partner && entry?.partner_id && (
        <>
          {" "}
          · <PartnerName id={entry.partner_id} />
        </>
      )}{" "}
      <EntryId id={id} />
    </>
  );
}

/** A link to an entry known by its id only (a report's exclusions, its corrections, an audit event): the entry is read to name it. */
export function LiveEntryLink({ id, partner = false }: { id: string; partner?: boolean }) {
  const live = useLiveDoc<ProductionEntry>(`production_entries/${id}`).value;
  return <EntryLink id={id} entry={live.docs ?? undefined} missing={!live.loading && !live.error && !live.docs} partner={partner} />;
}
