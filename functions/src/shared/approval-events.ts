import { type Firestore } from "firebase-admin/firestore";
import { ADJUSTMENT_DECISIONS_STREAM, approvalEventIdOf, decisionsOn } from "../domain/adjustment-approval";
import { type ChainedAuditEvent } from "../domain/audit-chain";
import { auditEventOf } from "./audit-log";
import { COLLECTIONS } from "./collections";
import { isDocumentIdLike } from "./document-id";

/** The latest decisions on one restatement looked at: a set is decided again only after an admin puts it back to pending. */
export const RESTATEMENT_DECISIONS_READ = 100;

export interface ApprovalEvents {
  /** The event approving each adjustment, by adjustment id; null where none is logged. */
  events: Map<string, ChainedAuditEvent | null>;
  /** Every logged decision on each adjustment, by adjustment id, in the stream's order. */
  decisions: Map<string, ChainedAuditEvent[]>;
  documentsRead: number;
}

/**
 * The audit events approving each adjustment (`records`: its document's data in plain values, by
 * adjustment id) and every decision logged on it since: one read per approval event (a set's
 * members name the same one) and one query per restatement, side by side.
 */
export async function readApprovalEvents(db: Firestore, records: ReadonlyMap<string, Record<string, unknown>>): Promise<ApprovalEvents> {
  // The event id is derived from unsealed fields: one that is no document id names no event.
  const named = [...records].map(([id, record]) => [id, approvalEventIdOf(id, record)] as const);
  const eventIds = [...new Set(named.map(([, e]) => e).filter(isDocumentIdLike))];
  const restatements = [...new Set([...records.values()].map((r) => r.from_reconciliation_id))].filter(isDocumentIdLike);
  const [snaps, ...perRestatement] = await Promise.all([
    eventIds.length === 0 ? [] : db.getAll(...eventIds.map((e) => db.doc(`${COLLECTIONS.auditLog}/${e}`))),
    ...restatements.map((from) =>
      db
        .collection(COLLECTIONS.auditLog)
        .where("stream", "==", ADJUSTMENT_DECISIONS_STREAM)
        .where("details.from_reconciliation_id", "==", from)
        .orderBy("seq", "desc")
        .limit(RESTATEMENT_DECISIONS_READ)
        .get(),
    ),
  ]);
  const logged = new Map(snaps.filter((e) => e.exists).map((e) => [e.id, auditEventOf(e.id, e.data()!)]));
  const onRestatements = perRestatement.flatMap((q) => q.docs.map((d) => auditEventOf(d.id, d.data())));
  const ordered = onRestatements.sort((a, b) => a.seq - b.seq);
  return {
    events: new Map(named.map(([id, e]) => [id, logged.get(e) ?? null])),
    decisions: new Map([...records.keys()].map((id) => [id, decisionsOn(id, ordered)])),
    documentsRead: snaps.length + perRestatement.reduce((n, q) => n + Math.max(1, q.size), 0),
  };
}
