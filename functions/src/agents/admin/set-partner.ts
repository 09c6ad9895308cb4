import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { FieldValue, Timestamp, type Firestore, type Query } from "firebase-admin/firestore";
import { z } from "zod";
import { contractDayOf, contractDayStart, jvSettingsSchema } from "../../domain/jv-settings";
import {
  dayField,
  nextMembership,
  PARTNER_NAME_MAX,
  pickFields,
  storedMembership,
  type PartnerMembership,
} from "../../domain/partner-membership";
import { partnerWords } from "../../domain/partner-words";
import { typedText } from "../../domain/typed-text";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { boundedId } from "../../shared/document-id";
import { JV_SETTINGS_PATH, jvSettingsOf } from "../../shared/jv-settings";

/** The audit-log chain of the partners' membership (setPartner's events). */
export const PARTNERS_STREAM = "partners";

export const setPartnerInput = z
  .object({
    partner_id: boundedId(),
    name: z.string().trim().min(1).max(PARTNER_NAME_MAX).superRefine(typedText("line")).optional(),
    active: z.boolean().optional(),
    /** A contract day as the settings' start date is one: "YYYY-MM-DD", a real date; null clears the departure. */
    left_jv_on: jvSettingsSchema.shape.jv_start_date.optional(),
    /** Adding: refused when the id is a partner already, rather than renaming it. */
    new_partner: z.literal(true).optional(),
    /** Its first contract day as a party (a partner that joins the JV later than its start); null clears it. */
    joined_jv_on: jvSettingsSchema.shape.jv_start_date.optional(),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.active !== undefined || p.left_jv_on !== undefined || p.joined_jv_on !== undefined, {
    message: "give at least one of name, active, left_jv_on and joined_jv_on",
    when: (payload) => payload.issues.length === 0,
  });

export interface SetPartnerResult {
  /** `joined_jv_on` only when the partner has one. */
  partner: PartnerMembership & { partner_id: string; joined_jv_on?: string };
  changed: string[];
}

/**
 * The `setPartner` callable (admins): adds a partner, renames it, deactivates it, records the day
 * it left the JV or has it rejoin (domain/partner-membership.ts), and appends a `partner_set`
 * event with the fields before and after, in one transaction. A departure is stored with
 * `left_at`, the start of its contract day under the JV settings read in the same transaction
 * (the security rules compare statements' periods with it), and is refused while the partner has
 * a production entry measured from then on: a former partner has no production.
 */
export async function setPartner(deps: AgentDeps, input: z.output<typeof setPartnerInput>, caller: Caller): Promise<SetPartnerResult> {
  const { db, clock } = deps;
  const { partner_id: partnerId, joined_jv_on: joinedChange, ...change } = input;
  const ref = db.doc(`${COLLECTIONS.partners}/${partnerId}`);
  return runTransaction(db, async (tx) => {
    const [snap, settingsSnap] = await tx.getAll(ref, db.doc(JV_SETTINGS_PATH));
    const settings = jvSettingsOf(settingsSnap);
    const now = clock.now();
    const before = storedMembership(snap.exists ? snap.data() : undefined);
    const today = contractDayOf(now, settings);
    const next = nextMembership(partnerId, before, change, { today, jvStartDate: settings.jv_start_date });
    if (!next.ok) throw new HttpsError(next.code, next.message);
    const { after } = next;
    // The day it joined is kept beside its membership: it bounds the periods it is a party to.
    const joinedBefore = before === null ? null : dayField(snap.get("joined_jv_on"));
    const joined = joinedChange === undefined ? joinedBefore : joinedChange;
    const changed: string[] = [...next.changed, ...(joined !== joinedBefore ? ["joined_jv_on"] : [])];
    const answer = { partner: { partner_id: partnerId, ...after, ...(joined === null ? {} : { joined_jv_on: joined }) }, changed };
    if (changed.length === 0) return answer;
    if (joined !== null && after.left_jv_on !== null && joined >= after.left_jv_on) {
      throw new HttpsError(
        "failed-precondition",
        `${partnerWords(partnerId, after.name)} cannot have joined the JV on ${joined}: it left on ${after.left_jv_on}, and a partner joins before it leaves.`,
      );
    }
    if (joined !== null && joined !== joinedBefore) {
      const earlier = await tx.get(entryBeyond(db, partnerId, "before", contractDayStart(joined, settings)));
      if (!earlier.empty) {
        const entry = earlier.docs[0]!;
        const day = contractDayOf((entry.get("measured_at") as Timestamp).toDate(), settings);
        throw new HttpsError(
          "failed-precondition",
          `${partnerWords(partnerId, after.name)} cannot be recorded as having joined the JV on ${joined}: its production entry ${entry.id} was measured on contract day ${day}, before that day (its earliest such entry). If that entry is wrong, correct its measured time; otherwise name ${day} or an earlier day.`,
          { entry_id: entry.id, entry_contract_day: day },
        );
      }
    }

    const leftAt = after.left_jv_on === null ? null : contractDayStart(after.left_jv_on, settings);
    if (leftAt !== null && after.left_jv_on !== before?.left_jv_on) {
      const later = await tx.get(entryBeyond(db, partnerId, "from", leftAt));
      if (!later.empty) {
        const entry = later.docs[0]!;
        // A range filter on a Timestamp matches Timestamps only.
        const day = contractDayOf((entry.get("measured_at") as Timestamp).toDate(), settings);
        const dayAfter = nextDay(day);
        const otherwise =
          dayAfter > today
            ? `otherwise record its departure on ${dayAfter} or later, once that day has come`
            : `otherwise name a day after ${day}`;
        throw new HttpsError(
          "failed-precondition",
          `${partnerWords(partnerId, before?.name)} cannot be recorded as having left the JV on ${after.left_jv_on}: its production entry ${entry.id} was measured on contract day ${day}, on or after that day (its latest such entry), and a former partner has no production from the day it left. If that entry is wrong, correct its measured time; ${otherwise}.`,
          { entry_id: entry.id, entry_contract_day: day },
        );
      }
    }

    const audit = await prepareAuditAppend(db, tx, {
      eventId: `partner_${partnerId}_${now.getTime()}_${caller.uid}`,
      stream: PARTNERS_STREAM,
      actor: caller.uid,
      action: "partner_set",
      subject: ref.path,
      details: {
        changed,
        before: { ...pickFields(before, next.changed), ...(joined !== joinedBefore ? { joined_jv_on: joinedBefore } : {}) },
        after: { ...pickFields(after, next.changed), ...(joined !== joinedBefore ? { joined_jv_on: joined } : {}) },
        role: caller.role,
        ...(before === null ? { created: true } : {}),
      },
    });
    tx.set(
      ref,
      {
        name: after.name,
        active: after.active,
        ...departureFields(after, leftAt),
        joined_jv_on: joined ?? FieldValue.delete(),
        updated_by: caller.uid,
        updated_at: Timestamp.fromDate(now),
      },
      { merge: true },
    );
    writeAuditAppend(db, tx, audit, now);
    return answer;
  });
}

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** left_jv_on and left_at: both, or neither (deleted). */
function departureFields(after: PartnerMembership, leftAt: Date | null): Record<string, unknown> {
  return after.left_jv_on === null || leftAt === null
    ? { left_jv_on: FieldValue.delete(), left_at: FieldValue.delete() }
    : { left_jv_on: after.left_jv_on, left_at: Timestamp.fromDate(leftAt) };
}

/**
 * The partner's production entry nearest the edge of `at` on one side, if any: its earliest
 * measured before it, or its latest measured at or after it (served by partner_id + measured_at).
 */
export function entryBeyond(db: Firestore, partnerId: string, side: "before" | "from", at: Date): Query {
  return db
    .collection(COLLECTIONS.productionEntries)
    .where("partner_id", "==", partnerId)
    .where("measured_at", side === "before" ? "<" : ">=", Timestamp.fromDate(at))
    .orderBy("measured_at", side === "before" ? "asc" : "desc")
    .limit(1);
}
