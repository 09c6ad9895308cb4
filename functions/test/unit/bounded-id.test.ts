import { expect } from "chai";
import { capText, isBoundedId } from "../../src/domain/bounded-id";

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

describe("capped text (reasons and notes a report keeps)", () => {
  it("keeps text within the cap as it is, and marks a cut with an ellipsis", () => {
    expect(capText("short", 10)).to.equal("short");
    expect(capText("x".repeat(11), 10)).to.equal(`${"x".repeat(9)}…`);
  });

  it("never cuts a surrogate pair in half, so the text survives Firestore's UTF-8 unchanged", () => {
    // "🛢" is two UTF-16 code units; placed so that the usual cut would keep only its first half.
    const text = `${"x".repeat(8)}🛢${"y".repeat(5)}`;
    const cut = capText(text, 10);
    expect(cut).to.equal(`${"x".repeat(8)}…`);
    expect(Buffer.from(cut, "utf8").toString("utf8")).to.equal(cut);
    expect(capText(`${"x".repeat(7)}🛢${"y".repeat(5)}`, 10)).to.equal(`${"x".repeat(7)}🛢…`);
  });
});
