import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { type z } from "zod";
import { ROLES, type Role } from "./collections";

export interface Caller {
  uid: string;
  role: Role;
  partnerId?: string;
}

/** Who is calling, from the ID token's custom claims; refuses anyone outside `allowed`. */
export function requireRole(request: Pick<CallableRequest, "auth">, allowed: readonly Role[]): Caller {
  const auth = request.auth;
  if (!auth) throw new HttpsError("unauthenticated", "Sign in to call this function.");
  const role = auth.token.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    throw new HttpsError("permission-denied", "Your account has no FlowShare role; ask an admin to assign one.");
  }
  if (!allowed.includes(role as Role)) {
    throw new HttpsError("permission-denied", `The ${role} role may not do this; it needs one of: ${allowed.join(", ")}.`);
  }
  const partnerId = typeof auth.token.partner_id === "string" ? auth.token.partner_id : undefined;
  return { uid: auth.uid, role: role as Role, partnerId };
}

/** Parses a callable's payload; every schema problem is listed in the error's details. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  throw new HttpsError("invalid-argument", `Invalid request: ${summary}`, { issues });
}
