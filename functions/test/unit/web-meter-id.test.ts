/**
 * The web app refuses, before saving, the meter ids the security rules refuse (firestore.rules,
 * plainMeterId): the same characters as the gateways' isPlainMeterId.
 */
import { expect } from "chai";
import { isPlainMeterId } from "../../src/domain/meter-ticket";
import { meterIdProblem } from "../../../web/src/domain/meter-id";

describe("the web app's meter id check", () => {
  it("refuses exactly what the gateways' check refuses", () => {
    const samples = [
      "LACT-01A",
      "LACT 01A",
      "M\u200c7",
      "M-7\n",
      "M\t7",
      "M-7\u2028",
      "M-7\u2029",
      "\u202eA10",
      "LA\u00adCT",
      "L\u200bA",
      "L\u2066A",
      "\ufeffL",
      "M\u180e7",
      "M\u061c7",
      "M\u0000",
      "M\u007f",
    ];
    for (const id of samples) expect(meterIdProblem(id) === undefined, JSON.stringify(id)).to.equal(isPlainMeterId(id));
    expect(samples.filter((id) => meterIdProblem(id) !== undefined)).to.have.length(13);
  });
});
