/** Which updates of an entry the auditor leaves alone: audit fields alone, and audits by these rules or later ones. */
import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { isAuditCurrent, onlyAuditBookkeeping } from "../../src/agents/auditor/audit-entry";
import { RULES_VERSION, rulesAtLeastCurrent } from "../../src/domain/audit-config";
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

describe("auditor: an audit under other rules", () => {
  const fields = { partner_id: "p1", gross_volume_bbl: 1000, bsw_percent: 0.3, temperature_degF: 80, api_gravity: 35 };
  const hash = auditInputHash(fields);
  const auditedUnder = (rules_version: unknown) => ({ ...fields, audit: { status: "validated", input_hash: hash, rules_version } });
  const [year, revision] = RULES_VERSION.split(".").map(Number);

  it("is current under these rules or later ones, in year-then-revision order", () => {
    expect(isAuditCurrent(auditedUnder(RULES_VERSION), hash)).to.equal(true);
    // A revision deployed after this one: left to it, or the two would re-audit each other's writes.
    expect(isAuditCurrent(auditedUnder(`${year}.${revision! + 1}`), hash)).to.equal(true);
    expect(isAuditCurrent(auditedUnder(`${year}.${revision! + 10}`), hash)).to.equal(true);
    expect(isAuditCurrent(auditedUnder(`${year! + 1}.0`), hash)).to.equal(true);
  });

  it("is not current under earlier rules or a version it cannot read, nor for other figures", () => {
    expect(isAuditCurrent(auditedUnder(`${year}.${revision! - 1}`), hash)).to.equal(false);
    expect(isAuditCurrent(auditedUnder(`${year! - 1}.${revision! + 10}`), hash)).to.equal(false);
    for (const unreadable of [undefined, null, 2025.3, "", "2025", "v2025.3", "2025.3.1", "2025.x"]) {
      expect(isAuditCurrent(auditedUnder(unreadable), hash), String(unreadable)).to.equal(false);
    }
    expect(isAuditCurrent(auditedUnder(RULES_VERSION), auditInputHash({ ...fields, gross_volume_bbl: 1001 }))).to.equal(false);
    expect(rulesAtLeastCurrent(RULES_VERSION)).to.equal(true);
  });
});
