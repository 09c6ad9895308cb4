import { expect } from "chai";
import { auditEntry } from "../../src/agents/auditor/audit-entry";
import { composeAll, composeText } from "../../src/agents/communicator/compose";
import { reconciliationBrief } from "../../src/domain/notification-briefs";
import { directDeps, unusedDay } from "../support/communicator-world";
import { adminDb, uniqueId, withoutTriggers } from "../support/emulator";
import { entryData, seedPartner } from "../support/production-entries";
import { sampleReport } from "../support/sample-report";
import { fakeGemini } from "./setup";

describe("Gemini daily budgets (handlers called directly, on a day of their own)", () => {
  it("the auditor asks Gemini for a partner's flagged entries until the partner's budget is used up, then says why in the rules' text", async () => {
    const day = unusedDay();
    const deps = { ...directDeps(fakeGemini().url, { now: day }), geminiBudget: { perPartner: 2, perJv: 100 } };
    const partner = await seedPartner();
    const outcomes = await withoutTriggers(async () => {
      const results = [];
      for (let i = 0; i < 3; i++) {
        const id = uniqueId("budget-entry");
        // A flagged entry (BS&W above the typical 1 %), each on its own meter.
        const data = entryData(partner, { bsw_percent: 2.0, meter_id: `M-${i + 1}` });
        await adminDb().doc(`production_entries/${id}`).set(data);
        const before = fakeGemini().requests().length;
        const outcome = await auditEntry(deps, { entryId: id, eventId: uniqueId("event"), data });
        const audit = (await adminDb().doc(`production_entries/${id}`).get()).get("audit");
        results.push({ outcome, audit, asked: fakeGemini().requests().length - before });
      }
      return results;
    });
    expect(outcomes.map((o) => o.audit.status)).to.deep.equal(["flagged", "flagged", "flagged"]);
    expect(outcomes.map((o) => o.audit.explanation.source)).to.deep.equal(["gemini", "gemini", "rules"]);
    expect(outcomes.map((o) => o.asked)).to.deep.equal([1, 1, 0]);
    expect(outcomes[2].audit.explanation.gemini_error).to.equal("budget_exhausted");
    expect(outcomes[2].audit.explanation.text).to.contain(`today's Gemini budget for partner ${partner} (2 calls) is used up`);
    const dayId = day.toISOString().slice(0, 10);
    const partnerBudget = (await adminDb().doc(`llm_usage/${dayId}_budget_partner_${partner}`).get()).data()!;
    expect(partnerBudget).to.include({ scope: "partner", partner_id: partner, calls: 2, refused: 1, limit: 2 });
    expect((await adminDb().doc(`llm_usage/${dayId}_budget_jv`).get()).data()).to.include({ calls: 2, limit: 100 });
  });

  it("without a Gemini key neither agent takes a call from the budget: each says no_key, however small the budget", async () => {
    const day = unusedDay();
    const dayId = day.toISOString().slice(0, 10);
    const deps = { ...directDeps(fakeGemini().url, { now: day, apiKey: "" }), geminiBudget: { perPartner: 1, perJv: 1 } };
    const partner = await seedPartner();
    const errors = await withoutTriggers(async () => {
      const found: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const id = uniqueId("keyless-entry");
        const data = entryData(partner, { bsw_percent: 2.0, meter_id: `K-${i + 1}` });
        await adminDb().doc(`production_entries/${id}`).set(data);
        await auditEntry(deps, { entryId: id, eventId: uniqueId("event"), data });
        found.push((await adminDb().doc(`production_entries/${id}`).get()).get("audit.explanation.gemini_error"));
      }
      return found;
    });
    // With the budget taken first, the second would have read budget_exhausted: a cause that is not the JV's.
    expect(errors).to.deep.equal(["no_key", "no_key"]);
    const brief = reconciliationBrief(`${uniqueId("RCPT")}_v1`, sampleReport);
    const composed = await composeAll(deps, [brief, brief]);
    expect(composed.map((c) => c.fallback?.reason)).to.deep.equal(["no_key", "no_key"]);
    expect((await composeText(deps, brief)).fallback?.reason).to.equal("no_key");
    for (const scope of ["jv", `partner_${partner}`]) {
      expect((await adminDb().doc(`llm_usage/${dayId}_budget_${scope}`).get()).exists, scope).to.equal(false);
    }
  });

  it("the communicator uses the template once the JV's budget is used up, and says so", async () => {
    const day = unusedDay();
    const deps = { ...directDeps(fakeGemini().url, { now: day }), geminiBudget: { perPartner: 100, perJv: 1 } };
    const brief = reconciliationBrief(`${uniqueId("RCPT")}_v1`, sampleReport);
    const first = await composeText(deps, brief);
    const before = fakeGemini().requests().length;
    const second = await composeText(deps, brief);
    expect(first.source).to.equal("gemini");
    expect(second.source).to.equal("template");
    expect(fakeGemini().requests().length, "Gemini not asked past the budget").to.equal(before);
    expect(second.fallback).to.deep.equal({
      reason: "budget_exhausted",
      detail: "Gemini was not asked: today's Gemini budget for the joint venture (1 calls) is used up, so the standard text is shown.",
    });
    const jv = (
      await adminDb()
        .doc(`llm_usage/${day.toISOString().slice(0, 10)}_budget_jv`)
        .get()
    ).data()!;
    expect(jv).to.include({ calls: 1, refused: 1, limit: 1 });
  });

  it("the communicator takes a round's Gemini calls in one transaction, deciding them in the round's order", async () => {
    const day = unusedDay();
    const dayId = day.toISOString().slice(0, 10);
    let transactions = 0;
    const db = new Proxy(adminDb(), {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (property === "runTransaction") transactions += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const deps = { ...directDeps(fakeGemini().url, { now: day }), db, geminiBudget: { perPartner: 1, perJv: 3 } };
    const [a, b, c, d] = [uniqueId("budget-a"), uniqueId("budget-b"), uniqueId("budget-c"), uniqueId("budget-d")];
    await adminDb().doc(`llm_usage/${dayId}_budget_partner_${b}`).set({ day: dayId, scope: "partner", partner_id: b, limit: 1, calls: 1 });
    const brief = reconciliationBrief(`${uniqueId("RCPT")}_v1`, sampleReport);
    const decided = { reason: "coordinator_decision" as const, detail: "the coordinator's own words" };
    const round = [a, a, b, null, c, "template", null, d].map((budgetPartner) =>
      budgetPartner === "template" ? { ...brief, budgetPartner: a, templateOnly: decided } : { ...brief, budgetPartner },
    );
    const before = fakeGemini().requests().length;

    const composed = await composeAll(deps, round);

    expect(transactions).to.equal(1);
    expect(composed.map((t) => t.source)).to.deep.equal([
      "gemini",
      "template",
      "template",
      "gemini",
      "gemini",
      "template",
      "template",
      "template",
    ]);
    expect(composed[5].fallback).to.deep.equal(decided);
    expect(composed.map((t) => t.fallback?.detail.match(/budget for (.*) \(/)?.[1] ?? null)).to.deep.equal([
      null,
      `partner ${a}`,
      `partner ${b}`,
      null,
      null,
      null,
      "the joint venture",
      "the joint venture",
    ]);
    expect(fakeGemini().requests().length - before).to.equal(3);
    const budgetOf = async (id: string) => (await adminDb().doc(`llm_usage/${dayId}_budget_${id}`).get()).data()!;
    expect(await budgetOf("jv")).to.include({ scope: "jv", calls: 3, refused: 2, limit: 3 });
    // Refused on the JV's budget, d's own is neither counted nor refused.
    expect((await adminDb().doc(`llm_usage/${dayId}_budget_partner_${d}`).get()).exists).to.equal(false);
    expect(await budgetOf(`partner_${a}`)).to.include({ partner_id: a, calls: 1, refused: 1, limit: 1 });
    expect(await budgetOf(`partner_${b}`)).to.include({ partner_id: b, calls: 1, refused: 1 });
    const cBudget = await budgetOf(`partner_${c}`);
    expect(cBudget).to.include({ partner_id: c, calls: 1 });
    expect(cBudget.refused).to.equal(undefined);

    // A round whose texts are all the coordinator's own takes nothing.
    await composeAll(deps, [{ ...brief, budgetPartner: a, templateOnly: decided }]);
    expect(transactions).to.equal(1);
  });
});
