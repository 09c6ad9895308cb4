/**
 * Where the app's Firebase lives. Served by Firebase Hosting (deployed or the emulator), the
 * app reads its web config from /__/firebase/init.json. On localhost the hosting emulator also
 * tells which emulators run and on which ports (init.js?useEmulator=true embeds them), so a
 * FLOWSHARE_PORT_OFFSET run needs no configuration.
 */
export interface WebConfig {
  projectId: string;
  apiKey: string;
  authDomain?: string;
  appId?: string;
}

export interface EmulatorHosts {
  auth: { host: string; port: number };
  firestore: { host: string; port: number };
  functions: { host: string; port: number };
}

export interface Backend {
  config: WebConfig;
  emulators?: EmulatorHosts;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname);
}

/** Parses `var firebaseEmulators = {...};` out of the hosting emulator's init.js. */
export function parseEmulatorsFromInitJs(source: string): EmulatorHosts | undefined {
  const match = /var firebaseEmulators = (\{[\s\S]*?\n\});/.exec(source);
  if (!match) return undefined;
  const parsed = JSON.parse(match[1]) as Partial<Record<keyof EmulatorHosts, { host: string; port: number }>>;
  if (!parsed.auth || !parsed.firestore || !parsed.functions) return undefined;
  return { auth: parsed.auth, firestore: parsed.firestore, functions: parsed.functions };
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

export async function discoverBackend(location: Location = window.location): Promise<Backend> {
  let raw: Partial<WebConfig>;
  try {
    raw = (await (await fetchOk("/__/firebase/init.json")).json()) as Partial<WebConfig>;
  } catch (error) {
    throw new Error(
      `FlowShare must be served by Firebase Hosting (or its emulator: npm run emulators), which provides /__/firebase/init.json. ${String(error)}`,
    );
  }
  if (!raw.projectId) throw new Error("/__/firebase/init.json has no projectId");
  const config: WebConfig = {
    projectId: raw.projectId,
    // A demo-* project (the emulators) has no API key; the Auth SDK only needs a non-empty one.
    apiKey: raw.apiKey || "demo-api-key",
    authDomain: raw.authDomain,
    appId: raw.appId,
  };
  if (!isLocalHost(location.hostname)) return { config };
  const initJs = await (await fetchOk("/__/firebase/init.js?useEmulator=true")).text();
  const emulators = parseEmulatorsFromInitJs(initJs);
  if (!emulators) throw new Error("served from localhost, but the hosting emulator lists no auth, firestore and functions emulators");
  return { config, emulators };
}
