import { expect } from "chai";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { idempotencyRef } from "../../src/agents/ingestion/idempotency-store";
import { ticketEntryId } from "../../src/domain/meter-ticket";
import { adminDb } from "../support/emulator";
import { createKey, partnerEntryCount, postBatch, settingsChangedAfterRead, ticket, type Posted } from "../support/ingestion";
import { handleIngest } from "../../src/agents/ingestion/ingest-production";
import { systemClock } from "../../src/shared/clock";
import { validate } from "../support/json-schema";
import { seedPartner } from "../support/production-entries";

/**
 * docs/ingestion-openapi.json against the running endpoint: its request examples succeed as its
 * response examples say, and every error status it documents comes back in its documented shape.
 */
const contract = JSON.parse(readFileSync(join(__dirname, "../../../docs/ingestion-openapi.json"), "utf8"));
const operation = contract.paths["/v1/production"].post;

function documented(status: number): { schema: Record<string, unknown>; headers: Record<string, { schema: Record<string, unknown> }> } {
  let response = operation.responses[String(status)];
  if (!response) throw new Error(`status ${status} is not documented`);
  if (response.$ref) response = contract.components.responses[response.$ref.split("/").pop()];
  return { schema: response.content["application/json"].schema, headers: response.headers ?? {} };
}

/** A header's value as its schema reads it: an integer schema's as the number it spells, if it spells one. */
const headerValue = (value: string, schema: Record<string, unknown>) =>
  schema.type === "integer" && /^\d+$/.test(value) ? Number(value) : value;

function expectDocumented(response: { status: number; headers: Headers; body: any; text?: string }, status: number, code?: string): void {
  expect(response.status, response.text).to.equal(status);
  const { schema, headers } = documented(status);
  expect(validate(contract, schema, response.body), response.text).to.deep.equal([]);
  for (const [name, header] of Object.entries(headers)) {
    const value = response.headers.get(name);
    if (name === "Idempotency-Replayed" && value === null) continue;
    expect(value, `${status} ${name}`).to.be.a("string");
    expect(validate(contract, header.schema, headerValue(value!, header.schema)), `${status} ${name}: ${value}`).to.deep.equal([]);
  }
  if (code) expect(response.body.error.code).to.equal(code);
}

describe("ingestion contract (docs/ingestion-openapi.json)", () => {
  it("documents the path the emulator serves the endpoint at", () => {
    expect(contract.openapi).to.match(/^3\.1\./);
    expect(contract.servers[0].url).to.match(/\/demo-flowshare\/europe-west1\/ingestProduction$/);
  });

  for (const [name, example] of Object.entries<any>(operation.requestBody.content["application/json"].examples)) {
    it(`request example "${name}" gets the documented per-ticket results`, async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      const response = await postBatch(example.value, { key });
      expectDocumented(response, 200);
      const expected = operation.responses["200"].content["application/json"].examples[name].value.results;
      expect(
        response.body.results.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => `${i.path}:${i.code}`)]),
      ).to.deep.equal(expected.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => `${i.path}:${i.code}`)]));
      for (const result of response.body.results.filter((r: any) => r.status === "created")) {
        expect(result.entry_id).to.equal(ticketEntryId(partner, result.ticket_id));
        expect((await adminDb().doc(`production_entries/${result.entry_id}`).get()).exists).to.equal(true);
      }
      // Sent again under a new Idempotency-Key: the documented duplicate status, nothing written.
      const count = await partnerEntryCount(partner);
      const again = await postBatch(example.value, { key });
      expectDocumented(again, 200);
      expect(again.body.results.map((r: any) => r.status)).to.deep.equal(
        expected.map((r: any) => (r.status === "created" ? "duplicate" : r.status)),
      );
      expect(await partnerEntryCount(partner)).to.equal(count);
    });
  }

  it("answers every documented error status with the documented Error body and headers", async function () {
    this.timeout(120_000);
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const valid = () => ({ tickets: [ticket(randomUUID())] });
    const seen = new Set<number>();
    const check = (response: Posted, status: number, code: string) => {
      expectDocumented(response, status, code);
      seen.add(status);
    };

    check(await postBatch(valid(), { key, idempotencyKey: null }), 400, "missing_idempotency_key");
    check(await postBatch({ tickets: 3 }, { key }), 400, "invalid_batch");
    check(await postBatch(valid(), { key, path: "/v1/production?dry_run=true" }), 400, "query_not_accepted");
    check(await postBatch(valid(), {}), 401, "missing_api_key");
    check(await postBatch({ tickets: [ticket("x", { partner_id: "someone-else" })] }, { key }), 403, "partner_not_allowed");
    check(await postBatch(valid(), { key, path: "/v1/entries" }), 404, "not_found");
    check(await postBatch(undefined, { key, method: "PUT", raw: "{}" }), 405, "method_not_allowed");
    const raw = JSON.stringify(valid());
    const busy = randomUUID();
    await idempotencyRef(adminDb(), key_id, busy).set({
      state: "in_flight",
      body_sha256: createHash("sha256").update(raw).digest("hex"),
      token: "other",
      lease_until_ms: Date.now() + 60_000,
      expires_at_ms: Date.now() + 86_400_000,
    });
    check(await postBatch(undefined, { key, idempotencyKey: busy, raw }), 409, "request_in_flight");
    check(
      await postBatch(undefined, { key, raw: JSON.stringify({ tickets: [ticket("big", { note: "n" })], pad: "p".repeat(1024 * 1024) }) }),
      413,
      "body_too_large",
    );
    check(await postBatch({ tickets: Array.from({ length: 501 }, (_, i) => ticket(`t${i}`)) }, { key }), 413, "too_many_tickets");
    check(await postBatch(undefined, { key, raw: "{}", headers: { "Content-Type": "text/csv" } }), 415, "unsupported_media_type");
    await adminDb().doc("settings/jv").set({ utc_offset_minutes: 5000 });
    try {
      const invalid = await postBatch(valid(), { key });
      check(invalid, 503, "settings_invalid");
      expect(invalid.headers.get("retry-after")).to.equal("300");
    } finally {
      await adminDb().doc("settings/jv").delete();
    }
    // Only a race answers 503 changed_while_writing: the handler, in this process, has settings/jv
    // changed after each of its reads, so each transaction finds other contract days.
    const before = await partnerEntryCount(partner);
    const racing = settingsChangedAfterRead((n) => ({ contract_day_start_hour: n % 2 }));
    try {
      const answer = await handleIngest(
        { db: racing.db, clock: systemClock, rateLimit: { maxRequests: 100, windowMs: 60_000 } },
        {
          method: "POST",
          path: "/v1/production",
          url: "/v1/production",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID() },
          rawBody: Buffer.from(JSON.stringify(valid())),
        },
      );
      expectDocumented({ status: answer.status, headers: new Headers(answer.headers), body: answer.body }, 503, "changed_while_writing");
      expect(answer.headers["Retry-After"]).to.equal("5");
    } finally {
      await adminDb().doc("settings/jv").delete();
    }
    expect(await partnerEntryCount(partner)).to.equal(before);

    const reused = randomUUID();
    expect((await postBatch(valid(), { key, idempotencyKey: reused })).status).to.equal(200);
    check(await postBatch(valid(), { key, idempotencyKey: reused }), 422, "idempotency_key_reused");
    let limited: Posted | undefined;
    for (let i = 0; i < 121 && !limited; i += 1) {
      const response = await postBatch({}, { key, idempotencyKey: null });
      if (response.status === 429) limited = response;
    }
    check(limited!, 429, "rate_limited");

    const errorStatuses = Object.keys(operation.responses)
      .map(Number)
      .filter((s) => s >= 400 && s !== 500);
    expect([...seen].sort()).to.deep.equal(errorStatuses.sort());
  });
});
