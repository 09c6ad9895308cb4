/**
 * An audit-log event's action in words ("API key created" for api_key_created), for the auditor's
 * table; the key itself stays on hover. Pure: the screen and the unit tests share it.
 */
import { codeInWords } from "./code-words";
import { documentKind, documentOf } from "./document-label";

const ACTIONS: Readonly<Record<string, string>> = {
  entry_audited: "Entry audited",
  entry_reviewed: "Entry reviewed",
  entry_corrected: "Entry corrected",
  entry_entered_late: "Entry entered late",
  reconciliation_completed: "Statement made",
  reconciliation_superseded: "Statement superseded",
  reconciliation_released: "Statement released",
  adjustment_approved: "Adjustment approved",
  adjustment_rejected: "Adjustment rejected",
  notifications_sent: "Notifications sent",
  user_role_set: "Role set",
  user_role_reverted: "Role change reverted",
  api_key_created: "API key created",
  api_key_revoked: "API key revoked",
  jv_settings_changed: "JV settings changed",
  partner_set: "Partner changed",
  statement_exception_raised: "Exception raised",
  statement_exception_answered: "Exception answered",
  statement_exception_corrected: "Exception corrected",
};

export const auditActionInWords = (action: string): string => (Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : codeInWords(action));

/**
 * What an event's `subject` path names, so that the screen can name it in words: an account by
 * its person, an entry by its meter and contract day, an adjustment by its partner and change.
 * `document`: a kind the app names (`kind`, "API key") with the id that is its name there.
 * `path`: a path the app does not name, shown as it is.
 */
export type AuditSubject =
  | { kind: "none" }
  | { kind: "jv-settings" }
  | { kind: "account"; uid: string }
  | { kind: "entry"; id: string }
  | { kind: "statement"; id: string }
  | { kind: "adjustment"; id: string }
  | { kind: "document"; label: string; id: string }
  | { kind: "path"; path: string };

export function auditSubject(path: string | null | undefined): AuditSubject {
  if (!path) return { kind: "none" };
  if (path.replace(/^\/+/, "") === "settings/jv") return { kind: "jv-settings" };
  const { collection, id } = documentOf(path);
  const kind = documentKind(path);
  // A nested path (reconciliations/r/exclusions/x) names a record inside another: shown as it is.
  if (!kind || id === "" || path.split("/").filter((p) => p !== "").length !== 2) return { kind: "path", path };
  if (collection === "users" || collection === "people") return { kind: "account", uid: id };
  if (collection === "production_entries") return { kind: "entry", id };
  if (collection === "reconciliations") return { kind: "statement", id };
  if (collection === "prior_period_adjustments") return { kind: "adjustment", id };
  return { kind: "document", label: kind.charAt(0).toUpperCase() + kind.slice(1), id };
}
