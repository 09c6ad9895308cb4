import { type Firestore } from "firebase-admin/firestore";
import { COLLECTIONS, type AgentName } from "./collections";
import { type GeminiResult } from "./gemini";
import { incrementSharded } from "./sharded-counter";

/** The usage documents this instance has written, so that each is written once per instance (no hot document). */
const described = new Set<string>();

/**
 * Gemini use per UTC day and agent: `llm_usage/{day}_{agent}` names the day, agent and model
 * (written once per instance, so that readers can list the days), its `shards` subcollection
 * holds the counts (a burst of flagged entries must not make it hot).
 */
export async function recordLlmUsage(
  db: Firestore,
  agent: AgentName,
  result: GeminiResult<unknown>,
  usedFallback: boolean,
  now: Date,
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const path = `${COLLECTIONS.llmUsage}/${day}_${agent}`;
  const describedKey = `${path}|${result.model}`;
  const describe = described.has(describedKey)
    ? undefined
    : db
        .doc(path)
        .set({ day, agent, model: result.model }, { merge: true })
        .then(() => void described.add(describedKey));
  const counted = incrementSharded(
    db,
    path,
    {
      calls: 1,
      attempts: result.attempts,
      prompt_tokens: result.usage.promptTokens,
      output_tokens: result.usage.outputTokens,
      total_tokens: result.usage.totalTokens,
      failures: result.ok ? 0 : 1,
      fallbacks: usedFallback ? 1 : 0,
      no_key: !result.ok && result.error.kind === "no_key" ? 1 : 0,
    },
    { day, agent, model: result.model },
  );
  await Promise.all([counted, describe]);
}
