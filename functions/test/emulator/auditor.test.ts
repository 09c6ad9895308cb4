import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { RULES_VERSION } from "../../src/domain/audit-config";
import { auditInputHash } from "../../src/domain/production-entry";
import { readShardedTotals } from "../../src/shared/sharded-counter";
import { adminDb, sleep, uniqueId } from "../support/emulator";
import { seedEntries, type EntrySeed } from "../support/seed";
import { auditEvents, dayAgo, entryData, seedPartner, waitForAudit, waitForAudits, writeEntry } from "../support/production-entries";
import { clearOfUtcMidnight } from "../support/test-day";
import { auditorRequestsAbout, fakeGemini } from "./setup";

/** Long enough for a trigger that should not audit to have run and written, were it to. */
const QUIET_MS = 3_000;

/** The readings entryData writes, as an accepted entry of the history holds them. */
const ACCEPTED_READINGS = { bsw_percent: 0.3, temperature_degF: 80, api_gravity: 35, pressure_psig: 0, meter_factor: 1.0 };

const codesOf = (audit: Record<string, any>): string[] => audit.reasons.map((r: { code: string }) => r.code);

describe("auditor trigger: verdicts", () => {
  it("validates a sound entry and logs one audit event in the partner's stream", async () => {
    const partner = await seedPartner();
    const data = entryData(partner);
    const id = await writeEntry(data);

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("validated");
    expect(audit.reasons).to.deep.equal([]);
    expect(audit.input_hash).to.equal(auditInputHash(data));
    expect(audit.rules_version).to.equal(RULES_VERSION);
    expect(audit.checked_at).to.be.instanceOf(Timestamp);
    expect(audit.history_eligible).to.equal(true);
    expect(audit.awaiting_review).to.equal(false);
    expect(audit.explanation.source).to.equal("rules");
    expect(audit.explanation.text).to.match(/^Validated: the entry passed every rule\./);
    expect(audit.stats).to.include({ n: 0, enough_history: false, min_history: 5 });
    expect(audit.nsv).to.include({ api60: 33.4, ctl: 0.99069, cpl: 1, csw: 0.997, gsv_bbl: 990.69, nsv_bbl: 987.72 });
    expect(audit.cost.gemini_calls).to.equal(0);
    // 1 lease + 1 JV settings + 1 partner + 1 duplicate query + 2 history queries (the meter's, too short, then
    // the partner's; all three empty) + 3 in the write transaction + the day's closed-day and its month's
    // close-in-progress lookups (the day is open, no close running).
    expect(audit.cost.reads).to.equal(11);
    expect(auditorRequestsAbout(partner)).to.have.length(0);

    const events = await auditEvents(id);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ stream: `partner_${partner}`, actor: "auditor", action: "entry_audited" });
    expect(events[0].details).to.deep.equal({
      verdict: "validated",
      reason_codes: [],
      input_hash: audit.input_hash,
      rules_version: RULES_VERSION,
      explanation_source: "rules",
    });
  });

  it("flags a BS&W above the typical limit, with the reason, out of the history", async () => {
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner, { bsw_percent: 2 }));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("flagged");
    expect(codesOf(audit)).to.deep.equal(["BSW_ABOVE_TYPICAL"]);
    expect(audit.reasons[0]).to.include({ field: "bsw_percent", severity: "warning" });
    expect(audit.history_eligible).to.equal(false);
    expect(audit.awaiting_review).to.equal(true);
  });

  it("rejects a document with schema problems, one reason per problem, without asking Gemini", async () => {
    const partner = await seedPartner();
    const data = entryData(partner, {
      gross_volume_bbl: undefined,
      bsw_percent: "0.3",
      temperature_degF: NaN,
      api_gravity: Infinity,
      measured_at: "yesterday",
    });
    delete data.gross_volume_bbl;
    const id = await writeEntry(data);

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("rejected");
    const byField = Object.fromEntries(audit.reasons.map((r: { field: string; code: string }) => [r.field, r.code]));
    expect(byField).to.deep.equal({
      measured_at: "SCHEMA_INVALID_DATE",
      gross_volume_bbl: "SCHEMA_MISSING",
      bsw_percent: "SCHEMA_WRONG_TYPE",
      temperature_degF: "SCHEMA_NOT_FINITE",
      api_gravity: "SCHEMA_NOT_FINITE",
    });
    expect(audit.reasons.every((r: { severity: string }) => r.severity === "critical")).to.equal(true);
    expect(audit.stats).to.equal(null);
    expect(audit.nsv).to.equal(undefined);
    expect(audit.explanation.source).to.equal("rules");
    expect(audit.explanation.text).to.contain("could not be read as a production entry");
    // 1 lease + 1 JV settings + 3 in the write transaction (no valid measured_at: no closed-day lookup).
    expect(audit.cost).to.include({ reads: 5, gemini_calls: 0 });
    expect(audit.cost.duration_ms).to.be.a("number").and.at.least(0);
    const events = await auditEvents(id);
    expect(events.map((e) => e.stream)).to.deep.equal([`partner_${partner}`]);
  });

  it("logs an entry whose partner cannot be read in the entries_unknown stream", async () => {
    const id = await writeEntry({ note: "no figures at all", partner_id: "a/b" });

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("rejected");
    expect(codesOf(audit)).to.include.members(["SCHEMA_MISSING"]);
    const events = await auditEvents(id);
    expect(events.map((e) => e.stream)).to.deep.equal(["entries_unknown"]);
  });

  it("rejects measurements outside the standard's range, with no net standard volume", async () => {
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner, { temperature_degF: 400, api_gravity: 150 }));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("rejected");
    expect(codesOf(audit)).to.have.members(["API_GRAVITY_OUT_OF_RANGE", "TEMPERATURE_OUT_OF_RANGE"]);
    expect(audit.nsv).to.equal(undefined);
  });

  it("rejects an entry of an unknown partner and flags one of an inactive partner", async () => {
    const unknown = `partner-that-does-not-exist-${Date.now()}`;
    const inactive = await seedPartner({ active: false });
    const [unknownId, inactiveId] = await Promise.all([writeEntry(entryData(unknown)), writeEntry(entryData(inactive))]);

    const [unknownAudit, inactiveAudit] = await waitForAudits([unknownId, inactiveId]);

    expect(unknownAudit.status).to.equal("rejected");
    expect(codesOf(unknownAudit)).to.deep.equal(["PARTNER_UNKNOWN"]);
    expect(inactiveAudit.status).to.equal("flagged");
    expect(codesOf(inactiveAudit)).to.deep.equal(["PARTNER_INACTIVE"]);
  });

  it("flags the second entry for the same partner, meter and day as a duplicate, not the first", async () => {
    const partner = await seedPartner();
    const firstId = await writeEntry(entryData(partner, { meter_id: "M-7" }, 3));
    const first = await waitForAudit(firstId);
    const secondId = await writeEntry(entryData(partner, { meter_id: "M-7", gross_volume_bbl: 1001 }, 3));
    const otherMeterId = await writeEntry(entryData(partner, { meter_id: "M-8" }, 3));

    const [second, otherMeter] = await waitForAudits([secondId, otherMeterId]);

    expect(first.status).to.equal("validated");
    expect(second.status).to.equal("flagged");
    expect(codesOf(second)).to.deep.equal(["DUPLICATE_ENTRY"]);
    expect(second.reasons[0].message).to.contain(firstId).and.contain('meter "M-7"');
    expect(otherMeter.status).to.equal("validated");
  });

  it("flags a second entry without a meter id on the same day as a duplicate", async () => {
    const partner = await seedPartner();
    const firstId = await writeEntry(entryData(partner, { meter_id: null }, 4));
    await waitForAudit(firstId);
    const secondId = await writeEntry(entryData(partner, { meter_id: null }, 4));

    const second = await waitForAudit(secondId);

    expect(second.status).to.equal("flagged");
    expect(codesOf(second)).to.deep.equal(["DUPLICATE_ENTRY"]);
    expect(second.reasons[0].message).to.contain(firstId).and.contain("with no meter id");
    // The day its notification names: with no settings/jv, the contract day is the UTC day.
    const measuredAt = (await adminDb().doc(`production_entries/${secondId}`).get()).get("measured_at").toDate();
    expect(second.contract_day).to.equal(measuredAt.toISOString().slice(0, 10));
  });

  it("flags an entry moved onto a meter and day that already has an entry, and keeps the flag on its next edit", async () => {
    const partner = await seedPartner();
    const movedId = await writeEntry(entryData(partner, { meter_id: "M-9" }, 5));
    const first = await waitForAudit(movedId);
    const stayingId = await writeEntry(entryData(partner, { meter_id: "M-9", gross_volume_bbl: 1001 }, 6));
    expect((await waitForAudit(stayingId)).status).to.equal("validated");

    // The older entry is corrected onto the other's contract day: it is the one that arrives second.
    const ref = adminDb().doc(`production_entries/${movedId}`);
    await ref.update({ measured_at: dayAgo(6), correction_note: "wrong day" });
    const moved = await waitForAudit(movedId, (a) => a.input_hash !== first.input_hash);
    expect(moved.status).to.equal("flagged");
    expect(codesOf(moved)).to.deep.equal(["DUPLICATE_ENTRY"]);
    expect(moved.reasons[0].message).to.contain(stayingId);

    await ref.update({ gross_volume_bbl: 1002 });
    const edited = await waitForAudit(movedId, (a) => a.input_hash !== moved.input_hash);
    expect(codesOf(edited)).to.deep.equal(["DUPLICATE_ENTRY"]);
    const staying = (await adminDb().doc(`production_entries/${stayingId}`).get()).get("audit");
    expect(staying.status).to.equal("validated");
  });

  it("audits again an unreviewed entry flagged as a duplicate once the entry it duplicated is corrected away, and no other", async () => {
    const partner = await seedPartner();
    const firstId = await writeEntry(entryData(partner, { meter_id: "M-11" }, 7));
    const first = await waitForAudit(firstId);
    const duplicateId = await writeEntry(entryData(partner, { meter_id: "M-11", gross_volume_bbl: 1001 }, 7));
    const flagged = await waitForAudit(duplicateId);
    expect(codesOf(flagged)).to.deep.equal(["DUPLICATE_ENTRY"]);
    // A third on the same meter and day, which a coordinator has rejected: the decision stands.
    const rejectedId = await writeEntry(entryData(partner, { meter_id: "M-11", gross_volume_bbl: 1002 }, 7));
    const rejected = await waitForAudit(rejectedId);
    expect(codesOf(rejected)).to.deep.equal(["DUPLICATE_ENTRY"]);
    const review = { decision: "rejected", by: "coordinator-uid", note: "a third ticket", input_hash: rejected.input_hash };
    await adminDb().doc(`production_entries/${rejectedId}`).update({ review, "audit.awaiting_review": false });
    const otherId = await writeEntry(entryData(partner, { meter_id: "M-12" }, 7));
    const other = await waitForAudit(otherId);

    // The first entry was meant for the day before: corrected, it leaves the meter and day to the others.
    await adminDb()
      .doc(`production_entries/${firstId}`)
      .update({ measured_at: dayAgo(8), correction_note: "wrong day" });
    const moved = await waitForAudit(firstId, (a) => a.input_hash !== first.input_hash);
    expect(moved.status).to.equal("validated");
    const rechecked = await waitForAudit(duplicateId, (a) => a.checked_at.toMillis() > flagged.checked_at.toMillis());

    expect(rechecked.status).to.equal("validated");
    expect(rechecked.reasons).to.deep.equal([]);
    expect(rechecked.input_hash).to.equal(flagged.input_hash);
    expect(rechecked.recheck).to.equal(undefined);
    expect(rechecked.awaiting_review).to.equal(false);
    expect(rechecked.key_since.toMillis()).to.equal(flagged.key_since.toMillis());
    await sleep(QUIET_MS);
    const [stillRejected, stillOther] = await Promise.all(
      [rejectedId, otherId].map(async (id) => (await adminDb().doc(`production_entries/${id}`).get()).data()!),
    );
    expect(stillRejected.audit.checked_at.toMillis()).to.equal(rejected.checked_at.toMillis());
    expect(stillRejected.audit.recheck).to.equal(undefined);
    expect(stillRejected.review).to.deep.equal(review);
    expect(stillOther.audit.checked_at.toMillis()).to.equal(other.checked_at.toMillis());
    const verdicts = (await auditEvents(duplicateId)).map((e) => String(e.details.verdict));
    expect(verdicts.sort()).to.deep.equal(["flagged", "validated"]);
  });

  it("scores against the partner's accepted history only once the minimum history is there", async () => {
    const partner = await seedPartner();
    const volumes = [1000, 1010, 990, 1005];
    await waitForAudits(await Promise.all(volumes.map((v, i) => writeEntry(entryData(partner, { gross_volume_bbl: v }, 20 + i)))));

    // Four accepted entries: too few for statistics, so a tenfold volume passes.
    const earlyId = await writeEntry(entryData(partner, { gross_volume_bbl: 10_000 }, 10));
    const early = await waitForAudit(earlyId);
    expect(early.status).to.equal("validated");
    expect(early.stats).to.include({ n: 4, enough_history: false });
    expect(early.stats.metrics).to.equal(null);

    await waitForAudit(await writeEntry(entryData(partner, { gross_volume_bbl: 995 }, 11)));
    // Six accepted entries now (the tenfold one among them: the median and MAD shrug it off).
    const lateId = await writeEntry(entryData(partner, { gross_volume_bbl: 10_000 }, 2));
    const late = await waitForAudit(lateId);

    expect(late.status).to.equal("flagged");
    expect(codesOf(late)).to.deep.equal(["GROSS_VOLUME_OUTLIER"]);
    expect(late.stats).to.include({ n: 6, enough_history: true, window: 30 });
    expect(late.stats.metrics.gross_volume_bbl).to.include({ median: 1002.5, mad: 7.5, basis: "mad" });
    expect(late.stats.metrics.gross_volume_bbl.z).to.be.greaterThan(3.5);
    expect(late.stats.metrics.bsw_percent.z).to.equal(0);
    // 1 lease + 1 JV settings + 1 partner + 1 duplicate query + 6 history + 3 in the write transaction
    // + the day's closed-day and close-in-progress lookups; flagged, so before Gemini: the entry and both lookups again.
    expect(late.cost.reads).to.equal(18);
  });
});

describe("auditor trigger: whose history an entry is scored against", () => {
  it("scores a meter with enough accepted entries against its own, and a new meter against its partner's", async () => {
    const partner = await seedPartner();
    // One partner, two meter runs at very different rates, every entry accepted already (audited as
    // current: the trigger leaves them be).
    const accepted = (meter: string, volumes: number[]): EntrySeed[] =>
      volumes.map((gross_volume_bbl, i) => ({
        ...ACCEPTED_READINGS,
        id: uniqueId(`accepted-${meter}`),
        partner_id: partner,
        meter_id: meter,
        measured_at: dayAgo(20 + i).toDate(),
        gross_volume_bbl,
        status: "validated",
      }));
    await seedEntries(adminDb(), [
      ...accepted("BIG", [5000, 5020, 4980, 5010, 4990, 5005]),
      ...accepted(
        "SMALL",
        Array.from({ length: 12 }, (_, i) => 1000 + i),
      ),
    ]);

    // Against the partner's eighteen (median 1,008.5 bbl) it would be an outlier every day; against its meter's six it is usual.
    const big = await waitForAudit(await writeEntry(entryData(partner, { meter_id: "BIG", gross_volume_bbl: 5015 }, 3)));
    expect(big.status).to.equal("validated");
    expect(big.stats).to.include({ scope: "meter", n: 6, enough_history: true });
    expect(big.stats.metrics.gross_volume_bbl.median).to.equal(5002.5);
    expect(big.explanation.text).to.contain("the meter's last 6 accepted entries");

    // A meter with no accepted entry yet: its partner's history, as before.
    const fresh = await waitForAudit(await writeEntry(entryData(partner, { meter_id: "NEW", gross_volume_bbl: 5015 }, 4)));
    expect(fresh.status).to.equal("flagged");
    expect(codesOf(fresh)).to.deep.equal(["GROSS_VOLUME_OUTLIER"]);
    // Its partner's eighteen: the BIG entry just validated was measured the day after it.
    expect(fresh.stats).to.include({ scope: "partner", n: 18 });
    expect(fresh.reasons[0].message).to.contain("this partner's last 18 accepted entries");
  });

  it("scores a late entry against the history of its own days, not the entries measured after it", async () => {
    const partner = await seedPartner();
    const accepted = (volumes: number[], fromDaysAgo: number): EntrySeed[] =>
      volumes.map((gross_volume_bbl, i) => ({
        ...ACCEPTED_READINGS,
        id: uniqueId("accepted-late"),
        partner_id: partner,
        meter_id: "M-LATE",
        measured_at: dayAgo(fromDaysAgo + i).toDate(),
        gross_volume_bbl,
        status: "validated",
      }));
    // The meter ran at about 1,000 bbl a day in the weeks before, at about 5,000 since.
    await seedEntries(adminDb(), [
      ...accepted([1000, 1020, 980, 1010, 990, 1005], 40),
      ...accepted([5000, 5020, 4980, 5010, 4990, 5005, 5015, 4995], 2),
    ]);

    const late = await waitForAudit(await writeEntry(entryData(partner, { meter_id: "M-LATE", gross_volume_bbl: 1015 }, 30)));
    expect(late.status).to.equal("validated");
    expect(late.stats).to.include({ scope: "meter", n: 6, enough_history: true });
    expect(late.stats.metrics.gross_volume_bbl.median).to.equal(1002.5);

    // The same figure for yesterday is far below the days before it (the late entry now among them).
    const current = await waitForAudit(await writeEntry(entryData(partner, { meter_id: "M-LATE", gross_volume_bbl: 1015 }, 1)));
    expect(current.stats).to.include({ scope: "meter", n: 15, enough_history: true });
    expect(current.stats.metrics.gross_volume_bbl.median).to.equal(4980);
    expect(current.status).to.equal("flagged");
    expect(codesOf(current)).to.deep.equal(["GROSS_VOLUME_OUTLIER"]);
  });
});

describe("auditor trigger: when it audits again", () => {
  it("re-audits when a measured field changes, and not for its own write", async () => {
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner));
    const first = await waitForAudit(id);
    await sleep(QUIET_MS);
    expect(await auditEvents(id)).to.have.length(1);

    await adminDb().doc(`production_entries/${id}`).update({ bsw_percent: 7, correction_note: "lab result" });
    const second = await waitForAudit(id, (a) => a.input_hash !== first.input_hash);

    expect(second.status).to.equal("rejected");
    expect(codesOf(second)).to.deep.equal(["BSW_ABOVE_LIMIT"]);
    expect(second.history_eligible).to.equal(false);
    await sleep(QUIET_MS);
    const events = await auditEvents(id);
    expect(events.map((e) => e.details.verdict).sort()).to.deep.equal(["rejected", "validated"]);
  });

  it("does not re-audit when only the note changes", async () => {
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner));
    const first = await waitForAudit(id);

    await adminDb().doc(`production_entries/${id}`).update({ note: "meter proved this morning" });
    await sleep(QUIET_MS);

    const audit = (await adminDb().doc(`production_entries/${id}`).get()).get("audit");
    expect(audit.checked_at.isEqual(first.checked_at)).to.equal(true);
    expect(await auditEvents(id)).to.have.length(1);
  });
});

describe("auditor trigger: Gemini explains flagged entries", () => {
  const flaggedEntry = (partner: string) => entryData(partner, { bsw_percent: 2 });
  const usageDoc = () => `llm_usage/${new Date().toISOString().slice(0, 10)}_auditor`;
  // The usage counter of the audit's day is read before and after it (an audit waited for up to
  // 150 s): both on one UTC day.
  beforeEach(async function () {
    await clearOfUtcMidnight(this, 180_000);
  });

  it("stores Gemini's structured answer, with source gemini, and counts its tokens", async () => {
    const partner = await seedPartner();
    const before = await readShardedTotals(adminDb(), usageDoc());
    fakeGemini().script({
      kind: "json",
      when: partner,
      value: {
        summary: "BS&W of 2 % is twice the typical limit for this partner.",
        likely_causes: ["Water breakthrough in a producing well", "A sampling error"],
        checks_to_make: ["Repeat the centrifuge test", "Check the free-water knockout"],
      },
      usage: { promptTokenCount: 321, candidatesTokenCount: 54, totalTokenCount: 375 },
    });
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("flagged");
    expect(audit.explanation).to.deep.equal({
      source: "gemini",
      model: "gemini-2.5-flash",
      text:
        "BS&W of 2 % is twice the typical limit for this partner.\n\n" +
        "Likely causes:\n- Water breakthrough in a producing well\n- A sampling error\n\n" +
        "Checks to make:\n- Repeat the centrifuge test\n- Check the free-water knockout",
      likely_causes: ["Water breakthrough in a producing well", "A sampling error"],
      checks_to_make: ["Repeat the centrifuge test", "Check the free-water knockout"],
    });
    expect(audit.cost.gemini_calls).to.equal(1);
    const [request] = auditorRequestsAbout(partner);
    const data = JSON.parse(request.prompt.slice(request.prompt.indexOf("{")));
    expect(data.entry.id).to.equal(id);
    expect(data.figures_as_entered.bsw_percent).to.equal(2);
    expect(data.reasons.map((r: { code: string }) => r.code)).to.include("BSW_ABOVE_TYPICAL");
    expect(data.verdict_final).to.equal("flagged");
    expect(request.system).to.contain("is final");
    expect(request.schema).to.have.nested.property("properties.likely_causes");
    const after = await readShardedTotals(adminDb(), usageDoc());
    expect(after.prompt_tokens - (before.prompt_tokens ?? 0)).to.be.at.least(321);
    expect(after.output_tokens - (before.output_tokens ?? 0)).to.be.at.least(54);
  });

  it("falls back to the rules' text when Gemini answers malformed JSON, and counts the failure", async () => {
    const partner = await seedPartner();
    const before = await readShardedTotals(adminDb(), usageDoc());
    fakeGemini().script({ kind: "text", text: '{"summary": "cut off', when: partner });
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("flagged");
    expect(audit.explanation.source).to.equal("rules");
    expect(audit.explanation.gemini_error).to.equal("malformed");
    expect(audit.explanation.text).to.match(/^Flagged for review: 1 point needs a coordinator's check\./);
    expect(audit.explanation.text).to.contain("rule-based explanation: Gemini's answer was not valid JSON");
    expect(audit.cost.gemini_calls).to.equal(1);
    expect(auditorRequestsAbout(partner)).to.have.length(1);
    const after = await readShardedTotals(adminDb(), usageDoc());
    expect(after.failures - (before.failures ?? 0)).to.be.at.least(1);
    expect(after.fallbacks - (before.fallbacks ?? 0)).to.be.at.least(1);
  });

  it("counts an answer refused for an invented figure as a template fallback, as the communicator counts its own", async () => {
    const partner = await seedPartner();
    const before = await readShardedTotals(adminDb(), usageDoc());
    fakeGemini().script({
      kind: "json",
      when: partner,
      value: {
        summary: "BS&W of 7.5 % is far above the limit.",
        likely_causes: ["Water breakthrough"],
        checks_to_make: ["Repeat the test"],
      },
    });
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect([audit.explanation.source, audit.explanation.gemini_error]).to.deep.equal(["rules", "figures_not_grounded"]);
    const after = await readShardedTotals(adminDb(), usageDoc());
    expect(after.calls - (before.calls ?? 0)).to.be.at.least(1);
    expect(after.fallbacks - (before.fallbacks ?? 0)).to.be.at.least(1);
  });

  it("retries after a 429 and stores Gemini's answer", async () => {
    const partner = await seedPartner();
    fakeGemini().script(
      { kind: "status", status: 429, when: partner },
      {
        kind: "json",
        when: partner,
        value: { summary: "Wet crude.", likely_causes: [], checks_to_make: ["Re-sample"] },
      },
    );
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect(audit.explanation.source).to.equal("gemini");
    expect(audit.explanation.text).to.equal("Wet crude.\n\nChecks to make:\n- Re-sample");
    expect(audit.cost.gemini_calls).to.equal(2);
    expect(auditorRequestsAbout(partner).map((r) => r.answeredWith)).to.deep.equal(["status", "json"]);
  });

  it("falls back to the rules' text after three 500s", async () => {
    const partner = await seedPartner();
    const error = { kind: "status", status: 500, when: partner } as const;
    fakeGemini().script(error, error, error);
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("flagged");
    expect(audit.explanation.source).to.equal("rules");
    expect(audit.explanation.gemini_error).to.equal("http_500");
    expect(audit.explanation.text).to.contain("Gemini answered with an error (HTTP 500) (3 attempts)");
    expect(audit.cost.gemini_calls).to.equal(3);
    expect(auditorRequestsAbout(partner)).to.have.length(3);
  });

  it("falls back to the rules' text when Gemini hangs past the per-attempt timeout", async () => {
    const partner = await seedPartner();
    const hang = { kind: "hang", when: partner } as const;
    fakeGemini().script(hang, hang, hang);
    const id = await writeEntry(flaggedEntry(partner));

    const audit = await waitForAudit(id);

    expect(audit.status).to.equal("flagged");
    expect(audit.explanation.source).to.equal("rules");
    expect(audit.explanation.gemini_error).to.equal("timeout");
    expect(audit.explanation.text).to.contain("Gemini did not answer in time (3 attempts)");
    expect(auditorRequestsAbout(partner)).to.have.length(3);
  });
});
