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

describe("rate limit: the log an instance remembers", () => {
  const log = (uid: string) => adminDb().doc(`rate_limits/${uid}_probe`);
  const stored = async (uid: string) => ((await log(uid).get()).get("admitted_ms") as number[] | undefined) ?? [];
  const epoch = Date.UTC(2030, 0, 1);

  it("never admits past the limit when another instance admitted calls since this one last wrote", async () => {
    const uid = uniqueId("two-instances");
    for (const ms of [1_000, 2_000, 3_000]) expect((await attempt(uid, ms)).admitted).to.equal(true);
    // Another instance admits two more: this one's remembered log no longer says what is stored.
    await log(uid).update({ admitted_ms: [1_000, 2_000, 3_000, 3_500, 3_700].map((ms) => epoch + ms) });
    const refused = await attempt(uid, 4_000);
    expect(refused).to.deep.equal({ admitted: false, retryAfter: 57 });
    expect(await stored(uid)).to.deep.equal([1_000, 2_000, 3_000, 3_500, 3_700].map((ms) => epoch + ms));
  });

  it("admits and records the call when the log was deleted since (its TTL), and carries on from what it wrote", async () => {
    const uid = uniqueId("deleted");
    for (const ms of [1_000, 2_000, 3_000, 4_000]) expect((await attempt(uid, ms)).admitted).to.equal(true);
    await log(uid).delete();
    expect((await attempt(uid, 5_000)).admitted).to.equal(true);
    expect(await stored(uid)).to.deep.equal([epoch + 5_000]);
    for (const ms of [6_000, 7_000, 8_000, 9_000]) expect((await attempt(uid, ms)).admitted, `${ms}`).to.equal(true);
    expect((await attempt(uid, 10_000)).admitted).to.equal(false);
    expect(await stored(uid)).to.deep.equal([5_000, 6_000, 7_000, 8_000, 9_000].map((ms) => epoch + ms));
  });

  it("admits exactly the limit of simultaneous calls, and each admitted call is in the log", async () => {
    const uid = uniqueId("simultaneous");
    expect((await attempt(uid, 1_000)).admitted).to.equal(true);
    const outcomes = await Promise.all(Array.from({ length: 9 }, (_, i) => attempt(uid, 2_000 + i)));
    expect(outcomes.filter((o) => o.admitted)).to.have.length(LIMIT.maxCalls - 1);
    expect(await stored(uid)).to.have.length(LIMIT.maxCalls);
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
