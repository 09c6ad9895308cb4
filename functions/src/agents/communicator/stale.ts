/**
 * Tells coordinators and admins that a reconciliation went stale (an entry of its closed
 * period changed): one template notification per recipient and stale episode, keyed by the
 * reconciliation and `stale_since`, so a redelivered event creates none twice.
 */
import { Timestamp, type DocumentSnapshot } from "firebase-admin/firestore";
import type { AgentDeps } from "../../shared/agent-deps";
import { withAgentStatus } from "../../shared/agent-status";
import { COLLECTIONS } from "../../shared/collections";
import { staleReconciliationNotificationId } from "../../domain/notification-ids";
import { type KnownAs, listedEntry } from "../../domain/notification-templates";
import { readKnownAs } from "./known-as";
import { ENTRY_REVIEWER_ROLES, findRecipients } from "./recipients";
import { writeTemplateNotices } from "./template-notices";

const IDS_IN_TEXT = 10;

export interface StaleEvent {
  reconciliationId: string;
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
}

export type StaleOutcome = { outcome: "skipped"; reason: string } | { outcome: "notified"; recipients: number; created: number };

const RESOLVED = "the version is no longer stale from this change (reconciled again or superseded)";

function millis(value: unknown): number | undefined {
  return value instanceof Timestamp ? value.toMillis() : undefined;
}

/** A changed entry as readers know it; by its id alone when it could not be read (deleted). */
function changedEntry(known: KnownAs, entryId: string): string {
  const entry = known.entries.get(entryId);
  return entry ? listedEntry(known, entryId, entry.partner_id) : `entry ${entryId}`;
}

export async function notifyStaleReconciliation(deps: Pick<AgentDeps, "db" | "clock">, input: StaleEvent): Promise<StaleOutcome> {
  const { after, before } = input;
  if (after?.stale !== true || before?.stale === true) return { outcome: "skipped", reason: "not newly stale" };
  if (after.status !== "completed") return { outcome: "skipped", reason: `status is ${String(after.status)}` };
  const since = millis(after.stale_since) ?? 0;
  const versionRef = deps.db.doc(`${COLLECTIONS.reconciliations}/${input.reconciliationId}`);
  // A retried or late event reads what the version is now: a mark answered since tells nobody.
  const stillStale = (snap: DocumentSnapshot) =>
    snap.get("stale") === true && snap.get("status") === "completed" && millis(snap.get("stale_since")) === millis(after.stale_since);
  return withAgentStatus(deps.db, "communicator", deps.clock, async (): Promise<StaleOutcome> => {
    const ids = Array.isArray(after.stale_entry_ids) ? (after.stale_entry_ids as string[]) : [];
    const shown = ids.slice(0, IDS_IN_TEXT);
    const [{ recipients }, known] = await Promise.all([
      findRecipients(deps.db, { roles: ENTRY_REVIEWER_ROLES }),
      readKnownAs(deps.db, { entryIds: shown }),
    ]);
    const receipt = String(after.terminal_receipt_id);
    const more = ids.length > IDS_IN_TEXT ? [`- and ${ids.length - IDS_IN_TEXT} more.`] : [];
    const title = `Version ${Number(after.version)} of receipt ${receipt} is out of date`;
    const body = [
      "Production entries of its closed period changed during or after its close:",
      ...shown.map((id) => `- ${changedEntry(known, id)}`),
      ...more,
      `Reconcile receipt ${receipt} again to make version ${Number(after.version) + 1}; each partner's change becomes a prior-period adjustment for you to approve or reject.`,
    ].join("\n");
    const created = await writeTemplateNotices(deps, {
      recipients,
      notificationId: (uid) => staleReconciliationNotificationId(input.reconciliationId, since, uid),
      notice: (r) => ({
        recipient_uid: r.uid,
        type: "reconciliation_stale",
        title,
        body,
        data: { reconciliation_id: input.reconciliationId, terminal_receipt_id: receipt, stale_entry_ids: ids },
        summary_source: "template",
        read: false,
        created_at: Timestamp.fromDate(deps.clock.now()),
      }),
      stillTrue: async (tx) => stillStale(await tx.get(versionRef)),
    });
    if (created === undefined) return { outcome: "skipped", reason: RESOLVED };
    return { outcome: "notified", recipients: recipients.length, created };
  });
}
