/**
 * Every collection query the web app makes, as plain data. The app builds its Firestore queries
 * only from these specs (data/live.ts), and functions/test/unit/web-indexes.test.ts checks each
 * against firestore.indexes.json: the emulator does not enforce composite indexes, production does.
 * Pure: no Firebase import, so the test can load it.
 */
export type Op = "==" | "in" | ">=" | "<" | "<=" | ">";

export interface Filter {
  field: string;
  op: Op;
  value: unknown;
}

export interface Order {
  field: string;
  direction: "asc" | "desc";
}

export interface QuerySpec {
  /** A short name, for error messages and the index test. */
  name: string;
  collection: string;
  filters: Filter[];
  orders: Order[];
  limit: number;
}

const spec = (name: string, collection: string, filters: Filter[], orders: Order[], limit: number): QuerySpec => ({
  name,
  collection,
  filters,
  orders,
  limit,
});

/** The newest entries of one partner (operators and partners may only list their own). */
/** One partner's entries measured in [from, to), newest first: what a statement's line for it was read from. */
export const partnerPeriodEntries = (partnerId: string, from: Date, to: Date, limit = 150) =>
  spec(
    "partner entries of a period",
    "production_entries",
    [
      { field: "partner_id", op: "==", value: partnerId },
      { field: "measured_at", op: ">=", value: from },
      { field: "measured_at", op: "<", value: to },
    ],
    [{ field: "measured_at", direction: "desc" }],
    limit,
  );

export const partnerEntries = (partnerId: string, limit = 150, before?: Date) =>
  spec(
    before ? "partner entries before it left" : "partner entries",
    "production_entries",
    // A partner that left the JV lists only its entries from before (the rules refuse more).
    [{ field: "partner_id", op: "==", value: partnerId }, ...(before ? [{ field: "measured_at", op: "<" as const, value: before }] : [])],
    [{ field: "measured_at", direction: "desc" }],
    limit,
  );

/** Flagged entries, newest first: the review queue's unreviewed flags whose audit predates `audit.awaiting_review`. */
export const flaggedEntries = (limit = 100) =>
  spec(
    "flagged entries",
    "production_entries",
    [{ field: "audit.status", op: "==", value: "flagged" }],
    [{ field: "measured_at", direction: "desc" }],
    limit,
  );

/**
 * Reviewed entries, most recent decision first: the review queue's recent decisions. Only entries
 * with a review have `review.at`; the auditor removes a review when the figures change.
 */
export const recentlyReviewed = (limit = 50) =>
  spec("recently reviewed entries", "production_entries", [], [{ field: "review.at", direction: "desc" }], limit);

/**
 * Flagged entries without a review of their figures (the auditor's `audit.awaiting_review`),
 * oldest first: the review queue, however many reviewed flags are newer.
 */
export const awaitingReview = (limit = 100) =>
  spec(
    "entries awaiting review",
    "production_entries",
    [{ field: "audit.awaiting_review", op: "==", value: true }],
    [{ field: "measured_at", direction: "asc" }],
    limit,
  );

/** One partner's entries awaiting review, oldest first: a flood of them decided at once (the queue reads every partner's oldest). */
export const partnerAwaitingReview = (partnerId: string, limit = 100) =>
  spec(
    "a partner's entries awaiting review",
    "production_entries",
    [
      { field: "partner_id", op: "==", value: partnerId },
      { field: "audit.awaiting_review", op: "==", value: true },
    ],
    [{ field: "measured_at", direction: "asc" }],
    limit,
  );

/** Entries of a period with given verdicts: the reconcile pre-flight (flagged) and its counts. */
export const periodEntriesWithStatus = (statuses: string[], start: Date, end: Date, limit = 500) =>
  spec(
    "period entries by verdict",
    "production_entries",
    [
      { field: "audit.status", op: "in", value: statuses },
      { field: "measured_at", op: ">=", value: start },
      { field: "measured_at", op: "<", value: end },
    ],
    [{ field: "measured_at", direction: "asc" }],
    limit,
  );

/**
 * Flagged entries of a period without a review of their figures (`audit.awaiting_review`):
 * the reconcile pre-flight, however many reviewed flags the period holds.
 */
export const periodAwaitingReview = (start: Date, end: Date, limit = 500) =>
  spec(
    "period entries awaiting review",
    "production_entries",
    [
      { field: "audit.awaiting_review", op: "==", value: true },
      { field: "measured_at", op: ">=", value: start },
      { field: "measured_at", op: "<", value: end },
    ],
    [{ field: "measured_at", direction: "asc" }],
    limit,
  );

/** Every entry of a period, counted only (the pre-flight's "not yet audited"). */
export const periodEntries = (start: Date, end: Date) =>
  spec(
    "period entries",
    "production_entries",
    [
      { field: "measured_at", op: ">=", value: start },
      { field: "measured_at", op: "<", value: end },
    ],
    [{ field: "measured_at", direction: "asc" }],
    100_000,
  );

export const recentReceipts = (limit = 50) =>
  spec("terminal receipts", "terminal_receipts", [], [{ field: "period_end", direction: "desc" }], limit);

/** The receipts that name `receiptId` as the ticket they replace (corrected tickets; at most a few). */
export const receiptReplacements = (receiptId: string, limit = 10) =>
  spec("receipt replacements", "terminal_receipts", [{ field: "supersedes_receipt_id", op: "==", value: receiptId }], [], limit);

/**
 * A partner may read a version only once it is released to the partners (settings/jv
 * `release_approval_required`): the rules refuse a partner's query that does not say so.
 */
const RELEASED: Filter = { field: "released", op: "==", value: true };

/** Every version of one receipt's report, newest first (the JV's roles: released or not). */
export const receiptVersions = (receiptId: string, limit = 20) =>
  spec(
    "report versions",
    "reconciliations",
    [{ field: "terminal_receipt_id", op: "==", value: receiptId }],
    [{ field: "version", direction: "desc" }],
    limit,
  );

/** The versions of receipts entered to replace `receiptId` (their reports' supersedes_receipt; at most a few), in no order. */
export const versionsReplacing = (receiptId: string, limit = 20) =>
  spec(
    "versions replacing a receipt",
    "reconciliations",
    [{ field: "supersedes_receipt.terminal_receipt_id", op: "==", value: receiptId }],
    [],
    limit,
  );

/**
 * The released versions of one receipt's report, newest first: what a partner may list. A
 * partner that left the JV (`before`: when it left) says the period began before (the rules
 * need it in the query); a receipt's versions share their period start, so the order holds.
 */
export const releasedReceiptVersions = (receiptId: string, limit = 20, before?: Date) =>
  spec(
    before ? "released report versions before it left" : "released report versions",
    "reconciliations",
    [{ field: "terminal_receipt_id", op: "==", value: receiptId }, RELEASED, ...periodBefore(before)],
    [...(before ? [{ field: "period_start", direction: "asc" as const }] : []), { field: "version", direction: "desc" }],
    limit,
  );

function periodBefore(before: Date | undefined): Filter[] {
  return before ? [{ field: "period_start", op: "<", value: before }] : [];
}

/** Reports of every period, newest period first (the JV's statements: released or not). */
export const recentReports = (limit = 100) => spec("reports", "reconciliations", [], [{ field: "period_end", direction: "desc" }], limit);

/** Released reports, newest period first: a partner's statements and trend (periods tile, so a former partner's order by start is the same). */
export const releasedReports = (limit = 100, before?: Date) =>
  spec(
    before ? "released reports before it left" : "released reports",
    "reconciliations",
    [RELEASED, ...periodBefore(before)],
    [{ field: before ? "period_start" : "period_end", direction: "desc" }],
    limit,
  );

/** Closed days (ids YYYY-MM-DD) from `fromDay` on, ascending: Firestore has no descending key scans. */
export const closedDaysSince = (fromDay: string, limit = 800) =>
  spec("closed days", "closed_days", [{ field: "__name__", op: ">=", value: fromDay }], [{ field: "__name__", direction: "asc" }], limit);

export const myNotifications = (uid: string, limit = 50) =>
  spec(
    "notifications",
    "notifications",
    [{ field: "recipient_uid", op: "==", value: uid }],
    [{ field: "created_at", direction: "desc" }],
    limit,
  );

export const myUnread = (uid: string, limit = 100) =>
  spec(
    "unread notifications",
    "notifications",
    [
      { field: "recipient_uid", op: "==", value: uid },
      { field: "read", op: "==", value: false },
    ],
    [{ field: "created_at", direction: "desc" }],
    limit,
  );

/** One audit-log chain, newest event first. */
export const auditStream = (stream: string, limit = 50) =>
  spec("audit-log chain", "audit_log", [{ field: "stream", op: "==", value: stream }], [{ field: "seq", direction: "desc" }], limit);

/** One audit-log chain from event `upTo` back, newest first: older pages, and a jump to one event. */
export const auditStreamUpTo = (stream: string, upTo: number, limit = 50) =>
  spec(
    "audit-log chain up to an event",
    "audit_log",
    [
      { field: "stream", op: "==", value: stream },
      { field: "seq", op: "<=", value: upTo },
    ],
    [{ field: "seq", direction: "desc" }],
    limit,
  );

/** How many audit-log chain heads the audit-log screen lists. */
export const AUDIT_CHAINS_LISTED = 500;

/** The head (last seq and hash) of every audit-log chain: its id is the stream's name (Firestore lists by id). */
export const auditChains = (limit = AUDIT_CHAINS_LISTED) => spec("audit-log chain heads", "audit_chains", [], [], limit);

export const allUsers = (limit = 500) => spec("users", "users", [], [{ field: "email", direction: "asc" }], limit);
/** By id: an order by name would leave out a partner stored without one. Screens sort by name (byPartnerName). */
export const allPartners = (limit = 100) => spec("partners", "partners", [], [{ field: "__name__", direction: "asc" }], limit);
export const agentStatuses = (limit = 20) => spec("agent status", "agent_status", [], [], limit);
/** A sharded counter's shards (at most 10, functions/src/shared/sharded-counter.ts): the reader adds them up. */
export const counterShards = (docPath: string) => spec("counter shards", `${docPath}/shards`, [], [], 10);
/** The agents that call Gemini; each writes `llm_usage/{day}_{agent}` with its day, agent and model. */
const GEMINI_AGENTS = ["auditor", "communicator"];

/** `llm_usage` documents whose `field` is one of `values`, from `fromDay` on, newest day first. */
const llmUsageByDay = (name: string, field: string, values: string[], fromDay: string, limit: number) =>
  spec(
    name,
    "llm_usage",
    [
      { field, op: "in", value: values },
      { field: "day", op: ">=", value: fromDay },
    ],
    [{ field: "day", direction: "desc" }],
    limit,
  );

/** Gemini use by day and agent (budget documents are apart, so many partners cannot push days out). */
export const llmUsageSince = (fromDay: string, limit = 100) => llmUsageByDay("LLM usage", "agent", GEMINI_AGENTS, fromDay, limit);

/** The daily Gemini budget documents: the JV's and each partner's. */
export const llmBudgetsSince = (fromDay: string, limit = 300) => llmUsageByDay("LLM budgets", "scope", ["jv", "partner"], fromDay, limit);

/** Prior-period adjustments waiting for a coordinator's decision, oldest first. */
export const pendingAdjustments = (limit = 100) =>
  spec(
    "pending adjustments",
    "prior_period_adjustments",
    [{ field: "status", op: "==", value: "pending" }],
    [{ field: "created_at", direction: "asc" }],
    limit,
  );

/** Every adjustment one restatement raised (one per partner whose allocation moved): decided together. */
export const restatementAdjustments = (fromReconciliationId: string, limit = 401) =>
  spec(
    "restatement adjustments",
    "prior_period_adjustments",
    [{ field: "from_reconciliation_id", op: "==", value: fromReconciliationId }],
    [],
    limit,
  );

/** The adjustment one restatement raised for a partner, as that partner may read it (once released). */
export const partnerRestatementAdjustments = (fromReconciliationId: string, partnerId: string, limit = 5) =>
  spec(
    "a partner's restatement adjustment",
    "prior_period_adjustments",
    [
      { field: "from_reconciliation_id", op: "==", value: fromReconciliationId },
      { field: "partner_id", op: "==", value: partnerId },
      RELEASED,
    ],
    [],
    limit,
  );

/**
 * The adjustments the listed versions raised for a partner, as that partner may read them (once
 * released): at most 30 versions a query, Firestore's bound on an `in` filter.
 */
export const partnerRestatementsOf = (reportIds: string[], partnerId: string) =>
  spec(
    "the restatements of the statements listed",
    "prior_period_adjustments",
    [{ field: "from_reconciliation_id", op: "in", value: reportIds }, { field: "partner_id", op: "==", value: partnerId }, RELEASED],
    [],
    // A version raises one adjustment per partner.
    reportIds.length,
  );

/** Decided adjustments, most recent decision first. */
export const decidedAdjustments = (limit = 20) =>
  spec(
    "decided adjustments",
    "prior_period_adjustments",
    [{ field: "status", op: "in", value: ["approved", "rejected"] }],
    [{ field: "decided_at", direction: "desc" }],
    limit,
  );

/** One partner's released adjustments, newest first (a partner may read only its own, once the version that raised it is released). */
export const partnerAdjustments = (partnerId: string, limit = 50) =>
  spec(
    "partner adjustments",
    "prior_period_adjustments",
    [{ field: "partner_id", op: "==", value: partnerId }, RELEASED],
    [{ field: "created_at", direction: "desc" }],
    limit,
  );

/** Gateway API keys (admins only), newest first. */
export const apiKeys = (limit = 200) => spec("API keys", "api_keys", [], [{ field: "created_at", direction: "desc" }], limit);

/**
 * The exceptions taken to one version (coordinators, admins, auditors: every partner's), the open
 * ones first ("open" sorts before "rejected" and "upheld"), each status newest first: however many
 * were answered, the ones awaiting an answer are read.
 */
export const versionExceptions = (reconciliationId: string, limit = 100) =>
  spec(
    "statement exceptions",
    "statement_exceptions",
    [{ field: "reconciliation_id", op: "==", value: reconciliationId }],
    [
      { field: "status", direction: "asc" },
      { field: "raised_at", direction: "desc" },
    ],
    limit,
  );

/** A partner's own exceptions to one version: the rules refuse a partner's query that does not say whose. */
export const partnerVersionExceptions = (reconciliationId: string, partnerId: string, limit = 100) =>
  spec(
    "a partner's statement exceptions",
    "statement_exceptions",
    [
      { field: "reconciliation_id", op: "==", value: reconciliationId },
      { field: "partner_id", op: "==", value: partnerId },
    ],
    [
      { field: "status", direction: "asc" },
      { field: "raised_at", direction: "desc" },
    ],
    limit,
  );

/** Exceptions awaiting an answer across statements, oldest first (the review queue). */
export const openExceptions = (limit = 50) =>
  spec(
    "open statement exceptions",
    "statement_exceptions",
    [{ field: "status", op: "==", value: "open" }],
    [{ field: "raised_at", direction: "asc" }],
    limit,
  );

/** For the index test: one instance of every query above. */
export const ALL_QUERIES: QuerySpec[] = [
  partnerEntries("p"),
  partnerEntries("p", 150, new Date(0)),
  partnerPeriodEntries("p", new Date(0), new Date(1)),
  flaggedEntries(),
  recentlyReviewed(),
  awaitingReview(),
  periodEntriesWithStatus(["flagged"], new Date(0), new Date(1)),
  periodAwaitingReview(new Date(0), new Date(1)),
  periodEntries(new Date(0), new Date(1)),
  recentReceipts(),
  receiptReplacements("r"),
  receiptVersions("r"),
  versionsReplacing("r"),
  releasedReceiptVersions("r"),
  releasedReceiptVersions("r", 20, new Date(0)),
  recentReports(),
  releasedReports(),
  releasedReports(100, new Date(0)),
  closedDaysSince("2026-01-01"),
  myNotifications("u"),
  myUnread("u"),
  auditStream("s"),
  auditStreamUpTo("s", 1),
  auditChains(),
  allUsers(),
  allPartners(),
  agentStatuses(),
  llmUsageSince("2026-01-01"),
  llmBudgetsSince("2026-01-01"),
  counterShards("agent_status/auditor"),
  pendingAdjustments(),
  restatementAdjustments("r_v2"),
  partnerAwaitingReview("p1"),
  partnerRestatementAdjustments("r_v2", "p1"),
  partnerRestatementsOf(["r_v2", "r_v3"], "p1"),
  decidedAdjustments(),
  partnerAdjustments("p"),
  apiKeys(),
  versionExceptions("r_v1"),
  partnerVersionExceptions("r_v1", "p1"),
  openExceptions(),
];
