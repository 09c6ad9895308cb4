/** The web app's error text (web/src/format.ts): the server's message and its details in words, never an HTTP status or raw JSON. */
import { expect } from "chai";
import { detailsInWords, errorMessage } from "../../../web/src/format";

describe("web error messages", () => {
  it("gives validation issues as field: message", () => {
    const error = {
      code: "functions/invalid-argument",
      message: "partner_id p-9 is not an existing active partner.",
      details: {
        issues: [
          { path: "partner_id", code: "custom", message: "no such partner" },
          { path: ["acknowledge_luaf", "note"], message: "say why" },
        ],
      },
    };
    expect(errorMessage(error)).to.equal(
      "partner_id p-9 is not an existing active partner. (partner_id: no such partner; acknowledge_luaf.note: say why)",
    );
    // A refusal's own sentence states its lone issue; a schema summary quotes its issues: neither is repeated.
    const lone = { code: "functions/invalid-argument", message: "The expiry 2020-01-01 00:00 UTC is not in the future. [400]" };
    expect(errorMessage({ ...lone, details: { issues: [{ path: "expires_at", message: "must be in the future" }] } })).to.equal(
      "The expiry 2020-01-01 00:00 UTC is not in the future.",
    );
    const summary = { code: "functions/invalid-argument", message: "Invalid request: name: too long; note: required [400]" };
    const issues = [
      { path: "name", message: "too long" },
      { path: "note", message: "required" },
    ];
    expect(errorMessage({ ...summary, details: { issues } })).to.equal("Invalid request: name: too long; note: required");
  });

  it("says a rate limit's refusal by its sentence alone, whose figures its details repeat for programs", () => {
    const limited = {
      code: "functions/resource-exhausted",
      message: "Too many reconciliations in a short time: at most 30 in any 60 s. Try again in 42 s. [429]",
      details: { limit: 30, window_seconds: 60, retry_after_seconds: 42 },
    };
    expect(errorMessage(limited)).to.equal("Too many reconciliations in a short time: at most 30 in any 60 s. Try again in 42 s.");
    // Another refusal keeps its details.
    expect(errorMessage({ ...limited, code: "functions/failed-precondition" })).to.match(
      /\(limit: 30; window seconds: 60; retry after seconds: 42\)$/,
    );
  });

  it("lists ids in words, cut at ten, and leaves out empty fields", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `e${i + 1}`);
    expect(detailsInWords({ pending_audit: ids, pending_audit_count: 12, awaiting_review: [], unmeasurable: [] })).to.equal(
      "pending audit: e1, e2, e3, e4, e5, e6, e7, e8, e9, e10 and 2 more; pending audit count: 12",
    );
  });

  it("names the fields of a nested object and stops two levels down", () => {
    expect(
      detailsInWords({ luaf: { within_band: false, tolerance_percent: 0.5, deep: { deeper: { x: 1 } } }, retry_after_seconds: 30 }),
    ).to.equal("luaf: {within band false, tolerance percent 0.5, deep {deeper …}}; retry after seconds: 30");
  });

  it("adds nothing without details, and cuts a long text at 600 characters", () => {
    expect(errorMessage({ message: "Entry x does not exist." })).to.equal("Entry x does not exist.");
    expect(errorMessage("plain")).to.equal("plain");
    const long = errorMessage({ message: "m", details: { note: "n".repeat(1000) } });
    expect(long).to.have.length(1 + 2 + 600 + 1);
    expect(long.endsWith("…)")).to.equal(true);
  });

  it("shows the server's message without the SDK's HTTP status", () => {
    const refusal = {
      code: "functions/failed-precondition",
      message:
        "The contract day cannot change: day 2026-09-01 is already closed, and closed days are named by the contract day they were closed under. [400]",
    };
    expect(errorMessage(refusal)).to.equal(
      "The contract day cannot change: day 2026-09-01 is already closed, and closed days are named by the contract day they were closed under.",
    );
    // A bracket the server wrote itself, or one not at the end, stays.
    expect(errorMessage({ code: "failed-precondition", message: "Day closed [400]" })).to.equal("Day closed [400]");
    expect(errorMessage({ code: "functions/invalid-argument", message: "Field [2] is bad. [400]" })).to.equal("Field [2] is bad.");
  });

  it("keeps the support reference once: in the message, not again from the details", () => {
    const reference = "bced9ac0-1ff5-4e46-a31a-8c249108aa7e";
    const internal = {
      code: "functions/internal",
      message: `FlowShare could not complete the request. The failure was logged with reference ${reference}; quote it when you report the problem. [500]`,
      details: { correlation_id: reference },
    };
    expect(errorMessage(internal)).to.equal(
      `FlowShare could not complete the request. The failure was logged with reference ${reference}; quote it when you report the problem.`,
    );
    // A reference the message does not quote is kept from the details.
    expect(errorMessage({ code: "functions/aborted", message: "Busy; call again. [409]", details: { correlation_id: "r-1" } })).to.equal(
      "Busy; call again. (correlation id: r-1)",
    );
  });

  it("says in plain words when the server could not be reached or did not answer", () => {
    const unreachable = "The server could not be reached; check the connection and try again.";
    expect(errorMessage({ code: "functions/internal", message: "internal [0]" })).to.equal(unreachable);
    // The server's own unavailable (setUserRole: the role is set, sessions not yet signed out) keeps its words.
    expect(
      errorMessage({
        code: "functions/unavailable",
        message: "The role is set; signing out the user's open sessions failed: call again. [503]",
      }),
    ).to.equal("The role is set; signing out the user's open sessions failed: call again.");
    // Details the message already quotes are not repeated; the others are kept.
    expect(
      errorMessage({
        code: "functions/already-exists",
        message: "This request already created key key_507d02e424e4f56719c5 (fsgk_uGdoStJ1…). [409]",
        details: { key_id: "key_507d02e424e4f56719c5", prefix: "fsgk_uGdoStJ1", count: 1 },
      }),
    ).to.equal("This request already created key key_507d02e424e4f56719c5 (fsgk_uGdoStJ1…). (count: 1)");
    expect(errorMessage({ code: "functions/unavailable", message: "unavailable [503]" })).to.equal(unreachable);
    expect(errorMessage({ code: "unavailable", message: "Failed to get document because the client is offline." })).to.equal(unreachable);
    expect(errorMessage({ code: "functions/deadline-exceeded", message: "deadline-exceeded" })).to.equal(
      "The server did not answer in time; try again.",
    );
    expect(errorMessage({ code: "functions/not-found", message: "not-found [404]" })).to.equal(
      "The request failed (not found); try again.",
    );
    expect(errorMessage({ code: "functions/internal", message: "Backend error status: INTERNAL [500]" })).to.equal(unreachable);
  });

  it("says plainly that the user is not allowed, with the server's reason when it gave one", () => {
    expect(errorMessage({ code: "permission-denied", message: "Missing or insufficient permissions." })).to.equal(
      "You are not allowed to do this.",
    );
    expect(errorMessage({ code: "functions/permission-denied", message: "Your account is disabled. [403]" })).to.equal(
      "You are not allowed to do this: Your account is disabled.",
    );
    expect(errorMessage({ code: "functions/permission-denied", message: "permission-denied [403]" })).to.equal(
      "You are not allowed to do this.",
    );
    // The server's own sign-in message stands; the database's stock one is said plainly.
    expect(errorMessage({ code: "functions/unauthenticated", message: "Your session was revoked; sign in again. [401]" })).to.equal(
      "Your session was revoked; sign in again.",
    );
    expect(errorMessage({ code: "unauthenticated", message: "Request had invalid authentication credentials." })).to.equal(
      "You are signed out; sign in again.",
    );
  });
});
