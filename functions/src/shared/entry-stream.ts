import { COLLECTIONS } from "./collections";

/**
 * Where an entry's audit-log events go: one hash chain per partner, so a burst across
 * partners never funnels through one head document. A partner id that cannot be a
 * document id (a client could write "a/b") goes to `entries_unknown`, as do entries
 * whose partner cannot be read at all.
 */
export const UNKNOWN_ENTRY_STREAM = "entries_unknown";

const ID_MAX_BYTES = 1500;

/** Firestore's rules for a document id: no "/", not "." or "..", not __name__-like. */
export function isValidDocumentId(id: unknown): id is string {
  return (
    typeof id === "string" &&
    id.length > 0 &&
    Buffer.byteLength(id, "utf8") <= ID_MAX_BYTES &&
    !id.includes("/") &&
    id !== "." &&
    id !== ".." &&
    !/^__.*__$/.test(id)
  );
}

export function entryAuditStream(partnerId: unknown): string {
  return isValidDocumentId(partnerId) ? `partner_${partnerId}` : UNKNOWN_ENTRY_STREAM;
}

export function entryPath(entryId: string): string {
  return `${COLLECTIONS.productionEntries}/${entryId}`;
}
