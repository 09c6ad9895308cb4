import { cachedLookup } from "./lookup";

/**
 * The partner's name from `partners/{id}` (every role may read it): undefined while it is read,
 * null when it has none, UNREADABLE while it cannot be read.
 */
export const partnerNameOf = cachedLookup<string>("partners", (snap) => {
  const name = snap.get("name");
  return typeof name === "string" && name.trim() !== "" ? name : null;
});
