/** Gateways' side of the emulators: API keys through createApiKey, batches POSTed over HTTP. */
import { randomUUID } from "node:crypto";
import { type Firestore } from "firebase-admin/firestore";
import { REGION } from "../../src/shared/config";
import { adminDb, callFunction, functionsUrl, PROJECT_ID, uniqueId } from "./emulator";
import { TEST_DAY_MS } from "./test-day";

export async function ingestUrl(path = "/v1/production"): Promise<string> {
  return `${await functionsUrl()}/${PROJECT_ID}/${REGION}/ingestProduction${path}`;
}

export interface IssuedKey {
  key_id: string;
  key: string;
  prefix: string;
}

/** A key issued by an admin through the real callable. */
export async function createKey(
  partnerId: string,
  options: { meter_ids?: string[]; expires_at?: string; name?: string } = {},
): Promise<IssuedKey> {
  const admin = { uid: uniqueId("key-admin"), role: "admin" };
  const { result, error } = await callFunction<IssuedKey>(
    "createApiKey",
    { partner_id: partnerId, name: options.name ?? "Test gateway", ...options },
    admin,
  );
  if (!result) throw new Error(`createApiKey failed: ${JSON.stringify(error)}`);
  return result;
}

export interface Posted<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface PostOptions {
  key?: string | null;
  idempotencyKey?: string | null;
  headers?: Record<string, string>;
  /** A raw body instead of JSON.stringify(body). */
  raw?: string | Buffer;
  method?: string;
  path?: string;
}

export async function postBatch<T = any>(body: unknown, options: PostOptions = {}): Promise<Posted<T>> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...options.headers };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  const idempotencyKey = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
  if (idempotencyKey !== null) headers["Idempotency-Key"] = idempotencyKey;
  const method = options.method ?? "POST";
  const response = await fetch(await ingestUrl(options.path), {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : (options.raw ?? JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export interface TicketFields {
  ticket_id: string;
  meter_id: string;
  measured_at: string;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
  note?: string;
  partner_id?: string;
}

/** An ordinary light-crude ticket measured `daysAgo` days ago at 06:00 UTC (+ minute offsets). */
export function ticket(ticketId: string, overrides: Partial<TicketFields> = {}, daysAgo = 1, minute = 0): TicketFields {
  const at = TEST_DAY_MS - daysAgo * 86_400_000 + 6 * 3_600_000 + minute * 60_000;
  return {
    ticket_id: ticketId,
    meter_id: "M-1",
    measured_at: new Date(at).toISOString(),
    gross_volume_bbl: 1000,
    bsw_percent: 0.3,
    temperature_degF: 80,
    api_gravity: 35,
    pressure_psig: 12,
    meter_factor: 1.0004,
    ...overrides,
  };
}

export async function partnerEntryCount(partnerId: string): Promise<number> {
  return (await adminDb().collection("production_entries").where("partner_id", "==", partnerId).count().get()).data().count;
}

/**
 * The emulator's Firestore, on which an admin writes settings/jv right after a request reads it
 * outside a transaction (before its batch's transaction reads it again): after the n-th such read
 * (from 1), `change(n)`, when it says something, is written over the document.
 */
export function settingsChangedAfterRead(change: (n: number) => Record<string, unknown> | undefined): {
  db: Firestore;
  reads: () => number;
} {
  const db = adminDb();
  let reads = 0;
  const racing = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "doc") return Reflect.get(target, property, receiver);
      return (path: string) => {
        const ref = target.doc(path);
        if (path !== "settings/jv") return ref;
        return Object.create(ref, {
          get: {
            value: async () => {
              const snap = await ref.get();
              reads += 1;
              const data = change(reads);
              if (data !== undefined) await ref.set(data);
              return snap;
            },
          },
        });
      };
    },
  });
  return { db: racing, reads: () => reads };
}
