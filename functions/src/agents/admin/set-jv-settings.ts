import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { type Firestore, type Transaction, Timestamp } from "firebase-admin/firestore";
import { type z } from "zod";
import { contractDayOf, contractDayStart, jvSettingsSchema, resolveJvSettings, type JvSettings } from "../../domain/jv-settings";
import { dayField, departureStarts } from "../../domain/partner-membership";
import { partnerWords } from "../../domain/partner-words";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { JV_SETTINGS_PATH } from "../../shared/jv-settings";
import { entryBeyond } from "./set-partner";

/** Any subset of the settings; the others keep their stored (or default) values. */
export const setJvSettingsInput = jvSettingsSchema
  .partial()
  .strict()
  .refine((s) => Object.keys(s).length > 0, {
    message: "name at least one setting to change",
    // A misspelt setting is told as such (unknown field), not as no setting at all.
    when: (payload) => payload.issues.length === 0,
  });

export interface SetJvSettingsResult {
  settings: JvSettings;
  changed: string[];
}

const CONTRACT_DAY_FIELDS = ["contract_day_start_hour", "utc_offset_minutes"] as const;

/**
 * The `setJvSettings` callable (admins): merges the given fields into `settings/jv` and
 * appends a `jv_settings_changed` event with the values before and after. The contract day
 * cannot move once a day is closed: closed_days ids would change their meaning under the
 * reports that closed them. While it may, each former partner's `left_at` moves with it, and a
 * move that would put a partner's entry on or after the day it left, or before the day it joined,
 * is refused (setPartner refuses to record such a day).
 */
export async function setJvSettings(
  deps: AgentDeps,
  input: z.output<typeof setJvSettingsInput>,
  caller: Caller,
): Promise<SetJvSettingsResult> {
  const { db, clock } = deps;
  const ref = db.doc(JV_SETTINGS_PATH);
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const before = resolveJvSettings(snap.exists ? snap.data() : undefined);
    const after = resolveJvSettings({ ...before, ...input });
    const changed = (Object.keys(after) as Array<keyof JvSettings>).filter((k) => after[k] !== before[k]);
    if (changed.length === 0) return { settings: after, changed };
    const newStart = changed.includes("jv_start_date") ? after.jv_start_date : null;
    const dayMoved = CONTRACT_DAY_FIELDS.some((f) => changed.includes(f));
    if (dayMoved || newStart) {
      // Day ids sort as dates: the first is the earliest day closed.
      const closed = await tx.get(db.collection(COLLECTIONS.closedDays).limit(1));
      const first = closed.empty ? undefined : closed.docs[0]!.id;
      if (first !== undefined && dayMoved) {
        throw new HttpsError(
          "failed-precondition",
          `The contract day cannot change: day ${first} is already closed, and closed days are named by the contract day they were closed under.`,
        );
      }
      if (first !== undefined && newStart && newStart > first) {
        throw new HttpsError(
          "failed-precondition",
          `The JV start date cannot be after ${first}: that day is already closed and allocated, and entries before the start date would drop out of figures the partners are settled on. A start date on or before ${first} is accepted.`,
          { first_closed_day: first },
        );
      }
    }
    // A former partner's left_at is the start of its departure's contract day: it moves with the day.
    const partners = dayMoved ? (await tx.get(db.collection(COLLECTIONS.partners))).docs.map((d) => ({ id: d.id, data: d.data() })) : [];
    const departures = departureStarts(partners, after);
    if (dayMoved) await refuseMembershipConflicts(db, tx, partners, departures, after);
    const now = clock.now();
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `jv_settings_${now.getTime()}_${caller.uid}`,
      stream: "settings_jv",
      actor: caller.uid,
      action: "jv_settings_changed",
      subject: JV_SETTINGS_PATH,
      details: {
        changed,
        before: pick(before, changed),
        after: pick(after, changed),
        role: caller.role,
        ...(departures.length > 0 ? { partners_left_at_moved: departures.map((d) => d.id) } : {}),
      },
    });
    tx.set(ref, { ...after, updated_by: caller.uid, updated_at: Timestamp.fromDate(now) });
    for (const d of departures) tx.update(db.doc(`${COLLECTIONS.partners}/${d.id}`), { left_at: Timestamp.fromDate(d.left_at) });
    writeAuditAppend(db, tx, audit, now);
    return { settings: after, changed };
  });
}

/**
 * Under the new contract day, no partner may have an entry on or after the day it left, nor
 * before the day it joined: the entry's day moves with the contract day, the membership days do not.
 */
async function refuseMembershipConflicts(
  db: Firestore,
  tx: Transaction,
  partners: ReadonlyArray<{ id: string; data: Record<string, unknown> }>,
  departures: ReadonlyArray<{ id: string; left_at: Date }>,
  after: JvSettings,
): Promise<void> {
  const named = new Map(partners.map((p) => [p.id, typeof p.data.name === "string" ? p.data.name : undefined]));
  const checks = [
    ...departures.map((d) => ({ id: d.id, side: "from" as const, at: d.left_at, day: contractDayOf(d.left_at, after) })),
    ...partners.flatMap(({ id, data }) => {
      const joined = dayField(data.joined_jv_on);
      return joined === null ? [] : [{ id, side: "before" as const, at: contractDayStart(joined, after), day: joined }];
    }),
  ];
  const found = await Promise.all(checks.map((check) => tx.get(entryBeyond(db, check.id, check.side, check.at))));
  for (const [i, check] of checks.entries()) {
    if (found[i]!.empty) continue;
    const entry = found[i]!.docs[0]!;
    const entryDay = contractDayOf((entry.get("measured_at") as Timestamp).toDate(), after);
    const relation =
      check.side === "from" ? `on or after the day it left the JV, ${check.day}` : `before the day it joined the JV, ${check.day}`;
    throw new HttpsError(
      "failed-precondition",
      `The contract day cannot change so: under it, ${partnerWords(check.id, named.get(check.id))}'s production entry ${entry.id} would fall on contract day ${entryDay}, ${relation}. Nothing was changed; correct that entry's measured time, or the partner's ${check.side === "from" ? "departure" : "joining"} day (setPartner), first.`,
      { partner_id: check.id, entry_id: entry.id, entry_contract_day: entryDay },
    );
  }
}

function pick(s: JvSettings, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, s[k as keyof JvSettings]]));
}
