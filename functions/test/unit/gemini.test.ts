import { expect } from "chai";
import { z } from "zod";
import { createGeminiClient, type GeminiConfig, toGeminiJsonSchema } from "../../src/shared/gemini";
import { citedFigures, decimalFigures, type FakeGemini, FAKE_TEXT, startFakeGemini } from "../support/fake-gemini";

const summarySchema = z.object({
  title: z.string().max(40),
  body: z.string(),
  highlights: z.array(z.string()).max(3),
});

describe("gemini wrapper (real @google/genai client against a local fake)", () => {
  let fake: FakeGemini;
  let sleeps: number[];

  before(async () => {
    fake = await startFakeGemini();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    sleeps = [];
  });

  const client = (overrides: Partial<GeminiConfig> = {}) =>
    createGeminiClient({
      apiKey: "test-key",
      model: "gemini-test",
      baseUrl: fake.url,
      timeoutMs: 2000,
      maxAttempts: 3,
      backoffMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
      ...overrides,
    });

  const ask = (c = client()) =>
    c.generateJson({ system: "You summarise.", prompt: "Summarise 1,234.56 bbl.", schema: summarySchema, label: "test.summary" });

  it("returns the parsed value and the token usage of a good reply", async () => {
    const value = { title: "Done", body: "All allocated.", highlights: ["a"] };
    fake.script({ kind: "json", value, usage: { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 } });

    const result = await ask();

    expect(result).to.deep.equal({
      ok: true,
      value,
      usage: { promptTokens: 11, outputTokens: 7, totalTokens: 18 },
      model: "gemini-test",
      attempts: 1,
    });
  });

  it("counts thinking tokens as output tokens", async () => {
    fake.script({
      kind: "json",
      value: { title: "T", body: "B", highlights: [] },
      usage: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 20 },
    });

    const result = await ask();

    expect(result.usage).to.deep.equal({ promptTokens: 10, outputTokens: 24, totalTokens: 34 });
  });

  it("sends structured-output config, the schema, the key and the model like Gemini expects", async () => {
    await ask();

    const [request] = fake.requests();
    expect(request.path).to.equal("/v1beta/models/gemini-test:generateContent");
    expect(request.model).to.equal("gemini-test");
    expect(request.apiKey).to.equal("test-key");
    expect(request.prompt).to.equal("Summarise 1,234.56 bbl.");
    expect(request.system).to.equal("You summarise.");
    expect(request.body.generationConfig.responseMimeType).to.equal("application/json");
    const schema = request.body.generationConfig.responseJsonSchema;
    expect(schema).to.deep.equal(toGeminiJsonSchema(summarySchema));
    expect(schema).to.not.have.property("$schema");
    expect(schema.required).to.have.members(["title", "body", "highlights"]);
    expect(schema.properties.title).to.include({ type: "string", maxLength: 40, description: "At most 40 characters." });
    expect(schema.properties.highlights).to.include({ type: "array", maxItems: 3 });
  });

  it("answers with a schema-valid object by default when nothing is scripted", async () => {
    const result = await ask();

    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.title).to.equal(FAKE_TEXT.slice(0, 40));
    expect(result.value.highlights).to.deep.equal([FAKE_TEXT]);
    expect(result.usage.totalTokens).to.be.greaterThan(0);
  });

  it("reports a reply that is not JSON as malformed, keeps its usage, and does not retry", async () => {
    fake.script({ kind: "text", text: '{"title": "cut off', usage: { promptTokenCount: 5, candidatesTokenCount: 3 } });

    const result = await ask();

    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.kind).to.equal("malformed");
    expect(result.error.message).to.match(/^test\.summary: reply is not JSON/);
    expect(result.attempts).to.equal(1);
    expect(result.usage).to.deep.equal({ promptTokens: 5, outputTokens: 3, totalTokens: 8 });
    expect(fake.requests()).to.have.length(1);
  });

  it("reports JSON that breaks the schema as invalid without retrying", async () => {
    fake.script({ kind: "json", value: { title: "x".repeat(41), body: "b", highlights: [] } });

    const result = await ask();

    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.kind).to.equal("invalid");
    expect(result.error.message).to.contain("title");
    expect(fake.requests()).to.have.length(1);
  });

  it("retries a 429 after backing off and counts both attempts", async () => {
    const value = { title: "T", body: "B", highlights: [] };
    fake.script({ kind: "status", status: 429 }, { kind: "json", value });

    const result = await ask();

    expect(result).to.include({ ok: true, attempts: 2 });
    expect(sleeps).to.deep.equal([100]);
    expect(fake.requests().map((r) => r.answeredWith)).to.deep.equal(["status", "json"]);
  });

  it("gives up after maxAttempts on repeated 500s, backing off exponentially", async () => {
    fake.script(
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
      { kind: "json", value: {} },
    );

    const result = await ask();

    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error).to.include({ kind: "http", status: 500 });
    expect(result.attempts).to.equal(3);
    expect(sleeps).to.deep.equal([100, 200]);
    expect(fake.requests()).to.have.length(3);
    expect(fake.pending()).to.equal(1);
  });

  for (const status of [400, 403]) {
    it(`does not retry a ${status}`, async () => {
      fake.script({ kind: "status", status });

      const result = await ask();

      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.error).to.include({ kind: "http", status });
      expect(result.attempts).to.equal(1);
      expect(sleeps).to.deep.equal([]);
      expect(fake.requests()).to.have.length(1);
    });
  }

  it("times out each attempt that gets no answer and stops after maxAttempts", async () => {
    fake.script({ kind: "hang" }, { kind: "hang" });
    const started = Date.now();

    const result = await ask(client({ timeoutMs: 200, maxAttempts: 2 }));

    const elapsed = Date.now() - started;
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.kind).to.equal("timeout");
    expect(result.attempts).to.equal(2);
    expect(sleeps).to.deep.equal([100]);
    expect(fake.requests()).to.have.length(2);
    // Two attempts each waited for their deadline; far less than a hang.
    expect(elapsed).to.be.within(350, 10_000);
  });

  it("recovers when a timed-out attempt is followed by an answer", async () => {
    fake.script({ kind: "hang" }, { kind: "json", value: { title: "T", body: "B", highlights: [] } });

    const result = await ask(client({ timeoutMs: 200 }));

    expect(result).to.include({ ok: true, attempts: 2 });
  });

  it("reports a refused connection as a network error after bounded retries", async () => {
    const closed = await startFakeGemini();
    const url = closed.url;
    await closed.close();

    const result = await ask(client({ baseUrl: url, maxAttempts: 2 }));

    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.kind).to.equal("network");
    expect(result.attempts).to.equal(2);
  });

  it("returns no_key without any request when there is no API key", async () => {
    for (const apiKey of [undefined, "", " \n"]) {
      const result = await ask(client({ apiKey }));

      expect(result).to.deep.include({ ok: false, attempts: 0 });
      if (result.ok) return;
      expect(result.error.kind).to.equal("no_key");
    }
    expect(fake.requests()).to.have.length(0);
  });

  it("reaches the server named by GOOGLE_GEMINI_BASE_URL when no baseUrl is given", async () => {
    const previous = process.env.GOOGLE_GEMINI_BASE_URL;
    process.env.GOOGLE_GEMINI_BASE_URL = fake.url;
    try {
      const result = await ask(client({ baseUrl: undefined }));
      expect(result.ok).to.equal(true);
      expect(fake.requests()).to.have.length(1);
    } finally {
      if (previous === undefined) delete process.env.GOOGLE_GEMINI_BASE_URL;
      else process.env.GOOGLE_GEMINI_BASE_URL = previous;
    }
  });
});

describe("fake Gemini HTTP control", () => {
  let fake: FakeGemini;
  before(async () => {
    fake = await startFakeGemini();
  });
  after(async () => {
    await fake.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("enqueues behaviours, switches the default mode, lists requests and resets", async () => {
    const gemini = createGeminiClient({ apiKey: "k", model: "m", baseUrl: fake.url, timeoutMs: 2000, maxAttempts: 1, backoffMs: 0 });
    const ask = (prompt: string) => gemini.generateJson({ prompt, schema: z.object({ text: z.string() }), label: "control" });

    expect((await post("/__fake/script", [{ kind: "json", value: { text: "scripted" } }])).status).to.equal(200);
    expect((await post("/__fake/script", { default: "echo-figures" })).status).to.equal(200);
    expect((await post("/__fake/script", { default: "no-such-mode" })).status).to.equal(400);

    const first = await ask("Shrinkage was -12.50 bbl of 1,234.56.");
    const second = await ask("Shrinkage was -12.50 bbl of 1,234.56.");

    expect(first).to.deep.include({ ok: true, value: { text: "scripted" } });
    expect(second).to.deep.include({ ok: true, value: { text: `${FAKE_TEXT} was -12.50 of 1,234.56` } });
    const listed = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as { answeredWith: string }[];
    expect(listed.map((r) => r.answeredWith)).to.deep.equal(["json", "json"]);

    expect((await post("/__fake/reset", {})).status).to.equal(200);
    expect(await (await fetch(`${fake.url}/__fake/requests`)).json()).to.deep.equal([]);
    expect(await ask("Total 5.25")).to.deep.include({ ok: true, value: { text: FAKE_TEXT } });
  });

  it("gives a queued behaviour with `when` only to a request that mentions it", async () => {
    fake.reset();
    await post("/__fake/script", [{ kind: "status", status: 400, when: "entry e-17" }]);
    const gemini = createGeminiClient({ apiKey: "k", model: "m", baseUrl: fake.url, timeoutMs: 2000, maxAttempts: 1, backoffMs: 0 });
    const ask = (prompt: string) => gemini.generateJson({ prompt, schema: z.object({ text: z.string() }), label: "when" });

    expect((await ask("reconciliation R1")).ok).to.equal(true);
    expect(await ask("explain entry e-17")).to.deep.include({ ok: false });
    expect(fake.pending()).to.equal(0);
  });
});

describe("fake Gemini echo-figures", () => {
  it("cites each figure after the word written before it, never a standard's chapter alone", () => {
    expect(
      citedFigures('standard "API MPMS Ch. 11.1 (2004)", method remainder-0.01bbl, {"nsv_bbl":987.72,"delta_bbl":-1,234.5} 42.0'),
    ).to.deep.equal(["Ch. 11.1", "remainder-0.01", 'nsv_bbl":987.72', 'delta_bbl":-1,234.5', "42.0"]);
  });

  it("quotes decimal figures as written, a minus only where it starts a token", () => {
    expect(decimalFigures("shrinkage -12.5 bbl of 1,234.56; method remainder-0.01bbl; API MPMS 11.1-2004; v2")).to.deep.equal([
      "-12.5",
      "1,234.56",
      "0.01",
      "11.1",
    ]);
  });
});
