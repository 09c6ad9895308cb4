import { z } from "zod";
import { DEFAULT_JV_SETTINGS, periodContractDays } from "./jv-settings";
import { BOUNDED_ID_RULE, isBoundedId } from "./bounded-id";
import { type TimestampLike } from "./production-entry";

/** Longest allocation period, a leap year: its days are closed in one transaction. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

const dateLike = z
  .custom<Date | TimestampLike>(
    (v) => v instanceof Date || (typeof v === "object" && v !== null && typeof (v as TimestampLike).toDate === "function"),
    { message: "must be a timestamp" },
  )
  .transform((v) => (v instanceof Date ? v : v.toDate()));

const finite = (what: string) => z.number({ message: `${what} must be a number` }).finite();

/** A terminal receipt as stored; the measurement limits are the engine's to enforce. */
export const terminalReceiptSchema = z
  .object({
    period_start: dateLike,
    period_end: dateLike,
    terminal_name: z
      .string()
      .max(200)
      .nullish()
      .transform((v) => v ?? undefined),
    gross_volume_bbl: finite("gross_volume_bbl").positive(),
    bsw_percent: finite("bsw_percent").min(0).lt(100),
    temperature_degF: finite("temperature_degF"),
    api_gravity: finite("api_gravity"),
    pressure_psig: finite("pressure_psig")
      .nullish()
      .transform((v) => v ?? 0),
    meter_factor: finite("meter_factor")
      .positive()
      .nullish()
      .transform((v) => v ?? 1),
    latest_reconciliation_id: z.string().nullish(),
    /** Why this receipt replaces another: the rules require it with supersedes_receipt_id (none on receipts entered before). */
    correction_note: z
      .string()
      .max(2000)
      .nullish()
      .transform((v) => v ?? null),
    created_by: z
      .string()
      .nullish()
      .transform((v) => v ?? null),
    created_at: dateLike.nullish().transform((v) => v ?? null),
    /** A receipt this one replaces: its current reconciliation is superseded by this one's. */
    supersedes_receipt_id: z
      .string()
      .refine(isBoundedId, `must be ${BOUNDED_ID_RULE}`)
      .nullish()
      .transform((v) => v ?? null),
  })
  .refine((r) => r.period_start.getTime() < r.period_end.getTime(), {
    message: "period_start must be before period_end",
    path: ["period_end"],
  })
  .refine((r) => r.period_end.getTime() - r.period_start.getTime() <= MAX_PERIOD_DAYS * DAY_MS, {
    message: `the period may span at most ${MAX_PERIOD_DAYS} days`,
    path: ["period_end"],
  });

export type TerminalReceipt = z.output<typeof terminalReceiptSchema>;

/** Every UTC day touched by [start, end): the `closed_days` ids of a period under the default settings (jv-settings.ts periodContractDays in general). */
export function periodDays(start: Date, end: Date): string[] {
  return periodContractDays(start, end, DEFAULT_JV_SETTINGS);
}
