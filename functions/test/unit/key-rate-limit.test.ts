import { expect } from "chai";
import { type DocumentSnapshot } from "firebase-admin/firestore";
import { countAfter, counterFields, keyRateDecision } from "../../src/agents/ingestion/key-rate-limit";

const limit = { maxRequests: 3, windowMs: 60_000 };
const counter = (data?: Record<string, unknown>) =>
  ({ exists: data !== undefined, get: (field: string) => data?.[field] }) as unknown as DocumentSnapshot;
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, 0) + ms);
const windowStart = Date.UTC(2026, 11, 1, 10, 0, 0);

describe("per-key rate limit", () => {
  it("allows up to the limit in a window and names the wait after it", () => {
    expect(keyRateDecision(counter(), limit, at(0))).to.deep.equal({ allowed: true });
    expect(keyRateDecision(counter({ window_start_ms: windowStart, count: 2 }), limit, at(10_000))).to.deep.equal({ allowed: true });
    expect(keyRateDecision(counter({ window_start_ms: windowStart, count: 3 }), limit, at(10_000))).to.deep.equal({
      allowed: false,
      retryAfterSeconds: 50,
    });
  });

  it("starts a new count once the window has passed", () => {
    expect(keyRateDecision(counter({ window_start_ms: windowStart, count: 3 }), limit, at(60_000))).to.deep.equal({ allowed: true });
  });

  it("counts a request whose clock was read before a newer window began in that newer window, never restarting it", () => {
    // The newer window is full; a request that read its clock at 59.9 s of the older one must not reset it.
    const newer = counter({ window_start_ms: windowStart + 60_000, count: 3 });
    expect(keyRateDecision(newer, limit, at(59_900))).to.deep.equal({ allowed: false, retryAfterSeconds: 61 });
    // A window further ahead than the next one (a clock gone wrong) does not hold the count.
    expect(keyRateDecision(counter({ window_start_ms: windowStart + 600_000, count: 3 }), limit, at(10_000))).to.deep.equal({
      allowed: true,
    });
  });

  it("gives the window that counts one more request: the stored one, or a new one once it has passed; none at the limit", () => {
    expect(countAfter(undefined, limit, at(5_000)).next).to.deep.equal({ windowStart, count: 1 });
    expect(countAfter({ windowStart, count: 2 }, limit, at(5_000)).next).to.deep.equal({ windowStart, count: 3 });
    expect(countAfter({ windowStart, count: 3 }, limit, at(5_000))).to.deep.equal({ decision: { allowed: false, retryAfterSeconds: 55 } });
    expect(countAfter({ windowStart, count: 3 }, limit, at(65_000)).next).to.deep.equal({ windowStart: windowStart + 60_000, count: 1 });
    const fields = counterFields("key_1", { windowStart, count: 3 }, limit);
    expect([fields.window_start_ms, fields.count, (fields.expires_at as { toMillis(): number }).toMillis()]).to.deep.equal([
      windowStart,
      3,
      windowStart + 120_000,
    ]);
  });
});
