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

  it("is missing when the JV has no such partner", () => {
    expect(partnerStanding("p404", { loading: false, docs: undefined })).to.deep.equal({ kind: "missing" });
  });

  it("is unknown while loading or when the read failed (offline), so no screen is withheld for it", () => {
    expect(partnerStanding("p1", { loading: true })).to.deep.equal({ kind: "unknown" });
    expect(partnerStanding("p1", { loading: false, error: "Could not load partner p1: offline" })).to.deep.equal({ kind: "unknown" });
  });
});
