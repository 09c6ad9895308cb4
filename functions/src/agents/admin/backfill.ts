import {
  FieldPath,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
  type Timestamp,
} from "firebase-admin/firestore";
import { type Auth, type UserRecord } from "firebase-admin/auth";
import { COLLECTIONS, ROLES } from "../../shared/collections";
import { personOf } from "./set-user-role";

/**
 * Fields that the functions keep up to date from now on, written once for the documents made
 * before they existed (`npm run migrate`). Each write is conditional on the document being as
 * it was read, so a run beside live traffic never overwrites what a function wrote meanwhile
 * (that function wrote the field itself); a second run writes nothing.
 */
export interface BackfillReport {
  examined: number;
  written: number;
  /** Documents changed between the read and the write: left to the function that changed them. */
  changed_meanwhile: number;
}

const PAGE = 500;

/**
 * `audit.awaiting_review` on flagged entries audited before the review queue queried it: true
 * when the entry has no review (a review of older figures is removed by the auditor when it
 * audits the new ones, so a review present is of these figures).
 */
export async function backfillReviewMarks(db: Firestore): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0, changed_meanwhile: 0 };
  let after: QueryDocumentSnapshot | undefined;
  for (;;) {
    let query = db
      .collection(COLLECTIONS.productionEntries)
      .where("audit.status", "==", "flagged")
      .orderBy(FieldPath.documentId())
      .select("audit.awaiting_review", "review.decision")
      .limit(PAGE);
    if (after) query = query.startAfter(after);
    const page = await query.get();
    if (page.empty) return report;
    const outcome = await markReviewAwaited(db, page.docs);
    report.examined += page.size;
    report.written += outcome.written;
    report.changed_meanwhile += outcome.changed_meanwhile;
    after = page.docs[page.docs.length - 1];
  }
}

/** One page of flagged entries as read: the mark written where it is missing. */
export async function markReviewAwaited(db: Firestore, entries: readonly DocumentSnapshot[]): Promise<Omit<BackfillReport, "examined">> {
  const writes = entries
    .filter((entry) => entry.exists && entry.get("audit.awaiting_review") === undefined)
    .map((entry) => ({
      ref: entry.ref,
      data: { "audit.awaiting_review": entry.get("review") === undefined },
      updateTime: entry.updateTime!,
    }));
  return conditionalWrites(db, writes);
}

/**
 * `people/{uid}` for every account whose role was set before setUserRole wrote it: the name and
 * role as Firebase Auth has them (the claims are what the rules trust).
 */
export async function backfillPeople(db: Firestore, auth: Auth): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0, changed_meanwhile: 0 };
  let pageToken: string | undefined;
  do {
    const page = await auth.listUsers(1000, pageToken);
    pageToken = page.pageToken;
    const withRole = page.users.filter((u) => roleOf(u) !== null);
    report.examined += withRole.length;
    for (let i = 0; i < withRole.length; i += PAGE) {
      const users = withRole.slice(i, i + PAGE);
      const stored = await db.getAll(...users.map((u) => db.doc(`${COLLECTIONS.people}/${u.uid}`)));
      const outcome = await writePeople(db, users, stored);
      report.written += outcome.written;
      report.changed_meanwhile += outcome.changed_meanwhile;
    }
  } while (pageToken);
  return report;
}

/** Each account's people document as read (`stored`, same order), written where it differs. */
export async function writePeople(
  db: Firestore,
  users: readonly UserRecord[],
  stored: readonly DocumentSnapshot[],
): Promise<Omit<BackfillReport, "examined">> {
  const writes = users.flatMap((user, i) => {
    const want = personOf(user, roleOf(user));
    const have = stored[i]!;
    if (have.exists && have.get("display_name") === want.display_name && have.get("role") === want.role) return [];
    return [{ ref: have.ref, data: want, updateTime: have.exists ? have.updateTime! : undefined }];
  });
  return conditionalWrites(db, writes);
}

function roleOf(user: UserRecord): string | null {
  const role = user.customClaims?.role;
  return typeof role === "string" && (ROLES as readonly string[]).includes(role) ? role : null;
}

/**
 * Updates a document only if unchanged since `updateTime`, or creates it when it was missing
 * (`updateTime` undefined) only if still missing; a refused precondition is counted, not retried.
 */
async function conditionalWrites(
  db: Firestore,
  writes: ReadonlyArray<{ ref: DocumentReference; data: Record<string, unknown>; updateTime: Timestamp | undefined }>,
): Promise<Omit<BackfillReport, "examined">> {
  const outcome = { written: 0, changed_meanwhile: 0 };
  if (writes.length === 0) return outcome;
  const writer = db.bulkWriter();
  const failures: unknown[] = [];
  writer.onWriteError((error) => {
    // FAILED_PRECONDITION (9): updated meanwhile; ALREADY_EXISTS (6): created meanwhile.
    if (error.code === 9 || error.code === 6) return false;
    return error.failedAttempts < 5;
  });
  const settled = writes.map((w) =>
    (w.updateTime ? writer.update(w.ref, w.data, { lastUpdateTime: w.updateTime }) : writer.create(w.ref, w.data)).then(
      () => {
        outcome.written += 1;
      },
      (error: { code?: number }) => {
        if (error.code === 9 || error.code === 6) outcome.changed_meanwhile += 1;
        else failures.push(error);
      },
    ),
  );
  await writer.close();
  await Promise.all(settled);
  if (failures.length > 0) throw failures[0];
  return outcome;
}
