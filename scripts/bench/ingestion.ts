/**
 * ingestion: 10,000 meter tickets through POST /v1/production in batches of 500, against the
 * floor: the same entries written by the Admin SDK in batched writes of 500 from this process.
 * Background triggers are off while either runs (the auditor would otherwise audit every entry
 * on the same two cores): this measures the writes, as the issue asks.
 */
import { randomUUID } from "node:crypto";
import { parseMeterTicket, ticketEntryFields, ticketEntryId } from "../../functions/src/domain/meter-ticket";
import { REGION } from "../../functions/src/shared/config";
import { functionsUrl, PROJECT_ID, uniqueId, withoutTriggers } from "../../functions/test/support/emulator";
import { waitForQuiet } from "./procs";
import { int, seconds, table, type BenchContext, type Section } from "./section";

const TICKETS = Number(process.env.BENCH_INGEST_TICKETS ?? 10_000);
const BATCH = 500;
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 2);
/** Batch pairs (one through each path) of the judged comparison. */
const PAIRS = Number(process.env.BENCH_INGEST_PAIRS ?? 40);
const WARM_TICKETS = 2_000;
const GOAL = 1.5;
const DAY_MS = 86_400_000;

function tickets(runId: string, count = TICKETS): Array<Record<string, unknown>> {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return Array.from({ length: count }, (_, i) => ({
    ticket_id: `${runId}-${i}`,
    meter_id: `BENCH-M-${i % 20}`,
    measured_at: new Date(today - (1 + (Math.floor(i / 20) % 25)) * DAY_MS + (i % 1440) * 60_000).toISOString(),
    gross_volume_bbl: Number((900 + (i % 200)).toFixed(2)),
    bsw_percent: 0.3,
    temperature_degF: 82.5,
    api_gravity: 35.1,
    pressure_psig: 14,
    meter_factor: 1.0004,
  }));
}

async function seedPartnerAndKey(ctx: BenchContext): Promise<{ partner: string; key: string }> {
  const partner = uniqueId("bench-ingest");
  await ctx.db.doc(`partners/${partner}`).set({ name: `Bench ${partner}`, active: true });
  return { partner, key: await createKey(ctx, partner) };
}

async function createKey(ctx: BenchContext, partner: string): Promise<string> {
  const created = await ctx.call<{ key: string }>(
    "createApiKey",
    { partner_id: partner, name: "bench gateway" },
    { uid: uniqueId("bench-admin"), role: "admin" },
  );
  if (!created.result) throw new Error(`createApiKey: ${JSON.stringify(created.error)}`);
  return created.result.key;
}

/** Batches one key sends: the endpoint's per-key limit (60 a minute in the emulators) is not what is measured. */
const BATCHES_PER_KEY = 50;

async function post(key: string, body: string): Promise<{ status: number; results?: Array<{ status: string }> }> {
  const response = await fetch(`${await functionsUrl()}/${PROJECT_ID}/${REGION}/ingestProduction/v1/production`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}`, "Idempotency-Key": randomUUID() },
    body,
  });
  const parsed = (await response.json()) as { results?: Array<{ status: string }> };
  return { status: response.status, results: parsed.results };
}

interface PathRun {
  ms: number;
  /** Wall time of each batch of 500, in order. */
  batchMs: number[];
  created: number;
  partner: string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** One path's batches of 500, each sent (and timed) on its own. */
interface Path {
  partner: string;
  batches: number;
  send(batch: number): Promise<{ ms: number; created: number }>;
}

/** The endpoint: batches of 500, as one gateway sends them. */
async function endpointPath(ctx: BenchContext, runId: string, count = TICKETS): Promise<Path> {
  const { partner, key } = await seedPartnerAndKey(ctx);
  const all = tickets(runId, count);
  const bodies = Array.from({ length: Math.ceil(all.length / BATCH) }, (_, b) =>
    JSON.stringify({ tickets: all.slice(b * BATCH, (b + 1) * BATCH) }),
  );
  const keys = [key];
  while (keys.length * BATCHES_PER_KEY < bodies.length) keys.push(await createKey(ctx, partner));
  return {
    partner,
    batches: bodies.length,
    async send(batch) {
      const sent = performance.now();
      const { status, results } = await post(keys[Math.floor(batch / BATCHES_PER_KEY)], bodies[batch]);
      const ms = performance.now() - sent;
      if (status !== 200 || !results) throw new Error(`POST /v1/production answered ${status}`);
      return { ms, created: results.filter((r) => r.status === "created").length };
    },
  };
}

/** The floor: the same entry documents, Admin SDK batched creates of 500. */
async function floorPath(ctx: BenchContext, runId: string, count = TICKETS): Promise<Path> {
  const partner = uniqueId("bench-floor");
  await ctx.db.doc(`partners/${partner}`).set({ name: `Bench ${partner}`, active: true });
  const keyId = "key_00000000000000000000";
  const docs = tickets(runId, count).map((raw) => {
    const parsed = parseMeterTicket(raw);
    if (!parsed.ok) throw new Error(`bench ticket invalid: ${JSON.stringify(parsed.issues)}`);
    return {
      id: ticketEntryId(partner, parsed.ticket.ticket_id),
      data: { ...ticketEntryFields(parsed.ticket, partner, keyId), measured_at: parsed.measuredAt },
    };
  });
  return {
    partner,
    batches: Math.ceil(docs.length / BATCH),
    async send(batch) {
      const sent = performance.now();
      const writes = ctx.db.batch();
      const slice = docs.slice(batch * BATCH, (batch + 1) * BATCH);
      for (const doc of slice) writes.create(ctx.db.doc(`production_entries/${doc.id}`), { ...doc.data, created_at: new Date() });
      await writes.commit();
      return { ms: performance.now() - sent, created: slice.length };
    },
  };
}

/** A path's batches one after another. */
async function runPath(path: Path): Promise<PathRun> {
  let created = 0;
  const batchMs: number[] = [];
  const started = performance.now();
  for (let b = 0; b < path.batches; b += 1) {
    const sent = await path.send(b);
    batchMs.push(sent.ms);
    created += sent.created;
  }
  return { ms: performance.now() - started, batchMs, created, partner: path.partner };
}

const viaEndpoint = async (ctx: BenchContext, runId: string, count = TICKETS) => runPath(await endpointPath(ctx, runId, count));
const viaAdminSdk = async (ctx: BenchContext, runId: string, count = TICKETS) => runPath(await floorPath(ctx, runId, count));

/**
 * Both paths batch by batch in turn (which goes first alternates): each pair meets the emulator
 * in the same state, where the rounds put a path's 20 batches against the other's seconds later.
 */
async function paired(ctx: BenchContext, count: number): Promise<{ endpoint: PathRun; floor: PathRun }> {
  const paths = { endpoint: await endpointPath(ctx, uniqueId("pe"), count), floor: await floorPath(ctx, uniqueId("pf"), count) };
  const runs = {
    endpoint: { ms: 0, batchMs: [] as number[], created: 0, partner: paths.endpoint.partner },
    floor: { ms: 0, batchMs: [] as number[], created: 0, partner: paths.floor.partner },
  };
  await waitForQuiet({ quietMs: 1_500, timeoutMs: 60_000 });
  for (let b = 0; b < paths.endpoint.batches; b += 1) {
    const order = b % 2 === 0 ? (["endpoint", "floor"] as const) : (["floor", "endpoint"] as const);
    for (const which of order) {
      const sent = await paths[which].send(b);
      runs[which].batchMs.push(sent.ms);
      runs[which].ms += sent.ms;
      runs[which].created += sent.created;
    }
  }
  return runs;
}

async function countOf(ctx: BenchContext, partner: string): Promise<number> {
  return (await ctx.db.collection("production_entries").where("partner_id", "==", partner).count().get()).data().count;
}

/**
 * Each timed path starts once the emulators have gone quiet. With background triggers off, the
 * Firestore emulator still posts an event per write to the Functions emulator, which drops it:
 * after a fast burst of writes those posts run on for seconds and slow whatever is timed next.
 */
async function quietThen<T>(work: () => Promise<T>): Promise<T> {
  await waitForQuiet({ quietMs: 1_500, timeoutMs: 60_000 });
  return work();
}

export async function run(ctx: BenchContext): Promise<Section> {
  const problems: string[] = [];
  const rows: string[][] = [];
  const endpointMs: number[] = [];
  const floorMs: number[] = [];
  const endpointBatches: number[] = [];
  const floorBatches: number[] = [];
  const measured = await withoutTriggers(async () => {
    // Starts the endpoint's worker (and createApiKey's) untimed.
    const { key } = await seedPartnerAndKey(ctx);
    const started = performance.now();
    const warm = await post(key, JSON.stringify({ tickets: tickets(uniqueId("warm")).slice(0, 10) }));
    if (warm.status !== 200) problems.push(`warm-up POST answered ${warm.status}`);
    const coldMs = performance.now() - started;

    // The emulator writes its first thousands of documents several times slower than later ones
    // (JIT): both paths write untimed first, and the rounds alternate which path goes first.
    ctx.log(`ingestion warm-up: ${int(WARM_TICKETS)} tickets through each path, untimed`);
    await viaEndpoint(ctx, uniqueId("we"), WARM_TICKETS);
    await viaAdminSdk(ctx, uniqueId("wf"), WARM_TICKETS);
    for (let round = 1; round <= ROUNDS; round += 1) {
      const endpointFirst = round % 2 === 1;
      ctx.log(
        `ingestion round ${round}: ${int(TICKETS)} tickets via ${endpointFirst ? "the endpoint, then Admin SDK batches" : "Admin SDK batches, then the endpoint"}`,
      );
      const floor = endpointFirst ? undefined : await quietThen(() => viaAdminSdk(ctx, uniqueId("f")));
      const endpoint = await quietThen(() => viaEndpoint(ctx, uniqueId("e")));
      const floorRun = floor ?? (await quietThen(() => viaAdminSdk(ctx, uniqueId("f"))));
      for (const [what, result] of [
        ["endpoint", endpoint],
        ["floor", floorRun],
      ] as const) {
        const stored = await countOf(ctx, result.partner);
        if (result.created !== TICKETS || stored !== TICKETS)
          problems.push(`${what} round ${round}: ${result.created} created, ${stored} stored, expected ${TICKETS}`);
      }
      endpointMs.push(endpoint.ms);
      floorMs.push(floorRun.ms);
      endpointBatches.push(...endpoint.batchMs);
      floorBatches.push(...floorRun.batchMs);
      rows.push([
        `${round} (${endpointFirst ? "endpoint first" : "floor first"})`,
        seconds(floorRun.ms),
        seconds(endpoint.ms),
        (endpoint.ms / floorRun.ms).toFixed(2),
        `${ms(percentile(floorRun.batchMs, 50))} / ${ms(percentile(endpoint.batchMs, 50))}`,
      ]);
    }
    ctx.log(`ingestion pairs: ${int(PAIRS * BATCH)} tickets per path, batch by batch in turn`);
    const pairs = await paired(ctx, PAIRS * BATCH);
    for (const [what, result] of Object.entries(pairs)) {
      const stored = await countOf(ctx, result.partner);
      if (result.created !== PAIRS * BATCH || stored !== PAIRS * BATCH)
        problems.push(`${what} pairs: ${result.created} created, ${stored} stored, expected ${PAIRS * BATCH}`);
    }
    return { coldMs, pairs };
  });
  const cold = measured.coldMs;
  const { pairs } = measured;
  // Judged on the pairs' median batches: the emulator has slow spells of a second or more
  // (several batches at three to ten times their usual time) and drifts over minutes, which
  // decide a total, a best-of-rounds or even a rounds' median by chance; a pair meets both paths
  // in the same state.
  const endpointMedian = percentile(pairs.endpoint.batchMs, 50);
  const floorMedian = percentile(pairs.floor.batchMs, 50);
  const ratio = endpointMedian / floorMedian;
  const pairRatios = pairs.endpoint.batchMs.map((e, i) => e / pairs.floor.batchMs[i]);
  const roundsRatio = percentile(endpointBatches, 50) / percentile(floorBatches, 50);
  const bestRatio = Math.min(...endpointMs) / Math.min(...floorMs);
  return {
    title: `ingestion: ${int(TICKETS)} tickets through POST /v1/production vs. Admin SDK batched writes`,
    // A missed goal fails the run, as the reconcile section's do.
    ok: problems.length === 0 && ratio <= GOAL,
    lines: [
      `warm-up: first POST of 10 tickets ${seconds(cold)} (starts the endpoint's worker; not in the table)`,
      "",
      ...table(["round", "floor", "endpoint", "ratio", "median batch floor / endpoint"], rows),
      "",
      `rounds: median batch endpoint ${ms(percentile(endpointBatches, 50))}, floor ${ms(percentile(floorBatches, 50))} (ratio ${roundsRatio.toFixed(2)}); 90th percentile endpoint ${ms(percentile(endpointBatches, 90))}, floor ${ms(percentile(floorBatches, 90))}; best totals: endpoint ${seconds(Math.min(...endpointMs))}, floor ${seconds(Math.min(...floorMs))} (ratio ${bestRatio.toFixed(2)})`,
      `pairs (${PAIRS} batches through each path in turn): median batch endpoint ${ms(endpointMedian)}, floor ${ms(floorMedian)}; ratio ${ratio.toFixed(2)} ${ratio <= GOAL ? "<=" : ">"} goal ${GOAL} (${ratio <= GOAL ? "met" : "NOT met"})`,
      `  median of the ${PAIRS} pairs' own ratios ${percentile(pairRatios, 50).toFixed(2)}; totals endpoint ${seconds(pairs.endpoint.ms)}, floor ${seconds(pairs.floor.ms)}`,
      `endpoint: ${TICKETS / BATCH} sequential POSTs of ${BATCH} tickets (API key, fresh Idempotency-Key each) over HTTP to the Functions emulator, wall time to each parsed response;`,
      "  per request: the body parsed and the tickets prepared; a key's first batches on an instance: one transaction, the key, the JV settings, the count, the partner, the Idempotency-Key record and the close horizon read (and the closed days on or before it: none here), the entries created and the response stored in its commit",
      "  (the key and the settings are read before the transaction too on an instance's first request with them); from its third batch on: one batched write and no read, every one of those documents required unchanged since the key's last batch (remembered-write.ts)",
      `floor: the same entry documents (ids, fields; created_at the client's time) created with Admin SDK WriteBatch of ${BATCH} from this process, sequentially`,
      "no trigger events during either (the Firestore emulator runs without --functions_emulator, scripts/lib/common.sh without_trigger_events): the auditor's work is excluded from both; each path starts with the emulators quiet",
      ...(problems.length
        ? [`CHECK FAILED: ${problems.join("; ")}`]
        : [
            `checks: every round stored exactly ${int(TICKETS)} entries per side and the pairs ${int(PAIRS * BATCH)}, all reported created`,
          ]),
    ],
  };
}
