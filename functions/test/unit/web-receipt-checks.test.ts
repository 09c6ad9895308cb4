/** What the receipt's pre-flight says reconcile will refuse (web/src/domain/receipt-checks.ts), and the overlap refusal in words. */
import { expect } from "chai";
import { nothingToAllocate, overlapInWords, overlapsOf, receiptFigureProblems } from "../../../web/src/domain/receipt-checks";
import { receiptFieldHint } from "../../../web/src/domain/entry-checks";
import { detailsInWords } from "../../../web/src/format";
import { measurementBandReasons } from "../../src/domain/audit-rules";

const receipt = { id: "pet-b", supersedes_receipt_id: null };

describe("receipt pre-flight checks", () => {
  it("names the days another receipt's version holds, by version in words", () => {
    const overlaps = overlapsOf(
      [
        { day: "2026-10-30", reconciliation_id: "pet-a_v2", terminal_receipt_id: "pet-a" },
        { day: "2026-10-29", reconciliation_id: "pet-a_v2", terminal_receipt_id: "pet-a" },
        { day: "2026-10-31", reconciliation_id: "pet-b_v1", terminal_receipt_id: "pet-b" },
      ],
      receipt,
    );
    expect(overlaps).to.deep.equal([{ reconciliation_id: "pet-a_v2", terminal_receipt_id: "pet-a", days: ["2026-10-29", "2026-10-30"] }]);
    expect(overlapInWords(overlaps[0])).to.match(
      /^2026-10-29 and 2026-10-30 are already allocated by version 2 of receipt pet-a: enter this receipt as replacing that one/,
    );
    expect(overlapInWords({ ...overlaps[0], days: ["2026-10-30"] })).to.match(
      /^2026-10-30 is already allocated by version 2 of receipt pet-a:/,
    );
    // The receipt a corrected ticket replaced is told to reconcile that ticket instead.
    expect(overlapInWords({ ...overlaps[0], days: ["2026-10-30"], replacesThis: true })).to.equal(
      "2026-10-30 is allocated by version 2 of receipt pet-a, the receipt that replaces this one: reconcile receipt pet-a instead; to correct the ticket again, enter a new receipt that replaces pet-a",
    );
  });

  it("lets a receipt take over the days of the receipt it replaces, and of its own versions", () => {
    const closed = [{ day: "2026-10-30", reconciliation_id: "pet-a_v2", terminal_receipt_id: "pet-a" }];
    expect(overlapsOf(closed, { id: "pet-b", supersedes_receipt_id: "pet-a" })).to.deep.equal([]);
    expect(overlapsOf(closed, { id: "pet-a" })).to.deep.equal([]);
    // A record without the receipt's id is read by the version's id.
    expect(overlapsOf([{ day: "2026-10-30", reconciliation_id: "pet-a_v2" }], { id: "pet-a" })).to.deep.equal([]);
  });

  it("refuses the receipt's figures where reconcile's examineReceipt does", () => {
    const sound = {
      gross_volume_bbl: 2985.4,
      bsw_percent: 0.4,
      temperature_degF: 88,
      api_gravity: 35.1,
      pressure_psig: 12,
      meter_factor: 1.0002,
    };
    expect(receiptFigureProblems(sound)).to.deep.equal([]);
    const hot = { ...sound, temperature_degF: 857, bsw_percent: 6, meter_factor: 1.3 };
    const critical = measurementBandReasons(hot as never).filter((r) => r.severity === "critical");
    const problems = receiptFigureProblems(hot);
    expect(problems).to.have.length(critical.length);
    expect(problems[0]).to.equal("BS&W 6 %: above 5 %, no terminal accepts crude this wet");
    expect(problems[1]).to.equal("Temperature 857 °F: outside \u221258 to 302 °F");
    // A flag does not stop reconcile: a BS&W of 2 % is no problem on a receipt.
    expect(receiptFigureProblems({ ...sound, bsw_percent: 2 })).to.deep.equal([]);
    expect(receiptFieldHint("bsw_percent", "2").level).to.equal("ok");
    expect(receiptFieldHint("bsw_percent", "2").limits).to.equal("refused above 5.0 %");
    expect(receiptFieldHint("meter_factor", "").limits).to.equal("refused outside 0.90–1.10; empty = 1.0000");
    expect(receiptFieldHint("temperature_degF", "857").message).to.equal("refused by reconcile: outside \u221258 to 302 °F");
    expect(receiptFieldHint("gross_volume_bbl", "-5")).to.include({ refused: true, message: "cannot be saved: must be above 0 bbl" });
  });

  it("says when the period has nothing to allocate to, once no entry may still be used", () => {
    expect(nothingToAllocate({ entries: 0, usable: 0, pending: 0, terminalGrossBbl: 100 })).to.match(/^No production entry in the period/);
    expect(nothingToAllocate({ entries: 3, usable: 0, pending: 0, terminalGrossBbl: 100 })).to.match(
      /^None of the period's 3 entries are used/,
    );
    expect(nothingToAllocate({ entries: 3, usable: 0, pending: 1, terminalGrossBbl: 100 })).to.equal(undefined);
    expect(nothingToAllocate({ entries: 3, usable: 1, pending: 0, terminalGrossBbl: 100 })).to.equal(undefined);
  });

  it("gives reconcile's overlap refusal in words, never as an object", () => {
    const text = detailsInWords({
      overlaps: [{ terminal_receipt_id: "pet-a", reconciliation_id: "pet-a_v2", days: ["2026-10-29", "2026-10-30"] }],
    });
    expect(text).to.equal("held by version 2 of receipt pet-a: 2026-10-29 and 2026-10-30");
    expect(text).not.to.match(/[{}]/);
  });
});
