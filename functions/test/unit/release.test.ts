import { expect } from "chai";
import { statementPdf } from "../../src/agents/accountant/statement-pdf";
import { integrityHash } from "../../src/domain/report-hash";
import { isReleased, releaseOnCreation, releaseText } from "../../src/domain/release";
import { changesIntro, releaseLine, restatementOf, statementOf, type Statement } from "../../src/domain/statement";
import { statementCsv } from "../../src/domain/statement-csv";
import { AWAITING_RELEASE, reconciliationSummaryForCoordinator } from "../../src/domain/notification-templates";
import { reconciliationBrief } from "../../src/domain/notification-briefs";
import { type ReportEvidence } from "../../src/domain/report-verification";
import { pdfText } from "../support/pdf-text";
import { twoPartnerEvidence } from "../support/statement-evidence";
import { sampleReport } from "../support/sample-report";

const when = (d: Date) => d.toISOString();
const made = new Date("2026-10-02T09:15:00Z");

describe("release to the partners", () => {
  it("is waiting or given at once as the JV's settings say when the version is made", () => {
    expect(releaseOnCreation(true, made)).to.deep.equal({
      release_required: true,
      released: false,
      released_by: null,
      released_at: null,
      release_note: null,
    });
    expect(releaseOnCreation(false, made)).to.deep.equal({
      release_required: false,
      released: true,
      released_by: null,
      released_at: made,
      release_note: null,
    });
    expect([isReleased({}), isReleased({ released: true }), isReleased({ released: false })]).to.deep.equal([true, true, false]);
  });

  it("says who released a version, when and why; that it waits; or that it was released as made", () => {
    expect(releaseText({ released: false, release_required: true }, when)).to.equal("Awaiting approval: not released to partners yet.");
    expect(
      releaseText(
        { released: true, release_required: true, released_by: "coord-2", released_at: made, release_note: "proof on file" },
        when,
      ),
    ).to.equal('Approved and released by coord-2 on 2026-10-02T09:15:00.000Z: "proof on file".');
    expect(releaseText(releaseOnCreation(false, made), when)).to.equal(
      "Released as it was made on 2026-10-02T09:15:00.000Z (the JV's settings required no approval then).",
    );
    expect(releaseText({}, when)).to.equal("Released as it was made (before releases were recorded).");
  });

  it("leaves the integrity hash alone: a release is decided after the version is sealed", () => {
    const report = { terminal_receipt_id: "r1", version: 1, totals: { terminal_nsv_bbl: 1 } };
    const released = { ...report, released: true, released_by: "coord-2", released_at: made, release_note: "ok", release_required: true };
    expect(integrityHash(released)).to.equal(integrityHash(report));
  });

  it("marks a waiting version's statement DRAFT (PDF, CSV) and names the releaser on a released one", async () => {
    const evidence = (extra: object): ReportEvidence => {
      const e = twoPartnerEvidence(["A", "B"]);
      return { ...e, report: { ...e.report, ...extra } };
    };
    const waiting = statementOf(evidence(releaseOnCreation(true, made)));
    expect(releaseLine(waiting)).to.equal("Awaiting approval: not released to partners yet.");
    expect(statementCsv(waiting)).to.contain("\r\nrelease,Awaiting approval: not released to partners yet.\r\n");
    const squash = (t: string) => t.replace(/\s+/g, "");
    expect(squash(await pdfText(await statementPdf(waiting)))).to.contain(
      squash("DRAFT. Release to the partners: Awaiting approval: not released to partners yet."),
    );
    const released = statementOf(
      evidence({
        ...releaseOnCreation(true, made),
        released: true,
        released_by: "coord-2",
        released_at: made,
        release_note: "proof on file",
      }),
    );
    expect(releaseLine(released)).to.equal('Approved and released by coord-2 on 2026-10-02 09:15 UTC: "proof on file".');
    const text = squash(await pdfText(await statementPdf(released)));
    expect(text).to.contain(squash('Release to the partners: Approved and released by coord-2 on 2026-10-02 09:15 UTC: "proof on file".'));
    expect(text).to.not.contain("DRAFT");
    expect(releaseLine(statementOf(evidence({})))).to.equal("Released as it was made (before releases were recorded).");
  });

  it("says, as the web's release panel does, that a version superseded before its release never will be, and a stale one not as it stands", async () => {
    const evidence = (extra: object): ReportEvidence => {
      const e = twoPartnerEvidence(["A", "B"]);
      return { ...e, report: { ...e.report, ...releaseOnCreation(true, made), ...extra } };
    };
    const squash = (t: string) => t.replace(/\s+/g, "");
    const superseded = statementOf(evidence({ status: "superseded", superseded_by: "r1_v2" }));
    const supersededLine = "Not released: superseded by r1_v2 before its release; the partners never saw this version.";
    expect(releaseLine(superseded)).to.equal(supersededLine);
    expect(statementCsv(superseded)).to.contain(`\r\nrelease,${supersededLine}\r\n`);
    const stale = statementOf(evidence({ status: "completed", stale: true, stale_since: made, stale_changes: 2 }));
    const staleLine =
      "Not released: stale before its release. Entries of its period changed during or after its close, so it cannot be released as it stands: reconcile the receipt again, and release the version that then stands (a new one, or this one when its figures still hold).";
    expect(releaseLine(stale)).to.equal(staleLine);
    const text = squash(await pdfText(await statementPdf(stale)));
    expect(text).to.contain(squash(`DRAFT. Release to the partners: ${staleLine}`));
    expect(text).to.contain(squash("completed, not released")).and.not.contain(squash("awaiting approval"));
    expect(squash(await pdfText(await statementPdf(statementOf(evidence({})))))).to.contain(squash("completed, awaiting approval"));
  });

  it("says a version's changes are against the last version released to the partners when the one it follows never was", () => {
    const base = { supersedes: "r1_v2", supersedes_receipt: null, partner_id: null, partner_name: null } as const;
    const against = (changes_against: string | null) => changesIntro({ ...(base as unknown as Statement), changes_against }, true);
    expect(against("r1_v1")).to.match(
      /^r1_v2 was never released to the partners: the changes are against r1_v1, the last version released to them\. Each change of allocation is raised/,
    );
    expect(against(null)).to.equal(
      "r1_v2 was never released to the partners: no version was released to them before, so there is nothing to change from.",
    );
    expect(changesIntro(base as unknown as Statement, true)).to.match(/^Against r1_v2\. Each change/);
  });

  it("says what became of the adjustments a version's changes raised: approved, rejected, withdrawn or decided apart; a partner its own", () => {
    const base = { supersedes: "r1_v2", supersedes_receipt: null, partner_id: null, partner_name: null } as const;
    const at = new Date("2026-10-02T09:15:00Z");
    const intro = (raised: Array<Record<string, unknown>>) =>
      changesIntro({ ...(base as unknown as Statement), restatement: restatementOf(raised) }, true);
    const doc = (partner_id: string, status: string, extra: object = {}) => ({ partner_id, status, ...extra });
    expect(intro([doc("a", "pending"), doc("b", "pending")])).to.contain(
      "Each change of allocation is raised as a pending prior-period adjustment",
    );
    expect(intro([doc("a", "approved", { decided_by: "c2", decided_at: at, note: "ok" }), doc("b", "approved")])).to.equal(
      "Against r1_v2. Each change was raised as a prior-period adjustment, and the coordinators approved the restatement by c2 on 2026-10-02 09:15 UTC: \"ok\": a later period's statement carries it. It is not part of this statement's net position.",
    );
    expect(intro([doc("a", "rejected", { decided_by: "c2", decided_at: at, note: "no proof" })])).to.contain(
      'the coordinators rejected the restatement by c2 on 2026-10-02 09:15 UTC: "no proof": nothing is carried',
    );
    expect(intro([doc("a", "withdrawn", { withdrawn_in: "r1_v3" })])).to.contain(
      "withdrawn undecided when r1_v3 replaced this version: nothing is carried from it.",
    );
    expect(intro([doc("a", "approved"), doc("b", "rejected")])).to.contain("decided apart: 1 approved, 1 rejected.");
    // A partner's statement reads its own adjustment's fate only.
    const evidence = twoPartnerEvidence(["A", "B"], "a");
    const own = statementOf(evidence, {}, {}, {}, [doc("a", "approved"), doc("b", "rejected")]);
    expect(own.restatement).to.deep.include({ status: "approved", counts: { approved: 1 } });
    expect(statementOf(evidence).restatement).to.equal(null);
  });

  it("tells coordinators that a waiting version is not the partners' yet; partners are not told of it until released", () => {
    const waiting = { ...sampleReport, released: false };
    const text = reconciliationSummaryForCoordinator(waiting);
    expect(text.title).to.match(/\(awaiting approval\)$/);
    expect(text.body.split("\n")[1]).to.equal(
      "Awaiting approval: partners see this version and are told of it once a coordinator or admin other than the one who made it releases it.",
    );
    expect(reconciliationBrief("RCPT-2026-11-A_v2", waiting).prompt).to.contain('"awaiting_release_to_partners": true');
    expect(reconciliationSummaryForCoordinator(sampleReport).body).to.not.contain("Awaiting approval");
    // Gemini's text gets the notice too (compose.ts adds it when missing); a released version's has none.
    expect(reconciliationBrief("RCPT-2026-11-A_v2", waiting).notice).to.deep.equal(AWAITING_RELEASE);
    expect(reconciliationBrief("RCPT-2026-11-A_v2", sampleReport).notice).to.equal(undefined);
  });
});
