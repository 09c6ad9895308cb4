import { doc, getDocsFromServer, updateDoc, writeBatch } from "firebase/firestore";
import { useState } from "preact/hooks";
import { firebase } from "../data/firebase";
import { buildQuery, useLiveQuery } from "../data/live";
import { usePagedQuery } from "../data/paged";
import { myNotifications, myUnread } from "../data/queries";
import { requireUser, type Role } from "../data/session";
import type { AppNotification } from "../data/types";
import { dateTime, errorMessage } from "../format";
import { href, mayOpen } from "../router";
import { Alert, Badge, Card, Loaded, OlderRows, Page } from "../ui/common";
import { notificationKind } from "../domain/notification-label";
import { reportInWords } from "../domain/statement-label";

/** The live unread notifications (at most UNREAD_SHOWN) for the navigation badge. */
export function useUnreadCount(uid: string) {
  return useLiveQuery<AppNotification>(myUnread(uid), uid);
}

export const UNREAD_SHOWN = myUnread("").limit;

/** The badge's text: the count, or "100+" when the query's bound was reached. */
export const unreadText = (count: number) => (count >= UNREAD_SHOWN ? `${UNREAD_SHOWN}+` : String(count));

/** How many unread notifications Mark all read reads a round: a page size no live query uses (see markAllRead). */
const MARK_ALL_PAGE = 250;
/**
 * Updates per batched write: each update's rule may read the reader's partner (partnerActive), and a
 * batched write may make at most 20 such reads (Firestore's rules limits), cached or not.
 */
const MARK_ALL_BATCH = 20;

/** Marks every unread notification read, page by page of the unread query (not only those listed). */
async function markAllRead(uid: string): Promise<void> {
  const { db } = firebase();
  for (let round = 0; round < 100; round += 1) {
    // getDocsFromServer joins a live listener's target when one has the same query, and answers with that
    // view: the badge's, empty once its 100 are marked here, maybe before the server has sent it the next
    // ones. A query of its own is answered by the server, after these writes were acknowledged.
    const page = await getDocsFromServer(buildQuery(myUnread(uid, MARK_ALL_PAGE)));
    if (page.empty) return;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < page.docs.length; i += MARK_ALL_BATCH) {
      const batch = writeBatch(db);
      for (const d of page.docs.slice(i, i + MARK_ALL_BATCH)) batch.update(d.ref, { read: true });
      batches.push(batch.commit());
    }
    await Promise.all(batches);
  }
}

/** Only `read` may change (firestore.rules: the recipient flips it and nothing else). */
async function setRead(id: string, read: boolean) {
  await updateDoc(doc(firebase().db, "notifications", id), { read });
}

/**
 * Where a notification leads, for the reader's role: a field operator, told of its partner's
 * allocation statement, may not open statements (nor read reconciliations), so it is led to its
 * own entries, the figures the statement allocated.
 */
function linkOf(n: AppNotification, role: Role): { href: string; label: string } | undefined {
  const data = n.data ?? {};
  if (typeof data.reconciliation_id === "string") {
    if (mayOpen(role, "statements")) return { href: href("statements", data.reconciliation_id), label: `Open statement: ${reportInWords(String(data.reconciliation_id))}` };
    return mayOpen(role, "entries") ? { href: href("entries"), label: "Open your production entries" } : undefined;
  }
  // A day's further flags of a partner: coordinators decide them in the review queue, operators read them in their list.
  if (data.digest === true) {
    if (mayOpen(role, "review")) return { href: href("review"), label: "Open the review queue" };
    return mayOpen(role, "entries") ? { href: href("entries"), label: "Open your production entries" } : undefined;
  }
  // One decision over many entries: they are the reader's entries list's, each marked.
  if (typeof data.bulk_call === "string") return mayOpen(role, "entries") ? { href: href("entries"), label: "Open your production entries" } : undefined;
  if (typeof data.entry_id === "string") return { href: href("entry", data.entry_id), label: "Open the entry" };
  return undefined;
}

const NOTIFICATION_BADGE: Record<string, string> = {
  entry_flagged: "flagged",
  entry_rejected: "rejected",
  reconciliation_stale: "stale",
  entry_corrected: "pending",
  entry_entered_late: "pending",
  statement_exception_raised: "flagged",
  statement_exception_corrected: "approved",
};

/** A coordinator's decision on a flagged entry, or the operator's answer to an exception, shows as what was decided. */
function badgeStatus(n: AppNotification): string {
  if (n.type === "entry_reviewed") return n.data?.decision === "rejected" ? "rejected" : "approved";
  if (n.type === "statement_exception_answered") return n.data?.outcome === "rejected" ? "rejected" : "approved";
  return NOTIFICATION_BADGE[n.type] ?? "completed";
}

const NOTIFICATIONS_PAGE = 50;

export function InboxScreen() {
  const user = requireUser();
  const { live: list, older } = usePagedQuery<AppNotification>((limit) => myNotifications(user.uid, limit), user.uid, NOTIFICATIONS_PAGE);
  const [error, setError] = useState<string>();
  const unread = useUnreadCount(user.uid);
  const markAll = async () => {
    setError(undefined);
    try {
      await markAllRead(user.uid);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Page
      title="Inbox"
      intro="Notifications from FlowShare's agents about the entries, reconciliations, statements, adjustments and exceptions that concern you."
      actions={unread.value.docs.length > 0 && <button type="button" class="secondary" onClick={markAll}>Mark all read</button>}
    >
      {error && <Alert kind="error">{error}</Alert>}
      <Loaded live={list} empty="No notifications yet.">
        {(docs) => (
          <ul class="inbox" aria-label="Notifications">
            {docs.map(({ id, data: n }) => {
              const link = user.role ? linkOf(n, user.role) : undefined;
              return (
                <li key={id} class={n.read ? "note read" : "note unread"} data-testid="notification" data-id={id}>
                  <Card
                    title={<>{!n.read && <><span class="dot" aria-hidden="true" /><span class="sr-only">Unread: </span></>}{n.title ?? n.type}</>}
                    actions={
                      <button type="button" class="secondary small" onClick={() => setRead(id, !n.read).catch((e) => setError(errorMessage(e)))}>
                        {n.read ? "Mark unread" : "Mark read"}
                      </button>
                    }
                  >
                    <p class="meta">
                      <Badge status={badgeStatus(n)} label={notificationKind(n.type)} /> {dateTime(n.created_at)} ·{" "}
                      {n.summary_source === "gemini" ? `summary by Gemini${n.model ? ` (${n.model})` : ""}` : "standard text (no Gemini summary)"}
                    </p>
                    {n.highlights && n.highlights.length > 0 ? (
                      <>
                        <ul class="highlights">
                          {n.highlights.map((h) => <li key={h}>{h}</li>)}
                        </ul>
                        {n.body && (
                          <details>
                            <summary>Full text</summary>
                            <p class="body">{n.body}</p>
                          </details>
                        )}
                      </>
                    ) : (
                      n.body && <p class="body">{n.body}</p>
                    )}
                    {link && <a class="open-link" href={link.href}>{link.label}</a>}
                  </Card>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
      <OlderRows older={older} what="notifications" testId="notifications-cut" />
    </Page>
  );
}
