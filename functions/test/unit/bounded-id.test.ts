import { expect } from "chai";
import { isBoundedId } from "../../src/domain/bounded-id";

describe("bounded ids (entries and receipts)", () => {
  it("accepts 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", () => {
    for (const id of ["a", "E-2026-09-01_M1", "_x_", "__x", "x__", "a".repeat(64)]) expect(isBoundedId(id), id).to.equal(true);
  });

  it("refuses ids Firestore reserves (__name__), which would fail the write with an internal error", () => {
    for (const id of ["__proto__", "__name__", "____", "__a-b__"]) expect(isBoundedId(id), id).to.equal(false);
  });

  it("refuses empty, long, spaced, dotted, slashed and non-string ids", () => {
    for (const id of ["", "a".repeat(65), "entry 1", "entry.1", "a/b", 7, null]) expect(isBoundedId(id), String(id)).to.equal(false);
  });
});
