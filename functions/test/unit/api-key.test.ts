import { expect } from "chai";
import { randomBytes } from "node:crypto";
import {
  API_KEY_ID_SHAPE,
  API_KEY_LENGTH,
  apiKeySha256,
  checkApiKeyFormat,
  crc32,
  describeApiKey,
  issueApiKey,
} from "../../src/domain/api-key";
import { type Firestore } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { createApiKey, createApiKeyInput } from "../../src/agents/ingestion/api-keys";

describe("gateway API keys", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32("123456789")).to.equal(0xcbf43926);
    expect(crc32("")).to.equal(0);
  });

  it("issues keys with the fsgk_ prefix, a valid checksum, and ids derived from the hash", () => {
    for (let i = 0; i < 50; i += 1) {
      const issued = issueApiKey(randomBytes);
      expect(issued.key).to.match(/^fsgk_[0-9A-Za-z]{46}$/);
      expect(issued.key.length).to.equal(API_KEY_LENGTH);
      expect(checkApiKeyFormat(issued.key)).to.deep.equal({ ok: true });
      expect(issued.sha256)
        .to.equal(apiKeySha256(issued.key))
        .and.to.match(/^[0-9a-f]{64}$/);
      expect(issued.keyId)
        .to.match(API_KEY_ID_SHAPE)
        .and.to.equal(`key_${issued.sha256.slice(0, 20)}`);
      expect(issued.prefix).to.equal(issued.key.slice(0, 13));
      expect(issued.lastFour).to.equal(issued.key.slice(-4));
    }
  });

  it("is deterministic for a given byte source", () => {
    const source = () => Uint8Array.from({ length: 80 }, (_, i) => (i * 37) % 256);
    expect(issueApiKey(source).key).to.equal(issueApiKey(source).key);
    expect(describeApiKey(issueApiKey(source).key).sha256).to.equal(issueApiKey(source).sha256);
  });

  it("catches every single-character change through the checksum", () => {
    const { key } = issueApiKey(randomBytes);
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let caught = 0;
    for (let position = 5; position < key.length; position += 1) {
      const replacement = alphabet[(alphabet.indexOf(key[position]) + 17) % 62];
      const altered = key.slice(0, position) + replacement + key.slice(position + 1);
      expect(checkApiKeyFormat(altered)).to.deep.equal({ ok: false, reason: "checksum" });
      caught += 1;
    }
    expect(caught).to.equal(46);
  });

  it("refuses strings that are not shaped like a key", () => {
    const { key } = issueApiKey(randomBytes);
    for (const bad of [
      "",
      "fsgk_",
      key.slice(0, -1),
      `${key}x`,
      key.replace("fsgk_", "ghp_x"),
      `${key.slice(0, 10)}-${key.slice(11)}`,
      ` ${key}`,
    ]) {
      expect(checkApiKeyFormat(bad), bad).to.deep.equal({ ok: false, reason: "shape" });
    }
  });
});

describe("createApiKey: the expiry", () => {
  const deps = {
    db: {
      doc: () => {
        throw new Error("no database in a unit test");
      },
    } as unknown as Firestore,
    clock: { now: () => new Date("2026-12-03T12:00:00Z") },
  };
  const admin = { uid: "admin-1", role: "admin" as const };
  const create = (expiresAt: string) =>
    createApiKey(deps, createApiKeyInput.parse({ partner_id: "p1", name: "gw", expires_at: expiresAt }), admin).catch((e: unknown) => e);

  it("refuses an expiry past the last time Firestore stores, as an invalid argument rather than an internal error", async () => {
    const refused = (await create("9999-12-31T23:59:59-01:00")) as HttpsError;
    expect(refused).to.be.instanceOf(HttpsError);
    expect([refused.code, refused.message]).to.deep.equal([
      "invalid-argument",
      "The expiry +010000-01-01T00:59:59.000Z is after 9999-12-31 23:59 UTC, the latest time FlowShare stores.",
    ]);
    // Programs still find the field by its key.
    expect((refused.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).to.deep.equal(["expires_at"]);
    const past = (await create("2020-01-01T00:00:00Z")) as HttpsError;
    expect([past.code, past.message]).to.deep.equal(["invalid-argument", "The expiry 2020-01-01 00:00 UTC is not in the future."]);
    expect(past.details).to.deep.equal({ issues: [{ path: "expires_at", code: "custom", message: "must be in the future" }] });
    // The last storable instant passes the check and goes on to read the partner.
    expect(((await create("9999-12-31T23:59:59Z")) as Error).message).to.equal("no database in a unit test");
  });
});
