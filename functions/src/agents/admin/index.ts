/** Administration: user roles, the JV's settings and partners, and the audit log's integrity. */
import { defineCallable } from "../../shared/callable";
import { setJvSettings, setJvSettingsInput } from "./set-jv-settings";
import { setPartner as setPartnerHandler, setPartnerInput } from "./set-partner";
import { setUserRole, setUserRoleInput } from "./set-user-role";
import { verifyAuditLogCallable, verifyAuditLogInput } from "./verify-audit-log";

export const setRole = defineCallable(
  { name: "setUserRole", roles: ["admin"], input: setUserRoleInput, rateLimit: true, action: "role changes", status: "admin" },
  setUserRole,
);

export const verifyAuditLog = defineCallable(
  {
    name: "verifyAuditLog",
    roles: ["auditor", "admin"],
    input: verifyAuditLogInput,
    rateLimit: true,
    action: "audit log verifications",
    options: { timeoutSeconds: 300 },
  },
  verifyAuditLogCallable,
);

export const setSettings = defineCallable(
  { name: "setJvSettings", roles: ["admin"], input: setJvSettingsInput, rateLimit: true, action: "JV settings changes", status: "admin" },
  setJvSettings,
);

export const setPartner = defineCallable(
  { name: "setPartner", roles: ["admin"], input: setPartnerInput, rateLimit: true, action: "partner changes", status: "admin" },
  setPartnerHandler,
);
