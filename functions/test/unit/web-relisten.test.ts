/**
 * A live query the server never answers is asked again (web/src/data/relisten.ts): the review
 * queue once stayed at "Loading…" for good while the lists beside it loaded.
 */
import { expect } from "chai";
import { listenUntilAnswered } from "../../../web/src/data/relisten";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !done(); await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`not within 5 s: ${what}`);
  }
}

/** A fake listener source: listener n answers after `answerAfterMs[n]` ms (never when undefined). */
function fakeListeners(answerAfterMs: Array<number | undefined>) {
  const log: string[] = [];
  let started = 0;
  const subscribe = (answered: () => void) => {
    const n = started++;
    log.push(`start ${n}`);
    const delay = answerAfterMs[n];
    const timer = delay === undefined ? undefined : setTimeout(() => (log.push(`answer ${n}`), answered()), delay);
    return () => {
      clearTimeout(timer);
      log.push(`stop ${n}`);
    };
  };
  return { log, subscribe, started: () => started };
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
