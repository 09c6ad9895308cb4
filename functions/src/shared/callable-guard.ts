import { type Auth, type UserRecord } from "firebase-admin/auth";
import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { type z } from "zod";
import { COLLECTIONS, PARTNER_BOUND_ROLES, ROLES, type Role } from "./collections";
import { roleWords } from "./role-words";
import { malformedTextPath } from "../domain/well-formed-text";
import { issueMessage, pathInWords } from "../domain/issue-words";

export interface Caller {
  uid: string;
  role: Role;
  partnerId?: string;
  /**
   * A partner user whose partner has left the JV (only on callables that admit former partners):
   * the start of its first contract day outside the JV. It reaches only versions of periods that began before.
   */
  partnerLeft?: { on: string; at: Date };
}

/**
 * Who the ID token says is calling; refuses anyone outside `allowed`. Free (no I/O): it
 * turns away the plainly unauthorised before anything is counted or read. The token may be
 * stale, so {@link confirmCurrentRole} has the last word.
 */
export function requireRole(request: Pick<CallableRequest, "auth">, allowed: readonly Role[]): Caller {
  const auth = request.auth;
  if (!auth) throw new HttpsError("unauthenticated", "Sign in to call this function.");
  const caller = callerFromClaims(auth.uid, auth.token as Record<string, unknown>);
  return checkAllowed(caller, allowed);
}

/**
 * The caller as Firebase Auth knows it now, not as the ID token remembers it (a token lives
 * up to an hour after a role change). One `auth.getUser` per call (plus one partner read for a
 * partner-bound role), which is the cheapest sound check: it sees a claim change whether or not
 * the refresh tokens were revoked, a revocation, a disabled or deleted account.
 *
 * Refused: a deleted or disabled account; a token issued before the account's tokens were
 * revoked (`tokensValidAfterTime`, set by setUserRole); a token whose role or partner_id
 * differs from the current claims; a partner-bound role whose partner is missing or inactive.
 */
export async function confirmCurrentRole(
  deps: { auth: Auth; db: Firestore },
  request: Pick<CallableRequest, "auth">,
  allowed: readonly Role[],
  options: { formerPartners?: boolean } = {},
): Promise<Caller> {
  const token = request.auth!;
  const claimed = requireRole(request, allowed);
  let user: UserRecord;
  try {
    user = await deps.auth.getUser(claimed.uid);
  } catch (error) {
    if ((error as { code?: unknown }).code === "auth/user-not-found") {
      throw new HttpsError("unauthenticated", "Your account no longer exists; this session is not valid.");
    }
    throw error;
  }
  if (user.disabled) throw new HttpsError("permission-denied", "Your account is disabled.");
  const validAfter = user.tokensValidAfterTime ? Date.parse(user.tokensValidAfterTime) : NaN;
  const authTime = Number((token.token as { auth_time?: unknown }).auth_time) * 1000;
  if (Number.isFinite(validAfter) && !(authTime >= validAfter)) {
    throw new HttpsError("unauthenticated", "Your session was revoked (your role may have changed); sign in again.");
  }
  const current = callerFromClaims(user.uid, user.customClaims ?? {});
  if (current.role !== claimed.role || current.partnerId !== claimed.partnerId) {
    throw new HttpsError(
      "unauthenticated",
      `Your role changed since you signed in (now ${roleWords(current.role)}${current.partnerId ? ` of ${current.partnerId}` : ""}); sign in again.`,
    );
  }
  return requireActivePartner(deps.db, current, options.formerPartners === true);
}

function callerFromClaims(uid: string, claims: Record<string, unknown>): Caller {
  const role = claims.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    throw new HttpsError("permission-denied", "Your account has no FlowShare role; ask an admin to assign one.");
  }
  const partnerId = typeof claims.partner_id === "string" && claims.partner_id !== "" ? claims.partner_id : undefined;
  const caller: Caller = { uid, role: role as Role, partnerId };
  if (PARTNER_BOUND_ROLES.includes(caller.role) && partnerId === undefined) {
    throw new HttpsError(
      "permission-denied",
      `The ${roleWords(role)} role is bound to a partner, and your account has none; ask an admin to set it.`,
    );
  }
  return caller;
}

function checkAllowed(caller: Caller, allowed: readonly Role[]): Caller {
  if (!allowed.includes(caller.role)) {
    throw new HttpsError(
      "permission-denied",
      `The ${roleWords(caller.role)} role may not do this; it needs one of: ${allowed.map(roleWords).join(", ")}.`,
    );
  }
  return caller;
}

/**
 * A partner-bound role acts only for an existing, active partner; where `formerPartners` admits
 * them, a partner user of a partner that left the JV too (its audit rights), marked `partnerLeft`.
 */
async function requireActivePartner(db: Firestore, caller: Caller, formerPartners: boolean): Promise<Caller> {
  if (!PARTNER_BOUND_ROLES.includes(caller.role)) return caller;
  const partner = await db.doc(`${COLLECTIONS.partners}/${caller.partnerId}`).get();
  if (!partner.exists) {
    throw new HttpsError(
      "permission-denied",
      `Your ${roleWords(caller.role)} role is bound to partner ${caller.partnerId}, which does not exist.`,
    );
  }
  if (partner.get("active") === true) return caller;
  const left = leftJv(partner.get("left_jv_on"), partner.get("left_at"));
  if (left && formerPartners && caller.role === "jv_partner") return { ...caller, partnerLeft: left };
  throw new HttpsError(
    "permission-denied",
    left
      ? `Your ${roleWords(caller.role)} role is bound to partner ${caller.partnerId}, which left the joint venture on ${left.on}${caller.role === "jv_partner" ? ": its partner users may still read, export, verify and take exception to its statements of the periods before" : ""}.`
      : `Your ${roleWords(caller.role)} role is bound to partner ${caller.partnerId}, which is not active.`,
  );
}

function leftJv(on: unknown, at: unknown): Caller["partnerLeft"] {
  return typeof on === "string" && at instanceof Timestamp ? { on, at: at.toDate() } : undefined;
}

/** Parses a callable's payload; every schema problem is listed in the error's details. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const malformed = malformedTextPath(data);
  if (malformed !== undefined) {
    const issues = [{ path: malformed, code: "malformed_text", message: "must be well-formed Unicode (no lone surrogate)" }];
    throw new HttpsError("invalid-argument", `Invalid request: ${malformed || "data"}: ${issues[0].message}`, { issues });
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    code: issue.code,
    message: issueMessage(issue),
    words: pathInWords(issue.path),
  }));
  const summary = issues.map((i) => (i.words ? `${i.words}: ${i.message}` : i.message)).join("; ");
  throw new HttpsError("invalid-argument", `Invalid request: ${summary}`, { issues: issues.map(({ words: _words, ...issue }) => issue) });
}
