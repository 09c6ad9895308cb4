/** The web app's words for Gemini's use (web/src/domain/gemini-use.ts): reason codes and the day's status on Agent health. */
import { expect } from "chai";
import { geminiDayStatus, geminiReasonInWords } from "../../../web/src/domain/gemini-use";
import { geminiErrorCode } from "../../src/domain/audit-explanation";

describe("web: Gemini's reason codes in words", () => {
  it("says each code the auditor stores in words, never the code", () => {
    const kinds = [
      "timeout",
      "http",
      "malformed",
      "invalid",
      "no_key",
      "network",
      "figures_not_grounded",
      "echoed_input",
      "budget_exhausted",
    ] as const;
    for (const kind of kinds) {
      const words = geminiReasonInWords(geminiErrorCode({ kind, attempts: 1 }));
      expect(words, kind).not.to.contain(kind);
      expect(words, kind).not.to.match(/a reason the app does not know/);
    }
    expect(geminiReasonInWords("no_key")).to.equal("no Gemini API key is configured");
    expect(geminiReasonInWords("timeout")).to.equal("Gemini did not answer in time");
    expect(geminiReasonInWords(geminiErrorCode({ kind: "http", status: 503, attempts: 3 }))).to.equal(
      "Gemini answered with an error (HTTP 503)",
    );
  });

  it("names a code it does not know, so that support can find it", () => {
    expect(geminiReasonInWords("quota_zz")).to.equal("a reason the app does not know (quota_zz)");
  });
});

describe("web: the day's Gemini status on Agent health", () => {
  it("says at a glance that every call failed, why when the counts say, and that the templates stood in", () => {
    const status = geminiDayStatus("2026-12-03", "2026-12-03", [
      { calls: 27, failures: 27, fallbacks: 27, no_key: 27 },
      { calls: 3, failures: 3, fallbacks: 3, no_key: 3 },
    ]);
    expect(status).to.deep.equal({
      kind: "error",
      text: "Gemini: every call today failed (30 of 30; reason: no API key configured) — notices and explanations used the rule-based templates.",
    });
    // Another day is named; failures of no recorded reason give none.
    expect(geminiDayStatus("2026-12-01", "2026-12-03", [{ calls: 1200, failures: 1200, fallbacks: 1200 }])?.text).to.equal(
      "Gemini: every call on 2026-12-01 failed (1,200 of 1,200) — notices and explanations used the rule-based templates.",
    );
  });

  it("counts the failures of a day some of whose calls failed", () => {
    expect(geminiDayStatus("d", "d", [{ calls: 10, failures: 2, fallbacks: 2, no_key: 1 }])).to.deep.equal({
      kind: "warn",
      text: "Gemini: 2 of 10 calls today failed (1 for want of an API key) — 2 notices and explanations used the rule-based templates.",
    });
    expect(geminiDayStatus("d", "d", [{ calls: 10, failures: 1, fallbacks: 1 }])?.text).to.equal(
      "Gemini: 1 of 10 calls today failed — 1 notice or explanation used the rule-based templates.",
    );
  });

  it("tells answers set aside from answers used, and says nothing of a day without calls", () => {
    expect(geminiDayStatus("d", "d", [{ calls: 5, failures: 0, fallbacks: 1 }])).to.deep.equal({
      kind: "warn",
      text: "Gemini answered all 5 calls today, but 1 answer could not be used — that notice or explanation used the rule-based templates.",
    });
    expect(geminiDayStatus("d", "d", [{ calls: 5, failures: 0, fallbacks: 0 }])).to.deep.equal({
      kind: "ok",
      text: "Gemini answered all 5 calls today.",
    });
    expect(geminiDayStatus("d", "d", [])).to.equal(undefined);
    expect(geminiDayStatus("d", "d", [{ calls: 0 }])).to.equal(undefined);
  });
});
