import { expect } from "chai";
import { apiKeySha256, checkApiKeyFormat } from "../../src/domain/api-key";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDataset, demoGatewayKey, GATEWAY, PARTNERS } from "../../../scripts/seed/dataset";
import { gatewayKeyLines } from "../../../scripts/seed/gateway-key";

describe("the demo's SCADA gateway key", () => {
  it("is a well-formed key, the same for the same seed, stored only as its hash", () => {
    const key = demoGatewayKey();
    expect(checkApiKeyFormat(key.key)).to.deep.equal({ ok: true });
    expect(demoGatewayKey().key).to.equal(key.key);
    expect(demoGatewayKey(1).key).to.not.equal(key.key);
    const dataset = buildDataset();
    expect(dataset.gatewayKey.sha256).to.equal(apiKeySha256(key.key));
    expect(JSON.stringify(dataset.gatewayKey.data)).to.not.contain(key.key.slice(13, -4));
    expect(dataset.gatewayKey.data).to.include({ partner_id: GATEWAY.partner_id, key_id: key.keyId, revoked_at: null, expires_at: null });
  });

  it("covers exactly its partner's meters, and its creation is on the audit log", () => {
    const partner = PARTNERS.find((p) => p.id === GATEWAY.partner_id)!;
    expect(GATEWAY.meter_ids).to.deep.equal(partner.meters.map((m) => m.id));
    const event = buildDataset().events.find((e) => e.action === "api_key_created");
    expect(event?.subject).to.equal(`api_keys/${demoGatewayKey().keyId}`);
    expect(JSON.stringify(event)).to.not.contain(demoGatewayKey().key);
  });

  it("prints a curl line whose ticket is not the docs' own, so that following both creates two, with no uuidgen", () => {
    const printed = gatewayKeyLines("http://127.0.0.1:5001", new Date("2026-12-07T03:00:00Z")).join("\n");
    const docs = readFileSync(join(__dirname, "../../../docs/ingestion.md"), "utf8");
    const ticketIds = (text: string) => [...text.matchAll(/"ticket_id":"([^"]+)"/g)].map((m) => m[1]);
    const docsCurl = docs.slice(docs.indexOf("```sh\ncurl"), docs.indexOf("```", docs.indexOf("```sh\ncurl") + 5));
    expect(ticketIds(docsCurl)).to.have.length(1);
    expect(ticketIds(printed)).to.have.length(1);
    expect(ticketIds(printed)[0]).to.not.equal(ticketIds(docsCurl)[0]);
    expect(printed).to.contain('"measured_at":"2026-12-06T06:00:00Z"');
    for (const text of [printed, docsCurl]) {
      expect(text).to.not.match(/uuidgen|\/proc\//);
      expect(text).to.contain(`-H "Idempotency-Key: $(node -p 'crypto.randomUUID()')"`);
    }
  });
});
