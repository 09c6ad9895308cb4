import { expect } from "chai";
import { type Auth } from "firebase-admin/auth";
import { setUserRole } from "../../src/agents/admin/set-user-role";
import { type AgentDeps } from "../../src/shared/agent-deps";
import { systemClock } from "../../src/shared/clock";
import { createGeminiClient } from "../../src/shared/gemini";
import { adminAuth, adminDb, callFunction, callWithToken, signIn, sleep, uniqueId, type TestUser } from "../support/emulator";
import { seedPartner } from "../support/seed";

/** A real Auth-emulator account with these custom claims. */
async function account(prefix: string, claims: Record<string, unknown>): Promise<string> {
  const uid = uniqueId(prefix);
  await adminAuth().createUser({ uid, email: `${uid}@example.test` });
  await adminAuth().setCustomUserClaims(uid, claims);
  return uid;
}

/** Auth's second resolution: a token must be issued in a later second than a revocation to be told apart. */
const nextSecond = () => sleep(1_100);

/** verifyReconciliation's answer to a partner for a version it may not see, or that does not exist. */
const NOT_RELEASED = /^Reconciliation any_v1 does not exist or has not been released to the partners yet/;
describe("stale claims: the callables trust Firebase Auth's current claims, not the token's", () => {
  it("a demoted admin's old token can neither restore itself nor demote the admin who demoted it", async () => {
    const admin1 = await account("admin1", { role: "admin" });
    const admin2 = await account("admin2", { role: "admin" });
    const token1 = await signIn(admin1);
    const token2 = await signIn(admin2);

    const demote = await callWithToken("setUserRole", { uid: admin2, role: "auditor" }, token1);
    expect(demote.error, JSON.stringify(demote.error)).to.equal(undefined);
    expect((await adminAuth().getUser(admin2)).customClaims).to.deep.equal({ role: "auditor" });

    // admin2 replays the ID token it held before the demotion.
    const restore = await callWithToken("setUserRole", { uid: admin2, role: "admin" }, token2);
    expect(restore.error?.status).to.equal("UNAUTHENTICATED");
    expect(restore.error?.message).to.match(/sign in again/);
    const revenge = await callWithToken("setUserRole", { uid: admin1, role: "auditor" }, token2);
    expect(revenge.error?.status).to.equal("UNAUTHENTICATED");
    expect((await adminAuth().getUser(admin1)).customClaims).to.deep.equal({ role: "admin" });
    expect((await adminAuth().getUser(admin2)).customClaims).to.deep.equal({ role: "auditor" });
    const events = await adminDb()
      .collection("audit_log")
      .where("stream", "==", "agent_admin")
      .where("subject", "==", `users/${admin1}`)
      .get();
    expect(events.size, "no role event for admin1").to.equal(0);

    // Signed in again, admin2 is an auditor: it may check the audit log, not set roles.
    const fresh = await signIn(admin2);
    expect((await callWithToken("setUserRole", { uid: admin1, role: "auditor" }, fresh)).error?.status).to.equal("PERMISSION_DENIED");
    const verify = await callWithToken("verifyAuditLog", {}, fresh);
    expect(verify.error, JSON.stringify(verify.error)).to.equal(undefined);
  });

  it("setUserRole revokes the user's refresh tokens and marks the mirror applied", async () => {
    const uid = await account("coord", { role: "jv_coordinator" });
    const before = Date.parse((await adminAuth().getUser(uid)).tokensValidAfterTime ?? "1970-01-01T00:00:00Z");
    await nextSecond();
    const { error } = await callFunction("setUserRole", { uid, role: "auditor" }, { uid: uniqueId("admin"), role: "admin" });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    const after = Date.parse((await adminAuth().getUser(uid)).tokensValidAfterTime!);
    expect(after).to.be.greaterThan(before);
    expect((await adminDb().doc(`users/${uid}`).get()).get("claims_status")).to.equal("applied");
  });

  it("a claim changed outside setUserRole (no revocation) still refuses the old token", async () => {
    const uid = await account("coord", { role: "jv_coordinator" });
    const token = await signIn(uid);
    expect((await callWithToken("reconcile", { terminal_receipt_id: "no-such-receipt" }, token)).error?.status).to.equal("NOT_FOUND");
    await adminAuth().setCustomUserClaims(uid, { role: "field_operator", partner_id: "p-any" });
    const replay = await callWithToken("reconcile", { terminal_receipt_id: "no-such-receipt" }, token);
    expect(replay.error?.status).to.equal("UNAUTHENTICATED");
    expect(replay.error?.message).to.match(/role changed since you signed in \(now field operator of p-any\)/);
  });

  it("a revoked session is refused though the claims did not change; a new sign-in works", async () => {
    const uid = await account("coord", { role: "jv_coordinator" });
    const token = await signIn(uid);
    await nextSecond();
    await adminAuth().revokeRefreshTokens(uid);
    const replay = await callWithToken("reconcile", { terminal_receipt_id: "no-such-receipt" }, token);
    expect(replay.error?.status).to.equal("UNAUTHENTICATED");
    expect(replay.error?.message).to.match(/revoked/);
    await nextSecond();
    const fresh = await signIn(uid);
    expect((await callWithToken("reconcile", { terminal_receipt_id: "no-such-receipt" }, fresh)).error?.status).to.equal("NOT_FOUND");
  });

  it("a deleted account's token is refused, and a disabled account's", async () => {
    const gone = await account("gone", { role: "jv_coordinator" });
    const goneToken = await signIn(gone);
    await adminAuth().deleteUser(gone);
    const deleted = await callWithToken("reconcile", { terminal_receipt_id: "x" }, goneToken);
    expect(deleted.error?.status).to.equal("UNAUTHENTICATED");
    expect(deleted.error?.message).to.match(/no longer exists/);

    const off = await account("off", { role: "jv_coordinator" });
    const offToken = await signIn(off);
    await adminAuth().updateUser(off, { disabled: true });
    const disabled = await callWithToken("reconcile", { terminal_receipt_id: "x" }, offToken);
    expect(disabled.error?.status).to.equal("PERMISSION_DENIED");
    expect(disabled.error?.message).to.match(/disabled/);
  });
});

describe("partner-bound roles need a valid, active partner in every callable", () => {
  it("a jv_partner without partner_id, with a missing partner or an inactive one gets nothing from verifyReconciliation", async () => {
    const inactive = uniqueId("inactive");
    await seedPartner(adminDb(), inactive, "Gone Ltd", false);
    const active = uniqueId("active");
    await seedPartner(adminDb(), active, "Alive Ltd", true);
    const cases: Array<{ user: TestUser; message: RegExp }> = [
      {
        user: { uid: uniqueId("jvp"), role: "jv_partner" },
        message: /^The JV partner role is bound to a partner, and your account has none; ask an admin to set it\.$/,
      },
      { user: { uid: uniqueId("jvp"), role: "jv_partner", partner_id: "" }, message: /your account has none/ },
      { user: { uid: uniqueId("jvp"), role: "jv_partner", partner_id: uniqueId("missing") }, message: /which does not exist/ },
      { user: { uid: uniqueId("jvp"), role: "jv_partner", partner_id: inactive }, message: /which is not active/ },
    ];
    for (const { user, message } of cases) {
      const { error, result } = await callFunction("verifyReconciliation", { reconciliation_id: "any_v1" }, user);
      expect(result, JSON.stringify(user)).to.equal(undefined);
      expect(error?.status, JSON.stringify(user)).to.equal("PERMISSION_DENIED");
      expect(error?.message).to.match(message);
    }
    // The same caller bound to an active partner gets through the guard, to the handler's answer
    // for a version it may not see (one that does not exist is answered alike).
    const ok = await callFunction(
      "verifyReconciliation",
      { reconciliation_id: "any_v1" },
      { uid: uniqueId("jvp"), role: "jv_partner", partner_id: active },
    );
    expect(ok.error?.message).to.match(NOT_RELEASED);
  });

  it("deactivating a partner cuts off its users' calls at once", async () => {
    const partner = uniqueId("partner");
    await seedPartner(adminDb(), partner, "Soon Gone", true);
    const user: TestUser = { uid: uniqueId("jvp"), role: "jv_partner", partner_id: partner };
    expect((await callFunction("verifyReconciliation", { reconciliation_id: "any_v1" }, user)).error?.message).to.match(NOT_RELEASED);
    await adminDb().doc(`partners/${partner}`).update({ active: false });
    const refused = (await callFunction("verifyReconciliation", { reconciliation_id: "any_v1" }, user)).error;
    expect(refused?.status).to.equal("PERMISSION_DENIED");
    expect(refused?.message).to.match(/which is not active/);
  });
});

/** The callables' dependencies around this Auth (a real one, or one made to fail). */
const depsWith = (auth: Auth): AgentDeps => ({
  db: adminDb(),
  auth,
  clock: systemClock,
  gemini: createGeminiClient({ model: "none", timeoutMs: 1, maxAttempts: 1, backoffMs: 1 }),
  rateLimit: { maxCalls: 100, windowMs: 60_000 },
});

describe("setUserRole leaves no partial outcome", () => {
  it("when the claims cannot be set, the mirror is put back and the audit log says so", async () => {
    const uid = await account("victim", { role: "jv_coordinator" });
    const before = adminDb().doc(`notifications/${uid}_before`);
    await before.set({
      recipient_uid: uid,
      type: "entry_flagged",
      title: "told as a coordinator",
      read: false,
      created_at: new Date(Date.now() - 60_000),
    });
    // Written while the mirror said admin, as the communicator would for the new role.
    const during = adminDb().doc(`notifications/${uid}_during`);
    const real = adminAuth();
    const failing = new Proxy(real, {
      get(target, key, receiver) {
        if (key === "setCustomUserClaims")
          return async () => {
            await during.set({
              recipient_uid: uid,
              type: "reconciliation_completed",
              title: "told as an admin",
              read: false,
              created_at: new Date(),
            });
            throw new Error("auth backend unavailable");
          };
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Auth;
    const deps = depsWith(failing);
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    let thrown: unknown;
    try {
      await setUserRole(deps, { uid, role: "admin" }, caller);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).to.match(/auth backend unavailable/);
    expect((await real.getUser(uid)).customClaims).to.deep.equal({ role: "jv_coordinator" });
    const profile = (await adminDb().doc(`users/${uid}`).get()).data()!;
    expect(profile).to.include({ role: "jv_coordinator", claims_status: "reverted" });
    expect((await adminDb().doc(`people/${uid}`).get()).get("role")).to.equal("jv_coordinator");
    const events = await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get();
    const actions = events.docs.map((d) => d.get("action")).sort();
    expect(actions).to.deep.equal(["user_role_reverted", "user_role_set"]);
    const reverted = events.docs.find((d) => d.get("action") === "user_role_reverted")!;
    expect(reverted.get("details.reason")).to.match(/auth backend unavailable/);
    // What was written for the role that never took effect is out of the user's reach; what was before stays.
    expect((await during.get()).exists).to.equal(false);
    expect((await adminDb().doc(`notifications_archive/${uid}_during`).get()).get("archived_because")).to.equal("role_change_reverted");
    expect((await before.get()).exists).to.equal(true);
  });

  it("when the open sessions cannot be signed out, the mirror keeps the role the claims now hold, and the same call again finishes", async () => {
    const uid = await account("halfway", { role: "jv_coordinator" });
    const told = adminDb().doc(`notifications/${uid}_as_coordinator`);
    await told.set({
      recipient_uid: uid,
      type: "entry_flagged",
      title: "told as a coordinator",
      read: false,
      created_at: new Date(Date.now() - 60_000),
    });
    const real = adminAuth();
    const failing = new Proxy(real, {
      get(target, key, receiver) {
        if (key === "revokeRefreshTokens") return async () => Promise.reject(new Error("token service unavailable"));
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Auth;
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    let thrown: unknown;
    try {
      await setUserRole(depsWith(failing), { uid, role: "auditor" }, caller);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).to.equal("unavailable");
    expect(String(thrown)).to.match(
      /auditor role is set on the account, but its open sessions could not be signed out \(token service unavailable\): give the same role again/,
    );
    expect((await real.getUser(uid)).customClaims).to.deep.equal({ role: "auditor" });
    expect((await adminDb().doc(`users/${uid}`).get()).data()).to.include({
      role: "auditor",
      claims_status: "pending",
      notifications_archive_due: false,
    });
    // What the old role was told is out of its reach already: the rules let a recipient read its own whatever its role.
    expect((await told.get()).exists).to.equal(false);
    expect((await adminDb().doc(`notifications_archive/${uid}_as_coordinator`).get()).get("archived_because")).to.equal("role_changed");
    expect((await adminDb().doc(`people/${uid}`).get()).get("role")).to.equal("auditor");
    const actions = async () =>
      (await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get()).docs.map((d) => d.get("action")).sort();
    expect(await actions()).to.deep.equal(["user_role_set"]);

    const validAfter = async () => Date.parse((await real.getUser(uid)).tokensValidAfterTime ?? "1970-01-01T00:00:00Z");
    const before = await validAfter();
    await nextSecond();
    await setUserRole(depsWith(real), { uid, role: "auditor" }, caller);
    expect((await adminDb().doc(`users/${uid}`).get()).get("claims_status")).to.equal("applied");
    expect(await validAfter()).to.be.greaterThan(before);
    // Each call logs what it did.
    expect(await actions()).to.deep.equal(["user_role_set", "user_role_set"]);
  });

  it("a different change while one is being applied is refused: the claims and the mirror stay together", async () => {
    const uid = await account("contested", { role: "jv_coordinator" });
    const real = adminAuth();
    const first = { uid: uniqueId("admin"), role: "admin" as const };
    const second = { uid: uniqueId("admin"), role: "admin" as const };
    // The second admin's call comes while the first's claims are being set.
    let refused: unknown;
    const slow = new Proxy(real, {
      get(target, key, receiver) {
        if (key === "setCustomUserClaims")
          return async (...args: Parameters<Auth["setCustomUserClaims"]>) => {
            refused ??= await setUserRole(depsWith(real), { uid, role: "auditor" }, second).then(
              () => "not refused",
              (error: unknown) => error,
            );
            return target.setCustomUserClaims(...args);
          };
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Auth;
    await setUserRole(depsWith(slow), { uid, role: "admin" }, first);
    expect((refused as { code?: string }).code).to.equal("failed-precondition");
    expect(String(refused)).to.match(/Another change of this user's role \(to administrator\) is being applied right now/);
    expect((await real.getUser(uid)).customClaims).to.deep.equal({ role: "admin" });
    const mirror = (await adminDb().doc(`users/${uid}`).get()).data()!;
    expect(mirror).to.include({ role: "admin", claims_status: "applied", updated_by: first.uid });
    expect(mirror).to.not.have.property("change_in_flight_until");
    // Once applied, the second admin's change goes through.
    await setUserRole(depsWith(real), { uid, role: "auditor" }, second);
    expect((await real.getUser(uid)).customClaims).to.deep.equal({ role: "auditor" });
    const events = await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get();
    expect(events.docs.map((d) => [d.get("actor"), d.get("details.role")]).sort()).to.deep.equal(
      [
        [first.uid, "admin"],
        [second.uid, "auditor"],
      ].sort(),
    );
  });

  it("a change cut off by a crash holds the user only for its few minutes", async () => {
    const uid = await account("crashed", { role: "jv_coordinator" });
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    // What a call cut off between its first transaction and its claims leaves: at once, then six minutes on.
    const leftBehind = (until: number) =>
      adminDb()
        .doc(`users/${uid}`)
        .set({
          role: "admin",
          partner_id: null,
          claims_status: "pending",
          audit_event_id: `role_${uid}_crashed`,
          change_in_flight_until: new Date(until),
        });
    await leftBehind(Date.now() + 4 * 60_000);
    const held = await setUserRole(depsWith(adminAuth()), { uid, role: "auditor" }, caller).then(
      () => "not refused",
      (error: { code?: string }) => error.code,
    );
    expect(held).to.equal("failed-precondition");
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "jv_coordinator" });
    await leftBehind(Date.now() - 60_000);
    await setUserRole(depsWith(adminAuth()), { uid, role: "auditor" }, caller);
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "auditor" });
    expect((await adminDb().doc(`users/${uid}`).get()).data()).to.include({ role: "auditor", claims_status: "applied" });
  });
});
