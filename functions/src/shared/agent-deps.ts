import { type Auth } from "firebase-admin/auth";
import { type Firestore } from "firebase-admin/firestore";
import { systemClock, type Clock } from "./clock";
import {
  geminiApiKey,
  geminiBackoffMs,
  geminiDailyCallsPerJv,
  geminiDailyCallsPerPartner,
  geminiMaxAttempts,
  geminiModel,
  geminiTimeoutMs,
  rateLimitPerMinute,
} from "./config";
import { auth, firestore } from "./firebase";
import { createGeminiClient, type GeminiClient } from "./gemini";
import { type GeminiBudget } from "./gemini-budget";
import { type RateLimit } from "./rate-limit";

/** What every agent handler is handed: tests build their own with emulator-backed pieces. */
export interface AgentDeps {
  db: Firestore;
  auth: Auth;
  gemini: GeminiClient;
  clock: Clock;
  rateLimit: RateLimit;
  /** Daily Gemini budgets; absent means unbudgeted (tests that call handlers directly). */
  geminiBudget?: GeminiBudget;
}

/**
 * The production wiring, resolved per invocation (params and secrets are runtime values).
 * Functions that do not bind the Gemini secret get a client without a key: it never calls out.
 */
export function productionDeps(options: { gemini: boolean } = { gemini: true }): AgentDeps {
  return {
    db: firestore(),
    auth: auth(),
    clock: systemClock,
    gemini: createGeminiClient({
      apiKey: options.gemini ? geminiApiKey.value() : undefined,
      model: geminiModel.value(),
      timeoutMs: geminiTimeoutMs.value(),
      maxAttempts: geminiMaxAttempts.value(),
      backoffMs: geminiBackoffMs.value(),
    }),
    rateLimit: { maxCalls: rateLimitPerMinute.value(), windowMs: 60_000 },
    geminiBudget: { perPartner: geminiDailyCallsPerPartner.value(), perJv: geminiDailyCallsPerJv.value() },
  };
}
