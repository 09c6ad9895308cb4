/**
 * What an agent's health records of a run: a callable's refusal of a bad request is the agent
 * doing its job, a thrown bug or an outage is a failure (shared/agent-status.ts, shared/callable.ts).
 */
import { expect } from "chai";
import { HttpsError } from "firebase-functions/v2/https";
import type { Firestore } from "firebase-admin/firestore";
import { withAgentStatus } from "../../src/shared/agent-status";
import { isServerFault } from "../../src/shared/callable";

/** A Firestore stand-in that keeps what each document was set to (merged), increments as their amounts. */
function recordingDb(): { db: Firestore; writes: Map<string, Record<string, unknown>> } {
  const writes = new Map<string, Record<string, unknown>>();
  const db = {
    doc: (path: string) => ({
      set: async (data: Record<string, unknown>) => {
        const plain = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, (v as { operand?: number })?.operand ?? v] as const));
        writes.set(path, { ...(writes.get(path) ?? {}), ...plain });
      },
    }),
  } as unknown as Firestore;
  return { db, writes };
}

const shardOf = (writes: Map<string, Record<string, unknown>>, agent: string) =>
  [...writes.entries()].find(([path]) => path.startsWith(`agent_status/${agent}/shards/`))?.[1];

describe("agent health: what counts as a failure", () => {
  const clock = { now: () => new Date("2026-11-30T12:00:00Z") };

  it("counts a callable's refusal as a run that went well, with no last error", async () => {
    const { db, writes } = recordingDb();
    const refusal = new HttpsError("failed-precondition", "expires_at is not in the future.");
    let thrown: unknown;
    try {
      await withAgentStatus(db, "admin", clock, async () => Promise.reject(refusal), isServerFault);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.equal(refusal);
    expect(shardOf(writes, "admin")).to.deep.include({ runs: 1, failures: 0 });
    expect(writes.get("agent_status/admin")).to.deep.include({ last_outcome: "ok" });
    expect(writes.get("agent_status/admin")).to.not.have.property("last_error");
  });

  it("counts a bug or an outage as a failure and keeps its message", async () => {
    const { db, writes } = recordingDb();
    try {
      await withAgentStatus(db, "accountant", clock, async () => Promise.reject(new TypeError("x is undefined")), isServerFault);
    } catch {
      // rethrown, as asserted above
    }
    expect(shardOf(writes, "accountant")).to.deep.include({ runs: 1, failures: 1 });
    expect(writes.get("agent_status/accountant")).to.deep.include({ last_outcome: "error", last_error: "x is undefined" });
  });

  it("returns the work's result when its record cannot be written (a new API key is not lost)", async () => {
    const failing = {
      doc: () => ({
        set: async () => Promise.reject(new Error("14 UNAVAILABLE: the write did not reach Firestore")),
      }),
    } as unknown as Firestore;
    const result = await withAgentStatus(failing, "admin", clock, async () => ({ key_id: "key_1", key: "fsgk_secret" }), isServerFault);
    expect(result).to.deep.equal({ key_id: "key_1", key: "fsgk_secret" });
  });

  it("tells the server's faults from refusals by code", () => {
    for (const code of ["internal", "unavailable", "deadline-exceeded", "aborted", "data-loss", "unknown"] as const) {
      expect(isServerFault(new HttpsError(code, "x")), code).to.equal(true);
    }
    for (const code of ["invalid-argument", "failed-precondition", "not-found", "permission-denied", "already-exists"] as const) {
      expect(isServerFault(new HttpsError(code, "x")), code).to.equal(false);
    }
    expect(isServerFault(new Error("plain"))).to.equal(true);
  });
});
