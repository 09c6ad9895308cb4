import { expect } from "chai";
import {
  auditEventHash,
  endChainWalk,
  GENESIS_HASH,
  startChainWalk,
  stepChainWalk,
  verifyChain,
  type ChainedAuditEvent,
  type ChainHead,
  type ChainWalk,
} from "../../src/domain/audit-chain";
import { sha256Hex } from "../../src/domain/report-hash";

function chain(n: number, stream = "partner_p1"): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const content = {
      seq,
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, seq)),
      stream,
      actor: "auditor",
      action: "entry_audited",
      subject: `production_entries/e${seq}`,
      details: { verdict: seq % 2 ? "validated" : "flagged", codes: [] },
      prev_hash: prev,
    };
    const hash = auditEventHash(content);
    events.push({ ...content, id: `evt-${seq}`, hash });
    prev = hash;
  }
  return events;
}

const headOf = (events: ChainedAuditEvent[]) => ({ seq: events.length, hash: events[events.length - 1]!.hash });

describe("audit log hash chain", () => {
  it("hashes the canonical content including the previous hash", () => {
    const [first] = chain(1);
    const text =
      '{"action":"entry_audited","actor":"auditor","at":"2026-11-01T00:00:01.000Z","details":{"codes":[],"verdict":"validated"},' +
      `"prev_hash":"${GENESIS_HASH}","seq":1,"stream":"partner_p1","subject":"production_entries/e1"}`;
    expect(first!.hash).to.equal(sha256Hex(text));
  });

  it("accepts an intact chain and an empty stream", () => {
    const events = chain(5);
    expect(verifyChain("partner_p1", events, headOf(events))).to.equal(null);
    expect(verifyChain("partner_p1", [], null)).to.equal(null);
  });

  it("finds an edited event", () => {
    const events = chain(5);
    events[2] = { ...events[2]!, details: { verdict: "validated", codes: [], note: "changed" } };
    expect(verifyChain("partner_p1", events, headOf(events))).to.deep.include({ kind: "edited", seq: 3, event_id: "evt-3" });
  });

  it("finds a deleted event in the middle and at the end", () => {
    const events = chain(5);
    const head = headOf(events);
    expect(verifyChain("partner_p1", [...events.slice(0, 2), ...events.slice(3)], head)).to.deep.include({ kind: "missing", seq: 3 });
    expect(verifyChain("partner_p1", events.slice(0, 4), head)).to.deep.include({ kind: "missing", seq: 5 });
  });

  it("finds an inserted event even when its own hash is consistent", () => {
    const events = chain(3);
    const forged = { ...events[1]!, id: "forged", details: { verdict: "validated", codes: [], forged: true } };
    forged.hash = auditEventHash(forged);
    // Forged event re-uses seq 2: it repeats a sequence number.
    expect(verifyChain("partner_p1", [events[0]!, forged, events[1]!, events[2]!], headOf(events))).to.deep.include({
      kind: "inserted",
      event_id: "evt-2",
    });
    // Or it takes seq 2 and everything after is renumbered: the next event no longer follows it.
    const renumbered = [events[0]!, forged, { ...events[1]!, seq: 3 }];
    expect(verifyChain("partner_p1", renumbered, { seq: 3, hash: events[1]!.hash })).to.deep.include({ kind: "inserted", seq: 3 });
  });

  it("finds a head that does not match the last event, or a chain without a head", () => {
    const events = chain(2);
    expect(verifyChain("partner_p1", events, { seq: 2, hash: GENESIS_HASH })).to.deep.include({ kind: "head_mismatch" });
    expect(verifyChain("partner_p1", events, null)).to.deep.include({ kind: "head_mismatch" });
  });

  it("walked in pieces, its state stored between them as JSON, finds what one walk finds", () => {
    const events = chain(6);
    const edited = events.map((e) => (e.seq === 4 ? { ...e, details: { verdict: "validated", codes: [] } } : e));
    const cases: Array<[string, ChainedAuditEvent[], ChainHead | null]> = [
      ["intact", events, headOf(events)],
      ["edited", edited, headOf(events)],
      ["a gap", [...events.slice(0, 2), ...events.slice(3)], headOf(events)],
      ["a head beyond", events.slice(0, 5), headOf(events)],
      ["no head", events, null],
    ];
    for (const [what, walked, head] of cases) {
      const whole = verifyChain("partner_p1", walked, head);
      for (let cut = 0; cut <= walked.length; cut += 1) {
        let walk = startChainWalk("partner_p1");
        const found = walked.slice(0, cut).map((e) => stepChainWalk(walk, e));
        walk = JSON.parse(JSON.stringify(walk)) as ChainWalk;
        found.push(...walked.slice(cut).map((e) => stepChainWalk(walk, e)), endChainWalk(walk, head));
        const problems = found.filter((p) => p !== null);
        expect(problems, `${what}, cut at ${cut}`).to.deep.equal(whole ? [whole] : []);
      }
    }
  });
});
