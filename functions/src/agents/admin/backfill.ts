import { runTransaction } from "../../shared/transaction";
import { FieldPath, type DocumentSnapshot, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { type Auth, type UserRecord } from "firebase-admin/auth";
import { COLLECTIONS, ROLES } from "../../shared/collections";
import { mapLimited } from "../../shared/map-limited";
import { auditedFigures } from "../../domain/audited-history";
import { auditInputHash, MEASURED_FIELDS } from "../../domain/production-entry";
import { personOf } from "./set-user-role";

/**
 * Fields that the functions keep up to date from now on, written once for the documents made
 * before they existed (`npm run migrate`). Safe beside live traffic: an entry's mark is written
 * in a transaction that reads it again, and a name only where there is none (setUserRole writes
 * the current one); a second run writes nothing.
 */
export interface BackfillReport {
  examined: number;
  written: number;
}

const PAGE = 500;
/** Transactions in flight at once. */
const IN_FLIGHT = 8;

/**
 * `audit.awaiting_review` on flagged entries audited before the review queue queried it: true
 * when the entry has no review (a review of older figures is removed by the auditor when it
 * audits the new ones, so a review present is of these figures).
 */
export async function backfillReviewMarks(db: Firestore): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0 };
  let after: QueryDocumentSnapshot | undefined;
  for (;;) {
    let query = db
      .collection(COLLECTIONS.productionEntries)
      .where("audit.status", "==", "flagged")
      .orderBy(FieldPath.documentId())
      .select("audit.awaiting_review")
      .limit(PAGE);
    if (after) query = query.startAfter(after);
    const page = await query.get();
    if (page.empty) return report;
    report.examined += page.size;
    report.written += await markReviewAwaited(db, page.docs);
    after = page.docs[page.docs.length - 1];
  }
}

/**
 * The entries of a page that had no mark when listed, each marked in a transaction that reads
 * it as it is now (still flagged, still unmarked): whatever changed since the listing, a note
 * or a review, the mark matches the entry. Returns how many were written.
 */
export async function markReviewAwaited(db: Firestore, listed: readonly DocumentSnapshot[]): Promise<number> {
  const unmarked = listed.filter((entry) => entry.exists && entry.get("audit.awaiting_review") === undefined);
  const written = await mapLimited(unmarked, IN_FLIGHT, (entry) =>
    runTransaction(db, async (tx) => {
      const now = await tx.get(entry.ref);
      if (!now.exists || now.get("audit.status") !== "flagged" || now.get("audit.awaiting_review") !== undefined) return 0;
      tx.update(entry.ref, { "audit.awaiting_review": now.get("review") === undefined });
      return 1;
    }),
  );
  return written.reduce((a: number, b: number) => a + b, 0);
}

/**
 * `audit.figures` on entries audited before their audit kept the figures it scored: the figures
 * as they are, on entries whose figures are still the audited ones (their input hash). Each is
 * written in a transaction that reads the entry again; an entry edited since its audit is left to
 * the audit of its edit. Until written, the auditor's history read hashes such an entry on every
 * audit that reads it (domain/audited-history.ts). A write of `audit` alone re-audits nothing.
 */
export async function backfillAuditedFigures(db: Firestore): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0 };
  const lacking = (entry: DocumentSnapshot) => {
    const inputHash = entry.get("audit.input_hash") as unknown;
    return entry.get("audit.figures") === undefined && typeof inputHash === "string" && inputHash === auditInputHash(entry.data());
  };
  let after: QueryDocumentSnapshot | undefined;
  for (;;) {
    let query = db
      .collection(COLLECTIONS.productionEntries)
      .orderBy(FieldPath.documentId())
      .select(...MEASURED_FIELDS, "audit.input_hash", "audit.figures")
      .limit(PAGE);
    if (after) query = query.startAfter(after);
    const page = await query.get();
    if (page.empty) return report;
    report.examined += page.size;
    const written = await mapLimited(page.docs.filter(lacking), IN_FLIGHT, (listed) =>
      runTransaction(db, async (tx) => {
        const entry = await tx.get(listed.ref);
        if (!entry.exists || !lacking(entry)) return 0;
        tx.update(entry.ref, { "audit.figures": auditedFigures(entry.data()!) });
        return 1;
      }),
    );
    report.written += written.reduce((a: number, b: number) => a + b, 0);
    after = page.docs[page.docs.length - 1];
  }
}

/**
 * `people/{uid}` for every account whose role was set before setUserRole wrote it: the name and
 * role as Firebase Auth has them. Only created where missing, never overwritten: setUserRole
 * writes people/{uid} before it changes the claims, so a document there is at least as new as
 * the claims this run listed.
 */
export async function backfillPeople(db: Firestore, auth: Auth): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0 };
  let pageToken: string | undefined;
  do {
    const page = await auth.listUsers(1000, pageToken);
    pageToken = page.pageToken;
    const withRole = page.users.filter((u) => roleOf(u) !== null);
    report.examined += withRole.length;
    for (let i = 0; i < withRole.length; i += PAGE) report.written += await createPeople(db, withRole.slice(i, i + PAGE));
  } while (pageToken);
  return report;
}

/** Creates each account's people document unless one exists (then it is left as it is). */
export async function createPeople(db: Firestore, users: readonly UserRecord[]): Promise<number> {
  let written = 0;
  const failures: unknown[] = [];
  const writer = db.bulkWriter();
  // ALREADY_EXISTS (6): there is one, written by setUserRole: not retried, not an error.
  writer.onWriteError((error) => error.code !== 6 && error.failedAttempts < 5);
  const settled = users.map((user) =>
    writer.create(db.doc(`${COLLECTIONS.people}/${user.uid}`), personOf(user, roleOf(user))).then(
      () => {
        written += 1;
      },
      (error: { code?: number }) => {
        if (error.code !== 6) failures.push(error);
      },
    ),
  );
  await writer.close();
  await Promise.all(settled);
  if (failures.length > 0) throw failures[0];
  return written;
}

function roleOf(user: UserRecord): string | null {
  const role = user.customClaims?.role;
  return typeof role === "string" && (ROLES as readonly string[]).includes(role) ? role : null;
}

/**
 * The release fields (domain/release.ts) on reports and prior-period adjustments made before
 * releases existed: each was released to the partners as it was made. Written only where
 * `released` is missing, in a transaction that reads the document again, so a release decided
 * since is never overwritten; the partners' queries (released == true) then find them.
 */
export async function backfillReleases(db: Firestore): Promise<BackfillReport> {
  const report: BackfillReport = { examined: 0, written: 0 };
  for (const collection of [COLLECTIONS.reconciliations, COLLECTIONS.priorPeriodAdjustments]) {
    let after: QueryDocumentSnapshot | undefined;
    for (;;) {
      let query = db.collection(collection).orderBy(FieldPath.documentId()).select("released", "created_at").limit(PAGE);
      if (after) query = query.startAfter(after);
      const page = await query.get();
      if (page.empty) break;
      report.examined += page.size;
      const unreleased = page.docs.filter((d) => d.get("released") === undefined);
      const written = await mapLimited(unreleased, IN_FLIGHT, (listed) =>
        runTransaction(db, async (tx) => {
          const doc = await tx.get(listed.ref);
          if (!doc.exists || doc.get("released") !== undefined) return 0;
          tx.update(
            doc.ref,
            collection === COLLECTIONS.reconciliations
              ? {
                  release_required: false,
                  released: true,
                  released_by: null,
                  released_at: doc.get("created_at") ?? null,
                  release_note: null,
                }
              : { released: true },
          );
          return 1;
        }),
      );
      report.written += written.reduce((a: number, b: number) => a + b, 0);
      after = page.docs[page.docs.length - 1];
    }
  }
  return report;
}
