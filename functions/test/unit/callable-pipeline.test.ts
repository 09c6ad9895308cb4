/**
 * The one pipeline every callable runs (shared/callable.ts): its order, and what a caller is
 * told when something unexpected fails.
 */
import { expect } from "chai";
import { HttpsError } from "firebase-functions/v2/https";
import { Timestamp } from "firebase-admin/firestore";
import { z } from "zod";
import type { AgentDeps } from "../../src/shared/agent-deps";
import { defineCallable, runCallable } from "../../src/shared/callable";

/** Versions never repeat across the stand-ins, as a document's update times do not: an instance's remembered version of another test's log never matches. */
let version = 0;

/**
 * A Firestore stand-in holding the rate-limit logs (`stored`, by path) that records each write of
 * one (`counted`, then `onCount`), with the versions and preconditions the limiter writes against,
 * and an Auth stand-in whose user holds the claims the test's token claims (the current-role check passes).
 */
function depsRecording(
  counted: string[],
  currentRole = "jv_coordinator",
  { stored = {}, onCount }: { stored?: Record<string, number[]>; onCount?: () => void } = {},
): AgentDeps {
  const auth = { getUser: async (uid: string) => ({ uid, disabled: false, customClaims: { role: currentRole } }) };
  const docs = new Map<string, { data: Record<string, unknown>; version: number }>(
    Object.entries(stored).map(([path, admitted]) => [path, { data: { admitted_ms: admitted }, version: ++version }]),
  );
  const snapOf = (path: string) => {
    const doc = docs.get(path);
    return { exists: doc !== undefined, get: (field: string) => doc?.data[field], updateTime: doc && Timestamp.fromMillis(doc.version) };
  };
  const write = (path: string, data: Record<string, unknown>) => {
    docs.set(path, { data, version: ++version });
    counted.push(path);
    onCount?.();
    return { writeTime: Timestamp.fromMillis(version) };
  };
  const db = {
    doc: (path: string) => ({
      path,
      get: async () => snapOf(path),
      create: async (data: Record<string, unknown>) => {
        if (docs.has(path)) throw Object.assign(new Error("6 ALREADY_EXISTS"), { code: 6 });
        return write(path, data);
      },
      update: async (data: Record<string, unknown>, precondition?: { lastUpdateTime?: Timestamp }) => {
        const doc = docs.get(path);
        if (!doc) throw Object.assign(new Error("5 NOT_FOUND"), { code: 5 });
        if (precondition?.lastUpdateTime && precondition.lastUpdateTime.toMillis() !== doc.version) {
          throw Object.assign(new Error("9 FAILED_PRECONDITION"), { code: 9 });
        }
        return write(path, { ...doc.data, ...data });
      },
    }),
    runTransaction: async (work: (tx: unknown) => Promise<unknown>) =>
      work({
        get: async (ref: { path: string }) => snapOf(ref.path),
        set: (ref: { path: string }, data: Record<string, unknown>) => write(ref.path, data),
      }),
  };
  return {
    db,
    auth,
    clock: { now: () => new Date("2026-11-01T00:00:00Z") },
    rateLimit: { maxCalls: 5, windowMs: 60_000 },
  } as unknown as AgentDeps;
}

const request = (role: string | undefined, data: unknown) => ({
  auth: role === undefined ? undefined : ({ uid: "u1", token: { role } } as never),
  data,
});

async function refusal(call: Promise<unknown>): Promise<HttpsError> {
  try {
    await call;
  } catch (error) {
    expect(error).to.be.instanceOf(HttpsError);
    return error as HttpsError;
  }
  throw new Error("expected a refusal");
}

describe("callable pipeline", () => {
  const handled: unknown[] = [];
  const echo = defineCallable(
    {
      name: "echo",
      roles: ["jv_coordinator"],
      input: z.object({ receipt_id: z.string().min(1) }).strict(),
      rateLimit: true,
      action: "echoes",
    },
    async (_deps, input, caller) => {
      handled.push(input);
      return { ...input, by: caller.uid };
    },
  );

  it("refuses an unauthenticated call before counting it", async () => {
    const counted: string[] = [];
    const error = await refusal(runCallable(echo, depsRecording(counted), request(undefined, { receipt_id: "r" })));
    expect(error.code).to.equal("unauthenticated");
    expect(counted).to.deep.equal([]);
  });

  it("refuses a token whose role is outside the list, naming the roles it needs, before counting it", async () => {
    const counted: string[] = [];
    const error = await refusal(runCallable(echo, depsRecording(counted, "auditor"), request("auditor", { receipt_id: "r" })));
    expect(error.code).to.equal("permission-denied");
    expect(error.message).to.equal("The auditor role may not do this; it needs one of: JV coordinator.");
    expect(counted).to.deep.equal([]);
  });

  it("counts an invalid payload against the rate limit before refusing it with every issue", async () => {
    const counted: string[] = [];
    const error = await refusal(runCallable(echo, depsRecording(counted), request("jv_coordinator", { receipt_id: "", extra: 1 })));
    expect(counted).to.deep.equal(["rate_limits/u1_echo"]);
    expect(error.code).to.equal("invalid-argument");
    const issues = (error.details as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(issues).to.deep.equal(["", "receipt_id"]);
  });

  it("refuses text Firestore cannot store (a lone surrogate, in a value or a key) as invalid-argument, naming where", async () => {
    const counted: string[] = [];
    const inValue = await refusal(runCallable(echo, depsRecording(counted), request("jv_coordinator", { receipt_id: "r\ud800" })));
    expect([inValue.code, inValue.message]).to.deep.equal([
      "invalid-argument",
      "Invalid request: receipt_id: must be well-formed Unicode (no lone surrogate)",
    ]);
    const nested = await refusal(
      runCallable(echo, depsRecording(counted), request("jv_coordinator", { receipt_id: "r", deep: [{ ["k\udc00"]: 1 }] })),
    );
    expect((nested.details as { issues: { path: string; code: string }[] }).issues).to.deep.equal([
      { path: "deep.0.k?", code: "malformed_text", message: "must be well-formed Unicode (no lone surrogate)" },
    ]);
    const fine = await runCallable(echo, depsRecording(counted), request("jv_coordinator", { receipt_id: "r \u{1F6E2}" }));
    expect(fine).to.deep.include({ receipt_id: "r \u{1F6E2}" });
  });

  it("counts a call whose role changed since its token, and refuses it as stale once counted", async () => {
    const counted: string[] = [];
    const error = await refusal(runCallable(echo, depsRecording(counted, "auditor"), request("jv_coordinator", { receipt_id: "r" })));
    expect(counted).to.deep.equal(["rate_limits/u1_echo"]);
    expect(error.code).to.equal("unauthenticated");
    expect(error.message).to.match(/^Your role changed since you signed in \(now auditor\)/);
  });

  it("answers a call over the rate limit with resource-exhausted, whatever its current role", async () => {
    const admitted = Array.from({ length: 5 }, (_, i) => Date.parse("2026-11-01T00:00:00Z") - 1_000 * (i + 1));
    const full = depsRecording([], "auditor", { stored: { "rate_limits/u1_echo": admitted } });
    const error = await refusal(runCallable(echo, full, request("jv_coordinator", { receipt_id: "r" })));
    expect(error.code).to.equal("resource-exhausted");
    // What the user did too often, in words, not the function's name.
    expect(error.message).to.match(/^Too many echoes in a short time: at most 5 in any 60 s\. Try again in \d+ s\.$/);
    expect(handled).to.not.deep.include({ receipt_id: "r" });
  });

  it("hands the handler the parsed input and the caller", async () => {
    const counted: string[] = [];
    const result = await runCallable(echo, depsRecording(counted), request("jv_coordinator", { receipt_id: "r1" }));
    expect(result).to.deep.equal({ receipt_id: "r1", by: "u1" });
    expect(counted).to.deep.equal(["rate_limits/u1_echo"]);
  });

  describe("prefetch", () => {
    /** A callable whose prefetch logs when it begins and ends, and whose rate-limit count logs when it answers. */
    function prefetching(events: string[]) {
      const definition = defineCallable(
        {
          name: "prefetching",
          roles: ["jv_coordinator"],
          input: z.object({ receipt_id: z.string().min(1) }).strict(),
          rateLimit: true,
          action: "prefetches",
          prefetch: async (_deps, input) => {
            events.push(`prefetch ${input.receipt_id} begun`);
            await new Promise((resolve) => setTimeout(resolve, 20));
            events.push(`prefetch ${input.receipt_id} done`);
            return { receipt: input.receipt_id };
          },
        },
        async (_deps, input, caller, prefetched) => {
          events.push("handler");
          return { read: prefetched ? await prefetched : null, by: caller.uid, input };
        },
      );
      const deps = depsRecording([], "jv_coordinator", { onCount: () => events.push("counted") });
      return { definition, deps };
    }

    it("begins the reads beside the rate-limit count and hands them to the handler", async () => {
      const events: string[] = [];
      const { definition, deps } = prefetching(events);
      const result = await runCallable(definition, deps, request("jv_coordinator", { receipt_id: "r1" }));
      expect(result).to.deep.equal({ read: { receipt: "r1" }, by: "u1", input: { receipt_id: "r1" } });
      expect(events.indexOf("prefetch r1 begun")).to.be.below(events.indexOf("counted"));
      expect(events.at(-1)).to.equal("prefetch r1 done");
      expect(events).to.include("handler");
    });

    it("reads nothing for a payload the pipeline will refuse", async () => {
      const events: string[] = [];
      const { definition, deps } = prefetching(events);
      const error = await refusal(runCallable(definition, deps, request("jv_coordinator", { receipt_id: "" })));
      expect(error.code).to.equal("invalid-argument");
      expect(events).to.deep.equal(["counted"]);
    });

    it("answers a refused call only once the reads it began have ended, and drops them", async () => {
      const events: string[] = [];
      const { definition, deps } = prefetching(events);
      const stale = { ...deps, auth: { getUser: async (uid: string) => ({ uid, disabled: false, customClaims: { role: "auditor" } }) } };
      const error = await refusal(runCallable(definition, stale as unknown as AgentDeps, request("jv_coordinator", { receipt_id: "r2" })));
      expect(error.code).to.equal("unauthenticated");
      expect(events).to.include("prefetch r2 done");
      expect(events).to.not.include("handler");
    });
  });

  it("answers an unexpected failure with a correlation id, never its text", async () => {
    const failing = defineCallable({ name: "failing", roles: ["admin"], input: z.object({}).strict(), rateLimit: false }, async () => {
      throw new Error("13 INTERNAL: grpc deadline on projects/demo/databases/(default)/documents/secret_path");
    });
    const error = await refusal(runCallable(failing, depsRecording([], "admin"), request("admin", {})));
    expect(error.code).to.equal("internal");
    expect(error.message).to.not.contain("grpc").and.to.not.contain("secret_path");
    const { correlation_id } = error.details as { correlation_id: string };
    expect(correlation_id).to.match(/^[0-9a-f-]{36}$/);
    expect(error.message).to.contain(correlation_id);
  });

  it("answers a transaction Firestore gave up on for contention with aborted: call again", async () => {
    const busy = defineCallable({ name: "busy", roles: ["admin"], input: z.object({}).strict(), rateLimit: false }, async () => {
      throw Object.assign(new Error("10 ABORTED: Too much contention on these documents. Please try again."), { code: 10 });
    });
    const error = await refusal(runCallable(busy, depsRecording([], "admin"), request("admin", {})));
    expect(error.code).to.equal("aborted");
    expect(error.message).to.match(/^Other requests were changing the same records at the same moment .*call again/);
    expect(error.message).to.not.contain("contention on these documents");
  });

  it("passes a handler's own HttpsError through unchanged", async () => {
    const refusing = defineCallable({ name: "refusing", roles: ["admin"], input: z.object({}).strict(), rateLimit: false }, async () => {
      throw new HttpsError("failed-precondition", "The period has not ended.");
    });
    const error = await refusal(runCallable(refusing, depsRecording([], "admin"), request("admin", {})));
    expect([error.code, error.message]).to.deep.equal(["failed-precondition", "The period has not ended."]);
  });
});
