// The web app's copy of a statement exception's bounds, window and correction rule
// (web/src/domain/statement-exception.ts) must be the callables': the form would otherwise allow
// what the server refuses, show another end, or mark a version wrongly.
import { expect } from "chai";
import * as server from "../../src/domain/statement-exception";
import * as web from "../../../web/src/domain/statement-exception";

describe("the web app's copy of the statement exception's bounds, window and correction rule", () => {
  it("has the callables' text bounds", () => {
    expect([web.EXCEPTION_TEXT_MIN, web.EXCEPTION_TEXT_MAX, web.ANSWER_TEXT_MIN, web.ANSWER_TEXT_MAX]).to.deep.equal([
      server.EXCEPTION_TEXT_MIN,
      server.EXCEPTION_TEXT_MAX,
      server.ANSWER_TEXT_MIN,
      server.ANSWER_TEXT_MAX,
    ]);
  });

  it("ends the window where raiseStatementException ends it", () => {
    for (const [at, days] of [
      ["2026-01-31T06:00:00Z", 730],
      ["2024-02-29T23:59:59Z", 365],
      ["2026-12-07T12:00:00.123Z", 1],
    ] as const) {
      expect(web.exceptionWindowEnds(new Date(at), days).toISOString()).to.equal(
        server.exceptionWindowEnds(new Date(at), days).toISOString(),
      );
    }
  });

  it("has the callable's line figures, and offers as a correction what recordExceptionCorrection takes, newest first", () => {
    expect(web.LINE_FIGURES).to.deep.equal(server.LINE_FIGURES);
    const line = {
      partner_id: "beta",
      entries: 3,
      gross_bbl: 300.5,
      nsv_bbl: 298.25,
      share_percent: 40.1,
      allocated_bbl: 295.11,
      shrinkage_bbl: 3.14,
    };
    const other = { ...line, partner_id: "alpha" };
    const excepted = { allocations: [other, line] };
    const versions = [
      { id: "R_v1", terminal_receipt_id: "R", version: 1, allocations: [other, line] },
      { id: "R_v3", terminal_receipt_id: "R", version: 3, released: false, allocations: [{ ...line, allocated_bbl: 300 }] },
      { id: "S_v1", terminal_receipt_id: "S", version: 1, allocations: [other, { ...line, allocated_bbl: 296 }] },
      { id: "R_v2", terminal_receipt_id: "R", version: 2, allocations: [other, { ...line, nsv_bbl: 298.26 }] },
      { id: "R_v4", terminal_receipt_id: "R", version: 4, released: true, allocations: [other] },
      { id: "R_v5", terminal_receipt_id: "R", version: 5, allocations: [{ ...other, allocated_bbl: 1 }, line] },
    ];
    // S replaces R: its versions are offered after R's own later ones, whatever their number.
    const choices = web.correctionChoices({ version: 1, partner_id: "beta", terminal_receipt_id: "R" }, excepted, versions);
    expect(choices.map((c) => [c.id, c.replacing, c.refused ?? "may be recorded"])).to.deep.equal([
      ["R_v5", false, "unchanged"],
      ["R_v4", false, "no line"],
      ["R_v3", false, "not released"],
      ["R_v2", false, "may be recorded"],
      ["S_v1", true, "may be recorded"],
    ]);
    const figures = (l?: typeof line) => (l ? (Object.fromEntries(server.LINE_FIGURES.map((f) => [f, l[f]])) as server.LineFigures) : null);
    for (const choice of choices) {
      const v = versions.find((x) => x.id === choice.id)!;
      const refusal = server.correctionRefusal(
        {
          id: "x_1",
          status: "upheld",
          reconciliation_id: "R_v1",
          terminal_receipt_id: "R",
          version: 1,
          partner_id: "beta",
          line: figures(line),
          correction: null,
        },
        {
          id: v.id,
          terminal_receipt_id: v.terminal_receipt_id,
          version: v.version,
          released: v.released !== false,
          replaced_receipt_ids: v.terminal_receipt_id === "S" ? ["R"] : [],
          line: figures(v.allocations.find((a) => a.partner_id === "beta")),
          receipt_withdrawn: false,
        },
      );
      expect(refusal === undefined, `${choice.id}: ${refusal}`).to.equal(choice.refused === undefined);
    }
  });

  it("follows receipts replacing one another as far as recordExceptionCorrection follows them back, and offers their versions in that order", () => {
    expect(web.REPLACED_CHAIN_MAX).to.equal(server.REPLACED_CHAIN_MAX);
    // R is replaced by A, A by B, and so on: twelve receipts in a row, read out of order, with a
    // loop back to R and a receipt replacing another that is not in the chain.
    const ids = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"];
    const replaced = (i: number) => (i === 0 ? "R" : ids[i - 1]);
    const versions = [
      ...ids.map((id, i) => ({ terminal_receipt_id: id, supersedes_receipt: { terminal_receipt_id: replaced(i) } })).reverse(),
      { terminal_receipt_id: "R", supersedes_receipt: { terminal_receipt_id: "C" } },
      { terminal_receipt_id: "Z", supersedes_receipt: { terminal_receipt_id: "Y" } },
      { terminal_receipt_id: "R", supersedes_receipt: null },
    ];
    const chain = web.replacementChain("R", versions);
    // The receipt itself and ten replacing it in turn: K, eleven steps down, is beyond the callable's walk.
    expect(chain).to.deep.equal(["R", ...ids.slice(0, server.REPLACED_CHAIN_MAX)]);
    expect(web.replacementChain("R", [])).to.deep.equal(["R"]);
    // Breadth first: C is replaced by D and, looping back, by R, which A replaces.
    expect(web.replacementChain("B", versions)).to.deep.equal(["B", "C", "D", "R", "E", "A", "F", "G", "H", "I", "J"]);

    const line = { partner_id: "beta", entries: 1, gross_bbl: 1, nsv_bbl: 1, share_percent: 1, allocated_bbl: 1, shrinkage_bbl: 0 };
    const changed = { ...line, allocated_bbl: 2 };
    const by = (id: string) => ({ terminal_receipt_id: id });
    const offered = [
      { id: "B_v1", terminal_receipt_id: "B", version: 1, allocations: [changed], supersedes_receipt: by("A") },
      { id: "A_v2", terminal_receipt_id: "A", version: 2, allocations: [changed], supersedes_receipt: by("R") },
      { id: "R_v2", terminal_receipt_id: "R", version: 2, allocations: [changed] },
      { id: "A_v1", terminal_receipt_id: "A", version: 1, allocations: [changed], supersedes_receipt: by("R") },
      { id: "B_v1", terminal_receipt_id: "B", version: 1, allocations: [changed], supersedes_receipt: by("A") },
    ];
    const exception = { version: 1, partner_id: "beta", terminal_receipt_id: "R" };
    const choices = web.correctionChoices(exception, { allocations: [line] }, offered, chain);
    expect(choices.map((c) => [c.id, c.replacing, c.replaces ?? null])).to.deep.equal([
      ["R_v2", false, null],
      ["A_v2", true, "R"],
      ["A_v1", true, "R"],
      ["B_v1", true, "A"],
    ]);
  });
});
