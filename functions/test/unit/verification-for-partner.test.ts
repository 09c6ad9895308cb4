import { expect } from "chai";
import type { ReportEvidence, VerificationReport } from "../../src/domain/report-verification";
import { ANOTHER_PARTNERS_ENTRY, entriesOfOtherPartners, verificationForPartner } from "../../src/domain/verification-for-partner";

const evidence = (report: Record<string, unknown>, rows: Array<{ entry_id: string; partner_id: string }>): ReportEvidence =>
  ({ reconciliation_id: "r1_v1", report, rows, receipt: undefined, audit_events: [] }) as unknown as ReportEvidence;

const verification = (checks: VerificationReport["checks"]): VerificationReport => ({
  reconciliation_id: "r1_v1",
  scope: "jv",
  hash_scheme: "v2",
  ok: checks.every((c) => c.ok),
  checks,
  not_checked: [],
  not_checked_in_words: [],
  out_of_band: { integrity_hash: null, anchor: null, chain_head: null },
});

describe("a verification as a partner reads it", () => {
  it("finds the entries the evidence gives to other partners, in rows, exclusions, the preview and corrections", () => {
    const ev = {
      ...evidence({ excluded: [{ entry_id: "b-x", partner_id: "bravo" }], corrections: [{ entry_id: "c-1", partner_id: "charlie" }] }, [
        { entry_id: "a-1", partner_id: "alpha" },
        { entry_id: "b-1", partner_id: "bravo" },
      ]),
      exclusions: [{ entry_id: "b-2", partner_id: "bravo", reason: "rejected" }],
    } as ReportEvidence;
    expect([...entriesOfOtherPartners(ev, "alpha")].sort()).to.deep.equal(["b-1", "b-2", "b-x", "c-1"]);
    // An id that one row gives to the partner and another to someone else (a relabelled row) is hidden.
    const claimed = evidence({}, [
      { entry_id: "a-1", partner_id: "alpha" },
      { entry_id: "b-9", partner_id: "alpha" },
      { entry_id: "b-9", partner_id: "bravo" },
    ]);
    expect([...entriesOfOtherPartners(claimed, "alpha")]).to.deep.equal(["b-9"]);
  });

  it("replaces another partner's ids, in texts too, and rows in failed checks only, and keeps the partner's own", () => {
    const foreign = new Set(["b-1", "b-2"]);
    const report = verification([
      { check: "inputs_digest", ok: true, stored: "d", recomputed: "d" },
      {
        check: "manifest.entry_nsv",
        ok: false,
        stored: [
          { entry_id: "a-1", nsv_bbl: 10 },
          { entry_id: "b-1", nsv_bbl: 20 },
        ],
        recomputed: [
          { entry_id: "a-1", nsv_bbl: 11 },
          { entry_id: "b-1", nsv_bbl: 21 },
        ],
        note: "every entry NSV recomputes",
      },
      { check: "manifest.order", ok: false, stored: "b-2", recomputed: null, note: "unique entry ids in entry-id order" },
      { check: "exclusions.duplicates", ok: false, stored: ["a-1", "b-2"], recomputed: [] },
      {
        check: "inputs_digest",
        ok: false,
        note: "cannot be recomputed: input row 1 (b-1): bsw_percent must be a number; row 0 (a-1) reads",
      },
    ]);
    const shown = verificationForPartner(report, foreign);
    expect(shown.ok).to.equal(false);
    expect(shown.checks.map((c) => [c.check, c.ok])).to.deep.equal(report.checks.map((c) => [c.check, c.ok]));
    expect(shown.checks[0]).to.equal(report.checks[0]);
    expect(shown.checks[1]!.stored).to.deep.equal([{ entry_id: "a-1", nsv_bbl: 10 }, ANOTHER_PARTNERS_ENTRY]);
    expect(shown.checks[1]!.recomputed).to.deep.equal([{ entry_id: "a-1", nsv_bbl: 11 }, ANOTHER_PARTNERS_ENTRY]);
    expect(shown.checks[1]!.note).to.equal("every entry NSV recomputes");
    expect(shown.checks[2]).to.deep.include({ stored: ANOTHER_PARTNERS_ENTRY, recomputed: null });
    expect(shown.checks[3]!.stored).to.deep.equal(["a-1", ANOTHER_PARTNERS_ENTRY]);
    expect(shown.checks[4]!.note).to.equal(
      `cannot be recomputed: input row 1 (${ANOTHER_PARTNERS_ENTRY}): bsw_percent must be a number; row 0 (a-1) reads`,
    );
    expect(JSON.stringify(shown)).not.to.match(/b-1|b-2|"nsv_bbl":2[01]/);
    // The report as computed is left as it was.
    expect((report.checks[1]!.stored as unknown[])[1]).to.deep.equal({ entry_id: "b-1", nsv_bbl: 20 });
  });

  it("returns a passing verification as it is", () => {
    const report = verification([{ check: "manifest.order", ok: true, stored: null, recomputed: null }]);
    expect(verificationForPartner(report, new Set(["b-1"]))).to.equal(report);
  });
});
