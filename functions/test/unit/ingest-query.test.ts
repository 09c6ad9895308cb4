import { expect } from "chai";
import { type Firestore } from "firebase-admin/firestore";
import { handleIngest, type IngestDeps, type IngestRequest } from "../../src/agents/ingestion/ingest-production";

/** Deps whose Firestore fails the test at its first use: the refusal must come before any read or write. */
const untouched: IngestDeps = {
  db: new Proxy({} as Firestore, {
    get: (_, property) => {
      throw new Error(`Firestore used (${String(property)}) before the query string was refused`);
    },
  }),
  clock: { now: () => new Date("2026-11-30T12:00:00Z") },
  rateLimit: { maxRequests: 60, windowMs: 60_000 },
};

const posted = (url: string, headers: IngestRequest["headers"] = {}): IngestRequest => ({
  method: "POST",
  path: url.split("?")[0],
  url,
  headers: { "content-type": "application/json", "idempotency-key": "k", ...headers },
  rawBody: Buffer.from('{"tickets":[1]}'),
});

describe("ingestion: a URL with a query string", () => {
  it("is refused 400 query_not_accepted, naming its first parameter, before the key or the body is read", async () => {
    const cases: Array<[string, string]> = [
      ["/v1/production?dry_run=true", 'the query parameter "dry_run"'],
      ["/v1/production/?validate&dry_run=1", 'the query parameter "validate"'],
      ["/v1/production?%64ry+run=1", 'the query parameter "dry run"'],
      ["/v1/production?a;b", 'the query parameter "a"'],
      ["/v1/production?%E0=1", 'the query parameter "%E0"'],
      ["/v1/production?\u00fc=1", 'the query parameter "?"'],
      [`/v1/production?${"x".repeat(5000)}`, `the query parameter "${"x".repeat(39)}…"`],
      // An empty "?", which fetch and the Functions emulator drop before the function sees it.
      ["/v1/production?", "a query string"],
      ["/v1/production?=1", "a query string"],
    ];
    for (const [url, named] of cases) {
      const answer = await handleIngest(untouched, posted(url, { authorization: "Bearer fsgk_not-a-key" }));
      expect(answer.status, url).to.equal(400);
      const error = (answer.body as { error: { code: string; message: string } }).error;
      expect(error.code, url).to.equal("query_not_accepted");
      expect(error.message, url).to.contain(`this request's URL carries ${named}.`);
      expect(error.message.length, url).to.be.below(220);
    }
  });

  it("is refused only on the endpoint's path and method: another path is 404, another method 405", async () => {
    expect((await handleIngest(untouched, posted("/v1/entries?dry_run=true"))).status).to.equal(404);
    expect((await handleIngest(untouched, { ...posted("/v1/production?dry_run=true"), method: "GET" })).status).to.equal(405);
  });
});
