import { expect } from "chai";
import { verificationText, verifyWholeLog } from "../../../web/src/domain/audit-log-verification";
import type { AuditLogReport } from "../../../web/src/data/types";

const report = (over: Partial<AuditLogReport>): AuditLogReport => ({
  run_id: "run-1",
  complete: false,
  ok: false,
  streams: 0,
  events: 0,
  problems: [],
  problems_count: 0,
  started_at: "2026-12-05T21:00:00.000Z",
  finished_at: null,
  ...over,
});
const counted = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
const limited = (wait: number) =>
  Object.assign(new Error("Too many"), { code: "functions/resource-exhausted", details: { retry_after_seconds: wait } });

describe("web: verifying the audit log a segment per call", () => {
  it("goes on with the run the first call started until it is complete, telling each step", async () => {
    const asked: Array<{ run_id?: string }> = [];
    const answers = [
      report({ events: 20_000, streams: 3 }),
      report({ events: 40_000, streams: 7 }),
      report({ events: 45_210, streams: 12, complete: true, ok: true }),
    ];
    const heard: Array<number | undefined> = [];
    const whole = await verifyWholeLog(
      async (input) => {
        asked.push(input);
        return answers[asked.length - 1]!;
      },
      (sofar) => heard.push(sofar?.events),
    );
    expect(asked).to.deep.equal([{}, { run_id: "run-1" }, { run_id: "run-1" }]);
    expect(heard).to.deep.equal([20_000, 40_000]);
    expect(whole.events).to.equal(45_210);
  });

  it("waits out the limit of calls a minute as the refusal says, and gives up after ten waits", async () => {
    const slept: number[] = [];
    let calls = 0;
    const whole = await verifyWholeLog(
      async () => {
        calls += 1;
        if (calls === 2) throw limited(17);
        return report({ events: calls * 10, complete: calls === 3, ok: calls === 3 });
      },
      () => undefined,
      async (ms) => void slept.push(ms),
    );
    expect(slept).to.deep.equal([17_000]);
    expect(whole).to.deep.include({ complete: true, events: 30 });

    let waits = 0;
    const never = verifyWholeLog(
      async () => {
        throw limited(1);
      },
      () => undefined,
      async () => void (waits += 1),
    );
    await never.then(
      () => expect.fail("it should give up"),
      (error: Error) => expect(error.message).to.equal("Too many"),
    );
    expect(waits).to.equal(10);
    // Ten refusals in a row, not in all: a long log's walk waits out the limit again after each call that went through.
    let turn = 0;
    let slow = 0;
    const long = await verifyWholeLog(
      async () => {
        turn += 1;
        if (turn % 2 === 1) throw limited(1);
        return report({ events: turn, complete: turn === 30 });
      },
      () => undefined,
      async () => void (slow += 1),
    );
    expect(long.complete).to.equal(true);
    expect(slow).to.equal(15);
    const other = verifyWholeLog(
      async () => {
        throw Object.assign(new Error("denied"), { code: "functions/permission-denied" });
      },
      () => undefined,
      async () => expect.fail("a refusal other than the limit is not waited out"),
    );
    await other.then(
      () => expect.fail("it should throw"),
      (error: Error) => expect(error.message).to.equal("denied"),
    );
  });

  it("calls the log intact only once the walk is complete, and says how many breaks it lists", () => {
    expect(verificationText(report({ events: 20_000, streams: 4 }), counted)).to.equal(
      "Verifying… 20,000 events in 4 chains walked so far.",
    );
    expect(verificationText(report({ events: 45_210, streams: 12, complete: true, ok: true }), counted)).to.equal(
      "Intact: 45,210 events in 12 chains, every hash links.",
    );
    const problem = { kind: "edited", stream: "s", seq: 3, message: "m" };
    expect(verificationText(report({ events: 9, streams: 2, complete: true, problems: [problem], problems_count: 1 }), counted)).to.equal(
      "1 broken chain in 2 chains (9 events).",
    );
    expect(
      verificationText(
        report({ events: 9, streams: 200, complete: true, problems: Array(100).fill(problem), problems_count: 150 }),
        counted,
      ),
    ).to.equal("150 broken chains (the first 100 listed) in 200 chains (9 events).");
  });
});
