/**
 * A batch's tickets as entries: each ticket parsed to a candidate (or its issues), the write
 * planned against the closed days and the batch's own repeats, and the new entries created.
 */
import { runTransaction } from "../../shared/transaction";
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
  type WriteBatch,
} from "firebase-admin/firestore";
import {
  differingFigures,
  ISSUE_MESSAGE_MAX_LENGTH,
  MAX_ISSUES_PER_TICKET,
  parseMeterTicket,
  type FigureDifference,
  ticketEntryFields,
  ticketEntryId,
  ticketIdOf,
  type MeterTicket,
  wellFormedMeterId,
  type TicketIssue,
} from "../../domain/meter-ticket";
import { contractDayOf, type JvSettings } from "../../domain/jv-settings";
import { COLLECTIONS } from "../../shared/collections";
import { holdsSettings, JV_SETTINGS_PATH } from "../../shared/jv-settings";
import { AUDIT_CONFIG } from "../../domain/audit-config";
import { apiKeyRef, checkGatewayKey, sameGrant, type GatewayKey } from "./api-keys";
import { closedDayRefs } from "./closed-days";
import { completionFields } from "./idempotency-store";
import { isAlreadyExists } from "../../shared/firestore-errors";

export type TicketStatus = "created" | "duplicate" | "invalid";

export interface TicketResult {
  ticket_id: string | null;
  status: TicketStatus;
  entry_id?: string;
  issues?: TicketIssue[];
}

interface Candidate {
  index: number;
  ticket: MeterTicket;
  measuredAt: Date;
  /** Its contract day (settings/jv): the closed_days id it is checked against. */
  day: string;
  entryId: string;
}

export interface PreparedTickets {
  /** One per ticket, in ticket order; the invalid ones final already. */
  results: TicketResult[];
  candidates: Candidate[];
  /** What the contract days and the start date were taken from: the transaction that writes reads them again. */
  settings: JvSettings;
}

/**
 * What a ticket names outside the key's grant: another partner, or a meter outside a meter-scoped
 * key. A meter id that is no meter id (blank, a control character) is a fault of the ticket's
 * format, which its parse tells, not of the key's scope.
 */
export function scopeIssues(raw: unknown, key: GatewayKey): TicketIssue[] {
  if (typeof raw !== "object" || raw === null) return [];
  const { partner_id: partnerId } = raw as Record<string, unknown>;
  const meterId = wellFormedMeterId((raw as Record<string, unknown>).meter_id);
  const issues: TicketIssue[] = [];
  if (typeof partnerId === "string" && partnerId !== key.partnerId) {
    issues.push({
      path: "partner_id",
      code: "partner_not_allowed",
      message: cutText(`must be ${key.partnerId} or absent: this key reports for that partner only`),
    });
  }
  if (key.meterIds !== null && meterId !== undefined && !key.meterIds.includes(meterId)) {
    issues.push({
      path: "meter_id",
      code: "meter_not_allowed",
      message: meterScopeMessage(key.meterIds),
    });
  }
  return issues;
}

/**
 * What a ticket outside a meter-scoped key is told: the key's meters whole when they fit the
 * message's length, else their number and as many as fit. The message is repeated for each such
 * ticket, and a batch's stored response must stay well under 1 MiB.
 */
function meterScopeMessage(meterIds: readonly string[]): string {
  let listed = "";
  for (const id of meterIds) {
    listed = listed === "" ? id : `${listed}, ${id}`;
    if (listed.length > ISSUE_MESSAGE_MAX_LENGTH) break;
  }
  const whole = `must be one of ${listed}: this key reports for those meters only`;
  if ([...whole].length <= ISSUE_MESSAGE_MAX_LENGTH) return whole;
  return cutText(`must be one of the key's ${meterIds.length} meters (its record lists them all): ${listed}`);
}

/** Text cut at `max` characters, an issue's message by default (whole code points: no lone surrogate is stored). */
function cutText(text: string, max = ISSUE_MESSAGE_MAX_LENGTH): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}

/** Parses every ticket (no I/O): invalid ones get their issues, valid ones their entry id. */
export function prepareTickets(tickets: readonly unknown[], key: GatewayKey, now: Date, settings: JvSettings): PreparedTickets {
  const results: TicketResult[] = tickets.map((raw) => ({ ticket_id: ticketIdOf(raw), status: "invalid" }));
  const candidates: Candidate[] = [];
  tickets.forEach((raw, index) => {
    const parsed = parseMeterTicket(raw);
    const outOfScope = scopeIssues(raw, key);
    if (!parsed.ok || outOfScope.length > 0) {
      results[index].issues = [...outOfScope, ...(parsed.ok ? [] : parsed.issues)].slice(0, MAX_ISSUES_PER_TICKET);
      return;
    }
    // As the rules hold operators (measured_at <= request.time): production not measured yet is no entry.
    if (parsed.measuredAt.getTime() > now.getTime()) {
      results[index].issues = [
        {
          path: "measured_at",
          code: "in_future",
          message: cutText(
            `${parsed.measuredAt.toISOString()} is after the server's time ${now.toISOString()}: it has not been measured yet`,
          ),
        },
      ];
      return;
    }
    if (parsed.measuredAt.getTime() < AUDIT_CONFIG.measuredAtFloor.getTime()) {
      results[index].issues = [
        {
          path: "measured_at",
          code: "before_floor",
          message: `${parsed.measuredAt.toISOString()} is before ${AUDIT_CONFIG.measuredAtFloor.toISOString().slice(0, 10)}, the earliest time an entry may have (operators' too)`,
        },
      ];
      return;
    }
    const day = contractDayOf(parsed.measuredAt, settings);
    if (settings.jv_start_date !== null && day < settings.jv_start_date) {
      results[index].issues = [
        {
          path: "measured_at",
          code: "before_jv_start",
          message: `${parsed.measuredAt.toISOString()} falls in contract day ${day}, before the joint venture's start date ${settings.jv_start_date}`,
        },
      ];
      return;
    }
    candidates.push({
      index,
      ticket: parsed.ticket,
      measuredAt: parsed.measuredAt,
      day,
      entryId: ticketEntryId(key.partnerId, parsed.ticket.ticket_id),
    });
  });
  return { results, candidates, settings };
}

/** What a batch writes: every ticket's result so far (fresh objects) and the candidates to create. */
export interface WritePlan {
  results: TicketResult[];
  settings: JvSettings;
  toCreate: Candidate[];
  /** Tickets repeating an earlier one of the batch (`of`), answered as its duplicate. */
  repeats: Array<{ candidate: Candidate; of: Candidate }>;
}

/** Stored entries by id, as `storedOnClosedDays` reads them. */
export type StoredEntries = ReadonlyMap<string, Record<string, unknown>>;

/**
 * Settles what needs no write: a ticket repeating an earlier one of the batch is its duplicate
 * (whatever its day); a ticket on a closed day is invalid — unless its entry is stored already
 * (`stored`), then it is that entry's duplicate, as on an open day. `closed[i]` is candidate i's
 * day when that day is closed.
 */
export function planWrites(prepared: PreparedTickets, closed: ReadonlyArray<string | null>, stored: StoredEntries = new Map()): WritePlan {
  const results = prepared.results.map((r) => ({ ...r }));
  const toCreate: Candidate[] = [];
  const repeats: WritePlan["repeats"] = [];
  const claimed = new Map<string, Candidate>();
  prepared.candidates.forEach((candidate, i) => {
    const earlier = claimed.get(candidate.entryId);
    if (earlier !== undefined) {
      // Against the earlier copy for now: settleRepeats compares with the stored entry should that copy find one.
      markDuplicate(results, candidate, differenceFromStored(ticketEntryFields(earlier.ticket, "", ""), candidate, earlier.measuredAt));
      repeats.push({ candidate, of: earlier });
      return;
    }
    claimed.set(candidate.entryId, candidate);
    const day = closed[i] ?? null;
    if (day !== null) {
      const entry = stored.get(candidate.entryId);
      if (entry) markDuplicate(results, candidate, differenceFromStored(entry, candidate));
      else results[candidate.index].issues = [dayClosedIssue(day)];
      return;
    }
    toCreate.push(candidate);
  });
  settleRepeats(
    results,
    repeats.filter((r) => !toCreate.includes(r.of)),
    stored,
  );
  return { results, toCreate, repeats, settings: prepared.settings };
}

/**
 * The entries already stored for the candidates on closed days (`closed` as planWrites takes it),
 * read in `tx` or, outside one, directly: an entry is never deleted, so one found stays found.
 */
export async function storedOnClosedDays(
  db: Firestore,
  prepared: PreparedTickets,
  closed: ReadonlyArray<string | null>,
  tx?: Transaction,
): Promise<StoredEntries> {
  return storedEntries(
    db,
    prepared.candidates.filter((_, i) => (closed[i] ?? null) !== null),
    tx,
  );
}

async function storedEntries(db: Firestore, candidates: readonly Candidate[], tx?: Transaction): Promise<StoredEntries> {
  if (candidates.length === 0) return new Map();
  const refs = candidates.map((c) => entryRef(db, c));
  const snaps = tx ? await tx.getAll(...refs) : await db.getAll(...refs);
  return new Map(snaps.filter((snap) => snap.exists).map((snap) => [snap.id, snap.data()!]));
}

/**
 * The plan's entries created in `tx` (a transaction or a batch), whose commit also stores the
 * response: should one of them exist already, the commit fails with ALREADY_EXISTS
 * (`isAlreadyExists`) and nothing is written. Returns the results as they stand once the commit holds.
 */
export function createPlannedEntries(db: Firestore, tx: Transaction | WriteBatch, plan: WritePlan, key: GatewayKey): TicketResult[] {
  for (const c of plan.toCreate) tx.create(entryRef(db, c), entryFields(c, key));
  return resultsWhenCreated(plan);
}

const entryRef = (db: Firestore, c: Candidate) => db.doc(`${COLLECTIONS.productionEntries}/${c.entryId}`);

const entryFields = (c: Candidate, key: GatewayKey) => ({
  ...ticketEntryFields(c.ticket, key.partnerId, key.keyId),
  measured_at: Timestamp.fromDate(c.measuredAt),
  created_at: FieldValue.serverTimestamp(),
});

/** The plan's results with every candidate to create reported created. */
function resultsWhenCreated(plan: WritePlan): TicketResult[] {
  const creating = new Map(plan.toCreate.map((c) => [c.index, c.entryId]));
  return plan.results.map((r, i) => (creating.has(i) ? { ...r, status: "created" as const, entry_id: creating.get(i)! } : r));
}

/** How a ticket differs from the stored entry of its id: the figures it holds otherwise, and whether its note differs. */
function differenceFromStored(stored: Record<string, unknown>, candidate: Candidate, storedMeasuredAt?: Date): Difference {
  const measuredAt = storedMeasuredAt ?? (stored.measured_at instanceof Timestamp ? stored.measured_at.toDate() : undefined);
  return {
    figures: differingFigures(stored, candidate.ticket, candidate.measuredAt, measuredAt),
    note: stored.note !== ticketEntryFields(candidate.ticket, "", "").note,
  };
}

interface Difference {
  figures: FigureDifference[];
  note: boolean;
}

/**
 * A repeat answers as the ticket it repeats ended: the duplicate of the stored entry that one
 * found (compared with that entry, not with the earlier copy), or not written, for its reason.
 * A repeat of a ticket created in this batch stays the duplicate of that ticket.
 */
function settleRepeats(results: TicketResult[], repeats: WritePlan["repeats"], stored: StoredEntries): void {
  for (const { candidate, of } of repeats) {
    const first = results[of.index];
    const ticketId = results[candidate.index].ticket_id;
    if (first.status === "invalid") {
      results[candidate.index] = { ticket_id: ticketId, status: "invalid", ...(first.issues ? { issues: first.issues } : {}) };
      continue;
    }
    const entry = first.status === "duplicate" ? stored.get(of.entryId) : undefined;
    if (!entry) continue;
    results[candidate.index] = { ticket_id: ticketId, status: "duplicate" };
    markDuplicate(results, candidate, differenceFromStored(entry, candidate));
  }
}

const FIGURE_KEPT = "; the stored entry is kept (corrections go through a coordinator)";
/** Each value's share of a message that stays whole within ISSUE_MESSAGE_MAX_LENGTH: only a long meter id is cut. */
const FIGURE_VALUE_MAX_LENGTH = Math.floor((ISSUE_MESSAGE_MAX_LENGTH - "stored , this ticket ".length - FIGURE_KEPT.length) / 2);

function figureIssue(difference: FigureDifference): TicketIssue {
  const value = (text: string) => cutText(text, FIGURE_VALUE_MAX_LENGTH);
  return {
    path: difference.field,
    code: "differs_from_stored",
    message: `stored ${value(difference.stored)}, this ticket ${value(difference.sent)}${FIGURE_KEPT}`,
  };
}

const NOTE_DIFFERS: TicketIssue = {
  path: "note",
  code: "differs_from_stored",
  message: "this ticket_id was ingested before with another note; the stored entry keeps its note (a coordinator may correct it)",
};

function markDuplicate(results: TicketResult[], candidate: Candidate, difference: Difference): void {
  const result = results[candidate.index];
  result.status = "duplicate";
  result.entry_id = candidate.entryId;
  const issues = difference.figures.map(figureIssue);
  if (difference.note) issues.push({ ...NOTE_DIFFERS });
  if (issues.length > 0) result.issues = issues.slice(0, MAX_ISSUES_PER_TICKET);
}

/**
 * Writes the plan's entries, settling every result in `plan.results`. New tickets cost one
 * transaction that reads their closed days again (a day may have closed since the plan was made:
 * the read serialises with the close) and creates the rest. When one of them exists already
 * (ALREADY_EXISTS: nothing of it was written), the existing ones are read and reported as
 * duplicates and the rest go in a second transaction; should that race too, one each. With
 * `completion`, the idempotency record's response goes into the first or the second transaction:
 * true when it held, so that entries and stored response landed together. Each transaction reads the key
 * again: once it is revoked, expired or its grant changed, the tickets not yet written are
 * reported invalid with the reason and none of them is written (a ticket stored already stays its duplicate).
 */
export async function writeTickets(
  db: Firestore,
  plan: WritePlan,
  key: GatewayKey,
  now: Date,
  completion?: { ref: DocumentReference; now: Date },
): Promise<boolean> {
  const { toCreate: candidates, results } = plan;
  if (candidates.length === 0) return false;
  const refOf = (c: Candidate) => entryRef(db, c);
  /** Creates `batchOf` but for the tickets on a day closed now; false when one of them exists already. */
  const commitAll = async (batchOf: readonly Candidate[], storeResponse: boolean): Promise<boolean> => {
    let settled: TicketResult[];
    try {
      settled = await runTransaction(db, async (tx) => {
        const refs = closedDayRefs(
          db,
          batchOf.map((c) => c.day),
        );
        const [keySnap, partnerSnap, settingsSnap, ...daySnaps] = await tx.getAll(
          apiKeyRef(db, key.sha256),
          db.doc(`${COLLECTIONS.partners}/${key.partnerId}`),
          db.doc(JV_SETTINGS_PATH),
          ...refs,
        );
        const refusal =
          keyRefusal(checkGatewayKey(keySnap, key.sha256, now), key) ??
          partnerRefusal(partnerSnap.get("active"), key) ??
          settingsRefusal(settingsSnap, plan.settings);
        if (refusal) {
          // Only the tickets not written yet are refused: the first commit's batch still holds those
          // stored already (they are found only after an ALREADY_EXISTS), and so may a later one's, raced.
          const stored = await storedEntries(db, batchOf, tx);
          const after = results.map((r) => ({ ...r }));
          for (const c of batchOf) {
            const entry = stored.get(c.entryId);
            if (entry) markDuplicate(after, c, differenceFromStored(entry, c));
            else after[c.index] = { ticket_id: after[c.index].ticket_id, status: "invalid", issues: [refusal] };
          }
          settleRepeats(
            after,
            plan.repeats.filter((r) => batchOf.includes(r.of)),
            stored,
          );
          if (storeResponse && completion) {
            tx.update(completion.ref, completionFields({ status: 200, body: { results: after } }, completion.now));
          }
          return after;
        }
        const closed = new Set(daySnaps.filter((d) => d.exists).map((d) => d.id));
        const stored = await storedEntries(
          db,
          batchOf.filter((c) => closed.has(c.day)),
          tx,
        );
        const after = settle(results, batchOf, closed, stored);
        settleRepeats(
          after,
          plan.repeats.filter((r) => batchOf.includes(r.of)),
          stored,
        );
        for (const c of batchOf) if (!closed.has(c.day)) tx.create(refOf(c), entryFields(c, key));
        if (storeResponse && completion) {
          tx.update(completion.ref, completionFields({ status: 200, body: { results: after } }, completion.now));
        }
        return after;
      });
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
    for (const c of batchOf) results[c.index] = settled[c.index];
    for (const r of plan.repeats) if (batchOf.includes(r.of)) results[r.candidate.index] = settled[r.candidate.index];
    return true;
  };
  if (await commitAll(candidates, true)) return completion !== undefined;

  const found = new Map<string, Record<string, unknown>>();
  const snaps = await db.getAll(...candidates.map(refOf));
  const fresh: Candidate[] = [];
  candidates.forEach((c, i) => {
    if (!snaps[i].exists) {
      fresh.push(c);
      return;
    }
    found.set(c.entryId, snaps[i].data() ?? {});
    markDuplicate(results, c, differenceFromStored(found.get(c.entryId)!, c));
  });
  const settleFound = () =>
    settleRepeats(
      results,
      plan.repeats.filter((r) => found.has(r.of.entryId)),
      found,
    );
  // Every other ticket is settled now, so the second commit stores the whole response with its
  // entries: a retry after a failure later on then replays "created" for them, not "duplicate".
  settleFound();
  if (fresh.length === 0) return false;
  if (await commitAll(fresh, true)) return completion !== undefined;
  await Promise.all(
    fresh.map(async (c) => {
      if (await commitAll([c], false)) return;
      found.set(c.entryId, (await refOf(c).get()).data() ?? {});
      markDuplicate(results, c, differenceFromStored(found.get(c.entryId)!, c));
    }),
  );
  settleFound();
  return false;
}

/** The partner deactivated (or removed) since the batch was admitted: as the rules refuse its operators then, its gateway is refused. */
function partnerRefusal(active: unknown, key: GatewayKey): TicketIssue | undefined {
  if (active === true) return undefined;
  return {
    path: "",
    code: "partner_inactive",
    message: cutText(
      `Partner ${key.partnerId} was deactivated during this request: its gateways may not report production. Tickets not written before it are not written.`,
    ),
  };
}

/** Why the key as read again no longer writes this batch's tickets (as the batch's first read found it, it did). */
function keyRefusal(found: ReturnType<typeof checkGatewayKey>, key: GatewayKey): TicketIssue | undefined {
  if (!found.ok) return { path: "", code: found.code, message: cutText(`${found.message} Tickets not written before it are not written.`) };
  if (!sameGrant(found.key, key)) {
    return {
      path: "",
      code: "grant_changed",
      message:
        "The API key's partner or meters changed during this request; send the ticket again under a new Idempotency-Key (this answer is stored for this one).",
    };
  }
  return undefined;
}

/** The JV's contract day or start date changed since the tickets were checked against them: as the rules would, at an operator's commit. */
function settingsRefusal(snap: DocumentSnapshot, settings: JvSettings): TicketIssue | undefined {
  if (holdsSettings(snap, settings)) return undefined;
  return {
    path: "",
    code: "settings_changed",
    message:
      "The JV's contract day (start hour, UTC offset) or start date changed during this request; send the ticket again under a new Idempotency-Key (this answer is stored for this one).",
  };
}

/**
 * `results` as they stand once `batchOf` is written: created, or, where its day is in `closed`, the
 * duplicate of its stored entry or invalid.
 */
function settle(
  results: readonly TicketResult[],
  batchOf: readonly Candidate[],
  closed: ReadonlySet<string>,
  stored: StoredEntries,
): TicketResult[] {
  const after = results.map((r) => ({ ...r }));
  for (const c of batchOf) {
    const entry = stored.get(c.entryId);
    if (!closed.has(c.day)) after[c.index] = { ...after[c.index], status: "created", entry_id: c.entryId };
    else if (entry) markDuplicate(after, c, differenceFromStored(entry, c));
    else after[c.index] = { ticket_id: after[c.index].ticket_id, status: "invalid", issues: [dayClosedIssue(c.day)] };
  }
  return after;
}

function dayClosedIssue(day: string): TicketIssue {
  return {
    path: "measured_at",
    code: "day_closed",
    message: `contract day ${day} is closed (reconciled); late data goes to a coordinator, not through the gateway`,
  };
}
