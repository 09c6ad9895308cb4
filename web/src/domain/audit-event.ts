/**
 * An audit-log event's action in words ("API key created" for api_key_created), for the auditor's
 * table; the key itself stays on hover. Pure: the screen and the unit tests share it.
 */
import { codeInWords } from "./code-words";

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
};

export const auditActionInWords = (action: string): string => (Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : codeInWords(action));
