// The web app's copy of a statement exception's bounds and window (web/src/domain/statement-exception.ts)
// must be the callables': the form would otherwise allow what the server refuses, or show another end.
import { expect } from "chai";
import * as server from "../../src/domain/statement-exception";
import * as web from "../../../web/src/domain/statement-exception";

describe("the web app's copy of the statement exception's bounds and window", () => {
  it("has the callables' text bounds", () => {
    expect([web.EXCEPTION_TEXT_MIN, web.EXCEPTION_TEXT_MAX, web.ANSWER_TEXT_MAX]).to.deep.equal([
      server.EXCEPTION_TEXT_MIN,
      server.EXCEPTION_TEXT_MAX,
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
});
