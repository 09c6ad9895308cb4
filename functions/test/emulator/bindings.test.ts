/**
 * The event graph as deployed: firebase-functions-test's wrap() runs each export of
 * src/index.ts in-process (Firestore and Auth are the emulators) to prove it is wired to the
 * right handler, and each endpoint's manifest states its document path, event and retry.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import functionsTest from "firebase-functions-test";
import { type CloudEvent, type CloudFunction } from "firebase-functions/v2";
import { type CallableFunction, type CallableRequest } from "firebase-functions/v2/https";
import * as graph from "../../src/index";
import { REGION } from "../../src/shared/config";
import { adminDb, ensureAuthUser, PROJECT_ID } from "../support/emulator";

// In-process, params are read from the environment, as the Functions emulator fills it from .env.
for (const line of readFileSync(join(__dirname, "../../.env"), "utf8").split("\n")) {
  const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
  if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
}
const ffTest = functionsTest({ projectId: PROJECT_ID });

interface Endpoint {
  region?: string[];
  timeoutSeconds?: number;
  availableMemoryMb?: number;
  callableTrigger?: object;
  httpsTrigger?: object;
  maxInstances?: number;
  eventTrigger?: { eventType: string; eventFilterPathPatterns?: Record<string, string>; retry?: boolean };
  secretEnvironmentVariables?: { key: string }[];
}
const wrapCallable = (fn: unknown) => ffTest.wrap(fn as CallableFunction<unknown, Promise<unknown>>);
const wrapTrigger = (fn: unknown) => ffTest.wrap(fn as CloudFunction<CloudEvent<unknown>>);
const endpoint = (fn: unknown) => (fn as { __endpoint: Endpoint }).__endpoint;

/** A verified request as onCall hands it over; the caller exists in the Auth emulator with the token's claims. */
async function request(uid: string, role: string | undefined, data: unknown, partnerId?: string): Promise<CallableRequest> {
  await ensureAuthUser({ uid, role, partner_id: partnerId });
  const token: Record<string, unknown> = { uid, sub: uid, auth_time: Math.floor(Date.now() / 1000) };
  if (role) token.role = role;
  if (partnerId) token.partner_id = partnerId;
  return { auth: { uid, token, rawToken: "test" }, data, rawRequest: {}, acceptsStreaming: false } as unknown as CallableRequest;
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected the call to be refused");
}

describe("event graph bindings (firebase-functions-test wrap)", () => {
  after(() => ffTest.cleanup());

  const callables = [
    "reviewEntry",
    "reviewEntries",
    "reconcile",
    "verifyReconciliation",
    "setUserRole",
    "verifyAuditLog",
    "createApiKey",
    "revokeApiKey",
    "exportStatement",
    "decideAdjustment",
    "releaseReconciliation",
    "withdrawReceipt",
    "setJvSettings",
    "setPartner",
    "raiseStatementException",
    "answerStatementException",
    "recordExceptionCorrection",
    "periodCoverage",
  ] as const;
  const requests = ["ingestProduction"] as const;
  // timeout undefined: the platform's default (60 s), not set in the manifest; gemini: holds the Gemini secret.
  const triggers: Record<string, { event: string; document: string; timeout: number | undefined; gemini: boolean }> = {
    auditEntryOnCreate: {
      event: "google.cloud.firestore.document.v1.created",
      document: "production_entries/{entryId}",
      timeout: 120,
      gemini: true,
    },
    auditEntryOnUpdate: {
      event: "google.cloud.firestore.document.v1.updated",
      document: "production_entries/{entryId}",
      timeout: 120,
      gemini: true,
    },
    notifyOnReconciliation: {
      event: "google.cloud.firestore.document.v1.created",
      document: "reconciliations/{reconciliationId}",
      timeout: 300,
      gemini: true,
    },
    notifyOnFlaggedEntry: {
      event: "google.cloud.firestore.document.v1.updated",
      document: "production_entries/{entryId}",
      timeout: 300,
      gemini: true,
    },
    notifyOnReleasedReconciliation: {
      event: "google.cloud.firestore.document.v1.updated",
      document: "reconciliations/{reconciliationId}",
      timeout: 300,
      gemini: true,
    },
    notifyOnStaleReconciliation: {
      event: "google.cloud.firestore.document.v1.written",
      document: "reconciliations/{reconciliationId}",
      timeout: undefined,
      gemini: false,
    },
    notifyOnStatementException: {
      event: "google.cloud.firestore.document.v1.written",
      document: "statement_exceptions/{exceptionId}",
      timeout: undefined,
      gemini: false,
    },
  };

  it("exports exactly the graph's callables and triggers, all in the one region", () => {
    expect(Object.keys(graph).sort()).to.deep.equal([...callables, ...requests, ...Object.keys(triggers)].sort());
    for (const fn of Object.values(graph)) expect(endpoint(fn).region).to.deep.equal([REGION]);
  });

  it("binds every callable as a callable, reconcile with its larger timeout and memory", () => {
    for (const name of callables) expect(endpoint(graph[name]).callableTrigger, name).to.be.an("object");
    expect(endpoint(graph.reconcile).timeoutSeconds).to.equal(540);
    expect(endpoint(graph.reconcile).availableMemoryMb).to.equal(2048);
    expect(endpoint(graph.verifyReconciliation).timeoutSeconds).to.equal(300);
  });

  it("binds the gateway endpoint as a plain HTTPS function with bounded instances", () => {
    const e = endpoint(graph.ingestProduction);
    expect(e.httpsTrigger).to.be.an("object");
    expect(e.callableTrigger).to.equal(undefined);
    expect(e.maxInstances).to.be.a("number").and.to.be.at.most(20);
  });

  it("binds every trigger to its document and event, retried, with the Gemini secret where it asks Gemini", () => {
    for (const [name, expected] of Object.entries(triggers)) {
      const e = endpoint(graph[name as keyof typeof graph]);
      expect(e.eventTrigger?.eventType, name).to.equal(expected.event);
      expect(e.eventTrigger?.eventFilterPathPatterns?.document, name).to.equal(expected.document);
      expect(e.eventTrigger?.retry, `${name} retries transient failures`).to.equal(true);
      if (expected.timeout === undefined) expect(e.timeoutSeconds, name).to.not.be.a("number");
      else expect(e.timeoutSeconds, name).to.equal(expected.timeout);
      expect(e.secretEnvironmentVariables?.map((s) => s.key) ?? [], name).to.deep.equal(expected.gemini ? ["GEMINI_API_KEY"] : []);
    }
  });

  it("runs each callable's role check first: a field operator is refused by name", async () => {
    for (const name of [
      "reviewEntry",
      "reviewEntries",
      "reconcile",
      "setUserRole",
      "verifyAuditLog",
      "createApiKey",
      "revokeApiKey",
      "exportStatement",
      "decideAdjustment",
      "releaseReconciliation",
      "withdrawReceipt",
      "setJvSettings",
      "setPartner",
      "raiseStatementException",
      "answerStatementException",
      "recordExceptionCorrection",
      "periodCoverage",
    ] as const) {
      const error = await refusal(wrapCallable(graph[name])(await request("bind-op", "field_operator", {}, "bind-partner")));
      expect(error.code, name).to.equal("permission-denied");
      expect(error.message, name).to.contain("The field operator role may not do this");
    }
  });

  it("wires reviewEntry, reviewEntries, reconcile and verifyReconciliation to their handlers", async () => {
    const coordinator = (data: unknown) => request("bind-coord", "jv_coordinator", data);
    const review = await refusal(wrapCallable(graph.reviewEntry)(await coordinator({ entry_id: "bind-missing", decision: "rejected" })));
    expect(review).to.include({ code: "not-found", message: "Production entry bind-missing does not exist." });
    const reviews = await wrapCallable(graph.reviewEntries)(
      await coordinator({ entry_ids: ["bind-missing"], decision: "rejected", note: "x" }),
    );
    expect(reviews).to.deep.include({
      results: [
        { entry_id: "bind-missing", status: "refused", code: "not-found", reason: "Production entry bind-missing does not exist." },
      ],
    });
    const reconcile = await refusal(wrapCallable(graph.reconcile)(await coordinator({ terminal_receipt_id: "bind-missing" })));
    expect(reconcile).to.include({ code: "not-found", message: "Terminal receipt bind-missing does not exist." });
    const verify = await refusal(wrapCallable(graph.verifyReconciliation)(await coordinator({ reconciliation_id: "bind-missing_v1" })));
    expect(verify).to.include({ code: "not-found", message: "Reconciliation bind-missing_v1 does not exist." });
  });

  it("wires setUserRole and verifyAuditLog to their handlers", async () => {
    const setRole = await refusal(
      wrapCallable(graph.setUserRole)(await request("bind-admin", "admin", { uid: "bind-nobody", role: "auditor" })),
    );
    expect(setRole).to.include({ code: "not-found", message: "No user bind-nobody exists in Firebase Auth." });
    const chains = (await wrapCallable(graph.verifyAuditLog)(await request("bind-auditor", "auditor", {}))) as {
      ok: unknown;
      problems: unknown;
    };
    expect(chains).to.have.property("problems").that.is.an("array");
    expect(chains.ok).to.be.a("boolean");
  });

  it("wires setPartner to its handler", async () => {
    const missing = await refusal(
      wrapCallable(graph.setPartner)(await request("bind-admin", "admin", { partner_id: "bind-nopartner", active: false })),
    );
    expect(missing).to.include({ code: "not-found", message: 'No partner "bind-nopartner" exists: to add it, give its name.' });
    expect((await adminDb().doc("partners/bind-nopartner").get()).exists).to.equal(false);
  });

  it("wires the auditor's triggers to auditEntry and the communicator's to its notifiers", async () => {
    const deleted = await wrapTrigger(graph.auditEntryOnCreate)({ params: { entryId: "bind-gone" }, data: undefined });
    expect(deleted).to.deep.equal({ status: "skipped", reason: "deleted" });

    const entry = ffTest.firestore.makeDocumentSnapshot({ partner_id: "p1", audit: { status: "validated" } }, "production_entries/bind-e1");
    const unchanged = ffTest.makeChange(entry, entry);
    const flagged = await wrapTrigger(graph.notifyOnFlaggedEntry)({ params: { entryId: "bind-e1" }, data: unchanged });
    expect(flagged).to.deep.equal({ outcome: "skipped", reason: "not a new flag or rejection" });

    const bogus = ffTest.firestore.makeDocumentSnapshot({ status: 42 }, "reconciliations/bind-r_v1");
    const invalid = (await wrapTrigger(graph.notifyOnReconciliation)({ params: { reconciliationId: "bind-r_v1" }, data: bogus })) as {
      outcome: string;
      error: string;
    };
    expect(invalid.outcome).to.equal("invalid");
    expect(invalid.error).to.contain("reconciliations/bind-r_v1 is not a valid reconciliation");
    expect((await adminDb().doc("notifications/bind-r_v1").get()).exists).to.equal(false);
  });
});
