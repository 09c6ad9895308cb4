/** How the web app reads names (web/src/data/lookup-state.ts): a failed read is not an absent document, and is tried again on its own. */
import { expect } from "chai";
import { found, Lookups, retryDelay, UNREADABLE, WAKE_GAP_MS, type Clock } from "../../../web/src/data/lookup-state";

/** A clock whose time moves only when the test says, running the timers that fall due. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; run: () => void }> = [];
  const clock: Clock = {
    now: () => now,
    after: (ms, run) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.run();
    await settle();
  };
  return { clock, advance, pending: () => timers.length };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A read that fails while `offline` is true, counting its calls. */
function reader(names: Record<string, string>) {
  const state = { offline: false, calls: 0 };
  const read = (id: string) => {
    if (id.includes("/")) throw new Error("not a document id");
    state.calls += 1;
    return state.offline ? Promise.reject(new Error("offline")) : Promise.resolve(names[id] ?? null);
  };
  return { state, read };
}

describe("web name lookups", () => {
  it("waits 5 s after a failed read, doubling up to 5 min", () => {
    expect([1, 2, 3, 4, 6, 7, 20].map(retryDelay)).to.deep.equal([5_000, 10_000, 20_000, 40_000, 160_000, 300_000, 300_000]);
  });

  it("tells a failed read from an absent document, and reads each id once", async () => {
    const { clock } = fakeClock();
    const { state, read } = reader({ u1: "Priya Raman" });
    const lookups = new Lookups(read, clock);
    expect(lookups.get("u1").value).to.equal(undefined);
    await settle();
    expect(lookups.get("u1").value).to.equal("Priya Raman");
    expect(lookups.get("ghost").value).to.equal(undefined);
    await settle();
    expect(lookups.get("ghost").value).to.equal(null);
    expect(lookups.get("a/b").value).to.equal(null);
    expect(state.calls).to.equal(2);

    state.offline = true;
    const failing = lookups.get("u2");
    await settle();
    expect(failing.value).to.equal(UNREADABLE);
    expect(found(failing.value)).to.equal(undefined);
    expect(found(lookups.get("u1").value)).to.equal("Priya Raman");
  });

  it("tries a failed read again on its own, backing off, until it succeeds", async () => {
    const { clock, advance, pending } = fakeClock();
    const { state, read } = reader({ u1: "Priya Raman" });
    state.offline = true;
    const lookups = new Lookups(read, clock);
    const name = lookups.get("u1");
    await settle();
    expect(name.value).to.equal(UNREADABLE);
    expect(state.calls).to.equal(1);
    await advance(4_999);
    expect(state.calls).to.equal(1);
    await advance(1);
    expect(state.calls).to.equal(2);
    expect(name.value).to.equal(UNREADABLE);
    await advance(9_999);
    expect(state.calls).to.equal(2);
    state.offline = false;
    await advance(1);
    expect(state.calls).to.equal(3);
    expect(name.value).to.equal("Priya Raman");
    expect(pending()).to.equal(0);
  });

  it("tries again at once when the page comes back, but not twice within the gap", async () => {
    const { clock, advance, pending } = fakeClock();
    const { state, read } = reader({ u1: "Priya Raman", u2: "Tomas Eriksen" });
    state.offline = true;
    const lookups = new Lookups(read, clock);
    const first = lookups.get("u1");
    const second = lookups.get("u2");
    await settle();
    expect(state.calls).to.equal(2);
    lookups.wake();
    await settle();
    expect(state.calls, "tried just now: no new read").to.equal(2);
    await advance(WAKE_GAP_MS - 1);
    state.offline = false;
    await advance(1);
    // The 5 s timers fell due at the same moment: each id is read once, not once per timer and wake.
    lookups.wake();
    await settle();
    expect(state.calls).to.equal(4);
    expect([first.value, second.value]).to.deep.equal(["Priya Raman", "Tomas Eriksen"]);
    expect(pending()).to.equal(0);
    lookups.wake();
    await settle();
    expect(state.calls, "nothing failed: nothing read again").to.equal(4);
  });

  it("shows a refusal as it is told, and reads it again on its own and on recheck, until it is allowed", async () => {
    const { clock, advance, pending } = fakeClock();
    const state = { released: false, calls: 0 };
    const refusal = Object.assign(new Error("refused"), { code: "permission-denied" });
    const read = (id: string) => {
      state.calls += 1;
      return state.released ? Promise.resolve(`statement ${id}`) : Promise.reject(refusal);
    };
    const lookups = new Lookups(read, clock, (error) => ((error as { code?: string }).code === "permission-denied" ? null : UNREADABLE));
    const v2 = lookups.get("R1_v2");
    await settle();
    expect(v2.value, "refused: not for this reader").to.equal(null);
    await advance(5_000);
    expect(state.calls, "tried again on the schedule").to.equal(2);
    expect(v2.value).to.equal(null);
    state.released = true;
    lookups.recheck(["R1_v2", "never-read"]);
    await settle();
    expect(state.calls, "read at once, not waiting 10 s").to.equal(3);
    expect(v2.value).to.equal("statement R1_v2");
    expect(pending()).to.equal(0);
    lookups.recheck(["R1_v2"]);
    await settle();
    expect(state.calls, "read already: not read again").to.equal(3);
  });
});
