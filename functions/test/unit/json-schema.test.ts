import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate } from "../support/json-schema";
import { parseMeterTicket, wellFormedMeterId } from "../../src/domain/meter-ticket";

const contract = JSON.parse(readFileSync(join(__dirname, "../../../docs/ingestion-openapi.json"), "utf8"));
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const goodTicket = () => ({
  ticket_id: "T",
  meter_id: "M",
  measured_at: "2026-10-31T06:00:00Z",
  gross_volume_bbl: 1,
  bsw_percent: 0,
  temperature_degF: 60,
  api_gravity: 30,
});

describe("the ingestion contract's schemas (docs/ingestion-openapi.json)", () => {
  it("accepts its response examples, and exactly the request examples' tickets the responses call valid", () => {
    const post = contract.paths["/v1/production"].post;
    const requests = post.requestBody.content["application/json"].examples;
    const responses = post.responses["200"].content["application/json"].examples;
    expect(Object.keys(requests)).to.deep.equal(Object.keys(responses));
    for (const [name, example] of Object.entries<any>(requests)) {
      const statuses = responses[name].value.results.map((r: any) => r.status);
      const schemaValid = example.value.tickets.map((t: unknown) => validate(contract, ref("MeterTicket"), t).length === 0);
      expect(schemaValid, name).to.deep.equal(statuses.map((s: string) => s !== "invalid"));
    }
    for (const [name, example] of Object.entries<any>(responses))
      expect(validate(contract, ref("BatchResult"), example.value), name).to.deep.equal([]);
  });

  it("refuses what the endpoint refuses: extra fields, bad bounds, too many tickets", () => {
    const good = goodTicket();
    expect(validate(contract, ref("MeterTicket"), good)).to.deep.equal([]);
    expect(validate(contract, ref("MeterTicket"), { ...good, extra: 1 })).to.deep.equal(["$: unexpected property extra"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, gross_volume_bbl: 0 })).to.deep.equal(["$.gross_volume_bbl: not above 0"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, bsw_percent: 100 })).to.deep.equal(["$.bsw_percent: not below 100"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, ticket_id: "a b" })).to.have.length(1);
    expect(validate(contract, ref("TicketBatch"), { tickets: Array(501).fill(good) })).to.deep.equal(["$.tickets: more than 500 items"]);
    expect(validate(contract, ref("Error"), { error: { code: "nope", message: "x" } })).to.deep.equal(['$.error.code: "nope" not in enum']);
  });

  it("names every batch-level code the endpoint answers, changed_while_writing too", () => {
    const source = readFileSync(join(__dirname, "../../src/agents/ingestion/ingest-production.ts"), "utf8");
    const answered = [...source.matchAll(/(?:refuse\(\s*\d{3},|unauthorized\()\s*"([a-z_]+)"/g)].map((m) => m[1]);
    expect(answered).to.include("changed_while_writing");
    const codes = contract.components.schemas.Error.properties.error.properties.code.enum as string[];
    expect(answered.filter((code) => !codes.includes(code))).to.deep.equal([]);
  });

  it("refuses the meter ids, notes and times the endpoint refuses, though format date-time allows some", () => {
    const meter = contract.components.schemas.MeterTicket.properties.meter_id;
    const ids = ["M", "LACT 01A", " M ", "\u0645\u06cc\u200c\u062e"].concat([
      "",
      "   ",
      "a\tb",
      "a\u0000",
      "a\u0085",
      "a\u2028",
      "a\u202e",
      "a\u200b",
      "a\u00ad",
      "a\ufeff",
    ]);
    expect(ids.map((id) => validate(contract, meter, id).length === 0)).to.deep.equal(ids.map((id) => wellFormedMeterId(id) !== undefined));
    const note = contract.components.schemas.MeterTicket.properties.note;
    const notes = ["Proved.\r\nFactor\t1.0002 — Zähler 東京 🛢️", "\u0645\u06cc\u200c\u062e \u200f"].concat([
      "a\u0000",
      "a\u0085",
      "a\u007f",
      "a\u000b",
      "a\u2028",
      "a\u2029",
      "a\u202a",
      "a\u202e",
      "a\u2066",
      "a\u2069",
    ]);
    const noteAccepted = (text: string) => parseMeterTicket({ ...goodTicket(), note: text }).ok;
    expect(notes.map((text) => validate(contract, note, text).length === 0)).to.deep.equal(notes.map(noteAccepted));
    expect(notes.filter(noteAccepted)).to.have.length(2);
    const at = contract.components.schemas.MeterTicket.properties.measured_at;
    const times = ["2026-10-31T06:00:00Z", "2026-10-31t06:00:00.123+02:00"].concat([
      "2016-12-31T23:59:60Z",
      "2026-12-01 00:00:00Z",
      "2026-12-01T00:00Z",
    ]);
    const accepted = (time: string) => parseMeterTicket({ ...goodTicket(), measured_at: time }).ok;
    expect(times.map((time) => validate(contract, at, time).length === 0)).to.deep.equal(times.map(accepted));
    expect(times.map(accepted)).to.deep.equal([true, true, false, false, false]);
  });
});
