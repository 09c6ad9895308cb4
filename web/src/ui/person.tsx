import { personOf } from "../data/people";

/** Who did something, by name ("Priya Raman"), with the uid on hover; the uid itself while the name is read or when the account has none. */
export function PersonName({ uid }: { uid: string | null | undefined }) {
  if (!uid) return <>?</>;
  const person = personOf(uid).value;
  if (!person) return <span data-uid={uid}>{uid}</span>;
  return (
    <span data-uid={uid} title={uid}>
      {person.name}
    </span>
  );
}
