import { cachedLookup } from "./lookup";

export interface Person {
  name: string;
  role: string | null;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

/**
 * The account `uid` as `people/{uid}` names it: undefined while it is read, null when there is
 * no such document or no name in it (a gateway's `api_key:…`, an account without a display
 * name) or it cannot be read.
 */
export const personOf = cachedLookup<Person>("people", (snap) => {
  const name = text(snap.get("display_name"));
  return snap.exists() && name ? { name, role: text(snap.get("role")) } : null;
});
