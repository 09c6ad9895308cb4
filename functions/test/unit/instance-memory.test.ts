import { expect } from "chai";
import { sameGrant, type GatewayKey } from "../../src/agents/ingestion/api-keys";
import { KnownKeys, RateLimitedKeys } from "../../src/agents/ingestion/instance-memory";

const key = (n: number, overrides: Partial<GatewayKey> = {}): GatewayKey => ({
  sha256: `h${n}`,
  keyId: `k${n}`,
  partnerId: "p",
  meterIds: null,
  lastUsedAt: null,
  ...overrides,
});

describe("KnownKeys", () => {
  it("forgets the least recently used key past its capacity", () => {
    const known = new KnownKeys(2);
    known.remember(key(1));
    known.remember(key(2));
    expect(known.get("h1")?.keyId).to.equal("k1");
    known.remember(key(3));
    expect([known.get("h1")?.keyId, known.get("h2"), known.get("h3")?.keyId]).to.deep.equal(["k1", undefined, "k3"]);
    known.forget("h1");
    expect(known.get("h1")).to.equal(undefined);
  });
});

describe("RateLimitedKeys", () => {
  it("answers the seconds left of a limited key's window, rounded up, and nothing once it ends", () => {
    const limited = new RateLimitedKeys(2);
    limited.limit("h1", 10_000);
    expect(limited.retryAfterSeconds("h1", 1_500)).to.equal(9);
    expect(limited.retryAfterSeconds("h1", 9_999)).to.equal(1);
    expect(limited.retryAfterSeconds("h1", 10_000)).to.equal(undefined);
    expect(limited.retryAfterSeconds("h2", 0)).to.equal(undefined);
  });

  it("forgets the oldest limited key past its capacity", () => {
    const limited = new RateLimitedKeys(2);
    limited.limit("h1", 5_000);
    limited.limit("h2", 5_000);
    limited.limit("h3", 5_000);
    expect(["h1", "h2", "h3"].map((h) => limited.retryAfterSeconds(h, 0))).to.deep.equal([undefined, 5, 5]);
  });
});

describe("sameGrant", () => {
  it("compares what a key grants, not when it was last used", () => {
    expect(sameGrant(key(1), key(1, { lastUsedAt: new Date() }))).to.equal(true);
    expect(sameGrant(key(1), key(1, { partnerId: "q" }))).to.equal(false);
    expect(sameGrant(key(1, { meterIds: ["M-1"] }), key(1))).to.equal(false);
    expect(sameGrant(key(1, { meterIds: ["M-1", "M-2"] }), key(1, { meterIds: ["M-1", "M-2"] }))).to.equal(true);
    expect(sameGrant(key(1, { meterIds: ["M-1", "M-2"] }), key(1, { meterIds: ["M-2", "M-1"] }))).to.equal(false);
  });
});
