// A partner's membership of the JV (partners/{id}: name, active, left_jv_on) and how an admin's
// change moves it (the setPartner callable). Pure: the reads, the entry check and the writes are
// agents/admin/set-partner.ts's.
import { contractDayStart, type JvSettings } from "./jv-settings";
import { partnerWords } from "./partner-words";

export const PARTNER_NAME_MAX = 100;

/**
 * What setPartner keeps of a partner. `left_jv_on` ("YYYY-MM-DD", only while inactive): the first
 * contract day on which it is no longer a party, a former partner whose partner users keep their
 * earlier statements; inactive without it, every user of it is cut off.
 */
export interface PartnerMembership {
  name: string;
  active: boolean;
  left_jv_on: string | null;
}

/** A stored partner as read: its name may be missing (a partner written by a script without one). */
export type StoredMembership = Omit<PartnerMembership, "name"> & { name: string | null };

/** What an admin asks: each field given changes, each absent keeps its stored value. */
export interface MembershipChange {
  name?: string;
  active?: boolean;
  /** null: the departure is cleared (the partner stays inactive unless `active: true` is given too). */
  left_jv_on?: string | null;
  /** An addition: refused when the id is a partner already (one road adds and renames; this keeps an "add" from renaming). */
  new_partner?: true;
}

export type MembershipField = keyof PartnerMembership;
const FIELDS: readonly MembershipField[] = ["name", "active", "left_jv_on"];

export type MembershipRefusal = { code: "invalid-argument" | "not-found" | "failed-precondition"; message: string };

export type MembershipOutcome = { ok: true; after: PartnerMembership; changed: MembershipField[] } | ({ ok: false } & MembershipRefusal);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A stored "YYYY-MM-DD" day field (left_jv_on, joined_jv_on), or null. */
export function dayField(value: unknown): string | null {
  return typeof value === "string" && DAY.test(value) ? value : null;
}

/** A stored partner document as setPartner reads it; absent: null. `active` is true only as the rules read it (== true). */
export function storedMembership(data: Record<string, unknown> | undefined): StoredMembership | null {
  if (data === undefined) return null;
  const name = typeof data.name === "string" && data.name.trim() !== "" ? data.name : null;
  const active = data.active === true;
  const left = active ? null : dayField(data.left_jv_on);
  return { name, active, left_jv_on: left };
}

/**
 * The partner after `change`, or why it is refused. `today` is the current contract day and
 * `jvStartDate` the JV's first day (null when not set): a departure is refused outside them.
 * Whether an entry of the partner was measured on or after a new departure day is the caller's
 * check (it reads the database).
 */
export function nextMembership(
  partnerId: string,
  before: StoredMembership | null,
  change: MembershipChange,
  bounds: { today: string; jvStartDate: string | null },
): MembershipOutcome {
  const who = partnerWords(partnerId, before?.name ?? change.name);
  const left = change.left_jv_on;
  if (change.active === true && typeof left === "string") {
    return refused(
      "invalid-argument",
      `${who} cannot be made active and recorded as having left the JV on ${left} at once: give active: true alone to have it rejoin (its departure is cleared), or left_jv_on alone to record its departure.`,
    );
  }
  if (before !== null && change.new_partner) {
    return refused(
      "failed-precondition",
      `The id ${partnerId} is already partner ${before.name ?? partnerId}: nothing was changed. Choose another id for a new partner, or rename that one without new_partner.`,
    );
  }
  if (before === null) {
    if (change.name === undefined) {
      return refused("not-found", `No partner "${partnerId}" exists: to add it, give its name.`);
    }
    if (typeof left === "string") {
      return refused(
        "failed-precondition",
        `${who} is not a partner of the JV yet, so it cannot have left it on ${left}: add it first, then record its departure.`,
      );
    }
    return outcome(null, { name: change.name, active: change.active ?? true, left_jv_on: null });
  }

  let active = before.active;
  let leftOn = before.left_jv_on;
  if (typeof left === "string") {
    active = false;
    leftOn = left;
  } else if (change.active === true) {
    active = true;
    leftOn = null;
  } else {
    if (change.active === false) active = false;
    if (left === null) leftOn = null;
  }
  const name = change.name ?? before.name;
  if (name === null) {
    return refused("invalid-argument", `Partner "${partnerId}" has no name on record: give it one (name) with this change.`);
  }
  if (leftOn !== null && leftOn !== before.left_jv_on) {
    const problem = departureDayProblem(leftOn, bounds);
    if (problem) return refused("failed-precondition", `${who} cannot be recorded as having left the JV on ${leftOn}: ${problem}.`);
  }
  return outcome(before, { name, active, left_jv_on: leftOn });
}

/**
 * Whether a user may be given the partner-bound `role` for `partner` (setUserRole): "ok" for an
 * active partner; for one that left the JV, only the jv_partner role, so that someone can still
 * exercise its audit rights (its statements of the periods before stand unless it takes exception
 * in time), any other role "partner_users_only"; a missing or deactivated partner "unusable".
 */
export function partnerRoleStanding(partner: StoredMembership | null, role: string): "ok" | "partner_users_only" | "unusable" {
  if (partner === null) return "unusable";
  if (partner.active) return "ok";
  if (partner.left_jv_on === null) return "unusable";
  return role === "jv_partner" ? "ok" : "partner_users_only";
}

/** Why a departure on `day` cannot be recorded now, or undefined. */
export function departureDayProblem(day: string, bounds: { today: string; jvStartDate: string | null }): string | undefined {
  if (day > bounds.today) {
    return `that day is in the future (today is contract day ${bounds.today}); record a departure on or after the day it takes effect`;
  }
  if (bounds.jvStartDate !== null && day < bounds.jvStartDate) {
    return `that is before the JV's start date, ${bounds.jvStartDate}`;
  }
  return undefined;
}

/** The fields of `after` that differ from `before`; of a new partner, its name and whether it is active. */
export function changedFields(before: StoredMembership | null, after: PartnerMembership): MembershipField[] {
  return before === null ? ["name", "active"] : FIELDS.filter((f) => before[f] !== after[f]);
}

/** The named fields of a membership, for the audit event's before and after. */
export function pickFields(m: StoredMembership | PartnerMembership | null, fields: readonly MembershipField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, m === null ? null : m[f]]));
}

function outcome(before: StoredMembership | null, after: PartnerMembership): MembershipOutcome {
  return { ok: true, after, changed: changedFields(before, after) };
}

function refused(code: MembershipRefusal["code"], message: string): MembershipOutcome {
  return { ok: false, code, message };
}

/**
 * Each former partner's `left_at` under the contract day of `settings`: setJvSettings moves them
 * with the contract day, so that a departure keeps starting its day.
 */
export function departureStarts(
  partners: ReadonlyArray<{ id: string; data: Record<string, unknown> }>,
  settings: Pick<JvSettings, "contract_day_start_hour" | "utc_offset_minutes">,
): Array<{ id: string; left_at: Date }> {
  return partners.flatMap(({ id, data }) => {
    const left = storedMembership(data)?.left_jv_on ?? null;
    return left === null ? [] : [{ id, left_at: contractDayStart(left, settings) }];
  });
}
