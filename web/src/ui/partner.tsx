import { partnerNameOf } from "../data/partners";
import { UNREADABLE } from "../data/lookup-state";

/** A partner by its name ("Northwind Energy"), the id on hover; the id itself while the name is read or when it cannot be. */
export function PartnerName({ id }: { id: string | null | undefined }) {
  if (!id) return <>—</>;
  const name = partnerNameOf(id).value;
  if (name === UNREADABLE) {
    return (
      <span data-partner-id={id} data-unreadable="true" title="This partner's name could not be read (offline, or the sign-in is being renewed); it is read again shortly.">
        {id}
      </span>
    );
  }
  return (
    <span data-partner-id={id} title={name ? `Partner id: ${id}` : undefined}>
      {name ?? id}
    </span>
  );
}
