import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/** Gemini calls allowed per UTC day: per partner, and for the whole joint venture. */
export interface GeminiBudget {
  perPartner: number;
  perJv: number;
}

export type BudgetDecision = { ok: true } | { ok: false; scope: "partner" | "jv"; limit: number; words: string };

/**
 * Takes one Gemini call out of today's budget, or says which budget is used up. The counts
 * live in `llm_usage/{day}_budget_jv` and `llm_usage/{day}_budget_partner_{id}` (calls taken,
 * calls refused, the limit), read by coordinators, admins and auditors like the usage itself.
 * One transaction per call: a burst of flagged entries contends on the JV document, which is
 * acceptable because each call it guards takes seconds of Gemini time anyway.
 */
export async function takeGeminiCall(
  db: Firestore,
  budget: GeminiBudget | undefined,
  partnerId: string | null,
  now: Date,
): Promise<BudgetDecision> {
  if (budget === undefined) return { ok: true };
  const day = now.toISOString().slice(0, 10);
  const jvRef = db.doc(`${COLLECTIONS.llmUsage}/${day}_budget_jv`);
  const partnerRef = partnerId === null ? null : db.doc(`${COLLECTIONS.llmUsage}/${day}_budget_partner_${partnerId}`);
  return db.runTransaction(async (tx) => {
    const [jv, partner] = await Promise.all([tx.get(jvRef), partnerRef ? tx.get(partnerRef) : Promise.resolve(undefined)]);
    const jvCalls = Number(jv.get("calls") ?? 0);
    const partnerCalls = Number(partner?.get("calls") ?? 0);
    const stamp = { day, updated_at: Timestamp.fromDate(now) };
    const refuse = (scope: "partner" | "jv", limit: number): BudgetDecision => {
      const ref = scope === "jv" ? jvRef : partnerRef!;
      const snap = scope === "jv" ? jv : partner!;
      tx.set(
        ref,
        {
          ...stamp,
          scope,
          ...(scope === "partner" ? { partner_id: partnerId } : {}),
          limit,
          refused: Number(snap.get("refused") ?? 0) + 1,
        },
        { merge: true },
      );
      const whose = scope === "jv" ? "the joint venture" : `partner ${partnerId}`;
      return { ok: false, scope, limit, words: `today's Gemini budget for ${whose} (${limit} calls) is used up` };
    };
    if (jvCalls >= budget.perJv) return refuse("jv", budget.perJv);
    if (partnerRef && partnerCalls >= budget.perPartner) return refuse("partner", budget.perPartner);
    tx.set(jvRef, { ...stamp, scope: "jv", limit: budget.perJv, calls: jvCalls + 1 }, { merge: true });
    if (partnerRef)
      tx.set(
        partnerRef,
        { ...stamp, scope: "partner", partner_id: partnerId, limit: budget.perPartner, calls: partnerCalls + 1 },
        { merge: true },
      );
    return { ok: true };
  });
}
