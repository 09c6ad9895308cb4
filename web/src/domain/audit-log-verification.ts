import type { AuditLogReport } from "../data/types";

/** A rate-limit refusal's wait, in seconds (the callable's details say it), else undefined. */
function retryAfter(error: unknown): number | undefined {
  const e = error as { code?: string; details?: { retry_after_seconds?: unknown } } | null;
  if (e?.code !== "functions/resource-exhausted") return undefined;
  const wait = e.details?.retry_after_seconds;
  return typeof wait === "number" && wait > 0 ? wait : undefined;
}

/** Refusals in a row waited out before one is shown: a year-end log takes more calls than the limit admits a minute. */
const WAITS = 10;

/**
 * verifyAuditLog a segment per call, each going on with the run the first started, to the log's
 * end; `progress` hears each call's running totals, and each wait a rate limit asks for.
 */
export async function verifyWholeLog(
  call: (input: { run_id?: string }) => Promise<AuditLogReport>,
  progress: (report: AuditLogReport | undefined, waitSeconds?: number) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<AuditLogReport> {
  let report: AuditLogReport | undefined;
  let waits = 0;
  for (;;) {
    try {
      report = await call(report ? { run_id: report.run_id } : {});
      waits = 0;
    } catch (error) {
      const wait = retryAfter(error);
      if (wait === undefined || waits >= WAITS) throw error;
      waits += 1;
      progress(report, wait);
      await sleep(wait * 1000);
      continue;
    }
    if (report.complete) return report;
    progress(report);
  }
}

/** The verdict in words: only a complete walk says the log is intact. */
export function verificationText(report: AuditLogReport, count: (n: number, what: string) => string): string {
  const walked = `${count(report.events, "event")} in ${count(report.streams, "chain")}`;
  if (!report.complete) return `Verifying… ${walked} walked so far.`;
  if (report.ok) return `Intact: ${walked}, every hash links.`;
  const listed = report.problems.length < report.problems_count ? ` (the first ${report.problems.length} listed)` : "";
  return `${count(report.problems_count, "broken chain")}${listed} in ${count(report.streams, "chain")} (${count(report.events, "event")}).`;
}
