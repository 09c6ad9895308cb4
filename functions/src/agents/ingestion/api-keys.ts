/**
 * Gateway keys: admins create and revoke them (both on the audit log); the endpoint finds a
 * presented key by its SHA-256. The clear key leaves createApiKey once and is never stored or
 * logged.
 */
import { runTransaction } from "../../shared/transaction";
import { createHash, randomBytes } from "node:crypto";
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import {
  API_KEY_ID_SHAPE,
  apiKeyCreatedEvent,
  apiKeyRecord,
  apiKeySha256,
  checkApiKeyFormat,
  issueApiKey,
  type ApiKeyGrant,
} from "../../domain/api-key";
import { METER_ID_MAX_LENGTH } from "../../domain/meter-ticket";
import { typedText } from "../../domain/typed-text";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { COLLECTIONS } from "../../shared/collections";
import { documentId } from "../../shared/document-id";
import { unusablePartner } from "../../shared/partner-refusal";
import { utcMinute } from "../../domain/utc-minute";

/** The audit-log stream of key events (the admin agent's, like role changes). */
const KEY_EVENTS_STREAM = "agent_admin";

export const createApiKeyInput = z.strictObject({
  partner_id: documentId(128),
  name: z.string().trim().min(1).max(100).superRefine(typedText("line")),
  meter_ids: z
    .array(z.string().trim().min(1).max(METER_ID_MAX_LENGTH).superRefine(typedText("id")))
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, { message: "must not repeat a meter" })
    .optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  /** The caller's id for this creation, kept across its retries: a retry creates no second key. */
  request_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, { message: "must be 8 to 64 letters, digits, '-' or '_' (e.g. a UUID)" })
    .optional(),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

export const revokeApiKeyInput = z.strictObject({
  key_id: z.string().regex(API_KEY_ID_SHAPE, { message: "must be a key id as createApiKey returned it (key_ and 20 hex digits)" }),
});

/** How long a request_id is remembered: retries come within minutes; a TTL policy removes the record. */
const KEY_REQUEST_MEMORY_MS = 24 * 3600_000;

/** Firestore's Timestamp ends with the year 9999 ("+010000-01-01" in UTC is refused by the write). */
const LATEST_STORABLE_TIME = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

export interface CreateApiKeyResult {
  key_id: string;
  /** The clear key: shown this once. */
  key: string;
  prefix: string;
  partner_id: string;
  meter_ids: string[] | null;
  expires_at: string | null;
}

/** Stores a key issued from `random` (crypto by default; the demo seed passes a seeded stream). */
export async function createApiKey(
  deps: Pick<AgentDeps, "db" | "clock">,
  input: CreateApiKeyInput,
  caller: Caller,
  random: (count: number) => Uint8Array = randomBytes,
): Promise<CreateApiKeyResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const requestRef = input.request_id === undefined ? undefined : keyRequestRef(db, caller.uid, input.request_id);
  const inputSha256 = keyRequestInputSha256(input);
  // A retry is told of its key first, even if the partner or the expiry would refuse a new one now.
  const earlier = requestRef && (await requestRef.get());
  if (earlier?.exists) throw requestAlreadyAnswered(earlier, inputSha256);
  const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
  if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
    throw new HttpsError("invalid-argument", `The expiry ${utcMinute(expiresAt)} is not in the future.`, {
      issues: [{ path: "expires_at", code: "custom", message: "must be in the future" }],
    });
  }
  if (expiresAt !== null && expiresAt.getTime() > LATEST_STORABLE_TIME.getTime()) {
    throw new HttpsError(
      "invalid-argument",
      `The expiry ${utcMinute(expiresAt)} is after ${utcMinute(LATEST_STORABLE_TIME)}, the latest time FlowShare stores.`,
      {
        issues: [
          {
            path: "expires_at",
            code: "custom",
            message: `must be at most ${LATEST_STORABLE_TIME.toISOString()}, the latest time Firestore stores`,
          },
        ],
      },
    );
  }
  const partner = await db.doc(`${COLLECTIONS.partners}/${input.partner_id}`).get();
  if (!partner.exists || partner.get("active") !== true) {
    throw unusablePartner("failed-precondition", input.partner_id, partner);
  }
  const issued = issueApiKey(random);
  const grant: ApiKeyGrant = {
    partner_id: input.partner_id,
    name: input.name,
    meter_ids: input.meter_ids ?? null,
    expires_at: expiresAt,
    created_by: caller.uid,
    created_at: now,
  };
  await runTransaction(db, async (tx) => {
    if (requestRef) {
      const earlier = await tx.get(requestRef);
      if (earlier.exists) throw requestAlreadyAnswered(earlier, inputSha256);
    }
    const audit = await prepareAuditAppend(db, tx, apiKeyCreatedEvent(issued, grant));
    tx.create(apiKeyRef(db, issued.sha256), apiKeyRecord(issued, grant));
    if (requestRef) {
      tx.create(requestRef, {
        key_id: issued.keyId,
        prefix: issued.prefix,
        partner_id: input.partner_id,
        input_sha256: inputSha256,
        created_by: caller.uid,
        created_at: Timestamp.fromDate(now),
        expires_at: Timestamp.fromMillis(now.getTime() + KEY_REQUEST_MEMORY_MS),
      });
    }
    writeAuditAppend(db, tx, audit, now);
  });
  return {
    key_id: issued.keyId,
    key: issued.key,
    prefix: issued.prefix,
    partner_id: input.partner_id,
    meter_ids: grant.meter_ids,
    expires_at: expiresAt?.toISOString() ?? null,
  };
}

/** `api_key_requests/{h}`: h is the first 40 hex digits of the SHA-256 of the caller and request_id. */
function keyRequestRef(db: Firestore, uid: string, requestId: string): DocumentReference {
  const h = createHash("sha256").update(`${uid}\n${requestId}`).digest("hex").slice(0, 40);
  return db.doc(`${COLLECTIONS.apiKeyRequests}/${h}`);
}

function keyRequestInputSha256(input: CreateApiKeyInput): string {
  const asked = [input.partner_id, input.name, input.meter_ids ?? null, input.expires_at ?? null];
  return createHash("sha256").update(JSON.stringify(asked)).digest("hex");
}

/**
 * A request_id seen before: the key it created is named, never shown again (its clear text was
 * never stored), so a lost answer leaves one known key to revoke, not an unknown second one.
 */
function requestAlreadyAnswered(earlier: DocumentSnapshot, inputSha256: string): HttpsError {
  const keyId = String(earlier.get("key_id"));
  const prefix = String(earlier.get("prefix"));
  if (earlier.get("input_sha256") !== inputSha256) {
    return new HttpsError(
      "failed-precondition",
      `This request was already used to create key ${keyId} (${prefix}…) with other details; a new key needs a new request (a new request id).`,
      { issues: [{ path: "request_id", code: "custom", message: "already used for a different key request" }], key_id: keyId },
    );
  }
  const createdAt = earlier.get("created_at");
  const when = createdAt instanceof Timestamp ? ` on ${utcMinute(createdAt.toDate())}` : "";
  return new HttpsError(
    "already-exists",
    `This request already created key ${keyId} (${prefix}…)${when}. Its secret is shown only in that first answer; ` +
      `if the answer was lost, revoke ${keyId} and create a new key.`,
    { key_id: keyId, prefix },
  );
}

export interface RevokeApiKeyResult {
  key_id: string;
  revoked_at: string;
  /** True when the key had been revoked before this call (nothing changed). */
  already_revoked: boolean;
}

export async function revokeApiKey(
  deps: Pick<AgentDeps, "db" | "clock">,
  input: z.output<typeof revokeApiKeyInput>,
  caller: Caller,
): Promise<RevokeApiKeyResult> {
  const { db, clock } = deps;
  const found = await db.collection(COLLECTIONS.apiKeys).where("key_id", "==", input.key_id).limit(2).get();
  if (found.empty) throw new HttpsError("not-found", `No API key ${input.key_id} exists.`);
  if (found.size > 1) throw new Error(`two api_keys documents carry key_id ${input.key_id}`);
  const ref = found.docs[0].ref;
  const now = clock.now();
  return runTransaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const revokedAt = snap.get("revoked_at");
    if (revokedAt instanceof Timestamp) {
      return { key_id: input.key_id, revoked_at: revokedAt.toDate().toISOString(), already_revoked: true };
    }
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `apikey_revoked_${input.key_id}`,
      stream: KEY_EVENTS_STREAM,
      actor: caller.uid,
      action: "api_key_revoked",
      subject: `${COLLECTIONS.apiKeys}/${input.key_id}`,
      details: { key_id: input.key_id, partner_id: String(snap.get("partner_id")), prefix: String(snap.get("prefix")) },
    });
    tx.update(ref, { revoked_at: Timestamp.fromDate(now), revoked_by: caller.uid });
    writeAuditAppend(db, tx, audit, now);
    return { key_id: input.key_id, revoked_at: now.toISOString(), already_revoked: false };
  });
}

/** A key as the endpoint uses it once it has been found and checked. */
export interface GatewayKey {
  sha256: string;
  keyId: string;
  partnerId: string;
  meterIds: string[] | null;
  lastUsedAt: Date | null;
}

export type KeyLookup =
  | { ok: true; key: GatewayKey }
  | { ok: false; code: "malformed_api_key" | "unknown_api_key" | "revoked_api_key" | "expired_api_key"; message: string };

/** Why a presented key cannot be a gateway key (its shape or checksum), without a database read. */
export function keyFormatFault(presented: string): { code: "malformed_api_key"; message: string } | undefined {
  const format = checkApiKeyFormat(presented);
  if (format.ok) return undefined;
  return {
    code: "malformed_api_key",
    message:
      format.reason === "shape"
        ? "The API key is not a FlowShare gateway key (fsgk_ followed by 46 letters and digits)."
        : "The API key's checksum does not match: it was mistyped or truncated.",
  };
}

export function apiKeyRef(db: Firestore, sha256: string): DocumentReference {
  return db.doc(`${COLLECTIONS.apiKeys}/${sha256}`);
}

/** Finds and checks a presented key: format and checksum first (no read), then its document. */
export async function lookupGatewayKey(db: Firestore, presented: string, now: Date): Promise<KeyLookup> {
  const malformed = keyFormatFault(presented);
  if (malformed) return { ok: false, ...malformed };
  const sha256 = apiKeySha256(presented);
  return checkGatewayKey(await apiKeyRef(db, sha256).get(), sha256, now);
}

/** A key's document as read (alone, or inside a request's transaction): usable, or why not. */
export function checkGatewayKey(snap: DocumentSnapshot, sha256: string, now: Date): KeyLookup {
  if (!snap.exists) return { ok: false, code: "unknown_api_key", message: "The API key is not known to FlowShare." };
  const data = snap.data() ?? {};
  if (data.revoked_at instanceof Timestamp) {
    return {
      ok: false,
      code: "revoked_api_key",
      message: `The API key ${String(data.key_id)} was revoked on ${data.revoked_at.toDate().toISOString()}.`,
    };
  }
  if (data.expires_at instanceof Timestamp && data.expires_at.toMillis() <= now.getTime()) {
    return {
      ok: false,
      code: "expired_api_key",
      message: `The API key ${String(data.key_id)} expired on ${data.expires_at.toDate().toISOString()}.`,
    };
  }
  return {
    ok: true,
    key: {
      sha256,
      keyId: String(data.key_id),
      partnerId: String(data.partner_id),
      meterIds: Array.isArray(data.meter_ids) ? data.meter_ids.map(String) : null,
      lastUsedAt: data.last_used_at instanceof Timestamp ? data.last_used_at.toDate() : null,
    },
  };
}

/** Whether two reads of a key grant the same: its id, partner and meters. */
export function sameGrant(a: GatewayKey, b: GatewayKey): boolean {
  const meters = (key: GatewayKey) => JSON.stringify(key.meterIds);
  return a.sha256 === b.sha256 && a.keyId === b.keyId && a.partnerId === b.partnerId && meters(a) === meters(b);
}

/** last_used_at is written at most this often, so a busy key is no hot document. */
export const LAST_USED_RESOLUTION_MS = 5 * 60_000;

/** Whether a request now writes the key's last_used_at. */
export function touchDue(key: GatewayKey, now: Date): boolean {
  return key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

export async function touchLastUsed(db: Firestore, key: GatewayKey, now: Date): Promise<void> {
  if (!touchDue(key, now)) return;
  await apiKeyRef(db, key.sha256).update({ last_used_at: Timestamp.fromDate(now) });
}
