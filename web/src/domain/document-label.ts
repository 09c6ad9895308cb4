/**
 * What a Firestore document is, in the words of the screens ("this entry", "the JV settings"),
 * for sentences a user reads: a path such as production_entries/kkJ2… names nothing a reader
 * knows. Pure: the screens and the unit tests share it.
 */
const KINDS: Readonly<Record<string, string>> = {
  production_entries: "entry",
  terminal_receipts: "terminal receipt",
  reconciliations: "statement",
  prior_period_adjustments: "prior-period adjustment",
  statement_exceptions: "statement exception",
  closed_days: "closed day",
  notifications: "notification",
  users: "account",
  people: "account",
  partners: "partner",
  api_keys: "API key",
  audit_log: "audit event",
  audit_chains: "audit-log chain",
  agent_status: "agent status",
  llm_usage: "Gemini use record",
};

/** The collection and id of a path; a nested path (reconciliations/r/exclusions/x) by its last pair. */
export function documentOf(path: string): { collection: string; id: string } {
  const parts = path.split("/").filter((p) => p !== "");
  return parts.length < 2 ? { collection: parts[0] ?? "", id: "" } : { collection: parts[parts.length - 2], id: parts[parts.length - 1] };
}

/** The kind of document in words ("entry", "API key"); undefined for a collection the app does not name. */
export function documentKind(path: string): string | undefined {
  const { collection } = documentOf(path);
  return Object.hasOwn(KINDS, collection) ? KINDS[collection] : undefined;
}

/** "this entry", "the JV settings", "this record" for a collection the app does not name. */
export function documentInWords(path: string): string {
  if (path.replace(/^\/+/, "") === "settings/jv") return "the JV settings";
  return `this ${documentKind(path) ?? "record"}`;
}
