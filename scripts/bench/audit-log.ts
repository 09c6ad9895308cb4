/**
 * audit-log: verifyAuditLog over a log of BENCH_AUDIT_EVENTS events (default 100,000) in 50
 * chains, a segment per call as the web app calls it, against the floor: the whole log read once
 * by one query in this process. No goal: the figures say what a year-end verification costs.
 * The events are written as the server writes them (hashed, chained, with heads; a Date is stored
 * as a timestamp), untimed.
 */
import { auditEventHash, GENESIS_HASH } from "../../functions/src/domain/audit-chain";
import { SEGMENT_EVENTS, type AuditLogVerification } from "../../functions/src/agents/admin/verify-audit-log";
import { WALK_PAGE as PAGE } from "../../functions/src/shared/audit-log-walk";
import { uniqueId } from "../../functions/test/support/emulator";
import { int, seconds, table, type BenchContext, type Section } from "./section";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const STREAMS = 50;
const BATCH = 500;
const IN_FLIGHT = 4;

type Verification = AuditLogVerification;

async function plant(ctx: BenchContext, runId: string): Promise<void> {
  const perStream = Math.ceil(EVENTS / STREAMS);
  const writes: Array<{ path: string; data: Record<string, unknown> }> = [];
  for (let s = 0; s < STREAMS; s += 1) {
    const stream = `bench_${runId}_${String(s).padStart(3, "0")}`;
    let prev = GENESIS_HASH;
    const count = Math.min(perStream, EVENTS - s * perStream);
    for (let seq = 1; seq <= count; seq += 1) {
      const at = new Date(Date.UTC(2026, 0, 1) + seq * 60_000);
      const content = {
        seq,
        at,
        stream,
        actor: "auditor",
        action: "entry_audited",
        subject: `production_entries/bench-${s}-${seq}`,
        details: { verdict: seq % 7 === 0 ? "flagged" : "validated", codes: seq % 7 === 0 ? ["BSW_HIGH"] : [], rules_version: "2025.3" },
        prev_hash: prev,
      };
      prev = auditEventHash(content);
      writes.push({ path: `audit_log/${stream}_${seq}`, data: { ...content, hash: prev } });
    }
    if (count > 0) writes.push({ path: `audit_chains/${stream}`, data: { stream, seq: count, hash: prev } });
  }
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const slice = writes.slice(next, next + BATCH);
      next += BATCH;
      const batch = ctx.db.batch();
      for (const w of slice) batch.set(ctx.db.doc(w.path), w.data);
      await batch.commit();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

export async function run(ctx: BenchContext): Promise<Section> {
  const runId = uniqueId("al").replace(/[^A-Za-z0-9]/g, "");
  const seeded = performance.now();
  await plant(ctx, runId);
  ctx.log(`audit-log: planted ${int(EVENTS)} events in ${STREAMS} chains in ${seconds(performance.now() - seeded)}`);
  const total = (await ctx.db.collection("audit_log").count().get()).data().count;

  const floors: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    const started = performance.now();
    const snap = await ctx.db.collection("audit_log").get();
    floors.push(performance.now() - started);
    if (snap.size !== total) throw new Error(`the floor read ${snap.size} events, not ${total}`);
  }

  // The walk's own reads, without the walk: the log in (stream, seq) order, a page at a time.
  const paged: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    const started = performance.now();
    let read = 0;
    let last: FirebaseFirestore.QueryDocumentSnapshot | undefined;
    for (;;) {
      let query = ctx.db.collection("audit_log").orderBy("stream").orderBy("seq").limit(PAGE);
      if (last) query = query.startAfter(last);
      const page = await query.get();
      read += page.size;
      if (page.size < PAGE) break;
      last = page.docs[page.size - 1];
    }
    paged.push(performance.now() - started);
    if (read !== total) throw new Error(`the paged read read ${read} events, not ${total}`);
  }

  const auditor = { uid: uniqueId("bench-auditor"), role: "auditor" as const };
  const runs: Array<{ wallMs: number; calls: number[]; answer: Verification }> = [];
  for (let r = 0; r < 2; r += 1) {
    const calls: number[] = [];
    let answer: Verification | undefined;
    const started = performance.now();
    do {
      const outcome = await ctx.call<Verification>("verifyAuditLog", answer ? { run_id: answer.run_id } : {}, auditor);
      if (!outcome.result) throw new Error(`verifyAuditLog: ${JSON.stringify(outcome.error)}`);
      calls.push(outcome.wallMs);
      answer = outcome.result;
    } while (!answer.complete);
    runs.push({ wallMs: performance.now() - started, calls, answer });
  }
  const floor = Math.min(...floors);
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const ok = runs.every((r) => r.answer.ok && r.answer.events === total);
  return {
    title: `audit-log: verifyAuditLog over ${int(total)} events (${int(EVENTS)} planted in ${STREAMS} chains), ${int(SEGMENT_EVENTS)} a call`,
    ok,
    lines: [
      ...table(
        ["", "wall", "calls", "slowest call", "events", "chains", "verdict"],
        runs.map((r, i) => [
          `verification ${i + 1}`,
          seconds(r.wallMs),
          String(r.calls.length),
          seconds(Math.max(...r.calls)),
          int(r.answer.events),
          int(r.answer.streams),
          r.answer.ok ? "intact" : `${r.answer.problems_count} broken`,
        ]),
      ),
      "",
      `floor (the whole log read once, one query): ${floors.map(seconds).join(", ")}; best verification ${(best.wallMs / floor).toFixed(2)}× the floor`,
      `the walk's reads alone (the same ordered query, ${int(PAGE)} a page): ${paged.map(seconds).join(", ")}`,
      ok ? "checks: every event walked, every chain intact" : `CHECK FAILED: expected ${int(total)} events, intact`,
    ],
  };
}
