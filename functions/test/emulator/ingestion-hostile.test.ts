import { expect } from "chai";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { parseMeterTicket, ticketEntryId } from "../../src/domain/meter-ticket";
import { adminDb, withoutTriggers } from "../support/emulator";
import { createKey, partnerEntryCount, postBatch, ticket, type IssuedKey } from "../support/ingestion";
import { seedPartner } from "../support/production-entries";

/**
 * Generated hostile bodies against POST /v1/production over HTTP. Whatever arrives: never a 5xx;
 * a refused batch writes nothing; an accepted one writes exactly its `created` tickets (each a
 * valid ticket, under its deterministic id) and nothing for its invalid ones.
 */
const hostileScalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    "",
    " ",
    "a/b",
    "../x",
    "\u0000",
    "x".repeat(3000),
    "__proto__",
    "1e309",
    "NaN",
    "2026-13-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
  ),
  fc.constantFrom(-1, 0, 100, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 5e-324),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const FIELDS = [
  "ticket_id",
  "meter_id",
  "measured_at",
  "gross_volume_bbl",
  "bsw_percent",
  "temperature_degF",
  "api_gravity",
  "pressure_psig",
  "meter_factor",
  "note",
  "partner_id",
];

/** A sound ticket with some fields replaced by hostile values, some removed, maybe an extra key. */
const nearMissTicket = fc
  .record({
    id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 12 })),
    daysAgo: fc.integer({ min: 1, max: 30 }),
    minute: fc.integer({ min: 0, max: 59 }),
    replaced: fc.dictionary(fc.constantFrom(...FIELDS), hostileScalar, { maxKeys: 3 }),
    removed: fc.subarray(FIELDS, { maxLength: 2 }),
    extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), hostileScalar), { nil: undefined }),
  })
  .map(({ id, daysAgo, minute, replaced, removed, extra }) => {
    const base: Record<string, unknown> = { ...ticket(id, {}, daysAgo, minute), ...replaced };
    for (const field of removed) delete base[field];
    if (extra) base[extra[0]] = extra[1];
    return base;
  });

const bodies = {
  "arbitrary JSON": fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  "near-miss batches": fc
    .array(fc.oneof({ weight: 4, arbitrary: nearMissTicket }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }), {
      minLength: 0,
      maxLength: 12,
    })
    .map((tickets) => JSON.stringify({ tickets })),
  "broken text and envelopes": fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      "",
      "{",
      "[]",
      "null",
      '{"tickets":null}',
      '{"tickets":{}}',
      '{"tickets":[]}',
      '{"tickets":[1,2]}',
      '{"tickets":[],"x":1}',
      "\uFEFF{}",
      '{"tickets":[{}]} trailing',
    ),
    nearMissTicket.map((t) => JSON.stringify({ tickets: [t] }).slice(0, -2)),
    fc.array(nearMissTicket, { maxLength: 3 }).map((tickets) => JSON.stringify({ tickets, tickets2: tickets })),
  ),
};

describe("hostile input: ingestion bodies over HTTP", () => {
  const runs = Number(process.env.HOSTILE_INGEST_RUNS ?? 200);
  const tally: Record<string, number> = {};
  after(() =>
    console.log(
      `      hostile ingestion bodies: ${Object.values(tally).reduce((a, b) => a + b, 0)} requests, answers by status ${JSON.stringify(tally)}`,
    ),
  );

  for (const [name, arbitrary] of Object.entries(bodies)) {
    it(`${name}: ${runs} generated bodies, never a 5xx, never a partial write`, async function () {
      this.timeout(600_000);
      const partner = await seedPartner();
      let key: IssuedKey | undefined;
      let uses = 0;
      // The writes are what is checked: the auditor's hundreds of audits of the created entries
      // would only hold up the next files' triggers (the emulator runs one at a time).
      await withoutTriggers(() =>
        fc.assert(
          fc.asyncProperty(arbitrary, async (raw) => {
            // A fresh key every 40 requests keeps the per-key rate limit out of the way.
            if (!key || uses++ >= 40) {
              key = await createKey(partner);
              uses = 1;
            }
            const before = await partnerEntryCount(partner);
            const response = await postBatch(undefined, { key: key.key, raw, idempotencyKey: randomUUID() });
            tally[response.status] = (tally[response.status] ?? 0) + 1;
            expect(response.status, `${raw.slice(0, 300)} -> ${response.text.slice(0, 300)}`).to.be.below(500);
            const after = await partnerEntryCount(partner);
            if (response.status !== 200) {
              expect(after, `refused but wrote: ${raw.slice(0, 300)}`).to.equal(before);
              // Everything the function itself answers is a JSON Error (the platform's own 400 for unparsable application/json is not).
              if (response.body !== undefined) expect(response.body.error.message.length).to.be.greaterThan(10);
              else expect(response.status).to.equal(400);
              return;
            }
            const tickets = (JSON.parse(raw) as { tickets: unknown[] }).tickets;
            const results = response.body.results as Array<{ ticket_id: string | null; status: string; entry_id?: string }>;
            expect(results).to.have.length(tickets.length);
            const created = results.filter((r) => r.status === "created");
            expect(after - before, raw.slice(0, 300)).to.equal(created.length);
            for (const [i, result] of results.entries()) {
              const parsed = parseMeterTicket(tickets[i]);
              if (result.status === "created" || result.status === "duplicate") {
                expect(parsed.ok, `${result.status} for an invalid ticket ${JSON.stringify(tickets[i]).slice(0, 200)}`).to.equal(true);
                expect(result.entry_id).to.equal(ticketEntryId(partner, result.ticket_id!));
              } else if (
                typeof result.ticket_id === "string" &&
                !results.some((r) => r.ticket_id === result.ticket_id && r.status !== "invalid")
              ) {
                expect(
                  (
                    await adminDb()
                      .doc(`production_entries/${ticketEntryId(partner, result.ticket_id)}`)
                      .get()
                  ).exists,
                ).to.equal(false);
              }
            }
          }),
          { numRuns: runs, seed: 20261130 },
        ),
      );
    });
  }
});
