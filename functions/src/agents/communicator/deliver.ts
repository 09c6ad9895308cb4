// One notification round: every recipient of one source event gets one notification,
// exactly once. Ids come from the source and the recipient; they are read first, so a
// replay that finds them all (and the round's audit event) stops before calling Gemini.
// The missing ones are created in transactions of a few hundred that read them again,
// so concurrent deliveries cannot both create one; the last transaction also appends the
// round's audit event.

import { runTransaction } from "../../shared/transaction";
import { type DocumentReference, type DocumentSnapshot, type Firestore, Timestamp } from "firebase-admin/firestore";
import type { NotificationBrief, NotificationType } from "../../domain/notification-briefs";
import type { AgentDeps } from "../../shared/agent-deps";
import { appendAuditEvent, prepareAuditAppend, writeAuditAppend, type AuditEventInput } from "../../shared/audit-log";
import { COLLECTIONS } from "../../shared/collections";
import { composeAll, type ComposedText } from "./compose";
import { stillListed, type Recipient } from "./recipients";

export interface Audience {
  brief: NotificationBrief;
  recipients: readonly Recipient[];
}

export interface NotificationRound {
  /** Business key of the round: its audit event is `notify_{sourceId}`. */
  sourceId: string;
  /** The source document's path. */
  subject: string;
  stream: string;
  triggerEventId: string;
  notificationId(uid: string): string;
  audiences: readonly Audience[];
  /** Some recipient query hit its bound. */
  recipientsTruncated: boolean;
  /**
   * A document the round's text is about, read in each writing transaction: when it no longer
   * holds (a later event changed it), nothing more is written and the round ends superseded.
   */
  guard?: { ref: DocumentReference; holds(snap: DocumentSnapshot): boolean };
  /**
   * The notifications are shared with other rounds (one for a bulk decision's entries, one for a
   * day's further flags): those already there were not this round's, and its log counts only its own.
   */
  shared?: boolean;
}

export interface RoundSummary {
  type: NotificationType;
  audience: string;
  source: ComposedText["source"];
  model: string | null;
  fallback: string | null;
}

export interface RoundResult {
  /** Every notification and the audit event were already there: nothing was done. */
  replay: boolean;
  recipients: number;
  created: number;
  /** Listed recipients whose role or partner changed before their notification was written. */
  roleChanged?: number;
  /** The round's guard no longer held: what it had not written is not written. */
  superseded?: boolean;
  geminiCalls: number;
  summaries: RoundSummary[];
}

/** Notifications per transaction: each round stays a small commit (Firestore bounds a request at 10 MiB). */
const WRITE_CHUNK = 200;
const READ_CHUNK = 300;

interface Planned {
  ref: DocumentReference;
  uid: string;
  recipient: Recipient;
  audience: Audience;
}

type DeliverDeps = Pick<AgentDeps, "db" | "gemini" | "clock" | "geminiBudget">;

export async function deliverRound(deps: DeliverDeps, round: NotificationRound): Promise<RoundResult> {
  const { db } = deps;
  const planned = plan(db, round);
  const auditRef = db.doc(`${COLLECTIONS.auditLog}/${auditEventId(round)}`);

  const existing = new Set<string>();
  for (const part of chunks([...planned.map((p) => p.ref), auditRef], READ_CHUNK)) {
    for (const snap of await db.getAll(...part)) if (snap.exists) existing.add(snap.ref.path);
  }
  const missing = planned.filter((p) => !existing.has(p.ref.path));
  if (missing.length === 0 && existing.has(auditRef.path)) {
    return { replay: true, recipients: planned.length, created: 0, geminiCalls: 0, summaries: [] };
  }

  const audiences = [...new Set(missing.map((p) => p.audience))];
  const composed = await composeAll(
    deps,
    audiences.map((a) => a.brief),
  );
  const texts = new Map(audiences.map((a, i) => [a, composed[i]]));
  const geminiCalls = audiences.filter((a) => !a.brief.templateOnly).length;
  const summaries: RoundSummary[] = audiences.map((a, i) => ({
    type: a.brief.type,
    audience: a.brief.marker,
    source: composed[i].source,
    model: composed[i].model,
    fallback: composed[i].fallback?.reason ?? null,
  }));

  const now = deps.clock.now();
  const parts = missing.length === 0 ? [[]] : chunks(missing, WRITE_CHUNK);
  let created = 0;
  let roleChanged = 0;
  for (const [index, part] of parts.entries()) {
    const isLast = index === parts.length - 1;
    const counted = { created, roleChanged };
    const written = await runTransaction(db, async (tx) => {
      if (round.guard && !round.guard.holds(await tx.get(round.guard.ref))) return undefined;
      const snaps = part.length > 0 ? await tx.getAll(...part.map((p) => p.ref)) : [];
      const absent = part.filter((_, i) => !snaps[i].exists);
      const listed = await stillListed(
        db,
        tx,
        absent.map((p) => p.recipient),
      );
      const toCreate = absent.filter((p) => listed.has(p.uid));
      const moved = absent.length - toCreate.length;
      const audit = isLast
        ? await prepareAuditAppend(
            db,
            tx,
            auditEvent(round, planned, counted.created + toCreate.length, counted.roleChanged + moved, summaries),
          )
        : undefined;
      for (const p of toCreate) tx.create(p.ref, notificationDoc(p, texts.get(p.audience)!, now));
      if (audit) writeAuditAppend(db, tx, audit, now);
      return { created: toCreate.length, moved };
    });
    if (written === undefined) {
      // What is written stays (true when written) and the log says where the round stopped,
      // counting what an earlier attempt of this round wrote (its ids are the round's own).
      const kept = round.shared ? created : planned.length - missing.length + created;
      if (kept > 0) await appendAuditEvent(db, auditEvent(round, planned, kept, roleChanged, summaries, true), now);
      return { replay: false, superseded: true, recipients: planned.length, created, roleChanged, geminiCalls, summaries };
    }
    created += written.created;
    roleChanged += written.moved;
  }
  return { replay: false, recipients: planned.length, created, roleChanged, geminiCalls, summaries };
}

function auditEventId(round: NotificationRound): string {
  return `notify_${round.sourceId}`;
}

/** One notification per recipient id: a user listed twice is notified once, by the first audience. */
function plan(db: Firestore, round: NotificationRound): Planned[] {
  const byId = new Map<string, Planned>();
  for (const audience of round.audiences) {
    for (const recipient of audience.recipients) {
      const id = round.notificationId(recipient.uid);
      if (!byId.has(id)) byId.set(id, { ref: db.doc(`${COLLECTIONS.notifications}/${id}`), uid: recipient.uid, recipient, audience });
    }
  }
  return [...byId.values()];
}

function notificationDoc(p: Planned, text: ComposedText, now: Date): Record<string, unknown> {
  return {
    recipient_uid: p.uid,
    type: p.audience.brief.type,
    title: text.title,
    body: text.body,
    highlights: text.highlights,
    data: text.fallback ? { ...p.audience.brief.data, summary_fallback: text.fallback } : p.audience.brief.data,
    summary_source: text.source,
    ...(text.model ? { model: text.model } : {}),
    read: false,
    created_at: Timestamp.fromDate(now),
  };
}

function auditEvent(
  round: NotificationRound,
  planned: readonly Planned[],
  created: number,
  roleChanged: number,
  summaries: RoundSummary[],
  superseded = false,
): AuditEventInput {
  const byType: Record<string, number> = {};
  for (const { audience } of planned) byType[audience.brief.type] = (byType[audience.brief.type] ?? 0) + 1;
  return {
    eventId: auditEventId(round),
    stream: round.stream,
    actor: "communicator",
    action: "notifications_sent",
    subject: round.subject,
    details: {
      trigger_event_id: round.triggerEventId,
      recipients: planned.length,
      created,
      ...(roleChanged > 0 ? { not_written_role_changed: roleChanged } : {}),
      recipients_by_type: byType,
      recipients_truncated: round.recipientsTruncated,
      ...(superseded ? { superseded: true } : {}),
      summaries,
    },
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
