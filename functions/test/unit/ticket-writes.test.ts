import { expect } from "chai";
import { DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import { ticketEntryId } from "../../src/domain/meter-ticket";
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
