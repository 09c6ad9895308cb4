// `npm run verify -- --bundle` as a partner runs it: scripts/verify.ts in its own process, its
// printout and exit code (0 verified, 1 failed or not the statement expected, 2 bad arguments).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { statementOf } from "../../src/domain/statement";
import { partnerEvidence } from "../../src/domain/statement-bundle";
import { statementCsv } from "../../src/domain/statement-csv";
import { bundleOf, v2Evidence } from "../support/v2-evidence";

const ROOT = resolve(__dirname, "../../..");
const TSX = join(ROOT, "functions/node_modules/.bin/tsx");

function verify(...args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(TSX, [join(ROOT, "scripts/verify.ts"), ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("npm run verify -- --bundle with --expect-hash and --expect-anchor", function () {
  this.timeout(120_000);
  const evidence = v2Evidence();
  const hash = evidence.report.integrity_hash as string;
  const anchor = evidence.audit_events[0]!.id;
  let dir: string;
  let file: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
    file = join(dir, "statement.json");
    writeFileSync(file, JSON.stringify(bundleOf(partnerEvidence(evidence, "a")), null, 2));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes with the statement's hash (in capitals too) and anchor, saying what it compared", () => {
    const run = verify("--bundle", file, "--expect-hash", hash.toUpperCase(), "--expect-anchor", anchor);
    expect(run.err).to.equal("");
    expect(run.code).to.equal(0);
    expect(run.out).to.match(/statement\.json \(r_v1, offline\): OK — scope partner:a/);
    expect(run.out).to.contain(`    ok   integrity hash ${hash} = --expect-hash ${hash}\n`);
    expect(run.out).to.contain(`    ok   audit anchor ${anchor} = --expect-anchor ${anchor}\n`);
  });

  it("takes the anchor as the PDF's footer and the CSV print it, comparing its stream, number and event hash", () => {
    const event = evidence.audit_events[0]!;
    const footer = `${anchor}, stream ${event.stream} #${event.seq}`;
    const run = verify("--bundle", file, "--expect-anchor", footer, "--expect-anchor-hash", `event hash ${event.hash}`);
    expect(run.err).to.equal("");
    expect(run.code).to.equal(0);
    expect(run.out).to.contain(`    ok   audit anchor ${footer} = --expect-anchor ${footer}\n`);
    expect(run.out).to.contain(`    ok   anchor event hash ${event.hash} = --expect-anchor-hash ${event.hash}\n`);

    const cell = /\r\naudit_anchor,"([^"]*)"\r\n/.exec(statementCsv(statementOf(partnerEvidence(evidence, "a"))))![1]!;
    expect(verify("--bundle", file, "--expect-anchor", cell).code).to.equal(0);
    const moved = verify("--bundle", file, "--expect-anchor", cell.replace(`seq ${event.seq},`, `seq ${event.seq + 1},`));
    expect(moved.code).to.equal(1);
    expect(moved.out).to.contain(
      `    FAIL audit anchor: the report's ${footer}, not --expect-anchor ${anchor}, stream ${event.stream} #${event.seq + 1}\n`,
    );
    expect(moved.out).to.contain(`    ok   anchor event hash ${event.hash} = --expect-anchor ${event.hash}\n`);

    const twice = verify("--bundle", file, "--expect-anchor", cell, "--expect-anchor-hash", event.hash);
    expect(twice.code).to.equal(2);
    expect(twice.err).to.contain("the anchor's event hash is given twice");
  });

  it("fails with exit code 1 on another hash, naming both", () => {
    const other = `${hash.slice(0, 63)}${hash.endsWith("0") ? "1" : "0"}`;
    const run = verify("--expect-hash", other, "--bundle", file);
    expect(run.code).to.equal(1);
    expect(run.out).to.contain("NOT THE STATEMENT EXPECTED (its integrity hash is not the one given with --expect-hash)");
    expect(run.out).to.contain(`    FAIL integrity hash: the report's ${hash}, not --expect-hash ${other}\n`);
  });

  it("fails with exit code 1 on another anchor", () => {
    const run = verify("--bundle", file, "--expect-anchor", "reconcile_r_v2");
    expect(run.code).to.equal(1);
    expect(run.out).to.contain(`    FAIL audit anchor: the report's ${anchor}, not --expect-anchor reconcile_r_v2\n`);
  });

  it("refuses a malformed hash with exit code 2 before verifying anything", () => {
    const run = verify("--bundle", file, "--expect-hash", hash.slice(0, 40));
    expect(run.code).to.equal(2);
    expect(run.out).to.equal("");
    expect(run.err).to.contain(
      `--expect-hash must be the 64 hex digits of the statement's "Integrity hash", got "${hash.slice(0, 40)}" (40 characters)`,
    );
    const missing = verify("--bundle", file, "--expect-hash");
    expect(missing.code).to.equal(2);
    expect(missing.err).to.contain("--expect-hash needs the statement's integrity hash (64 hex digits)");
  });

  it("refuses an expected value for more than one statement, or given twice", () => {
    const two = verify("--bundle", file, "--bundle", file, "--expect-hash", hash);
    expect(two.code).to.equal(2);
    expect(two.err).to.contain("compare one statement's values: give one --bundle or reconciliation id with them, not 2");
    const twice = verify("--bundle", file, "--expect-hash", hash, "--expect-hash", hash);
    expect(twice.code).to.equal(2);
    expect(twice.err).to.contain("--expect-hash is given twice");
  });
});
