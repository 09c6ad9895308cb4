import { expect } from "chai";
import { exclusionReason } from "../../../web/src/domain/exclusion-reason";
import { entryDisposition } from "../../src/domain/entry-disposition";
import { auditInputHash } from "../../src/domain/production-entry";

describe("web: an excluded entry's reason in its parts", () => {
  const entry = { partner_id: "p", gross_volume_bbl: 10, bsw_percent: 1, temperature_degF: 900, api_gravity: 30 };
  const reasonOf = (audit: Record<string, unknown>, review?: Record<string, unknown>) => {
    const disposition = entryDisposition({
      ...entry,
      audit: { input_hash: auditInputHash(entry), ...audit },
      ...(review ? { review } : {}),
    });
    if (disposition.kind !== "excluded") throw new Error(`not excluded: ${disposition.kind}`);
    return disposition.reason;
  };

  it("reads the reasons the reconciliation stores: the auditor's codes, the reviewer", () => {
    const critical = [
      { code: "TEMPERATURE_OUT_OF_RANGE", severity: "critical" },
      { code: "BSW_ABOVE_LIMIT", severity: "critical" },
      { code: "TEMPERATURE_OUTLIER", severity: "warning" },
    ];
    expect(exclusionReason(reasonOf({ status: "rejected", reasons: critical }))).to.deep.equal({
      kind: "auditor",
      codes: ["TEMPERATURE_OUT_OF_RANGE", "BSW_ABOVE_LIMIT"],
    });
    expect(exclusionReason(reasonOf({ status: "rejected", reasons: [] }))).to.deep.equal({ kind: "auditor", codes: [] });
    expect(exclusionReason(reasonOf({ status: "flagged" }, { decision: "rejected", by: "demo-coordinator" }))).to.deep.equal({
      kind: "review",
      by: "demo-coordinator",
    });
  });

  it("leaves any other reason as it is", () => {
    const noReviewer = reasonOf({ status: "flagged" }, { decision: "rejected" });
    expect(exclusionReason(noReviewer)).to.deep.equal({ kind: "text", text: noReviewer });
    for (const text of ["measured before the JV start date 2026-09-01", "rejected by the auditor (TEMPERATURE_OUT_OF_RANGE, BSW…"]) {
      expect(exclusionReason(text)).to.deep.equal({ kind: "text", text });
    }
  });
});
