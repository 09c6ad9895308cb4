import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import {
  differingFigures,
  figureText,
  parseMeterTicket,
  ticketBatchSchema,
  ticketEntryFields,
  ticketEntryId,
  ticketIdOf,
} from "../../src/domain/meter-ticket";

const ticket = (overrides: Record<string, unknown> = {}) => ({
  ticket_id: "NWE-1031-0600",
  meter_id: "NWE-LACT-01",
  measured_at: "2026-10-31T06:00:00Z",
  gross_volume_bbl: 3150.25,
  bsw_percent: 0.32,
  temperature_degF: 104,
  api_gravity: 36.8,
  ...overrides,
});

const codes = (raw: unknown) => {
  const parsed = parseMeterTicket(raw);
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.code}`);
};

describe("meter tickets", () => {
  it("accepts a full ticket and an RFC 3339 time with an offset", () => {
    const parsed = parseMeterTicket(
      ticket({ measured_at: "2026-10-31T08:00:00+02:00", pressure_psig: 38, meter_factor: 1.0007, note: "ok", partner_id: "northwind" }),
    );
    expect(parsed.ok).to.equal(true);
    if (parsed.ok) expect(parsed.measuredAt.toISOString()).to.equal("2026-10-31T06:00:00.000Z");
  });

  it("holds tickets to the operators' bounds", () => {
    expect(codes(ticket({ gross_volume_bbl: 0 }))).to.deep.equal(["gross_volume_bbl: too_small"]);
    expect(codes(ticket({ bsw_percent: 100 }))).to.deep.equal(["bsw_percent: too_big"]);
    expect(codes(ticket({ bsw_percent: -0.1 }))).to.deep.equal(["bsw_percent: too_small"]);
    expect(codes(ticket({ meter_factor: 0 }))).to.deep.equal(["meter_factor: too_small"]);
    expect(codes(ticket({ note: "x".repeat(2001) }))).to.deep.equal(["note: too_big"]);
    expect(codes(ticket({ meter_id: "M".repeat(65) }))).to.deep.equal(["meter_id: too_big"]);
    expect(codes(ticket({ temperature_degF: "80" }))).to.deep.equal(["temperature_degF: invalid_type"]);
  });

  it("counts note and meter_id lengths in UTF-16 code units, as the contract and the rules' size() do (an emoji counts two)", () => {
    const drum = "\u{1F6E2}";
    expect(codes(ticket({ note: drum.repeat(1000), meter_id: drum.repeat(32) }))).to.deep.equal([]);
    expect(codes(ticket({ note: drum.repeat(1001), meter_id: drum.repeat(33) }))).to.deep.equal(["meter_id: too_big", "note: too_big"]);
    const parsed = parseMeterTicket(ticket({ note: `${drum.repeat(1000)}x` }));
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.message)).to.deep.equal([
      "must be at most 2000 UTF-16 code units (an emoji counts two)",
    ]);
  });

  it("takes -0 as 0, so that no negative zero is stored", () => {
    const parsed = parseMeterTicket(ticket({ bsw_percent: -0, temperature_degF: -0, api_gravity: -0, pressure_psig: -0 }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { bsw_percent, temperature_degF, api_gravity, pressure_psig } = parsed.ticket;
    expect([bsw_percent, temperature_degF, api_gravity, pressure_psig].map((n) => Object.is(n, 0))).to.deep.equal([true, true, true, true]);
  });

  it("refuses text Firestore cannot store (a lone UTF-16 surrogate), and keeps well-formed astral characters", () => {
    expect(codes(ticket({ note: "x\ud800y" }))).to.deep.equal(["note: custom"]);
    expect(codes(ticket({ note: "\udc00" }))).to.deep.equal(["note: custom"]);
    expect(codes(ticket({ meter_id: "M\udc00" }))).to.deep.equal(["meter_id: custom"]);
    expect(codes(ticket({ note: "flow \u{1F6E2}\uFE0F ok", meter_id: "M-\u{1D4DC}" }))).to.deep.equal([]);
  });

  it("refuses times without a zone, impossible dates, unknown fields and odd ticket ids", () => {
    expect(codes(ticket({ measured_at: "2026-10-31T06:00:00" }))).to.deep.equal(["measured_at: invalid_format"]);
    expect(codes(ticket({ measured_at: "2026-02-30T06:00:00Z" }))).to.deep.equal(["measured_at: invalid_format"]);
    expect(codes(ticket({ measured_at: "2025-02-29T06:00:00Z" }))).to.deep.equal(["measured_at: invalid_format"]);
    expect(codes(ticket({ measured_at: "2024-02-29T06:00:00Z" }))).to.deep.equal([]);
    // RFC 3339 (5.6) allows "t" and "z" in lower case: read as the same instant.
    const lower = parseMeterTicket(ticket({ measured_at: "2026-10-31t08:00:00z" }));
    expect(lower.ok && lower.measuredAt.toISOString()).to.equal("2026-10-31T08:00:00.000Z");
    expect(codes(ticket({ extra: 1 }))).to.deep.equal([": unrecognized_keys"]);
    expect(codes(ticket({ ticket_id: "has space" }))).to.deep.equal(["ticket_id: invalid_format"]);
    expect(codes(ticket({ ticket_id: "" }))).to.deep.equal(["ticket_id: too_small", "ticket_id: invalid_format"]);
    expect(codes(ticket({ meter_id: "  " }))).to.deep.equal(["meter_id: custom"]);
    for (const [meter_id, character] of [
      ["LACT\u000001A", "U+0000 (a control character)"],
      ["LACT\t01A", "U+0009 (a tab)"],
      ["LACT-01A\n", "U+000A (a line break)"],
      ["LACT\u200b01A", "U+200B (an invisible character)"],
      ["\u202eA10-TCAL", "U+202E (a bidirectional control)"],
      ["LACT\u206601A", "U+2066 (a bidirectional control)"],
      ["\ufeffLACT", "U+FEFF (an invisible character)"],
      ["LACT\u202801A", "U+2028 (a line separator)"],
      ["LACT\u202901A", "U+2029 (a paragraph separator)"],
      ["LA\u00adCT", "U+00AD (an invisible character)"],
      ["LACT\u180e01A", "U+180E (an invisible character)"],
    ]) {
      const parsed = parseMeterTicket(ticket({ meter_id }));
      expect(parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`), JSON.stringify(meter_id)).to.deep.equal([
        `meter_id: must not hold ${character}`,
      ]);
    }
    for (const [note, character] of [
      ["12.5 \u0000bbl", "U+0000 (a control character)"],
      ["read 1\u202e05 bbl", "U+202E (a bidirectional control)"],
      ["a\u2067b", "U+2067 (a bidirectional control)"],
      ["next\u0085line", "U+0085 (a control character)"],
      ["a\u2028b", "U+2028 (a line separator)"],
    ]) {
      const parsed = parseMeterTicket(ticket({ note }));
      expect(parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.code}: ${i.message}`), JSON.stringify(note)).to.deep.equal([
        `note: custom: must not hold ${character}`,
      ]);
    }
    expect(codes(ticket({ note: "Proved.\r\nFactor\t1.0002 — Zähler 東京 🛢️" }))).to.deep.equal([]);
    for (const meter_id of ["LACT 01A", "LACT-1 ", "\u0645\u06cc\u200c\u062e"])
      expect(codes(ticket({ meter_id })), meter_id).to.deep.equal([]);
    // Padded at either end (a gateway's habit): stored as the web app stores what operators type.
    for (const [sent, stored] of [
      ["LACT-1 ", "LACT-1"],
      ["\u00a0 LACT 01A\u3000", "LACT 01A"],
      ["LACT 01A", "LACT 01A"],
    ]) {
      const parsed = parseMeterTicket(ticket({ meter_id: sent }));
      expect(parsed.ok && parsed.ticket.meter_id, JSON.stringify(sent)).to.equal(stored);
    }
    expect(codes(null)).to.deep.equal([": invalid_type"]);
  });

  it("makes entry ids that fit ^[A-Za-z0-9_-]{1,64}$, depend on partner and ticket, and nothing else", () => {
    const id = ticketEntryId("northwind", "T-1");
    expect(id).to.match(/^[A-Za-z0-9_-]{1,64}$/);
    expect(ticketEntryId("northwind", "T-1")).to.equal(id);
    expect(ticketEntryId("basalt", "T-1")).to.not.equal(id);
    expect(ticketEntryId("northwind", "T-2")).to.not.equal(id);
    // The two parts are delimited: no shifting of characters between them collides.
    expect(ticketEntryId("a", "bc")).to.not.equal(ticketEntryId("ab", "c"));
  });

  it("makes the entry ids the docs give, by the recipe they give", () => {
    const recipe = (partner: string, ticketId: string) =>
      `api_${createHash("sha256")
        .update(Buffer.from(`["${partner}","${ticketId}"]`, "utf8"))
        .digest("base64url")}`;
    expect(ticketEntryId("basalt", "BRP-20261031-01A")).to.equal(recipe("basalt", "BRP-20261031-01A"));
    expect(readFileSync(join(__dirname, "../../../docs/ingestion.md"), "utf8")).to.contain(ticketEntryId("basalt", "BRP-20261031-01A"));
    const contract = JSON.parse(readFileSync(join(__dirname, "../../../docs/ingestion-openapi.json"), "utf8"));
    const examples = contract.paths["/v1/production"].post.responses["200"].content["application/json"].examples;
    const results = Object.values<any>(examples).flatMap((example) => example.value.results);
    expect(results.filter((r) => r.entry_id)).to.have.length(3);
    for (const r of results.filter((r) => r.entry_id)) expect(r.entry_id, r.ticket_id).to.equal(ticketEntryId("basalt", r.ticket_id));
  });

  it("turns a ticket into entry fields with the key's partner and provenance", () => {
    const parsed = parseMeterTicket(ticket({ pressure_psig: null, note: "  " }));
    if (!parsed.ok) throw new Error("expected a valid ticket");
    const fields = ticketEntryFields(parsed.ticket, "northwind", "key_0123456789abcdef0123");
    expect(fields).to.deep.equal({
      partner_id: "northwind",
      gross_volume_bbl: 3150.25,
      bsw_percent: 0.32,
      temperature_degF: 104,
      api_gravity: 36.8,
      meter_id: "NWE-LACT-01",
      created_by: "api_key:key_0123456789abcdef0123",
      source: "api",
      api_key_id: "key_0123456789abcdef0123",
      ticket_id: "NWE-1031-0600",
    });
    expect(differingFigures(fields, parsed.ticket, parsed.measuredAt, parsed.measuredAt)).to.deep.equal([]);
  });

  describe("differingFigures: what a ticket sent again holds otherwise than its stored entry", () => {
    const sent = (overrides: Record<string, unknown> = {}) => {
      const parsed = parseMeterTicket(ticket(overrides));
      if (!parsed.ok) throw new Error("expected a valid ticket");
      return parsed;
    };
    const storedAs = (overrides: Record<string, unknown> = {}) => ({
      ...ticketEntryFields(sent().ticket, "northwind", "key_0123456789abcdef0123"),
      ...overrides,
    });
    const at = new Date("2026-10-31T06:00:00Z");
    const against = (stored: Record<string, unknown>, overrides: Record<string, unknown> = {}, storedAt: Date | undefined = at) => {
      const parsed = sent(overrides);
      return differingFigures(stored, parsed.ticket, parsed.measuredAt, storedAt);
    };

    it("names each figure that differs, with the stored value and the one sent", () => {
      const changed: Record<string, [unknown, unknown, string, string]> = {
        meter_id: ["NWE-LACT-02", "NWE-LACT-01", '"NWE-LACT-02"', '"NWE-LACT-01"'],
        gross_volume_bbl: [1000.5, 1000.25, "1000.5", "1000.25"],
        bsw_percent: [0.3, 0.32, "0.3", "0.32"],
        temperature_degF: [80, 104, "80", "104"],
        api_gravity: [36.9, 36.8, "36.9", "36.8"],
        pressure_psig: [12, 14.5, "12", "14.5"],
        meter_factor: [1.0004, 0.9991, "1.0004", "0.9991"],
      };
      for (const [field, [stored, value, storedText, sentText]] of Object.entries(changed)) {
        expect(against(storedAs({ [field]: stored }), { [field]: value }), field).to.deep.equal([
          { field, stored: storedText, sent: sentText },
        ]);
      }
      expect(against(storedAs(), { measured_at: "2026-10-31T08:30:00.250+02:00" })).to.deep.equal([
        { field: "measured_at", stored: "2026-10-31T06:00:00.000Z", sent: "2026-10-31T06:30:00.250Z" },
      ]);
      // An entry without a readable measured_at (the caller found no Timestamp).
      expect(differingFigures(storedAs(), sent().ticket, at, undefined)).to.deep.equal([
        { field: "measured_at", stored: "none", sent: "2026-10-31T06:00:00.000Z" },
      ]);
    });

    it("names every differing figure in the contract's field order, and none for the same figures or another note", () => {
      const everything = storedAs({
        meter_id: "M-9",
        gross_volume_bbl: 1,
        bsw_percent: 1,
        temperature_degF: 1,
        api_gravity: 1,
        pressure_psig: 1,
        meter_factor: 2,
      });
      // The order docs/ingestion.md gives.
      expect(against(everything, {}, new Date("2026-10-30T06:00:00Z")).map((d) => d.field)).to.deep.equal([
        "measured_at",
        "gross_volume_bbl",
        "bsw_percent",
        "temperature_degF",
        "api_gravity",
        "pressure_psig",
        "meter_factor",
        "meter_id",
      ]);
      expect(against(storedAs({ note: "shift A" }), { note: "shift B" })).to.deep.equal([]);
    });

    it("reads an absent or null pressure as 0 psig and meter factor as 1, and a stored meter id's padding as none", () => {
      for (const stored of [
        storedAs(),
        storedAs({ pressure_psig: null, meter_factor: null }),
        storedAs({ pressure_psig: 0, meter_factor: 1 }),
      ]) {
        for (const overrides of [{}, { pressure_psig: null, meter_factor: null }, { pressure_psig: 0, meter_factor: 1 }]) {
          expect(against(stored, overrides), JSON.stringify([stored, overrides])).to.deep.equal([]);
        }
      }
      expect(against(storedAs(), { pressure_psig: 12, meter_factor: 1.0001 })).to.deep.equal([
        { field: "pressure_psig", stored: "none (read as 0)", sent: "12" },
        { field: "meter_factor", stored: "none (read as 1)", sent: "1.0001" },
      ]);
      expect(against(storedAs({ pressure_psig: 12, meter_factor: 0.9991 }), { pressure_psig: null })).to.deep.equal([
        { field: "pressure_psig", stored: "12", sent: "none (read as 0)" },
        { field: "meter_factor", stored: "0.9991", sent: "none (read as 1)" },
      ]);
      // An entry stored with the gateway's padding, before ids were trimmed: the same ticket again.
      expect(against(storedAs({ meter_id: "NWE-LACT-01 " }))).to.deep.equal([]);
      expect(against(storedAs({ meter_id: " NWE-LACT-02" }))).to.deep.equal([
        { field: "meter_id", stored: '" NWE-LACT-02"', sent: '"NWE-LACT-01"' },
      ]);
      expect(against(storedAs({ meter_id: 7 }))).to.deep.equal([{ field: "meter_id", stored: "7", sent: '"NWE-LACT-01"' }]);
    });

    it("writes a figure as text: a time in RFC 3339 UTC, a number as JavaScript does, text quoted", () => {
      expect(figureText(new Date("2026-10-31T08:00:00+02:00"))).to.equal("2026-10-31T06:00:00.000Z");
      expect(figureText(new Date(Number.NaN))).to.equal("an invalid time");
      expect(figureText(1e21)).to.equal("1e+21");
      expect(figureText("a\tb")).to.equal('"a\\tb"');
      expect(figureText(undefined)).to.equal("none");
      expect(figureText(null, 1)).to.equal("none (read as 1)");
      expect(figureText({})).to.equal("of type object");
    });
  });

  it("echoes a ticket id only when it is text, and needs a non-empty tickets array", () => {
    expect(ticketIdOf({ ticket_id: "A" })).to.equal("A");
    expect(ticketIdOf({ ticket_id: 7 })).to.equal(null);
    expect(ticketIdOf([1])).to.equal(null);
    expect(ticketBatchSchema.safeParse({ tickets: [] }).success).to.equal(false);
    expect(ticketBatchSchema.safeParse({ tickets: [1], more: 1 }).success).to.equal(false);
    expect(ticketBatchSchema.safeParse({ tickets: [1] }).success).to.equal(true);
  });
});
