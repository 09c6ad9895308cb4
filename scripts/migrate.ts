/**
 * Brings data written before a field existed up to date (functions/src/agents/admin/backfill.ts):
 *   npm run migrate          the review queue's marks on flagged entries, the audited figures of entries
 *                            audited before audits kept them, people/{uid}, and the release fields of
 *                            reports and adjustments made before releases (partners' queries need them)
 * Safe to run again and beside live traffic. Against the emulators when FIRESTORE_EMULATOR_HOST
 * and FIREBASE_AUTH_EMULATOR_HOST are set, otherwise against the project of GOOGLE_CLOUD_PROJECT
 * with application default credentials.
 */
import {
  backfillAuditedFigures,
  backfillPeople,
  backfillReleases,
  backfillReviewMarks,
  type BackfillReport,
} from "../functions/src/agents/admin/backfill";
import { auth, firestore } from "../functions/src/shared/firebase";

const line = (what: string, r: BackfillReport) => `${what}: ${r.examined} examined, ${r.written} written`;

async function main(): Promise<void> {
  const db = firestore();
  console.log(line("review marks on flagged entries", await backfillReviewMarks(db)));
  console.log(line("audited figures of entries", await backfillAuditedFigures(db)));
  console.log(line("people/{uid} of accounts with a role", await backfillPeople(db, auth())));
  console.log(line("release fields of reports and adjustments", await backfillReleases(db)));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
