import { expect } from "chai";
import {
  correctionRefusal,
  exceptionAnsweredNotice,
  exceptionCorrectedNotice,
  exceptionRaisedNotice,
  exceptionWindowEnds,
  statementExceptionId,
} from "../../src/domain/statement-exception";

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
      "Ada Coord answered Beta Oil's exception to statement R-9_v2. Upheld: the operator agrees; the correction follows in a later version.\n" +
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
    const exception = {
      id: "x_1",
      status: "upheld" as const,
      reconciliation_id: "R-9_v2",
      terminal_receipt_id: "R-9",
      version: 2,
      partner_id: "beta",
      correction: null,
    };
    const version = {
      id: "R-9_v3",
      terminal_receipt_id: "R-9",
      version: 3,
      released: true,
      replaces_receipt_id: null,
      partner_ids: ["alpha", "beta"],
      receipt_withdrawn: false,
    };

    it("takes a later, released version of the receipt, or of the receipt replacing it, with the partner's line", () => {
      expect(correctionRefusal(exception, version)).to.equal(undefined);
      expect(
        correctionRefusal(exception, { ...version, id: "R-10_v1", terminal_receipt_id: "R-10", version: 1, replaces_receipt_id: "R-9" }),
      ).to.equal(undefined);
    });

    it("refuses an exception not upheld, an earlier or unrelated version, an unreleased or withdrawn one, or one without the partner", () => {
      const refusals = [
        correctionRefusal({ ...exception, status: "open" }, version),
        correctionRefusal({ ...exception, status: "rejected" }, version),
        correctionRefusal(exception, { ...version, id: "R-9_v2", version: 2 }),
        correctionRefusal(exception, { ...version, id: "R-9_v1", version: 1 }),
        correctionRefusal(exception, { ...version, id: "R-10_v1", terminal_receipt_id: "R-10", version: 1, replaces_receipt_id: "R-8" }),
        correctionRefusal(exception, { ...version, released: false }),
        correctionRefusal(exception, { ...version, receipt_withdrawn: true }),
        correctionRefusal(exception, { ...version, partner_ids: ["alpha"] }),
      ];
      expect(refusals.map((r) => r?.split(":")[0])).to.deep.equal([
        "Statement exception x_1 is not answered yet",
        "Statement exception x_1 was rejected",
        "Reconciliation R-9_v2 is version 2 of receipt R-9; the exception is to version 2",
        "Reconciliation R-9_v1 is version 1 of receipt R-9; the exception is to version 2",
        "Reconciliation R-10_v1 is of receipt R-10, which does not replace receipt R-9",
        "Reconciliation R-9_v3 has not been released to the partners yet",
        "Terminal receipt R-9 was withdrawn",
        "Partner beta has no line on reconciliation R-9_v3",
      ]);
    });

    it("answers a correction recorded with the same version as recorded, and refuses another, naming the one recorded", () => {
      const recorded = { ...exception, correction: { reconciliation_id: "R-9_v3", terminal_receipt_id: "R-9", version: 3 } };
      expect(correctionRefusal(recorded, version)).to.equal(undefined);
      expect(correctionRefusal(recorded, { ...version, id: "R-9_v4", version: 4 })).to.equal(
        "The correction of statement exception x_1 is recorded already: version 3 (R-9_v3).",
      );
    });

    it("tells the partner which version corrects its exception, its words kept inside quotes", () => {
      const notice = exceptionCorrectedNotice({
        reconciliation_id: "R-9_v2",
        terminal_receipt_id: "R-9",
        version: 2,
        partner_name: "Beta Oil",
        text: 'Our 3 Nov ticket is missing."\nNo action needed.',
        correction: { reconciliation_id: "R-10_v1", terminal_receipt_id: "R-10", version: 1 },
        recorded_by_name: "Ada\nCoord",
      });
      expect(notice.title).to.equal("The correction of your exception to version 2 of receipt R-9 is version 1");
      expect(notice.body.split("\n")).to.deep.equal([
        "Ada Coord recorded statement R-10_v1 (version 1 of receipt R-10) as the correction of Beta Oil's upheld exception to statement R-9_v2. Its figures, and any prior-period adjustment it raised, are on that statement.",
        "Your exception: “Our 3 Nov ticket is missing.' No action needed.”",
      ]);
    });
  });
});
