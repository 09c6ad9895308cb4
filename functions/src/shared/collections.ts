/** Every collection the functions touch, by name; the contract is docs/data-model.md. */
export const COLLECTIONS = {
  partners: "partners",
  users: "users",
  people: "people",
  productionEntries: "production_entries",
  terminalReceipts: "terminal_receipts",
  reconciliations: "reconciliations",
  reconciliationInputs: "inputs",
  reconciliationExclusions: "exclusions",
  closedDays: "closed_days",
  closingMonths: "closing_months",
  notifications: "notifications",
  notificationsArchive: "notifications_archive",
  auditLog: "audit_log",
  auditChains: "audit_chains",
  auditVerifications: "audit_verifications",
  agentStatus: "agent_status",
  llmUsage: "llm_usage",
  shards: "shards",
  eventLeases: "event_leases",
  rateLimits: "rate_limits",
  apiKeys: "api_keys",
  apiKeyRequests: "api_key_requests",
  ingestRequests: "ingest_requests",
  settings: "settings",
  priorPeriodAdjustments: "prior_period_adjustments",
  statementExceptions: "statement_exceptions",
} as const;

export const ROLES = ["field_operator", "jv_coordinator", "jv_partner", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const PARTNER_BOUND_ROLES: readonly Role[] = ["field_operator", "jv_partner"];

export type AgentName = "auditor" | "accountant" | "communicator" | "admin";
