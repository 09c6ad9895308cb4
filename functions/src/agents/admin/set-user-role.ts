import { runTransaction } from "../../shared/transaction";
import { HttpsError } from "firebase-functions/v2/https";
import { randomBytes } from "node:crypto";
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from "firebase-admin/firestore";
import { z } from "zod";
import { type AgentDeps } from "../../shared/agent-deps";
import { prepareAuditAppend, writeAuditAppend } from "../../shared/audit-log";
import { type Caller } from "../../shared/callable-guard";
import { documentId } from "../../shared/document-id";
import { unusablePartner } from "../../shared/partner-refusal";
import { roleWords } from "../../shared/role-words";
import { COLLECTIONS, PARTNER_BOUND_ROLES, ROLES, type Role } from "../../shared/collections";
import { partnerRoleStanding, storedMembership } from "../../domain/partner-membership";
import { partnerWords } from "../../domain/partner-words";

export const setUserRoleInput = z
  .object({
    uid: documentId(128).optional(),
    /** Instead of uid: an account that has signed in but has no profile yet is found by its email. */
    email: z.string().trim().toLowerCase().email("must be an email address").max(320).optional(),
    role: z.enum(ROLES),
    partner_id: documentId(128).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.uid === undefined) === (input.email === undefined)) {
      ctx.addIssue({ code: "custom", path: ["uid"], message: "give the user's uid or email, one of the two" });
    }
    const bound = PARTNER_BOUND_ROLES.includes(input.role);
    if (bound && !input.partner_id) {
      ctx.addIssue({ code: "custom", path: ["partner_id"], message: `the ${input.role} role needs a partner_id` });
    }
    if (!bound && input.partner_id) {
      ctx.addIssue({
        code: "custom",
        path: ["partner_id"],
        message: `the ${input.role} role is not bound to a partner; leave partner_id out`,
      });
    }
  });

export interface SetUserRoleResult {
  uid: string;
  role: string;
  partner_id: string | null;
}

/**
 * The `setUserRole` callable (admins), for the account named by `uid` or, when it has no
 * profile to be listed by yet (it signed in without a role), by its verified `email`. A role change takes
 * effect at once and is never half done:
 * 1. one transaction writes the `users/{uid}` mirror (marked `claims_status: "pending"`), the
 *    `people/{uid}` name and role everyone with a role may read, and the `user_role_set` audit
 *    event together;
 * 2. the custom claims are merged (other claims kept) and the user's refresh tokens revoked,
 *    so every callable refuses the user's older ID tokens (see confirmCurrentRole);
 * 3. the mirror is marked `claims_status: "applied"`; when the role or partner changed, the
 *    user's notifications of before the change move to `notifications_archive` (auditors read
 *    it): they were written for what the user may no longer see, and the rules let a recipient
 *    read its own notifications whatever its role is now.
 * If step 2 fails, a second transaction puts the mirror back and appends `user_role_reverted`
 * before the error reaches the caller. A crash between the steps leaves the mirror `pending`
 * with its audit event: the claims are unchanged or applied, and calling setUserRole again with
 * the same input completes it (every step is idempotent; each call logs its own event). A
 * different change of the same user is refused while one is in flight (CHANGE_IN_FLIGHT_MS).
 */
export async function setUserRole(deps: AgentDeps, input: z.output<typeof setUserRoleInput>, caller: Caller): Promise<SetUserRoleResult> {
  const { db, auth, clock } = deps;

  if (input.partner_id) await refuseUnusablePartner(db, input.partner_id, input.role);
  let user;
  try {
    user = input.uid !== undefined ? await auth.getUser(input.uid) : await auth.getUserByEmail(input.email!);
  } catch {
    throw new HttpsError(
      "not-found",
      input.uid !== undefined
        ? `No user ${input.uid} exists in Firebase Auth.`
        : `No Firebase Auth account has the email ${input.email}: the user signs in once (or is created) first.`,
    );
  }
  const uid = user.uid;
  if (input.email !== undefined) refuseByEmail(input, user);

  const previousClaims = user.customClaims ?? {};
  const claims: Record<string, unknown> = { ...previousClaims, role: input.role };
  if (input.partner_id) claims.partner_id = input.partner_id;
  else delete claims.partner_id;

  const now = clock.now();
  const partnerId = input.partner_id ?? null;
  const userRef = db.doc(`${COLLECTIONS.users}/${uid}`);
  const previous = {
    role: typeof previousClaims.role === "string" ? previousClaims.role : null,
    partner_id: typeof previousClaims.partner_id === "string" ? previousClaims.partner_id : null,
  };
  const changed = previous.role !== null && (previous.role !== input.role || previous.partner_id !== partnerId);
  const eventId = await runTransaction(db, async (tx) => {
    // A change whose archiving a crash cut short stays due on the retry (which sees no change).
    const mirror = await tx.get(userRef);
    const unfinished = unfinishedChange(mirror, now);
    const same = unfinished !== undefined && unfinished.role === input.role && unfinished.partner_id === partnerId;
    if (unfinished?.inFlight && !same) {
      throw new HttpsError(
        "failed-precondition",
        `Another change of this user's role (to ${unfinished.role ? roleWords(unfinished.role) : "no role"}${unfinished.partner_id ? ` for ${unfinished.partner_id}` : ""}) is being applied right now; look at the user's role again in a minute, then change it if it is still not what you want.`,
      );
    }
    await refuseLeavingNoAdmin(db, tx, {
      uid,
      callerUid: caller.uid,
      role: input.role,
      wasAdmin: previous.role === "admin" || mirror.get("role") === "admin",
    });
    // One per call, even for the same change at once: it is what the later steps check they still hold.
    const eventId = `role_${uid}_${now.getTime()}_${caller.uid}_${randomBytes(4).toString("hex")}`;
    const archiveDue = changed || mirror.get("notifications_archive_due") === true;
    const audit = await prepareAuditAppend(db, tx, {
      eventId,
      stream: "agent_admin",
      actor: caller.uid,
      action: "user_role_set",
      subject: userRef.path,
      details: { role: input.role, partner_id: partnerId, previous_role: previous.role, previous_partner_id: previous.partner_id },
    });
    tx.set(db.doc(`${COLLECTIONS.people}/${uid}`), personOf(user, input.role));
    tx.set(userRef, {
      email: user.email ?? null,
      display_name: user.displayName ?? null,
      role: input.role,
      partner_id: partnerId,
      claims_status: "pending",
      notifications_archive_due: archiveDue,
      audit_event_id: eventId,
      change_in_flight_until: Timestamp.fromMillis(now.getTime() + CHANGE_IN_FLIGHT_MS),
      updated_at: Timestamp.fromDate(now),
      updated_by: caller.uid,
    });
    writeAuditAppend(db, tx, audit, now);
    return eventId;
  });

  try {
    return await applyClaims(deps, { uid, user, claims, previous, eventId, caller, changed, now, input, partnerId });
  } catch (error) {
    // Whatever stopped the call, its hold does not outlive it (a different change may follow at once).
    await releaseHold(db, userRef, eventId, {}).catch(() => undefined);
    throw error;
  }
}

/**
 * A partner-bound role is given only for an existing partner that is active or, for its audit
 * rights, one that left the JV: then only the jv_partner role (its partner users read its
 * statements of the periods before), as callable-guard.ts admits a former partner's users: with
 * both its departure day and that day's start, `left_at`.
 */
async function refuseUnusablePartner(db: Firestore, partnerId: string, role: Role): Promise<void> {
  const partner = await db.doc(`${COLLECTIONS.partners}/${partnerId}`).get();
  const stored = storedMembership(partner.data());
  // Without its left_at, callable-guard.ts cuts a partner's users off as a deactivated partner's.
  const membership = stored && (partner.get("left_at") instanceof Timestamp ? stored : { ...stored, left_jv_on: null });
  const standing = partnerRoleStanding(membership, role);
  if (standing === "ok") return;
  if (standing === "unusable") throw unusablePartner("invalid-argument", partnerId, partner);
  throw new HttpsError(
    "invalid-argument",
    `${partnerWords(partnerId, stored?.name)} left the JV on ${membership?.left_jv_on}, so only its partner users (the JV partner role) may be given a role for it, to read its statements of the periods before: it can no longer have a ${roleWords(role)}.`,
    { issues: [{ path: "role", code: "custom", message: "the partner left the JV: only the jv_partner role" }] },
  );
}

/**
 * No change leaves the JV without an admin: nobody could then give roles, create gateway keys or
 * change the settings. The admins counted are the `users` mirrors (every role setUserRole gave)
 * and the caller, an admin by its checked token, unless its own mirror was changed meanwhile: two
 * admins demoting each other at once meet on these reads, and the second is refused.
 */
async function refuseLeavingNoAdmin(
  db: Firestore,
  tx: Transaction,
  change: { uid: string; callerUid: string; role: string; wasAdmin: boolean },
): Promise<void> {
  if (!change.wasAdmin || change.role === "admin") return;
  const self = change.callerUid === change.uid;
  const [admins, callerMirror] = await Promise.all([
    tx.get(db.collection(COLLECTIONS.users).where("role", "==", "admin").limit(3)),
    self ? undefined : tx.get(db.doc(`${COLLECTIONS.users}/${change.callerUid}`)),
  ]);
  const callerStays = callerMirror !== undefined && (!callerMirror.exists || callerMirror.get("role") === "admin");
  if (callerStays || admins.docs.some((d) => d.id !== change.uid && d.id !== change.callerUid)) return;
  throw new HttpsError(
    "failed-precondition",
    `${self ? "You are" : "This account is"} the JV's only admin: without one, nobody could give roles, create gateway API keys or change the JV's settings. Give another account the admin role first, then change this one.`,
    { reason: "last_admin" },
  );
}

/** Steps 2 and 3 of setUserRole, once its first transaction has logged the change as `eventId`. */
async function applyClaims(
  deps: AgentDeps,
  change: {
    uid: string;
    user: { email?: string; displayName?: string; customClaims?: Record<string, unknown> };
    claims: Record<string, unknown>;
    previous: { role: string | null; partner_id: string | null };
    eventId: string;
    caller: Caller;
    changed: boolean;
    now: Date;
    input: { role: string };
    partnerId: string | null;
  },
): Promise<SetUserRoleResult> {
  const { db, auth, clock } = deps;
  const { uid, user, claims, previous, eventId, caller, changed, now, input, partnerId } = change;
  const userRef = db.doc(`${COLLECTIONS.users}/${uid}`);
  try {
    await auth.setCustomUserClaims(uid, claims);
  } catch (error) {
    await revert(deps, { uid, user, previous, eventId, caller, error, since: changed ? now : undefined });
    throw error;
  }
  // The claims hold the new role now, as the mirror does: a failed revocation leaves both so
  // (claims_status stays "pending"), and the old role's notifications are moved all the same.
  const revoked = await auth.revokeRefreshTokens(uid).then(
    () => undefined,
    (error: unknown) => error,
  );
  const mirror = await userRef.get();
  if (mirror.get("notifications_archive_due") === true) {
    // Up to when the new role was committed, not only `now`: a notification the communicator
    // composed meanwhile for the old role and committed before the mirror's change is moved too
    // (after it, the communicator writes none for the old role: recipients.ts stillListed).
    await archiveNotifications(deps, uid, { until: committedBy(mirror, now) }, "role_changed");
  }
  if (revoked !== undefined) {
    await releaseHold(db, userRef, eventId, { notifications_archive_due: false });
    const why = revoked instanceof Error ? revoked.message : String(revoked);
    throw new HttpsError(
      "unavailable",
      `The ${roleWords(input.role)} role is set on the account, but its open sessions could not be signed out (${why.slice(0, 200)}): give the same role again to finish. Until then a session already open keeps its old role in its ID token, for at most an hour.`,
    );
  }
  await releaseHold(db, userRef, eventId, {
    claims_status: "applied",
    claims_applied_at: Timestamp.fromDate(clock.now()),
    notifications_archive_due: false,
  });
  return { uid, role: input.role, partner_id: partnerId };
}

/** Ends this call's hold with `fields`, only while the mirror still holds this call's change. */
async function releaseHold(db: Firestore, userRef: DocumentReference, eventId: string, fields: Record<string, unknown>): Promise<void> {
  await runTransaction(db, async (tx) => {
    if ((await tx.get(userRef)).get("audit_event_id") !== eventId) return;
    tx.update(userRef, { ...fields, change_in_flight_until: FieldValue.delete() });
  });
}

/**
 * How long a change of role holds the user against a different change: longer than the
 * callable may run (60 s), so that two admins' changes never interleave their claims and
 * mirror writes, and short enough that a call cut off by a crash blocks nobody for long.
 */
const CHANGE_IN_FLIGHT_MS = 5 * 60_000;

/** The change the mirror says is not yet applied, and whether its call may still be running. */
function unfinishedChange(
  mirror: DocumentSnapshot,
  now: Date,
): { role: string | null; partner_id: string | null; eventId: string; inFlight: boolean } | undefined {
  const eventId = mirror.get("audit_event_id");
  if (mirror.get("claims_status") !== "pending" || typeof eventId !== "string") return undefined;
  const until = mirror.get("change_in_flight_until");
  return {
    role: (mirror.get("role") as string | null | undefined) ?? null,
    partner_id: (mirror.get("partner_id") as string | null | undefined) ?? null,
    eventId,
    inFlight: until instanceof Timestamp && until.toMillis() > now.getTime(),
  };
}

const ARCHIVE_BATCH = 200;

/** When a write of the mirror was committed, or `now` if later (the notifications' times come from the functions' clocks). */
function committedBy(mirror: DocumentSnapshot, now: Date): Date {
  return new Date(Math.max(now.getTime(), mirror.updateTime?.toMillis() ?? 0));
}

/** Moves the user's notifications created in `window` to `notifications_archive`, each moved whole in one batch. */
async function archiveNotifications(
  deps: AgentDeps,
  uid: string,
  window: { from?: Date; until: Date },
  because: "role_changed" | "role_change_reverted",
): Promise<void> {
  const { db, clock } = deps;
  let query = db
    .collection(COLLECTIONS.notifications)
    .where("recipient_uid", "==", uid)
    .where("created_at", "<=", Timestamp.fromDate(window.until));
  if (window.from) query = query.where("created_at", ">=", Timestamp.fromDate(window.from));
  query = query.orderBy("created_at", "desc").limit(ARCHIVE_BATCH);
  for (;;) {
    const page = await query.get();
    if (page.empty) return;
    const batch = db.batch();
    const archivedAt = Timestamp.fromDate(clock.now());
    for (const doc of page.docs) {
      batch.set(db.doc(`${COLLECTIONS.notificationsArchive}/${doc.id}`), {
        ...doc.data(),
        archived_at: archivedAt,
        archived_because: because,
      });
      batch.delete(doc.ref);
    }
    await batch.commit();
    if (page.size < ARCHIVE_BATCH) return;
  }
}

/**
 * How others see the account (`people/{uid}`): its name and role, never its email (everyone
 * with a role reads this). An account without a display name is shown by its uid.
 */
export function personOf(user: { displayName?: string }, role: string | null): { display_name: string | null; role: string | null } {
  return { display_name: user.displayName || null, role };
}

/**
 * An email names an account only once its owner has proved the address: with self sign-up,
 * anyone can register someone else's address first and wait for it to be given a role. And
 * an account that already has another role is changed in its own row, where its role is shown
 * (the same role again is a retry, which completes a call that stopped half way).
 */
function refuseByEmail(
  input: { email?: string; role: string; partner_id?: string },
  user: { emailVerified: boolean; customClaims?: Record<string, unknown> },
): void {
  if (!user.emailVerified) {
    throw new HttpsError(
      "failed-precondition",
      `The account with the email ${input.email} has not verified it, so it may not be theirs: ask them to send themselves the verification link from the "No role yet" page and follow it, then give the role again.`,
    );
  }
  const role = user.customClaims?.role;
  const partner = typeof user.customClaims?.partner_id === "string" ? user.customClaims.partner_id : undefined;
  if (typeof role === "string" && (role !== input.role || partner !== input.partner_id)) {
    throw new HttpsError(
      "failed-precondition",
      `The account with the email ${input.email} already has the ${roleWords(role)} role${partner ? ` for ${partner}` : ""}: change it in its row of the users' list, where its present role is shown.`,
    );
  }
}

/** Puts the mirror back as the (unchanged) claims have it and records why, in one transaction. */
async function revert(
  deps: AgentDeps,
  failed: {
    uid: string;
    user: { email?: string; displayName?: string; customClaims?: Record<string, unknown> };
    previous: { role: string | null; partner_id: string | null };
    eventId: string;
    caller: Caller;
    error: unknown;
    /** When the failed change of role or partner began: what the communicator wrote for the new role since is archived. */
    since?: Date;
  },
): Promise<void> {
  const { db, clock } = deps;
  const now = clock.now();
  const userRef = db.doc(`${COLLECTIONS.users}/${failed.uid}`);
  const current = await runTransaction(db, async (tx) => {
    // Another change may hold the mirror by now (the same change by another call, or one after
    // this call's hold): then it is left as that one wrote it.
    const current = (await tx.get(userRef)).get("audit_event_id") === failed.eventId;
    const audit = await prepareAuditAppend(db, tx, {
      eventId: `${failed.eventId}_reverted`,
      stream: "agent_admin",
      actor: failed.caller.uid,
      action: "user_role_reverted",
      subject: userRef.path,
      details: {
        reverts: failed.eventId,
        reason: failed.error instanceof Error ? failed.error.message.slice(0, 300) : String(failed.error).slice(0, 300),
      },
    });
    writeAuditAppend(db, tx, audit, now);
    if (!current) return false;
    tx.set(db.doc(`${COLLECTIONS.people}/${failed.uid}`), personOf(failed.user, failed.previous.role));
    tx.set(userRef, {
      email: failed.user.email ?? null,
      display_name: failed.user.displayName ?? null,
      role: failed.previous.role,
      partner_id: failed.previous.partner_id,
      claims_status: "reverted",
      audit_event_id: `${failed.eventId}_reverted`,
      updated_at: Timestamp.fromDate(now),
      updated_by: failed.caller.uid,
    });
    return true;
  });
  // While the mirror held the new role, the communicator could list the user for it (unless another
  // call's change holds it now: what was written for that one stays).
  if (current && failed.since)
    await archiveNotifications(
      deps,
      failed.uid,
      { from: failed.since, until: committedBy(await userRef.get(), now) },
      "role_change_reverted",
    );
}
