import { type Firestore } from "firebase-admin/firestore";
import { approvalEventIdOf } from "../domain/adjustment-approval";
import { type ChainedAuditEvent } from "../domain/audit-chain";
import { auditEventOf } from "./audit-log";
import { COLLECTIONS } from "./collections";
import { isDocumentIdLike } from "./document-id";

/**
 * The audit event approving each adjustment (`records`: its document's data in plain values, by
 * adjustment id), by adjustment id; null where none is logged. One read per event: a set's
 * members name the same one.
 */
export async function readApprovalEvents(
  db: Firestore,
  records: ReadonlyMap<string, Record<string, unknown>>,
): Promise<{ events: Map<string, ChainedAuditEvent | null>; documentsRead: number }> {
  // The event id is derived from unsealed fields: one that is no document id names no event.
  const named = [...records].map(([id, record]) => [id, approvalEventIdOf(id, record)] as const);
  const eventIds = [...new Set(named.map(([, e]) => e).filter(isDocumentIdLike))];
  const snaps = eventIds.length === 0 ? [] : await db.getAll(...eventIds.map((e) => db.doc(`${COLLECTIONS.auditLog}/${e}`)));
  const logged = new Map(snaps.filter((e) => e.exists).map((e) => [e.id, auditEventOf(e.id, e.data()!)]));
  return { events: new Map(named.map(([id, e]) => [id, logged.get(e) ?? null])), documentsRead: snaps.length };
}
