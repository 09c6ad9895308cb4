/**
 * Gateway API keys: `fsgk_` + 40 random base62 characters + a 6-character base62 CRC-32 of
 * everything before it. The prefix lets secret scanners spot a leaked key; the checksum lets
 * the endpoint refuse a mistyped or made-up key without a database read. Only the key's
 * SHA-256 is ever stored.
 */
import { createHash } from "node:crypto";

export const API_KEY_PREFIX = "fsgk_";
const RANDOM_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
/** How many characters of the random part the displayed prefix shows (about 48 bits). */
const SHOWN_RANDOM = 8;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62Fixed(value: number, length: number): string {
  let rest = value;
  let out = "";
  for (let i = 0; i < length; i += 1) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Source of random bytes: crypto.randomBytes in production, a seeded stream for the demo. */
export type RandomBytes = (count: number) => Uint8Array;

/** Uniform base62 characters by rejection sampling (bytes >= 248 are dropped). */
function randomBase62(random: RandomBytes, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export interface IssuedApiKey {
  /** The clear key: shown once, never stored. */
  key: string;
  /** Hex SHA-256 of the key: the `api_keys` document id. */
  sha256: string;
  keyId: string;
  /** What an admin sees to recognise the key, e.g. `fsgk_3bXk9QaZ`. */
  prefix: string;
  lastFour: string;
}

export function issueApiKey(random: RandomBytes): IssuedApiKey {
  const body = API_KEY_PREFIX + randomBase62(random, RANDOM_LENGTH);
  return describeApiKey(body + base62Fixed(crc32(body), CHECKSUM_LENGTH));
}

export function describeApiKey(key: string): IssuedApiKey {
  const sha256 = apiKeySha256(key);
  return {
    key,
    sha256,
    keyId: apiKeyId(sha256),
    prefix: key.slice(0, API_KEY_PREFIX.length + SHOWN_RANDOM),
    lastFour: key.slice(-4),
  };
}

export function apiKeySha256(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The key's public id (on entries, in logs, for revocation): derived from its hash, not the key. */
export function apiKeyId(sha256: string): string {
  return `key_${sha256.slice(0, 20)}`;
}

export const API_KEY_ID_SHAPE = /^key_[0-9a-f]{20}$/;

export type ApiKeyCheck = { ok: true } | { ok: false; reason: "shape" | "checksum" };

/** Whether a presented string can be a FlowShare key at all (no database involved). */
export function checkApiKeyFormat(candidate: string): ApiKeyCheck {
  if (!KEY_SHAPE.test(candidate)) return { ok: false, reason: "shape" };
  const body = candidate.slice(0, -CHECKSUM_LENGTH);
  const checksum = candidate.slice(-CHECKSUM_LENGTH);
  return base62Fixed(crc32(body), CHECKSUM_LENGTH) === checksum ? { ok: true } : { ok: false, reason: "checksum" };
}

export interface ApiKeyGrant {
  partner_id: string;
  name: string;
  meter_ids: string[] | null;
  expires_at: Date | null;
  created_by: string;
  created_at: Date;
}

/** The `api_keys/{sha256}` document (dates as Dates; the Admin SDK stores them as Timestamps). */
export function apiKeyRecord(issued: IssuedApiKey, grant: ApiKeyGrant): Record<string, unknown> {
  return {
    key_id: issued.keyId,
    prefix: issued.prefix,
    last_four: issued.lastFour,
    name: grant.name,
    partner_id: grant.partner_id,
    meter_ids: grant.meter_ids,
    created_at: grant.created_at,
    created_by: grant.created_by,
    expires_at: grant.expires_at,
    revoked_at: null,
    revoked_by: null,
    last_used_at: null,
  };
}

/** The audit-log event of a key's creation (never the key, never its hash). */
export function apiKeyCreatedEvent(issued: IssuedApiKey, grant: ApiKeyGrant) {
  return {
    eventId: `apikey_created_${issued.keyId}`,
    stream: "agent_admin",
    actor: grant.created_by,
    action: "api_key_created",
    subject: `api_keys/${issued.keyId}`,
    details: {
      key_id: issued.keyId,
      prefix: issued.prefix,
      partner_id: grant.partner_id,
      name: grant.name,
      meter_ids: grant.meter_ids,
      expires_at: grant.expires_at?.toISOString() ?? null,
    },
  };
}
