import { runTransaction } from "../../shared/transaction";
import { type DocumentReference, type Transaction } from "firebase-admin/firestore";
import type { AgentDeps } from "../../shared/agent-deps";
import { COLLECTIONS } from "../../shared/collections";
import { stillListed, type Recipient } from "./recipients";

const WRITE_CHUNK = 200;

/**
 * Template notifications, one per recipient under its business id, written in transactions of
 * WRITE_CHUNK recipients: each creates only the ids not yet written, for users still listed as
 * they were found. `stillTrue` reads, in each transaction, whether the event still calls for the
 * notice; undefined when its first transaction found it did not (nothing written).
 */
export async function writeTemplateNotices(
  deps: Pick<AgentDeps, "db">,
  notices: {
    recipients: readonly Recipient[];
    notificationId: (uid: string) => string;
    notice: (recipient: Recipient) => Record<string, unknown>;
    stillTrue?: (tx: Transaction) => Promise<boolean>;
  },
): Promise<number | undefined> {
  let created = 0;
  for (let i = 0; i < notices.recipients.length; i += WRITE_CHUNK) {
    const chunk = notices.recipients.slice(i, i + WRITE_CHUNK);
    const refs: DocumentReference[] = chunk.map((r) => deps.db.doc(`${COLLECTIONS.notifications}/${notices.notificationId(r.uid)}`));
    const made = await runTransaction(deps.db, async (tx) => {
      if (notices.stillTrue && !(await notices.stillTrue(tx))) return undefined;
      const snaps = await tx.getAll(...refs);
      const listed = await stillListed(deps.db, tx, chunk);
      let n = 0;
      snaps.forEach((snap, j) => {
        if (snap.exists || !listed.has(chunk[j]!.uid)) return;
        n += 1;
        tx.create(refs[j]!, notices.notice(chunk[j]!));
      });
      return n;
    });
    if (made === undefined) {
      if (i === 0) return undefined;
      break;
    }
    created += made;
  }
  return created;
}
