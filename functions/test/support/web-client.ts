/**
 * The web app's side of the emulators: the Firebase client SDK (not the Admin SDK), signed in
 * with email and password against the Auth emulator, so that every Firestore read and write
 * goes through the security rules and every callable carries the user's real ID token and
 * custom claims, exactly as in the browser. Needs the emulator hosts `firebase emulators:exec`
 * puts in the environment.
 */
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, setLogLevel, terminate, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import { REGION } from "../../src/shared/config";
import { adminAuth, functionsUrl, PROJECT_ID } from "./emulator";

export interface WebClient {
  uid: string;
  email: string;
  /** The custom claims of the signed-in user's ID token (role, partner_id). */
  claims: Record<string, unknown>;
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  functions: Functions;
  /** Calls a callable as the web app does (httpsCallable); rejects with a FunctionsError. */
  call<T = unknown>(name: string, data: unknown): Promise<T>;
  close(): Promise<void>;
}

function hostPort(variable: string): { host: string; port: number } {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: run inside \`firebase emulators:exec\` (scripts/lib/common.sh with_emulators)`);
  const url = new URL(`http://${value}`);
  return { host: url.hostname, port: Number(url.port) };
}

let clients = 0;

/** Signs a user in with email and password; each client is its own FirebaseApp, so several users can act at once. */
export async function signInWebClient(email: string, password: string): Promise<WebClient> {
  setLogLevel("error");
  const app = initializeApp(
    { projectId: PROJECT_ID, apiKey: "demo-api-key", authDomain: `${PROJECT_ID}.firebaseapp.com` },
    `web-client-${(clients += 1)}`,
  );
  const auth = getAuth(app);
  const authHost = hostPort("FIREBASE_AUTH_EMULATOR_HOST");
  connectAuthEmulator(auth, `http://${authHost.host}:${authHost.port}`, { disableWarnings: true });
  const db = getFirestore(app);
  const firestoreHost = hostPort("FIRESTORE_EMULATOR_HOST");
  connectFirestoreEmulator(db, firestoreHost.host, firestoreHost.port);
  const functions = getFunctions(app, REGION);
  const origin = new URL(await functionsUrl());
  connectFunctionsEmulator(functions, origin.hostname, Number(origin.port));

  const credential = await signInWithEmailAndPassword(auth, email, password);
  const token = await credential.user.getIdTokenResult();
  return {
    uid: credential.user.uid,
    email,
    claims: token.claims,
    app,
    auth,
    db,
    functions,
    async call<T>(name: string, data: unknown): Promise<T> {
      const result = await httpsCallable<unknown, T>(functions, name, { timeout: 300_000 })(data);
      return result.data;
    },
    async close() {
      await terminate(db).catch(() => undefined);
      await deleteApp(app).catch(() => undefined);
    },
  };
}

/** The client Firestore API, for callers outside the functions package (scripts/demo). */
export * as clientFirestore from "firebase/firestore";

let created = 0;

/** A new Auth user with these custom claims, signed in through the client SDK. */
export async function signInNewWebUser(claims: Record<string, unknown>, tag = "web"): Promise<WebClient> {
  const email = `${tag}-${Date.now().toString(36)}-${(created += 1)}@example.test`;
  const { uid } = await adminAuth().createUser({ email, password: "secret-123" });
  await adminAuth().setCustomUserClaims(uid, claims);
  return signInWebClient(email, "secret-123");
}
