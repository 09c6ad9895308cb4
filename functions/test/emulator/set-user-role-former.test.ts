// setUserRole for a partner that left the JV, through the Functions emulator (as the web app calls
// it): its partner users keep its audit rights, so a new one may be given the JV partner role and,
// signed in through the client SDK, reads and takes exception to its statements of before; no
// other role is given for it, and a deactivated partner gets none. Every refusal writes nothing.
import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { doc, getDoc } from "firebase/firestore";
import { reconciliationData } from "../support/communicator-world";
import { adminAuth, adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { seedPartner } from "../support/production-entries";
import { signInWebClient } from "../support/web-client";

const admin = (): TestUser => ({ uid: uniqueId("admin"), role: "admin" });
const LEFT_ON = "2026-11-05";
const TEXT = "Entry E-0419 of 3 November was measured at 1,840.25 bbl, not excluded: please include it.";

/** A partner that left the JV at the start of 2026-11-05, as setPartner records it. */
async function formerPartner(name: string): Promise<string> {
  const id = await seedPartner({ name });
  await adminDb()
    .doc(`partners/${id}`)
    .update({ active: false, left_jv_on: LEFT_ON, left_at: Timestamp.fromDate(new Date(`${LEFT_ON}T00:00:00Z`)) });
  return id;
}

/** A released version of a fresh receipt for `former` and another partner, of the period 1-8 November (begun before it left). */
async function statementBefore(former: string, beta: string, period?: { start: string; end: string }): Promise<string> {
  const receiptId = uniqueId("RCPT");
  const id = `${receiptId}_v1`;
  await adminDb()
    .doc(`reconciliations/${id}`)
    .set({
      ...reconciliationData(receiptId, { alpha: former, beta }),
      released: true,
      ...(period ? { period_start: Timestamp.fromDate(new Date(period.start)), period_end: Timestamp.fromDate(new Date(period.end)) } : {}),
    });
  return id;
}

async function newAuthUser(): Promise<{ uid: string; email: string }> {
  const uid = uniqueId("user");
  const email = `${uid}@example.test`;
  await adminAuth().createUser({ uid, email, password: "secret-123", displayName: `User ${uid}` });
  return { uid, email };
}

/** Nothing of a refused call: no claims, no users/ or people/ document, no audit event. */
async function expectNothingWritten(uid: string): Promise<void> {
  expect((await adminAuth().getUser(uid)).customClaims ?? {}).to.deep.equal({});
  expect((await adminDb().doc(`users/${uid}`).get()).exists).to.equal(false);
  expect((await adminDb().doc(`people/${uid}`).get()).exists).to.equal(false);
  const events = await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get();
  expect(events.size).to.equal(0);
}

describe("setUserRole for a partner that left the JV", function () {
  this.timeout(180_000);

  it("gives a new user the JV partner role for it; signed in, the user reads and takes exception to a statement of before, nothing after", async () => {
    const former = await formerPartner("Delta Petroleum");
    const beta = await seedPartner({ name: "Beta Oil" });
    const before = await statementBefore(former, beta);
    const after = await statementBefore(former, beta, { start: "2026-11-08T00:00:00Z", end: "2026-11-15T00:00:00Z" });
    const { uid, email } = await newAuthUser();
    const caller = admin();

    const { result, error } = await callFunction("setUserRole", { uid, role: "jv_partner", partner_id: former }, caller);

    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(result).to.deep.equal({ uid, role: "jv_partner", partner_id: former });
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "jv_partner", partner_id: former });
    expect((await adminDb().doc(`users/${uid}`).get()).data()).to.include({
      email,
      role: "jv_partner",
      partner_id: former,
      claims_status: "applied",
      updated_by: caller.uid,
    });
    const events = await adminDb().collection("audit_log").where("subject", "==", `users/${uid}`).get();
    expect(events.docs.map((d) => d.get("details"))).to.deep.equal([
      { role: "jv_partner", partner_id: former, previous_role: null, previous_partner_id: null },
    ]);

    // As the web app signs in: its ID token carries the new role, the rules and callables admit it.
    const client = await signInWebClient(email, "secret-123");
    try {
      expect(client.claims).to.include({ role: "jv_partner", partner_id: former });
      expect((await getDoc(doc(client.db, `reconciliations/${before}`))).get("terminal_receipt_id")).to.equal(before.replace(/_v1$/, ""));
      const later = await getDoc(doc(client.db, `reconciliations/${after}`)).then(
        () => "read",
        (e: { code?: string }) => e.code,
      );
      expect(later).to.equal("permission-denied");
      const raised = await client.call<{ partner_id: string; status: string; reconciliation_id: string }>("raiseStatementException", {
        reconciliation_id: before,
        text: TEXT,
      });
      expect(raised).to.deep.include({ reconciliation_id: before, partner_id: former, status: "open" });
      const stored = await adminDb().collection("statement_exceptions").where("partner_id", "==", former).get();
      expect(stored.docs.map((d) => [d.get("reconciliation_id"), d.get("raised_by")])).to.deep.equal([[before, uid]]);
    } finally {
      await client.close();
    }
  });

  it("refuses it any other role, saying why, and writes nothing", async () => {
    const former = await formerPartner("Delta Petroleum");
    const { uid } = await newAuthUser();

    const { error } = await callFunction("setUserRole", { uid, role: "field_operator", partner_id: former }, admin());

    expect(error?.status).to.equal("INVALID_ARGUMENT");
    expect(error?.message).to.equal(
      `Partner Delta Petroleum left the JV on ${LEFT_ON}, so only its partner users (the JV partner role) may be given a role for it, to read its statements of the periods before: it can no longer have a field operator.`,
    );
    expect((error!.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).to.deep.equal(["role"]);
    await expectNothingWritten(uid);

    // A JV partner of it stays one: moving it to field operator of it is refused too.
    expect((await callFunction("setUserRole", { uid, role: "jv_partner", partner_id: former }, admin())).error).to.equal(undefined);
    const moved = await callFunction("setUserRole", { uid, role: "field_operator", partner_id: former }, admin());
    expect(moved.error?.status).to.equal("INVALID_ARGUMENT");
    expect((await adminAuth().getUser(uid)).customClaims).to.deep.equal({ role: "jv_partner", partner_id: former });
    expect((await adminDb().doc(`users/${uid}`).get()).get("role")).to.equal("jv_partner");
  });

  it("still refuses a deactivated partner, and one whose departure has no left_at, in the words of an inactive partner", async () => {
    const deactivated = await seedPartner({ name: "Dormant Ltd", active: false });
    // A departure day without its start: callable-guard.ts would cut its partner users off, as a deactivated partner's.
    const noStart = await seedPartner({ name: "Halfway Ltd", active: false });
    await adminDb().doc(`partners/${noStart}`).update({ left_jv_on: LEFT_ON });
    const { uid } = await newAuthUser();

    for (const [partner, name] of [
      [deactivated, "Dormant Ltd"],
      [noStart, "Halfway Ltd"],
    ]) {
      for (const role of ["jv_partner", "field_operator"]) {
        const { error } = await callFunction("setUserRole", { uid, role, partner_id: partner }, admin());
        expect(error?.status, `${name} ${role}`).to.equal("INVALID_ARGUMENT");
        expect(error?.message, `${name} ${role}`).to.equal(`Partner ${name} is not active: choose an active partner.`);
      }
    }
    await expectNothingWritten(uid);
  });
});
