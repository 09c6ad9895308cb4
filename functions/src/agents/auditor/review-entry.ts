/**
 * reviewEntry: a coordinator's (or admin's) decision on a flagged entry. Approving needs a
 * note saying what was confirmed; rejecting may carry one. The decision is stored as
 * `review`, moves the entry into or out of the statistics history
 * (`audit.history_eligible`) and is appended to the partner's audit-log stream.
 *
 * A decision that names the audit it was made on (`input_hash`) is refused when the entry has
 * been edited and audited again since: the reviewer decided on figures that are no longer there.
 *
 * A reviewed entry may be reviewed again to change the decision or the note; each change
 * is a new revision with its own audit-log event. Sending the current decision and note
 * again (a double click, a retried request) changes nothing and logs nothing.
 */
import { runTransaction } from "../../shared/transaction";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import { auditInputHash, NOTE_MAX_LENGTH } from "../../domain/production-entry";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { readJvSettings } from "../../shared/jv-settings";
import { entryDays, prepareStaleMarks, writeStaleMarks } from "../../shared/stale-marks";
import { entryAuditStream, entryPath } from "../../shared/entry-stream";
import { BOUNDED_ID_RULE, isBoundedId } from "../../domain/bounded-id";
import { typedNote } from "../../domain/typed-text";

export const REVIEWER_ROLES = ["jv_coordinator", "admin"] as const;

/** An entry's id as a reviewer names it; reviewEntries takes a list of them. */
export const reviewedEntryIdSchema = z.string().trim().min(1, "must not be empty").refine(isBoundedId, `must be ${BOUNDED_ID_RULE}`);
export const reviewDecisionSchema = z.enum(["approved", "rejected"]);
/** A decision's note, trimmed; whether one is required is each callable's rule. */
export const reviewNoteSchema = typedNote(NOTE_MAX_LENGTH);

/** An audit's input hash as a reviewer read it. */
export const inputHashSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be the audit's sha256 (64 lowercase hex digits)");

export const reviewInputSchema = z
  .object({
    entry_id: reviewedEntryIdSchema,
    decision: reviewDecisionSchema,
    note: reviewNoteSchema.optional(),
    /** `audit.input_hash` of the verdict the reviewer read: a decision is never applied to another. */
    input_hash: inputHashSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.decision === "approved" && !input.note) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "a note is required to approve: say what was confirmed" });
    }
  });
export type ReviewInput = z.output<typeof reviewInputSchema>;

export interface ReviewResult {
  entry_id: string;
  decision: ReviewInput["decision"];
}

interface StoredReview {
  decision?: unknown;
  by?: unknown;
  at?: unknown;
  note?: unknown;
  input_hash?: unknown;
  revision?: unknown;
}

type Deps = Pick<AgentDeps, "db" | "clock">;

/** One decision on one entry, as reviewEntry and reviewEntries both hand it to {@link decideEntry}. */
export interface EntryDecision {
  entry_id: string;
  decision: ReviewInput["decision"];
  /** Trimmed; "" for none. */
  note: string;
  /** The audit the reviewer read (reviewEntry only): refused when the entry has another now. */
  input_hash?: string;
  /**
   * The bulk decision this one is part of, recorded in its audit-log event's details and on the
   * review: `partner_count` of its entries are the entry's partner's, whose operators hear of the
   * call once (notify.ts), not once an entry.
   */
  bulk?: { call: string; count: number; partner_count: number };
}

/**
 * What a decision did: `decided` wrote a new revision (and its audit-log event), `unchanged`
 * found the entry carrying this decision and note on its current audit already and wrote nothing.
 */
export type DecisionOutcome = "decided" | "unchanged";

export async function reviewEntry(deps: Deps, input: ReviewInput, caller: Caller): Promise<ReviewResult> {
  await decideEntry(
    deps,
    { entry_id: input.entry_id, decision: input.decision, note: input.note ?? "", input_hash: input.input_hash },
    caller,
  );
  return { entry_id: input.entry_id, decision: input.decision };
}

/**
 * The one per-entry path of a review, in its own transaction: refuses (an HttpsError) an entry
 * that is missing, not audited yet, being audited again, audited again since `input_hash`, or not
 * flagged; else stores the decision, moves the entry into or out of the history and appends the
 * `entry_reviewed` event to the partner's stream.
 */
export async function decideEntry(deps: Deps, input: EntryDecision, caller: Caller): Promise<DecisionOutcome> {
  const { note } = input;
  const { db } = deps;
  const ref = db.doc(entryPath(input.entry_id));

  return runTransaction(db, async (tx): Promise<DecisionOutcome> => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new HttpsError("not-found", `Production entry ${input.entry_id} does not exist.`);
    const data = snap.data() ?? {};
    const audit = data.audit as { status?: unknown; input_hash?: unknown; recheck?: unknown } | undefined;
    const inputHash = auditInputHash(data);
    if (audit === undefined) {
      throw new HttpsError("failed-precondition", `Entry ${input.entry_id} has not been audited yet; try again in a few seconds.`, {
        status: "pending",
      });
    }
    if (audit.input_hash !== inputHash) {
      throw new HttpsError(
        "failed-precondition",
        `Entry ${input.entry_id} was edited and is being audited again; review it once the new verdict is in.`,
        { status: "pending" },
      );
    }
    if (audit.recheck !== undefined) {
      // A decision now would sit beside a verdict about to be replaced (audit-entry.ts keeps a review of the same figures).
      throw new HttpsError(
        "failed-precondition",
        `Entry ${input.entry_id} is being audited again (an entry it duplicated was corrected away); review it once the new verdict is in.`,
        { status: "pending" },
      );
    }
    if (input.input_hash !== undefined && input.input_hash !== inputHash) {
      throw new HttpsError(
        "failed-precondition",
        `Entry ${input.entry_id} was edited and audited again since you read it; review the new verdict.`,
        { status: "changed" },
      );
    }
    if (audit.status !== "flagged") {
      throw new HttpsError(
        "failed-precondition",
        `Entry ${input.entry_id} is ${String(audit.status)}, not flagged: only flagged entries are reviewed.`,
        { status: audit.status },
      );
    }

    const previous = data.review as StoredReview | undefined;
    const current = previous !== undefined && previous.input_hash === inputHash ? previous : undefined;
    if (current?.decision === input.decision && current.note === note) return "unchanged";
    const revision = (typeof current?.revision === "number" ? current.revision : 0) + 1;

    const settings = await readJvSettings(db, tx);
    const now = deps.clock.now();
    const stalePlan = await prepareStaleMarks(db, tx, entryDays(settings, data), [input.entry_id], { now });
    // The revision starts again at 1 when a correction dropped the review and a later one restored
    // the figures: the decision's time keeps that decision's event apart from the first one's.
    const prepared = await prepareAuditAppend(db, tx, {
      eventId: `review_${input.entry_id}_${inputHash.slice(0, 16)}_r${revision}_${now.getTime()}`,
      stream: entryAuditStream(data.partner_id),
      actor: caller.uid,
      action: "entry_reviewed",
      subject: ref.path,
      details: {
        decision: input.decision,
        note,
        role: caller.role,
        input_hash: inputHash,
        revision,
        previous_decision: typeof current?.decision === "string" ? current.decision : null,
        ...(input.bulk ? { bulk: input.bulk } : {}),
      },
    });
    tx.update(ref, {
      review: {
        decision: input.decision,
        by: caller.uid,
        by_role: caller.role,
        at: Timestamp.fromDate(now),
        note,
        input_hash: inputHash,
        revision,
        // The call's count of all partners' entries stays in the audit log (auditors): the partner's operators read the entry.
        ...(input.bulk ? { bulk: { call: input.bulk.call, partner_count: input.bulk.partner_count } } : {}),
        // The decision this one replaces on the same figures, for those who read the entry but not
        // the audit log (coordinators); every earlier one is in the entry's audit-log chain.
        previous: current
          ? {
              decision: current.decision ?? null,
              by: current.by ?? null,
              at: current.at ?? null,
              note: current.note ?? null,
              revision: current.revision ?? null,
            }
          : null,
      },
      "audit.history_eligible": input.decision === "approved",
      "audit.awaiting_review": false,
      changed_at: FieldValue.serverTimestamp(),
    });
    writeStaleMarks(tx, stalePlan, now);
    writeAuditAppend(db, tx, prepared, now);
    return "decided";
  });
}
