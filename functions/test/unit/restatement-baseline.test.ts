import { expect } from "chai";
import { changesAgainstReason, raisedAdjustments } from "../../src/domain/reconciliation-report";
import { changesIntro, type Statement } from "../../src/domain/statement";
import { reconciliationSummaryForCoordinator } from "../../src/domain/notification-templates";
import { sampleReport } from "../support/sample-report";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { twoPartnerEvidence } from "../support/statement-evidence";
import { statementPdf } from "../../src/agents/accountant/statement-pdf";
import { statementOf } from "../../src/domain/statement";
import { pdfText } from "../support/pdf-text";

describe("restatements against what the partners are settled on", () => {
  it("reads why a report's changes are against another version; reports made before the reason say 'never released'", () => {
    expect(changesAgainstReason({})).to.equal(null);
    expect(changesAgainstReason({ changes_against: "r_v1" })).to.equal("never released");
    expect(changesAgainstReason({ changes_against: null })).to.equal("never released");
    expect(changesAgainstReason({ changes_against: "r_v1", changes_against_reason: "restatement rejected" })).to.equal(
      "restatement rejected",
    );
    expect(changesAgainstReason({ changes_against: "r_v1", changes_against_reason: "restatement replaced" })).to.equal(
      "restatement replaced",
    );
    expect(changesAgainstReason({ changes_against: "r_v1", changes_against_reason: "anything else" })).to.equal("never released");
  });

  it("knows a report raised adjustments only when a partner's allocation moved", () => {
    expect(raisedAdjustments({ changes_from_previous: null })).to.equal(false);
    expect(raisedAdjustments({})).to.equal(false);
    expect(raisedAdjustments({ changes_from_previous: { partners: [{ partner_id: "a", delta_bbl: 0 }] } })).to.equal(false);
    expect(
      raisedAdjustments({
        changes_from_previous: {
          partners: [
            { partner_id: "a", delta_bbl: 0 },
            { partner_id: "b", delta_bbl: -0.01 },
          ],
        },
      }),
    ).to.equal(true);
  });

  it("tells the statement's reader why the changes skip the version followed", () => {
    const base = { supersedes: "r_v2", supersedes_receipt: null, partner_id: null, partner_name: null, changes_against: "r_v1" } as const;
    const intro = (changes_against_reason: Statement["changes_against_reason"]) =>
      changesIntro({ ...(base as unknown as Statement), changes_against_reason }, true);
    expect(intro("restatement rejected")).to.match(
      /^The coordinators rejected the restatement of r_v2, so the partners are settled on r_v1: the changes are against it\. Each change of allocation is raised/,
    );
    expect(intro("restatement replaced")).to.match(
      /^The restatement of r_v2 was still waiting for the coordinators' decision: it is withdrawn, and the changes are against r_v1, the last version the partners are settled on\. Each change/,
    );
    expect(intro(undefined)).to.match(
      /^r_v2 was never released to the partners: the changes are against r_v1, the last version released to them\./,
    );
  });

  it("names the settled version in the coordinators' notification", () => {
    const rejected = { ...sampleReport, changes_against: "RCPT-2026-11-A_v1", changes_against_reason: "restatement rejected" };
    expect(reconciliationSummaryForCoordinator(rejected).body).to.contain(
      "Changes from the last version the partners are settled on, RCPT-2026-11-A_v1:",
    );
    const unreleased = { ...sampleReport, changes_against: "RCPT-2026-11-A_v1" };
    expect(reconciliationSummaryForCoordinator(unreleased).body).to.contain(
      "Changes from the last version released to the partners, RCPT-2026-11-A_v1:",
    );
  });

  it("verifies the bundle of a partner dropped since the version compared with: its change row is its statement", () => {
    const partnerLine = (changes: unknown) => {
      const evidence = twoPartnerEvidence(["Alpha", "Beta"], "x");
      const report = { ...evidence.report, changes_from_previous: changes };
      return verifyReportEvidence({ ...evidence, report }).checks.find((c) => c.check === "partner.line")?.ok;
    };
    const row = { partner_id: "x", allocated_bbl_before: 10, allocated_bbl_after: 0, delta_bbl: -10, nsv_bbl_before: 10, nsv_bbl_after: 0 };
    expect(partnerLine({ partners: [row], totals_delta: {} })).to.equal(true);
    expect(partnerLine({ partners: [{ sealed: "y" }], totals_delta: {} })).to.equal(false);
    expect(partnerLine(null)).to.equal(false);
  });

  it("heads the PDF's changes with the version they are against, and says why", async () => {
    const evidence = twoPartnerEvidence(["Alpha Oil", "Beta Energy"]);
    const row = (partner_id: string, before: number, after: number) => ({
      partner_id,
      allocated_bbl_before: before,
      allocated_bbl_after: after,
      delta_bbl: after - before,
      nsv_bbl_before: 990,
      nsv_bbl_after: 990,
    });
    const report = {
      ...evidence.report,
      version: 3,
      supersedes: "r1_v2",
      changes_against: "r1_v1",
      changes_against_reason: "restatement rejected",
      changes_from_previous: { partners: [row("a", 1000, 990), row("b", 980, 990)], totals_delta: {} },
    };
    const text = (await pdfText(await statementPdf(statementOf({ ...evidence, report })))).replace(/\s+/g, " ");
    expect(text).to.contain("Changes from r1_v1 The coordinators rejected the restatement of r1_v2, so the partners are settled on r1_v1");
    expect(text).to.not.contain("Changes from the version replaced");
  });
});
