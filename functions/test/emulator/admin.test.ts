import { expect } from "chai";
import { getApps } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { adminAuth, adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { collection, doc, getDoc, getDocs, query, where } from "firebase/firestore";
import { seedPartner } from "../support/seed";
import { setUserRole } from "../../src/agents/admin/set-user-role";
import { directDeps } from "../support/communicator-world";
import { signInWebClient } from "../support/web-client";
import { Timestamp } from "firebase-admin/firestore";
import { auditEventHash, GENESIS_HASH } from "../../src/domain/audit-chain";
import { START_OF_LOG, verifyAuditLog, walkAuditLogSegment } from "../../src/shared/audit-log-walk";
import type { AuditLogVerification } from "../../src/agents/admin/verify-audit-log";

const admin = (): TestUser => ({ uid: uniqueId("admin"), role: "admin" });

async function newAuthUser(claims?: Record<string, unknown>): Promise<string> {
  const uid = uniqueId("user");
  await adminAuth().createUser({ uid, email: `${uid}@example.test`, displayName: `User ${uid}` });
  if (claims) await adminAuth().setCustomUserClaims(uid, claims);
  return uid;
}

describe("setUserRole", () => {
  it("merges the role into the custom claims, keeps other claims, mirrors users/{uid} and logs it", async () => {
    const partner = uniqueId("partner");
    await seedPartner(adminDb(), partner);
    const uid = await newAuthUser({ beta_tester: true, role: "jv_partner", partner_id: "old" });
    const caller = admin();
    const { result, error } = await callFunction("setUserRole", { uid, role: "field_operator", partner_id: partner }, caller);
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result).to.deep.equal({ uid, role: "field_operator", partner_id: partner });
    const user = await adminAuth().getUser(uid);
    expect(user.customClaims).to.deep.equal({ beta_tester: true, role: "field_operator", partner_id: partner });
    const profile = (await adminDb().doc(`users/${uid}`).get()).data()!;
    expect(profile).to.include({
      email: `${uid}@example.test`,
      display_name: `User ${uid}`,
      role: "field_operator",
      partner_id: partner,
      updated_by: caller.uid,
    });
    // What everyone with a role may read of the account: its name and role, not its email.
    expect((await adminDb().doc(`people/${uid}`).get()).data()).to.deep.equal({ display_name: `User ${uid}`, role: "field_operator" });
    const events = await adminDb()
      .collection("audit_log")
      .where("stream", "==", "agent_admin")
      .where("subject", "==", `users/${uid}`)
      .get();
    expect(events.docs.map((d) => d.get("details"))).to.deep.equal([
      { role: "field_operator", partner_id: partner, previous_role: "jv_partner", previous_partner_id: "old" },
    ]);
  });

  it("drops partner_id when the new role is not bound to a partner", async () => {
    const uid = await newAuthUser({ role: "field_operator", partner_id: "p-x", team: "north" });
    const { error } = await callFunction("setUserRole", { uid, role: "auditor" }, admin());
    expect(error).to.equal(undefined);
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "auditor", team: "north" });
    expect((await adminDb().doc(`users/${uid}`).get()).get("partner_id")).to.equal(null);
  });

  it("refuses a partner-bound role without an existing active partner, and an unbound role with one", async () => {
    const uid = await newAuthUser();
    const inactive = uniqueId("inactive");
    await seedPartner(adminDb(), inactive, "Gone Ltd", false);
    for (const data of [
      { uid, role: "jv_partner" },
      { uid, role: "jv_partner", partner_id: uniqueId("missing") },
      { uid, role: "field_operator", partner_id: inactive },
      { uid, role: "jv_coordinator", partner_id: inactive },
      { uid, role: "superuser" },
    ]) {
      const { error } = await callFunction("setUserRole", data, admin());
      expect(error?.status, JSON.stringify(data)).to.equal("INVALID_ARGUMENT");
      expect((error!.details as { issues: unknown[] }).issues).to.not.be.empty;
    }
    expect((await adminAuth().getUser(uid)).customClaims ?? {}).to.deep.equal({});
    expect((await adminDb().doc(`users/${uid}`).get()).exists).to.equal(false);
  });

  it("finds an account without a profile by its verified email, and refuses an unknown email or uid and email together", async () => {
    const uid = await newAuthUser();
    expect((await adminDb().doc(`users/${uid}`).get()).exists).to.equal(false);
    // Anyone can sign up with an address that is not theirs: until it is verified, no role by email.
    const unverified = await callFunction("setUserRole", { email: `${uid}@example.test`, role: "auditor" }, admin());
    expect(unverified.error?.status).to.equal("FAILED_PRECONDITION");
    expect(unverified.error?.message).to.match(/has not verified it, so it may not be theirs/);
    expect((await adminAuth().getUser(uid)).customClaims ?? {}).to.deep.equal({});
    expect((await adminDb().doc(`users/${uid}`).get()).exists).to.equal(false);
    await adminAuth().updateUser(uid, { emailVerified: true });

    const { result, error } = await callFunction("setUserRole", { email: ` ${uid.toUpperCase()}@Example.TEST `, role: "auditor" }, admin());

    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result).to.deep.equal({ uid, role: "auditor", partner_id: null });
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "auditor" });
    expect((await adminDb().doc(`users/${uid}`).get()).data()).to.include({
      email: `${uid}@example.test`,
      role: "auditor",
      claims_status: "applied",
    });

    // The same role again is a retry (it completes a call that stopped half way)...
    const retried = await callFunction("setUserRole", { email: `${uid}@example.test`, role: "auditor" }, admin());
    expect(retried.error, JSON.stringify(retried.error)).to.equal(undefined);
    // ...another role is changed in its row (by uid), where the present role is shown.
    const again = await callFunction("setUserRole", { email: `${uid}@example.test`, role: "admin" }, admin());
    expect(again.error?.status).to.equal("FAILED_PRECONDITION");
    expect(again.error?.message).to.match(/already has the auditor role: change it in its row/);
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "auditor" });

    const unknown = await callFunction("setUserRole", { email: `${uniqueId("nobody")}@example.test`, role: "auditor" }, admin());
    expect(unknown.error?.status).to.equal("NOT_FOUND");
    expect(unknown.error?.message).to.match(/No Firebase Auth account has the email .*signs in once/);
    for (const data of [
      { uid, email: `${uid}@example.test`, role: "auditor" },
      { role: "auditor" },
      { email: "not an email", role: "auditor" },
    ]) {
      const { error: refused } = await callFunction("setUserRole", data, admin());
      expect(refused?.status, JSON.stringify(data)).to.equal("INVALID_ARGUMENT");
    }
  });

  it("moves a user's notifications of before a role change out of their reach; a retry with the same role moves nothing", async () => {
    const [a, b] = [uniqueId("partner"), uniqueId("partner")];
    await seedPartner(adminDb(), a);
    await seedPartner(adminDb(), b);
    const uid = uniqueId("user");
    const email = `${uid}@example.test`;
    await adminAuth().createUser({ uid, email, password: "secret-123" });
    const caller = admin();
    expect((await callFunction("setUserRole", { uid, role: "jv_coordinator" }, caller)).error).to.equal(undefined);
    // What the coordinator was told: another partner's flagged entry, say.
    const told = { recipient_uid: uid, type: "entry_flagged", title: `Partner ${b}'s entry flagged`, body: "1,234.56 bbl", read: false };
    await adminDb()
      .doc(`notifications/${uid}_old`)
      .set({ ...told, created_at: new Date(Date.now() - 60_000) });

    expect((await callFunction("setUserRole", { uid, role: "field_operator", partner_id: a }, caller)).error).to.equal(undefined);

    expect((await adminDb().doc(`notifications/${uid}_old`).get()).exists).to.equal(false);
    const archived = (await adminDb().doc(`notifications_archive/${uid}_old`).get()).data()!;
    expect(archived).to.include({ ...told, archived_because: "role_changed" });
    expect((await adminDb().doc(`users/${uid}`).get()).get("notifications_archive_due")).to.equal(false);
    // As the web app reads its inbox, with the new claims: nothing of before.
    const client = await signInWebClient(email, "secret-123");
    try {
      expect(client.claims).to.include({ role: "field_operator", partner_id: a });
      const inbox = await getDocs(query(collection(client.db, "notifications"), where("recipient_uid", "==", uid)));
      expect(inbox.size).to.equal(0);
      const denied = await getDoc(doc(client.db, `notifications_archive/${uid}_old`)).then(
        () => "read",
        (error: { code?: string }) => error.code,
      );
      expect(denied).to.equal("permission-denied");
    } finally {
      await client.close();
    }
    // The same role again (a retry) keeps what the operator was told since.
    await adminDb()
      .doc(`notifications/${uid}_new`)
      .set({ ...told, title: "for the operator", created_at: new Date() });
    expect((await callFunction("setUserRole", { uid, role: "field_operator", partner_id: a }, caller)).error).to.equal(undefined);
    expect((await adminDb().doc(`notifications/${uid}_new`).get()).exists).to.equal(true);
  });

  it("also moves a notification committed before the new role whose created_at is after the call's start", async () => {
    const partner = uniqueId("partner");
    await seedPartner(adminDb(), partner);
    const uid = uniqueId("user");
    await adminAuth().createUser({ uid, email: `${uid}@example.test` });
    const deps = directDeps("http://127.0.0.1:9/unused");
    const caller = { uid: uniqueId("admin"), role: "admin" as const };
    await setUserRole(deps, { uid, role: "jv_coordinator" }, caller);
    // The call's clock reads 60 s before the commit; the communicator stamped this one 30 s before
    // it, between the call's start and the new role's commit (a clock running ahead of another).
    const started = new Date(Date.now() - 60_000);
    await adminDb()
      .doc(`notifications/${uid}_composed`)
      .set({
        recipient_uid: uid,
        type: "entry_flagged",
        title: "another partner's entry",
        read: false,
        created_at: new Date(Date.now() - 30_000),
      });

    await setUserRole({ ...deps, clock: { now: () => started } }, { uid, role: "field_operator", partner_id: partner }, caller);

    expect((await adminDb().doc(`notifications/${uid}_composed`).get()).exists).to.equal(false);
    expect((await adminDb().doc(`notifications_archive/${uid}_composed`).get()).get("archived_because")).to.equal("role_changed");
  });

  it("leaves the JV an admin: refuses the only admin's own demotion, and the second of two admins demoting each other", async () => {
    // A database of its own: other tests give the admin role too, and the JV's admins are all of `users`.
    const db = getFirestore(getApps()[0]!, uniqueId("last-admin"));
    const deps = { ...directDeps("http://127.0.0.1:9"), db };
    const [first, second] = [await newAuthUser({ role: "admin" }), await newAuthUser({ role: "admin" })];
    const as = (uid: string) => ({ uid, role: "admin" as const });
    // The first admin's own profile (deploy step 6), then its own demotion: refused, nothing changed.
    await setUserRole(deps, { uid: first, role: "admin" }, as(first));
    const refusal = await setUserRole(deps, { uid: first, role: "auditor" }, as(first)).then(
      () => undefined,
      (error: { code?: string; message?: string; details?: unknown }) => error,
    );
    expect(refusal?.code).to.equal("failed-precondition");
    expect(refusal?.message).to.contain("You are the JV's only admin");
    expect(refusal?.details).to.deep.equal({ reason: "last_admin" });
    expect((await adminAuth().getUser(first)).customClaims).to.deep.equal({ role: "admin" });
    expect((await db.doc(`users/${first}`).get()).get("role")).to.equal("admin");
    // With a second admin, either may step down; the last one may not.
    await setUserRole(deps, { uid: second, role: "admin" }, as(first));
    await setUserRole(deps, { uid: first, role: "auditor" }, as(first));
    expect((await db.doc(`users/${first}`).get()).get("role")).to.equal("auditor");
    await setUserRole(deps, { uid: first, role: "admin" }, as(second));
    // Two admins demoting each other at once: one change lands, the other is refused.
    const outcomes = await Promise.allSettled([
      setUserRole(deps, { uid: second, role: "auditor" }, as(first)),
      setUserRole(deps, { uid: first, role: "auditor" }, as(second)),
    ]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(["fulfilled", "rejected"]);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected")!;
    expect((refused.reason as { message?: string }).message).to.contain("the JV's only admin");
    const roles = await Promise.all([first, second].map(async (uid) => (await db.doc(`users/${uid}`).get()).get("role")));
    expect(roles.filter((r) => r === "admin")).to.have.length(1);
  });

  it("answers not-found for a uid unknown to Firebase Auth, and denies everyone but admins", async () => {
    const missing = await callFunction("setUserRole", { uid: uniqueId("ghost"), role: "auditor" }, admin());
    expect(missing.error!.status).to.equal("NOT_FOUND");
    const uid = await newAuthUser();
    for (const role of ["jv_coordinator", "auditor", "jv_partner", "field_operator"]) {
      const { error } = await callFunction("setUserRole", { uid, role: "admin" }, { uid: uniqueId(role), role, partner_id: "p" });
      expect(error!.status).to.equal("PERMISSION_DENIED");
    }
    expect((await callFunction("setUserRole", { uid, role: "admin" })).error!.status).to.equal("UNAUTHENTICATED");
    expect((await adminAuth().getUser(uid)).customClaims ?? {}).to.deep.equal({});
  });
});

describe("rate limits on the callables", () => {
  it("answers resource-exhausted past the per-user limit, with the limit and when to retry", async () => {
    const limit = Number(process.env.RATE_LIMIT_PER_MINUTE ?? 30);
    const user: TestUser = { uid: uniqueId("busy"), role: "jv_coordinator" };
    const statuses: string[] = [];
    for (let i = 0; i < limit + 2; i += 1) {
      const { error } = await callFunction("reconcile", { terminal_receipt_id: "no-such-receipt" }, user);
      statuses.push(error!.status);
    }
    expect(statuses.slice(0, limit).every((s) => s === "NOT_FOUND")).to.equal(true);
    expect(statuses.slice(limit)).to.deep.equal(["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED"]);
    const last = await callFunction("reconcile", { terminal_receipt_id: "no-such-receipt" }, user);
    expect(last.error!.message).to.match(/^Too many reconciliations in a short time: at most \d+ in any 60 s\. Try again in \d+ s\.$/);
    expect(last.error!.details).to.deep.include({ limit, window_seconds: 60 });
    // Another user is not affected.
    const other = await callFunction(
      "reconcile",
      { terminal_receipt_id: "no-such-receipt" },
      { uid: uniqueId("calm"), role: "jv_coordinator" },
    );
    expect(other.error!.status).to.equal("NOT_FOUND");
    console.log(`      rate limit: ${limit} calls/min per user; call ${limit + 1} refused with resource-exhausted`);
  });
});

type Verification = AuditLogVerification;

/** Calls verifyAuditLog until its run is complete; answers the last answer and how many calls it took. */
async function verifyWhole(user: TestUser, maxEvents?: number): Promise<{ answer: Verification; calls: number }> {
  let answer: Verification | undefined;
  let calls = 0;
  do {
    const { result, error } = await callFunction<Verification>(
      "verifyAuditLog",
      { ...(answer ? { run_id: answer.run_id } : {}), ...(maxEvents ? { max_events: maxEvents } : {}) },
      user,
    );
    expect(error, JSON.stringify(error)).to.equal(undefined);
    answer = result!;
    calls += 1;
    if (calls > 1000) throw new Error("the verification never completed");
  } while (!answer.complete);
  return { answer, calls };
}

/** A stream's events as the server writes them, hashed and chained, under a test stream name. */
async function plantChain(stream: string, n: number, head: number | null): Promise<string[]> {
  const db = adminDb();
  let prev = GENESIS_HASH;
  const ids: string[] = [];
  for (let seq = 1; seq <= n; seq += 1) {
    const content = {
      seq,
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, seq)),
      stream,
      actor: "test",
      action: "role_set",
      subject: `users/${stream}`,
      details: { seq },
      prev_hash: prev,
    };
    const hash = auditEventHash(content);
    const id = `${stream}_${seq}`;
    await db.doc(`audit_log/${id}`).create({ ...content, at: Timestamp.fromDate(content.at), hash });
    ids.push(id);
    if (seq === head) await db.doc(`audit_chains/${stream}`).set({ stream, seq, hash });
    prev = hash;
  }
  if (head !== null && head > n) await db.doc(`audit_chains/${stream}`).set({ stream, seq: head, hash: "b".repeat(64) });
  return ids;
}

describe("verifyAuditLog", () => {
  it("walks every chain clean, then names the event an edit breaks", async () => {
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    // Make sure at least one chain exists.
    const uid = await newAuthUser();
    await callFunction("setUserRole", { uid, role: "auditor" }, admin());
    const clean = (await verifyWhole(auditor)).answer;
    expect(clean.ok, JSON.stringify(clean.problems)).to.equal(true);
    expect(clean.events).to.be.greaterThan(0);

    const event = (await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get()).docs[0]!;
    const original = event.get("details");
    await event.ref.update({ "details.role": "admin" });
    try {
      const tampered = (await verifyWhole(auditor)).answer;
      expect(tampered.ok).to.equal(false);
      const problem = tampered.problems.find((p) => p.event_id === event.id);
      expect(problem?.kind).to.equal("edited");
    } finally {
      await event.ref.update({ details: original });
    }
    const denied = await callFunction("verifyAuditLog", {}, { uid: uniqueId("coord"), role: "jv_coordinator" });
    expect(denied.error!.status).to.equal("PERMISSION_DENIED");
  });

  it("walks the log a segment per call, server-kept, to the same verdict and counts as one walk", async () => {
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    const db = adminDb();
    const before = (await db.collection("audit_log").count().get()).data().count;
    // Some six calls, inside the per-user limit of calls a minute, whatever the earlier tests logged.
    const perCall = Math.ceil(before / 6) + 1;
    const { answer, calls } = await verifyWhole(auditor, perCall);
    const after = (await db.collection("audit_log").count().get()).data().count;
    expect(answer.ok, JSON.stringify(answer.problems)).to.equal(true);
    expect(calls).to.be.at.least(Math.ceil(before / perCall));
    // Triggers of earlier tests may still append while it walks: every event there was before, none twice.
    expect(answer.events).to.be.within(before, after);
    const whole = await verifyAuditLog(db);
    expect(whole.problems).to.deep.equal([]);
    expect(answer.streams).to.be.within(whole.streams - 5, whole.streams);
    console.log(`      ${answer.events} events in ${answer.streams} chains, ${perCall} a call: ${calls} calls`);

    const run = (await db.doc(`audit_verifications/${answer.run_id}`).get()).data()!;
    expect(run).to.include({ started_by: auditor.uid, status: "complete", calls, events: answer.events, problems_count: 0 });
    // A complete run answers as it stands, walking nothing.
    const again = await callFunction<Verification>("verifyAuditLog", { run_id: answer.run_id }, auditor);
    expect(again.result).to.deep.include({ complete: true, ok: true, events: answer.events });
    expect((await db.doc(`audit_verifications/${answer.run_id}`).get()).get("calls")).to.equal(calls);

    const other = await callFunction("verifyAuditLog", { run_id: answer.run_id }, { uid: uniqueId("auditor"), role: "auditor" });
    expect(other.error!.status).to.equal("PERMISSION_DENIED");
    expect(other.error!.message).to.match(/started by another user/);
    const unknown = await callFunction("verifyAuditLog", { run_id: "no-such-run" }, auditor);
    expect(unknown.error!.status).to.equal("NOT_FOUND");
    const zero = await callFunction("verifyAuditLog", { max_events: 0 }, auditor);
    expect(zero.error!.status).to.equal("INVALID_ARGUMENT");
  });

  it("names an event appended beyond its chain's head, a head whose events are gone, and a head that counts nothing", async () => {
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    const beyond = uniqueId("zz-verify-beyond");
    const gone = uniqueId("zz-verify-gone");
    const uncounted = uniqueId("zz-verify-uncounted");
    const planted = [...(await plantChain(beyond, 3, 2)), ...(await plantChain(gone, 0, 2)), ...(await plantChain(uncounted, 2, 2))];
    await adminDb().doc(`audit_chains/${uncounted}`).update({ seq: "two" });
    try {
      const logged = (await adminDb().collection("audit_log").count().get()).data().count;
      const { answer, calls } = await verifyWhole(auditor, Math.ceil(logged / 4) + 1);
      expect(calls).to.be.greaterThan(1);
      expect(answer.ok).to.equal(false);
      const byStream = new Map(answer.problems.map((p) => [p.stream, p]));
      expect(byStream.get(beyond)).to.deep.include({ kind: "inserted", seq: 3 });
      expect(byStream.get(beyond)!.message).to.match(/beyond its head/);
      expect(byStream.get(gone)).to.deep.include({ kind: "missing", seq: 1 });
      expect(byStream.get(uncounted)).to.deep.include({ kind: "head_mismatch", seq: 2 });
      expect(byStream.get(uncounted)!.message).to.match(/holds no sequence number \(seq: "two"\)/);
      expect(answer.problems_count).to.equal(answer.problems.length);
      expect(answer.problems).to.have.length(3);
    } finally {
      await Promise.all([
        ...planted.map((id) => adminDb().doc(`audit_log/${id}`).delete()),
        adminDb().doc(`audit_chains/${beyond}`).delete(),
        adminDb().doc(`audit_chains/${gone}`).delete(),
        adminDb().doc(`audit_chains/${uncounted}`).delete(),
      ]);
    }
  });

  it("names what no hash can be taken of, a stream that names no document and a repeated sequence number, and still walks to the end", async () => {
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    const db = adminDb();
    const timeless = uniqueId("zz-verify-timeless");
    const twice = uniqueId("zz-verify-twice");
    const planted = [...(await plantChain(timeless, 2, 2)), ...(await plantChain(twice, 2, 2))];
    // An event's time edited into text, a stream edited into a path, a genuine event's sequence number taken by another.
    await db.doc(`audit_log/${timeless}_2`).update({ at: "yesterday" });
    const strayId = uniqueId("zz-verify-stray");
    await db.doc(`audit_log/${strayId}`).create({ ...(await db.doc(`audit_log/${twice}_1`).get()).data(), stream: "a/b" });
    const copyId = `${twice}_1b`;
    await db.doc(`audit_log/${copyId}`).create((await db.doc(`audit_log/${twice}_1`).get()).data()!);
    try {
      const { answer } = await verifyWhole(auditor);
      const byStream = new Map(answer.problems.map((p) => [p.stream, p]));
      expect(byStream.get(timeless)).to.deep.include({ kind: "edited", seq: 2, event_id: `${timeless}_2` });
      // Its stream is not the one its hash was taken with: edited, and the walk goes on past a stream it cannot bound a query by.
      expect(byStream.get("a/b")).to.deep.include({ kind: "edited", event_id: strayId });
      expect(byStream.get(twice)).to.deep.include({ kind: "inserted", seq: 1 });
      expect(byStream.get(twice)!.message).to.contain(`repeats sequence number 1 of event`);
      expect([`${twice}_1`, copyId].every((id) => byStream.get(twice)!.message.includes(id))).to.equal(true);
      expect(answer.problems).to.have.length(3);
      // Walked one event a segment, its state through JSON between them: every stream, "a/b" too, is once where a segment stops.
      let state = START_OF_LOG;
      const found: string[] = [];
      for (let complete = false, segments = 0; !complete; segments += 1) {
        if (segments > 10_000) throw new Error("the walk never completed");
        const segment = await walkAuditLogSegment(db, JSON.parse(JSON.stringify(state)) as typeof state, 1);
        found.push(...segment.problems.map((p) => `${p.stream} ${p.kind} ${p.seq}`));
        ({ state, complete } = segment);
      }
      expect(found.sort()).to.deep.equal(answer.problems.map((p) => `${p.stream} ${p.kind} ${p.seq}`).sort());
    } finally {
      await Promise.all([...planted, strayId, copyId].map((id) => db.doc(`audit_log/${id}`).delete()));
      await Promise.all([timeless, twice].map((stream) => db.doc(`audit_chains/${stream}`).delete()));
    }
  });

  it("walks no further a run left unfinished for more than a day", async () => {
    const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
    const first = await callFunction<Verification>("verifyAuditLog", { max_events: 1 }, auditor);
    expect(first.result!.complete).to.equal(false);
    await adminDb()
      .doc(`audit_verifications/${first.result!.run_id}`)
      .update({ started_at: Timestamp.fromMillis(Date.now() - 25 * 60 * 60 * 1000) });
    const stale = await callFunction("verifyAuditLog", { run_id: first.result!.run_id }, auditor);
    expect(stale.error!.status).to.equal("FAILED_PRECONDITION");
    expect(stale.error!.message).to.match(/more than a day ago and never finished; start a new one/);
  });
});
