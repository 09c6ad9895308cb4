/**
 * What an agent's health records of a run: a callable's refusal of a bad request is the agent
 * doing its job, a thrown bug or an outage is a failure (shared/agent-status.ts, shared/callable.ts).
 */
import { expect } from "chai";
import { HttpsError } from "firebase-functions/v2/https";
import type { Firestore } from "firebase-admin/firestore";
import { countingFailures, withAgentStatus } from "../../src/shared/agent-status";
import { isServerFault } from "../../src/shared/callable";

/** A Firestore stand-in that keeps what each document was set to (merged), increments added up. */
function recordingDb(): { db: Firestore; writes: Map<string, Record<string, unknown>> } {
  const writes = new Map<string, Record<string, unknown>>();
  const db = {
    doc: (path: string) => ({
      set: async (data: Record<string, unknown>) => {
        const before = writes.get(path) ?? {};
        const merged = { ...before };
        for (const [k, v] of Object.entries(data)) {
          const by = (v as { operand?: number })?.operand;
          merged[k] = by === undefined ? v : Number(before[k] ?? 0) + by;
        }
        writes.set(path, merged);
      },
    }),
  } as unknown as Firestore;
  return { db, writes };
}

/** The agent's counts summed over the shards its runs were counted in. */
const countsOf = (writes: Map<string, Record<string, unknown>>, agent: string) => {
  const totals = { runs: 0, failures: 0 };
  for (const [path, data] of writes) {
    if (!path.startsWith(`agent_status/${agent}/shards/`)) continue;
    totals.runs += Number(data.runs ?? 0);
    totals.failures += Number(data.failures ?? 0);
  }
  return totals;
};

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
    expect(countsOf(writes, "admin")).to.deep.equal({ runs: 1, failures: 0 });
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
    expect(countsOf(writes, "accountant")).to.deep.equal({ runs: 1, failures: 1 });
    expect(writes.get("agent_status/accountant")).to.deep.include({ last_outcome: "error", last_error: "x is undefined" });
  });

  it("counts a run as it begins, before its work has answered", async () => {
    const { db, writes } = recordingDb();
    let release = () => {};
    const answered = withAgentStatus(db, "accountant", clock, () => new Promise<string>((resolve) => (release = () => resolve("done"))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(countsOf(writes, "accountant")).to.deep.equal({ runs: 1, failures: 0 });
    expect(writes.has("agent_status/accountant")).to.equal(false);
    release();
    expect(await answered).to.equal("done");
    expect(countsOf(writes, "accountant")).to.deep.equal({ runs: 1, failures: 0 });
    expect(writes.get("agent_status/accountant")).to.deep.include({ last_outcome: "ok" });
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

  it("counts work before a run (a trigger's lease) only when it fails, as a run and a failure, and rethrows", async () => {
    const { db, writes } = recordingDb();
    // A time of its own: the summary's write is throttled per agent and outcome across the process.
    const clock = { now: () => new Date("2026-11-30T13:00:00Z") };
    expect(await countingFailures(db, "communicator", clock, async () => "held")).to.equal("held");
    expect(countsOf(writes, "communicator")).to.deep.equal({ runs: 0, failures: 0 });
    const outage = new Error("14 UNAVAILABLE: the lease could not be taken");
    const thrown = await countingFailures(db, "communicator", clock, async () => Promise.reject(outage)).catch((e: unknown) => e);
    expect(thrown).to.equal(outage);
    expect(countsOf(writes, "communicator")).to.deep.equal({ runs: 1, failures: 1 });
    expect(writes.get("agent_status/communicator")).to.deep.include({ last_outcome: "error", last_error: outage.message });
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
