import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { documentId } from "../../shared/document-id";
import { COLLECTIONS, PARTNER_BOUND_ROLES, ROLES } from "../../shared/collections";

export const setUserRoleInput = z
  .object({
    uid: documentId(128),
    role: z.enum(ROLES),
    partner_id: documentId(128).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const bound = PARTNER_BOUND_ROLES.includes(input.role);
    if (bound && !input.partner_id) {
      ctx.addIssue({ code: "custom", path: ["partner_id"], message: `the ${input.role} role needs a partner_id` });
    }
    if (!bound && input.partner_id) {
      ctx.addIssue({ code: "custom", path: ["partner_id"], message: `the ${input.role} role is not bound to a partner; leave partner_id out` });
    }
  });

export interface SetUserRoleResult {
  uid: string;
  role: string;
  partner_id: string | null;
}

/**
 * The `setUserRole` callable (admins): merges `role` and `partner_id` into the user's custom
 * claims without dropping other claims, mirrors them to `users/{uid}` and logs the change.
 */
export async function setUserRole(deps: AgentDeps, input: z.output<typeof setUserRoleInput>, caller: Caller): Promise<SetUserRoleResult> {
  const { db, auth, clock } = deps;

  if (input.partner_id) {
    const partner = await db.doc(`${COLLECTIONS.partners}/${input.partner_id}`).get();
    if (!partner.exists || partner.get("active") !== true) {
      throw new HttpsError("invalid-argument", `partner_id ${input.partner_id} is not an existing active partner.`, {
        issues: [{ path: "partner_id", code: "custom", message: partner.exists ? "the partner is not active" : "no such partner" }],
      });
    }
  }
  let user;
  try {
    user = await auth.getUser(input.uid);
  } catch {
    throw new HttpsError("not-found", `No user ${input.uid} exists in Firebase Auth.`);
  }

  const claims: Record<string, unknown> = { ...(user.customClaims ?? {}), role: input.role };
  if (input.partner_id) claims.partner_id = input.partner_id;
  else delete claims.partner_id;
  await auth.setCustomUserClaims(input.uid, claims);

  const now = clock.now();
  const partnerId = input.partner_id ?? null;
  await db.runTransaction(async (tx) => {
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `role_${input.uid}_${now.getTime()}_${caller.uid}`,
      stream: "agent_admin",
      actor: caller.uid,
      action: "user_role_set",
      subject: `${COLLECTIONS.users}/${input.uid}`,
      details: {
        role: input.role,
        partner_id: partnerId,
        previous_role: typeof user.customClaims?.role === "string" ? user.customClaims.role : null,
        previous_partner_id: typeof user.customClaims?.partner_id === "string" ? user.customClaims.partner_id : null,
      },
    });
    tx.set(db.doc(`${COLLECTIONS.users}/${input.uid}`), {
      email: user.email ?? null,
      display_name: user.displayName ?? null,
      role: input.role,
      partner_id: partnerId,
      updated_at: Timestamp.fromDate(now),
      updated_by: caller.uid,
    });
    writeAuditAppend(db, tx, audit, now);
  });
  return { uid: input.uid, role: input.role, partner_id: partnerId };
}
