import { signal } from "@preact/signals";
import type { Role } from "./data/session";

/** Hash routes ("#/receipts/pet-1"): static hosting needs no server routes, and links stay shareable. */
export const route = signal<string[]>(parse(location.hash));

function parse(hash: string): string[] {
  return hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
}

addEventListener("hashchange", () => {
  route.value = parse(location.hash);
});

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join("/")}`;
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

export interface NavItem {
  path: string;
  label: string;
  roles: Role[];
}

/** What each role sees; the security rules decide what it may read and write regardless. */
export const NAV: NavItem[] = [
  { path: "entries", label: "Production entries", roles: ["field_operator"] },
  { path: "review", label: "Review queue", roles: ["jv_coordinator", "admin"] },
  { path: "receipts", label: "Terminal receipts", roles: ["jv_coordinator", "admin", "auditor"] },
  { path: "statements", label: "Statements", roles: ["jv_partner", "auditor", "jv_coordinator", "admin"] },
  { path: "partner-entries", label: "Our entries", roles: ["jv_partner"] },
  { path: "audit-log", label: "Audit log", roles: ["auditor"] },
  { path: "health", label: "Agent health", roles: ["jv_coordinator", "admin", "auditor"] },
  { path: "users", label: "Users & roles", roles: ["admin"] },
  { path: "partners", label: "Partners", roles: ["admin"] },
  { path: "api-keys", label: "API keys", roles: ["admin"] },
  { path: "settings", label: "JV settings", roles: ["field_operator", "jv_coordinator", "jv_partner", "auditor", "admin"] },
  { path: "inbox", label: "Inbox", roles: ["field_operator", "jv_coordinator", "jv_partner", "auditor", "admin"] },
];

/** Whether `role` may open the screen at `path` (a path not in NAV, e.g. "entry", is open to every role). */
export function mayOpen(role: Role, path: string): boolean {
  const item = NAV.find((n) => n.path === path);
  return !item || item.roles.includes(role);
}

export const HOME: Record<Role, string> = {
  field_operator: "entries",
  jv_coordinator: "review",
  admin: "review",
  jv_partner: "statements",
  auditor: "audit-log",
};
