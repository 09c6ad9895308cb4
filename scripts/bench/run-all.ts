/**
 * FlowShare's benchmark sections (reconcile, ingestion, audit-log): those of BENCH_SECTIONS in one emulator
 * run, one printed report; scripts/bench.sh runs each in emulators of its own.
 * Run through `npm run bench` (scripts/bench.sh), which builds the functions and starts the
 * emulators; inside them: `cd functions && npx tsx ../scripts/bench/run-all.ts`.
 *
 * A section is a module exporting `run(ctx: BenchContext): Promise<Section>` (section.ts);
 * add one to SECTIONS. BENCH_SECTIONS=name,name runs only those.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { adminDb } from "../../functions/test/support/emulator";
import { callCallable, type BenchContext, type Section } from "./section";
import * as auditLog from "./audit-log";
import * as ingestion from "./ingestion";
import * as reconcile from "./reconcile";

const SECTIONS: Array<{ name: string; run(ctx: BenchContext): Promise<Section> }> = [
  { name: "reconcile", run: reconcile.run },
  { name: "ingestion", run: ingestion.run },
  { name: "audit-log", run: auditLog.run },
];

function machine(): string[] {
  const cpuModel = (() => {
    try {
      return /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model;
    } catch {
      return cpus()[0]?.model;
    }
  })();
  const java = (() => {
    const out = spawnSync("java", ["-version"], { encoding: "utf8" });
    return out.error ? "not found" : (out.stderr || out.stdout).split("\n")[0];
  })();
  const jvmHeap = (() => {
    const flags = spawnSync("java", ["-XX:+PrintFlagsFinal", "-version"], { encoding: "utf8" });
    const max = /\bMaxHeapSize\s*=\s*(\d+)/.exec(flags.stdout ?? "")?.[1];
    return max ? `max heap ${(Number(max) / 2 ** 30).toFixed(1)} GiB` : "max heap unknown";
  })();
  const load = (() => {
    try {
      return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    } catch {
      return "n/a";
    }
  })();
  return [
    `date:    ${new Date().toISOString()}`,
    `machine: ${cpus().length} CPUs (nproc ${nproc()}), ${cpuModel ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `load:    ${load} (1/5/15 min, at the start: other work on the machine skews the timings)`,
    `node:    ${process.version} (this process and the functions emulator's workers)`,
    `java:    ${java} (the Firestore emulator), ${jvmHeap}${process.env.JAVA_TOOL_OPTIONS ? ` with JAVA_TOOL_OPTIONS=${process.env.JAVA_TOOL_OPTIONS}` : " (JVM default: a quarter of the memory)"}`,
    `emulators: firestore ${process.env.FIRESTORE_EMULATOR_HOST ?? "?"}, hub ${process.env.FIREBASE_EMULATOR_HUB ?? "?"}`,
  ];
}

function nproc(): string {
  try {
    return execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_SECTIONS?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const sections = wanted ? SECTIONS.filter((s) => wanted.includes(s.name)) : SECTIONS;
  if (sections.length === 0)
    throw new Error(`BENCH_SECTIONS=${process.env.BENCH_SECTIONS} names no section (${SECTIONS.map((s) => s.name).join(", ")})`);
  const header = machine();
  const ctx: BenchContext = {
    db: adminDb(),
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
    call: callCallable,
  };
  const results: Section[] = [];
  for (const section of sections) {
    ctx.log(`section ${section.name}`);
    try {
      results.push(await section.run(ctx));
    } catch (error) {
      results.push({
        title: section.name,
        lines: [`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`],
        ok: false,
      });
    }
  }
  const rule = "=".repeat(100);
  const out = [rule, "FlowShare benchmark", ...header, rule];
  for (const [i, section] of results.entries()) {
    out.push("", `${i + 1}. ${section.title}`, "", ...section.lines.map((l) => (l ? `   ${l}` : "")));
  }
  out.push("", rule);
  process.stdout.write(`${out.join("\n")}\n`);
  if (results.some((s) => !s.ok)) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0), // the Admin SDK keeps its channel open
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
