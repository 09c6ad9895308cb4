import { currentUser } from "../data/session";
import { emailOf, personOf } from "../data/people";
import { UNREADABLE } from "../data/lookup-state";
import { systemActor, unnamedAccount } from "../domain/account-label";

/** The roles the rules let read users/{uid}, where an account's email is. */
const READS_USERS = new Set(["jv_coordinator", "admin", "auditor"]);

/**
 * Who did something, by name ("Priya Raman"); without one, by what the reader can act on (an
 * email, "gateway key …", "an account not in the user list"). The uid is on hover, for support.
 * While the name cannot be read, nothing is claimed about the account: its uid, small.
 */
export function PersonName({ uid }: { uid: string | null | undefined }) {
  if (!uid) return <>?</>;
  const system = systemActor(uid);
  if (system) return <span data-uid={uid} title={`Account id: ${uid}`}>{system}</span>;
  const person = personOf(uid).value;
  if (person === undefined) return <span data-uid={uid} aria-busy="true">…</span>;
  if (person === UNREADABLE) return <Unreadable uid={uid} />;
  if (person?.name) return <span data-uid={uid} title={`Account id: ${uid}`}>{person.name}</span>;
  const email = READS_USERS.has(currentUser.value?.role ?? "") ? emailOf(uid).value : null;
  if (email === undefined) return <span data-uid={uid} aria-busy="true">…</span>;
  if (email === UNREADABLE) return <Unreadable uid={uid} />;
  return (
    <span data-uid={uid} class="unnamed" title={`Account id: ${uid}`}>
      {unnamedAccount(uid, { profile: person !== null, email })}
    </span>
  );
}

function Unreadable({ uid }: { uid: string }) {
  return (
    <code class="doc-id" data-uid={uid} data-unreadable="true" title="This account's name could not be read (offline, or the sign-in is being renewed); it is read again shortly.">
      {uid}
    </code>
  );
}
