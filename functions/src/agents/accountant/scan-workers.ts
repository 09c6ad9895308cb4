import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { logger } from "firebase-functions/v2";
import { HttpsError, type FunctionsErrorCode } from "firebase-functions/v2/https";
import type { Firestore } from "firebase-admin/firestore";
import { periodSlices } from "../../domain/period-slices";
import { codeOf } from "../../shared/firestore-errors";
import { SCAN_ABANDONED, ScanWorkerStopped, type ScanOptions, type ScanPart } from "./entry-scan";
import { projectOf } from "./period-query";

/**
 * Threads that read a period in parts, one per core up to two. Decoding the database's answer
 * and measuring each entry is most of a scan's own time; on one thread it is the ceiling of the
 * scan however many streams feed it. With one core there is nothing to gain: the scan stays on
 * the calling thread.
 */
export const SCAN_WORKERS = Math.min(2, availableParallelism());
/** Sub-range queries each worker reads at once (more did not read faster in scripts/bench). */
export const WORKER_SLICES = 1;

/** The database a worker reads: the app's project unless the caller's client names another. */
export interface WorkerTarget {
  projectId?: string;
  databaseId: string;
}

export interface ScanRequest {
  id: number;
  from: number;
  to: number;
  slices: number;
  maxEntries: number;
  /** One Int32 shared by the scan's parts: entries taken so far (ScanOptions.sharedCount). */
  shared: SharedArrayBuffer;
  jvStart?: { date: string; from: number };
}
export type ScanCancel = { cancel: number };
export type WorkerReply = { ready: true } | { id: number; part: ScanPart } | { id: number; error: WorkerError };
export interface WorkerError {
  message: string;
  code?: number | string;
  https?: { code: FunctionsErrorCode; details?: unknown };
}

/** What crosses back from a worker: an HttpsError stays one; a database error keeps its code. */
export function describeError(error: unknown): WorkerError {
  if (error instanceof HttpsError) return { message: error.message, https: { code: error.code, details: error.details } };
  const code = codeOf(error);
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === "number" || typeof code === "string" ? { code } : {}),
  };
}

export function rebuildError(error: WorkerError): Error {
  if (error.https) return new HttpsError(error.https.code, error.message, error.https.details);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

class ScanWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (part: ScanPart) => void; reject: (error: Error) => void }>();
  readonly ready: Promise<boolean>;
  isReady = false;
  dead = false;

  constructor(target: WorkerTarget) {
    this.worker = spawn(target);
    // A started, idle worker never keeps the process alive; one starting or with a scan in hand does.
    let started: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (started = resolve));
    this.worker.on("message", (reply: WorkerReply) => {
      if ("ready" in reply) {
        this.isReady = true;
        if (this.pending.size === 0) this.worker.unref();
        started(true);
        return;
      }
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.settled(reply.id);
      if ("part" in reply) waiting.resolve(reply.part);
      else waiting.reject(rebuildError(reply.error));
    });
    const die = (error: Error) => {
      if (this.dead) return;
      this.dead = true;
      logger.warn("reconcile: a scan worker stopped; scans read on the calling thread until a new one has started", {
        error: error.message,
        started: this.isReady,
      });
      lastDeath = Date.now();
      started(false);
      for (const [id, waiting] of this.pending) {
        this.settled(id);
        waiting.reject(error);
      }
    };
    this.worker.on("error", (error) => die(new ScanWorkerStopped(`a scan worker failed: ${error.message}`)));
    this.worker.on("exit", (code) => die(new ScanWorkerStopped(`a scan worker stopped (exit code ${code})`)));
  }

  scan(request: ScanRequest, signal?: AbortSignal): Promise<ScanPart> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(request.id, { resolve, reject });
      signal?.addEventListener("abort", () => this.worker.postMessage({ cancel: request.id } satisfies ScanCancel), { once: true });
      this.worker.postMessage(request);
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0 && this.isReady) this.worker.unref();
  }
}

function spawn(workerData: WorkerTarget): Worker {
  // Under tsx (tests, scripts) the sources are TypeScript; deployed, they are compiled to lib/.
  if (__filename.endsWith(".ts")) {
    const entry = JSON.stringify(join(__dirname, "scan-worker.ts"));
    return new Worker(`require("tsx/cjs"); require(${entry});`, { eval: true, workerData });
  }
  return new Worker(join(__dirname, "scan-worker.js"), { workerData });
}

const pools = new Map<string, ScanWorker[]>();
let nextId = 0;
/** After a worker stops, a minute before another is started: a worker that cannot start is not started on every call. */
const RESPAWN_AFTER_MS = 60_000;
let lastDeath = 0;

function poolFor(db: Firestore): ScanWorker[] {
  const target = { projectId: projectOf(db), databaseId: db.databaseId };
  const key = `${target.projectId ?? ""}/${target.databaseId}`;
  const pool = (pools.get(key) ?? []).filter((worker) => !worker.dead);
  const mayStart = pool.length === SCAN_WORKERS || Date.now() - lastDeath >= RESPAWN_AFTER_MS;
  while (mayStart && pool.length < SCAN_WORKERS) pool.push(new ScanWorker(target));
  pools.set(key, pool);
  return pool;
}

/**
 * Starts the scan workers for this database (if this machine has the cores for them) and
 * answers once they can take a scan: true, or false when the scan stays on the calling thread.
 */
export async function startScanWorkers(db: Firestore): Promise<boolean> {
  if (SCAN_WORKERS < 2) return false;
  const pool = poolFor(db);
  const ready = await Promise.all(pool.map((worker) => worker.ready));
  return pool.length === SCAN_WORKERS && ready.every(Boolean);
}

/**
 * The scan's `inWorkers`: the period cut into one part per worker, each read by its own worker
 * with its own database client. Until the workers have started (the first scan of an instance
 * starts them), or on a machine of one core, it answers undefined and the caller reads alone.
 * One part failing stops the others and fails the scan with the first error.
 */
export function scanInWorkers(db: Firestore): NonNullable<ScanOptions["inWorkers"]> {
  return (periodStart, periodEnd, options) => {
    if (SCAN_WORKERS < 2) return undefined;
    const pool = poolFor(db);
    if (pool.length < SCAN_WORKERS || !pool.every((worker) => worker.isReady)) return undefined;
    if (options.signal?.aborted) return Promise.reject(new Error(SCAN_ABANDONED));
    const stop = new AbortController();
    const shared = new SharedArrayBuffer(4);
    const abandon = () => stop.abort();
    options.signal?.addEventListener("abort", abandon, { once: true });
    const parts = periodSlices(periodStart, periodEnd, pool.length).map(([from, to], index) =>
      pool[index].scan(
        {
          id: (nextId += 1),
          from: from.getTime(),
          to: to.getTime(),
          slices: WORKER_SLICES,
          maxEntries: options.maxEntries!,
          shared,
          ...(options.jvStart ? { jvStart: { date: options.jvStart.date, from: options.jvStart.from.getTime() } } : {}),
        },
        stop.signal,
      ),
    );
    for (const part of parts) part.catch(abandon);
    return Promise.all(parts).finally(() => options.signal?.removeEventListener("abort", abandon));
  };
}
