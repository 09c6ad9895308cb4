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
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 4);
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

async function seedPartnerAndKey(ctx: BenchContext): Promise<{ partner: string; key: string; keyId: string }> {
  const partner = uniqueId("bench-ingest");
  await ctx.db.doc(`partners/${partner}`).set({ name: `Bench ${partner}`, active: true });
  const created = await ctx.call<{ key: string; key_id: string }>(
    "createApiKey",
    { partner_id: partner, name: "bench gateway" },
    { uid: uniqueId("bench-admin"), role: "admin" },
  );
  if (!created.result) throw new Error(`createApiKey: ${JSON.stringify(created.error)}`);
  return { partner, key: created.result.key, keyId: created.result.key_id };
}

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

/** The endpoint: batches of 500, one after another, as one gateway sends them. */
async function viaEndpoint(ctx: BenchContext, runId: string, count = TICKETS): Promise<PathRun> {
  const { partner, key } = await seedPartnerAndKey(ctx);
  const all = tickets(runId, count);
  const bodies = Array.from({ length: Math.ceil(all.length / BATCH) }, (_, b) =>
    JSON.stringify({ tickets: all.slice(b * BATCH, (b + 1) * BATCH) }),
  );
  let created = 0;
  const batchMs: number[] = [];
  const started = performance.now();
  for (const body of bodies) {
    const sent = performance.now();
    const { status, results } = await post(key, body);
    batchMs.push(performance.now() - sent);
    if (status !== 200 || !results) throw new Error(`POST /v1/production answered ${status}`);
    created += results.filter((r) => r.status === "created").length;
  }
  return { ms: performance.now() - started, batchMs, created, partner };
}

/** The floor: the same entry documents, Admin SDK batched creates of 500, one after another. */
async function viaAdminSdk(ctx: BenchContext, runId: string, count = TICKETS): Promise<PathRun> {
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
  const batchMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) {
    const sent = performance.now();
    const batch = ctx.db.batch();
    for (const doc of docs.slice(i, i + BATCH))
      batch.create(ctx.db.doc(`production_entries/${doc.id}`), { ...doc.data, created_at: new Date() });
    await batch.commit();
    batchMs.push(performance.now() - sent);
  }
  return { ms: performance.now() - started, batchMs, created: docs.length, partner };
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
  const cold = await withoutTriggers(async () => {
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
    return coldMs;
  });
  // Judged on the median batch over every round: the emulator has slow spells of a second or
  // more (several batches at three to ten times their usual time), which decide a total or a
  // best-of-rounds comparison by chance; a median of 20 x ROUNDS batches per path is not moved by them.
  const endpointMedian = percentile(endpointBatches, 50);
  const floorMedian = percentile(floorBatches, 50);
  const ratio = endpointMedian / floorMedian;
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
      `median batch of ${BATCH} over all ${ROUNDS} rounds: endpoint ${ms(endpointMedian)}, floor ${ms(floorMedian)}; ratio ${ratio.toFixed(2)} ${ratio <= GOAL ? "<=" : ">"} goal ${GOAL} (${ratio <= GOAL ? "met" : "NOT met"})`,
      `  90th percentile batch: endpoint ${ms(percentile(endpointBatches, 90))}, floor ${ms(percentile(floorBatches, 90))}; best totals: endpoint ${seconds(Math.min(...endpointMs))}, floor ${seconds(Math.min(...floorMs))} (ratio ${bestRatio.toFixed(2)})`,
      `endpoint: ${TICKETS / BATCH} sequential POSTs of ${BATCH} tickets (API key, fresh Idempotency-Key each) over HTTP to the Functions emulator, wall time to each parsed response;`,
      "  per request: the key and the JV settings read (the body parsed meanwhile), then one transaction: the count, the partner, the Idempotency-Key record and the closed days read, the entries created and the response stored in its commit",
      `floor: the same entry documents (ids, fields; created_at the client's time) created with Admin SDK WriteBatch of ${BATCH} from this process, sequentially`,
      "no trigger events during either (the Firestore emulator runs without --functions_emulator, scripts/lib/common.sh without_trigger_events): the auditor's work is excluded from both; each path starts with the emulators quiet",
      ...(problems.length
        ? [`CHECK FAILED: ${problems.join("; ")}`]
        : [`checks: every round stored exactly ${int(TICKETS)} entries per side, all reported created`]),
    ],
  };
}
