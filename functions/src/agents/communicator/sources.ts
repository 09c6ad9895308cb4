// The documents the communicator reacts to, parsed with zod before use. A document that
// does not parse is a permanent problem: the caller records it and notifies nobody.

import { z } from "zod";
import type { FlaggedEntryAudit } from "../../domain/notification-briefs";
import type { EntryReviewDecision, FlaggedEntry, ReconciliationReport } from "../../domain/notification-templates";
import { MAX_EXCLUDED_LISTED } from "../../domain/reconciliation-report";
import { EXPLANATION_TEXT_MAX } from "../../domain/audit-explanation";
import { STALE_ENTRY_IDS_LISTED } from "../../domain/version-corrections";
import { NOTE_MAX_LENGTH } from "../../domain/production-entry";

const MAX_PARTNERS = 1000;
const MAX_REASONS = 100;

const timestamp = z
  .custom<Date | { toDate(): Date }>(
    (v) => v instanceof Date || (typeof v === "object" && v !== null && typeof (v as { toDate?: unknown }).toDate === "function"),
    "must be a timestamp",
  )
  .transform((v) => (v instanceof Date ? v : v.toDate()))
  .refine((d) => !Number.isNaN(d.getTime()), "must be a valid date");

const id = z.string().min(1).max(1500);

const totals = z.object({
  entries_used: z.number().int(),
  entries_excluded: z.number().int(),
  field_gross_bbl: z.number(),
  field_nsv_bbl: z.number(),
  terminal_nsv_bbl: z.number(),
  shrinkage_bbl: z.number(),
  shrinkage_percent: z.number(),
});

const reconciliationSchema = z.object({
  terminal_receipt_id: id,
  version: z.number().int().positive(),
  status: z.string(),
  supersedes: z.string().nullish(),
  supersedes_receipt: z
    .object({ terminal_receipt_id: id, reconciliation_id: z.string().max(220).nullable(), note: z.string().max(2000).optional() })
    .nullish(),
  released: z.boolean().optional(),
  changes_against: z.string().max(220).nullish(),
  changes_against_reason: z.string().max(40).optional(),
  corrections: z
    .array(z.object({ entry_id: id, partner_id: id, kind: z.string().max(100) }))
    .max(STALE_ENTRY_IDS_LISTED)
    .nullish(),
  period_start: timestamp,
  period_end: timestamp,
  settings: z
    .object({ contract_day_start_hour: z.number().int().min(0).max(23), utc_offset_minutes: z.number().int().min(-1440).max(1440) })
    .nullish(),
  standard: z.string().optional(),
  method: z.string().optional(),
  terminal: z.object({
    gross_volume_bbl: z.number(),
    api60: z.number(),
    ctl: z.number(),
    cpl: z.number(),
    csw: z.number(),
    nsv_bbl: z.number(),
  }),
  totals,
  allocations: z
    .array(
      z.object({
        partner_id: id,
        partner_name: z.string(),
        entries: z.number().int(),
        gross_bbl: z.number(),
        nsv_bbl: z.number(),
        share_percent: z.number(),
        allocated_bbl: z.number(),
        shrinkage_bbl: z.number(),
      }),
    )
    .max(MAX_PARTNERS),
  excluded: z.array(z.object({ entry_id: id, partner_id: id, reason: z.string() })).max(MAX_EXCLUDED_LISTED),
  changes_from_previous: z
    .object({
      partners: z
        .array(
          z.object({
            partner_id: id,
            allocated_bbl_before: z.number(),
            allocated_bbl_after: z.number(),
            delta_bbl: z.number(),
            nsv_bbl_before: z.number(),
            nsv_bbl_after: z.number(),
          }),
        )
        .max(MAX_PARTNERS),
      totals_delta: totals,
    })
    .nullish(),
  net_positions: z
    .array(z.object({ partner_id: id, allocated_bbl: z.number(), adjustments_bbl: z.number(), net_bbl: z.number() }))
    .max(MAX_PARTNERS)
    .nullish(),
  partner_inputs: z
    .array(z.object({ partner_id: id, excluded: z.number().int().min(0).optional() }))
    .max(MAX_PARTNERS)
    .nullish(),
  luaf: z
    .object({
      tolerance_percent: z.number(),
      shrinkage_percent: z.number(),
      within_band: z.boolean(),
      acknowledgement: z.object({ by: id, role: z.string().max(100), note: z.string().max(NOTE_MAX_LENGTH) }).nullable(),
    })
    .nullish(),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function issuesText(error: z.ZodError): string {
  const text = error.issues.map((i) => `${i.path.map(String).join(".") || "document"}: ${i.message}`).join("; ");
  return text.length > 800 ? `${text.slice(0, 800)}…` : text;
}

export function parseReconciliation(data: unknown): Parsed<ReconciliationReport & { status: string }> {
  if (data === undefined) return { ok: false, error: "the document has no data" };
  const parsed = reconciliationSchema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: issuesText(parsed.error) };
}

const hexDigest = z.string().regex(/^[0-9a-f]{16,}$/, "must be a hex digest");

const auditSchema = z.object({
  status: z.enum(["validated", "flagged", "rejected"]),
  reasons: z
    .array(
      z.object({
        code: z.string(),
        field: z.string(),
        severity: z.enum(["info", "warning", "critical"]),
        message: z.string().max(2000),
      }),
    )
    .max(MAX_REASONS),
  explanation: z.object({ text: z.string().max(EXPLANATION_TEXT_MAX), source: z.enum(["gemini", "rules"]) }).nullish(),
  input_hash: hexDigest,
  stats: z.unknown().optional(),
  checked_at: timestamp.optional(),
  contract_day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD")
    .nullish(),
});

const absentIfNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const flaggedEntrySchema = z.object({
  partner_id: id,
  measured_at: timestamp,
  gross_volume_bbl: z.number(),
  bsw_percent: z.number(),
  temperature_degF: z.number(),
  api_gravity: z.number(),
  pressure_psig: absentIfNull(z.number()),
  meter_factor: absentIfNull(z.number()),
  meter_id: absentIfNull(z.string()),
  correction_note: absentIfNull(z.string()),
  audit: auditSchema,
});

export function parseFlaggedEntry(entryId: string, data: unknown): Parsed<{ entry: FlaggedEntry; audit: FlaggedEntryAudit }> {
  if (data === undefined) return { ok: false, error: "the document has no data" };
  const parsed = flaggedEntrySchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  const { audit, ...entry } = parsed.data;
  return { ok: true, value: { entry: { entry_id: entryId, ...entry }, audit } };
}

function auditOf(data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const audit = data?.audit;
  return typeof audit === "object" && audit !== null ? (audit as Record<string, unknown>) : undefined;
}

/** The verdicts an entry's people are told of: a flag (a coordinator must decide) and a rejection (the operator must correct). */
export const TOLD_VERDICTS = ["flagged", "rejected"] as const;

/**
 * True when this write gives the entry a told verdict anew: flagged or rejected now, and before
 * it was not audited, or had another verdict, or had this one for other measured values (a
 * correction judged the same again). A review, a note, or the auditor rewriting the same
 * verdict is not news.
 */
export function isNewFlag(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  const now = auditOf(after);
  if (!TOLD_VERDICTS.some((v) => v === now?.status)) return false;
  const then = auditOf(before);
  return then === undefined || then.status !== now!.status || then.input_hash !== now!.input_hash;
}

const reviewSchema = z.object({
  decision: z.enum(["approved", "rejected"]),
  note: z.string().max(2000),
  revision: z.number().int().positive(),
  by: id,
  by_role: z.string().max(40),
  at: timestamp,
  input_hash: hexDigest,
  bulk: z.object({ call: id, partner_count: z.number().int().positive() }).optional(),
});

const reviewedEntrySchema = flaggedEntrySchema.extend({ review: reviewSchema });

export interface ReviewedEntry {
  entry: FlaggedEntry;
  audit: FlaggedEntryAudit;
  review: z.infer<typeof reviewSchema>;
}

export function parseReviewedEntry(entryId: string, data: unknown): Parsed<ReviewedEntry> {
  if (data === undefined) return { ok: false, error: "the document has no data" };
  const parsed = reviewedEntrySchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  const { audit, review, ...entry } = parsed.data;
  return { ok: true, value: { entry: { entry_id: entryId, ...entry }, audit, review } };
}

function reviewOf(data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const review = data?.review;
  return typeof review === "object" && review !== null ? (review as Record<string, unknown>) : undefined;
}

/**
 * True when this write records a coordinator's decision anew: a review of the entry's current
 * figures whose revision (or figures) differs from the one before. The auditor dropping a
 * review of figures since corrected, or rewriting the verdict beside a kept review, is not news.
 */
export function isNewReviewDecision(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  const now = reviewOf(after);
  if (now === undefined || now.input_hash !== auditOf(after)?.input_hash) return false;
  const then = reviewOf(before);
  return then === undefined || then.revision !== now.revision || then.input_hash !== now.input_hash;
}

/** The decision a new review replaces on the same figures, from the entry as it was before the write. */
export function previousDecision(before: Record<string, unknown> | undefined, inputHash: string): EntryReviewDecision["previous_decision"] {
  const then = reviewOf(before);
  if (then?.input_hash !== inputHash) return null;
  return then.decision === "approved" || then.decision === "rejected" ? then.decision : null;
}

/** True while the stored entry still carries this review of these figures: a later decision or correction supersedes it. */
export function carriesReview(
  stored: { get(field: string): unknown },
  review: { input_hash: string; revision: number; at: Date },
): boolean {
  // toDate() on both sides: the trigger's snapshot gave review.at as a Date the same way (toMillis rounds otherwise).
  const at = stored.get("review.at") as { toDate?: () => Date } | undefined;
  return (
    stored.get("audit.input_hash") === review.input_hash &&
    stored.get("review.input_hash") === review.input_hash &&
    stored.get("review.revision") === review.revision &&
    typeof at?.toDate === "function" &&
    at.toDate().getTime() === review.at.getTime()
  );
}

const correctedEntrySchema = z.object({
  partner_id: id,
  measured_at: timestamp,
  meter_id: absentIfNull(z.string()),
  correction_note: z.string().min(1).max(NOTE_MAX_LENGTH),
  corrected_by: id,
  corrected_at: timestamp,
});

export type CorrectedEntry = z.infer<typeof correctedEntrySchema> & { entry_id: string };

export function parseCorrectedEntry(entryId: string, data: unknown): Parsed<CorrectedEntry> {
  if (data === undefined) return { ok: false, error: "the document has no data" };
  const parsed = correctedEntrySchema.safeParse(data);
  return parsed.success ? { ok: true, value: { entry_id: entryId, ...parsed.data } } : { ok: false, error: issuesText(parsed.error) };
}

function millisOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  const toDate = (value as { toDate?: () => Date } | null | undefined)?.toDate;
  return typeof toDate === "function" ? toDate.call(value).getTime() : undefined;
}

/**
 * True when this write is a coordinator's (or admin's) new correction of an existing entry: the
 * rules make every such write sign a new `corrected_at` beside its `correction_note`. The
 * auditor's writes and an operator's edits carry neither anew.
 */
export function isNewCorrection(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  const now = millisOf(after.corrected_at);
  if (now === undefined || typeof after.corrected_by !== "string" || typeof after.correction_note !== "string") return false;
  return millisOf(before.corrected_at) !== now || before.correction_note !== after.correction_note;
}

const releaseSchema = z.object({
  released_by: id,
  released_at: timestamp,
  release_note: z.string().min(1).max(NOTE_MAX_LENGTH),
});

/** Who released a version, when and with what note (releaseReconciliation writes all three with `released: true`). */
export function parseRelease(data: unknown): Parsed<z.infer<typeof releaseSchema>> {
  const parsed = releaseSchema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: issuesText(parsed.error) };
}

const lateEntrySchema = flaggedEntrySchema.extend({
  correction_note: z.string().min(1).max(NOTE_MAX_LENGTH),
  corrected_by: id,
  corrected_at: timestamp,
});

export function parseLateEntry(
  entryId: string,
  data: unknown,
): Parsed<{ entry: FlaggedEntry; audit: FlaggedEntryAudit; corrected_by: string; corrected_at: Date; correction_note: string }> {
  if (data === undefined) return { ok: false, error: "the document has no data" };
  const parsed = lateEntrySchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.error) };
  const { audit, corrected_by, corrected_at, ...entry } = parsed.data;
  return {
    ok: true,
    value: { entry: { entry_id: entryId, ...entry }, audit, corrected_by, corrected_at, correction_note: entry.correction_note },
  };
}

/**
 * True when this write is the auditor's first verdict on an entry a coordinator (or admin)
 * entered late: the rules' coordinator create signs `corrected_at` with the time of the write
 * that creates it, so it equals `created_at` (a later correction's is after it).
 */
export function isNewLateEntry(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  if (before === undefined || after === undefined || auditOf(before) !== undefined || auditOf(after) === undefined) return false;
  const created = millisOf(after.created_at);
  return (
    created !== undefined &&
    created === millisOf(after.corrected_at) &&
    typeof after.corrected_by === "string" &&
    after.corrected_by === after.created_by &&
    typeof after.correction_note === "string"
  );
}
