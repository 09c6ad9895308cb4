import { expect } from "chai";
import fc from "fast-check";
import { decideVerdict, ruleExplanation } from "../../src/domain/audit-verdict";
import type { AuditReason, AuditSeverity } from "../../src/domain/production-entry";
import type { HistoryStats } from "../../src/domain/robust-stats";

function reason(severity: AuditSeverity, code = `TEST_${severity.toUpperCase()}`, field = "gross_volume_bbl"): AuditReason {
  return { code, field, severity, message: `${code} message.` };
}

const ENOUGH: HistoryStats = {
  n: 30,
  scope: "partner",
  window: 30,
  min_history: 5,
  enough_history: true,
  z_threshold: 3.5,
  metrics: null, // the explanation reads only the counts
};
const TOO_LITTLE: HistoryStats = { ...ENOUGH, n: 3, enough_history: false };

describe("decideVerdict", () => {
  it("validates an entry with no reasons or only informational ones", () => {
    expect(decideVerdict([])).to.equal("validated");
    expect(decideVerdict([reason("info"), reason("info")])).to.equal("validated");
  });

  it("flags an entry with a warning and no critical reason", () => {
    expect(decideVerdict([reason("warning")])).to.equal("flagged");
    expect(decideVerdict([reason("info"), reason("warning")])).to.equal("flagged");
  });

  it("rejects an entry with any critical reason, whatever else it has", () => {
    expect(decideVerdict([reason("critical")])).to.equal("rejected");
    expect(decideVerdict([reason("warning"), reason("info"), reason("critical")])).to.equal("rejected");
  });

  it("does not depend on the order of the reasons (property)", () => {
    const reasons = fc.array(fc.constantFrom<AuditSeverity>("info", "warning", "critical").map((s) => reason(s)));
    fc.assert(fc.property(reasons, (list) => decideVerdict(list) === decideVerdict([...list].reverse())));
  });
});

describe("ruleExplanation", () => {
  it("says a clean entry is validated and in line with the partner's history", () => {
    expect(ruleExplanation([], ENOUGH)).to.equal(
      "Validated: the entry passed every rule.\n" +
        "Gross volume, BS&W, temperature and API gravity are in line with the partner's last 30 accepted entries.",
    );
  });

  it("says when statistics were skipped for lack of history", () => {
    const text = ruleExplanation([], TOO_LITTLE);
    expect(text).to.include("Statistical checks were skipped: the partner has 3 accepted entries on record and at least 5 are needed.");
    expect(ruleExplanation([], { ...TOO_LITTLE, n: 1 })).to.include("has 1 accepted entry on record");
  });

  it("says when no statistical comparison was made", () => {
    expect(ruleExplanation([], null)).to.include("No statistical comparison was made.");
  });

  it("lists a flagged entry's points and tells the coordinator what to do", () => {
    const outlier = reason("warning", "GROSS_VOLUME_OUTLIER");
    const text = ruleExplanation([reason("warning", "BSW_ABOVE_TYPICAL", "bsw_percent"), outlier], ENOUGH);
    expect(text.split("\n")).to.deep.equal([
      "Flagged for review: 2 points need a coordinator's check.",
      "- Check (BS&W): BSW_ABOVE_TYPICAL message.",
      "- Check (Gross volume): GROSS_VOLUME_OUTLIER message.",
      "Compared with the partner's last 30 accepted entries, 1 figure stands out (see above).",
      "Approve the entry if the figures are confirmed, or reject it and ask the operator to correct them. " +
        "It is not allocated until it is approved.",
    ]);
  });

  it("puts a rejected entry's problems first, then the points to check, then notes", () => {
    const text = ruleExplanation(
      [reason("info", "NOTE_A"), reason("warning", "WARN_A"), reason("critical", "CRIT_A"), reason("critical", "CRIT_B")],
      ENOUGH,
    );
    const lines = text.split("\n");
    expect(lines[0]).to.equal("Rejected: 2 problems must be fixed before this entry can be allocated.");
    expect(lines.slice(1, 5).map((l) => l.split(":")[1].trim())).to.deep.equal([
      "CRIT_A message.",
      "CRIT_B message.",
      "WARN_A message.",
      "NOTE_A message.",
    ]);
    expect(lines.at(-1)).to.include("Correct the figures").and.include("audited again");
  });

  it("for a document that failed the schema asks for re-entry and says nothing about statistics", () => {
    const text = ruleExplanation([reason("critical", "SCHEMA_MISSING", "api_gravity")], null);
    expect(text).to.include("could not be read as a production entry");
    expect(text).to.not.include("statistical");
  });

  it("is deterministic", () => {
    const reasons = [reason("warning"), reason("critical"), reason("info")];
    expect(ruleExplanation(reasons, ENOUGH)).to.equal(ruleExplanation([...reasons], { ...ENOUGH }));
  });
});
