import { expect } from "chai";
import {
  exceptionAnsweredNotice,
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
});
