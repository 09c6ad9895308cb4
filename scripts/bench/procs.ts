/**
 * The emulators' processes, seen through /proc (Linux only): which `node` worker runs a
 * given function, how much memory it holds, and whether the emulators have gone quiet.
 *
 * firebase-tools runs each function in a child `node .../functionsEmulatorRuntime` process
 * whose environment carries FUNCTION_TARGET (the function's entry point) and the emulator
 * hosts; matching FIRESTORE_EMULATOR_HOST tells our emulators' workers from those of other
 * runs on the same machine.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture node runs on

export const procAvailable = (() => {
  try {
    readFileSync("/proc/self/status", "utf8");
    return true;
  } catch {
    return false;
  }
})();

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // the process ended, or is not ours to read
  }
}

export function pids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function cmdline(pid: number): string[] {
  return (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
}

export function environ(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const pair of (read(`/proc/${pid}/environ`) ?? "").split("\0")) {
    const eq = pair.indexOf("=");
    if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return env;
}

interface Stat {
  ppid: number;
  cpuTicks: number;
}

/** Parent pid and user+system CPU ticks (the command name may hold spaces and parentheses). */
export function stat(pid: number): Stat | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** A line of /proc/<pid>/status in KiB (VmRSS, VmHWM), or undefined if the process is gone. */
export function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(read(`/proc/${pid}/status`) ?? "");
  return match ? Number(match[1]) : undefined;
}

/** Functions-emulator workers (`functionsEmulatorRuntime`) of our emulators, optionally for one function. */
export function functionWorkers(functionTarget?: string): number[] {
  const firestoreHost = process.env.FIRESTORE_EMULATOR_HOST;
  return pids().filter((pid) => {
    if (pid === process.pid) return false;
    const args = cmdline(pid);
    if (!args.some((a) => a.includes("functionsEmulatorRuntime"))) return false;
    const env = environ(pid);
    if (firestoreHost && env.get("FIRESTORE_EMULATOR_HOST") !== firestoreHost) return false;
    return functionTarget === undefined || env.get("FUNCTION_TARGET") === functionTarget;
  });
}

/** The Firestore emulator's JVM for our FIRESTORE_EMULATOR_HOST (`--port <port>` on its command line). */
export function firestoreEmulatorJvm(): number | undefined {
  const port = (process.env.FIRESTORE_EMULATOR_HOST ?? "").split(":").pop();
  if (!port) return undefined;
  return pids().find((pid) => {
    const args = cmdline(pid);
    if (!args[0]?.endsWith("java")) return false;
    const i = args.indexOf("--port");
    return i >= 0 && args[i + 1] === port;
  });
}

/**
 * Every process of our emulator run: the descendants of the `firebase emulators:exec`
 * process above us (the CLI itself, the Firestore JVM, the functions workers), minus the
 * branch that runs this benchmark. Falls back to the JVM and the workers when we were not
 * started by emulators:exec.
 */
export function emulatorProcesses(): number[] {
  const parents = new Map<number, number>();
  for (const pid of pids()) {
    const s = stat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const ancestors: number[] = [];
  for (let pid = process.pid; pid > 1; pid = parents.get(pid) ?? 0) ancestors.push(pid);
  const rootIndex = ancestors.findIndex((pid) => cmdline(pid).some((a) => a.startsWith("emulators:")));
  if (rootIndex < 0) {
    const jvm = firestoreEmulatorJvm();
    return [...functionWorkers(), ...(jvm ? [jvm] : [])];
  }
  const root = ancestors[rootIndex];
  const ours = new Set(ancestors.slice(0, rootIndex)); // the shell, tsx and this process
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const result: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (ours.has(pid)) continue;
    result.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return result;
}

function cpuTicks(pidList: number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pidList) {
    const s = stat(pid);
    if (s) ticks.set(pid, s.cpuTicks);
  }
  return ticks;
}

export interface QuietOutcome {
  settledMs: number;
  timedOut: boolean;
  lastCores: number;
}

/**
 * Waits until the emulators use less than `maxCores` of CPU for `quietMs` in a row (their
 * triggers have drained: nothing is left to compete with a timed call), or `timeoutMs`.
 */
export async function waitForQuiet(options: { maxCores?: number; quietMs?: number; timeoutMs?: number } = {}): Promise<QuietOutcome> {
  const { maxCores = 0.15, quietMs = 3_000, timeoutMs = 600_000 } = options;
  const started = Date.now();
  const stepMs = 500;
  let quietSince = Date.now();
  let lastCores: number;
  let before = cpuTicks(emulatorProcesses());
  let beforeAt = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const now = Date.now();
    const after = cpuTicks(emulatorProcesses());
    let used = 0;
    for (const [pid, ticks] of after) used += ticks - (before.get(pid) ?? ticks);
    lastCores = used / CLOCK_TICKS_PER_SECOND / ((now - beforeAt) / 1000);
    before = after;
    beforeAt = now;
    if (lastCores > maxCores) quietSince = now;
    if (now - quietSince >= quietMs) return { settledMs: now - started, timedOut: false, lastCores };
    if (now - started >= timeoutMs) return { settledMs: now - started, timedOut: true, lastCores };
  }
}

export interface RssPeak {
  /** Highest VmRSS seen (KiB) across the sampled processes, and the process it was seen in. */
  peakKb: number;
  peakPid: number | undefined;
  /** VmRSS of that process at the first sample. */
  startKb: number | undefined;
  samples: number;
  /** VmHWM (peak RSS over the process's life) of that process at the end. */
  hwmKb: number | undefined;
}

/**
 * Samples VmRSS of the processes `find()` returns every `intervalMs` (the list is looked up
 * again every second, so a worker started during the call is caught) until stopped.
 */
export function sampleRss(find: () => number[], intervalMs = 50): { stop(): RssPeak } {
  let tracked = find();
  let lastLookup = Date.now();
  const first = new Map<number, number>();
  let peakKb = 0;
  let peakPid: number | undefined;
  let samples = 0;
  const sample = () => {
    if (Date.now() - lastLookup >= 1_000) {
      tracked = find();
      lastLookup = Date.now();
    }
    for (const pid of tracked) {
      const rss = statusKb(pid, "VmRSS");
      if (rss === undefined) continue;
      if (!first.has(pid)) first.set(pid, rss);
      if (rss > peakKb) {
        peakKb = rss;
        peakPid = pid;
      }
    }
    samples += 1;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        peakKb,
        peakPid,
        startKb: peakPid === undefined ? undefined : first.get(peakPid),
        samples,
        hwmKb: peakPid === undefined ? undefined : statusKb(peakPid, "VmHWM"),
      };
    },
  };
}

/** A JVM's heap in use and its total GC time, from `jstat -gc` (JDK tools), or undefined without them. */
export function jvmHeap(pid: number): { usedMb: number; capacityMb: number; gcSeconds: number; fullGcs: number } | undefined {
  const out = spawnSync("jstat", ["-gc", String(pid)], { encoding: "utf8", timeout: 10_000 });
  const [head, values] = (out.stdout ?? "")
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/));
  if (out.status !== 0 || !head || !values) return undefined;
  const col = (name: string) => Number(values[head.indexOf(name)] ?? NaN);
  const usedKb = col("S0U") + col("S1U") + col("EU") + col("OU");
  const capacityKb = col("S0C") + col("S1C") + col("EC") + col("OC");
  if (!Number.isFinite(usedKb)) return undefined;
  return { usedMb: usedKb / 1024, capacityMb: capacityKb / 1024, gcSeconds: col("GCT"), fullGcs: col("FGC") };
}

export interface CpuSpent {
  /** CPU seconds (user + system) while the meter ran. */
  jvm: number;
  /** The functions worker(s) of the function named to the meter. */
  worker: number;
  /** Every other process of the emulator run: the CLI (its hub and proxies), other functions' workers. */
  otherEmulator: number;
  /** This benchmark's own process. */
  bench: number;
  total: number;
}

/**
 * CPU used by the emulators and this process between start and stop, by process: on a machine
 * of few cores, how much work a timed read or call made is what bounds its wall time.
 */
export function cpuMeter(functionTarget?: string): { stop(): CpuSpent } {
  const jvmPid = firestoreEmulatorJvm();
  const workers = new Set(functionTarget ? functionWorkers(functionTarget) : []);
  const before = cpuTicks(emulatorProcesses());
  const benchBefore = process.cpuUsage();
  return {
    stop() {
      const benchUsed = process.cpuUsage(benchBefore);
      const after = cpuTicks(emulatorProcesses());
      const spent = { jvm: 0, worker: 0, otherEmulator: 0 };
      for (const [pid, ticks] of after) {
        const seconds = (ticks - (before.get(pid) ?? 0)) / CLOCK_TICKS_PER_SECOND;
        if (pid === jvmPid) spent.jvm += seconds;
        else if (workers.has(pid)) spent.worker += seconds;
        else spent.otherEmulator += seconds;
      }
      const bench = (benchUsed.user + benchUsed.system) / 1e6;
      return { ...spent, bench, total: spent.jvm + spent.worker + spent.otherEmulator + bench };
    },
  };
}
