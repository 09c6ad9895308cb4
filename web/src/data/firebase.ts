import { initializeApp, type FirebaseApp } from "firebase/app";
import { browserLocalPersistence, connectAuthEmulator, initializeAuth, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import { discoverBackend, type EmulatorHosts } from "./firebase-config";

/** The functions' region (functions/src/shared/config.ts). */
export const REGION = "europe-west1";

export interface Services {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  functions: Functions;
  emulators?: EmulatorHosts;
  projectId: string;
}

let services: Services | undefined;

export async function startFirebase(): Promise<Services> {
  if (services) return services;
  const { config, emulators } = await discoverBackend();
  const app = initializeApp(config);
  // No popup/redirect resolver: email sign-in only keeps the auth bundle small.
  const auth = initializeAuth(app, { persistence: browserLocalPersistence });
  const db = getFirestore(app);
  const functions = getFunctions(app, REGION);
  if (emulators) {
    connectAuthEmulator(auth, `http://${emulators.auth.host}:${emulators.auth.port}`, { disableWarnings: true });
    connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);
    connectFunctionsEmulator(functions, emulators.functions.host, emulators.functions.port);
  }
  services = { app, auth, db, functions, emulators, projectId: config.projectId };
  return services;
}

export function firebase(): Services {
  if (!services) throw new Error("startFirebase() has not finished");
  return services;
}
