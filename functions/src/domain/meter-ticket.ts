/**
 * A SCADA gateway's meter ticket, as `POST /v1/production` accepts it, and what it becomes: a
 * production entry with a deterministic id (the same ticket twice is the same entry). The
 * bounds are those the security rules hold operators to (firestore.rules, validEntryFields).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { MEASURED_FIELDS, NOTE_MAX_LENGTH, type MeasuredField } from "./production-entry";
import { isWellFormedText } from "./well-formed-text";
import { forbiddenCharacter, typedText } from "./typed-text";
import { issueMessage } from "./issue-words";

export const MAX_TICKETS_PER_BATCH = 500;
export const MAX_BODY_BYTES = 1024 * 1024;
export const TICKET_ID_MAX_LENGTH = 128;
export const METER_ID_MAX_LENGTH = 64;
/** Printable ASCII without spaces: what SCADA ticket numbers look like, and safe in logs. */
const TICKET_ID_SHAPE = /^[\x21-\x7e]+$/;
/** Production entry ids written by the endpoint; within ^[A-Za-z0-9_-]{1,64}$. */
export const ENTRY_ID_SHAPE = /^api_[A-Za-z0-9_-]{43}$/;

/**
 * RFC 3339 with a zone, e.g. 2026-10-31T06:00:00Z or 2026-10-31T08:00:00+02:00 (zod checks month
 * lengths and leap years); "t" and "z" as RFC 3339 allows them too (read as "T" and "Z").
 */
const rfc3339 = z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.iso.datetime({ offset: true }));

/**
 * No control character (NUL, tab, line breaks, U+2028 and U+2029 too), no bidirectional control
 * and no invisible character (zero-width space, soft hyphen, U+180E): never part of a meter's name,
 * breaking, hidden or reordering in every list, notification and statement that shows one
 * (typed-text.ts, kind "id"). Spaces inside are kept, and so are the joiners some scripts spell
 * with (U+200C, U+200D).
 */
export const isPlainMeterId = (id: string): boolean => forbiddenCharacter(id, "id") === undefined;
/** A meter id as entries store it: without the spaces a gateway may pad it with at either end. */
export const meterIdAsStored = (id: string): string => id.trim();

/**
 * At most `max` UTF-16 code units, as the contract says and as the security rules' size() counts
 * for operators (an emoji counts two); zod's max() counts code points.
 */
function utf16Max(max: number) {
  return (text: string, ctx: z.RefinementCtx) => {
    if (text.length <= max) return;
    ctx.addIssue({
      code: "too_big",
      origin: "string",
      maximum: max,
      inclusive: true,
      input: text,
      message: `must be at most ${max} UTF-16 code units (an emoji counts two)`,
    });
  };
}

const meterIdSchema = z
  .string()
  .min(1)
  .superRefine(utf16Max(METER_ID_MAX_LENGTH))
  .refine((id) => id.trim() !== "", { message: "must not be blank" })
  .refine(isWellFormedText, { message: "must be well-formed Unicode (no lone surrogate)" })
  .superRefine(typedText("id"))
  // Gateways pad ids ("LACT-01A "), the web app trims what operators type: one meter, one id, so
  // that the auditor's duplicate check and per-meter history meet a gateway's ticket and an
  // operator's entry of the same meter.
  .transform(meterIdAsStored);

/** A meter id a ticket may hold, as stored; undefined for one that is no meter id (blank, too long, a control character). */
export function wellFormedMeterId(id: unknown): string | undefined {
  const parsed = meterIdSchema.safeParse(id);
  return parsed.success ? parsed.data : undefined;
}

/** -0 as 0: JSON's -0 would be stored as a negative zero, which the auditor and statements print as "−0". */
const withoutNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n);

export const meterTicketSchema = z.strictObject({
  ticket_id: z.string().min(1).max(TICKET_ID_MAX_LENGTH).regex(TICKET_ID_SHAPE, { message: "must be printable ASCII without spaces" }),
  meter_id: meterIdSchema,
  measured_at: rfc3339,
  gross_volume_bbl: z.number().positive(),
  bsw_percent: z.number().min(0).lt(100).transform(withoutNegativeZero),
  temperature_degF: z.number().transform(withoutNegativeZero),
  api_gravity: z.number().transform(withoutNegativeZero),
  pressure_psig: z.number().transform(withoutNegativeZero).nullish(),
  meter_factor: z.number().positive().nullish(),
  note: z
    .string()
    .superRefine(utf16Max(NOTE_MAX_LENGTH))
    .refine(isWellFormedText, { message: "must be well-formed Unicode (no lone surrogate)" })
    .superRefine(typedText("lines"))
    .nullish(),
  /** Optional: when present it must be the key's partner (checked with the key). */
  partner_id: z.string().nullish(),
});
export type MeterTicket = z.output<typeof meterTicketSchema>;

/** The body's shape; each ticket is parsed on its own so one bad ticket fails only itself. */
export const ticketBatchSchema = z.strictObject({
  tickets: z.array(z.unknown()).min(1),
});

export interface TicketIssue {
  /** Dotted path inside the ticket ("" for the ticket itself). */
  path: string;
  code: string;
  message: string;
}

export type TicketParse = { ok: true; ticket: MeterTicket; measuredAt: Date } | { ok: false; issues: TicketIssue[] };

/**
 * What a ticket's result may echo of the body, so that a batch's response (stored for replays)
 * stays far below Firestore's 1 MiB document limit whatever the body holds: at most this many
 * issues per ticket, messages and paths cut short, ticket ids cut at their own limit.
 */
export const MAX_ISSUES_PER_TICKET = 8;
export const ISSUE_MESSAGE_MAX_LENGTH = 160;
const ISSUE_PATH_MAX_LENGTH = 64;

/** Text from the body echoed back (ticket ids, unknown field names): printable ASCII, cut short with "…". */
export function echoText(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]/g, "?");
  return printable.length <= max ? printable : `${printable.slice(0, max - 1)}…`;
}

export function parseMeterTicket(raw: unknown): TicketParse {
  const result = meterTicketSchema.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.slice(0, MAX_ISSUES_PER_TICKET).map((issue) => ({
        path: echoText(issue.path.map(String).join("."), ISSUE_PATH_MAX_LENGTH),
        code: issue.code,
        message: echoText(issueMessage(issue), ISSUE_MESSAGE_MAX_LENGTH),
      })),
    };
  }
  return { ok: true, ticket: result.data, measuredAt: new Date(result.data.measured_at) };
}

/**
 * The gateway's ticket id, when it is text: results echo it even for invalid tickets (a valid id
 * as given; an invalid one as printable ASCII, cut at the id's length limit).
 */
export function ticketIdOf(raw: unknown): string | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const id = (raw as Record<string, unknown>).ticket_id;
  return typeof id === "string" ? echoText(id, TICKET_ID_MAX_LENGTH) : null;
}

/**
 * `api_` + base64url(SHA-256(partner, ticket id)): the same partner's ticket is the same entry
 * whichever key sent it, and two partners' ticket numbers never meet.
 */
export function ticketEntryId(partnerId: string, ticketId: string): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([partnerId, ticketId]))
    .digest("base64url");
  return `api_${digest}`;
}

/** The production entry's client fields for a ticket (the caller adds created_at). */
export function ticketEntryFields(ticket: MeterTicket, partnerId: string, keyId: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    partner_id: partnerId,
    gross_volume_bbl: ticket.gross_volume_bbl,
    bsw_percent: ticket.bsw_percent,
    temperature_degF: ticket.temperature_degF,
    api_gravity: ticket.api_gravity,
    meter_id: ticket.meter_id,
    created_by: `api_key:${keyId}`,
    source: "api",
    api_key_id: keyId,
    ticket_id: ticket.ticket_id,
  };
  if (ticket.pressure_psig !== null && ticket.pressure_psig !== undefined) fields.pressure_psig = ticket.pressure_psig;
  if (ticket.meter_factor !== null && ticket.meter_factor !== undefined) fields.meter_factor = ticket.meter_factor;
  if (ticket.note !== null && ticket.note !== undefined && ticket.note.trim() !== "") fields.note = ticket.note;
  return fields;
}

export type TicketFigure = Exclude<MeasuredField, "partner_id">;
/**
 * What a stored entry must hold alike for a ticket sent again to be the same one, in the order a
 * duplicate's issues name them: the measured fields but the partner, which the entry id fixes.
 */
export const TICKET_FIGURES: readonly TicketFigure[] = MEASURED_FIELDS.filter((field): field is TicketFigure => field !== "partner_id");

/** What the engine reads an absent or null figure as. */
const ABSENT_READ_AS: Partial<Record<TicketFigure, number>> = { pressure_psig: 0, meter_factor: 1 };

/** A figure the stored entry holds otherwise than the ticket, each value as text (figureText). */
export interface FigureDifference {
  field: TicketFigure;
  stored: string;
  sent: string;
}

/**
 * The figures in which a ticket differs from the stored entry of its id, in TICKET_FIGURES order;
 * none when the ticket was sent before as it is. An absent or null pressure is 0 psig and an absent
 * or null meter factor 1, as the engine reads them; a stored meter id with padding at either end
 * (stored before ids were trimmed) is its trimmed id.
 */
export function differingFigures(
  stored: Record<string, unknown>,
  ticket: MeterTicket,
  measuredAt: Date,
  storedMeasuredAt: Date | undefined,
): FigureDifference[] {
  const sent: Record<TicketFigure, unknown> = { ...pickFigures(ticket), measured_at: measuredAt };
  const held: Record<TicketFigure, unknown> = { ...pickFigures(stored), measured_at: storedMeasuredAt };
  return TICKET_FIGURES.filter((field) => comparable(field, held[field]) !== comparable(field, sent[field])).map((field) => ({
    field,
    stored: figureText(held[field], ABSENT_READ_AS[field]),
    sent: figureText(sent[field], ABSENT_READ_AS[field]),
  }));
}

function pickFigures(fields: Readonly<Record<string, unknown>>): Record<TicketFigure, unknown> {
  return Object.fromEntries(TICKET_FIGURES.map((field) => [field, fields[field]])) as Record<TicketFigure, unknown>;
}

function comparable(field: TicketFigure, value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (field === "meter_id" && typeof value === "string") return meterIdAsStored(value);
  return value ?? ABSENT_READ_AS[field];
}

/**
 * A figure as a duplicate's issue shows it: a time in RFC 3339 UTC, a number as JavaScript writes
 * it, text quoted (a meter id's padding shows), an absent one as "none" and what it is read as,
 * anything else by its type.
 */
export function figureText(value: unknown, absentReadAs?: number): string {
  if (value === undefined || value === null) return absentReadAs === undefined ? "none" : `none (read as ${absentReadAs})`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid time" : value.toISOString();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  return `of type ${typeof value}`;
}
