/**
 * A live query the server never answers is asked again (web/src/data/relisten.ts): the review
 * queue once stayed at "Loading…" for good while the lists beside it loaded.
 */
import { expect } from "chai";
import { listenUntilAnswered, MAX_BACKOFF } from "../../../web/src/data/relisten";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !done(); await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`not within 5 s: ${what}`);
  }
}

/** A fake listener source: listener n answers after `answerAfterMs[n]` ms (never when undefined). */
function fakeListeners(answerAfterMs: Array<number | undefined>) {
  const log: string[] = [];
  const startedAt: number[] = [];
  let started = 0;
  const subscribe = (answered: () => void) => {
    const n = started++;
    log.push(`start ${n}`);
    startedAt.push(performance.now());
    const delay = answerAfterMs[n];
    const timer = delay === undefined ? undefined : setTimeout(() => (log.push(`answer ${n}`), answered()), delay);
    return () => {
      clearTimeout(timer);
      log.push(`stop ${n}`);
    };
  };
  return { log, subscribe, started: () => started, startedAt };
}

describe("web live queries: a listener the server never answers", () => {
  it("is stopped and replaced until one answers, and the one that answered is kept", async () => {
    const source = fakeListeners([undefined, undefined, 5]);
    const stop = listenUntilAnswered(source.subscribe, 30);
    await until("the third listener answers", () => source.log.includes("answer 2"));
    await sleep(100);
    expect(source.log).to.deep.equal(["start 0", "stop 0", "start 1", "stop 1", "start 2", "answer 2"]);
    stop();
    expect(source.log.at(-1)).to.equal("stop 2");
    await sleep(100);
    expect(source.started()).to.equal(3);
  });

  it("waits twice as long before each new listener, up to MAX_BACKOFF times the first wait", async () => {
    const source = fakeListeners(Array.from({ length: 6 }, () => undefined));
    const stop = listenUntilAnswered(source.subscribe, 50);
    await until("the sixth listener starts", () => source.started() === 6);
    stop();
    const waits = source.startedAt.slice(1).map((t, i) => t - source.startedAt[i]);
    // Timers never fire early (a millisecond of rounding aside); under load they may fire late.
    [50, 100, 200, 400, 400].forEach((least, i) => expect(waits[i], `wait ${i + 1}`).to.be.at.least(least - 1));
    // Capped: without the cap the fifth wait would be 800 ms.
    expect(50 * MAX_BACKOFF).to.equal(400);
    expect(waits[4], "the fifth wait, capped").to.be.below(800);
  });

  it("keeps a listener that answers in time, and starts nothing after it is stopped", async () => {
    const answering = fakeListeners([5]);
    const stopAnswering = listenUntilAnswered(answering.subscribe, 30);
    await until("the listener answers", () => answering.log.includes("answer 0"));
    await sleep(100);
    expect(answering.log).to.deep.equal(["start 0", "answer 0"]);
    stopAnswering();

    const silent = fakeListeners([undefined, undefined]);
    const stopSilent = listenUntilAnswered(silent.subscribe, 30);
    stopSilent();
    await sleep(100);
    expect(silent.log).to.deep.equal(["start 0", "stop 0"]);
  });
});
