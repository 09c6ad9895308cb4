// Who hears of what, from `users` (the profile mirror of the role claims): bounded,
// paginated queries; the partner query has its composite index (partner_id, role).

import { FieldPath, type Firestore, type Query, type QueryDocumentSnapshot, type Transaction } from "firebase-admin/firestore";
import { z } from "zod";
import { COLLECTIONS, ROLES, type Role } from "../../shared/collections";

/** The whole picture of a reconciliation. */
export const WHOLE_PICTURE_ROLES: readonly Role[] = ["jv_coordinator", "admin", "auditor"];
/** A partner's own allocation statement. */
export const PARTNER_STATEMENT_ROLES: readonly Role[] = ["jv_partner", "field_operator"];
/** Those who review a flagged entry (an admin may do all a coordinator may). */
export const ENTRY_REVIEWER_ROLES: readonly Role[] = ["jv_coordinator", "admin"];
/** The partner's people who measured the entry. */
export const ENTRY_OPERATOR_ROLES: readonly Role[] = ["field_operator"];

const PAGE_SIZE = 300;
/** A safety bound per query: a joint venture has dozens of users, not tens of thousands. */
export const MAX_RECIPIENTS_PER_QUERY = 10_000;

const userSchema = z.object({ role: z.enum(ROLES), partner_id: z.string().nullish() });

export interface Recipient {
  uid: string;
  role: Role;
  /** The query the user was listed by: what the user must still match when the notification is written. */
  listedBy: RecipientQuery;
}

export interface RecipientList {
  recipients: Recipient[];
  /** More users matched than MAX_RECIPIENTS_PER_QUERY; the rest were not notified. */
  truncated: boolean;
}

export interface RecipientQuery {
  roles: readonly Role[];
  /** Only users bound to this partner. */
  partnerId?: string;
}

export async function findRecipients(db: Firestore, query: RecipientQuery): Promise<RecipientList> {
  let base: Query = db.collection(COLLECTIONS.users).where("role", "in", [...query.roles]);
  if (query.partnerId !== undefined) base = base.where("partner_id", "==", query.partnerId);
  base = base.orderBy(FieldPath.documentId()).select("role", "partner_id").limit(PAGE_SIZE);

  const recipients: Recipient[] = [];
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    const page = await (last ? base.startAfter(last) : base).get();
    for (const doc of page.docs) {
      const user = userSchema.safeParse(doc.data());
      if (user.success) recipients.push({ uid: doc.id, role: user.data.role, listedBy: query });
    }
    if (page.size < PAGE_SIZE) return { recipients, truncated: false };
    if (recipients.length >= MAX_RECIPIENTS_PER_QUERY) {
      return { recipients: recipients.slice(0, MAX_RECIPIENTS_PER_QUERY), truncated: true };
    }
    last = page.docs[page.size - 1];
  }
}

/**
 * The uids of `listed` whose user still matches the query it was listed by (a role of its roles,
 * its partner), read in the transaction that writes their notifications. setUserRole archives a
 * user's notifications once the new role is in `users/{uid}`; one composed for a role the user no
 * longer holds and written after that would stay readable, so it is not written.
 */
export async function stillListed(db: Firestore, tx: Transaction, listed: readonly Recipient[]): Promise<Set<string>> {
  if (listed.length === 0) return new Set();
  const snaps = await tx.getAll(...listed.map((r) => db.doc(`${COLLECTIONS.users}/${r.uid}`)));
  const kept = new Set<string>();
  snaps.forEach((snap, i) => {
    const { uid, listedBy } = listed[i];
    const partnerHolds = listedBy.partnerId === undefined || snap.get("partner_id") === listedBy.partnerId;
    if (snap.exists && listedBy.roles.includes(snap.get("role") as Role) && partnerHolds) kept.add(uid);
  });
  return kept;
}
