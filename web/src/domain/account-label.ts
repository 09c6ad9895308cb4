/**
 * What to call an account that `people/{uid}` gives no name, in words a reader can act on;
 * the uid itself is left to a title for support. Pure: the screen and the unit tests share it.
 */

/** Writers that are not people: the agents log under their own name, a gateway as `api_key:{key id}`. */
const AGENTS: Readonly<Record<string, string>> = {
  auditor: "the auditor agent",
  accountant: "the accountant agent",
  communicator: "the communicator agent",
};

/** What each agent does, as Agent health names it: "Auditor (entries)"; an unknown id as it is. */
const AGENT_ROLES: Readonly<Record<string, string>> = {
  auditor: "Auditor (entries)",
  accountant: "Accountant (reconciliations)",
  communicator: "Communicator (notices)",
  admin: "Admin (roles, settings and keys)",
};

export function agentName(id: string): string {
  return Object.hasOwn(AGENT_ROLES, id) ? AGENT_ROLES[id] : id;
}

/** A writer known without reading anything: a gateway key or an agent; undefined for an account. */
export function systemActor(uid: string): string | undefined {
  if (uid.startsWith("api_key:")) return `gateway key ${uid.slice("api_key:".length)}`;
  return Object.hasOwn(AGENTS, uid) ? AGENTS[uid] : undefined;
}

/**
 * `profile`: people/{uid} exists (the account was given a role) but holds no name. `email`:
 * users/{uid}'s, where the reader may read it (coordinators, admins, auditors).
 */
export function unnamedAccount(uid: string, found: { profile: boolean; email?: string | null }): string {
  const system = systemActor(uid);
  if (system) return system;
  if (found.email) return found.email;
  return found.profile ? "an account without a name" : "an account not in the user list";
}
