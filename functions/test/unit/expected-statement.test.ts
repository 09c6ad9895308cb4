import { expect } from "chai";
import { compareExpected, parseExpectedAnchor, parseExpectedAnchorHash, parseExpectedHash } from "../../src/domain/expected-statement";
import { statementOf } from "../../src/domain/statement";
import { statementCsv } from "../../src/domain/statement-csv";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { verificationPrintout, verifiedAsExpected } from "../../src/domain/verification-printout";
import { v2Evidence } from "../support/v2-evidence";

describe("values expected of a statement (--expect-hash, --expect-anchor)", () => {
  const report = verifyReportEvidence(v2Evidence());
  const hash = report.out_of_band.integrity_hash!;
  const anchored = report.out_of_band.anchor!;
  const anchor = anchored.event_id;
  const footer = `${anchor}, stream ${anchored.stream} #${anchored.seq}`;
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

  it("reads the anchor as a statement prints it: the id alone, the footer's line, the CSV's cell", () => {
    expect(parseExpectedAnchor(anchor)).to.deep.equal({ event_id: anchor });
    expect(parseExpectedAnchor(`  ${footer} `)).to.deep.equal({ event_id: anchor, place: { stream: anchored.stream, seq: anchored.seq } });
    // The CSV's audit_anchor cell, as the export writes it (a spreadsheet shows it unquoted).
    const cell = /\r\naudit_anchor,"([^"]*)"\r\n/.exec(statementCsv(statementOf(v2Evidence())))![1]!;
    expect(parseExpectedAnchor(cell)).to.deep.equal({
      event_id: anchor,
      place: { stream: anchored.stream, seq: anchored.seq },
      hash: anchored.hash,
    });
    expect(parseExpectedAnchor(cell.replace(anchored.hash, anchored.hash.toUpperCase())).hash).to.equal(anchored.hash);
  });

  it("refuses an anchor in any other form, naming the forms it takes", () => {
    for (const bad of [
      "",
      `${anchor},`,
      `${anchor}, stream ${anchored.stream}`,
      `${anchor}, stream ${anchored.stream} #`,
      `${anchor}, stream ${anchored.stream} #1.5`,
      `${anchor} stream ${anchored.stream} #1`,
      `${anchor} (stream ${anchored.stream}, seq 1)`,
      `${anchor} (stream ${anchored.stream}, seq 1, hash ${anchored.hash.slice(1)})`,
      `${anchor} ${anchor}`,
    ]) {
      expect(() => parseExpectedAnchor(bad), JSON.stringify(bad)).to.throw(
        RangeError,
        `--expect-anchor must be the statement's "Audit anchor" as printed: its event id (reconcile_r_v1), the footer's "reconcile_r_v1, stream receipt_r #1" or the CSV's`,
      );
    }
  });

  it("reads the anchor's event hash with or without the footer's words, and refuses anything else", () => {
    expect(parseExpectedAnchorHash(anchored.hash.toUpperCase())).to.equal(anchored.hash);
    expect(parseExpectedAnchorHash(`event hash ${anchored.hash}`)).to.equal(anchored.hash);
    for (const bad of ["", anchored.hash.slice(2), `hash ${anchored.hash}`]) {
      expect(() => parseExpectedAnchorHash(bad), JSON.stringify(bad)).to.throw(
        RangeError,
        `--expect-anchor-hash must be the 64 hex digits of the statement's anchor "event hash", got ${JSON.stringify(bad)}`,
      );
    }
  });

  it("compares the anchor's stream and number, and its event hash, as far as they were given", () => {
    const matched = compareExpected(report, { anchor: parseExpectedAnchor(footer), anchor_hash: anchored.hash });
    expect(matched).to.deep.equal([
      { what: "audit anchor", option: "--expect-anchor", expected: footer, found: footer, ok: true },
      { what: "anchor event hash", option: "--expect-anchor-hash", expected: anchored.hash, found: anchored.hash, ok: true },
    ]);
    // The same event id at another place in its chain, or another event hash: not the anchor the partner was told of.
    const moved = `${anchor}, stream ${anchored.stream} #${anchored.seq + 1}`;
    const otherHash = `${anchored.hash.slice(0, 63)}${anchored.hash.endsWith("0") ? "1" : "0"}`;
    const differs = compareExpected(report, {
      anchor: parseExpectedAnchor(`${anchor} (stream ${anchored.stream}, seq ${anchored.seq + 1}, hash ${otherHash})`),
    });
    expect(differs.map((e) => [e.what, e.option, e.ok])).to.deep.equal([
      ["audit anchor", "--expect-anchor", false],
      ["anchor event hash", "--expect-anchor", false],
    ]);
    const printed = verificationPrintout("s.json", report, differs);
    expect(printed[0]).to.match(
      /^s\.json: NOT THE STATEMENT EXPECTED \(its audit anchor is not the one given with --expect-anchor; its anchor event hash is not the one given with --expect-anchor\) — /,
    );
    expect(printed).to.include.members([
      `    FAIL audit anchor: the report's ${footer}, not --expect-anchor ${moved}`,
      `    FAIL anchor event hash: the report's ${anchored.hash}, not --expect-anchor ${otherHash}`,
    ]);
    // The id alone compares the id alone.
    expect(compareExpected(report, { anchor: parseExpectedAnchor(anchor) })[0]).to.include({ found: anchor, ok: true });
  });

  it("passes only when the report's values are the ones given, and prints what it compared", () => {
    const matched = compareExpected(report, { integrity_hash: parseExpectedHash(hash.toUpperCase()), anchor: parseExpectedAnchor(anchor) });
    expect(matched.map((e) => e.ok)).to.deep.equal([true, true]);
    expect(verifiedAsExpected(report, matched)).to.equal(true);
    const printed = verificationPrintout("s.json", report, matched);
    expect(printed[0]).to.match(/^s\.json: OK — /);
    expect(printed).to.include.members([
      "  compared with the values given:",
      `    ok   integrity hash ${hash} = --expect-hash ${hash}`,
      `    ok   audit anchor ${anchor} = --expect-anchor ${anchor}`,
    ]);

    const differs = compareExpected(report, { integrity_hash: other, anchor: parseExpectedAnchor("reconcile_r_v2") });
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
