import { expect } from "chai";
import { entryDisposition } from "../../src/domain/entry-disposition";
import { auditInputHash } from "../../src/domain/production-entry";

const fields = {
  partner_id: "p1",
  measured_at: new Date("2026-10-01T06:00:00Z"),
  gross_volume_bbl: 1000,
  bsw_percent: 0.5,
  temperature_degF: 60,
  api_gravity: 30,
};

function withAudit(status: string, extra: Record<string, unknown> = {}) {
  return {
    ...fields,
    audit: {
      status,
      input_hash: auditInputHash(fields),
      reasons: [
        { code: "BSW_ABOVE_LIMIT", severity: "critical" },
        { code: "BSW_ABOVE_TYPICAL", severity: "warning" },
      ],
    },
    ...extra,
  };
}

describe("entry disposition in a reconciliation", () => {
  it("holds back an entry waiting to be audited again (another entry's move asked for it), whatever its verdict", () => {
    const waiting = (status: string, extra: Record<string, unknown> = {}) => {
      const entry = withAudit(status, extra);
      return { ...entry, audit: { ...entry.audit, recheck: { reason: "moved_away", entry_id: "e1" } } };
    };
    expect(entryDisposition(waiting("flagged"))).to.deep.equal({ kind: "pending_audit" });
    expect(entryDisposition(waiting("validated"))).to.deep.equal({ kind: "pending_audit" });
    expect(entryDisposition(waiting("flagged", { review: { decision: "approved" } }))).to.deep.equal({ kind: "pending_audit" });
  });

  it("uses validated entries and flagged ones a coordinator approved", () => {
    expect(entryDisposition(withAudit("validated"))).to.deep.equal({ kind: "used" });
    expect(entryDisposition(withAudit("flagged", { review: { decision: "approved" } }))).to.deep.equal({ kind: "used" });
  });

  it("excludes rejected entries with the critical reason codes, and review rejections with who decided (the note stays on the entry)", () => {
    expect(entryDisposition(withAudit("rejected"))).to.deep.equal({
      kind: "excluded",
      reason: "rejected by the auditor (BSW_ABOVE_LIMIT)",
    });
    expect(entryDisposition(withAudit("flagged", { review: { decision: "rejected", by: "u7", note: "meter failed" } }))).to.deep.equal({
      kind: "excluded",
      reason: "rejected on review by u7",
    });
  });

  it("blocks entries never audited, audited before their last edit, or flagged without review", () => {
    expect(entryDisposition(fields)).to.deep.equal({ kind: "pending_audit" });
    const edited = { ...withAudit("validated"), gross_volume_bbl: 1001 };
    expect(entryDisposition(edited)).to.deep.equal({ kind: "pending_audit" });
    expect(entryDisposition(withAudit("flagged"))).to.deep.equal({ kind: "awaiting_review" });
    expect(entryDisposition(withAudit("something-else"))).to.deep.equal({ kind: "pending_audit" });
  });
});
