import { expect } from "chai";
import { HttpsError } from "firebase-functions/v2/https";
import { enforceRateLimit } from "../../src/shared/rate-limit";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";

const LIMIT = { maxCalls: 5, windowMs: 60_000 };

/** Admitted (true) or refused (false, with the refusal) at `ms` after an epoch of the test's own. */
async function attempt(uid: string, ms: number): Promise<{ admitted: boolean; retryAfter?: number }> {
  try {
    await enforceRateLimit(adminDb(), uid, "probe", "probes", LIMIT, new Date(Date.UTC(2030, 0, 1) + ms));
    return { admitted: true };
  } catch (error) {
    if (!(error instanceof HttpsError) || error.code !== "resource-exhausted") throw error;
    return { admitted: false, retryAfter: (error.details as { retry_after_seconds: number }).retry_after_seconds };
  }
}

describe("rate limit: sliding window", () => {
  it("admits no more than the limit in any window, even across a fixed window's boundary", async () => {
    const uid = uniqueId("burst");
    // Five calls late in one minute, then five just after the minute turns: a fixed window
    // would admit all ten within two seconds.
    for (const ms of [58_000, 58_500, 59_000, 59_500, 59_900]) expect((await attempt(uid, ms)).admitted, `${ms}`).to.equal(true);
    const turned = await attempt(uid, 60_100);
    expect(turned.admitted).to.equal(false);
    expect(turned.retryAfter, "until the call at 58.0 s leaves the window").to.equal(58);
    expect((await attempt(uid, 117_999)).admitted).to.equal(false);
    expect((await attempt(uid, 118_001)).admitted, "the first call has left the window").to.equal(true);
    expect((await attempt(uid, 118_100)).admitted, "the second has not").to.equal(false);
  });

  it("never admits more than the limit in any 60 s of a random schedule", async () => {
    const uid = uniqueId("random");
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const admitted: number[] = [];
    let t = 0;
    for (let i = 0; i < 60; i++) {
      t += Math.floor(next() * 8_000);
      if ((await attempt(uid, t)).admitted) admitted.push(t);
    }
    for (const start of admitted) {
      const inWindow = admitted.filter((x) => x >= start && x < start + LIMIT.windowMs).length;
      expect(inWindow, `window from ${start}`).to.be.at.most(LIMIT.maxCalls);
    }
    expect(admitted.length).to.be.greaterThan(LIMIT.maxCalls);
  });
});

describe("rate limit: every call counts before its payload is parsed", () => {
  it("invalid payloads use up the limit, then even a valid call is refused with when to retry", async () => {
    const limit = Number(process.env.RATE_LIMIT_PER_MINUTE ?? 30);
    const caller: TestUser = { uid: uniqueId("junk"), role: "jv_coordinator" };
    for (let i = 0; i < limit; i++) {
      const { error } = await callFunction("reconcile", { nonsense: i }, caller);
      expect(error?.status, `call ${i + 1}`).to.equal("INVALID_ARGUMENT");
    }
    const refused = await callFunction("reconcile", { terminal_receipt_id: "no-such-receipt" }, caller);
    expect(refused.error?.status).to.equal("RESOURCE_EXHAUSTED");
    expect(refused.error?.message).to.match(/^Too many reconciliations in a short time: .* Try again in \d+ s\.$/);
    const details = refused.error?.details as { retry_after_seconds: number };
    expect(details.retry_after_seconds).to.be.within(1, 60);
    // setUserRole and verifyReconciliation count before parsing too.
    for (const name of ["setUserRole", "verifyReconciliation"]) {
      const role = name === "setUserRole" ? "admin" : "auditor";
      const user: TestUser = { uid: uniqueId(`junk-${name}`), role };
      for (let i = 0; i < limit; i++) expect((await callFunction(name, [i], user)).error?.status).to.equal("INVALID_ARGUMENT");
      expect((await callFunction(name, [0], user)).error?.status, name).to.equal("RESOURCE_EXHAUSTED");
    }
  });
});
