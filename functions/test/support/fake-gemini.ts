/**
 * A local stand-in for the Gemini API's `generateContent`, for tests that drive the real
 * `@google/genai` client (point it here with `httpOptions.baseUrl` or the
 * `GOOGLE_GEMINI_BASE_URL` variable).
 *
 * It answers `POST /{version}/models/{model}:generateContent` with Gemini's envelope
 * (`candidates[0].content.parts[0].text`, `usageMetadata`) or Gemini's error envelope, and
 * records every such request. What it answers comes from a FIFO queue of scripted
 * behaviours; a behaviour with `when` is only taken by a request whose prompt or system
 * instruction contains that text (so concurrent agents can be scripted apart). With the
 * queue empty it uses the default behaviour, by default `"schema"`.
 *
 * Named defaults (all deterministic):
 * - `"schema"`: a minimal object valid against the request's
 *   `generationConfig.responseJsonSchema`: every property present, strings are
 *   {@link FAKE_TEXT} (no digits, fitted to min/maxLength), arrays have one element (or
 *   minItems), numbers are 0 moved into [minimum, maximum], booleans false, enums their
 *   first value. Without a schema the reply text is FAKE_TEXT.
 * - `"echo-figures"`: like `"schema"`, but each string also quotes the prompt's decimal
 *   figures (tokens such as `1,234.56` or `-12.5`, exactly as written, whole figures only,
 *   each after the word before it there, as many as fit maxLength): a reply that a figures
 *   check against the prompt accepts.
 * - `"invent-figures"`: like `"schema"`, but each string carries {@link INVENTED_FIGURE},
 *   a figure no report contains: a reply that a figures check must reject.
 * - `"malformed"`: text that is not JSON. `"error-500"`, `"error-429"`: that status.
 *   `"hang"`: never answers.
 * - `"obey-injection"`: a model that obeys text injected into its data. It reads every
 *   string of the prompt (its JSON string literals, decoded), takes those that
 *   read as an instruction or a claim ({@link INJECTION_PATTERN}, or the behaviour's own
 *   `pattern`) and writes them, verbatim, into every string of a schema-shaped reply: the
 *   injected figure and the injected instruction both reach its answer. With nothing to
 *   obey it answers like `"schema"`. Scripted per request as `{kind: "obey", pattern?}`.
 *
 * Control over HTTP, for a test in another process than the caller (the Functions
 * emulator): `POST /__fake/script` with a JSON array of behaviours (enqueued), or
 * `{"enqueue": [...], "default": "<mode>" | <behaviour>}`; `POST /__fake/reset` (empty
 * queue, no requests, initial default); `GET /__fake/requests`; `GET /__fake/health`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_TEXT = "Summary prepared by the fake Gemini server.";
export const INVENTED_FIGURE = "987,654.32";

export interface FakeUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  thoughtsTokenCount?: number;
}

export type FakeBehaviour = (
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "status"; status: number; body?: unknown }
  | { kind: "hang" }
  | { kind: "obey"; pattern?: string }
) & {
  /** Only a request whose prompt or system instruction contains this text takes it. */
  when?: string;
  /** Overrides the computed token counts of a json/text reply. */
  usage?: Partial<FakeUsage>;
};

export const DEFAULT_MODES = [
  "schema",
  "echo-figures",
  "invent-figures",
  "malformed",
  "error-500",
  "error-429",
  "hang",
  "obey-injection",
] as const;
export type DefaultMode = (typeof DEFAULT_MODES)[number];
export type DefaultBehaviour = DefaultMode | FakeBehaviour | ((request: RecordedRequest) => FakeBehaviour);

export interface RecordedRequest {
  method: string;
  path: string;
  model: string;
  headers: Record<string, string>;
  apiKey?: string;
  body: any;
  /** The text parts of `contents`, joined with newlines. */
  prompt: string;
  system?: string;
  schema?: unknown;
  /** The kind of behaviour that answered it. */
  answeredWith: FakeBehaviour["kind"];
}

export interface FakeGemini {
  readonly url: string;
  readonly port: number;
  script(...behaviours: FakeBehaviour[]): void;
  setDefault(behaviour: DefaultBehaviour): void;
  reset(): void;
  requests(): RecordedRequest[];
  pending(): number;
  close(): Promise<void>;
}

export interface FakeGeminiOptions {
  port?: number;
  host?: string;
  default?: DefaultBehaviour;
}

const GENERATE_PATH = /^\/[^/]+\/models\/([^/:]+):generateContent$/;

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const initialDefault = options.default ?? "schema";
  let fallback: DefaultBehaviour = initialDefault;
  let queue: FakeBehaviour[] = [];
  let recorded: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();

  const takeBehaviour = (req: RecordedRequest): FakeBehaviour => {
    const text = `${req.system ?? ""}\n${req.prompt}`;
    const index = queue.findIndex((b) => b.when === undefined || text.includes(b.when));
    if (index >= 0) return queue.splice(index, 1)[0];
    return typeof fallback === "function" ? fallback(req) : typeof fallback === "string" ? modeBehaviour(fallback, req) : fallback;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://fake");
        const raw = await readBody(req);
        if (url.pathname.startsWith("/__fake/")) {
          return control(url.pathname, req.method ?? "GET", raw, res);
        }
        const match = GENERATE_PATH.exec(url.pathname);
        if (req.method !== "POST" || !match) {
          return sendJson(res, 404, errorEnvelope(404, `no route ${req.method} ${url.pathname}`));
        }
        const body = raw ? JSON.parse(raw) : {};
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
        const request: RecordedRequest = {
          method: req.method,
          path: url.pathname,
          model: decodeURIComponent(match[1]),
          headers,
          apiKey: headers["x-goog-api-key"],
          body,
          prompt: textOf(body.contents),
          system: body.systemInstruction ? textOf([body.systemInstruction]) : undefined,
          schema: body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema,
          answeredWith: "hang",
        };
        const behaviour = takeBehaviour(request);
        request.answeredWith = behaviour.kind;
        recorded.push(request);
        answer(behaviour, request, res);
      } catch (e) {
        sendJson(res, 400, errorEnvelope(400, `fake gemini: ${(e as Error).message}`));
      }
    })();
  });

  const control = (path: string, method: string, raw: string, res: http.ServerResponse) => {
    if (path === "/__fake/script" && method === "POST") {
      const body = raw ? JSON.parse(raw) : [];
      const enqueue: FakeBehaviour[] = Array.isArray(body) ? body : (body.enqueue ?? []);
      if (!Array.isArray(body) && body.default !== undefined) {
        if (typeof body.default === "string" && !DEFAULT_MODES.includes(body.default)) {
          return sendJson(res, 400, { error: `unknown default mode ${body.default}`, modes: DEFAULT_MODES });
        }
        fallback = body.default;
      }
      queue.push(...enqueue);
      return sendJson(res, 200, { queued: queue.length });
    }
    if (path === "/__fake/reset" && method === "POST") {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (path === "/__fake/requests" && method === "GET") return sendJson(res, 200, recorded);
    if (path === "/__fake/health" && method === "GET") return sendJson(res, 200, { ok: true });
    return sendJson(res, 404, { error: `no control route ${method} ${path}` });
  };

  const answer = (behaviour: FakeBehaviour, request: RecordedRequest, res: http.ServerResponse): void => {
    switch (behaviour.kind) {
      case "obey":
        return answer(obeyReply(request, behaviour.pattern), request, res);
      case "hang":
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      case "status":
        return sendJson(res, behaviour.status, behaviour.body ?? errorEnvelope(behaviour.status));
      case "json":
      case "text": {
        const text = behaviour.kind === "json" ? JSON.stringify(behaviour.value) : behaviour.text;
        const requestText = `${request.system ?? ""}${request.prompt}`;
        const promptTokenCount = behaviour.usage?.promptTokenCount ?? Math.ceil(requestText.length / 4);
        const candidatesTokenCount = behaviour.usage?.candidatesTokenCount ?? Math.ceil(text.length / 4);
        return sendJson(res, 200, {
          candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
          usageMetadata: {
            promptTokenCount,
            candidatesTokenCount,
            ...(behaviour.usage?.thoughtsTokenCount !== undefined ? { thoughtsTokenCount: behaviour.usage.thoughtsTokenCount } : {}),
            totalTokenCount:
              behaviour.usage?.totalTokenCount ?? promptTokenCount + candidatesTokenCount + (behaviour.usage?.thoughtsTokenCount ?? 0),
          },
          modelVersion: request.model,
          responseId: `fake-${recorded.length}`,
        });
      }
    }
  };

  const reset = () => {
    queue = [];
    recorded = [];
    fallback = initialDefault;
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    script: (...behaviours) => void queue.push(...behaviours),
    setDefault: (behaviour) => void (fallback = behaviour),
    reset,
    requests: () => [...recorded],
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The behaviour a named default mode gives for one request. */
export function modeBehaviour(mode: DefaultMode, request: RecordedRequest): FakeBehaviour {
  switch (mode) {
    case "schema":
      return schemaReply(request, []);
    case "echo-figures":
      return schemaReply(request, citedFigures(request.prompt));
    case "invent-figures":
      return schemaReply(request, [INVENTED_FIGURE]);
    case "malformed":
      return { kind: "text", text: '{"title": "unterminated' };
    case "error-500":
      return { kind: "status", status: 500 };
    case "error-429":
      return { kind: "status", status: 429 };
    case "hang":
      return { kind: "hang" };
    case "obey-injection":
      return obeyReply(request);
  }
}

/** What reads as an instruction or a claim planted in data. */
export const INJECTION_PATTERN = "ignore|disregard|instruction|system|approve|revised|allocated|override|tell |say |write |report ";

/** The planted texts of a prompt: its JSON strings (decoded) that match the pattern. */
export function injectedTexts(prompt: string, pattern = INJECTION_PATTERN): string[] {
  const re = new RegExp(pattern, "i");
  const found = new Set<string>();
  for (const m of prompt.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    try {
      const text = JSON.parse(`"${m[1]}"`) as string;
      if (re.test(text)) found.add(text);
    } catch {
      // not a JSON string literal
    }
  }
  return [...found];
}

/** A reply that does what the planted texts say: every string of it is those texts. */
export function obeyReply(request: RecordedRequest, pattern?: string): FakeBehaviour {
  const texts = injectedTexts(request.prompt, pattern);
  if (texts.length === 0) return schemaReply(request, []);
  const text = texts.join(" ");
  if (request.schema === undefined) return { kind: "text", text };
  return { kind: "json", value: exampleFromSchema(request.schema, [], request.schema, text) };
}

function schemaReply(request: RecordedRequest, figures: string[]): FakeBehaviour {
  if (request.schema === undefined) return { kind: "text", text: withFigures(FAKE_TEXT, figures, undefined) };
  return { kind: "json", value: exampleFromSchema(request.schema, figures) };
}

/**
 * Decimal figures (with a fractional part) as written in the text, first occurrence order.
 * A minus belongs to a figure only when it starts a token, as in the figures check: the
 * figure in "remainder-0.01bbl" is 0.01.
 */
export function decimalFigures(text: string): string[] {
  const found = text.match(/(?<![\p{L}\p{N}.,])-?\d{1,3}(?:,\d{3})+\.\d+|(?<![\p{L}\p{N}.,])-?\d+\.\d+/gu) ?? [];
  return [...new Set(found)];
}

/**
 * The prompt's decimal figures as a model cites them: each with the word written before it
 * there ("MPMS Ch. 11.1", "remainder-0.01", "nsv_bbl\":987.72"), so that a standard's chapter
 * or a method's rounding unit is never quoted as a bare figure, which a figures check refuses.
 */
export function citedFigures(text: string): string[] {
  const cited = new Set<string>();
  for (const m of text.matchAll(/(?<![\p{L}\p{N}.,])-?\d{1,3}(?:,\d{3})+\.\d+|(?<![\p{L}\p{N}.,])-?\d+\.\d+/gu)) {
    const before =
      /(?<![\p{L}\p{N}_])[\p{L}_][\p{L}\p{N}_]*\.?[^\p{L}\p{N}]{0,3}$/u.exec(text.slice(Math.max(0, m.index - 80), m.index))?.[0] ?? "";
    cited.add(`${before}${m[0]}`);
  }
  return [...cited];
}

/** A minimal deterministic value valid against a JSON schema (the subset zod emits). */
export function exampleFromSchema(schema: unknown, figures: string[] = [], root: unknown = schema, base = FAKE_TEXT): unknown {
  const s = (schema ?? {}) as Record<string, any>;
  if (typeof s.$ref === "string") {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    const defs = (root as any)?.$defs ?? (root as any)?.definitions ?? {};
    return exampleFromSchema(defs[name], figures, root, base);
  }
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const options = s.anyOf ?? s.oneOf;
  if (Array.isArray(options)) {
    const first = options.find((o: any) => o?.type !== "null") ?? options[0];
    return exampleFromSchema(first, figures, root, base);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t: string) => t !== "null") ?? "null") : s.type;
  switch (type ?? (s.properties ? "object" : undefined)) {
    case "object":
      return Object.fromEntries(
        Object.entries((s.properties ?? {}) as Record<string, unknown>).map(([k, v]) => [k, exampleFromSchema(v, figures, root, base)]),
      );
    case "array": {
      const count = Math.min(Math.max(s.minItems ?? 1, 1), s.maxItems ?? Infinity);
      return Array.from({ length: count }, () => exampleFromSchema(s.items, figures, root, base));
    }
    case "string":
      if (s.format === "date-time") return "2026-01-01T00:00:00Z";
      if (s.format === "date") return "2026-01-01";
      return withFigures(base, figures, s.maxLength, s.minLength);
    case "number":
    case "integer": {
      let n = 0;
      if (typeof s.minimum === "number") n = Math.max(n, s.minimum);
      if (typeof s.exclusiveMinimum === "number" && n <= s.exclusiveMinimum) n = s.exclusiveMinimum + 1;
      if (typeof s.maximum === "number") n = Math.min(n, s.maximum);
      return type === "integer" ? Math.ceil(n) : n;
    }
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return FAKE_TEXT;
  }
}

function withFigures(base: string, figures: string[], maxLength?: number, minLength = 0): string {
  const limit = maxLength ?? Infinity;
  let text = base.length <= limit ? base : base.slice(0, limit);
  for (const figure of figures) {
    const next = `${text} ${figure}`;
    if (next.length > limit) break;
    text = next;
  }
  return text.padEnd(minLength, ".");
}

function textOf(contents: unknown): string {
  if (typeof contents === "string") return contents;
  if (!Array.isArray(contents)) return "";
  return contents
    .flatMap((c: any) => (Array.isArray(c?.parts) ? c.parts : []))
    .map((p: any) => (typeof p?.text === "string" ? p.text : ""))
    .filter((t: string) => t !== "")
    .join("\n");
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

function errorEnvelope(code: number, message = `fake gemini answered ${code}`) {
  return { error: { code, message, status: STATUS_NAMES[code] ?? "UNKNOWN" } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
