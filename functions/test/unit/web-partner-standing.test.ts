import { expect } from "chai";
import { partnerStanding } from "../../../web/src/domain/partner-standing";

describe("web: a partner-bound account's standing", () => {
  it("is active only when the partner's document says active: true", () => {
    expect(partnerStanding("p1", { loading: false, docs: { name: "Northwind", active: true } })).to.deep.equal({ kind: "active" });
    expect(partnerStanding("p1", { loading: false, docs: { name: "Northwind", active: false } })).to.deep.equal({
      kind: "inactive",
      name: "Northwind",
    });
    // As the rules read it: a missing active field is not active.
    expect(partnerStanding("p1", { loading: false, docs: { name: "Northwind" } })).to.deep.equal({ kind: "inactive", name: "Northwind" });
    expect(partnerStanding("p1", { loading: false, docs: { active: "yes" } })).to.deep.equal({ kind: "inactive", name: "p1" });
  });

  it("is former when an inactive partner carries when it left, as the rules read it (left_at a timestamp)", () => {
    const at = new Date("2026-10-15T05:00:00Z");
    const timestamp = { toDate: () => at };
    expect(
      partnerStanding("p4", { loading: false, docs: { name: "Delta", active: false, left_jv_on: "2026-10-15", left_at: timestamp } }),
    ).to.deep.equal({ kind: "former", name: "Delta", left: { on: "2026-10-15", at } });
    // Active wins: a partner that rejoined with stale fields left behind acts as any other.
    expect(partnerStanding("p4", { loading: false, docs: { active: true, left_jv_on: "2026-10-15", left_at: timestamp } })).to.deep.equal({
      kind: "active",
    });
    // Half a departure (no left_at, or text for it) is no departure: cut off, as the rules do.
    expect(partnerStanding("p4", { loading: false, docs: { name: "Delta", active: false, left_jv_on: "2026-10-15" } })).to.deep.equal({
      kind: "inactive",
      name: "Delta",
    });
    expect(
      partnerStanding("p4", { loading: false, docs: { name: "Delta", active: false, left_jv_on: "2026-10-15", left_at: "2026-10-15" } }),
    ).to.deep.equal({ kind: "inactive", name: "Delta" });
  });

  it("is missing when the JV has no such partner", () => {
    expect(partnerStanding("p404", { loading: false, docs: undefined })).to.deep.equal({ kind: "missing" });
  });

  it("is unknown while loading or when the read failed (offline), so no screen is withheld for it", () => {
    expect(partnerStanding("p1", { loading: true })).to.deep.equal({ kind: "unknown" });
    expect(partnerStanding("p1", { loading: false, error: "Could not load partner p1: offline" })).to.deep.equal({ kind: "unknown" });
  });
});
