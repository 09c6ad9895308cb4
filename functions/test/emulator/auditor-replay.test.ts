/**
 * The auditor's handler driven directly, as a redelivered or failing event would drive it.
 * It runs against a named database of the same emulator: the deployed triggers listen to
 * the default database only, so nothing but these calls audits these entries.
 */
import { expect } from "chai";
import { getApps } from "firebase-admin/app";
import { FieldValue, getFirestore, Timestamp, type Firestore } from "firebase-admin/firestore";
import { auditEntry, type AuditEntryInput, EventInProgressError } from "../../src/agents/auditor/audit-entry";
import { systemClock } from "../../src/shared/clock";
import { createGeminiClient } from "../../src/shared/gemini";
import { adminDb, uniqueId } from "../support/emulator";
import { auditEvents, entryData, seedPartner, waitUntil, writeEntry } from "../support/production-entries";
import { auditorRequestsAbout, fakeGemini } from "./setup";

function replayDb(): Firestore {
  adminDb(); // initialises the app
  return getFirestore(getApps()[0]!, "auditor-replay-tests");
}

function deps(db: Firestore = replayDb()) {
  return {
    db,
    clock: systemClock,
    gemini: createGeminiClient({
      apiKey: "k",
      model: "m",
      baseUrl: fakeGemini().url,
      timeoutMs: 1500,
      maxAttempts: 3,
      backoffMs: 50,
    }),
  };
}

/** A flagged entry (BS&W 2 %) in the replay database, as its create event carries it. */
async function flaggedEntryEvent(): Promise<{ partner: string; input: AuditEntryInput }> {
  const db = replayDb();
  const partner = await seedPartner({ db });
  const id = await writeEntry(entryData(partner, { bsw_percent: 2 }), db);
  const snap = await db.doc(`production_entries/${id}`).get();
  return {
    partner,
    input: { entryId: id, eventId: uniqueId("event"), data: snap.data(), createTime: snap.createTime!.toDate() },
  };
}

describe("auditor handler: replays and failures", () => {
  it("audits a replayed event once: one audit-log event, one Gemini call", async () => {
    const { partner, input } = await flaggedEntryEvent();

    const first = await auditEntry(deps(), input);
    const replay = await auditEntry(deps(), input);

    expect(first).to.include({ status: "audited", verdict: "flagged", explanationSource: "gemini" });
    expect(replay).to.deep.equal({ status: "skipped", reason: "replayed" });
    expect(await auditEvents(input.entryId, replayDb())).to.have.length(1);
    expect(auditorRequestsAbout(partner)).to.have.length(1);
  });

  it("audits two concurrent deliveries of one event once; the other is retried or skipped", async () => {
    const { partner, input } = await flaggedEntryEvent();

    const outcomes = await Promise.allSettled([auditEntry(deps(), input), auditEntry(deps(), input)]);

    const audited = outcomes.filter((o) => o.status === "fulfilled" && o.value.status === "audited");
    const others = outcomes.filter((o) => !audited.includes(o));
    expect(audited).to.have.length(1);
    // Still holding the lease (fails, so the platform redelivers) or already done (skips): timing decides.
    expect(others).to.have.length(1);
    const [other] = others;
    if (other.status === "rejected") expect(other.reason).to.be.instanceOf(EventInProgressError);
    else expect(other.value).to.deep.equal({ status: "skipped", reason: "replayed" });
    expect(await auditEvents(input.entryId, replayDb())).to.have.length(1);
    expect(auditorRequestsAbout(partner)).to.have.length(1);
  });

  it("skips without a read an event whose document already carries its audit", async () => {
    const { input } = await flaggedEntryEvent();
    await auditEntry(deps(), input);
    const after = (await replayDb().doc(`production_entries/${input.entryId}`).get()).data();
    const ownWrite = { ...input, eventId: uniqueId("event"), data: after };

    const outcome = await auditEntry(deps(), ownWrite);

    expect(outcome).to.deep.equal({ status: "skipped", reason: "up_to_date" });
    const lease = await replayDb().doc(`event_leases/auditor_${ownWrite.eventId}`).get();
    expect(lease.exists).to.equal(false);
  });

  it("writes nothing when a measured field changed while it was auditing", async () => {
    const { input } = await flaggedEntryEvent();
    await replayDb().doc(`production_entries/${input.entryId}`).update({ gross_volume_bbl: 1234 });

    const outcome = await auditEntry(deps(), input);

    expect(outcome).to.deep.equal({ status: "abandoned", reason: "edited_meanwhile" });
    const entry = await replayDb().doc(`production_entries/${input.entryId}`).get();
    expect(entry.get("audit")).to.equal(undefined);
    expect(await auditEvents(input.entryId, replayDb())).to.have.length(0);
  });

  it("writes nothing when another entry asked for a new audit while it was auditing (the request is kept for its own event)", async () => {
    const { input } = await flaggedEntryEvent();
    const db = replayDb();
    const ref = db.doc(`production_entries/${input.entryId}`);
    await auditEntry(deps(), input);
    // A duplicate moved away: this entry's audit is asked for again (the event this test replays) ...
    await ref.update({ "audit.recheck": { reason: "moved_away", entry_id: "dup-1", at: Timestamp.fromMillis(1_000) } });
    const asked = { ...input, eventId: uniqueId("event"), data: (await ref.get()).data() };
    // ... and, while that audit runs, a second one moves away too.
    const second = { reason: "moved_away", entry_id: "dup-2", at: Timestamp.fromMillis(2_000) };
    await ref.update({ "audit.recheck": second });

    const outcome = await auditEntry(deps(), asked);

    expect(outcome).to.deep.equal({ status: "abandoned", reason: "recheck_meanwhile" });
    expect((await ref.get()).get("audit.recheck")).to.deep.equal(second);
  });

  it("answers an audit written as done when only the lease's completion fails: no retry asks Gemini again", async () => {
    const { partner, input } = await flaggedEntryEvent();
    const db = replayDb();
    const failure = new Error("14 UNAVAILABLE: the lease's completion was lost");
    const outcome = await auditEntry(deps(withFailingLeaseCompletion(db, failure)), input);

    expect(outcome).to.include({ status: "audited", verdict: "flagged", explanationSource: "gemini" });
    expect((await db.doc(`production_entries/${input.entryId}`).get()).get("audit.status")).to.equal("flagged");
    // Not given back as failed (which lets the platform's retry in at once): held until it expires.
    expect((await db.doc(`event_leases/auditor_${input.eventId}`).get()).get("state")).to.equal("processing");
    expect(auditorRequestsAbout(partner)).to.have.length(1);
    expect((await db.doc("agent_status/auditor").get()).get("last_outcome")).to.equal("ok");
  });

  it("fails the run on a query error, records it, and lets the retry of the same event audit", async () => {
    const { input } = await flaggedEntryEvent();
    const db = replayDb();
    const failure = new Error("9 FAILED_PRECONDITION: The query requires an index.");
    const brokenDb = withFailingEntryQueries(db, failure);

    let thrown: unknown;
    await auditEntry(deps(brokenDb), input).catch((e: unknown) => (thrown = e));

    expect(thrown).to.equal(failure);
    expect((await db.doc(`event_leases/auditor_${input.eventId}`).get()).get("state")).to.equal("failed");
    expect((await db.doc(`production_entries/${input.entryId}`).get()).get("audit")).to.equal(undefined);
    const status = await db.doc("agent_status/auditor").get();
    expect(status.get("last_outcome")).to.equal("error");
    expect(status.get("last_error")).to.contain("requires an index");

    const retry = await auditEntry(deps(db), input);
    expect(retry).to.include({ status: "audited", verdict: "flagged" });
    expect(await auditEvents(input.entryId, db)).to.have.length(1);
  });
});

describe("auditor handler: failures before its run", () => {
  it("counts a failed lease acquisition as a failed run of the auditor, and the retry audits", async () => {
    const { input } = await flaggedEntryEvent();
    const db = replayDb();
    const before = await auditorCounts(db);
    const failure = new Error("14 UNAVAILABLE: the lease could not be taken");

    let thrown: unknown;
    await auditEntry(deps(withFailingTransactions(db, failure)), input).catch((e: unknown) => (thrown = e));

    expect(thrown).to.equal(failure);
    expect(await auditorCounts(db)).to.deep.equal({ runs: before.runs + 1, failures: before.failures + 1 });
    expect((await db.doc(`production_entries/${input.entryId}`).get()).get("audit")).to.equal(undefined);
    const retry = await auditEntry(deps(db), input);
    expect(retry).to.include({ status: "audited", verdict: "flagged" });
  });

  it("counts a failed audit-log event of a late entry as a failed run, and the retry logs it and audits", async () => {
    const { input } = await flaggedEntryEvent();
    const db = replayDb();
    const late = {
      ...input,
      data: {
        ...input.data,
        corrected_by: "coordinator-1",
        corrected_at: Timestamp.fromMillis(Date.now()),
        correction_note: "Missed ticket",
      },
    };
    const before = await auditorCounts(db);
    const failure = new Error("14 UNAVAILABLE: the correction's event could not be written");

    const thrown = await auditEntry(deps(withFailingTransactions(db, failure)), late).catch((e: unknown) => e);

    expect(thrown).to.equal(failure);
    expect(await auditorCounts(db)).to.deep.equal({ runs: before.runs + 1, failures: before.failures + 1 });
    expect(await loggedActions(db, input.entryId)).to.deep.equal([]);
    expect(await auditEntry(deps(db), late)).to.include({ status: "audited", verdict: "flagged" });
    expect(await loggedActions(db, input.entryId)).to.deep.equal(["entry_audited", "entry_entered_late"]);
  });

  // Guards against counting too much: a skip is no run, with or without this stop's wrapper.
  it("counts nothing for an event it skips (its own audit's write)", async () => {
    const { input } = await flaggedEntryEvent();
    const db = replayDb();
    await auditEntry(deps(db), input);
    const before = await auditorCounts(db);
    const snap = await db.doc(`production_entries/${input.entryId}`).get();
    const own = { ...input, eventId: uniqueId("event"), before: input.data, data: snap.data() };

    expect(await auditEntry(deps(db), own)).to.deep.equal({ status: "skipped", reason: "up_to_date" });
    expect(await auditorCounts(db)).to.deep.equal(before);
  });
});

/** The actions logged about an entry, in alphabetical order. */
async function loggedActions(db: Firestore, entryId: string): Promise<string[]> {
  const events = await db.collection("audit_log").where("subject", "==", `production_entries/${entryId}`).get();
  return events.docs.map((d) => String(d.get("action"))).sort();
}

/** The auditor's runs and failures, summed over its counter's shards. */
async function auditorCounts(db: Firestore): Promise<{ runs: number; failures: number }> {
  const shards = await db.collection("agent_status/auditor/shards").get();
  const sum = (field: string) => shards.docs.reduce((total, d) => total + Number(d.get(field) ?? 0), 0);
  return { runs: sum("runs"), failures: sum("failures") };
}

/** The database, except that every transaction fails with `error`. */
function withFailingTransactions(db: Firestore, error: Error): Firestore {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "runTransaction") return () => Promise.reject(error);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("auditor handler: a flagged change on a closed day", () => {
  it("marks the day's reconciliation stale before Gemini answers, and once across a retried event", async function () {
    this.timeout(60_000);
    const db = replayDb();
    const partner = await seedPartner({ db });
    const id = await writeEntry(entryData(partner, { bsw_percent: 2 }, 9), db);
    const snap = await db.doc(`production_entries/${id}`).get();
    const day = (snap.get("measured_at") as Timestamp).toDate().toISOString().slice(0, 10);
    const reportRef = db.doc(`reconciliations/${uniqueId("closed")}_v1`);
    await reportRef.set({ status: "completed", stale: false });
    await db.doc(`closed_days/${day}`).set({ reconciliation_id: reportRef.id, closed_at: Timestamp.now() });
    const input: AuditEntryInput = { entryId: id, eventId: uniqueId("event"), data: snap.data(), createTime: snap.createTime!.toDate() };
    try {
      // Gemini does not answer (every attempt times out): meanwhile the statement must already say it is stale.
      fakeGemini().script(...[1, 2, 3].map(() => ({ kind: "hang" as const, when: id })));
      // The audit's own transaction fails once, as a transient error would: the platform retries the event.
      let failOnce = true;
      const flaky = new Proxy(db, {
        get(target, prop) {
          if (prop === "runTransaction") {
            return async (...args: Parameters<Firestore["runTransaction"]>) => {
              if (failOnce && (await reportRef.get()).get("stale") === true) {
                failOnce = false;
                throw new Error("14 UNAVAILABLE: transient");
              }
              return target.runTransaction(...args);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const first = auditEntry(deps(flaky), input);
      const seenWhileWaiting = waitUntil(
        "the stale mark while Gemini is asked",
        async () =>
          (await reportRef.get()).get("stale") === true && (await db.doc(`production_entries/${id}`).get()).get("audit") === undefined,
        30_000,
      );
      await seenWhileWaiting;
      let thrown: unknown;
      await first.catch((e: unknown) => (thrown = e));
      expect(String(thrown)).to.contain("UNAVAILABLE");
      const retry = await auditEntry(deps(db), input);
      expect(retry).to.include({ status: "audited", verdict: "flagged" });
      const report = (await reportRef.get()).data()!;
      expect({ stale: report.stale, ids: report.stale_entry_ids, changes: report.stale_changes }).to.deep.equal({
        stale: true,
        ids: [id],
        changes: 1,
      });
      expect(report.stale_since).to.be.instanceOf(Timestamp);
    } finally {
      fakeGemini().reset();
      await db.doc(`closed_days/${day}`).delete();
    }
  });
});

describe("auditor handler: without a Gemini key", () => {
  it("explains a flagged entry with the rules' text and says why, without a network call", async () => {
    const { partner, input } = await flaggedEntryEvent();
    const keyless = { ...deps(), gemini: createGeminiClient({ model: "m", timeoutMs: 1500, maxAttempts: 3, backoffMs: 50 }) };

    const outcome = await auditEntry(keyless, input);

    expect(outcome).to.include({ status: "audited", verdict: "flagged", explanationSource: "rules" });
    const audit = (await replayDb().doc(`production_entries/${input.entryId}`).get()).get("audit");
    expect(audit.explanation.gemini_error).to.equal("no_key");
    expect(audit.explanation.text).to.contain(
      "rule-based explanation: no Gemini API key is configured, so the agents run on deterministic fallbacks",
    );
    expect(audit.cost.gemini_calls).to.equal(0);
    expect(auditorRequestsAbout(partner)).to.have.length(0);
  });
});

/** The database, except that marking an event lease done fails with `error`. */
function withFailingLeaseCompletion(db: Firestore, error: Error): Firestore {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "doc") {
        return (path: string) => {
          const ref = target.doc(path);
          if (!path.startsWith("event_leases/")) return ref;
          return new Proxy(ref, {
            get(refTarget, refProp) {
              const value: unknown = Reflect.get(refTarget, refProp, refTarget);
              if (refProp === "set") {
                return (data: { state?: unknown }, options?: object) =>
                  data.state === "done" ? Promise.reject(error) : refTarget.set(data, options ?? {});
              }
              return typeof value === "function" ? value.bind(refTarget) : value;
            },
          });
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The database, except that every query on production_entries fails with `error`. */
function withFailingEntryQueries(db: Firestore, error: Error): Firestore {
  const failingQuery: object = new Proxy(
    {},
    { get: (_target, prop) => (prop === "get" ? () => Promise.reject(error) : () => failingQuery) },
  );
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "collection") {
        return (path: string) => (path === "production_entries" ? failingQuery : target.collection(path));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// Last: a failed run here is the auditor's latest error, which the tests above read from agent_status.
describe("auditor handler: the answers Gemini gave this instance", () => {
  it("reuses Gemini's explanation when the audit's write failed after it answered: the retry asks nothing", async () => {
    const { partner, input } = await flaggedEntryEvent();
    const db = replayDb();
    // The first transaction begun once Gemini was asked is the audit's write: it fails, as a transient error would.
    let failed = false;
    const flaky = new Proxy(db, {
      get(target, prop) {
        if (prop === "runTransaction") {
          return async (...args: Parameters<Firestore["runTransaction"]>) => {
            if (!failed && auditorRequestsAbout(partner).length === 1) {
              failed = true;
              throw new Error("14 UNAVAILABLE: the audit's write was lost");
            }
            return target.runTransaction(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

    let thrown: unknown;
    await auditEntry(deps(flaky), input).catch((e: unknown) => (thrown = e));
    expect(String(thrown)).to.contain("the audit's write was lost");
    expect((await db.doc(`production_entries/${input.entryId}`).get()).get("audit")).to.equal(undefined);

    const retry = await auditEntry(deps(db), input);
    expect(retry).to.include({ status: "audited", verdict: "flagged", explanationSource: "gemini" });
    const audit = (await db.doc(`production_entries/${input.entryId}`).get()).get("audit");
    expect(audit.explanation.source).to.equal("gemini");
    expect(audit.explanation.text).to.be.a("string").and.not.equal("");
    expect(auditorRequestsAbout(partner)).to.have.length(1);
    expect(await auditEvents(input.entryId, db)).to.have.length(1);
  });

  it("checks a kept answer again against the entry as it is: one that now repeats a correction's note is asked again", async () => {
    const { partner, input } = await flaggedEntryEvent();
    const db = replayDb();
    const ref = db.doc(`production_entries/${input.entryId}`);
    expect(await auditEntry(deps(db), input)).to.include({ explanationSource: "gemini" });
    const text: string = (await ref.get()).get("audit.explanation.text");
    // The same question asked again (the audit cleared, as a test's shortcut to a second audit of the
    // same figures and history): a correction's note, which the prompt does not state, is checked.
    const auditAgain = async (correctionNote: string) => {
      await ref.update({ correction_note: correctionNote, audit: FieldValue.delete() });
      const snap = await ref.get();
      return auditEntry(deps(db), { ...input, eventId: uniqueId("event"), data: snap.data() });
    };

    expect(await auditAgain("Re-measured at the skid.")).to.include({ status: "audited", explanationSource: "gemini" });
    expect(auditorRequestsAbout(partner), "the kept answer taken").to.have.length(1);

    // A note that repeats the answer's words: the kept answer now fails the check, Gemini is asked,
    // and its answer (the same text) is refused for the same reason.
    const echo = text.split(/\s+/).slice(0, 8).join(" ");
    expect(await auditAgain(echo)).to.include({ status: "audited", verdict: "flagged" });
    expect(auditorRequestsAbout(partner), "asked again").to.have.length(2);
    expect((await ref.get()).get("audit.explanation.source")).to.equal("rules");
  });
});
