import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate } from "../support/json-schema";

const contract = JSON.parse(readFileSync(join(__dirname, "../../../docs/ingestion-openapi.json"), "utf8"));
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

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
    const good = {
      ticket_id: "T",
      meter_id: "M",
      measured_at: "2026-10-31T06:00:00Z",
      gross_volume_bbl: 1,
      bsw_percent: 0,
      temperature_degF: 60,
      api_gravity: 30,
    };
    expect(validate(contract, ref("MeterTicket"), good)).to.deep.equal([]);
    expect(validate(contract, ref("MeterTicket"), { ...good, extra: 1 })).to.deep.equal(["$: unexpected property extra"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, gross_volume_bbl: 0 })).to.deep.equal(["$.gross_volume_bbl: not above 0"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, bsw_percent: 100 })).to.deep.equal(["$.bsw_percent: not below 100"]);
    expect(validate(contract, ref("MeterTicket"), { ...good, ticket_id: "a b" })).to.have.length(1);
    expect(validate(contract, ref("TicketBatch"), { tickets: Array(501).fill(good) })).to.deep.equal(["$.tickets: more than 500 items"]);
    expect(validate(contract, ref("Error"), { error: { code: "nope", message: "x" } })).to.deep.equal(['$.error.code: "nope" not in enum']);
  });
});
