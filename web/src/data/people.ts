import { cachedLookup } from "./lookup";

/** `people/{uid}`: an account's name (null: the account has none) and role. */
export interface Person {
  name: string | null;
  role: string | null;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

/**
 * The account `uid` as `people/{uid}` describes it: undefined while it is read, null when there
 * is no such document (a gateway's `api_key:…`, an agent, an account never given a role),
 * UNREADABLE while it cannot be read.
 */
export const personOf = cachedLookup<Person>("people", (snap) => (snap.exists() ? { name: text(snap.get("display_name")), role: text(snap.get("role")) } : null));

/** The account's email from `users/{uid}`, which only coordinators, admins and auditors may read (others get null). */
export const emailOf = cachedLookup<string>("users", (snap) => text(snap.get("email")));
