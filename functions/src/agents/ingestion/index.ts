/** Machine ingestion: SCADA gateways POST meter tickets with an API key; admins issue and revoke keys. */
import { defineInt } from "firebase-functions/params";
import { onRequest, type HttpsOptions } from "firebase-functions/v2/https";
import { defineCallable } from "../../shared/callable";
import { systemClock } from "../../shared/clock";
import { firestore } from "../../shared/firebase";
import { createApiKey, createApiKeyInput, revokeApiKey, revokeApiKeyInput } from "./api-keys";
import { handleIngest, internalError, type IngestDeps } from "./ingest-production";
import { KnownKeys, RateLimitedKeys, type InstanceMemory } from "./instance-memory";
import { Recent } from "../../shared/recent";

export const ingestRateLimitPerMinute = defineInt("INGEST_RATE_LIMIT_PER_MINUTE", { default: 60 });

export const createKey = defineCallable(
  { name: "createApiKey", roles: ["admin"], input: createApiKeyInput, rateLimit: true, action: "API key requests", status: "admin" },
  (deps, input, caller) => createApiKey(deps, input, caller),
);

export const revokeKey = defineCallable(
  { name: "revokeApiKey", roles: ["admin"], input: revokeApiKeyInput, rateLimit: true, action: "API key revocations", status: "admin" },
  revokeApiKey,
);

/**
 * Public (gateways authenticate with their key, not IAM); bounded instances so a flood costs at
 * most this many containers; each batch of 500 writes fits well inside the timeout.
 */
export const ingestOptions: HttpsOptions = { invoker: "public", maxInstances: 10, concurrency: 40, timeoutSeconds: 60, memory: "512MiB" };

/** One per instance (instance-memory.ts). */
const memory: InstanceMemory = { keys: new KnownKeys(), limited: new RateLimitedKeys(), versions: new Recent() };

export function ingestDeps(): IngestDeps {
  return {
    db: firestore(),
    clock: systemClock,
    rateLimit: { maxRequests: ingestRateLimitPerMinute.value(), windowMs: 60_000 },
    memory,
  };
}

/** The deployed endpoint: handleIngest's answer, or a logged 500 with a correlation id. */
export const ingestEndpoint = () =>
  onRequest(ingestOptions, async (req, res) => {
    let answer;
    try {
      answer = await handleIngest(ingestDeps(), {
        method: req.method,
        path: req.path,
        url: req.originalUrl,
        headers: req.headers,
        rawBody: req.rawBody,
      });
    } catch (error) {
      answer = internalError(error, { fn: "ingestProduction", path: req.path });
    }
    res
      .status(answer.status)
      .set({ ...answer.headers, "Cache-Control": "no-store" })
      .json(answer.body);
  });
