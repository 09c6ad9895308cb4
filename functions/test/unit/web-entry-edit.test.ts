/**
 * The web app's edit of a stored entry (web/src/domain/entry-edit.ts, data/reaudit.ts): what it
 * writes and when it says the shown verdict is the old figures' until the auditor's next one.
 */
import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { keepStored, measuredChanged } from "../../../web/src/domain/entry-edit";
import { awaitingReaudit, expectReaudit } from "../../../web/src/data/reaudit";
import { auditInputHash } from "../../src/domain/production-entry";

const gatewayTicket = {
  partner_id: "northwind",
  measured_at: Timestamp.fromDate(new Date("2026-11-20T06:00:00Z")),
  gross_volume_bbl: 3005.2,
  bsw_percent: 0.31,
  temperature_degF: 100.4,
  api_gravity: 36.6,
  meter_id: "G-1",
  ticket_id: "T-1",
};
const formFields = (changes: Record<string, unknown> = {}) => ({
  measured_at: gatewayTicket.measured_at,
  gross_volume_bbl: 3005.2,
  bsw_percent: 0.31,
  temperature_degF: 100.4,
  api_gravity: 36.6,
  pressure_psig: null,
  meter_factor: null,
  meter_id: "G-1",
  note: null,
  ...changes,
});

describe("web: editing a stored entry", () => {
  it("leaves absent the fields the entry never had and the form left empty, so a note-only correction keeps the audited inputs", () => {
    const written = keepStored(formFields(), gatewayTicket);
    expect(written).to.not.have.keys("pressure_psig", "meter_factor", "note");
    expect(auditInputHash({ ...gatewayTicket, ...written })).to.equal(auditInputHash(gatewayTicket));
    // Written as null, the same figures would have been new inputs to the auditor.
    expect(auditInputHash({ ...gatewayTicket, ...formFields() })).to.not.equal(auditInputHash(gatewayTicket));
    // A field the entry has stays written, null included (an operator clearing a factor).
    expect(keepStored(formFields(), { ...gatewayTicket, meter_factor: 1.0012 })).to.include({ meter_factor: null });
  });

  it("keeps a gateway's meter id with its spaces when the form, which shows it trimmed, leaves it as it was", () => {
    const spaced = { ...gatewayTicket, meter_id: "LACT-1 " };
    const noteOnly = keepStored(formFields({ meter_id: "LACT-1", note: "checked" }), spaced);
    expect(noteOnly.meter_id).to.equal("LACT-1 ");
    expect(measuredChanged(noteOnly, spaced)).to.equal(false);
    expect(auditInputHash({ ...spaced, ...noteOnly })).to.equal(auditInputHash(spaced));
    // A meter the coordinator changes is written as typed.
    expect(keepStored(formFields({ meter_id: "LACT-2" }), spaced).meter_id).to.equal("LACT-2");
  });

  it("keeps a gateway's note with its line break when the form, which shows it trimmed, leaves it as it was", () => {
    const noted = { ...gatewayTicket, note: "Pump 2 down\n" };
    expect(keepStored(formFields({ note: "Pump 2 down", gross_volume_bbl: 3005.3 }), noted).note).to.equal("Pump 2 down\n");
    expect(keepStored(formFields({ note: null }), { ...gatewayTicket, note: "  " }).note).to.equal("  ");
    // A note the coordinator changes, or clears, is written as typed.
    expect(keepStored(formFields({ note: "Pump 2 back" }), noted).note).to.equal("Pump 2 back");
    expect(keepStored(formFields({ note: null }), noted).note).to.equal(null);
  });

  it("tells a change of the audited figures from a write that changes none of them", () => {
    expect(measuredChanged(keepStored(formFields(), gatewayTicket), gatewayTicket)).to.equal(false);
    expect(measuredChanged(keepStored(formFields({ gross_volume_bbl: 3005.3 }), gatewayTicket), gatewayTicket)).to.equal(true);
    const sameInstant = Timestamp.fromDate(new Date("2026-11-20T06:00:00Z"));
    expect(measuredChanged({ measured_at: sameInstant }, gatewayTicket)).to.equal(false);
    expect(measuredChanged({ measured_at: Timestamp.fromDate(new Date("2026-11-21T06:00:00Z")) }, gatewayTicket)).to.equal(true);
  });

  it("shows the verdict as the old figures' only until an audit of other inputs arrives", () => {
    const id = "E-reaudit";
    const entry = (hash: string) => ({ ...gatewayTicket, audit: { status: "rejected", input_hash: hash } }) as never;
    const saved = Date.parse("2026-11-20T09:00:00Z");
    expect(awaitingReaudit(id, entry("h1"), saved)).to.equal(false);
    expectReaudit(id, "h1", saved);
    expect(awaitingReaudit(id, entry("h1"), saved + 1_000)).to.equal(true);
    expect(awaitingReaudit(id, entry("h2"), saved + 1_000)).to.equal(false);
    expect(awaitingReaudit("another", entry("h1"), saved + 1_000)).to.equal(false);
    // Figures saved back to the audited ones before the auditor ran bring no new audit: the notice ends after three minutes.
    expect(awaitingReaudit(id, entry("h1"), saved + 3 * 60_000)).to.equal(false);
  });
});
