import { signal } from "@preact/signals";
import { onIdTokenChanged, sendEmailVerification, signInWithEmailAndPassword, signOut as firebaseSignOut } from "firebase/auth";
import { doc, getDoc } from "firebase/firestore";
import { firebase } from "./firebase";
import { ROLES, type Role } from "../domain/roles";

export { ROLE_LABEL, ROLES, roleLabel, type Role } from "../domain/roles";

export interface SessionUser {
  uid: string;
  email: string;
  /** An administrator gives a role by email only to an account that has verified it. */
  emailVerified: boolean;
  displayName: string;
  /** From the ID token's custom claims: the only source of roles the rules trust. */
  role?: Role;
  partnerId?: string;
}

/** undefined while Auth restores a session; null when signed out. */
export const currentUser = signal<SessionUser | null | undefined>(undefined);

/** Why the session Auth restored could not be read (its ID token not renewed): shown while restoring. */
export const sessionProblem = signal<string | undefined>(undefined);

export function watchSession(): void {
  const { auth, db } = firebase();
  onIdTokenChanged(auth, async (user) => {
    if (!user) {
      currentUser.value = null;
      return;
    }
    let token: Awaited<ReturnType<typeof user.getIdTokenResult>>;
    try {
      token = await user.getIdTokenResult();
    } catch (error) {
      // Left undefined, the app would say "Loading…" for ever: it says why instead.
      sessionProblem.value = `Your session could not be renewed (${error instanceof Error ? error.message : String(error)}). Reload once you are online, or sign out and in again.`;
      return;
    }
    sessionProblem.value = undefined;
    const role = typeof token.claims.role === "string" && (ROLES as string[]).includes(token.claims.role) ? (token.claims.role as Role) : undefined;
    const partnerId = typeof token.claims.partner_id === "string" ? token.claims.partner_id : undefined;
    let displayName = user.displayName ?? "";
    if (!displayName) {
      const profile = await getDoc(doc(db, "users", user.uid)).catch(() => undefined);
      displayName = String(profile?.get("display_name") ?? user.email ?? user.uid);
    }
    currentUser.value = { uid: user.uid, email: user.email ?? "", emailVerified: user.emailVerified, displayName, role, partnerId };
  });
}

export async function signIn(email: string, password: string): Promise<void> {
  await signInWithEmailAndPassword(firebase().auth, email, password);
}

/** Sends the signed-in account a link that proves it owns its email address. */
export async function sendVerificationLink(): Promise<void> {
  const user = firebase().auth.currentUser;
  if (!user) throw new Error("not signed in");
  await sendEmailVerification(user);
}

/** Reads the account again (a link followed elsewhere) and refreshes the session with what it says. */
export async function refreshAccount(): Promise<void> {
  const user = firebase().auth.currentUser;
  if (!user) throw new Error("not signed in");
  await user.reload();
  await user.getIdToken(true);
}

/** Whether the signed-in account has verified its email, as last read. */
export function accountVerified(): boolean {
  return firebase().auth.currentUser?.emailVerified === true;
}

export async function signOut(): Promise<void> {
  await firebaseSignOut(firebase().auth);
  location.hash = "";
}

export function requireUser(): SessionUser {
  const user = currentUser.value;
  if (!user) throw new Error("not signed in");
  return user;
}
