/** Which updates of an entry the auditor leaves alone although its audit predates the current rules. */
import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { onlyAuditBookkeeping } from "../../src/agents/auditor/audit-entry";
import { auditInputHash } from "../../src/domain/production-entry";

describe("auditor: a write of audit fields alone", () => {
  const fields = {
    partner_id: "p1",
    measured_at: Timestamp.fromDate(new Date("2026-11-02T06:00:00Z")),
    gross_volume_bbl: 1000,
    bsw_percent: 0.3,
    temperature_degF: 80,
    api_gravity: 35,
    note: "shift A",
  };
  const hash = auditInputHash(fields);
  const before = { ...fields, audit: { status: "flagged", input_hash: hash, rules_version: "2025.1" } };
  const marked = { ...before, audit: { ...before.audit, awaiting_review: true } };

  it("re-audits nothing when only audit changed and still matches the figures (npm run migrate's mark)", () => {
    expect(onlyAuditBookkeeping(before, marked, hash)).to.equal(true);
    // Timestamps read in two snapshots are equal values, not the same object.
    const reread = { ...marked, measured_at: Timestamp.fromDate(new Date("2026-11-02T06:00:00Z")) };
    expect(onlyAuditBookkeeping(before, reread, hash)).to.equal(true);
  });

  it("leaves to the usual checks a recheck request, a note edit, any other field, a stale audit and a create", () => {
    const recheck = { ...before, audit: { ...before.audit, recheck: { reason: "moved_away", entry_id: "e2" } } };
    expect(onlyAuditBookkeeping(before, recheck, hash)).to.equal(false);
    expect(onlyAuditBookkeeping(before, { ...marked, note: "shift B" }, hash)).to.equal(false);
    expect(onlyAuditBookkeeping(before, { ...marked, review: { decision: "approved" } }, hash)).to.equal(false);
    const moved = { ...marked, gross_volume_bbl: 1001 };
    expect(onlyAuditBookkeeping(before, moved, auditInputHash(moved))).to.equal(false);
    expect(onlyAuditBookkeeping(undefined, marked, hash)).to.equal(false);
  });
});
