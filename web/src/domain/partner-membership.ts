/**
 * A partner's membership of the JV as the admin's Partners screen shows and changes it: its
 * status in words, and the checks setPartner makes of an id, a name and a departure day
 * (functions/src/domain/partner-membership.ts, functions/src/shared/document-id.ts boundedId),
 * made before anything is sent. Pure: the screen and the unit tests share it.
 */
import { typedTextProblem } from "./typed-text";

export const PARTNER_NAME_MAX = 100;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface PartnerRecord {
  name: string | null;
  active: boolean;
  left_jv_on: string | null;
  /** Its first contract day as a party, when it joined after the JV began. */
  joined_jv_on?: string;
}

/** A stored partner document as the rules read it: active only when `active` is true, a departure only while inactive. */
export function partnerRecordOf(data: { name?: unknown; active?: unknown; left_jv_on?: unknown; joined_jv_on?: unknown } | undefined): PartnerRecord {
  const name = typeof data?.name === "string" && data.name.trim() !== "" ? data.name : null;
  const active = data?.active === true;
  const left = !active && typeof data?.left_jv_on === "string" && /^\d{4}-\d{2}-\d{2}$/.test(data.left_jv_on) ? data.left_jv_on : null;
  const joined = typeof data?.joined_jv_on === "string" && /^\d{4}-\d{2}-\d{2}$/.test(data.joined_jv_on) ? data.joined_jv_on : undefined;
  return { name, active, left_jv_on: left, ...(joined ? { joined_jv_on: joined } : {}) };
}

/**
 * Partners in the order the screens list them: by name (the id for one without a name), then by
 * id. The partners query orders by id, not by name, so that a partner stored without a name (the
 * Admin SDK's) is listed too, and can be named on the Partners screen.
 */
export function byPartnerName<T extends { id: string; data: { name?: unknown } }>(docs: readonly T[]): T[] {
  const label = (d: T) => partnerRecordOf(d.data).name?.trim() ?? d.id;
  return [...docs].sort((a, b) => label(a).localeCompare(label(b), "en") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type PartnerStatusKind = "active" | "former" | "deactivated";

/**
 * "Active"; "Left the JV on 2026-10-15 (keeps read access to its statements before that day)";
 * "Deactivated: all its users are cut off". `label` is the words' first part, shown as the badge.
 */
export function partnerStatus(p: PartnerRecord): { kind: PartnerStatusKind; label: string; rest: string } {
  if (p.active) return { kind: "active", label: "Active", rest: p.joined_jv_on ? ` (a party from ${p.joined_jv_on})` : "" };
  if (p.left_jv_on) return { kind: "former", label: `Left the JV on ${p.left_jv_on}`, rest: " (keeps read access to its statements before that day)" };
  return { kind: "deactivated", label: "Deactivated", rest: ": all its users are cut off" };
}

export const partnerStatusWords = (p: PartnerRecord): string => {
  const { label, rest } = partnerStatus(p);
  return label + rest;
};

/** Why a new partner's id cannot be used, or undefined: `taken` names the partner that has it. */
export function partnerIdProblem(id: string, taken?: { name: string | null }): string | undefined {
  if (id === "") return undefined;
  if (!ID_PATTERN.test(id) || /^__.*__$/.test(id)) return "The id must be 1 to 64 letters (A–Z, a–z), digits, '_' or '-'";
  if (taken) return `The id ${id} is taken${taken.name ? ` by ${taken.name}` : ""}: rename that partner in its row instead`;
  return undefined;
}

/** Why a partner's name cannot be saved (trimmed as the server trims it), or undefined. */
export function partnerNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length > PARTNER_NAME_MAX) return `The name must be at most ${PARTNER_NAME_MAX} characters`;
  return typedTextProblem("The name", trimmed, "line");
}

/** Why a departure on `day` would be refused, or undefined: setPartner's bounds (today's contract day, the JV's start). */
export function departureDayProblem(day: string, bounds: { today: string; jvStartDate: string | null }): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return "Give the first day on which it is no longer a party";
  if (day > bounds.today) return `The day must not be after today's contract day, ${bounds.today}`;
  if (bounds.jvStartDate && day < bounds.jvStartDate) return `The day must not be before the JV's start date, ${bounds.jvStartDate}`;
  return undefined;
}

/**
 * Whether setUserRole gives a user the partner-bound `role` for this partner
 * (functions/src/domain/partner-membership.ts partnerRoleStanding): any while it is active; once it
 * has left the JV only jv_partner, whose users keep reading its statements of before; none when it
 * is deactivated or missing.
 */
export function partnerRoleStanding(p: PartnerRecord | undefined, role: string): "ok" | "partner_users_only" | "unusable" {
  if (!p) return "unusable";
  if (p.active) return "ok";
  if (!p.left_jv_on) return "unusable";
  return role === "jv_partner" ? "ok" : "partner_users_only";
}

/** A partner as the role forms offer it: "Delta Petroleum (left the JV on 2026-10-15)" once it has left. */
export function partnerChoiceLabel(id: string, p: PartnerRecord): string {
  return `${p.name ?? id}${!p.active && p.left_jv_on ? ` (left the JV on ${p.left_jv_on})` : ""}`;
}

/**
 * Why the role form cannot give `role` for partner `id` (setUserRole would refuse it), or undefined:
 * a partner it does not know is left to the server.
 */
export function partnerRoleProblem(id: string, p: PartnerRecord | undefined, role: string): string | undefined {
  if (!p) return undefined;
  const standing = partnerRoleStanding(p, role);
  if (standing === "ok") return undefined;
  if (standing === "unusable") return "Choose an active partner.";
  return `${p.name ?? id} left the JV on ${p.left_jv_on}: only its JV partner users may be given a role for it, to read its statements of before. Choose an active partner, or the JV partner role.`;
}
