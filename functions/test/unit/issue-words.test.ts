import { expect } from "chai";
import { z } from "zod";
import { issueMessage, pathInWords } from "../../src/domain/issue-words";
import { parseMeterTicket } from "../../src/domain/meter-ticket";
import { parseInput } from "../../src/shared/callable-guard";
import { createApiKeyInput } from "../../src/agents/ingestion/api-keys";
import { setJvSettingsInput } from "../../src/agents/admin/set-jv-settings";

const messagesOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map(issueMessage);

describe("a request's faults in words", () => {
  it("says zod's stock messages plainly and keeps a schema's own", () => {
    const schema = z.strictObject({
      name: z.string().min(1).max(5),
      count: z.number().positive().max(10),
      items: z.array(z.string()).min(1).max(2),
      at: z.iso.datetime({ offset: true }),
      format: z.enum(["pdf", "csv"]),
      day: z.string().regex(/^\d{4}$/, "must be four digits"),
    });
    expect(messagesOf(schema, { name: "", count: 0, items: [], at: "2026-12-03", format: "xls", day: "1", extra: 1 })).to.deep.equal([
      "must not be empty",
      "must be above 0",
      "must hold at least 1 item",
      "must be an RFC 3339 date-time with a zone, e.g. 2026-10-31T06:00:00Z or 2026-10-31T07:00:00+01:00",
      'must be one of "pdf", "csv"',
      "must be four digits",
      'unknown field "extra"',
    ]);
    expect(messagesOf(schema, { name: "toolong", count: 11, items: ["a", "b", "c"], at: 5, format: "pdf", day: "2026" })).to.deep.equal([
      "must be at most 5 characters",
      "must be at most 10",
      "must hold at most 2 items",
      "must be a string, not a number",
    ]);
    expect(messagesOf(z.object({ n: z.number(), m: z.number(), o: z.object({}) }), { n: Infinity, m: -Infinity, o: null })).to.deep.equal([
      "is out of range (overflows a double)",
      "is out of range (overflows a double)",
      "must be an object, not null",
    ]);
    expect(messagesOf(z.object({ n: z.number() }), {})).to.deep.equal(["is required"]);
    expect(messagesOf(z.object({ h: z.number().int(), k: z.number().int() }), { h: 5.5, k: "6" })).to.deep.equal([
      "must be a whole number",
      "must be a number, not a string",
    ]);
    expect(
      messagesOf(z.object({ id: z.string().length(4), pair: z.array(z.number()).length(2) }), { id: "abc", pair: [1, 2, 3] }),
    ).to.deep.equal(["must be exactly 4 characters", "must hold exactly 2 items"]);
  });

  it("names an item of a list by its place, counted from 1", () => {
    expect(pathInWords(["meter_ids", 1])).to.equal("meter_ids item 2");
    expect(pathInWords(["acknowledge_luaf", "note"])).to.equal("acknowledge_luaf.note");
    expect(pathInWords([])).to.equal("");
  });

  it("reaches the callables' refusals and the gateways' ticket results", () => {
    const refusal = (schema: z.ZodType, data: unknown) => {
      try {
        parseInput(schema, data);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal(createApiKeyInput, { partner_id: "p", name: "gw", meter_ids: ["M-1", "x".repeat(65)] })).to.equal(
      "Invalid request: meter_ids item 2: must be at most 64 characters",
    );
    // A misspelt setting is named, not answered with "name at least one setting".
    expect(refusal(setJvSettingsInput, { luaf_band_percent: -1 })).to.equal('Invalid request: unknown field "luaf_band_percent"');
    expect(refusal(setJvSettingsInput, {})).to.equal("Invalid request: name at least one setting to change");
    expect(refusal(createApiKeyInput, { partner_id: "p", name: "gw", meter_ids: ["M-1", "M-1"] })).to.equal(
      "Invalid request: meter_ids: must not repeat a meter",
    );
    expect(refusal(setJvSettingsInput, { jv_start_date: "01/02/2026" })).to.equal("Invalid request: jv_start_date: must be YYYY-MM-DD");
    const ticket = parseMeterTicket({ ticket_id: "t1", meter_id: "M-1", measured_at: "2026-12-03T06:00:00", gross_volume_bbl: 0 });
    expect(ticket.ok).to.equal(false);
    expect(ticket.ok ? [] : ticket.issues.map((i) => `${i.path}: ${i.message}`)).to.include.members([
      "measured_at: must be an RFC 3339 date-time with a zone, e.g. 2026-10-31T06:00:00Z or 2026-10-31T07:00:00+01:00",
      "gross_volume_bbl: must be above 0",
    ]);
  });
});
