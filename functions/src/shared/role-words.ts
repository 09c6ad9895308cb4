import { type Role } from "./collections";

/** Each role as the web app names it (web/src/data/session.ts ROLE_LABEL, lower-cased in a sentence). */
const ROLE_WORDS: Record<Role, string> = {
  field_operator: "field operator",
  jv_coordinator: "JV coordinator",
  jv_partner: "JV partner",
  auditor: "auditor",
  admin: "administrator",
};

/** A role in words ("JV coordinator"); a value that is no role is shown as it is. */
export function roleWords(role: unknown): string {
  return (ROLE_WORDS as Record<string, string>)[String(role)] ?? String(role);
}
