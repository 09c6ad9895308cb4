// The notification round of a flagged or rejected entry, debounced per entry: each recipient holds one
// notification per entry and window (FLAG_NOTIFY_WINDOW_MS). The first flag of a window asks
// Gemini; a later flag in the same window (an operator's burst of edits) overwrites the same
// notifications with the entry's latest state in the template's words, without asking Gemini.
// Every write happens only while the entry still carries this flag, so a slower, older event
// can never overwrite a newer state (the same verdict of the same measured values). Replays (same flag, same window) write nothing.

import { runTransaction } from "../../shared/transaction";
import { type DocumentReference, Timestamp } from "firebase-admin/firestore";
import { type NotificationBrief } from "../../domain/notification-briefs";
import { FLAG_NOTIFY_WINDOW_MS, flagWindowKey, flaggedEntryNotificationId } from "../../domain/notification-ids";
import type { AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { COLLECTIONS } from "../../shared/collections";
import { entryAuditStream } from "../../shared/entry-stream";
import { composeText, type ComposedText } from "./compose";
import type { RoundResult } from "./deliver";
import { stillListed, type Recipient } from "./recipients";

const WRITE_CHUNK = 200;

export interface FlaggedRound {
  entryId: string;
  inputHash: string;
  checkedAt: Date;
  status: "flagged" | "rejected";
  partnerId: string;
  triggerEventId: string;
  brief: NotificationBrief;
  recipients: readonly Recipient[];
  recipientsTruncated: boolean;
}

type Deps = Pick<AgentDeps, "db" | "gemini" | "clock" | "geminiBudget">;

export type FlaggedRoundResult = (RoundResult & { debounced: boolean }) | { superseded: true };

export async function deliverFlaggedRound(deps: Deps, round: FlaggedRound): Promise<FlaggedRoundResult> {
  const { db } = deps;
  const windowKey = flagWindowKey(round.checkedAt);
  const listedAs = new Map<string, Recipient>();
  for (const r of round.recipients) if (!listedAs.has(r.uid)) listedAs.set(r.uid, r);
  const uids = [...listedAs.keys()];
  const refs = uids.map((uid) => db.doc(`${COLLECTIONS.notifications}/${flaggedEntryNotificationId(round.entryId, windowKey, uid)}`));
  const status = round.status;
  // A rejection of the same measured values as an earlier flag is told apart from it, and so is
  // the same flag again in a later window (its figures put back after a correction): each round
  // of notifications has its event.
  const auditRef = db.doc(
    `${COLLECTIONS.auditLog}/notify_${round.entryId}_${round.inputHash.slice(0, 16)}_w${windowKey}${status === "flagged" ? "" : `_${status}`}`,
  );
  // A round logged before the window was part of the id: a redelivered event of it is a replay too.
  const legacyAuditRef = db.doc(
    `${COLLECTIONS.auditLog}/notify_${round.entryId}_${round.inputHash.slice(0, 16)}${status === "flagged" ? "" : `_${status}`}`,
  );
  const entryRef = db.doc(`${COLLECTIONS.productionEntries}/${round.entryId}`);

  const snaps = await db.getAll(...refs, auditRef, legacyAuditRef);
  const logged = snaps[snaps.length - 2].exists || snaps[snaps.length - 1].exists;
  const noteSnaps = snaps.slice(0, refs.length);
  const current = (s: (typeof noteSnaps)[number]) =>
    s.exists && s.get("data.input_hash") === round.inputHash && s.get("data.audit_status") === status;
  if (logged && noteSnaps.every(current)) {
    return { replay: true, debounced: false, recipients: uids.length, created: 0, geminiCalls: 0, summaries: [] };
  }

  const firstInWindow = noteSnaps.every((s) => !s.exists);
  const text: ComposedText =
    status === "rejected"
      ? rejectionText(round)
      : firstInWindow
        ? await composeText(deps, round.brief)
        : {
            ...round.brief.template,
            source: "template",
            model: null,
            fallback: {
              reason: "debounced",
              detail:
                `The entry was audited again within ${FLAG_NOTIFY_WINDOW_MS / 60_000} minutes; this notification shows its latest ` +
                "state in the standard text (Gemini writes once per entry in that time).",
            },
          };
  const summaries = [
    {
      type: round.brief.type,
      audience: round.brief.marker,
      source: text.source,
      model: text.model,
      fallback: text.fallback?.reason ?? null,
    },
  ];

  const now = deps.clock.now();
  const parts = refs.length === 0 ? [[]] : chunks(refs, WRITE_CHUNK);
  let written = 0;
  for (const [index, part] of parts.entries()) {
    const isLast = index === parts.length - 1;
    const outcome = await runTransaction(db, async (tx) => {
      const entry = await tx.get(entryRef);
      if (entry.get("audit.input_hash") !== round.inputHash || entry.get("audit.status") !== status) return "superseded" as const;
      const existing = part.length > 0 ? await tx.getAll(...part) : [];
      const listed = await stillListed(
        db,
        tx,
        part.map((ref) => listedAs.get(uidOf(ref))!),
      );
      const logged = isLast ? await tx.get(auditRef) : undefined;
      const audit =
        isLast && !logged!.exists
          ? await prepareAuditAppend(db, tx, {
              eventId: auditRef.id,
              stream: entryAuditStream(round.partnerId),
              actor: "communicator",
              action: "notifications_sent",
              subject: entryRef.path,
              details: {
                trigger_event_id: round.triggerEventId,
                recipients: uids.length,
                window: windowKey,
                debounced: !firstInWindow,
                recipients_truncated: round.recipientsTruncated,
                summaries,
              },
            })
          : undefined;
      let count = 0;
      existing.forEach((snap, i) => {
        if (current(snap) || !listed.has(uidOf(part[i]))) return;
        tx.set(part[i] as DocumentReference, notificationDoc(uidOf(part[i]), round, text, now, snap.exists ? snap : undefined));
        count += 1;
      });
      if (audit) writeAuditAppend(db, tx, audit, now);
      return count;
    });
    if (outcome === "superseded") return { superseded: true };
    written += outcome;
  }
  return {
    replay: false,
    debounced: !firstInWindow,
    recipients: uids.length,
    created: written,
    geminiCalls: text.source === "gemini" || (text.fallback !== null && !NOT_ASKED.has(text.fallback.reason)) ? 1 : 0,
    summaries,
  };

  function uidOf(ref: DocumentReference): string {
    return uids[refs.indexOf(ref)];
  }
}

/** Fallbacks for which Gemini was never asked. */
const NOT_ASKED = new Set(["budget_exhausted", "debounced", "rules_verdict"]);

/**
 * A rejection is told in the standard text, never Gemini's: the rules decided it and its next
 * step is fixed, and a rejected entry's id or fields may be just what the rules refused (free
 * text in an id), which Gemini is not shown.
 */
function rejectionText(round: FlaggedRound): ComposedText {
  return {
    ...round.brief.template,
    source: "template",
    model: null,
    fallback: { reason: "rules_verdict", detail: "A rejection is the rules' verdict: it is told in the standard text, without Gemini." },
  };
}

function notificationDoc(
  uid: string,
  round: FlaggedRound,
  text: ComposedText,
  now: Date,
  previous: { get(field: string): unknown } | undefined,
): Record<string, unknown> {
  const revision = Number(previous?.get("revision") ?? 1);
  return {
    recipient_uid: uid,
    type: round.brief.type,
    title: text.title,
    body: text.body,
    highlights: text.highlights,
    data: text.fallback ? { ...round.brief.data, summary_fallback: text.fallback } : round.brief.data,
    summary_source: text.source,
    ...(text.model ? { model: text.model } : {}),
    read: false,
    revision: previous ? revision + 1 : 1,
    created_at: (previous?.get("created_at") as Timestamp | undefined) ?? Timestamp.fromDate(now),
    updated_at: Timestamp.fromDate(now),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
