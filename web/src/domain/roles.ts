/** The five roles and their names in words: pure, so the domain's wording and the session share them. */
export type Role = "field_operator" | "jv_coordinator" | "jv_partner" | "auditor" | "admin";
export const ROLES: Role[] = ["admin", "jv_coordinator", "auditor", "jv_partner", "field_operator"];

export const ROLE_LABEL: Record<Role, string> = {
  field_operator: "Field operator",
  jv_coordinator: "JV coordinator",
  jv_partner: "JV partner",
  auditor: "Auditor",
  admin: "Administrator",
};

/** A role in words; a value that is no role shown as it is. */
export function roleLabel(role: string): string {
  return (ROLE_LABEL as Record<string, string>)[role] ?? role;
}
