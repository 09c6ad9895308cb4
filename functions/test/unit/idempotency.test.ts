import { expect } from "chai";
import { decideIdempotency, IDEMPOTENCY_TTL_MS, type IdempotencyRecord } from "../../src/domain/idempotency";

const now = 1_800_000_000_000;
const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  state: "completed",
  body_sha256: "a",
  expires_at_ms: now + IDEMPOTENCY_TTL_MS / 2,
  ...overrides,
});

describe("Idempotency-Key decisions", () => {
  it("proceeds with a new key and with an expired record", () => {
    expect(decideIdempotency(undefined, "a", now)).to.deep.equal({ kind: "proceed" });
    expect(decideIdempotency(record({ expires_at_ms: now }), "b", now)).to.deep.equal({ kind: "proceed" });
  });

  it("replays a completed request with the same body and refuses another body", () => {
    expect(decideIdempotency(record(), "a", now)).to.deep.equal({ kind: "replay" });
    expect(decideIdempotency(record(), "b", now)).to.deep.equal({ kind: "body_mismatch" });
    expect(decideIdempotency(record({ state: "in_flight", lease_until_ms: now + 60_000 }), "b", now)).to.deep.equal({
      kind: "body_mismatch",
    });
  });

  it("reports a live request as in flight with a short wait, and takes over a lapsed lease", () => {
    expect(decideIdempotency(record({ state: "in_flight", lease_until_ms: now + 60_000 }), "a", now)).to.deep.equal({
      kind: "in_flight",
      retryAfterSeconds: 5,
    });
    expect(decideIdempotency(record({ state: "in_flight", lease_until_ms: now + 1_500 }), "a", now)).to.deep.equal({
      kind: "in_flight",
      retryAfterSeconds: 2,
    });
    expect(decideIdempotency(record({ state: "in_flight", lease_until_ms: now }), "a", now)).to.deep.equal({ kind: "proceed" });
  });
});
