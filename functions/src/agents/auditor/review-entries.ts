/**
 * reviewEntries: a coordinator's (or admin's) one decision over up to 100 flagged entries, with
 * one note saying why (required for both decisions: a decision over many must say why). It is
 * the remedy for a flood of flagged entries, whoever made it (a hostile field operator, a
 * gateway glitch): reconcile refuses a period while one of them lacks a review, and reviewEntry
 * decides one entry per call under the per-user rate limit. One call counts once against it.
 *
 * Each entry is decided exactly as reviewEntry decides it ({@link decideEntry}), in its own
 * transaction: an entry refused or failed never half-writes another, and each decided entry gets
 * its own `entry_reviewed` event in its partner's stream, whose details add
 * `bulk: {call, count, partner_count}` (a random id of the call, shared by its events, how many
 * entries it named, refused ones included, and how many of them are the entry's partner's). The
 * entry's review keeps the call and the partner's count, not the call's whole count: the partner's
 * operators read the entry, and other partners' entries are not theirs to count. The operators
 * are told of the call once. The answer lists every entry in the order given: `decided`,
 * `unchanged` (it carries this decision and note already), or `refused` with reviewEntry's
 * refusal (`code`, and its message as `reason`).
 *
 * `input_hashes` (optional, by entry id): each entry's `audit.input_hash` as the queue showed it;
 * an entry audited again on other figures since is refused, as reviewEntry refuses it, so a
 * decision never applies to figures the reviewer did not see (the web app always sends them). An
 * entry named without one is decided on its audit as it stands when its transaction runs. An
 * entry edited and audited again afterwards drops the review, as after reviewEntry, and is back
 * in the queue if flagged again.
 *
 * A failure that is not a refusal (a Firestore outage, a bug) does not fail the call: the
 * entries decided before it stay decided and the caller must learn which. It is logged with its
 * stack (toHttpsError, as the callable pipeline logs it) and the entry is `refused` with the
 * pipeline's generic words and code: `aborted` (contention: call again) or `internal` (with a
 * correlation id to find in the logs).
 *
 * Concurrency: every decision appends to its partner's audit-log chain head, so entries of one
 * partner are decided one after another (concurrent transactions there would only contend) and
 * up to IN_FLIGHT partners at once. A flood from one partner is 100 transactions in a row: 16.6 s
 * in the emulators on a shared 2-core machine (test/emulator/review-bulk.test.ts), inside the
 * callable's 60 s; not measured deployed.
 */
import { randomUUID } from "node:crypto";
import { type Firestore } from "firebase-admin/firestore";
import { logger } from "firebase-functions/logger";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import { type AgentDeps } from "../../shared/agent-deps";
import { toHttpsError } from "../../shared/callable";
import { type Caller } from "../../shared/callable-guard";
import { entryAuditStream, entryPath } from "../../shared/entry-stream";
import { mapLimited } from "../../shared/map-limited";
import {
  decideEntry,
  inputHashSchema,
  reviewDecisionSchema,
  reviewedEntryIdSchema,
  reviewNoteSchema,
  type EntryDecision,
} from "./review-entry";

export const BULK_REVIEW_MAX_ENTRIES = 100;
/** Partners' entries decided at once (each partner's one after another). */
const IN_FLIGHT = 10;
const NAME = "reviewEntries";

export const bulkReviewInputSchema = z
  .object({
    // The count is checked before the ids: an oversized list gets one issue, not one per id.
    entry_ids: z
      .array(z.unknown())
      .min(1, "must name at least one entry")
      .max(BULK_REVIEW_MAX_ENTRIES, `must name at most ${BULK_REVIEW_MAX_ENTRIES} entries: decide the others in another call`)
      .pipe(z.array(reviewedEntryIdSchema)),
    decision: reviewDecisionSchema,
    note: reviewNoteSchema.min(1, "a note is required: say why these entries are approved or rejected"),
    // The count before the hashes, as for the ids: a map of thousands gets one issue.
    input_hashes: z
      .record(z.string(), z.unknown())
      .refine((hashes) => Object.keys(hashes).length <= BULK_REVIEW_MAX_ENTRIES, `must name at most ${BULK_REVIEW_MAX_ENTRIES} entries`)
      .pipe(z.record(z.string(), inputHashSchema))
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const named = new Set(input.entry_ids);
    const shown = Object.keys(input.input_hashes ?? {});
    // Past the bound the count's own issue says it all.
    for (const id of shown.length <= BULK_REVIEW_MAX_ENTRIES ? shown : []) {
      if (!named.has(id)) ctx.addIssue({ code: "custom", path: ["input_hashes", id], message: "names an entry that entry_ids does not" });
    }
    const first = new Map<string, number>();
    input.entry_ids.forEach((id, i) => {
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["entry_ids", i],
          message: `${JSON.stringify(id)} is item ${earlier + 1} already: name each entry once`,
        });
    });
  });
export type BulkReviewInput = z.output<typeof bulkReviewInputSchema>;

export interface BulkEntryResult {
  entry_id: string;
  status: "decided" | "unchanged" | "refused";
  /** A refusal's HttpsError code: `not-found`, `failed-precondition`; `aborted` or `internal` when the server failed. */
  code?: string;
  /** A refusal's message, as reviewEntry would have answered it. */
  reason?: string;
}

export interface BulkReviewResult {
  decision: BulkReviewInput["decision"];
  /** One per entry named, in the order named. */
  results: BulkEntryResult[];
  counts: Record<BulkEntryResult["status"], number>;
}

type Deps = Pick<AgentDeps, "db" | "clock">;

export async function reviewEntries(deps: Deps, input: BulkReviewInput, caller: Caller): Promise<BulkReviewResult> {
  const call = { call: randomUUID(), count: input.entry_ids.length };
  const settled = new Map<string, BulkEntryResult>();
  await mapLimited(await byChain(deps.db, input.entry_ids), IN_FLIGHT, async (entryIds) => {
    const bulk = { ...call, partner_count: entryIds.length };
    for (const entryId of entryIds) {
      const inputHash = input.input_hashes?.[entryId];
      settled.set(
        entryId,
        await decideOne(
          deps,
          { entry_id: entryId, decision: input.decision, note: input.note, bulk, ...(inputHash ? { input_hash: inputHash } : {}) },
          caller,
        ),
      );
    }
  });
  const results = input.entry_ids.map((entryId) => settled.get(entryId)!);
  const counts = { decided: 0, unchanged: 0, refused: 0 };
  for (const result of results) counts[result.status] += 1;
  logger.info(`${NAME}: ${input.decision}`, { fn: NAME, uid: caller.uid, call: call.call, ...counts });
  return { decision: input.decision, results, counts };
}

async function decideOne(deps: Deps, decision: EntryDecision, caller: Caller): Promise<BulkEntryResult> {
  const { entry_id } = decision;
  try {
    return { entry_id, status: await decideEntry(deps, decision, caller) };
  } catch (error) {
    const refusal =
      error instanceof HttpsError
        ? error
        : toHttpsError(error, { fn: NAME, uid: caller.uid, ids: { entry_id, call: decision.bulk?.call } });
    return { entry_id, status: "refused", code: refusal.code, reason: refusal.message };
  }
}

/**
 * The ids in queues, one per audit-log chain (the entry's partner; a missing entry alone): a
 * queue is decided in order, the queues side by side. Only the order of the work: each
 * transaction reads its entry again.
 */
async function byChain(db: Firestore, entryIds: readonly string[]): Promise<string[][]> {
  const snaps = await db.getAll(...entryIds.map((id) => db.doc(entryPath(id))), { fieldMask: ["partner_id"] });
  const queues = new Map<string, string[]>();
  for (const snap of snaps) {
    const key = snap.exists ? entryAuditStream(snap.get("partner_id")) : `missing/${snap.id}`;
    queues.set(key, [...(queues.get(key) ?? []), snap.id]);
  }
  return [...queues.values()];
}
