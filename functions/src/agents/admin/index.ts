/** Administration: user roles and the audit log's integrity. */
import { defineCallable } from "../../shared/callable";
import { setJvSettings, setJvSettingsInput } from "./set-jv-settings";
import { setUserRole, setUserRoleInput } from "./set-user-role";
import { verifyAuditLogCallable, verifyAuditLogInput } from "./verify-audit-log";

export const setRole = defineCallable(
  { name: "setUserRole", roles: ["admin"], input: setUserRoleInput, rateLimit: true, status: "admin" },
  setUserRole,
);

export const verifyAuditLog = defineCallable(
  { name: "verifyAuditLog", roles: ["auditor", "admin"], input: verifyAuditLogInput, rateLimit: true, options: { timeoutSeconds: 300 } },
  verifyAuditLogCallable,
);

export const setSettings = defineCallable(
  { name: "setJvSettings", roles: ["admin"], input: setJvSettingsInput, rateLimit: true, status: "admin" },
  setJvSettings,
);
