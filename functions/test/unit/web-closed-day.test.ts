import { expect } from "chai";
import { closedDayNextStep, operatorMayNotCorrect } from "../../../web/src/domain/closed-day";

describe("web: what an operator may do about an entry", () => {
  it("sends late data on a closed day to a coordinator, as a late entry or a correction", () => {
    expect(closedDayNextStep("2026-10-15", "add")).to.equal(
      "Operators cannot add entries to 2026-10-15: ask a JV coordinator (or an admin) to add the ticket as a late entry, with a note saying why.",
    );
    expect(closedDayNextStep("2026-10-15", "correct")).to.contain("ask a JV coordinator (or an admin) to correct this entry");
  });

  it("lets the operator correct only its own entry on an open day that no coordinator corrected, as the rules do, and says why not", () => {
    const own = { created_by: "op-1" };
    expect(operatorMayNotCorrect(own, "op-1", false)).to.equal(undefined);
    expect(operatorMayNotCorrect({ ...own, correction_note: "Gauger's book" }, "op-1", false)).to.equal(
      "a coordinator corrected or entered it, so only a coordinator (or an admin) can change it",
    );
    expect(operatorMayNotCorrect({ created_by: "api_key:k1" }, "op-1", false)).to.equal(
      "only the account that filed it, or a coordinator, can change it",
    );
    expect(operatorMayNotCorrect(own, "op-1", true)).to.equal("its contract day is closed");
  });
});
