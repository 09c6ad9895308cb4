import { expect } from "chai";
import { apiKeySha256, checkApiKeyFormat } from "../../src/domain/api-key";
import { buildDataset, demoGatewayKey, GATEWAY, PARTNERS } from "../../../scripts/seed/dataset";

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
});
