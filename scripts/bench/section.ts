/**
 * What every benchmark section shares. A section is a module exporting
 * `run(ctx: BenchContext): Promise<Section>`; scripts/bench/run-all.ts runs the sections in
 * order inside one emulator run and prints one report.
 */
import { request } from "node:http";
import {
  type adminDb,
  ensureAuthUser,
  functionsUrl,
  PROJECT_ID,
  unsignedIdToken,
  type TestUser,
} from "../../functions/test/support/emulator";
import { REGION } from "../../functions/src/shared/config";

export type Db = ReturnType<typeof adminDb>;

export interface BenchContext {
  db: Db;
  /** Progress lines (stderr): what is being seeded, waited for, timed. */
  log(message: string): void;
  /** Calls a callable over HTTP as the web app does, without any client-side timeout. */
  call<T>(name: string, data: unknown, user: TestUser): Promise<CallOutcome<T>>;
}

export interface CallOutcome<T> {
  status: number;
  result?: T;
  error?: { status: string; message: string; details?: unknown };
  /** Wall time from sending the request to the parsed response, ms. */
  wallMs: number;
}

export interface Section {
  title: string;
  /** The section's figures, already formatted (tables and notes). */
  lines: string[];
  /** False when a check of the section failed (the run exits non-zero). */
  ok: boolean;
}

/**
 * node:http rather than fetch: undici's fetch gives up waiting for response headers after
 * 300 s, and a callable may legitimately run for up to its 540 s timeout.
 */
export async function callCallable<T>(name: string, data: unknown, user: TestUser): Promise<CallOutcome<T>> {
  const url = new URL(`${await functionsUrl()}/${PROJECT_ID}/${REGION}/${name}`);
  const body = JSON.stringify({ data });
  // Callables check the caller's current claims in Firebase Auth: the caller must exist there (untimed).
  await ensureAuthUser(user);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Authorization: `Bearer ${unsignedIdToken(user)}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const wallMs = performance.now() - started;
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            const parsed = JSON.parse(text) as { result?: T; error?: CallOutcome<T>["error"] };
            resolve({ status: res.statusCode ?? 0, result: parsed.result, error: parsed.error, wallMs });
          } catch {
            resolve({ status: res.statusCode ?? 0, error: { status: "UNPARSEABLE", message: text.slice(0, 500) }, wallMs });
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Fixed-width table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
export const int = (n: number) => n.toLocaleString("en-US");
