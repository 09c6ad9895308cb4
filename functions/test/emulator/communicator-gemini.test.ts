import { expect } from "chai";
import { notifyReconciliation } from "../../src/agents/communicator/notify";
import { reconciliationNotificationId as notificationId } from "../../src/domain/notification-ids";
import { allocationStatementForPartner, reconciliationSummaryForCoordinator } from "../../src/domain/notification-templates";
import { readShardedTotals } from "../../src/shared/sharded-counter";
import {
  directDeps,
  reconciliationData,
  reportOf,
  seedUsers,
  unusedDay,
  user,
  validatedEntry,
  waitForNotifications,
} from "../support/communicator-world";
import { adminDb, uniqueId } from "../support/emulator";
import type { FakeBehaviour } from "../support/fake-gemini";
import { fakeGemini } from "./setup";

interface Markers {
  whole: string;
  alpha: string;
  beta: string;
}

/** A fresh reconciliation round (one coordinator, one user per partner) and the scripts it meets. */
function freshRound() {
  const alpha = uniqueId("alpha");
  const beta = uniqueId("beta");
  const receiptId = uniqueId("RCPT");
  const reconciliationId = `${receiptId}_v1`;
  const users = { whole: user("jv_coordinator"), alpha: user("jv_partner", alpha), beta: user("field_operator", beta) };
  const markers: Markers = {
    whole: `reconciliation_completed for ${reconciliationId}`,
    alpha: `allocation_statement for ${alpha} in ${reconciliationId}`,
    beta: `allocation_statement for ${beta} in ${reconciliationId}`,
  };
  const data = reconciliationData(receiptId, { alpha, beta });
  const report = reportOf(data);
  return {
    alpha,
    beta,
    reconciliationId,
    users,
    markers,
    data,
    templates: {
      whole: reconciliationSummaryForCoordinator(report),
      alpha: allocationStatementForPartner(report, alpha),
      beta: allocationStatementForPartner(report, beta),
    },
    ids: [users.whole, users.alpha, users.beta].map((u) => notificationId(reconciliationId, u.uid)),
    requests: (marker: string) =>
      fakeGemini()
        .requests()
        .filter((r) => r.prompt.includes(marker)),
  };
}

/** Runs a round through the trigger and returns each audience's notification of this round. */
async function throughTrigger(script: (m: Markers) => FakeBehaviour[], alphaName?: string) {
  const round = freshRound();
  if (alphaName) {
    const allocations = round.data.allocations as Array<Record<string, unknown>>;
    round.data.allocations = allocations.map((a) => (a.partner_id === round.alpha ? { ...a, partner_name: alphaName } : a));
  }
  await seedUsers(Object.values(round.users));
  fakeGemini().script(...script(round.markers));
  await adminDb().doc(`reconciliations/${round.reconciliationId}`).set(round.data);
  const notes = await waitForNotifications(round.ids);
  const [whole, alpha, beta] = round.ids.map((id) => notes.get(id)!.data()!);
  return { ...round, notes: { whole, alpha, beta } };
}

const good = {
  title: "Reconciliation completed: 10,112.74 bbl allocated",
  body: "The terminal NSV of 10,112.74 bbl was allocated with a shrinkage of 108.01 bbl (1.06%).",
  highlights: ["Terminal NSV 10,112.74 bbl"],
};

describe("communicator: Gemini writes, the report decides", () => {
  // Behaviours another test file queued without `when` and left unconsumed must not answer ours.
  before(() => fakeGemini().reset());

  it("stores a good answer as Gemini's, with the model that wrote it", async () => {
    const round = await throughTrigger((m) => [{ kind: "json", value: good, when: m.whole }]);

    expect(round.notes.whole).to.deep.include({ ...good, summary_source: "gemini", model: round.requests(round.markers.whole)[0].model });
    expect(round.notes.whole.data).to.not.have.property("summary_fallback");
  });

  it("falls back to the template when Gemini writes a figure that is not in the report", async () => {
    const invented = { ...good, body: `${good.body} Next month: 987,654.32 bbl.` };
    const round = await throughTrigger((m) => [{ kind: "json", value: invented, when: m.whole }]);

    expect(round.notes.whole).to.deep.include({ ...round.templates.whole, summary_source: "template" });
    expect(round.notes.whole).to.not.have.property("model");
    expect(round.notes.whole.data.summary_fallback).to.deep.equal({
      reason: "figures_not_in_report",
      detail: "Gemini's text held figures that are not the report's own, so the standard text is shown.",
    });
    expect(round.notes.alpha.summary_source, "another audience of the round").to.equal("gemini");
  });

  it("falls back for a partner whose statement quotes another partner's figure", async () => {
    const round = await throughTrigger((m) => [
      {
        kind: "json",
        value: { title: "Your allocation", body: "You got 6,035.78 bbl; the other partner got 4,076.96 bbl.", highlights: [] },
        when: m.alpha,
      },
    ]);

    expect(round.notes.alpha).to.deep.include({ ...round.templates.alpha, summary_source: "template" });
    expect(round.notes.alpha.data.summary_fallback.detail).to.equal(
      "Gemini's text held figures that are not the report's own, so the standard text is shown.",
    );
    expect(round.notes.alpha.body).to.contain("Your allocation: 6,035.78 bbl of the terminal NSV of 10,112.74 bbl");
    expect(round.notes.beta.summary_source).to.equal("gemini");
  });

  it("falls back when Gemini lists two partners' figures in each other's places, and keeps them in their own", async () => {
    const listed = (first: string, second: string) => ({
      ...good,
      body: `${good.body} The shares of Alpha Energy and Beta Oil are ${first} and ${second}.`,
    });
    const swapped = await throughTrigger((m) => [{ kind: "json", value: listed("40.32%", "59.68%"), when: m.whole }]);
    expect(swapped.notes.whole).to.deep.include({ ...swapped.templates.whole, summary_source: "template" });
    expect(swapped.notes.whole.data.summary_fallback.reason).to.equal("figures_not_in_report");

    const inOrder = await throughTrigger((m) => [{ kind: "json", value: listed("59.68%", "40.32%"), when: m.whole }]);
    expect(inOrder.notes.whole).to.deep.include({ ...listed("59.68%", "40.32%"), summary_source: "gemini" });
  });

  it("keeps a text naming a partner by its long name, whole or in part (the echo check would refuse four of its words)", async () => {
    const name = "Shell Petroleum Development Company of Nigeria Limited";
    const round = await throughTrigger(
      (m) => [
        { kind: "json", value: { ...good, highlights: [`${name} received 6,035.78 bbl`] }, when: m.whole },
        {
          kind: "json",
          value: { title: "Your allocation", body: "Shell Petroleum Development Company: 6,035.78 bbl.", highlights: [] },
          when: m.alpha,
        },
      ],
      name,
    );

    expect(round.notes.whole).to.deep.include({ summary_source: "gemini", highlights: [`${name} received 6,035.78 bbl`] });
    expect(round.notes.alpha).to.deep.include({ summary_source: "gemini", body: "Shell Petroleum Development Company: 6,035.78 bbl." });
  });

  it("falls back on malformed JSON and on JSON outside the schema, without retrying", async () => {
    const round = await throughTrigger((m) => [
      { kind: "text", text: "{not json", when: m.whole },
      { kind: "json", value: { title: "No body", highlights: [] }, when: m.beta },
    ]);

    expect(round.notes.whole).to.deep.include({ ...round.templates.whole, summary_source: "template" });
    expect(round.notes.whole.data.summary_fallback.reason).to.equal("malformed");
    expect(round.notes.beta).to.deep.include({ ...round.templates.beta, summary_source: "template" });
    expect(round.notes.beta.data.summary_fallback.reason).to.equal("invalid");
    expect(round.requests(round.markers.whole)).to.have.length(1);
    expect(round.requests(round.markers.beta)).to.have.length(1);
  });

  it("falls back after the bounded retries of 429s and of 500s", async () => {
    const round = await throughTrigger((m) => [
      ...[1, 2, 3].map((): FakeBehaviour => ({ kind: "status", status: 429, when: m.whole })),
      ...[1, 2, 3].map((): FakeBehaviour => ({ kind: "status", status: 500, when: m.alpha })),
    ]);

    for (const [note, template, marker] of [
      [round.notes.whole, round.templates.whole, round.markers.whole],
      [round.notes.alpha, round.templates.alpha, round.markers.alpha],
    ] as const) {
      expect(note).to.deep.include({ ...template, summary_source: "template" });
      expect(note.data.summary_fallback.reason).to.equal("http");
      expect(round.requests(marker), marker).to.have.length(3);
    }
    expect(round.notes.whole.data.summary_fallback.detail).to.contain("429");
    expect(round.notes.alpha.data.summary_fallback.detail).to.contain("500");
  });

  it("keeps Gemini's answer when a 429 is followed by a good reply", async () => {
    const round = await throughTrigger((m) => [
      { kind: "status", status: 429, when: m.whole },
      { kind: "json", value: good, when: m.whole },
    ]);

    expect(round.notes.whole).to.deep.include({ ...good, summary_source: "gemini" });
    expect(round.requests(round.markers.whole)).to.have.length(2);
  });

  it("falls back when Gemini hangs, after the per-attempt timeout of each attempt", async function () {
    this.timeout(60_000);
    const started = Date.now();
    const round = await throughTrigger((m) => [1, 2, 3].map((): FakeBehaviour => ({ kind: "hang", when: m.whole })));

    expect(round.notes.whole).to.deep.include({ ...round.templates.whole, summary_source: "template" });
    expect(round.notes.whole.data.summary_fallback.reason).to.equal("timeout");
    expect(round.requests(round.markers.whole)).to.have.length(3);
    expect(Date.now() - started, "three attempts of 1.5 s").to.be.at.least(3 * 1500);
  });

  it("names a partner without an allocation by its name, and each listed entry by partner, meter and contract day (templates, direct)", async () => {
    const round = freshRound();
    const gamma = uniqueId("gamma");
    const gammaEntry = uniqueId("gamma-entry");
    const gammaUser = user("jv_partner", gamma);
    await seedUsers([...Object.values(round.users), gammaUser]);
    await adminDb().doc(`partners/${gamma}`).set({ name: "Gamma 3 Resources", active: true });
    await adminDb()
      .doc(`production_entries/${gammaEntry}`)
      .set(validatedEntry(gamma, { meter_id: "GR-LACT-07" }));
    const data = {
      ...round.data,
      totals: { ...(round.data.totals as object), entries_excluded: 3 },
      excluded: [...(round.data.excluded as object[]), { entry_id: gammaEntry, partner_id: gamma, reason: "rejected by the auditor" }],
    };

    await notifyReconciliation(directDeps(fakeGemini().url, { apiKey: "", now: unusedDay() }), {
      reconciliationId: round.reconciliationId,
      eventId: uniqueId("event"),
      data,
    });

    const gammaId = notificationId(round.reconciliationId, gammaUser.uid);
    const notes = await waitForNotifications([round.ids[0]!, gammaId], 1000);
    const receipt = String(round.data.terminal_receipt_id);
    const gammaNote = notes.get(gammaId)!.data()!;
    expect(gammaNote.title).to.equal(`Allocation statement, version 1 of receipt ${receipt}: nothing allocated to Gamma 3 Resources`);
    expect(gammaNote.body).to.contain(`- GR-LACT-07, contract day 2026-11-03 (entry ${gammaEntry}): rejected by the auditor`);
    const whole = notes.get(round.ids[0]!)!.data()!.body as string;
    expect(whole).to.contain(`- Gamma 3 Resources · GR-LACT-07, contract day 2026-11-03 (entry ${gammaEntry}): rejected by the auditor`);
    // An entry that cannot be read is named by its partner's name and its id; a changed partner by its name.
    expect(whole).to.contain("- Beta Oil, entry E-0419: flagged, not reviewed");
    expect(whole).to.contain("- Alpha Energy: allocated 6,000.50 bbl → 6,035.78 bbl (+35.28 bbl).");
  });

  describe("llm_usage (handler called directly, on a day of its own)", () => {
    const usage = (promptTokenCount: number, candidatesTokenCount: number) => ({
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: promptTokenCount + candidatesTokenCount,
    });

    it("records every call's attempts and tokens, its failures and its fallbacks", async () => {
      const round = freshRound();
      await seedUsers(Object.values(round.users));
      const day = unusedDay();
      fakeGemini().script(
        { kind: "json", value: good, when: round.markers.whole, usage: usage(1000, 50) },
        { kind: "status", status: 429, when: round.markers.alpha },
        {
          kind: "json",
          value: { title: "Yours", body: "You got 6,035.78 bbl.", highlights: [] },
          when: round.markers.alpha,
          usage: usage(200, 20),
        },
        { kind: "json", value: { ...good, body: "Invented: 987,654.32 bbl." }, when: round.markers.beta, usage: usage(300, 30) },
      );

      await notifyReconciliation(directDeps(fakeGemini().url, { now: day }), {
        reconciliationId: round.reconciliationId,
        eventId: uniqueId("event"),
        data: round.data,
      });

      const path = `llm_usage/${day.toISOString().slice(0, 10)}_communicator`;
      expect(await readShardedTotals(adminDb(), path)).to.deep.equal({
        calls: 3,
        attempts: 4,
        prompt_tokens: 1500,
        output_tokens: 100,
        total_tokens: 1600,
        failures: 0,
        fallbacks: 1,
        no_key: 0,
      });
      // The day's document itself names the day, agent and model, so that the health screen can list it.
      const described = (await adminDb().doc(path).get()).data();
      expect(described).to.include({ day: day.toISOString().slice(0, 10), agent: "communicator" });
      expect(described?.model).to.be.a("string").and.not.equal("");
    });

    it("without an API key, writes every notification from its template, says so, and counts it", async () => {
      const round = freshRound();
      await seedUsers(Object.values(round.users));
      const day = unusedDay();

      const result = await notifyReconciliation(directDeps(fakeGemini().url, { apiKey: "", now: day }), {
        reconciliationId: round.reconciliationId,
        eventId: uniqueId("event"),
        data: round.data,
      });

      expect(result).to.deep.include({ outcome: "notified", geminiCalls: 3 });
      const notes = await waitForNotifications(round.ids, 1000);
      for (const [id, template] of [
        [round.ids[0], round.templates.whole],
        [round.ids[1], round.templates.alpha],
        [round.ids[2], round.templates.beta],
      ] as const) {
        const note = notes.get(id)!.data()!;
        expect(note).to.deep.include({ ...template, summary_source: "template" });
        expect(note.data.summary_fallback).to.deep.equal({
          reason: "no_key",
          detail: "Gemini is not configured, so the standard text is shown.",
        });
      }
      expect(round.requests(round.reconciliationId)).to.have.length(0);
      const totals = await readShardedTotals(adminDb(), `llm_usage/${day.toISOString().slice(0, 10)}_communicator`);
      expect(totals).to.deep.include({ calls: 3, no_key: 3, failures: 3, fallbacks: 3, prompt_tokens: 0 });
    });
  });
});
