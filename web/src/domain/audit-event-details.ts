/**
 * What an audit-log event's `details` say, in short phrases for the auditor's table: which role
 * was set and what it was before, the verdict an audit gave and its reasons by their titles, what
 * a review decided, a statement's version and what it raised, … A partner, a statement or an
 * account is left as a reference (`{ partner: id }`, …) for the screen to name; hashes, digests
 * and event ids are never said. Pure: the screen and the unit tests share it.
 */
import { codeInWords } from "./code-words";
import { reasonTitle } from "./reason-code";
import { ROLE_LABEL, type Role } from "./roles";

/** A piece of a phrase: words, or what the screen names (a partner, a statement, an account). */
export type DetailPart = string | { partner: string } | { statement: string } | { person: string };
/** One phrase: "Role: none → Administrator", "Verdict: Flagged: BS&W above typical". */
export type DetailPhrase = DetailPart[];

const roleInWords = (role: string) => (Object.hasOwn(ROLE_LABEL, role) ? ROLE_LABEL[role as Role] : codeInWords(role));

const VERDICTS: Readonly<Record<string, string>> = { validated: "Validated", flagged: "Flagged", rejected: "Rejected" };
const DECISIONS: Readonly<Record<string, string>> = { approved: "Approved", rejected: "Rejected" };
const OUTCOMES: Readonly<Record<string, string>> = { upheld: "Upheld", rejected: "Rejected" };
const wordOf = (words: Readonly<Record<string, string>>, value: string) =>
  Object.hasOwn(words, value) ? words[value] : codeInWords(value);

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const count = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : []);
const LONG = 160;
/** Free text (a note, an answer) quoted, cut at 160 characters. */
const quoted = (s: string) => `“${s.length > LONG ? `${s.slice(0, LONG - 1).trimEnd()}…` : s}”`;
const figure = (x: number) => new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
/** A signed volume as the statements write it: "+12.34", "−5.00" (U+2212). */
const signed = (x: number) => `${x < 0 ? "\u2212" : "+"}${figure(Math.abs(x))}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** An ISO time as the table writes times: "2026-10-30 06:00 UTC"; anything else as it is. */
const time = (iso: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 16).replace("T", " ")} UTC` : iso);

/** "as JV coordinator": the role the actor acted in, where the event recorded it. */
function asRole(d: Record<string, unknown>): DetailPhrase[] {
  const role = text(d.role);
  return role ? [[`as ${roleInWords(role)}`]] : [];
}

/** A role with its partner: "JV partner of {Northwind}", "none". */
function roleWithPartner(role: unknown, partner: unknown): DetailPart[] {
  const r = text(role);
  if (!r) return ["none"];
  const p = text(partner);
  return p ? [roleInWords(r), " of ", { partner: p }] : [roleInWords(r)];
}

const sameRole = (d: Record<string, unknown>) =>
  (text(d.role) ?? null) === (text(d.previous_role) ?? null) && (text(d.partner_id) ?? null) === (text(d.previous_partner_id) ?? null);

type Writer = (d: Record<string, unknown>) => DetailPhrase[];

/** Each action the functions log, from its details (see the writer named beside each). */
const WRITERS: Readonly<Record<string, Writer>> = {
  // admin/set-user-role.ts: { role, partner_id, previous_role, previous_partner_id }
  user_role_set: (d) => [
    sameRole(d)
      ? ["Role: ", ...roleWithPartner(d.role, d.partner_id), " (unchanged)"]
      : ["Role: ", ...roleWithPartner(d.previous_role, d.previous_partner_id), " → ", ...roleWithPartner(d.role, d.partner_id)],
  ],
  // admin/set-user-role.ts: { reverts, reason }
  user_role_reverted: (d) => {
    const reason = text(d.reason);
    return [["Role left as it was"], ...(reason ? [[`because: ${quoted(reason)}`]] : [])];
  },
  // auditor/audit-entry.ts: { verdict, reason_codes, input_hash, rules_version, explanation_source, stale_review_removed? }
  entry_audited: (d) => {
    const verdict = text(d.verdict);
    const reasons = [...new Set(ids(d.reason_codes))].map(reasonTitle);
    const out: DetailPhrase[] = [];
    if (verdict) out.push([`Verdict: ${wordOf(VERDICTS, verdict)}`]);
    out.push([reasons.length > 0 ? `Reasons: ${reasons.join(", ")}` : "No reasons"]);
    const stale = text(d.stale_review_removed);
    if (stale) out.push([`earlier review (${wordOf(DECISIONS, stale).toLowerCase()}) set aside: the figures changed`]);
    return out;
  },
  // auditor/review-entry.ts: { decision, note, role, input_hash, revision, previous_decision, bulk? }
  entry_reviewed: (d) => {
    const decision = text(d.decision);
    const was = text(d.previous_decision);
    const revision = count(d.revision);
    const note = text(d.note);
    const bulk = (d.bulk ?? undefined) as { count?: unknown } | undefined;
    const many = count(bulk?.count);
    return [
      [`Decision: ${decision ? wordOf(DECISIONS, decision) : "—"}${was ? ` (was ${wordOf(DECISIONS, was).toLowerCase()})` : ""}`],
      ...(note ? [[`note ${quoted(note)}`]] : [["no note"]]),
      ...(revision !== undefined && revision > 1 ? [[`revision ${revision}`]] : []),
      ...asRole(d),
      ...(many !== undefined ? [[`one of ${plural(many, "entry", "entries")} decided at once`]] : []),
    ];
  },
  // auditor/audit-entry.ts logCorrection: { correction_note, corrected_at, measured_at }
  entry_corrected: (d) => correction(d),
  entry_entered_late: (d) => correction(d),
  // accountant/commit-version.ts: { version, supersedes, supersedes_receipt, …hashes, luaf_acknowledged, release_required, adjustments_created, adjustments_carried, … }
  reconciliation_completed: (d) => {
    const out: DetailPhrase[] = [];
    const version = count(d.version);
    if (version !== undefined) out.push([`Version ${version}`]);
    const supersedes = text(d.supersedes);
    if (supersedes) out.push(["replaces ", { statement: supersedes }]);
    const receipt = (d.supersedes_receipt ?? undefined) as { reconciliation_id?: unknown } | undefined;
    const replaced = text(receipt?.reconciliation_id);
    if (replaced) out.push(["replaces another receipt's ", { statement: replaced }]);
    const created = ids(d.adjustments_created).length;
    if (created > 0) out.push([`${plural(created, "prior-period adjustment")} raised`]);
    const carried = ids(d.adjustments_carried).length;
    if (carried > 0) out.push([`${plural(carried, "undecided adjustment")} carried`]);
    if (d.luaf_acknowledged === true) out.push(["LUAF over tolerance acknowledged"]);
    if (d.release_required === true) out.push(["awaits release to the partners"]);
    else if (d.release_required === false) out.push(["released to the partners at once"]);
    return out;
  },
  // accountant/commit-version.ts: { superseded_by, terminal_receipt_id }
  reconciliation_superseded: (d) => {
    const by = text(d.superseded_by);
    const receipt = text(d.terminal_receipt_id);
    return by ? [["Replaced by ", { statement: by }, ...(receipt ? [` (receipt ${receipt})`] : [])]] : [];
  },
  // accountant/release-reconciliation.ts: { reconciliation_id, version, integrity_hash, note, role, adjustments_released }
  reconciliation_released: (d) => {
    const version = count(d.version);
    const note = text(d.note);
    const released = ids(d.adjustments_released).length;
    return [
      ...(version !== undefined ? [[`Version ${version} released`]] : []),
      ...(note ? [[`note ${quoted(note)}`]] : []),
      ...(released > 0 ? [[`with ${plural(released, "prior-period adjustment")}`]] : []),
      ...asRole(d),
    ];
  },
  // accountant/decide-adjustment.ts: { decision, note, role, partner_id, delta_bbl, from_reconciliation_id, set, set_total_bbl }
  adjustment_approved: (d) => adjustmentDecision(d),
  adjustment_rejected: (d) => adjustmentDecision(d),
  // accountant/withdraw-receipt.ts: { note, role }
  receipt_withdrawn: (d) => {
    const note = text(d.note);
    return [...(note ? [[`Note ${quoted(note)}`]] : []), ...asRole(d)];
  },
  // accountant/statement-exceptions.ts: { reconciliation_id, version, integrity_hash, partner_id, text }
  statement_exception_raised: (d) => {
    const version = count(d.version);
    const said = text(d.text);
    return [...(version !== undefined ? [[`Against version ${version}`]] : []), ...(said ? [[`says ${quoted(said)}`]] : [])];
  },
  // accountant/statement-exceptions.ts: { reconciliation_id, version, integrity_hash, partner_id, outcome, answer, role }
  statement_exception_answered: (d) => {
    const outcome = text(d.outcome);
    const answer = text(d.answer);
    return [...(outcome ? [[`Answer: ${wordOf(OUTCOMES, outcome)}`]] : []), ...(answer ? [[quoted(answer)]] : []), ...asRole(d)];
  },
  // accountant/exception-correction.ts: { reconciliation_id, version, partner_id, corrected_in, corrected_in_version, corrected_in_status, corrected_in_integrity_hash, allocated_bbl_before, allocated_bbl_after, role }
  statement_exception_corrected: (d) => {
    const inId = text(d.corrected_in);
    const before = count(d.allocated_bbl_before);
    const after = count(d.allocated_bbl_after);
    const status = text(d.corrected_in_status);
    return [
      ...(inId
        ? [["Corrected in ", { statement: inId } as DetailPart, ...(status ? [` (${codeInWords(status).toLowerCase()})`] : [])]]
        : []),
      ...(before !== undefined && after !== undefined ? [[`allocated ${figure(before)} → ${figure(after)} bbl`]] : []),
      ...asRole(d),
    ];
  },
  // domain/api-key.ts apiKeyCreatedEvent: { key_id, prefix, partner_id, name, meter_ids, expires_at }
  api_key_created: (d) => {
    const meters = Array.isArray(d.meter_ids) ? ids(d.meter_ids) : undefined;
    const expires = text(d.expires_at);
    const prefix = text(d.prefix);
    return [
      [meters === undefined ? "Meters: all of the partner's" : `Meters: ${meters.length > 0 ? listed(meters) : "none"}`],
      [expires ? `expires ${time(expires)}` : "never expires"],
      ...(prefix ? [[`key starts ${prefix}…`]] : []),
    ];
  },
  // ingestion/api-keys.ts: { key_id, partner_id, prefix }
  api_key_revoked: (d) => {
    const prefix = text(d.prefix);
    return prefix ? [[`The key starting ${prefix}… no longer admits a ticket`]] : [];
  },
  // admin/set-jv-settings.ts: { changed, before, after, role }: the subject names the settings and their change.
  jv_settings_changed: (d) => asRole(d),
  // admin/set-partner.ts: { changed, before, after, role, created? }: each field changed, before → after.
  partner_set: (d) => {
    const before = fields(d.before);
    const after = fields(d.after);
    if (d.created === true) {
      const name = text(after.name);
      return [[`Added${name ? ` as ${quoted(name)}` : ""}, ${after.active === false ? "deactivated" : "active"}`], ...asRole(d)];
    }
    return [...ids(d.changed).map((field) => [partnerChange(field, before[field], after[field])]), ...asRole(d)];
  },
  // communicator/deliver.ts, flagged-round.ts: { trigger_event_id, recipients, created?, debounced?, recipients_truncated, … }
  notifications_sent: (d) => {
    const recipients = count(d.recipients);
    const created = count(d.created);
    return [
      ...(recipients !== undefined ? [[`To ${plural(recipients, "recipient")}`]] : []),
      ...(created !== undefined && created !== recipients ? [[`${created} written`]] : []),
      ...(d.debounced === true ? [["a repeat within the window (no new message)"]] : []),
      ...(d.recipients_truncated === true ? [["recipient list cut short"]] : []),
      ...(d.superseded === true ? [["superseded before all were written"]] : []),
    ];
  },
};

const fields = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const PARTNER_FIELDS: Readonly<Record<string, { label: string; value: (v: unknown) => string }>> = {
  name: { label: "Name", value: (v) => (text(v) ? quoted(text(v)!) : "none") },
  active: { label: "Status", value: (v) => (v === true ? "active" : v === false ? "inactive" : "none") },
  left_jv_on: { label: "Left the JV on", value: (v) => text(v) ?? "none" },
};

/** "Name: “Cobalt Ltd” → “Cobalt Energy plc”", "Left the JV on: none → 2026-10-15". */
function partnerChange(field: string, before: unknown, after: unknown): string {
  const known = Object.hasOwn(PARTNER_FIELDS, field) ? PARTNER_FIELDS[field] : undefined;
  const value = known?.value ?? ((v: unknown) => (v === null || v === undefined ? "none" : String(v)));
  return `${known?.label ?? codeInWords(field)}: ${value(before)} → ${value(after)}`;
}

function listed(items: string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(", ")} and ${items.length - 5} more` : items.join(", ");
}

function correction(d: Record<string, unknown>): DetailPhrase[] {
  const note = text(d.correction_note);
  const measured = text(d.measured_at);
  return [[note ? `Note ${quoted(note)}` : "No note"], ...(measured ? [[`measured ${time(measured)}`]] : [])];
}

function adjustmentDecision(d: Record<string, unknown>): DetailPhrase[] {
  const note = text(d.note);
  const set = Array.isArray(d.set) ? d.set.length : undefined;
  const total = count(d.set_total_bbl);
  return [
    ...(note ? [[`Note ${quoted(note)}`]] : []),
    ...(set !== undefined && set > 1
      ? [[`decided with its set of ${set}${total !== undefined ? `, ${signed(total)} bbl in all` : ""}`]]
      : []),
    ...asRole(d),
  ];
}

/** Fields never said: hashes, digests, event ids and schemes (kept for support in the stored event). */
const UNSAID = /(^|_)(hash|digest|scheme|event_id|key_id|reverts)$/;

/**
 * An action this file does not know: its scalar fields as "key: value" (keys in words), a
 * partner's id as the partner; objects and lists of objects left out, hashes never said.
 */
function unknownAction(d: Record<string, unknown>): DetailPhrase[] {
  const out: DetailPhrase[] = [];
  for (const [key, value] of Object.entries(d)) {
    if (UNSAID.test(key)) continue;
    const name = codeInWords(key).replace(/ id$/, "");
    if (key === "partner_id" && text(value)) out.push([`${name}: `, { partner: text(value)! }]);
    else if (typeof value === "string" && value.trim() !== "") out.push([`${name}: ${value.length > LONG ? quoted(value) : value}`]);
    else if (typeof value === "number" && Number.isFinite(value)) out.push([`${name}: ${value}`]);
    else if (typeof value === "boolean") out.push([`${name}: ${value ? "yes" : "no"}`]);
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" || typeof v === "number"))
      out.push([`${name}: ${listed(value.map(String))}`]);
  }
  return out;
}

/**
 * The phrases an event's details say, for its action: [] where they say nothing the row does not
 * already show (or there are none).
 */
export function auditEventDetails(action: string | undefined, details: Record<string, unknown> | null | undefined): DetailPhrase[] {
  if (!details || typeof details !== "object") return [];
  const writer = action && Object.hasOwn(WRITERS, action) ? WRITERS[action] : undefined;
  return (writer ?? unknownAction)(details).filter((p) => p.length > 0);
}

/**
 * An actor that is no account nor agent, known by its id: the seeding/bootstrap script that sets
 * the first administrator's role outside the app (`flowshare-bootstrap`). Undefined otherwise.
 */
export function scriptActor(actor: string | null | undefined): string | undefined {
  return actor && /(^|[-_])bootstrap$/.test(actor) ? "the set-up script (outside the app)" : undefined;
}

/** The phrases as plain text, references by `name` (for a title, and the unit tests). */
export function detailsText(
  phrases: readonly DetailPhrase[],
  name: (ref: Exclude<DetailPart, string>) => string = (ref) =>
    "partner" in ref ? ref.partner : "statement" in ref ? ref.statement : ref.person,
): string {
  return phrases.map((p) => p.map((part) => (typeof part === "string" ? part : name(part))).join("")).join(" · ");
}
