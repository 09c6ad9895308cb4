import { expect } from "chai";
import { ROLES } from "../../src/shared/collections";
import { roleWords } from "../../src/shared/role-words";

describe("roleWords", () => {
  it("names every role in words, never by its key", () => {
    expect(ROLES.map(roleWords)).to.deep.equal(["field operator", "JV coordinator", "JV partner", "auditor", "administrator"]);
  });

  it("shows a value that is no role as it is", () => {
    expect(roleWords("superuser")).to.equal("superuser");
  });
});
