// A coordinator's correction of a production entry, as the entry's own field operators are told
// of it: which fields changed from what to what, by whom, and why.

import { fieldName } from "./field-names";
import { quoteId, type NotificationBrief } from "./notification-briefs";
import {
  entryIdLine,
  entryLabel,
  formatEntered,
  formatFactor,
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
 * What the entry's partner's field operators are told when a coordinator (or admin) corrects it:
 * the rules then let no operator edit it again, so the notice says who to ask if it is wrong.
 */
export function entryCorrectionNotice(
  entry: Pick<FlaggedEntry, "entry_id" | "partner_id" | "partner_name" | "meter_id">,
  correction: EntryCorrection,
): NotificationText {
  const who = correction.corrector_name ? oneLine(correction.corrector_name) : "A coordinator";
  const partner = oneLine(entry.partner_name || entry.partner_id);
  const at = toDate(correction.corrected_at);
  const when = Number.isNaN(at.getTime()) ? "" : ` at ${utcMinute(at)}`;
  const changed = correction.changes.map(changeLine);

  return {
    title: `${entryLabel(partner, entry.meter_id, correction.day)}: corrected by ${correction.corrector_name ? who : "a coordinator"}`,
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
    highlights: [
      `Corrected by ${correction.corrector_name ? who : "a coordinator"}`,
      ...changed.slice(0, 3),
      `"${oneLine(correction.correction_note)}"`,
    ],
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
