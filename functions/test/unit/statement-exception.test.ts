import { expect } from "chai";
import {
  correctionRefusal,
  exceptionAnsweredNotice,
  exceptionCorrectedNotice,
  exceptionRaisedNotice,
  exceptionWindowEnds,
  statementExceptionId,
} from "../../src/domain/statement-exception";
import { stepOf } from "../../src/agents/communicator/exceptions";

describe("statement exceptions (domain)", () => {
  it("keys an exception by its version, partner and text: the same text again is the same exception", () => {
    const id = statementExceptionId("r_v1", "alpha", "Entry E-1 is missing from the statement.");
    expect(id).to.match(/^x_[0-9a-f]{32}$/);
    expect(statementExceptionId("r_v1", "alpha", "Entry E-1 is missing from the statement.")).to.equal(id);
    for (const other of [
      statementExceptionId("r_v2", "alpha", "Entry E-1 is missing from the statement."),
      statementExceptionId("r_v1", "beta", "Entry E-1 is missing from the statement."),
      statementExceptionId("r_v1", "alpha", "Entry E-2 is missing from the statement."),
      // The parts are kept apart: no two splits of one text make one key.
      statementExceptionId("r_v1\nalpha", "", "Entry E-1 is missing from the statement."),
    ]) {
      expect(other).to.not.equal(id);
    }
  });

  it("ends the window the given days after the statement was issued", () => {
    expect(exceptionWindowEnds(new Date("2026-01-31T06:00:00Z"), 730).toISOString()).to.equal("2028-01-31T06:00:00.000Z");
    expect(exceptionWindowEnds(new Date("2026-01-31T06:00:00Z"), 1).toISOString()).to.equal("2026-02-01T06:00:00.000Z");
  });

  it("tells the JV who takes exception, to what, in the partner's words, and the partner the answer", () => {
    const facts = {
      reconciliation_id: "R-9_v2",
      terminal_receipt_id: "R-9",
      version: 2,
      partner_name: "Beta Oil",
      text: "Our 3 Nov ticket is missing.",
    };
    expect(exceptionRaisedNotice({ ...facts, raised_by_name: "Ines Ode" })).to.deep.equal({
      title: "Beta Oil takes exception to version 2 of receipt R-9",
      body:
        "Ines Ode (Beta Oil) takes exception to statement R-9_v2:\n“Our 3 Nov ticket is missing.”\n" +
        "A coordinator or an admin answers it on the statement's page: upholds it (then corrects the figures with a late entry or a corrected ticket, and reconciles again) or rejects it, saying why.",
    });
    const upheld = exceptionAnsweredNotice({ ...facts, outcome: "upheld", answer: "Entered late today.", answered_by_name: "Ada Coord" });
    expect(upheld.title).to.equal("Your exception to version 2 of receipt R-9 was upheld");
    expect(upheld.body).to.equal(
      "Ada Coord answered Beta Oil's exception to statement R-9_v2. Upheld: the JV operator agrees; the correction follows in a later version.\n" +
        "“Entered late today.”\nYour exception: “Our 3 Nov ticket is missing.”",
    );
    expect(exceptionAnsweredNotice({ ...facts, outcome: "rejected", answer: "No.", answered_by_name: "Ada" }).body).to.contain(
      "Rejected: the statement stands.",
    );
  });

  it("keeps a partner's words and names from reading as the notice's own: one line, inside quotes they cannot close", () => {
    const forged = 'Wrong figure."\nThe operator has already answered this exception; no action needed.\n"';
    const raised = exceptionRaisedNotice({
      reconciliation_id: "R-9_v2",
      terminal_receipt_id: "R-9",
      version: 2,
      partner_name: "Beta Oil\nAnswered",
      text: forged,
      raised_by_name: "Ines\u2028Ode",
    });
    expect(raised.title).to.equal("Beta Oil Answered takes exception to version 2 of receipt R-9");
    const lines = raised.body.split("\n");
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal("Ines Ode (Beta Oil Answered) takes exception to statement R-9_v2:");
    expect(lines[1]).to.equal("“Wrong figure.' The operator has already answered this exception; no action needed. '”");
    const answered = exceptionAnsweredNotice({
      reconciliation_id: "R-9_v2",
      terminal_receipt_id: "R-9",
      version: 2,
      partner_name: "Beta Oil",
      text: forged,
      outcome: "rejected",
      answer: 'No."\nUpheld after all.',
      answered_by_name: "Ada",
    });
    expect(answered.body.split("\n")).to.deep.equal([
      "Ada answered Beta Oil's exception to statement R-9_v2. Rejected: the statement stands.",
      "“No.' Upheld after all.”",
      "Your exception: “Wrong figure.' The operator has already answered this exception; no action needed. '”",
    ]);
  });

  describe("which version corrects an upheld exception", () => {
    const line = {
      entries: 12,
      gross_bbl: 21_000.5,
      nsv_bbl: 20_800.25,
      share_percent: 40.32,
      allocated_bbl: 20_590.11,
      shrinkage_bbl: 210.14,
    };
    const exception = {
      id: "x_1",
      status: "upheld",
      reconciliation_id: "R-9_v2",
      terminal_receipt_id: "R-9",
      version: 2,
      partner_id: "beta",
      line,
      correction: null,
    };
    const version = {
      id: "R-9_v3",
      terminal_receipt_id: "R-9",
      version: 3,
      released: true,
      replaced_receipt_ids: [],
      line: { ...line, entries: 13, nsv_bbl: 21_640.5, allocated_bbl: 21_420.3 },
      receipt_withdrawn: false,
    };

    it("takes a later, released version of the receipt, or of a receipt replacing it (also through another), that restates a figure of the partner's", () => {
      expect(correctionRefusal(exception, version)).to.equal(undefined);
      const replacing = { ...version, id: "R-11_v1", terminal_receipt_id: "R-11", version: 1 };
      expect(correctionRefusal(exception, { ...replacing, replaced_receipt_ids: ["R-9"] })).to.equal(undefined);
      expect(correctionRefusal(exception, { ...replacing, replaced_receipt_ids: ["R-10", "R-9"] })).to.equal(undefined);
      // One figure restated is a restatement.
      expect(correctionRefusal(exception, { ...version, line: { ...line, shrinkage_bbl: 210.15 } })).to.equal(undefined);
    });

    it("refuses an exception not upheld, the same, an earlier or an unrelated version, an unreleased or withdrawn one, one without the partner or restating none of its figures", () => {
      const refusals = [
        correctionRefusal({ ...exception, status: "open" }, version),
        correctionRefusal({ ...exception, status: "rejected" }, version),
        correctionRefusal({ ...exception, status: undefined }, version),
        correctionRefusal(exception, { ...version, id: "R-9_v2", version: 2 }),
        correctionRefusal(exception, { ...version, id: "R-9_v1", version: 1 }),
        correctionRefusal(exception, { ...version, id: "R-10_v1", terminal_receipt_id: "R-10", version: 1, replaced_receipt_ids: ["R-8"] }),
        correctionRefusal(exception, { ...version, released: false }),
        correctionRefusal(exception, { ...version, receipt_withdrawn: true }),
        correctionRefusal(exception, { ...version, line: null }),
        correctionRefusal(exception, { ...version, line: { ...line } }),
        correctionRefusal(exception, { ...version, version: Number.NaN }),
        correctionRefusal({ ...exception, version: Number.NaN }, version),
        // The version excepted to, whatever number it carries.
        correctionRefusal(exception, { ...version, id: "R-9_v2" }),
      ];
      expect(refusals.map((r) => r?.split(":")[0])).to.deep.equal([
        "Statement exception x_1 is not answered yet",
        "Statement exception x_1 was rejected",
        "Statement exception x_1 has no known status (undefined)",
        "Reconciliation R-9_v2 is version 2 of receipt R-9; the exception is to version 2",
        "Reconciliation R-9_v1 is version 1 of receipt R-9; the exception is to version 2",
        "Reconciliation R-10_v1 is of receipt R-10, which does not replace receipt R-9",
        "Reconciliation R-9_v3 has not been released to the partners yet",
        "Terminal receipt R-9 was withdrawn",
        "Partner beta has no line on reconciliation R-9_v3",
        "Reconciliation R-9_v3 restates none of partner beta's figures",
        "The version numbers of reconciliation R-9_v3 and of the statement excepted to (R-9_v2) cannot be read",
        "The version numbers of reconciliation R-9_v3 and of the statement excepted to (R-9_v2) cannot be read",
        "Reconciliation R-9_v2 is version 3 of receipt R-9; the exception is to version 2",
      ]);
      expect(refusals[9]).to.contain("12 entries, 20,800.25 bbl net and 20,590.11 bbl allocated, as on R-9_v2");
    });

    it("answers a correction recorded with the same version as recorded, and refuses another, naming the one recorded, who and when", () => {
      const recorded = {
        ...exception,
        correction: {
          reconciliation_id: "R-9_v3",
          terminal_receipt_id: "R-9",
          version: 3,
          allocated_bbl_before: 20_590.11,
          allocated_bbl_after: 21_420.3,
          recorded: "by Ada Coord on 2026-12-07 16:50 UTC",
        },
      };
      expect(correctionRefusal(recorded, version)).to.equal(undefined);
      expect(correctionRefusal(recorded, { ...version, id: "R-9_v4", version: 4 })).to.equal(
        "The correction of statement exception x_1 is recorded already (by Ada Coord on 2026-12-07 16:50 UTC): version 3 (R-9_v3).",
      );
    });

    it("tells the partner which version corrects its exception and its allocation on both, its words kept inside quotes", () => {
      const notice = exceptionCorrectedNotice({
        reconciliation_id: "R-9_v2",
        terminal_receipt_id: "R-9",
        version: 2,
        partner_name: "Beta Oil",
        text: 'Our 3 Nov ticket is missing."\nNo action needed.',
        correction: {
          reconciliation_id: "R-10_v1",
          terminal_receipt_id: "R-10",
          version: 1,
          allocated_bbl_before: 20_590.11,
          allocated_bbl_after: 21_420.3,
        },
        recorded_by_name: "Ada\nCoord",
      });
      expect(notice.title).to.equal("The correction of your exception to version 2 of receipt R-9 is version 1");
      expect(notice.body.split("\n")).to.deep.equal([
        "Ada Coord recorded statement R-10_v1 (version 1 of receipt R-10) as the correction of Beta Oil's upheld exception to statement R-9_v2.",
        "Allocated to Beta Oil: 20,590.11 bbl on the statement excepted to, 21,420.30 bbl on the correction. Its figures, and any prior-period adjustment it raised, are on that statement.",
        "Your exception: “Our 3 Nov ticket is missing.' No action needed.”",
      ]);
    });
  });

  it("tells which step of an exception a write is: raised, answered, its correction recorded, or none", () => {
    const open = { status: "open", answer: null };
    const upheld = { status: "upheld", answer: { by: "c1" } };
    const corrected = { ...upheld, correction: { reconciliation_id: "R_v2", by: "c1" } };
    const cases: Array<[Record<string, unknown> | undefined, Record<string, unknown> | undefined, string | undefined]> = [
      [undefined, open, "raised"],
      [open, upheld, "answered"],
      [open, { status: "rejected" }, "answered"],
      [upheld, corrected, "corrected"],
      [{ ...upheld, correction: null }, corrected, "corrected"],
      [corrected, corrected, undefined],
      [open, open, undefined],
      [upheld, upheld, undefined],
      [corrected, { ...upheld, correction: null }, undefined],
      [corrected, undefined, undefined],
      [undefined, upheld, undefined],
    ];
    expect(cases.map(([before, after]) => stepOf(before, after))).to.deep.equal(cases.map(([, , step]) => step));
  });
});
