/**
 * What the auditor's audit log says of each event's details (web/src/domain/audit-event-details.ts),
 * from details shaped as the functions write them: the role set and what it was, the audit's
 * verdict and reasons by their titles, a review's decision and note, a statement's version, …
 */
import { expect } from "chai";
import {
  auditEventDetails,
  detailsText,
  scriptActor,
  type DetailPart,
  type DetailPhrase,
} from "../../../web/src/domain/audit-event-details";
import { apiKeyCreatedEvent, describeApiKey } from "../../src/domain/api-key";
import { RULE_CODES } from "../../src/domain/audit-rules";
import type { ExceptionOutcome } from "../../src/domain/statement-exception";
import type { DecideAdjustmentResult } from "../../src/agents/accountant/decide-adjustment";
import { nextMembership, pickFields, type MembershipChange, type StoredMembership } from "../../src/domain/partner-membership";

const NAMES: Record<string, string> = { northwind: "Northwind Energy", "pet-20260901-20261030_v2": "statement v2" };
/** References by a name, as the screen names them, so that a reference said by its id shows. */
const named = (ref: Exclude<DetailPart, string>) => {
  const id = "partner" in ref ? ref.partner : "statement" in ref ? ref.statement : ref.person;
  return `[${NAMES[id] ?? id}]`;
};
const say = (action: string, details: Record<string, unknown>) => detailsText(auditEventDetails(action, details), named);
/** Every piece of every phrase that is words (to check no hash or id is said). */
const words = (phrases: DetailPhrase[]) => phrases.flatMap((p) => p.filter((x): x is string => typeof x === "string")).join(" ");

describe("web audit-log event details in words", () => {
  it("says which role was set, from what, with the partner named (set-user-role.ts's details)", () => {
    // admin/set-user-role.ts: { role, partner_id, previous_role, previous_partner_id }
    const details = (role: string, partner: string | null, previousRole: string | null, previousPartner: string | null) => ({
      role,
      partner_id: partner,
      previous_role: previousRole,
      previous_partner_id: previousPartner,
    });
    expect(say("user_role_set", details("admin", null, null, null))).to.equal("Role: none → Administrator");
    expect(say("user_role_set", details("jv_partner", "northwind", "field_operator", null))).to.equal(
      "Role: Field operator → JV partner of [Northwind Energy]",
    );
    expect(say("user_role_set", details("jv_partner", "northwind", "jv_partner", "northwind"))).to.equal(
      "Role: JV partner of [Northwind Energy] (unchanged)",
    );
    const phrase = auditEventDetails("user_role_set", details("jv_partner", "northwind", null, null))[0];
    expect(phrase, "the partner as a reference the screen names").to.deep.include({ partner: "northwind" });
    expect(say("user_role_reverted", { reverts: "role_u1_1_admin_ab12cd34", reason: "claims could not be set" })).to.equal(
      "Role left as it was · because: “claims could not be set”",
    );
  });

  it("names the bootstrap script that set the first administrator, and no one else", () => {
    expect(scriptActor("flowshare-bootstrap")).to.equal("the set-up script (outside the app)");
    expect(scriptActor("demo-admin")).to.equal(undefined);
    expect(scriptActor("auditor")).to.equal(undefined);
    expect(scriptActor(undefined)).to.equal(undefined);
  });

  it("says an audit's verdict and its reasons by their titles, never its hashes (audit-entry.ts's details)", () => {
    // auditor/audit-entry.ts: { verdict, reason_codes, input_hash, rules_version, explanation_source }
    const audited = {
      verdict: "flagged",
      reason_codes: [RULE_CODES.bswAboveTypical, RULE_CODES.duplicateEntry, RULE_CODES.bswAboveTypical],
      input_hash: "9f2c4e0a".repeat(8),
      rules_version: 7,
      explanation_source: "rules",
    };
    expect(say("entry_audited", audited)).to.equal("Verdict: Flagged · Reasons: BS&W above typical, Duplicate entry");
    expect(say("entry_audited", { ...audited, verdict: "validated", reason_codes: [] })).to.equal("Verdict: Validated · No reasons");
    expect(say("entry_audited", { ...audited, stale_review_removed: "approved" })).to.equal(
      "Verdict: Flagged · Reasons: BS&W above typical, Duplicate entry · earlier review (approved) set aside: the figures changed",
    );
    expect(words(auditEventDetails("entry_audited", audited))).not.to.include("9f2c4e0a");
  });

  it("says a review's decision, what it was, its note, revision and role (review-entry.ts's details)", () => {
    // auditor/review-entry.ts: { decision, note, role, input_hash, revision, previous_decision, bulk? }
    const reviewed = {
      decision: "approved",
      note: "Confirmed with the field: the tank was drained.",
      role: "jv_coordinator",
      input_hash: "ab".repeat(32),
      revision: 1,
      previous_decision: null,
    };
    expect(say("entry_reviewed", reviewed)).to.equal(
      "Decision: Approved · note “Confirmed with the field: the tank was drained.” · as JV coordinator",
    );
    expect(
      say("entry_reviewed", { ...reviewed, decision: "rejected", revision: 2, previous_decision: "approved", note: "", role: "admin" }),
    ).to.equal("Decision: Rejected (was approved) · no note · revision 2 · as Administrator");
    expect(say("entry_reviewed", { ...reviewed, bulk: { call: "c1", count: 12, partner_count: 4 } })).to.include(
      "one of 12 entries decided at once",
    );
    expect(
      say("entry_corrected", {
        correction_note: "Wrong meter",
        corrected_at: "2026-10-31T08:00:00.000Z",
        measured_at: "2026-10-30T06:00:00.000Z",
      }),
    ).to.equal("Note “Wrong meter” · measured 2026-10-30 06:00 UTC");
  });

  it("says a statement's version, what it replaced and raised, its release and its replacement (commit-version.ts, release-reconciliation.ts)", () => {
    // accountant/commit-version.ts
    const completed = {
      version: 2,
      supersedes: "pet-20260901-20261030_v1",
      supersedes_receipt: null,
      inputs_digest: "d".repeat(64),
      integrity_hash: "e".repeat(64),
      hash_scheme: "v2",
      content_digest: "f".repeat(64),
      luaf_acknowledged: true,
      release_required: true,
      adjustments_created: ["adj1", "adj2"],
      adjustments_carried: [],
      replacement_recorded: true,
    };
    expect(say("reconciliation_completed", completed)).to.equal(
      "Version 2 · replaces [pet-20260901-20261030_v1] · 2 prior-period adjustments raised · LUAF over tolerance acknowledged · awaits release to the partners",
    );
    expect(words(auditEventDetails("reconciliation_completed", completed))).not.to.match(/ddd|eee|fff/);
    expect(say("reconciliation_superseded", { superseded_by: "pet-20260901-20261030_v2", terminal_receipt_id: "pet-20261031" })).to.equal(
      "Replaced by [statement v2] (receipt pet-20261031)",
    );
    // accountant/release-reconciliation.ts
    expect(
      say("reconciliation_released", {
        reconciliation_id: "pet-20260901-20261030_v2",
        version: 2,
        integrity_hash: "e".repeat(64),
        note: "Checked against the terminal ticket.",
        role: "jv_coordinator",
        adjustments_released: ["adj1"],
      }),
    ).to.equal("Version 2 released · note “Checked against the terminal ticket.” · with 1 prior-period adjustment · as JV coordinator");
  });

  it("says an adjustment decision's note and its set (decide-adjustment.ts's details)", () => {
    const set: DecideAdjustmentResult["set"] = [
      { adjustment_id: "a1", partner_id: "northwind", delta_bbl: 12.5 },
      { adjustment_id: "a2", partner_id: "southgate", delta_bbl: -20 },
    ];
    expect(
      say("adjustment_rejected", {
        decision: "rejected",
        note: "Wrong period",
        role: "admin",
        partner_id: "northwind",
        delta_bbl: 12.5,
        from_reconciliation_id: "pet-20260901-20261030_v2",
        set,
        set_total_bbl: -7.5,
      }),
    ).to.equal("Note “Wrong period” · decided with its set of 2, \u22127.50 bbl in all · as Administrator");
  });

  it("says an exception's text, answer and correction (statement-exceptions.ts, exception-correction.ts)", () => {
    const base = { reconciliation_id: "pet-20260901-20261030_v2", version: 2, integrity_hash: "e".repeat(64), partner_id: "northwind" };
    expect(say("statement_exception_raised", { ...base, text: "Our meter read 3,100 bbl on the 12th." })).to.equal(
      "Against version 2 · says “Our meter read 3,100 bbl on the 12th.”",
    );
    const outcome: ExceptionOutcome = "upheld";
    expect(
      say("statement_exception_answered", { ...base, outcome, answer: "Agreed: a corrected ticket follows.", role: "jv_coordinator" }),
    ).to.equal("Answer: Upheld · “Agreed: a corrected ticket follows.” · as JV coordinator");
    expect(
      say("statement_exception_corrected", {
        ...base,
        corrected_in: "pet-20260901-20261030_v2",
        corrected_in_version: 3,
        corrected_in_status: "final",
        corrected_in_integrity_hash: "c".repeat(64),
        allocated_bbl_before: 3044.04,
        allocated_bbl_after: 3100,
        role: "admin",
      }),
    ).to.equal("Corrected in [statement v2] (final) · allocated 3,044.04 → 3,100.00 bbl · as Administrator");
  });

  it("says an API key's meters, expiry and prefix from the functions' own event, never the key or its hash", () => {
    const issued = describeApiKey("fsgk_3bXk9QaZ0000000000000000000000000000");
    const grant = { partner_id: "northwind", name: "SCADA", meter_ids: null, expires_at: null, created_by: "u1", created_at: new Date(0) };
    const all = apiKeyCreatedEvent(issued, grant);
    expect(say(all.action, all.details)).to.equal(`Meters: all of the partner's · never expires · key starts ${issued.prefix}…`);
    const some = apiKeyCreatedEvent(issued, { ...grant, meter_ids: ["M-1", "M-2"], expires_at: new Date("2027-01-31T00:00:00Z") });
    expect(say(some.action, some.details)).to.equal(`Meters: M-1, M-2 · expires 2027-01-31 00:00 UTC · key starts ${issued.prefix}…`);
    const text = words(auditEventDetails(some.action, some.details));
    expect(text).not.to.include(issued.sha256);
    expect(text).not.to.include(issued.keyId);
    expect(say("api_key_revoked", { key_id: issued.keyId, partner_id: "northwind", prefix: issued.prefix })).to.equal(
      `The key starting ${issued.prefix}… no longer admits a ticket`,
    );
  });

  it("says an unknown action's scalar fields as key: value, never objects or hashes, and nothing for none", () => {
    expect(
      say("meter_retired", {
        meter_id: "M-7",
        partner_id: "northwind",
        count: 3,
        final: true,
        content_hash: "a".repeat(64),
        nested: { a: 1 },
        list: [{ x: 1 }],
        tags: ["a", "b"],
      }),
    ).to.equal("Meter: M-7 · Partner: [Northwind Energy] · Count: 3 · Final: yes · Tags: a, b");
    expect(auditEventDetails("meter_retired", {})).to.deep.equal([]);
    expect(auditEventDetails("meter_retired", undefined)).to.deep.equal([]);
    // JV settings: the subject says the change; the details add the role only.
    expect(say("jv_settings_changed", { changed: ["luaf_tolerance_pct"], before: {}, after: {}, role: "admin" })).to.equal(
      "as Administrator",
    );
  });

  it("says what setPartner changed, before → after, and a partner added (set-partner.ts's details)", () => {
    // admin/set-partner.ts: { changed, before, after, role, created? }, from the domain's own transition.
    const details = (before: StoredMembership | null, change: MembershipChange) => {
      const next = nextMembership("cobalt", before, change, { today: "2026-12-07", jvStartDate: null });
      if (!next.ok) throw new Error(next.message);
      return {
        changed: next.changed,
        before: pickFields(before, next.changed),
        after: pickFields(next.after, next.changed),
        role: "admin",
        ...(before === null ? { created: true } : {}),
      };
    };
    const active: StoredMembership = { name: "Cobalt Ltd", active: true, left_jv_on: null };
    const former: StoredMembership = { name: "Cobalt Ltd", active: false, left_jv_on: "2026-10-15" };
    expect(say("partner_set", details(null, { name: "Cobalt Ltd" }))).to.equal("Added as “Cobalt Ltd”, active · as Administrator");
    expect(say("partner_set", details(null, { name: "Cobalt Ltd", active: false }))).to.equal(
      "Added as “Cobalt Ltd”, deactivated · as Administrator",
    );
    expect(say("partner_set", details(active, { name: "Cobalt Energy plc" }))).to.equal(
      "Name: “Cobalt Ltd” → “Cobalt Energy plc” · as Administrator",
    );
    expect(say("partner_set", details(active, { left_jv_on: "2026-10-15" }))).to.equal(
      "Status: active → inactive · Left the JV on: none → 2026-10-15 · as Administrator",
    );
    expect(say("partner_set", details(former, { active: true }))).to.equal(
      "Status: inactive → active · Left the JV on: 2026-10-15 → none · as Administrator",
    );
    expect(say("partner_set", details(former, { left_jv_on: null }))).to.equal("Left the JV on: 2026-10-15 → none · as Administrator");
    expect(say("partner_set", details(active, { active: false }))).to.equal("Status: active → inactive · as Administrator");
    // A field this screen does not know, as recorded.
    expect(say("partner_set", { changed: ["region"], before: { region: null }, after: { region: "North Sea" } })).to.equal(
      "Region: none → North Sea",
    );
  });
});
