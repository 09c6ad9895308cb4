/**
 * The one way this codebase calls Gemini: structured JSON output checked with zod, a
 * deadline per attempt, bounded retries, token usage reported, and no exceptions — a
 * failure is a value the caller turns into deterministic fallback text.
 *
 * Retries: only 408, 429, 5xx, timeouts and network errors, at most `maxAttempts` calls in
 * all, waiting `backoffMs * 2^(n-1)` before retry n. The client's own retries stay off
 * (`@google/genai` 2.x retries only when `httpOptions.retryOptions` is set; we pin
 * `attempts: 1`), and its automatic continuation is off, so one attempt is one HTTP
 * request. A reply that is not JSON ("malformed") or does not match the schema ("invalid")
 * is not retried: with structured output it is rare and mostly systematic (a length limit
 * the prompt invites, a blocked reply), a second call would double tokens and latency in a
 * trigger, and the caller already has a correct deterministic text to fall back to.
 */
import type * as GenAiModule from "@google/genai";
import type { GenerateContentResponse, GoogleGenAI } from "@google/genai";
import { z } from "zod";

export interface GeminiConfig {
  /** Empty, blank or missing: every call returns `no_key` without touching the network. */
  apiKey?: string;
  model: string;
  /** Overrides the endpoint; when absent the client honours `GOOGLE_GEMINI_BASE_URL`. */
  baseUrl?: string;
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenUsage {
  promptTokens: number;
  /** Candidate tokens plus thinking tokens: both are billed as output. */
  outputTokens: number;
  totalTokens: number;
}

export type GeminiErrorKind = "timeout" | "http" | "malformed" | "invalid" | "no_key" | "network";

export interface GeminiError {
  kind: GeminiErrorKind;
  status?: number;
  message: string;
}

export type GeminiResult<T> =
  | { ok: true; value: T; usage: TokenUsage; model: string; attempts: number }
  | { ok: false; error: GeminiError; usage: TokenUsage; model: string; attempts: number };

export interface GenerateJsonArgs<T> {
  system?: string;
  prompt: string;
  schema: z.ZodType<T>;
  /** Names the call in error messages, e.g. "communicator.reconciliation_summary". */
  label: string;
}

export interface GeminiClient {
  readonly model: string;
  /** False without an API key: every call answers `no_key`, so none is taken from the daily budget. */
  readonly configured: boolean;
  generateJson<T>(args: GenerateJsonArgs<T>): Promise<GeminiResult<T>>;
}

type GenAi = typeof GenAiModule;
/** A client's connection: the library as loaded (its ApiError classifies failures) and the client made with it. */
type Connection = { ai: GoogleGenAI; genAi: GenAi };
let genAiLoad: Promise<GenAi> | undefined;
/**
 * Loaded by the first call that reaches Gemini, not at start-up: every function instance loads
 * this module, few call Gemini. A failed load is not kept: the next call tries again.
 */
function loadGenAi(): Promise<GenAi> {
  genAiLoad ??= import("@google/genai").catch((error: unknown) => {
    genAiLoad = undefined;
    throw error;
  });
  return genAiLoad;
}

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

export function createGeminiClient(config: GeminiConfig): GeminiClient {
  const { model, timeoutMs, backoffMs } = config;
  const maxAttempts = Math.max(1, Math.floor(config.maxAttempts));
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // A deploy needs the secret to exist: a JV without Gemini stores a blank one (docs/deploy.md).
  const apiKey = config.apiKey?.trim();
  let client: Connection | undefined;
  const connect = async (key: string): Promise<Connection> => {
    if (!client) {
      const genAi = await loadGenAi();
      client ??= {
        genAi,
        ai: new genAi.GoogleGenAI({
          apiKey: key,
          httpOptions: {
            ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
            retryOptions: { attempts: 1 },
          },
        }),
      };
    }
    return client;
  };

  async function attempt<T>(
    { ai, genAi }: Connection,
    args: GenerateJsonArgs<T>,
    jsonSchema: object,
    usage: TokenUsage,
  ): Promise<AttemptResult<T>> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    // The abort ends the request; the race guarantees the deadline even if a client
    // version stopped honouring the signal while reading the body.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    let response: GenerateContentResponse;
    try {
      response = await Promise.race([
        ai.models.generateContent({
          model,
          contents: args.prompt,
          config: {
            ...(args.system ? { systemInstruction: args.system } : {}),
            responseMimeType: "application/json",
            responseJsonSchema: jsonSchema,
            abortSignal: controller.signal,
            automaticContinuation: false,
          },
        }),
        deadline,
      ]);
    } catch (e) {
      return { ok: false, error: classify(e, timedOut, genAi.ApiError) };
    } finally {
      clearTimeout(timer);
    }
    addUsage(usage, response.usageMetadata);
    try {
      return parseReply(response.text, args.schema, response.candidates?.[0]?.finishReason);
    } catch (e) {
      // Only a refinement in the caller's schema can throw here.
      return { ok: false, error: { kind: "invalid", message: `schema check threw: ${errorText(e)}` } };
    }
  }

  return {
    model,
    configured: Boolean(apiKey),
    async generateJson<T>(args: GenerateJsonArgs<T>): Promise<GeminiResult<T>> {
      const usage: TokenUsage = { promptTokens: 0, outputTokens: 0, totalTokens: 0 };
      const fail = (error: GeminiError, attempts: number): GeminiResult<T> => ({
        ok: false,
        error: { ...error, message: `${args.label}: ${error.message}` },
        usage,
        model,
        attempts,
      });
      if (!apiKey) return fail({ kind: "no_key", message: "no Gemini API key configured" }, 0);
      let jsonSchema: object;
      try {
        jsonSchema = toGeminiJsonSchema(args.schema);
      } catch (e) {
        return fail({ kind: "invalid", message: `schema has no JSON Schema form: ${errorText(e)}` }, 0);
      }
      let connected: Connection;
      try {
        connected = await connect(apiKey);
      } catch (e) {
        return fail({ kind: "network", message: `the Gemini client library did not load: ${errorText(e)}` }, 0);
      }
      for (let n = 1; ; n++) {
        const result = await attempt(connected, args, jsonSchema, usage);
        if (result.ok) return { ok: true, value: result.value, usage, model, attempts: n };
        if (n >= maxAttempts || !isRetryable(result.error)) return fail(result.error, n);
        await sleep(backoffMs * 2 ** (n - 1));
      }
    },
  };
}

const jsonSchemas = new WeakMap<z.ZodType, object>();

/**
 * The JSON Schema sent as `responseJsonSchema`: zod 4's `toJSONSchema` of the reply's input
 * side, without `$schema`. That field takes full JSON Schema and ignores keywords it does
 * not support (maxLength, minLength, pattern among them), so a string's maxLength is also
 * written into its `description` for the model to read; zod enforces it on the reply.
 */
export function toGeminiJsonSchema(schema: z.ZodType): object {
  let cached = jsonSchemas.get(schema);
  if (!cached) {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
    cached = describeLengths(rest) as object;
    jsonSchemas.set(schema, cached);
  }
  return cached;
}

function describeLengths(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(describeLengths);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = describeLengths(v);
  if (out.type === "string" && typeof out.maxLength === "number") {
    const hint = `At most ${out.maxLength} characters.`;
    out.description = typeof out.description === "string" ? `${out.description} ${hint}` : hint;
  }
  return out;
}

type AttemptResult<T> = { ok: true; value: T } | { ok: false; error: GeminiError };

function parseReply<T>(text: string | undefined, schema: z.ZodType<T>, finishReason?: string): AttemptResult<T> {
  if (text === undefined || text.trim() === "") {
    return { ok: false, error: { kind: "malformed", message: `reply has no text (finishReason ${finishReason ?? "none"})` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { kind: "malformed", message: `reply is not JSON: ${errorText(e)}` } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: { kind: "invalid", message: `reply does not match the schema: ${truncate(z.prettifyError(parsed.error))}` },
    };
  }
  return { ok: true, value: parsed.data };
}

function classify(e: unknown, timedOut: boolean, apiError: GenAi["ApiError"]): GeminiError {
  if (timedOut) return { kind: "timeout", message: errorText(e) };
  if (e instanceof apiError) return { kind: "http", status: e.status, message: truncate(e.message) };
  // The client reads the reply envelope with response.json(): a broken envelope is a bad reply.
  if (e instanceof SyntaxError) return { kind: "malformed", message: `reply envelope is not JSON: ${e.message}` };
  return { kind: "network", message: errorText(e) };
}

function isRetryable(error: GeminiError): boolean {
  if (error.kind === "timeout" || error.kind === "network") return true;
  return error.kind === "http" && error.status !== undefined && RETRYABLE_STATUS(error.status);
}

interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
}

function addUsage(usage: TokenUsage, meta: UsageMetadata | undefined): void {
  if (!meta) return;
  const prompt = meta.promptTokenCount ?? 0;
  const output = (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0);
  usage.promptTokens += prompt;
  usage.outputTokens += output;
  usage.totalTokens += meta.totalTokenCount ?? prompt + output;
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

function truncate(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
