/** The web app's error text (web/src/format.ts): a callable's details in words, never raw JSON. */
import { expect } from "chai";
import { detailsInWords, errorMessage } from "../../../web/src/format";

describe("web error messages", () => {
  it("gives validation issues as field: message", () => {
    const error = {
      code: "functions/invalid-argument",
      message: "partner_id p-9 is not an existing active partner.",
      details: {
        issues: [
          { path: "partner_id", code: "custom", message: "no such partner" },
          { path: ["acknowledge_luaf", "note"], message: "say why" },
        ],
      },
    };
    expect(errorMessage(error)).to.equal(
      "partner_id p-9 is not an existing active partner. (partner_id: no such partner; acknowledge_luaf.note: say why)",
    );
  });

  it("lists ids in words, cut at ten, and leaves out empty fields", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `e${i + 1}`);
    expect(detailsInWords({ pending_audit: ids, pending_audit_count: 12, awaiting_review: [], unmeasurable: [] })).to.equal(
      "pending audit: e1, e2, e3, e4, e5, e6, e7, e8, e9, e10 and 2 more; pending audit count: 12",
    );
  });

  it("names the fields of a nested object and stops two levels down", () => {
    expect(
      detailsInWords({ luaf: { within_band: false, tolerance_percent: 0.5, deep: { deeper: { x: 1 } } }, retry_after_seconds: 30 }),
    ).to.equal("luaf: {within band false, tolerance percent 0.5, deep {deeper …}}; retry after seconds: 30");
  });

  it("adds nothing without details, and cuts a long text at 600 characters", () => {
    expect(errorMessage({ message: "Entry x does not exist." })).to.equal("Entry x does not exist.");
    expect(errorMessage("plain")).to.equal("plain");
    const long = errorMessage({ message: "m", details: { note: "n".repeat(1000) } });
    expect(long).to.have.length(1 + 2 + 600 + 1);
    expect(long.endsWith("…)")).to.equal(true);
  });
});
