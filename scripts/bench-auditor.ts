/**
 * Auditor benchmark: a burst of production entries written through the Admin SDK, audited
 * by the real triggers in the emulators, with Gemini played by the local fake server.
 *   bash scripts/bench-auditor.sh [entries=500] [partners=10]
 * Every partner gets HISTORY_PER_PARTNER accepted entries first (written with a current
 * audit, so the trigger leaves them alone), then its share of the burst: mostly sound
 * figures, a fixed pattern of flagged ones (BS&W above typical, a tenfold volume against
 * the history) and rejected ones (BS&W above the acceptance limit), on distinct days.
 * Prints write→verdict latency (audit.checked_at − the document's create time), the
 * handler's own time (audit.cost.duration_ms), Firestore reads per audit (audit.cost.reads)
 * and Gemini requests per flagged entry. The Firestore emulator delivers trigger events one
 * at a time, so in the emulators write→verdict is mostly queueing behind the burst.
 */
import { RULES_VERSION } from "../functions/src/domain/audit-config";
import { auditInputHash } from "../functions/src/domain/production-entry";
import { readShardedTotals } from "../functions/src/shared/sharded-counter";
import { adminDb } from "../functions/test/support/emulator";
import { startFakeGemini } from "../functions/test/support/fake-gemini";

const ENTRIES = Number(process.argv[2] ?? 500);
const PARTNERS = Number(process.argv[3] ?? 10);
const HISTORY_PER_PARTNER = 10;
const TIMEOUT_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

type Expected = "validated" | "flagged" | "rejected";

const run = `bench-${Date.now().toString(36)}`;
const db = adminDb();
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const noonDaysAgo = (days: number) => new Date(today - days * DAY_MS + 12 * 3600_000);

function soundFigures(i: number) {
  return {
    gross_volume_bbl: 1000 + ((i * 37) % 41) - 20,
    bsw_percent: 0.3,
    temperature_degF: 80 + (i % 5),
    api_gravity: 35 + ((i % 3) - 1) / 10,
  };
}

/** The j-th burst entry of a partner and the verdict its figures call for. */
function burstEntry(partnerId: string, j: number): { data: Record<string, unknown>; expected: Expected } {
  const figures = soundFigures(j);
  let expected: Expected = "validated";
  if (j % 10 === 3) {
    figures.bsw_percent = 2;
    expected = "flagged";
  } else if (j % 25 === 12) {
    figures.gross_volume_bbl *= 10;
    expected = "flagged";
  } else if (j % 25 === 7) {
    figures.bsw_percent = 7;
    expected = "rejected";
  }
  return {
    expected,
    data: {
      partner_id: partnerId,
      measured_at: noonDaysAgo(1 + j),
      ...figures,
      pressure_psig: 0,
      meter_factor: 1,
      meter_id: "M-1",
      created_by: run,
      created_at: new Date(),
    },
  };
}

function historyEntry(partnerId: string, k: number): Record<string, unknown> {
  const data: Record<string, unknown> = {
    partner_id: partnerId,
    measured_at: noonDaysAgo(400 + k),
    ...soundFigures(k),
    pressure_psig: 0,
    meter_factor: 1,
    meter_id: "M-1",
    created_by: `${run}-history`,
  };
  data.audit = {
    status: "validated",
    reasons: [],
    stats: null,
    explanation: { text: "seeded history", source: "rules" },
    input_hash: auditInputHash(data),
    rules_version: RULES_VERSION,
    checked_at: new Date(),
    history_eligible: true,
  };
  return data;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

async function main(): Promise<number> {
  const fake = await startFakeGemini({ port: Number(process.env.FAKE_GEMINI_PORT ?? 9411) });
  try {
    const partners = Array.from({ length: PARTNERS }, (_, p) => `${run}-p${p}`);
    const seed = db.batch();
    for (const id of partners) {
      seed.set(db.doc(`partners/${id}`), { name: `Benchmark partner ${id}`, active: true });
      for (let k = 0; k < HISTORY_PER_PARTNER; k++) seed.set(db.collection("production_entries").doc(), historyEntry(id, k));
    }
    await seed.commit();
    const statusBefore = await readShardedTotals(db, "agent_status/auditor");

    const burst = Array.from({ length: ENTRIES }, (_, i) => ({
      id: `${run}-e${i}`,
      ...burstEntry(partners[i % PARTNERS], Math.floor(i / PARTNERS)),
    }));
    const expected = new Map(burst.map((e) => [e.id, e.expected]));
    console.log(`[bench] ${run}: ${PARTNERS} partners x ${HISTORY_PER_PARTNER} history entries seeded; writing ${ENTRIES} entries at once`);
    const burstStart = Date.now();
    await Promise.all(burst.map((e) => db.doc(`production_entries/${e.id}`).set(e.data)));
    const written = Date.now();

    const burstQuery = db.collection("production_entries").where("created_by", "==", run);
    let audited = 0;
    while (Date.now() - burstStart < TIMEOUT_MS) {
      const snap = await burstQuery.select("audit.checked_at").get();
      audited = snap.docs.filter((d) => d.get("audit.checked_at") !== undefined).length;
      if (audited >= ENTRIES) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const docs = (await burstQuery.get()).docs;
    const done = docs.filter((d) => d.get("audit.checked_at") !== undefined);

    const latencies = done.map((d) => d.get("audit.checked_at").toMillis() - d.createTime.toMillis()).sort((a, b) => a - b);
    const lastVerdict = Math.max(...done.map((d) => d.get("audit.checked_at").toMillis()));
    const reads = done.map((d) => Number(d.get("audit.cost.reads"))).sort((a, b) => a - b);
    const handler = done.map((d) => Number(d.get("audit.cost.duration_ms"))).sort((a, b) => a - b);
    const byStatus: Record<string, number> = {};
    let mismatched = 0;
    for (const d of done) {
      const status = String(d.get("audit.status"));
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (expected.get(d.id) !== status) mismatched += 1;
    }
    const flagged = byStatus.flagged ?? 0;
    const partnerRequests = fake.requests().filter((r) => partners.some((p) => r.prompt.includes(p)));
    const storedGeminiCalls = done.reduce((sum, d) => sum + Number(d.get("audit.cost.gemini_calls")), 0);
    const sources: Record<string, number> = {};
    for (const d of done.filter((x) => x.get("audit.status") === "flagged")) {
      const source = String(d.get("audit.explanation.source"));
      sources[source] = (sources[source] ?? 0) + 1;
    }
    const events = await Promise.all(
      partners.map(async (p) => (await db.collection("audit_log").where("stream", "==", `partner_${p}`).count().get()).data().count),
    );
    const statusAfter = await readShardedTotals(db, "agent_status/auditor");
    const expectedCounts: Record<string, number> = {};
    for (const e of burst) expectedCounts[e.expected] = (expectedCounts[e.expected] ?? 0) + 1;
    const counts = (c: Record<string, number>) => ["validated", "flagged", "rejected"].map((s) => `${s} ${c[s] ?? 0}`).join(", ");
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    console.log("");
    console.log(`Auditor benchmark (${run}): ${ENTRIES} entries across ${PARTNERS} partners, Firestore + Functions emulators, fake Gemini`);
    console.log(
      `  audited            ${done.length}/${ENTRIES} (${counts(byStatus)}); expected ${counts(expectedCounts)}; ${mismatched} differ`,
    );
    console.log(
      `  write -> verdict   p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, max ${fmt(latencies[latencies.length - 1] ?? NaN)} ms`,
    );
    console.log(
      `  handler time       p50 ${fmt(percentile(handler, 50))} ms, p95 ${fmt(percentile(handler, 95))} ms, max ${fmt(handler[handler.length - 1] ?? NaN)} ms (audit.cost.duration_ms: lease to write, Gemini included)`,
    );
    console.log(
      `  burst              writes acknowledged after ${fmt((written - burstStart) / 1000, 1)} s; last verdict ${fmt((lastVerdict - burstStart) / 1000, 1)} s after the first write (${fmt(done.length / ((lastVerdict - burstStart) / 1000), 1)} audits/s)`,
    );
    console.log(
      `  reads per audit    mean ${fmt(mean(reads), 1)}, p50 ${percentile(reads, 50)}, p95 ${percentile(reads, 95)}, max ${reads[reads.length - 1]} (lease 1 + settings 1 + partner 1 + duplicate query >=1 + history <=30 (<=60 while the entry's meter has fewer than 5 accepted entries: its partner's too) + write transaction 4; a flagged entry's early stale mark 3 more)`,
    );
    console.log(
      `  Gemini             ${partnerRequests.length} requests for ${flagged} flagged entries = ${fmt(partnerRequests.length / Math.max(1, flagged), 2)} per flagged entry (audit.cost says ${storedGeminiCalls}); explanation sources of flagged: ${JSON.stringify(sources)}`,
    );
    console.log(
      `  audit_log          ${events.reduce((a, b) => a + b, 0)} events in ${PARTNERS} partner chains (one per audited entry expected)`,
    );
    console.log(
      `  agent_status       runs +${(statusAfter.runs ?? 0) - (statusBefore.runs ?? 0)}, failures +${(statusAfter.failures ?? 0) - (statusBefore.failures ?? 0)} (sharded counters)`,
    );
    return done.length === ENTRIES && mismatched === 0 ? 0 : 1;
  } finally {
    await fake.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
