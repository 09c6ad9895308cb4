import { expect } from "chai";
import { compareExpected, parseExpectedAnchor, parseExpectedHash } from "../../src/domain/expected-statement";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { verificationPrintout, verifiedAsExpected } from "../../src/domain/verification-printout";
import { v2Evidence } from "../support/v2-evidence";

describe("values expected of a statement (--expect-hash, --expect-anchor)", () => {
  const report = verifyReportEvidence(v2Evidence());
  const hash = report.out_of_band.integrity_hash!;
  const anchor = report.out_of_band.anchor!.event_id;
  const other = "0".repeat(64);

  it("reads a hash of 64 hex digits in either case, lowercased", () => {
    expect(parseExpectedHash(hash.toUpperCase())).to.equal(hash);
    expect(parseExpectedHash(hash)).to.equal(hash);
  });

  it("refuses a malformed hash, saying what it must be", () => {
    for (const bad of ["", hash.slice(1), `${hash}0`, `${hash.slice(1)}g`, ` ${hash}`, `0x${hash.slice(2)}`]) {
      expect(() => parseExpectedHash(bad), JSON.stringify(bad)).to.throw(
        RangeError,
        `--expect-hash must be the 64 hex digits of the statement's "Integrity hash", got ${JSON.stringify(bad)} (${bad.length} characters)`,
      );
    }
    // Copied with the scheme the footer prints after it.
    expect(() => parseExpectedHash(`${hash} (v2)`)).to.throw(RangeError, 'without the scheme "(v2)" the statement prints after it');
  });

  it("refuses an anchor given with more than its id", () => {
    expect(parseExpectedAnchor(anchor)).to.equal(anchor);
    for (const bad of ["", `${anchor}, stream receipt_r #1`, `${anchor} `]) {
      expect(() => parseExpectedAnchor(bad), JSON.stringify(bad)).to.throw(
        RangeError,
        `--expect-anchor must be the event id of the statement's "Audit anchor" alone`,
      );
    }
  });

  it("passes only when the report's values are the ones given, and prints what it compared", () => {
    const matched = compareExpected(report, { integrity_hash: parseExpectedHash(hash.toUpperCase()), anchor_event_id: anchor });
    expect(matched.map((e) => e.ok)).to.deep.equal([true, true]);
    expect(verifiedAsExpected(report, matched)).to.equal(true);
    const printed = verificationPrintout("s.json", report, matched);
    expect(printed[0]).to.match(/^s\.json: OK — /);
    expect(printed).to.include.members([
      "  compared with the values given:",
      `    ok   integrity hash ${hash} = --expect-hash ${hash}`,
      `    ok   audit anchor ${anchor} = --expect-anchor ${anchor}`,
    ]);

    const differs = compareExpected(report, { integrity_hash: other, anchor_event_id: "reconcile_r_v2" });
    expect(differs.map((e) => e.ok)).to.deep.equal([false, false]);
    expect(verifiedAsExpected(report, differs)).to.equal(false);
    const failed = verificationPrintout("s.json", report, differs);
    expect(failed[0]).to.match(
      /^s\.json: NOT THE STATEMENT EXPECTED \(its integrity hash is not the one given with --expect-hash; its audit anchor is not the one given with --expect-anchor\) — /,
    );
    expect(failed).to.include.members([
      `    FAIL integrity hash: the report's ${hash}, not --expect-hash ${other}`,
      `    FAIL audit anchor: the report's ${anchor}, not --expect-anchor reconcile_r_v2`,
    ]);
  });

  it("says both when the report is altered and its hash not the one given", () => {
    const evidence = v2Evidence();
    (evidence.report.totals as Record<string, number>).shrinkage_bbl += 0.01;
    const altered = verifyReportEvidence(evidence);
    const printed = verificationPrintout("s.json", altered, compareExpected(altered, { integrity_hash: other }));
    expect(printed[0]).to.match(
      /^s\.json: ALTERED \(\d+ of \d+ checks failed; its integrity hash is not the one given with --expect-hash\)/,
    );
  });

  it("prints no comparison when nothing was given", () => {
    expect(compareExpected(report, {})).to.deep.equal([]);
    expect(verificationPrintout("s.json", report).join("\n")).to.not.contain("compared with the values given");
  });
});
