import { expect } from "chai";
import { type DocumentSnapshot } from "firebase-admin/firestore";
import { partnerWords } from "../../src/domain/partner-words";
import { unusablePartner } from "../../src/shared/partner-refusal";

const snapshot = (fields: Record<string, unknown> | null) =>
  ({ exists: fields !== null, get: (key: string) => fields?.[key] }) as unknown as DocumentSnapshot;

describe("partnerWords", () => {
  it("names a partner by its name, by its id only when it has none", () => {
    expect(partnerWords("northwind", "Northwind Energy")).to.equal("Partner Northwind Energy");
    expect(partnerWords("northwind", "  ")).to.equal('Partner "northwind"');
    expect(partnerWords("northwind", undefined)).to.equal('Partner "northwind"');
  });
});

describe("unusablePartner", () => {
  it("says in words why the partner cannot be chosen, and keeps the field's key for programs", () => {
    const inactive = unusablePartner("failed-precondition", "northwind", snapshot({ name: "Northwind Energy", active: false }));
    expect([inactive.code, inactive.message]).to.deep.equal([
      "failed-precondition",
      "Partner Northwind Energy is not active: choose an active partner.",
    ]);
    expect(inactive.details).to.deep.equal({ issues: [{ path: "partner_id", code: "custom", message: "the partner is not active" }] });
    const absent = unusablePartner("invalid-argument", "p-9", snapshot(null));
    expect([absent.code, absent.message]).to.deep.equal(["invalid-argument", 'Partner "p-9" does not exist: choose an active partner.']);
  });
});
