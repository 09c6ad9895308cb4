/**
 * Helpers for tests that run inside `firebase emulators:exec` (auth + firestore + functions):
 * the Admin SDK against the emulators, callables over HTTP as the web app calls them, and
 * polling for what a trigger writes.
 */
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { REGION } from "../../src/shared/config";

export const PROJECT_ID = process.env.GCLOUD_PROJECT ?? "demo-flowshare";

export function adminDb(): Firestore {
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  return getFirestore(app);
}

export function adminAuth() {
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  return getAuth(app);
}

let functionsOrigin: string | undefined;

/** The Functions emulator's address, asked of the emulator hub (ports differ per run). */
export async function functionsUrl(): Promise<string> {
  if (functionsOrigin) return functionsOrigin;
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (!hub) throw new Error("FIREBASE_EMULATOR_HUB is not set: run the tests through scripts/test.sh");
  const response = await fetch(`http://${hub}/emulators`);
  const emulators = (await response.json()) as Record<string, { host: string; port: number }>;
  const fn = emulators.functions;
  if (!fn) throw new Error("the Functions emulator is not running");
  functionsOrigin = `http://${fn.host}:${fn.port}`;
  return functionsOrigin;
}

export interface TestUser {
  uid: string;
  role?: string;
  partner_id?: string;
  /** Extra claims, e.g. to prove setUserRole keeps them. */
  claims?: Record<string, unknown>;
}

/** An unsigned ID token: the Functions emulator accepts it and reads its custom claims. */
export function unsignedIdToken(user: TestUser): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const payload: Record<string, unknown> = {
    iss: `https://securetoken.google.com/${PROJECT_ID}`,
    aud: PROJECT_ID,
    auth_time: now,
    iat: now,
    exp: now + 3600,
    sub: user.uid,
    user_id: user.uid,
    firebase: { identities: {}, sign_in_provider: "custom" },
    ...user.claims,
  };
  if (user.role !== undefined) payload.role = user.role;
  if (user.partner_id !== undefined) payload.partner_id = user.partner_id;
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(payload)}.`;
}

export interface CallResult<T = unknown> {
  status: number;
  result?: T;
  error?: { status: string; message: string; details?: unknown };
}

const provisioned = new Map<string, string>();

/**
 * Makes `user` a real Auth-emulator account whose custom claims are the token's (the callables
 * check the caller's current claims in Firebase Auth, not only the token's). Once per uid and
 * claims in this process.
 */
export async function ensureAuthUser(user: TestUser): Promise<void> {
  const claims: Record<string, unknown> = { ...user.claims };
  if (user.role !== undefined) claims.role = user.role;
  if (user.partner_id !== undefined) claims.partner_id = user.partner_id;
  const key = JSON.stringify(claims);
  if (provisioned.get(user.uid) === key) return;
  try {
    await adminAuth().createUser({ uid: user.uid });
  } catch (error) {
    if ((error as { code?: string }).code !== "auth/uid-already-exists") throw error;
  }
  await adminAuth().setCustomUserClaims(user.uid, claims);
  provisioned.set(user.uid, key);
}

/**
 * A real ID token from the Auth emulator for an existing user, carrying its custom claims as
 * they are now (custom token, then accounts:signInWithCustomToken, as the web SDK signs in).
 */
export async function signIn(uid: string): Promise<string> {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!host) throw new Error("FIREBASE_AUTH_EMULATOR_HOST is not set");
  const customToken = await adminAuth().createCustomToken(uid);
  const response = await fetch(`http://${host}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=fake-api-key`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: customToken, returnSecureToken: true }),
  });
  const body = (await response.json()) as { idToken?: string; error?: unknown };
  if (!body.idToken) throw new Error(`sign-in of ${uid} failed: ${JSON.stringify(body)}`);
  return body.idToken;
}

/** Calls a callable over HTTP with a given ID token (e.g. one kept from before a role change). */
export async function callWithToken<T = unknown>(name: string, data: unknown, idToken: string): Promise<CallResult<T>> {
  return post<T>(name, data, { "Content-Type": "application/json", Authorization: `Bearer ${idToken}` });
}

/**
 * Calls a callable over HTTP exactly as the web SDK does (`{data}` in, `{result|error}` out),
 * as `user` (made a real Auth user with those claims first, unless `provision` is false).
 */
export async function callFunction<T = unknown>(
  name: string,
  data: unknown,
  user?: TestUser,
  options: { provision?: boolean } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (user) {
    if (options.provision !== false) await ensureAuthUser(user);
    headers.Authorization = `Bearer ${unsignedIdToken(user)}`;
  }
  return post<T>(name, data, headers);
}

async function post<T>(name: string, data: unknown, headers: Record<string, string>): Promise<CallResult<T>> {
  const response = await fetch(`${await functionsUrl()}/${PROJECT_ID}/${REGION}/${name}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ data }),
  });
  const body = (await response.json()) as { result?: T; error?: CallResult["error"] };
  return { status: response.status, result: body.result, error: body.error };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls a document until `accept` says yes; fails with the last seen data after `timeoutMs`. */
export async function waitForDoc(path: string, accept: (snap: DocumentSnapshot) => boolean, timeoutMs = 30_000): Promise<DocumentSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: DocumentSnapshot | undefined;
  while (Date.now() < deadline) {
    last = await adminDb().doc(path).get();
    if (accept(last)) return last;
    await sleep(150);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${path}; last seen: ${JSON.stringify(last?.data() ?? null)}`);
}

/** Polls any condition until it holds. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await sleep(150);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A short random suffix so tests sharing one emulator never see each other's documents. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs `work` with the Functions emulator's background triggers off (the hub's switch), for
 * the rare test that needs a state the triggers would change at once (an entry still
 * pending audit). HTTP functions keep working.
 */
export async function withoutTriggers<T>(work: () => Promise<T>): Promise<T> {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (!hub) throw new Error("FIREBASE_EMULATOR_HUB is not set");
  const toggle = async (path: string) => {
    const response = await fetch(`http://${hub}/functions/${path}`, { method: "PUT" });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await toggle("disableBackgroundTriggers");
  try {
    return await work();
  } finally {
    await toggle("enableBackgroundTriggers");
  }
}
