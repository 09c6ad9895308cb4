/**
 * The admin's Partners screen (web/src/domain/partner-membership.ts): a partner's status in words,
 * and the checks it makes before calling, which must accept and refuse what setPartner does.
 */
import { expect } from "chai";
import {
  byPartnerName,
  departureDayProblem,
  partnerIdProblem,
  partnerChoiceLabel,
  partnerNameProblem,
  partnerRecordOf,
  partnerRoleProblem,
  partnerRoleStanding,
  partnerStatusWords,
} from "../../../web/src/domain/partner-membership";
import {
  departureDayProblem as serverDayProblem,
  partnerRoleStanding as serverRoleStanding,
  storedMembership,
} from "../../src/domain/partner-membership";
import { isBoundedId } from "../../src/domain/bounded-id";
import { setPartnerInput } from "../../src/agents/admin/set-partner";

describe("web partner membership", () => {
  it("says a partner's status in words", () => {
    expect(partnerStatusWords({ name: "A", active: true, left_jv_on: null })).to.equal("Active");
    expect(partnerStatusWords(partnerRecordOf({ name: "A", active: true, joined_jv_on: "2026-11-01" }))).to.equal(
      "Active (a party from 2026-11-01)",
    );
    expect(partnerRecordOf({ name: "A", active: true, joined_jv_on: "soon" })).to.not.have.property("joined_jv_on");
    expect(partnerStatusWords({ name: "A", active: false, left_jv_on: "2026-10-15" })).to.equal(
      "Left the JV on 2026-10-15 (keeps read access to its statements before that day)",
    );
    expect(partnerStatusWords({ name: "A", active: false, left_jv_on: null })).to.equal("Deactivated: all its users are cut off");
  });

  it("reads a stored partner as setPartner does", () => {
    for (const data of [
      { name: "A", active: true },
      { name: "A", active: true, left_jv_on: "2026-10-15" },
      { name: "A", active: false, left_jv_on: "2026-10-15" },
      { name: "A", active: "true", left_jv_on: "15/10/2026" },
      { name: " ", active: false },
      {},
    ]) {
      expect(partnerRecordOf(data), JSON.stringify(data)).to.deep.equal(storedMembership(data));
    }
  });

  it("refuses a departure day as setPartner would", () => {
    const bounds = { today: "2026-12-07", jvStartDate: "2026-01-01" };
    for (const day of ["2026-12-07", "2026-12-08", "2026-01-01", "2025-12-31", "2026-06-30"]) {
      expect(departureDayProblem(day, bounds) === undefined, day).to.equal(serverDayProblem(day, bounds) === undefined);
    }
    expect(departureDayProblem("2026-12-08", bounds)).to.equal("The day must not be after today's contract day, 2026-12-07");
    expect(departureDayProblem("2025-12-31", bounds)).to.equal("The day must not be before the JV's start date, 2026-01-01");
    expect(departureDayProblem("", bounds)).to.equal("Give the first day on which it is no longer a party");
  });

  it("refuses an id and a name as setPartner's input would, and an id already taken", () => {
    for (const id of ["cobalt", "Cobalt_2-x", "a".repeat(64), "a".repeat(65), "a b", "a/b", "__x__", "ö"]) {
      expect(partnerIdProblem(id) === undefined, id).to.equal(isBoundedId(id));
    }
    expect(partnerIdProblem("northwind", { name: "Northwind Energy" })).to.equal(
      "The id northwind is taken by Northwind Energy: rename that partner in its row instead",
    );
    for (const name of ["Cobalt Ltd", `  ${"x".repeat(100)}  `, "x".repeat(101), "Cobalt\nLtd", "Cobalt\u202eLtd"]) {
      const parsed = setPartnerInput.safeParse({ partner_id: "p", name });
      expect(partnerNameProblem(name) === undefined, JSON.stringify(name)).to.equal(parsed.success);
    }
    expect(partnerNameProblem("Cobalt\nLtd")).to.equal("The name must not hold U+000A (a line break)");
  });

  it("offers a partner for a role as setUserRole gives it: a former partner for the JV partner role only", () => {
    const stored = [
      { name: "Active Ltd", active: true },
      { name: "Delta Petroleum", active: false, left_jv_on: "2026-10-15" },
      { name: "Dormant Ltd", active: false },
      { name: "Odd Ltd", active: true, left_jv_on: "2026-10-15" },
    ];
    for (const data of stored) {
      for (const role of ["jv_partner", "field_operator"]) {
        expect(partnerRoleStanding(partnerRecordOf(data), role), `${data.name} ${role}`).to.equal(
          serverRoleStanding(storedMembership(data), role),
        );
      }
    }
    expect(partnerRoleStanding(undefined, "jv_partner")).to.equal(serverRoleStanding(null, "jv_partner"));

    const delta = partnerRecordOf(stored[1]);
    expect(partnerChoiceLabel("delta", delta)).to.equal("Delta Petroleum (left the JV on 2026-10-15)");
    expect(partnerChoiceLabel("active", partnerRecordOf(stored[0]))).to.equal("Active Ltd");
    expect(partnerChoiceLabel("nameless", partnerRecordOf({ active: true }))).to.equal("nameless");
    expect(partnerRoleProblem("delta", delta, "jv_partner")).to.equal(undefined);
    expect(partnerRoleProblem("delta", delta, "field_operator")).to.equal(
      "Delta Petroleum left the JV on 2026-10-15: only its JV partner users may be given a role for it, to read its statements of before. Choose an active partner, or the JV partner role.",
    );
    expect(partnerRoleProblem("dormant", partnerRecordOf(stored[2]), "jv_partner")).to.equal("Choose an active partner.");
    expect(partnerRoleProblem("active", partnerRecordOf(stored[0]), "field_operator")).to.equal(undefined);
    // A partner the page has not read is left to the server.
    expect(partnerRoleProblem("unknown", undefined, "field_operator")).to.equal(undefined);
  });
});

describe("the partners as the screens list them", () => {
  it("sorts by name, a partner without one by its id, ties by id", () => {
    const doc = (id: string, name?: unknown) => ({ id, data: name === undefined ? {} : { name } });
    const sorted = byPartnerName([doc("c", "bravo"), doc("alpha"), doc("b", "  "), doc("a", "bravo"), doc("d", "Charlie")]);
    expect(sorted.map((d) => d.id)).to.deep.equal(["alpha", "b", "a", "c", "d"]);
  });
});
