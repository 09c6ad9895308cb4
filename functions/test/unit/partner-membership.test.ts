import { expect } from "chai";
import {
  changedFields,
  departureStarts,
  nextMembership,
  partnerRoleStanding,
  storedMembership,
  type MembershipChange,
  type MembershipOutcome,
  type PartnerMembership,
  type StoredMembership,
} from "../../src/domain/partner-membership";
import { setPartnerInput } from "../../src/agents/admin/set-partner";
import { parseInput } from "../../src/shared/callable-guard";

const bounds = { today: "2026-12-07", jvStartDate: "2026-01-01" };
const active: PartnerMembership = { name: "Northwind Energy", active: true, left_jv_on: null };
const former: PartnerMembership = { name: "Northwind Energy", active: false, left_jv_on: "2026-10-15" };
const deactivated: PartnerMembership = { name: "Northwind Energy", active: false, left_jv_on: null };

const next = (before: StoredMembership | null, change: MembershipChange, id = "northwind"): MembershipOutcome =>
  nextMembership(id, before, change, bounds);
const accepted = (outcome: MembershipOutcome) => {
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  return { after: outcome.after, changed: outcome.changed };
};
const refusal = (outcome: MembershipOutcome) => {
  if (outcome.ok) throw new Error(`accepted: ${JSON.stringify(outcome.after)}`);
  return { code: outcome.code, message: outcome.message };
};

describe("partner membership: setPartner's transitions", () => {
  it("adds with new_partner only an id that is no partner yet: an addition never renames", () => {
    expect(accepted(next(null, { name: "Cobalt Ltd", new_partner: true }, "cobalt")).after).to.deep.equal({
      name: "Cobalt Ltd",
      active: true,
      left_jv_on: null,
    });
    expect(refusal(next(active, { name: "Northwind Energy Ltd", new_partner: true }))).to.deep.equal({
      code: "failed-precondition",
      message:
        "The id northwind is already partner Northwind Energy: nothing was changed. Choose another id for a new partner, or rename that one without new_partner.",
    });
    // Without it, the same call is a rename.
    expect(accepted(next(active, { name: "Northwind Energy Ltd" })).changed).to.deep.equal(["name"]);
  });

  it("adds a partner with its name, active unless said otherwise", () => {
    expect(accepted(next(null, { name: "Cobalt Ltd" }, "cobalt"))).to.deep.equal({
      after: { name: "Cobalt Ltd", active: true, left_jv_on: null },
      changed: ["name", "active"],
    });
    expect(accepted(next(null, { name: "Cobalt Ltd", active: false }, "cobalt")).after).to.deep.equal({
      name: "Cobalt Ltd",
      active: false,
      left_jv_on: null,
    });
  });

  it("refuses a new partner without a name, or as having left", () => {
    expect(refusal(next(null, { active: true }, "cobalt"))).to.deep.equal({
      code: "not-found",
      message: 'No partner "cobalt" exists: to add it, give its name.',
    });
    expect(refusal(next(null, { name: "Cobalt Ltd", left_jv_on: "2026-10-01" }, "cobalt"))).to.deep.equal({
      code: "failed-precondition",
      message:
        "Partner Cobalt Ltd is not a partner of the JV yet, so it cannot have left it on 2026-10-01: add it first, then record its departure.",
    });
  });

  it("renames, keeping what is not given", () => {
    expect(accepted(next(former, { name: "Northwind Energy plc" }))).to.deep.equal({
      after: { name: "Northwind Energy plc", active: false, left_jv_on: "2026-10-15" },
      changed: ["name"],
    });
  });

  it("records a departure: the partner becomes inactive with its day", () => {
    expect(accepted(next(active, { left_jv_on: "2026-10-15" }))).to.deep.equal({
      after: former,
      changed: ["active", "left_jv_on"],
    });
    // Today is the latest day accepted; a deactivated partner may be recorded as having left too.
    expect(accepted(next(deactivated, { left_jv_on: "2026-12-07", active: false })).changed).to.deep.equal(["left_jv_on"]);
    expect(accepted(next(former, { left_jv_on: "2026-11-01" })).changed).to.deep.equal(["left_jv_on"]);
  });

  it("refuses a departure together with active: true", () => {
    const r = refusal(next(active, { active: true, left_jv_on: "2026-10-15" }));
    expect(r.code).to.equal("invalid-argument");
    expect(r.message).to.equal(
      "Partner Northwind Energy cannot be made active and recorded as having left the JV on 2026-10-15 at once: give active: true alone to have it rejoin (its departure is cleared), or left_jv_on alone to record its departure.",
    );
  });

  it("refuses a departure after the current contract day or before the JV's start", () => {
    expect(refusal(next(active, { left_jv_on: "2026-12-08" }))).to.deep.equal({
      code: "failed-precondition",
      message:
        "Partner Northwind Energy cannot be recorded as having left the JV on 2026-12-08: that day is in the future (today is contract day 2026-12-07); record a departure on or after the day it takes effect.",
    });
    expect(refusal(next(active, { left_jv_on: "2025-12-31" }))).to.deep.equal({
      code: "failed-precondition",
      message:
        "Partner Northwind Energy cannot be recorded as having left the JV on 2025-12-31: that is before the JV's start date, 2026-01-01.",
    });
    expect(accepted(next(active, { left_jv_on: "2026-01-01" })).after.left_jv_on).to.equal("2026-01-01");
    expect(nextMembership("northwind", active, { left_jv_on: "1999-01-01" }, { ...bounds, jvStartDate: null }).ok).to.equal(true);
  });

  it("keeps a stored departure without checking it again (the bounds apply to a new day only)", () => {
    const later = nextMembership("northwind", former, { name: "NW" }, { today: "2026-10-01", jvStartDate: "2026-11-01" });
    expect(accepted(later).after).to.deep.equal({ name: "NW", active: false, left_jv_on: "2026-10-15" });
  });

  it("rejoins on active: true, clearing the departure", () => {
    expect(accepted(next(former, { active: true }))).to.deep.equal({ after: active, changed: ["active", "left_jv_on"] });
    expect(accepted(next(deactivated, { active: true }))).to.deep.equal({ after: active, changed: ["active"] });
  });

  it("clears a departure with left_jv_on: null, the partner staying inactive unless active: true is given", () => {
    expect(accepted(next(former, { left_jv_on: null }))).to.deep.equal({ after: deactivated, changed: ["left_jv_on"] });
    expect(accepted(next(former, { left_jv_on: null, active: true }))).to.deep.equal({ after: active, changed: ["active", "left_jv_on"] });
    expect(accepted(next(active, { left_jv_on: null })).changed).to.deep.equal([]);
  });

  it("deactivates: a former partner keeps its departure, an active one has none", () => {
    expect(accepted(next(active, { active: false }))).to.deep.equal({ after: deactivated, changed: ["active"] });
    expect(accepted(next(former, { active: false })).changed).to.deep.equal([]);
  });

  it("says nothing changed when every value given is the stored one", () => {
    expect(accepted(next(active, { name: "Northwind Energy", active: true })).changed).to.deep.equal([]);
    expect(accepted(next(former, { left_jv_on: "2026-10-15" })).changed).to.deep.equal([]);
  });

  it("asks for a name when the stored partner has none", () => {
    const nameless: StoredMembership = { name: null, active: true, left_jv_on: null };
    expect(refusal(next(nameless, { active: false }, "basalt"))).to.deep.equal({
      code: "invalid-argument",
      message: 'Partner "basalt" has no name on record: give it one (name) with this change.',
    });
    expect(accepted(next(nameless, { name: "Basalt Ridge" }, "basalt")).changed).to.deep.equal(["name"]);
  });

  it("reads a stored partner as the rules do: active only when true, a departure only while inactive", () => {
    expect(storedMembership(undefined)).to.equal(null);
    expect(storedMembership({ name: "A", active: true, left_jv_on: "2026-10-15" })).to.deep.equal({
      name: "A",
      active: true,
      left_jv_on: null,
    });
    expect(storedMembership({ name: "A", active: "yes" })).to.deep.equal({ name: "A", active: false, left_jv_on: null });
    expect(storedMembership({ name: " ", active: false, left_jv_on: "2026-10-15" })).to.deep.equal({
      name: null,
      active: false,
      left_jv_on: "2026-10-15",
    });
    expect(storedMembership({ name: "A", active: false, left_jv_on: 20261015 })!.left_jv_on).to.equal(null);
  });

  it("lists a new partner's name and active as changed, an existing one's differing fields", () => {
    expect(changedFields(null, { name: "A", active: true, left_jv_on: null })).to.deep.equal(["name", "active"]);
    expect(changedFields(active, former)).to.deep.equal(["active", "left_jv_on"]);
  });

  it("puts each former partner's left_at at the start of its contract day under the settings", () => {
    const partners = [
      { id: "a", data: { name: "A", active: true } },
      { id: "b", data: { name: "B", active: false, left_jv_on: "2026-10-15" } },
      { id: "c", data: { name: "C", active: false } },
    ];
    expect(departureStarts(partners, { contract_day_start_hour: 6, utc_offset_minutes: 60 })).to.deep.equal([
      { id: "b", left_at: new Date("2026-10-15T05:00:00Z") },
    ]);
    expect(departureStarts(partners, { contract_day_start_hour: 0, utc_offset_minutes: 0 })).to.deep.equal([
      { id: "b", left_at: new Date("2026-10-15T00:00:00Z") },
    ]);
  });
});

describe("setPartner's input", () => {
  const refused = (data: unknown) => {
    try {
      parseInput(setPartnerInput, data);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("accepted");
  };

  it("takes a partner id with at least one of name, active, left_jv_on and joined_jv_on", () => {
    expect(parseInput(setPartnerInput, { partner_id: " cobalt ", name: "  Cobalt Ltd " })).to.deep.equal({
      partner_id: "cobalt",
      name: "Cobalt Ltd",
    });
    expect(parseInput(setPartnerInput, { partner_id: "cobalt", left_jv_on: null })).to.deep.equal({
      partner_id: "cobalt",
      left_jv_on: null,
    });
    expect(refused({ partner_id: "cobalt" })).to.equal("Invalid request: give at least one of name, active, left_jv_on and joined_jv_on");
  });

  it("refuses a bad id, name or day in words", () => {
    expect(refused({ partner_id: "a/b", active: true })).to.match(/^Invalid request: partner_id: must be 1 to 64 characters/);
    expect(refused({ partner_id: "cobalt", name: "   " })).to.equal("Invalid request: name: must not be empty");
    expect(refused({ partner_id: "cobalt", name: "x".repeat(101) })).to.equal("Invalid request: name: must be at most 100 characters");
    expect(refused({ partner_id: "cobalt", name: "Cobalt\nLtd" })).to.equal("Invalid request: name: must not hold U+000A (a line break)");
    expect(refused({ partner_id: "cobalt", left_jv_on: "2026-02-30" })).to.equal(
      "Invalid request: left_jv_on: must be a real calendar date",
    );
    expect(refused({ partner_id: "cobalt", left_jv_on: "15/10/2026" })).to.equal("Invalid request: left_jv_on: must be YYYY-MM-DD");
    expect(refused({ partner_id: "cobalt", active: "yes" })).to.equal("Invalid request: active: must be a boolean, not a string");
    expect(refused({ partner_id: "cobalt", actve: true })).to.equal('Invalid request: unknown field "actve"');
  });
});

describe("partner membership: the roles setUserRole gives for a partner", () => {
  it("gives any partner-bound role for an active partner, only jv_partner for a former one, none for a deactivated or missing one", () => {
    const roles = ["jv_partner", "field_operator"];
    expect(roles.map((r) => partnerRoleStanding(active, r))).to.deep.equal(["ok", "ok"]);
    expect(roles.map((r) => partnerRoleStanding(former, r))).to.deep.equal(["ok", "partner_users_only"]);
    expect(roles.map((r) => partnerRoleStanding(deactivated, r))).to.deep.equal(["unusable", "unusable"]);
    expect(roles.map((r) => partnerRoleStanding(null, r))).to.deep.equal(["unusable", "unusable"]);
    // As stored: a departure counts only while inactive.
    expect(partnerRoleStanding(storedMembership({ name: "A", active: true, left_jv_on: "2026-10-15" }), "field_operator")).to.equal("ok");
    expect(partnerRoleStanding(storedMembership({ name: "A", active: false, left_jv_on: "15/10/2026" }), "jv_partner")).to.equal(
      "unusable",
    );
  });
});
