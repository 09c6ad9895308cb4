/**
 * Communicator benchmark, run inside `firebase emulators:exec` by bench-communicator.sh.
 *
 * Seeds 20 partners with 3 users each (a jv_partner and two field operators) plus 3
 * coordinators, an admin and an auditor, then writes reconciliations (20 allocation rows,
 * consistent figures from the accountant's domain code) one after another and waits for
 * every notification of each. Prints per reconciliation: time from the write to the last
 * notification, notifications per second, Gemini calls, tokens, and how many texts were
 * Gemini's. The fake Gemini server runs in this process on FAKE_GEMINI_PORT, answering
 * "echo-figures" (schema-valid replies quoting the prompt's figures) unless
 * BENCH_GEMINI_MODE names another mode.
 */
import { ALLOCATION_METHOD } from "../functions/src/domain/allocation";
import { reconciliationNotificationId } from "../functions/src/domain/notification-ids";
import { buildReconciliationReport } from "../functions/src/domain/reconciliation-report";
import { readShardedTotals } from "../functions/src/shared/sharded-counter";
import { adminDb, uniqueId, waitUntil } from "../functions/test/support/emulator";
import { DEFAULT_MODES, type DefaultMode, startFakeGemini } from "../functions/test/support/fake-gemini";

const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MODE = (process.env.BENCH_GEMINI_MODE ?? "echo-figures") as DefaultMode;

interface User {
  uid: string;
  role: string;
  partner_id?: string;
}

function seedUsersFor(partnerIds: readonly string[]): User[] {
  const users: User[] = [];
  for (const partner_id of partnerIds) {
    users.push({ uid: uniqueId("bench-partner"), role: "jv_partner", partner_id });
    users.push({ uid: uniqueId("bench-operator"), role: "field_operator", partner_id });
    users.push({ uid: uniqueId("bench-operator"), role: "field_operator", partner_id });
  }
  for (const role of ["jv_coordinator", "jv_coordinator", "jv_coordinator", "admin", "auditor"]) {
    users.push({ uid: uniqueId(`bench-${role}`), role });
  }
  return users;
}

/** A completed reconciliation as the accountant writes it; the figures vary by round. */
function reconciliation(receiptId: string, partnerIds: readonly string[], round: number): Record<string, unknown> {
  const partners = partnerIds.map((partner_id, i) => {
    const nsv_cb = 150_000_00 + ((i * 7919 + round * 104_729) % 90_000_00);
    return { partner_id, partner_name: `Partner ${i + 1}`, entries: 28 + (i % 5), gross_cb: Math.round(nsv_cb * 1.012), nsv_cb };
  });
  const fieldNsvCb = partners.reduce((sum, p) => sum + p.nsv_cb, 0);
  const terminalNsvCb = Math.round(fieldNsvCb * 0.9893);
  const figures = buildReconciliationReport({
    terminal: {
      gross_volume_bbl: Math.round(terminalNsvCb * 1.0142) / 100,
      api60: 34.2,
      ctl: 0.99123,
      cpl: 1.00034,
      csw: 0.995,
      nsv_bbl: terminalNsvCb / 100,
    },
    partners,
    entries_used: partners.reduce((sum, p) => sum + p.entries, 0),
    entries_excluded: 3,
    excluded: [0, 1, 2].map((i) => ({ entry_id: `${receiptId}-X${i}`, partner_id: partnerIds[i * 3], reason: "flagged, not reviewed" })),
  });
  return {
    terminal_receipt_id: receiptId,
    version: 1,
    status: "completed",
    period_start: new Date("2026-11-01T00:00:00Z"),
    period_end: new Date("2026-12-01T00:00:00Z"),
    standard: "API MPMS 11.1-2004",
    method: ALLOCATION_METHOD,
    ...figures,
    inputs_digest: "d".repeat(64),
    integrity_hash: "e".repeat(64),
    created_by: "bench",
    created_at: new Date(),
    duration_ms: 0,
  };
}

interface RoundResult {
  ms: number;
  notifications: number;
  geminiCalls: number;
  promptTokens: number;
  outputTokens: number;
  fromGemini: number;
}

async function runRound(
  users: readonly User[],
  partnerIds: readonly string[],
  round: number,
  fake: Awaited<ReturnType<typeof startFakeGemini>>,
): Promise<RoundResult> {
  const db = adminDb();
  const day = new Date().toISOString().slice(0, 10);
  const usagePath = `llm_usage/${day}_communicator`;
  const usageBefore = await readShardedTotals(db, usagePath);
  const receiptId = uniqueId("BENCH");
  const reconciliationId = `${receiptId}_v1`;
  const refs = users.map((u) => db.doc(`notifications/${reconciliationNotificationId(reconciliationId, u.uid)}`));

  const started = performance.now();
  await db.doc(`reconciliations/${reconciliationId}`).set(reconciliation(receiptId, partnerIds, round));
  const snaps = await waitUntil(
    `the ${refs.length} notifications of ${reconciliationId}`,
    async () => {
      const found = await db.getAll(...refs);
      return found.every((s) => s.exists) ? found : undefined;
    },
    120_000,
  );
  const ms = performance.now() - started;

  const usage = await readShardedTotals(db, usagePath);
  return {
    ms,
    notifications: snaps.length,
    geminiCalls: fake.requests().filter((r) => r.prompt.includes(reconciliationId)).length,
    promptTokens: (usage.prompt_tokens ?? 0) - (usageBefore.prompt_tokens ?? 0),
    outputTokens: (usage.output_tokens ?? 0) - (usageBefore.output_tokens ?? 0),
    fromGemini: snaps.filter((s) => s.get("summary_source") === "gemini").length,
  };
}

async function main(): Promise<void> {
  if (!DEFAULT_MODES.includes(MODE)) throw new Error(`BENCH_GEMINI_MODE must be one of ${DEFAULT_MODES.join(", ")}`);
  const fake = await startFakeGemini({ port: Number(process.env.FAKE_GEMINI_PORT ?? 9411), default: MODE });
  try {
    const partnerIds = Array.from({ length: PARTNERS }, (_, i) => uniqueId(`bench-p${i + 1}`));
    const users = seedUsersFor(partnerIds);
    const batch = adminDb().batch();
    for (const u of users) {
      batch.set(adminDb().doc(`users/${u.uid}`), {
        email: `${u.uid}@bench.test`,
        display_name: u.uid,
        role: u.role,
        ...(u.partner_id ? { partner_id: u.partner_id } : {}),
      });
    }
    await batch.commit();

    console.log(`communicator benchmark: ${PARTNERS} partners, ${users.length} recipients per reconciliation, fake Gemini "${MODE}"`);
    console.log("round  ms      notifications/s  gemini calls  prompt tokens  output tokens  gemini texts");
    const results: RoundResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await runRound(users, partnerIds, round, fake);
      results.push(r);
      console.log(
        [
          String(round).padEnd(6),
          r.ms.toFixed(0).padEnd(7),
          (r.notifications / (r.ms / 1000)).toFixed(1).padEnd(16),
          String(r.geminiCalls).padEnd(13),
          String(r.promptTokens).padEnd(14),
          String(r.outputTokens).padEnd(14),
          `${r.fromGemini}/${r.notifications}`,
        ].join(" "),
      );
    }
    const warm = results.slice(1).length > 0 ? results.slice(1) : results;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ms = median(warm.map((r) => r.ms));
    console.log(
      `warm median: ${ms.toFixed(0)} ms per reconciliation, ${(users.length / (ms / 1000)).toFixed(1)} notifications/s, ` +
        `${median(warm.map((r) => r.geminiCalls))} Gemini calls and ${median(warm.map((r) => r.promptTokens + r.outputTokens))} tokens per reconciliation ` +
        "(round 1 includes the function's cold start)",
    );
  } finally {
    await fake.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
