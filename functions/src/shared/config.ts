import { defineInt, defineSecret, defineString } from "firebase-functions/params";

/** Where the callables and triggers run; the web app calls the callables in this region. */
export const REGION = "europe-west1";

export const geminiApiKey = defineSecret("GEMINI_API_KEY");
export const geminiModel = defineString("GEMINI_MODEL", { default: "gemini-2.5-flash" });
export const geminiTimeoutMs = defineInt("GEMINI_TIMEOUT_MS", { default: 20_000 });
export const geminiMaxAttempts = defineInt("GEMINI_MAX_ATTEMPTS", { default: 3 });
export const geminiBackoffMs = defineInt("GEMINI_BACKOFF_MS", { default: 1_000 });
export const rateLimitPerMinute = defineInt("RATE_LIMIT_PER_MINUTE", { default: 30 });
/** Gemini calls per UTC day, per partner and for the whole JV; past them the deterministic text is used. */
export const geminiDailyCallsPerPartner = defineInt("GEMINI_DAILY_CALLS_PER_PARTNER", { default: 200 });
export const geminiDailyCallsPerJv = defineInt("GEMINI_DAILY_CALLS_PER_JV", { default: 2000 });
