import { runTransaction } from "./transaction";
import { type DocumentReference, type Firestore, Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/** Gemini calls allowed per UTC day: per partner, and for the whole joint venture. */
export interface GeminiBudget {
  perPartner: number;
  perJv: number;
}

export type BudgetDecision = { ok: true } | { ok: false; scope: "partner" | "jv"; limit: number; words: string };

/** The decision for a call that is not made (no Gemini key): allowed, and nothing taken. */
export const NOT_ASKED: BudgetDecision = { ok: true };

/**
 * Takes one Gemini call out of today's budget, or says which budget is used up. The counts
 * live in `llm_usage/{day}_budget_jv` and `llm_usage/{day}_budget_partner_{id}` (calls taken,
 * calls refused, the limit), read by coordinators, admins and auditors like the usage itself.
 * One transaction per call (the auditor's, a flagged-entry round's): a burst of flagged entries
 * contends on the JV document, which is acceptable because each call it guards takes seconds of
 * Gemini time anyway. A round of several calls takes them with takeGeminiCalls.
 */
export async function takeGeminiCall(
  db: Firestore,
  budget: GeminiBudget | undefined,
  partnerId: string | null,
  now: Date,
): Promise<BudgetDecision> {
  return (await takeGeminiCalls(db, budget, [partnerId], now))[0];
}

/**
 * Takes the Gemini calls of one round (each for a partner, or null for the JV alone) in one
 * transaction, deciding them in order as one call after another would: a round's calls made
 * side by side would otherwise contend on the JV document with each other.
 */
export async function takeGeminiCalls(
  db: Firestore,
  budget: GeminiBudget | undefined,
  partnerIds: ReadonlyArray<string | null>,
  now: Date,
): Promise<BudgetDecision[]> {
  if (budget === undefined || partnerIds.length === 0) return partnerIds.map(() => ({ ok: true }));
  const day = now.toISOString().slice(0, 10);
  const refs: DocumentReference[] = [db.doc(`${COLLECTIONS.llmUsage}/${day}_budget_jv`)];
  const owners: string[] = [""];
  // By document path: ids that name one document (the SDK drops empty path segments) share its count.
  const slotOf = new Map<string, number>();
  const slots = partnerIds.map((id) => {
    if (id === null) return undefined;
    const ref = db.doc(`${COLLECTIONS.llmUsage}/${day}_budget_partner_${id}`);
    let slot = slotOf.get(ref.path);
    if (slot === undefined) {
      slot = refs.push(ref) - 1;
      owners.push(id);
      slotOf.set(ref.path, slot);
    }
    return slot;
  });
  return runTransaction(db, async (tx) => {
    const snaps = await tx.getAll(...refs);
    const counts = snaps.map((snap) => ({
      calls: Number(snap.get("calls") ?? 0),
      refused: Number(snap.get("refused") ?? 0),
      granted: 0,
      refusals: 0,
    }));
    const jv = counts[0];
    const decisions = partnerIds.map((partnerId, i): BudgetDecision => {
      const slot = slots[i];
      const partner = slot === undefined ? undefined : counts[slot];
      if (jv.calls + jv.granted >= budget.perJv) {
        jv.refusals += 1;
        return refusal("jv", budget.perJv, "the joint venture");
      }
      if (partner && partner.calls + partner.granted >= budget.perPartner) {
        partner.refusals += 1;
        return refusal("partner", budget.perPartner, `partner ${partnerId}`);
      }
      jv.granted += 1;
      if (partner) partner.granted += 1;
      return { ok: true };
    });
    const stamp = { day, updated_at: Timestamp.fromDate(now) };
    counts.forEach((count, i) => {
      if (count.granted === 0 && count.refusals === 0) return;
      const scope = i === 0 ? { scope: "jv", limit: budget.perJv } : { scope: "partner", partner_id: owners[i], limit: budget.perPartner };
      tx.set(
        refs[i],
        {
          ...stamp,
          ...scope,
          ...(count.granted > 0 ? { calls: count.calls + count.granted } : {}),
          ...(count.refusals > 0 ? { refused: count.refused + count.refusals } : {}),
        },
        { merge: true },
      );
    });
    return decisions;
  });
}

function refusal(scope: "partner" | "jv", limit: number, whose: string): BudgetDecision {
  return { ok: false, scope, limit, words: `today's Gemini budget for ${whose} (${limit} calls) is used up` };
}
