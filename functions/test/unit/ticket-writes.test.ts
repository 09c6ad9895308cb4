import { expect } from "chai";
import { DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import {
  ISSUE_MESSAGE_MAX_LENGTH,
  MAX_ISSUES_PER_TICKET,
  MAX_TICKETS_PER_BATCH,
  TICKET_FIGURES,
  TICKET_ID_MAX_LENGTH,
  parseMeterTicket,
  ticketEntryFields,
  ticketEntryId,
} from "../../src/domain/meter-ticket";
import { Timestamp } from "firebase-admin/firestore";
import { planWrites, prepareTickets } from "../../src/agents/ingestion/ticket-writes";
import { type GatewayKey } from "../../src/agents/ingestion/api-keys";

const key: GatewayKey = { sha256: "0".repeat(64), keyId: "key_00000000000000000000", partnerId: "P1", meterIds: null, lastUsedAt: null };
const now = new Date("2026-11-30T12:00:00Z");
const ticket = (id: string, measuredAt: string, overrides: Record<string, unknown> = {}) => ({
  ticket_id: id,
  meter_id: "M-1",
  measured_at: measuredAt,
  gross_volume_bbl: 1000,
  bsw_percent: 0.3,
  temperature_degF: 80,
  api_gravity: 35,
  ...overrides,
});

function parseTicket(raw: unknown) {
  const parsed = parseMeterTicket(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.ticket;
}

describe("ingestion: a ticket outside the key's meters", () => {
  it("names a short list of the key's meters whole, and a long one cut, so that 500 such tickets stay far under Firestore's 1 MiB", () => {
    const few = prepareTickets(
      [ticket("A", "2026-11-28T06:00:00Z", { meter_id: "OTHER" })],
      { ...key, meterIds: ["M-1", "M-2"] },
      now,
      DEFAULT_JV_SETTINGS,
    );
    expect(few.results[0].issues).to.deep.equal([
      { path: "meter_id", code: "meter_not_allowed", message: "must be one of M-1, M-2: this key reports for those meters only" },
    ]);
    const meters = Array.from({ length: 100 }, (_, i) => `METER-${String(i).padStart(58, "0")}`);
    const batch = Array.from({ length: MAX_TICKETS_PER_BATCH }, (_, i) => ticket(`T${i}`, "2026-11-28T06:00:00Z", { meter_id: "OTHER" }));
    const many = prepareTickets(batch, { ...key, meterIds: meters }, now, DEFAULT_JV_SETTINGS);
    const message = many.results[0].issues![0].message;
    const full = `must be one of the key's 100 meters (its record lists them all): ${meters.join(", ")}`;
    expect(message).to.equal(`${full.slice(0, 159)}…`);
    expect([...message]).to.have.length(160);
    expect(Buffer.byteLength(JSON.stringify(many.results))).to.be.below(250_000);
  });
  it("answers a blank or malformed meter id by its format alone, not as a meter outside the key's", () => {
    const scoped = { ...key, meterIds: ["M-1"] };
    const prepared = prepareTickets(
      [
        ticket("B", "2026-11-28T06:00:00Z", { meter_id: "   " }),
        ticket("T", "2026-11-28T06:00:00Z", { meter_id: "M\t1" }),
        ticket("L", "2026-11-28T06:00:00Z", { meter_id: "M".repeat(65) }),
        ticket("P", "2026-11-28T06:00:00Z", { meter_id: " M-2 " }),
      ],
      scoped,
      now,
      DEFAULT_JV_SETTINGS,
    );
    expect(prepared.results.map((r) => r.issues?.map((i) => `${i.path}:${i.code}`))).to.deep.equal([
      ["meter_id:custom"],
      ["meter_id:custom"],
      ["meter_id:too_big"],
      ["meter_id:meter_not_allowed"],
    ]);
  });
});

describe("ingestion: a ticket's own checks", () => {
  it("gives at most the documented issues, each message at most its length, when a ticket is out of scope and malformed too", () => {
    const bad = ticket("X", "not a time", {
      partner_id: "P2",
      meter_id: "M-9",
      gross_volume_bbl: -1,
      bsw_percent: 200,
      temperature_degF: "hot",
      api_gravity: "light",
      pressure_psig: "high",
      meter_factor: -1,
      note: 7,
      extra: 1,
    });
    const prepared = prepareTickets(
      [bad],
      { ...key, meterIds: Array.from({ length: 40 }, (_, i) => `METER-${i}-${"x".repeat(20)}`) },
      now,
      DEFAULT_JV_SETTINGS,
    );
    const issues = prepared.results[0].issues!;
    expect(issues).to.have.length(MAX_ISSUES_PER_TICKET);
    expect(issues.slice(0, 2).map((i) => i.code)).to.deep.equal(["partner_not_allowed", "meter_not_allowed"]);
    for (const issue of issues) expect([...issue.message].length).to.be.at.most(ISSUE_MESSAGE_MAX_LENGTH);
  });

  it("echoes a measured_at with a fraction of any length as the instant it names, within the message's length", () => {
    const fraction = "1".repeat(200);
    const settings = { ...DEFAULT_JV_SETTINGS, jv_start_date: "2026-01-01" };
    const prepared = prepareTickets(
      [
        ticket("A", `1999-12-31T23:00:00.${fraction}Z`),
        ticket("B", `2025-12-31T12:00:00.${fraction}Z`),
        ticket("C", `2026-12-31T12:00:00.${fraction}Z`),
      ],
      key,
      now,
      settings,
    );
    expect(prepared.results.map((r) => r.issues?.[0]?.message)).to.deep.equal([
      "1999-12-31T23:00:00.111Z is before 2000-01-01, the earliest time an entry may have (operators' too)",
      "2025-12-31T12:00:00.111Z falls in contract day 2025-12-31, before the joint venture's start date 2026-01-01",
      "2026-12-31T12:00:00.111Z is after the server's time 2026-11-30T12:00:00.000Z: it has not been measured yet",
    ]);
  });

  it("takes a ticket measured up to the server's time, not a millisecond after, as the rules hold operators", () => {
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const prepared = prepareTickets([ticket("A", at(0)), ticket("B", at(1))], key, now, DEFAULT_JV_SETTINGS);
    expect(prepared.candidates.map((c) => c.ticket.ticket_id)).to.deep.equal(["A"]);
    expect(prepared.results[1].issues).to.deep.equal([
      {
        path: "measured_at",
        code: "in_future",
        message: "2026-11-30T12:00:00.001Z is after the server's time 2026-11-30T12:00:00.000Z: it has not been measured yet",
      },
    ]);
  });
});

describe("ingestion: a batch's write plan", () => {
  const tickets = [
    ticket("A", "2026-11-28T06:00:00Z"),
    ticket("B", "2026-11-29T06:00:00Z"),
    ticket("A", "2026-11-28T06:00:00Z", { gross_volume_bbl: 999 }),
    ticket("C", "2026-11-28T07:00:00Z", { bsw_percent: 101 }),
    ticket("D", "2026-11-29T07:00:00Z"),
  ];

  it("refuses the closed day's tickets, reports a repeat as the earlier ticket's duplicate, creates the rest", () => {
    const prepared = prepareTickets(tickets, key, now, DEFAULT_JV_SETTINGS);
    expect(prepared.candidates.map((c) => c.day)).to.deep.equal(["2026-11-28", "2026-11-29", "2026-11-28", "2026-11-29"]);
    const plan = planWrites(
      prepared,
      prepared.candidates.map((c) => (c.day === "2026-11-29" ? c.day : null)),
    );
    // The first ticket's result is settled by the write that creates it.
    expect(plan.toCreate.map((c) => [c.index, c.ticket.ticket_id])).to.deep.equal([[0, "A"]]);
    expect(plan.results.slice(1).map((r) => [r.status, r.entry_id ?? null, (r.issues ?? []).map((i) => i.code)])).to.deep.equal([
      ["invalid", null, ["day_closed"]],
      ["duplicate", ticketEntryId("P1", "A"), ["differs_from_stored"]],
      ["invalid", null, ["too_big"]],
      ["invalid", null, ["day_closed"]],
    ]);
  });

  it("reports a ticket on a closed day whose entry is stored already as its duplicate, not as late data", () => {
    const prepared = prepareTickets(tickets, key, now, DEFAULT_JV_SETTINGS);
    const storedAs = (t: ReturnType<typeof ticket>, overrides: Record<string, unknown> = {}) => ({
      ...ticketEntryFields(parseTicket(t), "P1", key.keyId),
      measured_at: Timestamp.fromDate(new Date(t.measured_at)),
      ...overrides,
    });
    const stored = new Map([
      [ticketEntryId("P1", "B"), storedAs(tickets[1])],
      [ticketEntryId("P1", "D"), storedAs(tickets[4], { gross_volume_bbl: 1200 })],
    ]);
    const plan = planWrites(
      prepared,
      prepared.candidates.map((c) => (c.day === "2026-11-29" ? c.day : null)),
      stored,
    );
    expect(
      [1, 4].map((i) => [plan.results[i].status, plan.results[i].entry_id, (plan.results[i].issues ?? []).map((x) => x.code)]),
    ).to.deep.equal([
      ["duplicate", ticketEntryId("P1", "B"), []],
      ["duplicate", ticketEntryId("P1", "D"), ["differs_from_stored"]],
    ]);
    expect(plan.toCreate.map((c) => c.ticket.ticket_id)).to.deep.equal(["A"]);
  });

  it("answers a repeat by what its first copy found: the stored entry's duplicate (compared with that entry), or not written", () => {
    const batch = [
      ticket("B", "2026-11-29T06:00:00Z"),
      ticket("B", "2026-11-29T06:00:00Z", { gross_volume_bbl: 999 }),
      ticket("E", "2026-11-29T08:00:00Z"),
      ticket("E", "2026-11-29T08:00:00Z"),
      ticket("F", "2026-11-28T08:00:00Z"),
      ticket("F", "2026-11-29T08:00:00Z"),
    ];
    const prepared = prepareTickets(batch, key, now, DEFAULT_JV_SETTINGS);
    // B is stored already with gross 999, on a closed day; E is not stored and its day is closed; F's first copy is on an open day.
    const stored = new Map([
      [
        ticketEntryId("P1", "B"),
        { ...ticketEntryFields(parseTicket(batch[1]), "P1", key.keyId), measured_at: Timestamp.fromDate(new Date(batch[1].measured_at)) },
      ],
    ]);
    const plan = planWrites(
      prepared,
      prepared.candidates.map((c) => (c.day === "2026-11-29" ? c.day : null)),
      stored,
    );
    expect(plan.results.map((r) => [r.status, (r.issues ?? []).map((i) => i.code)])).to.deep.equal([
      ["duplicate", ["differs_from_stored"]],
      ["duplicate", []],
      ["invalid", ["day_closed"]],
      ["invalid", ["day_closed"]],
      ["invalid", []],
      // A repeat on a closed day of a ticket written on an open one is its duplicate, not late data.
      ["duplicate", ["differs_from_stored"]],
    ]);
    expect(plan.toCreate.map((c) => c.index)).to.deep.equal([4]);
  });

  it("takes an absent pressure as 0 psig and an absent meter factor as 1: sending them explicitly is the same ticket", () => {
    const bare = ticket("G", "2026-11-28T06:00:00Z");
    const explicit = ticket("G", "2026-11-28T06:00:00Z", { pressure_psig: 0, meter_factor: 1 });
    const storedAs = (t: ReturnType<typeof ticket>) => ({
      ...ticketEntryFields(parseTicket(t), "P1", key.keyId),
      measured_at: Timestamp.fromDate(new Date(t.measured_at)),
    });
    for (const [sent, before] of [
      [explicit, bare],
      [bare, explicit],
    ]) {
      const prepared = prepareTickets([sent], key, now, DEFAULT_JV_SETTINGS);
      const plan = planWrites(prepared, ["2026-11-28"], new Map([[ticketEntryId("P1", "G"), storedAs(before)]]));
      expect(plan.results[0]).to.deep.include({ status: "duplicate" });
      expect(plan.results[0].issues).to.equal(undefined);
    }
    const moved = prepareTickets([ticket("G", "2026-11-28T06:00:00Z", { meter_factor: 1.0001 })], key, now, DEFAULT_JV_SETTINGS);
    expect(planWrites(moved, ["2026-11-28"], new Map([[ticketEntryId("P1", "G"), storedAs(bare)]])).results[0].issues?.[0].code).to.equal(
      "differs_from_stored",
    );
  });

  it("names each figure that differs from the stored entry, with both values, within the echo's bounds", () => {
    const storedAs = (t: ReturnType<typeof ticket>) => ({
      ...ticketEntryFields(parseTicket(t), "P1", key.keyId),
      measured_at: Timestamp.fromDate(new Date(t.measured_at)),
    });
    const kept = "; the stored entry is kept (corrections go through a coordinator)";
    const before = ticket("H", "2026-11-28T06:00:00Z", { gross_volume_bbl: 1000.5, note: "shift A" });
    const resent = prepareTickets(
      [ticket("H", "2026-11-28T06:00:00Z", { gross_volume_bbl: 1000.25, temperature_degF: 81.5 })],
      key,
      now,
      DEFAULT_JV_SETTINGS,
    );
    expect(planWrites(resent, ["2026-11-28"], new Map([[ticketEntryId("P1", "H"), storedAs(before)]])).results[0].issues).to.deep.equal([
      { path: "gross_volume_bbl", code: "differs_from_stored", message: `stored 1000.5, this ticket 1000.25${kept}` },
      { path: "temperature_degF", code: "differs_from_stored", message: `stored 80, this ticket 81.5${kept}` },
      {
        path: "note",
        code: "differs_from_stored",
        message: "this ticket_id was ingested before with another note; the stored entry keeps its note (a coordinator may correct it)",
      },
    ]);
    // Every figure and the note differ, the meter ids at their longest: the first 8 issues, each message whole but for the ids.
    const longId = (c: string) => c.repeat(64);
    const other = ticket("H", "2026-11-27T06:00:00Z", {
      meter_id: longId("m"),
      gross_volume_bbl: 1.5e-300,
      bsw_percent: 99.99999999999999,
      temperature_degF: -459.67,
      api_gravity: 10.125,
      pressure_psig: 1e21,
      meter_factor: 0.1,
      note: "n",
    });
    const everything = planWrites(
      prepareTickets([other], key, now, DEFAULT_JV_SETTINGS),
      ["2026-11-27"],
      new Map([[ticketEntryId("P1", "H"), { ...storedAs(before), meter_id: longId("s") }]]),
    ).results[0].issues!;
    expect(everything.map((i) => i.path)).to.deep.equal([...TICKET_FIGURES]);
    expect(new Set(TICKET_FIGURES).size).to.equal(MAX_ISSUES_PER_TICKET);
    expect(everything).to.have.length(MAX_ISSUES_PER_TICKET);
    for (const issue of everything) {
      expect([...issue.message].length, issue.message).to.be.at.most(ISSUE_MESSAGE_MAX_LENGTH);
      expect(issue.message, issue.path).to.match(
        /^stored .+, this ticket .+; the stored entry is kept \(corrections go through a coordinator\)$/,
      );
    }
    expect(everything[0].message).to.equal(`stored 2026-11-28T06:00:00.000Z, this ticket 2026-11-27T06:00:00.000Z${kept}`);
    expect(everything[TICKET_FIGURES.indexOf("meter_id")].message).to.match(/^stored "s{35}…, this ticket "m{35}…; /);
    expect(everything[TICKET_FIGURES.indexOf("pressure_psig")].message).to.equal(`stored none (read as 0), this ticket 1e+21${kept}`);
  });

  it("refuses a time before 2000-01-01 as the rules refuse operators, down to years Firestore cannot store", () => {
    const old = ["1999-12-31T23:59:59Z", "2000-01-01T00:30:00+01:00", "0000-06-01T00:00:00Z", "0001-01-01T00:00:00+01:00"];
    const prepared = prepareTickets(
      [...old.map((at, i) => ticket(`O${i}`, at)), ticket("NEW", "2000-01-01T00:00:00Z")],
      key,
      now,
      DEFAULT_JV_SETTINGS,
    );
    expect(prepared.results.slice(0, 4).map((r) => [r.status, (r.issues ?? []).map((i) => i.code)])).to.deep.equal(
      old.map(() => ["invalid", ["before_floor"]]),
    );
    expect(prepared.candidates.map((c) => [c.ticket.ticket_id, c.day])).to.deep.equal([["NEW", "2000-01-01"]]);
  });

  it("leaves the prepared results untouched, so a retried transaction plans afresh", () => {
    const prepared = prepareTickets(tickets, key, now, DEFAULT_JV_SETTINGS);
    const before = JSON.stringify(prepared.results);
    planWrites(
      prepared,
      prepared.candidates.map((c) => c.day),
    );
    expect(JSON.stringify(prepared.results)).to.equal(before);
    const open = planWrites(
      prepared,
      prepared.candidates.map(() => null),
    );
    expect(open.toCreate.map((c) => c.ticket.ticket_id)).to.deep.equal(["A", "B", "D"]);
    expect(open.results.filter((r) => (r.issues ?? []).some((i) => i.code === "day_closed"))).to.have.length(0);
  });
});

describe("ingestion: a batch's stored response", () => {
  it("stays far below Firestore's 1 MiB document limit for the most echo-heavy batch the body limit allows", () => {
    // Every ticket wrong in every field, with an id and unknown field names that need escaping
    // and are far longer than any limit: the response echoes a bounded part of each.
    const nasty = (i: number) => ({
      ticket_id: `"\u0001é${i}`.repeat(400),
      meter_id: 7,
      measured_at: "\\".repeat(300),
      gross_volume_bbl: "x",
      bsw_percent: "x",
      temperature_degF: "x",
      api_gravity: "x",
      pressure_psig: "x",
      meter_factor: "x",
      note: 1,
      [`"\u0002${i}`.repeat(300)]: 1,
      [`k${i}`.repeat(200)]: 2,
    });
    const tickets = Array.from({ length: MAX_TICKETS_PER_BATCH }, (_, i) => nasty(i));
    const prepared = prepareTickets(tickets, key, now, DEFAULT_JV_SETTINGS);
    const response = JSON.stringify({ status: 200, body: { results: planWrites(prepared, []).results } });
    expect(prepared.candidates).to.have.length(0);
    expect(Buffer.byteLength(response)).to.be.below(900_000);
    const first = prepared.results[0];
    expect(first.issues).to.have.length(MAX_ISSUES_PER_TICKET);
    expect(first.ticket_id).to.have.length(TICKET_ID_MAX_LENGTH);
    expect(first.ticket_id).to.match(/^[\x20-\x7e]+…$/);
    for (const issue of first.issues!) expect(issue.message.length).to.be.at.most(ISSUE_MESSAGE_MAX_LENGTH);
  });

  it("echoes a valid ticket id exactly", () => {
    const prepared = prepareTickets([ticket("BRP-20261031-01A", "2026-11-28T06:00:00Z")], key, now, DEFAULT_JV_SETTINGS);
    expect(prepared.results[0].ticket_id).to.equal("BRP-20261031-01A");
  });
});
