// A coordinator's correction of a production entry, or an entry a coordinator entered late, as
// the partner's field operators are told of it: what changed (or was entered), by whom, and why.

import { fieldName } from "./field-names";
import { quoteId, type NotificationBrief } from "./notification-briefs";
import {
  entryIdLine,
  entryLabel,
  formatEntered,
  formatFactor,
  measuredInWords,
  type DateLike,
  type FlaggedEntry,
  type NotificationText,
} from "./notification-templates";
import { MEASURED_FIELDS, type MeasuredField } from "./production-entry";
import { meterShown, oneLine } from "./typed-text";
import { utcMinute } from "./utc-minute";

/** The fields a correction may change: those whose change has the entry audited again (but its partner), and its note. */
export const CORRECTED_FIELDS = [...MEASURED_FIELDS.filter((f) => f !== "partner_id"), "note"] as const;
export type CorrectedField = Exclude<MeasuredField, "partner_id"> | "note";

export type FieldValue = number | string | null;

export interface FieldChange {
  field: CorrectedField;
  before: FieldValue;
  after: FieldValue;
}

/** Absent pressure is 0 psig and an absent meter factor 1, as the measurement reads them: writing either explicitly changes nothing. */
const ABSENT_MEANS: Partial<Record<CorrectedField, number>> = { pressure_psig: 0, meter_factor: 1 };

const toDate = (value: DateLike): Date => (value instanceof Date ? value : typeof value === "string" ? new Date(value) : value.toDate());

function asValue(field: CorrectedField, value: unknown): FieldValue {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null && typeof (value as { toDate?: unknown }).toDate === "function") {
    return toDate(value as DateLike).toISOString();
  }
  if (typeof value === "number") return value;
  if (typeof value === "string") return field === "note" && value.trim() === "" ? null : value;
  return ABSENT_MEANS[field] ?? null;
}

/** What a write changed of an entry's corrected fields, in notice order. */
export function correctionChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of CORRECTED_FIELDS) {
    const was = asValue(field, before[field]);
    const now = asValue(field, after[field]);
    if (was !== now) changes.push({ field, before: was, after: now });
  }
  return changes;
}

const UNITS: Partial<Record<CorrectedField, string>> = {
  gross_volume_bbl: " bbl",
  bsw_percent: "%",
  temperature_degF: " °F",
  pressure_psig: " psig",
};

/** A value as a notice shows it: figures as entered, times in UTC to the minute, typed text on one line. */
function shown(field: CorrectedField, value: FieldValue): string {
  if (value === null || value === "") return "(none)";
  if (typeof value === "number") return `${field === "meter_factor" ? formatFactor(value) : formatEntered(value, 2)}${UNITS[field] ?? ""}`;
  if (field === "measured_at") return utcTime(value);
  if (field === "meter_id") return meterShown(value);
  return `"${oneLine(value)}"`;
}

/** "2026-11-04 06:30 UTC", with the seconds when it has any (a correction may move an entry by seconds). */
function utcTime(iso: string): string {
  const date = new Date(iso);
  return date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0 ? utcMinute(date) : `${iso.slice(0, 19).replace("T", " ")} UTC`;
}

export const changeLine = (change: FieldChange): string =>
  `${fieldName(change.field)}: ${shown(change.field, change.before)} → ${shown(change.field, change.after)}`;

export interface EntryCorrection {
  /** people/{uid}.display_name of the account that corrected it; null without one. */
  corrector_name: string | null;
  corrected_at: DateLike;
  correction_note: string;
  changes: readonly FieldChange[];
  /** "contract day 2026-11-04": the day the entry's measured_at now falls in. */
  day: string;
  /** The write changed the auditor's inputs (auditInputHash), so the entry is audited again. */
  reaudited: boolean;
}

/**
 * A coordinator's act on an entry, as both notices say it: who (by name, or "A coordinator" to start
 * a sentence and "a coordinator" within one), the partner, and " at <UTC minute>" when the time reads.
 */
function actedOn(entry: Pick<FlaggedEntry, "partner_id" | "partner_name">, name: string | null, at: DateLike) {
  const named = name ? oneLine(name) : null;
  const moment = toDate(at);
  return {
    who: named ?? "A coordinator",
    by: named ?? "a coordinator",
    partner: oneLine(entry.partner_name || entry.partner_id),
    when: Number.isNaN(moment.getTime()) ? "" : ` at ${utcMinute(moment)}`,
  };
}

/**
 * What the entry's partner's field operators are told when a coordinator (or admin) corrects it:
 * the rules then let no operator edit it again, so the notice says who to ask if it is wrong.
 */
export function entryCorrectionNotice(
  entry: Pick<FlaggedEntry, "entry_id" | "partner_id" | "partner_name" | "meter_id">,
  correction: EntryCorrection,
): NotificationText {
  const { who, by, partner, when } = actedOn(entry, correction.corrector_name, correction.corrected_at);
  const changed = correction.changes.map(changeLine);

  return {
    title: `${entryLabel(partner, entry.meter_id, correction.day)}: corrected by ${by}`,
    body: [
      `${who} corrected the production entry of ${partner}${entry.meter_id ? ` on meter ${meterShown(entry.meter_id)}` : ""} for ${correction.day}${when}.`,
      changed.length > 0
        ? `Changed: ${changed.join("; ")}.`
        : correction.reaudited
          ? "No figure changed in value (a pressure of 0 or a meter factor of 1 was written where the entry had none); the correction note is new."
          : "No measured field or note changed: only the correction note is new.",
      `Correction note: "${oneLine(correction.correction_note)}"`,
      `${correction.reaudited ? "The auditor audits the entry again. " : ""}From now on only a coordinator or an admin can change it: if the correction is wrong, tell a coordinator.`,
      entryIdLine(entry.entry_id),
    ].join("\n"),
    highlights: [`Corrected by ${by}`, ...changed.slice(0, 3), `"${oneLine(correction.correction_note)}"`],
  };
}

/** The operators' brief: the correction is a coordinator's act, told in the standard text without Gemini. */
export function entryCorrectionBrief(
  entry: Pick<FlaggedEntry, "entry_id" | "partner_id" | "partner_name" | "meter_id">,
  correction: EntryCorrection & { corrected_by: string; contract_day: string | null },
): NotificationBrief {
  const at = toDate(correction.corrected_at);
  return {
    type: "entry_corrected",
    marker: `entry_corrected for ${quoteId(entry.entry_id)} at ${at.getTime()}`,
    prompt: "",
    grounding: { numbers: [], trustedStrings: [], untrustedStrings: [] },
    typed: [],
    budgetPartner: null,
    template: entryCorrectionNotice(entry, correction),
    templateOnly: {
      reason: "coordinator_decision",
      detail: "A coordinator's correction is told in the standard text, with the coordinator's own correction note, without Gemini.",
    },
    data: {
      entry_id: entry.entry_id,
      partner_id: entry.partner_id,
      partner_name: entry.partner_name ?? null,
      contract_day: correction.contract_day,
      corrected_by: correction.corrected_by,
      corrector_name: correction.corrector_name,
      corrected_at: at.toISOString(),
      changes: correction.changes.map((c) => ({ ...c })),
    },
  };
}

export interface LateEntry {
  corrector_name: string | null;
  entered_at: DateLike;
  correction_note: string;
  day: string;
  /** The auditor's first verdict, which this notice follows. */
  status: "validated" | "flagged" | "rejected";
}

const VERDICT_NEXT: Record<LateEntry["status"], string> = {
  validated:
    "The auditor validated it: it counts in its period's allocation (a period already reconciled, once a coordinator reconciles it again).",
  flagged: "The auditor flagged it: a coordinator approves or rejects it (you are told of the flag apart).",
  rejected: "The auditor rejected it: a coordinator corrects it (you are told of the rejection apart).",
};

/**
 * What the partner's field operators are told of an entry a coordinator (or admin) entered for
 * their partner after the fact: it is in their list though none of them filed it, and only a
 * coordinator can change it.
 */
export function lateEntryNotice(
  entry: Pick<
    FlaggedEntry,
    | "entry_id"
    | "partner_id"
    | "partner_name"
    | "meter_id"
    | "gross_volume_bbl"
    | "bsw_percent"
    | "temperature_degF"
    | "api_gravity"
    | "pressure_psig"
    | "meter_factor"
  >,
  late: LateEntry,
): NotificationText {
  const { who, by, partner, when } = actedOn(entry, late.corrector_name, late.entered_at);
  return {
    title: `${entryLabel(partner, entry.meter_id, late.day)}: entered late by ${by}`,
    body: [
      `${who} entered a production entry of ${partner}${entry.meter_id ? ` on meter ${meterShown(entry.meter_id)}` : ""} for ${late.day}${when}, after the fact.`,
      `Measured: ${measuredInWords(entry)}.`,
      `Why: "${oneLine(late.correction_note)}"`,
      VERDICT_NEXT[late.status],
      "Only a coordinator or an admin can change it: if it is wrong, or duplicates a ticket you entered, tell a coordinator.",
      entryIdLine(entry.entry_id),
    ].join("\n"),
    highlights: [`Entered late by ${by}`, `"${oneLine(late.correction_note)}"`],
  };
}

/** The operators' brief of a late entry: the coordinator's act, in the standard text without Gemini. */
export function lateEntryBrief(
  entry: Parameters<typeof lateEntryNotice>[0],
  late: LateEntry & { corrected_by: string; contract_day: string | null },
): NotificationBrief {
  return {
    type: "entry_entered_late",
    marker: `entry_entered_late for ${quoteId(entry.entry_id)}`,
    prompt: "",
    grounding: { numbers: [], trustedStrings: [], untrustedStrings: [] },
    typed: [],
    budgetPartner: null,
    template: lateEntryNotice(entry, late),
    templateOnly: {
      reason: "coordinator_decision",
      detail: "A coordinator's late entry is told in the standard text, with the coordinator's own note, without Gemini.",
    },
    data: {
      entry_id: entry.entry_id,
      partner_id: entry.partner_id,
      partner_name: entry.partner_name ?? null,
      contract_day: late.contract_day,
      corrected_by: late.corrected_by,
      corrector_name: late.corrector_name,
      entered_at: toDate(late.entered_at).toISOString(),
      audit_status: late.status,
    },
  };
}
