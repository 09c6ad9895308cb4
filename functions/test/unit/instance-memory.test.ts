import { expect } from "chai";
import { sameGrant, type GatewayKey } from "../../src/agents/ingestion/api-keys";
import { KnownKeys } from "../../src/agents/ingestion/instance-memory";

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

describe("sameGrant", () => {
  it("compares what a key grants, not when it was last used", () => {
    expect(sameGrant(key(1), key(1, { lastUsedAt: new Date() }))).to.equal(true);
    expect(sameGrant(key(1), key(1, { partnerId: "q" }))).to.equal(false);
    expect(sameGrant(key(1, { meterIds: ["M-1"] }), key(1))).to.equal(false);
    expect(sameGrant(key(1, { meterIds: ["M-1", "M-2"] }), key(1, { meterIds: ["M-1", "M-2"] }))).to.equal(true);
    expect(sameGrant(key(1, { meterIds: ["M-1", "M-2"] }), key(1, { meterIds: ["M-2", "M-1"] }))).to.equal(false);
  });
});
