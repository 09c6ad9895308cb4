import { partnerNameOf } from "../data/partners";

/** A partner by its name ("Northwind Energy"), the id on hover; the id itself while the name is read or when it cannot be. */
export function PartnerName({ id }: { id: string | null | undefined }) {
  if (!id) return <>—</>;
  const name = partnerNameOf(id).value;
  return (
    <span data-partner-id={id} title={name ? `Partner id: ${id}` : undefined}>
      {name ?? id}
    </span>
  );
}
