import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { createHash, randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { apiKeySha256, issueApiKey } from "../../src/domain/api-key";
import { ticketEntryId } from "../../src/domain/meter-ticket";
import { idempotencyRef } from "../../src/agents/ingestion/idempotency-store";
import { lookupGatewayKey, type GatewayKey } from "../../src/agents/ingestion/api-keys";
import { planWrites, prepareTickets, writeTickets } from "../../src/agents/ingestion/ticket-writes";
import { DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import { adminDb, callFunction, sleep, uniqueId, withoutTriggers } from "../support/emulator";
import { createKey, partnerEntryCount, postBatch, ticket, type Posted } from "../support/ingestion";
import { dayAgo, entryData, seedPartner, waitForAudit, writeEntry } from "../support/production-entries";
import { closeDay, isolatedPeriod, receiptOf, seedEntries, seedReceipt, soundEntry } from "../support/seed";
import { CLOSE_HORIZON_PATH, laterDay } from "../../src/shared/close-horizon";

/** Over real HTTP against the Functions emulator: POST /v1/production with gateway keys. */
describe("ingestProduction: a batch of meter tickets", () => {
  it("creates one entry per ticket with its provenance, answers per ticket in order, and the auditor audits them", async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const tickets = [
      ticket("T-1", {}, 2),
      ticket("T-2", { gross_volume_bbl: 1010.5, note: "shift A" }, 2, 5),
      ticket("T-3", { meter_id: "M-2" }, 1),
    ];
    const { status, body, headers } = await postBatch({ tickets }, { key });
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(headers.get("content-type")).to.match(/^application\/json/);
    expect(body.results.map((r: any) => [r.ticket_id, r.status, r.entry_id])).to.deep.equal(
      tickets.map((t) => [t.ticket_id, "created", ticketEntryId(partner, t.ticket_id)]),
    );

    const stored = await adminDb().doc(`production_entries/${body.results[1].entry_id}`).get();
    expect(stored.get("partner_id")).to.equal(partner);
    expect(stored.get("source")).to.equal("api");
    expect(stored.get("api_key_id")).to.equal(key_id);
    expect(stored.get("ticket_id")).to.equal("T-2");
    expect(stored.get("created_by")).to.equal(`api_key:${key_id}`);
    expect(stored.get("gross_volume_bbl")).to.equal(1010.5);
    expect(stored.get("note")).to.equal("shift A");
    expect((stored.get("measured_at") as Timestamp).toDate().toISOString()).to.equal(new Date(tickets[1].measured_at).toISOString());
    expect(stored.get("created_at")).to.be.instanceOf(Timestamp);
    for (const result of body.results) {
      const audit = await waitForAudit(result.entry_id);
      expect(audit.status).to.be.oneOf(["validated", "flagged", "rejected"]);
      expect(audit.input_hash).to.be.a("string");
    }
  });

  it("answers duplicate for the same tickets sent again under a new Idempotency-Key and writes nothing", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const tickets = [ticket("D-1"), ticket("D-2", {}, 1, 10)];
    expect((await postBatch({ tickets }, { key })).status).to.equal(200);
    const before = await adminDb()
      .doc(`production_entries/${ticketEntryId(partner, "D-1")}`)
      .get();

    const againKey = randomUUID();
    const againBody = { tickets: [...tickets, ticket("D-2", {}, 1, 10)] };
    const again = await postBatch(againBody, { key, idempotencyKey: againKey });
    expect(again.status).to.equal(200);
    expect(again.body.results.map((r: any) => [r.status, r.issues])).to.deep.equal([
      ["duplicate", undefined],
      ["duplicate", undefined],
      ["duplicate", undefined],
    ]);
    // Sorted out by the reserving path: its stored response replays as well.
    const replayed = await postBatch(againBody, { key, idempotencyKey: againKey });
    expect(replayed.headers.get("idempotency-replayed")).to.equal("true");
    expect(replayed.body).to.deep.equal(again.body);
    // Other figures under the same ticket_id: each differing field named, with what is stored and what was sent.
    const changed = await postBatch({ tickets: [ticket("D-1", { gross_volume_bbl: 1000.25, temperature_degF: 81.5 })] }, { key });
    expect(changed.body.results[0].status).to.equal("duplicate");
    expect(changed.body.results[0].entry_id).to.equal(ticketEntryId(partner, "D-1"));
    const kept = "; the stored entry is kept (corrections go through a coordinator)";
    expect(changed.body.results[0].issues).to.deep.equal([
      { path: "gross_volume_bbl", code: "differs_from_stored", message: `stored 1000, this ticket 1000.25${kept}` },
      { path: "temperature_degF", code: "differs_from_stored", message: `stored 80, this ticket 81.5${kept}` },
    ]);

    expect(await partnerEntryCount(partner)).to.equal(2);
    const after = await adminDb()
      .doc(`production_entries/${ticketEntryId(partner, "D-1")}`)
      .get();
    expect(after.get("gross_volume_bbl")).to.equal(1000);
    expect(after.get("temperature_degF")).to.equal(80);
    expect(after.updateTime?.isEqual(before.updateTime!)).to.equal(true);
    expect(after.createTime?.isEqual(before.createTime!)).to.equal(true);
  });

  it("refuses a URL with a query string (a dry run that is none) before its key or body: nothing written, the Idempotency-Key unused", async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const idempotencyKey = randomUUID();
    const body = { tickets: [ticket("Q-1")] };
    const refused = (response: Posted, name: string) => {
      expect(response.status, response.text).to.equal(400);
      expect(response.body.error.code).to.equal("query_not_accepted");
      expect(response.body.error.message).to.contain(`the query parameter "${name}"`);
    };
    refused(await postBatch(body, { key, idempotencyKey, path: "/v1/production?dry_run=true" }), "dry_run");
    refused(await postBatch(body, { key, idempotencyKey, path: "/v1/production/?validate&dry_run=1" }), "validate");
    refused(await postBatch(body, { key, idempotencyKey, path: `/v1/production?${"x".repeat(500)}=1` }), `${"x".repeat(39)}…`);
    // Before the key: no key, or a wrong one, is not what it is told.
    refused(await postBatch(body, { key: null, path: "/v1/production?dry_run=true" }), "dry_run");
    refused(await postBatch(body, { key: "fsgk_not-a-key", path: "/v1/production?dry_run=true" }), "dry_run");
    expect(await partnerEntryCount(partner)).to.equal(0);
    expect((await idempotencyRef(adminDb(), key_id, idempotencyKey).get()).exists).to.equal(false);
    const keyRecord = await adminDb()
      .doc(`api_keys/${apiKeySha256(key)}`)
      .get();
    expect(keyRecord.get("last_used_at")).to.equal(null);

    // The same batch and Idempotency-Key without the query: a first request, written now.
    const sent = await postBatch(body, { key, idempotencyKey });
    expect(sent.status, sent.text).to.equal(200);
    expect(sent.headers.get("idempotency-replayed")).to.equal(null);
    expect(sent.body.results.map((r: any) => r.status)).to.deep.equal(["created"]);
    // A trailing slash is the same path, as before.
    const slashed = await postBatch({ tickets: [ticket("Q-2")] }, { key, path: "/v1/production/" });
    expect(slashed.body.results.map((r: any) => r.status)).to.deep.equal(["created"]);
    expect(await partnerEntryCount(partner)).to.equal(2);
  });

  it("within one batch, a repeated ticket id is created once and reported duplicate after", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const { body } = await postBatch({ tickets: [ticket("R-1"), ticket("R-1")] }, { key });
    expect(body.results.map((r: any) => r.status)).to.deep.equal(["created", "duplicate"]);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("writes only the valid tickets of a mixed batch and names each invalid ticket's issues", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const tickets: unknown[] = [
      ticket("V-1"),
      ticket("X-1", { gross_volume_bbl: -5 }),
      { ticket_id: 42 },
      ticket("V-2", {}, 1, 30),
      ticket("X-2", { bsw_percent: 100, meter_factor: 0 }),
      ticket("X-3", { measured_at: future }),
      ticket("X-4", { measured_at: "2026-10-31 06:00" }),
      "not a ticket",
    ];
    const { status, body } = await postBatch({ tickets }, { key });
    expect(status).to.equal(200);
    const summary = body.results.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => `${i.path}:${i.code}`)]);
    expect(summary).to.deep.equal([
      ["V-1", "created", []],
      ["X-1", "invalid", ["gross_volume_bbl:too_small"]],
      [
        null,
        "invalid",
        [
          "ticket_id:invalid_type",
          "meter_id:invalid_type",
          "measured_at:invalid_type",
          "gross_volume_bbl:invalid_type",
          "bsw_percent:invalid_type",
          "temperature_degF:invalid_type",
          "api_gravity:invalid_type",
        ],
      ],
      ["V-2", "created", []],
      ["X-2", "invalid", ["bsw_percent:too_big", "meter_factor:too_small"]],
      ["X-3", "invalid", ["measured_at:in_future"]],
      ["X-4", "invalid", ["measured_at:invalid_format"]],
      [null, "invalid", [":invalid_type"]],
    ]);
    for (const r of body.results)
      expect(r.issues?.every((i: any) => typeof i.message === "string" && i.message.length > 3) ?? true).to.equal(true);
    expect(await partnerEntryCount(partner)).to.equal(2);
  });

  it("answers tickets Firestore could not store (year 0000, a lone surrogate) invalid, and writes their neighbours", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const tickets = [
      ticket("Y-0", { measured_at: "0000-06-01T00:00:00Z" }),
      ticket("Y-1999", { measured_at: "1999-12-31T23:59:59Z" }),
      ticket("S-note", { note: "x\ud800y" }),
      ticket("S-meter", { meter_id: "M\udc00" }),
      ticket("OK-1"),
    ];
    const { status, body } = await postBatch({ tickets }, { key });
    expect(status).to.equal(200);
    expect(body.results.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => `${i.path}:${i.code}`)])).to.deep.equal([
      ["Y-0", "invalid", ["measured_at:before_floor"]],
      ["Y-1999", "invalid", ["measured_at:before_floor"]],
      ["S-note", "invalid", ["note:custom"]],
      ["S-meter", "invalid", ["meter_id:custom"]],
      ["OK-1", "created", []],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("answers a note or meter id holding a control or bidirectional character invalid, naming the field and the character", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const tickets = [
      ticket("T-nul", { note: "gross 1\u00000 bbl" }),
      ticket("T-rlo", { note: "gross \u202e0051 bbl" }),
      ticket("T-meter", { meter_id: "LACT\u202e10" }),
      ticket("T-ok", { note: "Proved.\r\nFactor\t1.0002 — Zähler 東京 🛢️" }),
    ];
    const { status, body } = await postBatch({ tickets }, { key });
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(
      body.results.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => `${i.path}:${i.code}:${i.message}`)]),
    ).to.deep.equal([
      ["T-nul", "invalid", ["note:custom:must not hold U+0000 (a control character)"]],
      ["T-rlo", "invalid", ["note:custom:must not hold U+202E (a bidirectional control)"]],
      ["T-meter", "invalid", ["meter_id:custom:must not hold U+202E (a bidirectional control)"]],
      ["T-ok", "created", []],
    ]);
    const stored = await adminDb().collection("production_entries").where("partner_id", "==", partner).get();
    expect(stored.docs.map((d) => d.get("note"))).to.deep.equal(["Proved.\r\nFactor\t1.0002 — Zähler 東京 🛢️"]);
  });

  it("refuses a ticket on a closed production day and still writes the open day's", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const closedTicket = ticket("C-1", {}, 400);
    const day = closedTicket.measured_at.slice(0, 10);
    await closeDay(adminDb(), day);
    const { body } = await postBatch({ tickets: [closedTicket, ticket("C-2")] }, { key });
    expect(body.results[0].status).to.equal("invalid");
    expect(body.results[0].issues.map((i: any) => i.code)).to.deep.equal(["day_closed"]);
    expect(body.results[0].issues[0].message).to.contain(day);
    expect(body.results[1].status).to.equal("created");
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("refuses the closed day's ticket in a batch spanning 40 contract days (read after admission)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const tickets = Array.from({ length: 40 }, (_, i) => ticket(`S-${i}`, {}, 500 + i));
    const closedDay = tickets[17].measured_at.slice(0, 10);
    await closeDay(adminDb(), closedDay);
    const { status, body } = await postBatch({ tickets }, { key });
    expect(status, JSON.stringify(body)).to.equal(200);
    const refused = body.results.filter((r: any) => r.status !== "created");
    expect(refused.map((r: any) => [r.ticket_id, r.status, r.issues.map((i: any) => i.code)])).to.deep.equal([
      ["S-17", "invalid", ["day_closed"]],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(39);
  });

  it("answers a stored ticket sent again after its day closed as its duplicate, not as late data for a coordinator", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const stored = ticket("R-1", {}, 420);
    const changed = ticket("R-2", {}, 420, 5);
    const openDay = ticket("R-4", {}, 2);
    expect((await postBatch({ tickets: [stored, changed, openDay] }, { key })).status).to.equal(200);
    await closeDay(adminDb(), stored.measured_at.slice(0, 10));
    const outcome = (body: any) => body.results.map((r: any) => [r.status, (r.issues ?? []).map((i: any) => i.code)]);
    const resent = [stored, { ...changed, gross_volume_bbl: 1500 }, ticket("R-3", {}, 420, 10)];
    // The batch's one transaction (no entry of an open day is stored already)...
    const first = await postBatch({ tickets: resent }, { key });
    expect(outcome(first.body)).to.deep.equal([
      ["duplicate", []],
      ["duplicate", ["differs_from_stored"]],
      ["invalid", ["day_closed"]],
    ]);
    expect(first.body.results[0].entry_id).to.equal(ticketEntryId(partner, "R-1"));
    // ...and the road of a batch holding a ticket stored on an open day.
    const second = await postBatch({ tickets: [...resent, openDay] }, { key });
    expect(outcome(second.body)).to.deep.equal([
      ["duplicate", []],
      ["duplicate", ["differs_from_stored"]],
      ["invalid", ["day_closed"]],
      ["duplicate", []],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(3);
  });

  it("refuses a ticket on a day a reconciliation closed: the close raises the horizon the endpoint reads", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const { start, end } = isolatedPeriod(2);
    const receiptId = uniqueId("horizon-r");
    await seedEntries(adminDb(), [soundEntry(uniqueId("horizon-e"), partner, new Date(start.getTime() + 3_600_000))]);
    await seedReceipt(adminDb(), receiptOf(receiptId, start, end, 1000));
    // Earlier tests closed later days: the horizon is put just before this period for the test, so
    // that only the close's own raise lets the endpoint see the period's days closed.
    const horizonRef = adminDb().doc(CLOSE_HORIZON_PATH);
    const saved = await horizonRef.get();
    await horizonRef.set({ latest_closed_day: new Date(start.getTime() - 1).toISOString().slice(0, 10) });
    try {
      const closed = await callFunction(
        "reconcile",
        { terminal_receipt_id: receiptId },
        { uid: uniqueId("coord"), role: "jv_coordinator" },
      );
      expect(closed.error, JSON.stringify(closed.error)).to.equal(undefined);
      const lastDay = new Date(end.getTime() - 1).toISOString().slice(0, 10);
      expect((await horizonRef.get()).get("latest_closed_day")).to.equal(lastDay);

      const onClosed = ticket("H-closed", { measured_at: new Date(start.getTime() + 86_400_000 + 7_200_000).toISOString() });
      const { status, body } = await postBatch({ tickets: [onClosed, ticket("H-open")] }, { key });
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body.results.map((r: any) => [r.status, (r.issues ?? []).map((i: any) => i.code)])).to.deep.equal([
        ["invalid", ["day_closed"]],
        ["created", []],
      ]);
    } finally {
      // Never below a day closed meanwhile: absent again (rebuilt on use), or the later of the two.
      const now = ((await horizonRef.get()).get("latest_closed_day") as string | null | undefined) ?? null;
      if (saved.exists) await horizonRef.set({ latest_closed_day: laterDay(saved.get("latest_closed_day") ?? null, now) });
      else await horizonRef.delete();
    }
  });

  it("rebuilds an absent horizon from the closed days themselves (a project closed before the horizon existed)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const legacy = ticket("L-closed", {}, 3);
    const day = legacy.measured_at.slice(0, 10);
    await adminDb().doc(CLOSE_HORIZON_PATH).delete();
    await adminDb().doc(`closed_days/${day}`).set({ reconciliation_id: "legacy-close_v1", closed_at: Timestamp.now() });
    try {
      const { status, body } = await postBatch({ tickets: [legacy, ticket("L-open")] }, { key });
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body.results.map((r: any) => r.status)).to.deep.equal(["invalid", "created"]);
      expect(body.results[0].issues.map((i: any) => i.code)).to.deep.equal(["day_closed"]);
      const horizon = (await adminDb().doc(CLOSE_HORIZON_PATH).get()).get("latest_closed_day") as string;
      expect(horizon >= day, `${horizon} before ${day}`).to.equal(true);
      expect(await partnerEntryCount(partner)).to.equal(1);
    } finally {
      await adminDb().doc(`closed_days/${day}`).delete();
    }
  });

  describe("with a 06:00 contract day at +01:00 and a JV start date", () => {
    afterEach(async () => {
      await adminDb().doc("settings/jv").delete();
    });

    it("answers an unknown key 401 and a valid one 503 with a reason while settings/jv is invalid, reserving nothing", async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      await adminDb().doc("settings/jv").set({ contract_day_start_hour: 99 });
      const stranger = issueApiKey((n) => new Uint8Array(n).fill(9)).key;
      const unknown = await postBatch({ tickets: [ticket("B-1")] }, { key: stranger });
      expect([unknown.status, unknown.body.error.code]).to.deep.equal([401, "unknown_api_key"]);
      const idempotencyKey = randomUUID();
      const broken = await postBatch({ tickets: [ticket("B-1")] }, { key, idempotencyKey });
      expect([broken.status, broken.body.error.code]).to.deep.equal([503, "settings_invalid"]);
      expect(broken.body.error.message).to.match(
        /^The JV settings \(settings\/jv\) are not valid: contract_day_start_hour: .* Nothing was written; send the batch again later\.$/,
      );
      expect(broken.headers.get("retry-after")).to.equal("300");
      expect(await partnerEntryCount(partner)).to.equal(0);
      // Once an admin corrects the settings, the gateway's retry with the same key goes through.
      await adminDb().doc("settings/jv").delete();
      const retried = await postBatch({ tickets: [ticket("B-1")] }, { key, idempotencyKey });
      expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
      expect(retried.body.results.map((r: any) => r.status)).to.deep.equal(["created"]);
    });

    it("answers a retry of a batch already written with its stored response while settings/jv is invalid, and another body 422", async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      const idempotencyKey = randomUUID();
      const raw = JSON.stringify({ tickets: [ticket(uniqueId("W"))] });
      const first = await postBatch(undefined, { key, idempotencyKey, raw });
      expect(first.status, first.text).to.equal(200);
      await adminDb().doc("settings/jv").set({ utc_offset_minutes: 60.5 });

      const retried = await postBatch(undefined, { key, idempotencyKey, raw });
      expect([retried.status, retried.headers.get("idempotency-replayed")], retried.text).to.deep.equal([200, "true"]);
      expect(retried.body).to.deep.equal(first.body);
      const reused = await postBatch({ tickets: [ticket(uniqueId("W"))] }, { key, idempotencyKey });
      expect([reused.status, reused.body.error.code]).to.deep.equal([422, "idempotency_key_reused"]);
      const fresh = await postBatch({ tickets: [ticket(uniqueId("W"))] }, { key });
      expect([fresh.status, fresh.body.error.code]).to.deep.equal([503, "settings_invalid"]);
      expect(await partnerEntryCount(partner)).to.equal(1);
    });

    it("refuses the closed contract day's early hours on the next calendar date, and tickets before the JV's start", async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      // Contract day D runs from D 05:00Z to D+1 05:00Z: 04:30Z on D+1 is still day D.
      const closedDay = ticket("K-1", {}, 400).measured_at.slice(0, 10);
      const next = new Date(Date.parse(`${closedDay}T00:00:00Z`) + 86_400_000);
      const at = (hour: number, minute: number) => new Date(next.getTime() + (hour * 60 + minute) * 60_000).toISOString();
      const jvStart = ticket("K-0", {}, 410).measured_at.slice(0, 10);
      await adminDb().doc("settings/jv").set({ contract_day_start_hour: 6, utc_offset_minutes: 60, jv_start_date: jvStart });
      await closeDay(adminDb(), closedDay);
      // The JV started on jvStart: 04:59Z that date is contract day jvStart - 1.
      const beforeStart = new Date(Date.parse(`${jvStart}T05:00:00Z`) - 60_000).toISOString();
      const tickets = [
        ticket("K-early", { measured_at: at(4, 30) }),
        ticket("K-open", { measured_at: at(5, 0) }),
        ticket("K-pre", { measured_at: beforeStart }),
        ticket("K-first", { measured_at: `${jvStart}T05:00:00Z` }),
      ];
      const { status, body } = await postBatch({ tickets }, { key });
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body.results.map((r: any) => [r.ticket_id, r.status, (r.issues ?? []).map((i: any) => i.code)])).to.deep.equal([
        ["K-early", "invalid", ["day_closed"]],
        ["K-open", "created", []],
        ["K-pre", "invalid", ["before_jv_start"]],
        ["K-first", "created", []],
      ]);
      expect(body.results[0].issues[0].message).to.contain(`contract day ${closedDay}`);
      expect(body.results[2].issues[0].message).to.contain(jvStart);
      expect(await partnerEntryCount(partner)).to.equal(2);
    });
  });
});

describe("ingestProduction: Idempotency-Key", () => {
  it("replays the stored response for the same key and body, refuses another body (422) and a missing key (400)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const idempotencyKey = randomUUID();
    const body = { tickets: [ticket("I-1"), ticket("I-2", { gross_volume_bbl: -1 })] };
    const first = await postBatch(body, { key, idempotencyKey });
    expect(first.status).to.equal(200);
    const replay = await postBatch(body, { key, idempotencyKey });
    expect(replay.status).to.equal(200);
    expect(replay.headers.get("idempotency-replayed")).to.equal("true");
    // The stored answer, not a new one: a fresh request would say duplicate.
    expect(replay.body).to.deep.equal(first.body);
    expect(replay.body.results[0].status).to.equal("created");

    const other = await postBatch({ tickets: [ticket("I-3")] }, { key, idempotencyKey });
    expect(other.status).to.equal(422);
    expect(other.body.error.code).to.equal("idempotency_key_reused");
    const missing = await postBatch({ tickets: [ticket("I-4")] }, { key, idempotencyKey: null });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.code).to.equal("missing_idempotency_key");
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("writes every one of several batches one key sends at once (they share the key's count)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const bodies = Array.from({ length: 8 }, (_, b) => ({
      tickets: Array.from({ length: 3 }, (_, i) => ticket(`C-${b}-${i}`, {}, 1 + i, b)),
    }));
    // Only the writes are checked: no audits to queue ahead of the next tests' triggers.
    const responses = await withoutTriggers(() => Promise.all(bodies.map((body) => postBatch(body, { key }))));
    expect(responses.map((r) => r.status)).to.deep.equal(bodies.map(() => 200));
    for (const response of responses) expect(response.body.results.every((r: any) => r.status === "created")).to.equal(true);
    expect(await partnerEntryCount(partner)).to.equal(24);
  });

  it("writes a batch sent twice at once with one Idempotency-Key once, and answers both alike", async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const idempotencyKey = randomUUID();
    const body = { tickets: [ticket("C-1"), ticket("C-2"), ticket("C-3", { bsw_percent: 101 })] };
    const [a, b] = await Promise.all([postBatch(body, { key, idempotencyKey }), postBatch(body, { key, idempotencyKey })]);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    expect(a.body).to.deep.equal(b.body);
    expect(a.body.results.map((r: any) => r.status)).to.deep.equal(["created", "created", "invalid"]);
    expect([a, b].filter((r) => r.headers.get("idempotency-replayed") === "true")).to.have.length(1);
    expect(await partnerEntryCount(partner)).to.equal(2);
    const record = await idempotencyRef(adminDb(), key_id, idempotencyKey).get();
    expect(record.get("state")).to.equal("completed");
    expect(record.get("token")).to.equal(undefined);
    expect(JSON.parse(record.get("response_json"))).to.deep.equal({ status: 200, body: a.body });
  });

  it("answers 409 with Retry-After while a request with the same key is in flight", async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const idempotencyKey = randomUUID();
    const raw = JSON.stringify({ tickets: [ticket("F-1")] });
    await idempotencyRef(adminDb(), key_id, idempotencyKey).set({
      state: "in_flight",
      body_sha256: createHash("sha256").update(raw).digest("hex"),
      token: "another-request",
      lease_until_ms: Date.now() + 60_000,
      expires_at_ms: Date.now() + 86_400_000,
    });
    const response = await postBatch(undefined, { key, idempotencyKey, raw });
    expect(response.status).to.equal(409);
    expect(response.body.error.code).to.equal("request_in_flight");
    expect(Number(response.headers.get("retry-after"))).to.be.within(1, 5);
    expect(await partnerEntryCount(partner)).to.equal(0);
    // Its partner deactivated meanwhile: the request under way still answers the retry, not a refusal that says nothing was written.
    await adminDb().doc(`partners/${partner}`).update({ active: false });
    const retry = await postBatch(undefined, { key, idempotencyKey, raw });
    expect([retry.status, retry.body.error.code]).to.deep.equal([409, "request_in_flight"]);
  });
});

describe("ingestProduction: a padded meter id is the meter without its padding", () => {
  it("stores the id trimmed, so a meter-scoped key takes it and the auditor meets an operator's entry of that meter and day", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner, { meter_ids: ["LACT-01A"] });
    // The operator's entry of the meter, typed in the web app (which trims), audited first.
    const operatorEntry = await writeEntry(entryData(partner, { meter_id: "LACT-01A", measured_at: dayAgo(2) }));
    expect((await waitForAudit(operatorEntry)).status).to.equal("validated");

    const sent = await postBatch({ tickets: [ticket(uniqueId("PAD"), { meter_id: " LACT-01A\u00a0" }, 2)] }, { key });
    expect(sent.status, sent.text).to.equal(200);
    const [result] = sent.body.results;
    expect(result.status, JSON.stringify(result)).to.equal("created");
    expect((await adminDb().doc(`production_entries/${result.entry_id}`).get()).get("meter_id")).to.equal("LACT-01A");
    // The same meter and contract day as the operator's: the gateway's ticket is the duplicate.
    const audit = await waitForAudit(result.entry_id);
    expect(audit.reasons.map((r: { code: string }) => r.code)).to.include("DUPLICATE_ENTRY");
  });
});

describe("ingestProduction: what a gateway sends is stored as sent, or refused", () => {
  it("refuses a body that is not valid UTF-8 (a Latin-1 ü) instead of storing U+FFFD in its place", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const text = JSON.stringify({ tickets: [ticket(uniqueId("L"), { meter_id: "ZURICH-M\u00fcller" })] });
    const latin1 = Buffer.from(text, "latin1");
    const refused = await postBatch(undefined, { key, raw: latin1 });
    expect([refused.status, refused.body.error.code], refused.text).to.deep.equal([400, "malformed_json"]);
    expect(refused.body.error.message).to.match(/not valid UTF-8/);
    const utf8 = await postBatch(undefined, { key, raw: Buffer.from(text, "utf8") });
    expect(utf8.status, utf8.text).to.equal(200);
    expect((await adminDb().doc(`production_entries/${utf8.body.results[0].entry_id}`).get()).get("meter_id")).to.equal(
      "ZURICH-M\u00fcller",
    );
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("says so in words when a body starts with a byte-order mark", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const text = JSON.stringify({ tickets: [ticket(uniqueId("BOM"))] });
    const refused = await postBatch(undefined, { key, raw: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
    expect([refused.status, refused.body.error.code], refused.text).to.deep.equal([400, "malformed_json"]);
    expect(refused.body.error.message).to.equal(
      "The body starts with a byte-order mark (U+FEFF): send the JSON in UTF-8 without one (RFC 8259).",
    );
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("stores -0 as 0, and answers ±1e400 (±Infinity once parsed) as out of range", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const [zero, huge] = [uniqueId("Z"), uniqueId("H")];
    const raw = JSON.stringify({ tickets: [ticket(zero), ticket(huge)] })
      .replace(/"bsw_percent":[^,]+/, '"bsw_percent":-0')
      .replace(/"temperature_degF":[^,]+/, '"temperature_degF":-0.0')
      .replace(/"pressure_psig":[^,]+/, '"pressure_psig":-0')
      .replace(/("ticket_id":"H[^"]*".*?"temperature_degF":)[^,]+(.*?"api_gravity":)[^,]+/, "$1-1e400$21e400");
    const { status, body, text } = await postBatch(undefined, { key, raw });
    expect(status, text).to.equal(200);
    expect(body.results.map((r: any) => [r.status, r.issues?.map((i: any) => `${i.path}: ${i.message}`)])).to.deep.equal([
      ["created", undefined],
      ["invalid", ["temperature_degF: is out of range (overflows a double)", "api_gravity: is out of range (overflows a double)"]],
    ]);
    const stored = await adminDb().doc(`production_entries/${body.results[0].entry_id}`).get();
    for (const field of ["bsw_percent", "temperature_degF", "pressure_psig"]) expect(Object.is(stored.get(field), 0), field).to.equal(true);
  });

  it("takes a gzip-compressed batch (Content-Encoding: gzip) as the same batch, for its Idempotency-Key too", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const text = JSON.stringify({ tickets: [ticket(uniqueId("Z")), ticket(uniqueId("Z"))] });
    const idempotencyKey = randomUUID();
    const zipped = await postBatch(undefined, { key, idempotencyKey, raw: gzipSync(text), headers: { "Content-Encoding": "gzip" } });
    expect(zipped.status, zipped.text).to.equal(200);
    expect(zipped.body.results.map((r: any) => r.status)).to.deep.equal(["created", "created"]);
    // The same batch sent plain under the same key is a replay of the stored answer, not another body.
    const plain = await postBatch(undefined, { key, idempotencyKey, raw: text });
    expect([plain.status, plain.headers.get("idempotency-replayed")]).to.deep.equal([200, "true"]);
    expect(await partnerEntryCount(partner)).to.equal(2);
  });

  it("takes a ticket measured a minute ago, refuses one a minute ahead of the server's time, and tells a resent ticket whose note changed", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const ahead = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const [soon, late] = [uniqueId("S"), uniqueId("F")];
    const first = await postBatch(
      {
        tickets: [
          { ...ticket(soon), measured_at: ahead(-1), note: "shift A" },
          { ...ticket(late), measured_at: ahead(1) },
        ],
      },
      { key },
    );
    expect(first.body.results.map((r: any) => [r.status, r.issues?.[0]?.code])).to.deep.equal([
      ["created", undefined],
      ["invalid", "in_future"],
    ]);
    expect(first.body.results[1].issues[0].message).to.match(/is after the server's time .*: it has not been measured yet$/);
    const stored = await adminDb().doc(`production_entries/${first.body.results[0].entry_id}`).get();
    const resent = { ...ticket(soon), measured_at: (stored.get("measured_at") as Timestamp).toDate().toISOString() };
    const again = await postBatch(
      {
        tickets: [
          { ...resent, note: "shift B" },
          { ...resent, note: "shift A" },
        ],
      },
      { key },
    );
    expect(again.body.results.map((r: any) => [r.status, r.issues?.map((i: any) => `${i.path}:${i.code}`)])).to.deep.equal([
      ["duplicate", ["note:differs_from_stored"]],
      ["duplicate", undefined],
    ]);
    expect((await stored.ref.get()).get("note")).to.equal("shift A");
  });
});

describe("ingestProduction: keys and scope", () => {
  const tickets = () => [ticket(uniqueId("K"))];
  /** A new partner's key as the endpoint finds it, for driving the slower road's writeTickets directly. */
  const foundKey = async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    const found = await lookupGatewayKey(adminDb(), key, new Date());
    if (!found.ok) throw new Error(found.message);
    return { partner, key_id, found };
  };
  /** The slower road's plan for tickets of these ids, prepared under the default settings, none on a closed day. */
  const planOf = (key: GatewayKey, ids: string[]) =>
    planWrites(
      prepareTickets(
        ids.map((id) => ticket(id)),
        key,
        new Date(),
        DEFAULT_JV_SETTINGS,
      ),
      ids.map(() => null),
    );

  it("refuses a missing, malformed, mistyped or unknown key with 401 and writes nothing", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const mistyped = key.slice(0, 20) + (key[20] === "a" ? "b" : "a") + key.slice(21);
    const cases: Array<[string, Record<string, string>, string]> = [
      ["no key", {}, "missing_api_key"],
      ["basic auth", { Authorization: "Basic dXNlcjpwYXNz" }, "malformed_api_key"],
      ["not a key", { Authorization: "Bearer hello" }, "malformed_api_key"],
      ["checksum", { "X-API-Key": mistyped }, "malformed_api_key"],
      ["unknown", { "X-API-Key": "fsgk_" + "A".repeat(40) + "000000" }, "malformed_api_key"],
      ["two keys", { Authorization: `Bearer ${key}`, "X-API-Key": mistyped }, "malformed_api_key"],
    ];
    for (const [what, headers, code] of cases) {
      const response = await postBatch({ tickets: tickets() }, { headers: { ...headers, "Content-Type": "application/json" } });
      expect(response.status, what).to.equal(401);
      expect(response.body.error.code, what).to.equal(code);
      expect(response.headers.get("www-authenticate")).to.contain("Bearer");
      expect(response.text, what).to.not.contain(key);
    }
    // A well-formed key (valid checksum) that was never issued.
    const stranger = issueApiKey((n) => new Uint8Array(n).fill(7)).key;
    const unknown = await postBatch({ tickets: tickets() }, { key: stranger });
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([401, "unknown_api_key"]);
    // X-API-Key works as well as Authorization, beside a proxy's Basic credentials or an empty X-API-Key.
    const viaHeader = await postBatch({ tickets: tickets() }, { headers: { "X-API-Key": key } });
    expect(viaHeader.status).to.equal(200);
    const besideBasic = await postBatch({ tickets: tickets() }, { headers: { "X-API-Key": key, Authorization: "Basic dXNlcjpwYXNz" } });
    expect(besideBasic.status, JSON.stringify(besideBasic.body)).to.equal(200);
    const emptyHeader = await postBatch({ tickets: tickets() }, { key, headers: { "X-API-Key": "" } });
    expect(emptyHeader.status, JSON.stringify(emptyHeader.body)).to.equal(200);
    expect(await partnerEntryCount(partner)).to.equal(3);
  });

  it("refuses a revoked key at once (401), and revoking is audited", async () => {
    const partner = await seedPartner();
    const { key, key_id } = await createKey(partner);
    expect((await postBatch({ tickets: tickets() }, { key })).status).to.equal(200);
    const admin = { uid: uniqueId("revoker"), role: "admin" };
    const revoked = await callFunction<any>("revokeApiKey", { key_id }, admin);
    expect(revoked.result?.already_revoked).to.equal(false);
    const response = await postBatch({ tickets: tickets() }, { key });
    expect([response.status, response.body.error.code]).to.deep.equal([401, "revoked_api_key"]);
    expect((await callFunction<any>("revokeApiKey", { key_id }, admin)).result?.already_revoked).to.equal(true);
    const events = await adminDb().collection("audit_log").where("subject", "==", `api_keys/${key_id}`).get();
    expect(events.docs.map((d) => d.get("action")).sort()).to.deep.equal(["api_key_created", "api_key_revoked"]);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("writes no more of a slower-road batch once its key is revoked: the rest are invalid with the reason", async () => {
    const { partner, key_id, found } = await foundKey();
    const ids = [uniqueId("T"), uniqueId("T")];
    const plan = planWrites(
      prepareTickets(
        ids.map((id) => ticket(id)),
        found.key,
        new Date(),
        DEFAULT_JV_SETTINGS,
      ),
      [null, null],
    );
    // Admitted with the key valid; revoked before the batch's transaction runs.
    await callFunction("revokeApiKey", { key_id }, { uid: uniqueId("revoker"), role: "admin" });

    await writeTickets(adminDb(), plan, found.key, new Date());

    expect(plan.results.map((r) => [r.status, r.issues?.[0]?.code])).to.deep.equal([
      ["invalid", "revoked_api_key"],
      ["invalid", "revoked_api_key"],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("writes no more of a slower-road batch once the JV settings change under it: the rest are invalid with the reason", async () => {
    const { partner, found } = await foundKey();
    const plan = planWrites(prepareTickets([ticket(uniqueId("T"))], found.key, new Date(), DEFAULT_JV_SETTINGS), [null]);
    await adminDb()
      .doc("settings/jv")
      .set({ jv_start_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
    try {
      await writeTickets(adminDb(), plan, found.key, new Date());
    } finally {
      await adminDb().doc("settings/jv").delete();
    }
    expect(plan.results.map((r) => [r.status, r.issues?.[0]?.code])).to.deep.equal([["invalid", "settings_changed"]]);
    expect(plan.results[0].issues?.[0].message).to.match(/^The JV's contract day \(start hour, UTC offset\) or start date changed/);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("answers a ticket stored already duplicate, not invalid, when the slower road's writes are refused for a change met while writing", async () => {
    const { partner, found } = await foundKey();
    const [stored, fresh] = [uniqueId("S"), uniqueId("F")];
    const prepare = (ids: string[]) => planOf(found.key, ids);
    await writeTickets(adminDb(), prepare([stored]), found.key, new Date());
    const record = idempotencyRef(adminDb(), found.key.keyId, uniqueId("idem"));
    await record.set({ state: "in_flight", token: "t" });
    const plan = prepare([stored, fresh, stored]);
    await adminDb()
      .doc("settings/jv")
      .set({ jv_start_date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
    try {
      await writeTickets(adminDb(), plan, found.key, new Date(), { ref: record, now: new Date() });
    } finally {
      await adminDb().doc("settings/jv").delete();
    }
    const expected = [
      ["duplicate", ticketEntryId(partner, stored), undefined],
      ["invalid", undefined, "settings_changed"],
      ["duplicate", ticketEntryId(partner, stored), undefined],
    ];
    expect(plan.results.map((r) => [r.status, r.entry_id, r.issues?.[0]?.code])).to.deep.equal(expected);
    const response = JSON.parse((await record.get()).get("response_json"));
    expect(response.body.results.map((r: any) => [r.status, r.entry_id, r.issues?.[0]?.code])).to.deep.equal(expected);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("writes a slower-road batch whose JV settings changed meanwhile only in what no ticket depends on (LUAF band, release approval)", async () => {
    const { partner, found } = await foundKey();
    const id = uniqueId("T");
    const plan = planWrites(prepareTickets([ticket(id)], found.key, new Date(), DEFAULT_JV_SETTINGS), [null]);
    await adminDb().doc("settings/jv").set({ luaf_tolerance_percent: 3.5, release_approval_required: true });
    try {
      await writeTickets(adminDb(), plan, found.key, new Date());
    } finally {
      await adminDb().doc("settings/jv").delete();
    }
    expect(plan.results.map((r) => [r.status, r.entry_id])).to.deep.equal([["created", ticketEntryId(partner, id)]]);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("stores the whole response with the entries of a batch one of whose tickets exists already, so a retry replays them as created", async () => {
    const { partner, found } = await foundKey();
    const [a, b, c] = [uniqueId("A"), uniqueId("B"), uniqueId("C")];
    const prepare = (ids: string[]) => planOf(found.key, ids);
    await writeTickets(adminDb(), prepare([a]), found.key, new Date());
    const record = idempotencyRef(adminDb(), found.key.keyId, uniqueId("idem"));
    await record.set({ state: "in_flight", token: "t" });
    const plan = prepare([a, b, c, b]);

    const stored = await writeTickets(adminDb(), plan, found.key, new Date(), { ref: record, now: new Date() });

    expect(stored).to.equal(true);
    const expected = [
      ["duplicate", ticketEntryId(partner, a)],
      ["created", ticketEntryId(partner, b)],
      ["created", ticketEntryId(partner, c)],
      ["duplicate", ticketEntryId(partner, b)],
    ];
    expect(plan.results.map((r) => [r.status, r.entry_id])).to.deep.equal(expected);
    const response = JSON.parse((await record.get()).get("response_json"));
    expect(response.body.results.map((r: any) => [r.status, r.entry_id])).to.deep.equal(expected);
    expect(await partnerEntryCount(partner)).to.equal(3);
  });

  it("writes nothing of a slower-road batch once its partner is deactivated, as the rules refuse its operators; a repeat answers alike", async () => {
    const { partner, found } = await foundKey();
    const id = uniqueId("T");
    const plan = planWrites(prepareTickets([ticket(id), ticket(id)], found.key, new Date(), DEFAULT_JV_SETTINGS), [null, null]);
    // Admitted while active; deactivated before the batch's transaction runs.
    await adminDb().doc(`partners/${partner}`).update({ active: false });

    await writeTickets(adminDb(), plan, found.key, new Date());

    expect(plan.results.map((r) => [r.status, r.issues?.[0]?.code])).to.deep.equal([
      ["invalid", "partner_inactive"],
      ["invalid", "partner_inactive"],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("refuses an expired key (401)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner, { expires_at: new Date(Date.now() + 2_000).toISOString() });
    await sleep(2_200);
    const response = await postBatch({ tickets: tickets() }, { key });
    expect([response.status, response.body.error.code]).to.deep.equal([401, "expired_api_key"]);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("answers a ticket naming another partner or a meter outside the key's as invalid, and refuses a batch of only such tickets (403)", async () => {
    const partner = await seedPartner();
    const other = await seedPartner();
    const { key } = await createKey(partner, { meter_ids: ["M-1"] });
    const mixed = await postBatch(
      {
        tickets: [
          ticket("P-1"),
          ticket("P-2", { partner_id: other }),
          ticket("P-3", { meter_id: "M-9" }),
          ticket("P-4", { partner_id: partner }, 2),
        ],
      },
      { key },
    );
    expect(mixed.status).to.equal(200);
    expect(mixed.body.results.map((r: any) => [r.ticket_id, r.status, r.issues?.map((i: any) => `${i.path}:${i.code}`)])).to.deep.equal([
      ["P-1", "created", undefined],
      ["P-2", "invalid", ["partner_id:partner_not_allowed"]],
      ["P-3", "invalid", ["meter_id:meter_not_allowed"]],
      ["P-4", "created", undefined],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(2);

    const foreign = await postBatch(
      { tickets: [ticket("P-5", { partner_id: other }), ticket("P-6", { partner_id: other, meter_id: "M-9" })] },
      { key },
    );
    expect([foreign.status, foreign.body.error.code]).to.deep.equal([403, "partner_not_allowed"]);
    expect(foreign.body.error.issues.map((i: any) => i.path)).to.deep.equal([
      "tickets.0.partner_id",
      "tickets.1.partner_id",
      "tickets.1.meter_id",
    ]);
    const meters = await postBatch({ tickets: [ticket("P-7", { meter_id: "M-9" })] }, { key });
    expect([meters.status, meters.body.error.code]).to.deep.equal([403, "meter_not_allowed"]);
    expect(await partnerEntryCount(partner)).to.equal(2);
    expect(await partnerEntryCount(other)).to.equal(0);
  });

  it("answers a blank or malformed meter id as the ticket's format fault, never 403 meter_not_allowed", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner, { meter_ids: ["M-1"] });
    const malformed = await postBatch({ tickets: [ticket("BL-1", { meter_id: "   " }), ticket("BL-2", { meter_id: "M\t1" })] }, { key });
    expect(malformed.status, malformed.text).to.equal(200);
    expect(malformed.body.results.map((r: any) => [r.status, r.issues.map((i: any) => `${i.path}:${i.code}:${i.message}`)])).to.deep.equal([
      ["invalid", ["meter_id:custom:must not be blank"]],
      ["invalid", ["meter_id:custom:must not hold U+0009 (a tab)"]],
    ]);
    const mixed = await postBatch({ tickets: [ticket("BL-3", { meter_id: "" }), ticket("BL-4")] }, { key });
    expect(mixed.body.results.map((r: any) => [r.status, r.issues?.map((i: any) => `${i.path}:${i.code}`)])).to.deep.equal([
      ["invalid", ["meter_id:too_small", "meter_id:custom"]],
      ["created", undefined],
    ]);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  it("refuses a key whose partner is no longer active (403)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    await adminDb().doc(`partners/${partner}`).update({ active: false });
    const response = await postBatch({ tickets: tickets() }, { key });
    expect([response.status, response.body.error.code]).to.deep.equal([403, "partner_inactive"]);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("answers a retry of a batch written before its partner was deactivated with the stored response; a new batch is refused (403)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const written = { tickets: tickets() };
    const writtenKey = randomUUID();
    const first = await postBatch(written, { key, idempotencyKey: writtenKey });
    expect(first.status).to.equal(200);
    // A batch holding a stored ticket is admitted on the reserving road: its answer is stored too.
    const sorted = { tickets: [...tickets(), ticket("R-9")] };
    const sortedKey = randomUUID();
    const second = await postBatch(sorted, { key, idempotencyKey: sortedKey });
    expect(second.status).to.equal(200);
    const stored = await partnerEntryCount(partner);
    await adminDb().doc(`partners/${partner}`).update({ active: false });

    for (const [body, idempotencyKey, answer] of [
      [written, writtenKey, first],
      [sorted, sortedKey, second],
    ] as const) {
      const retry = await postBatch(body, { key, idempotencyKey });
      expect(retry.status).to.equal(200);
      expect(retry.headers.get("idempotency-replayed")).to.equal("true");
      expect(retry.body).to.deep.equal(answer.body);
    }
    // The same key with another body, or a new batch, is the partner's to refuse.
    const other = await postBatch({ tickets: [ticket("R-10")] }, { key, idempotencyKey: writtenKey });
    expect([other.status, other.body.error.code]).to.deep.equal([403, "partner_inactive"]);
    const fresh = await postBatch({ tickets: [ticket("R-11")] }, { key });
    expect([fresh.status, fresh.body.error.code]).to.deep.equal([403, "partner_inactive"]);
    expect(await partnerEntryCount(partner)).to.equal(stored);
  });

  it("stores only the key's hash, prefix and last four; only admins create keys, for active partners, expiring in the future", async () => {
    const partner = await seedPartner();
    const issued = await createKey(partner, { meter_ids: ["M-1", "M-2"] });
    expect(issued.key).to.match(/^fsgk_[0-9A-Za-z]{46}$/);
    expect(issued.prefix).to.equal(issued.key.slice(0, 13));
    const doc = await adminDb()
      .doc(`api_keys/${apiKeySha256(issued.key)}`)
      .get();
    expect(doc.exists).to.equal(true);
    expect(doc.get("key_id")).to.equal(issued.key_id);
    expect(doc.get("last_four")).to.equal(issued.key.slice(-4));
    expect(doc.get("meter_ids")).to.deep.equal(["M-1", "M-2"]);
    expect(JSON.stringify(doc.data())).to.not.contain(issued.key.slice(13, -4));

    const operator = { uid: uniqueId("op"), role: "field_operator", partner_id: partner };
    expect((await callFunction("createApiKey", { partner_id: partner, name: "x" }, operator)).error?.status).to.equal("PERMISSION_DENIED");
    const admin = { uid: uniqueId("admin"), role: "admin" };
    expect(
      (await callFunction("createApiKey", { partner_id: partner, name: "x", expires_at: "2020-01-01T00:00:00Z" }, admin)).error?.status,
    ).to.equal("INVALID_ARGUMENT");
    expect((await callFunction("createApiKey", { partner_id: "no-such-partner", name: "x" }, admin)).error?.status).to.equal(
      "FAILED_PRECONDITION",
    );
    expect((await callFunction("revokeApiKey", { key_id: "key_00000000000000000000" }, admin)).error?.status).to.equal("NOT_FOUND");
  });

  it("creates one key per request_id: a retried creation names the key it made and never makes a second", async () => {
    const partner = await seedPartner();
    const admin = { uid: uniqueId("admin"), role: "admin" };
    const request = { partner_id: partner, name: "gateway", request_id: randomUUID() };
    const first = await callFunction<any>("createApiKey", request, admin);
    expect(first.result?.key).to.match(/^fsgk_/);
    const retry = await callFunction<any>("createApiKey", request, admin);
    expect(retry.error?.status).to.equal("ALREADY_EXISTS");
    expect(retry.error?.message).to.contain(`created key ${first.result.key_id}`).and.contain(`revoke ${first.result.key_id}`);
    expect(JSON.stringify(retry)).to.not.contain(first.result.key);
    const other = await callFunction<any>("createApiKey", { ...request, name: "another gateway" }, admin);
    expect(other.error?.status).to.equal("FAILED_PRECONDITION");
    const sameIdOtherAdmin = await callFunction<any>("createApiKey", request, { uid: uniqueId("admin"), role: "admin" });
    expect(sameIdOtherAdmin.result?.key_id).to.be.a("string").and.not.equal(first.result.key_id);
    const keys = await adminDb().collection("api_keys").where("partner_id", "==", partner).get();
    expect(keys.size).to.equal(2);
    const logged = await adminDb().collection("audit_log").where("subject", "==", `api_keys/${first.result.key_id}`).get();
    expect(logged.docs.map((doc) => doc.get("action"))).to.deep.equal(["api_key_created"]);
    // Told of its key even once the partner is deactivated, which would refuse a new key.
    await adminDb().doc(`partners/${partner}`).update({ active: false });
    expect((await callFunction<any>("createApiKey", request, admin)).error?.status).to.equal("ALREADY_EXISTS");
    const bad = await callFunction<any>("createApiKey", { ...request, request_id: "x y" }, admin);
    expect(bad.error?.status).to.equal("INVALID_ARGUMENT");
  });

  it("updates last_used_at on use, not on every request", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const ref = adminDb().doc(`api_keys/${apiKeySha256(key)}`);
    expect((await ref.get()).get("last_used_at")).to.equal(null);
    await postBatch({ tickets: tickets() }, { key });
    const first = (await ref.get()).get("last_used_at") as Timestamp;
    expect(first).to.be.instanceOf(Timestamp);
    await postBatch({ tickets: tickets() }, { key });
    expect(((await ref.get()).get("last_used_at") as Timestamp).isEqual(first)).to.equal(true);
  });
});

describe("ingestProduction: batch-level limits", () => {
  it("refuses a body over 1 MiB (413), more than 500 tickets (413), a non-JSON media type (415) and malformed JSON (400)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const big = { tickets: [ticket("B-1", { note: "x".repeat(2000) })], padding: "y".repeat(1024 * 1024) };
    const oversized = await postBatch(big, { key });
    expect([oversized.status, oversized.body.error.code]).to.deep.equal([413, "body_too_large"]);
    const many = await postBatch({ tickets: Array.from({ length: 501 }, (_, i) => ticket(`B-${i}`, {}, 1, i % 60)) }, { key });
    expect([many.status, many.body.error.code]).to.deep.equal([413, "too_many_tickets"]);
    const text = await postBatch(undefined, { key, raw: "tickets", headers: { "Content-Type": "text/plain" } });
    expect([text.status, text.body.error.code]).to.deep.equal([415, "unsupported_media_type"]);
    const shape = await postBatch({ tickets: "none" }, { key });
    expect([shape.status, shape.body.error.code]).to.deep.equal([400, "invalid_batch"]);
    // Malformed JSON sent as application/json is refused (400) by the platform's parser before the function runs.
    const malformed = await postBatch(undefined, { key, raw: '{"tickets": [' });
    expect(malformed.status).to.equal(400);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("answers a body of 500 tickets whose ids fill 1 MiB with per-ticket results, stored and replayed (bounded echoes)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const idempotencyKey = randomUUID();
    // Each id is 900 quotes: 1,800 bytes of the body, echoed whole it would make the stored response pass 1 MiB.
    const body = { tickets: Array.from({ length: 500 }, (_, i) => ({ ticket_id: `${i}${'"'.repeat(900)}` })) };
    expect(Buffer.byteLength(JSON.stringify(body))).to.be.within(900_000, 1024 * 1024);
    const first = await postBatch(body, { key, idempotencyKey });
    expect(first.status, first.text.slice(0, 300)).to.equal(200);
    expect(first.body.results).to.have.length(500);
    expect(first.body.results.every((r: any) => r.status === "invalid" && r.ticket_id.length === 128 && r.issues.length <= 8)).to.equal(
      true,
    );
    const replay = await postBatch(body, { key, idempotencyKey });
    expect(replay.headers.get("idempotency-replayed")).to.equal("true");
    expect(replay.body).to.deep.equal(first.body);
    expect(await partnerEntryCount(partner)).to.equal(0);
  });

  it("answers 404 for another path and 405 with Allow for another method", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const path = await postBatch({ tickets: [] }, { key, path: "/v2/production" });
    expect([path.status, path.body.error.code]).to.deep.equal([404, "not_found"]);
    const method = await postBatch(undefined, { key, method: "GET" });
    expect([method.status, method.body.error.code, method.headers.get("allow")]).to.deep.equal([405, "method_not_allowed", "POST"]);
  });

  it("answers 429 with Retry-After past the per-key limit, while another key is unaffected", async function () {
    this.timeout(120_000);
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    let limited: Posted | undefined;
    // Fixed windows: within 2 x limit + 1 requests (well under a minute) one window must overflow.
    for (let i = 0; i < 121 && !limited; i += 1) {
      const response = await postBatch({ tickets: [] }, { key, idempotencyKey: null });
      if (response.status === 429) limited = response;
      else expect(response.status).to.equal(400);
    }
    expect(limited, "no 429 within 121 requests").to.not.equal(undefined);
    expect(limited!.body.error.code).to.equal("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 60);
    const other = await createKey(partner);
    expect((await postBatch({ tickets: [ticket("L-1")] }, { key: other.key })).status).to.equal(200);
  });
});
