import { expect } from "chai";
import {
  ENTRY_FACTORS_NOTE,
  ENTRY_LABELS_NOTE,
  GROSS_TOTAL_NOTE,
  PDF_MAX_ENTRIES,
  statementPdf,
} from "../../src/agents/accountant/statement-pdf";
import { STANDARD } from "../../src/agents/accountant/reconcile";
import { ALLOCATION_METHOD } from "../../src/domain/allocation";
import {
  accountsNamed,
  CLOSE_CHECK_PENDING_TEXT,
  entryFactors,
  statementOf,
  TERMINAL_NAME_UNSEALED,
  withAccountNames,
  withEntryLabels,
} from "../../src/domain/statement";
import { statementCsv } from "../../src/domain/statement-csv";
import { compareExpected, parseExpectedAnchor, parseExpectedAnchorHash } from "../../src/domain/expected-statement";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { v2Evidence } from "../support/v2-evidence";
import { pdfText, pdfTextItems } from "../support/pdf-text";
import { twoPartnerEvidence as evidence } from "../support/statement-evidence";

/** The text without white space: a long name wraps in its table cell. */
const squash = (text: string) => text.replace(/\s+/g, "");

describe("statement PDF", () => {
  it("draws a name outside the standard fonts' characters visibly, never as other characters", async () => {
    const names: [string, string] = ["Łódź Ọ̀kọ́ Şirketi", "Нефть 石油 Ltd"];
    const text = squash(await pdfText(await statementPdf(statementOf(evidence(names)))));
    // Each name with its id, the characters the font has as they are, the others by code point.
    expect(text).to.contain(squash("<U+0141>ód<U+017A> <U+1ECC><U+0300>k<U+1ECD><U+0301> <U+015E>irketi (a)"));
    expect(text).to.contain(squash("<U+041D><U+0435><U+0444><U+0442><U+044C> <U+77F3><U+6CB9> Ltd (b)"));
    // What pdfkit drew for such characters before: other characters (and the id after them lost).
    expect(text).to.not.match(/[^\x20-\x7e\xa0-\xffŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™]/u);
  });

  it("keeps a 64-character receipt id's footer on its page: each row wraps within the width, nothing below the page, no page added", async () => {
    const receipt = `R${"0123456789".repeat(6)}xyz`;
    const id = `${receipt}_v12`;
    const e = evidence(["Alpha", "Bravo"]);
    e.reconciliation_id = id;
    e.report.terminal_receipt_id = receipt;
    e.report.integrity_hash = "f".repeat(64);
    const hash = "e".repeat(64);
    e.audit_events = [
      {
        id: `reconcile_${id}`,
        stream: `receipt_${receipt}`,
        seq: 12,
        hash,
        action: "reconciliation_completed",
        subject: `reconciliations/${id}`,
      },
    ] as unknown as typeof e.audit_events;
    const short = await pdfTextItems(await statementPdf(statementOf(evidence(["Alpha", "Bravo"]))));
    const items = await pdfTextItems(await statementPdf(statementOf(e)));
    expect(Math.max(...items.map((i) => i.page))).to.equal(Math.max(...short.map((i) => i.page)));
    const right = 595.28 - 40;
    expect(items.filter((i) => i.right > right + 0.5).map((i) => i.text)).to.deep.equal([]);
    const footer = items.filter((i) => i.page === 1 && i.y < 84);
    expect(Math.min(...footer.map((i) => i.y))).to.be.greaterThan(4);
    const text = squash(footer.map((i) => i.text).join(""));
    expect(text).to.contain(squash(`reconcile_${id}, stream receipt_${receipt} #12`));
    expect(text).to.contain(squash(`event hash ${hash}`));
    expect(text).to.contain(
      squash(
        `npm run verify -- --bundle <file>.json --expect-hash <integrity hash> --expect-anchor "<audit anchor>" --expect-anchor-hash <event hash> offline.`,
      ),
    );
  });

  it("prints the audit anchor and its event hash as npm run verify's --expect-anchor and --expect-anchor-hash take them", async () => {
    const e = v2Evidence();
    const lines = (await pdfText(await statementPdf(statementOf(e)))).split("\n").filter((l) => l.trim() !== "");
    const anchorText = lines[lines.indexOf("Audit anchor") + 1]!;
    const hashText = lines.find((l) => l.startsWith("event hash "))!;
    const [event] = e.audit_events;
    expect(parseExpectedAnchor(anchorText)).to.deep.equal({ event_id: event!.id, place: { stream: event!.stream, seq: event!.seq } });
    const compared = compareExpected(verifyReportEvidence(e), {
      anchor: parseExpectedAnchor(anchorText),
      anchor_hash: parseExpectedAnchorHash(hashText),
    });
    expect(compared.map((c) => [c.what, c.ok])).to.deep.equal([
      ["audit anchor", true],
      ["anchor event hash", true],
    ]);
  });

  it("never draws the body over the footer, nor a long partner name over the title", async () => {
    // The footer's rule is 82 pt above the page's bottom; its own lines are the only text below it.
    const footer = /^(Integrity hash|h|\(flowshare\/report-hash\/v1\)|Audit anchor|none found|Page \d+ of \d+)$|^Verify: ask|offline\.$/;
    const intrusions = async (pdf: Buffer) => (await pdfTextItems(pdf)).filter((i) => i.y < 84 && !footer.test(i.text));
    // A partner's entries ending low on a page, each note after them then placed on the next.
    for (const count of [10, 58, 106]) {
      const e = evidence(["Alpha", "Bravo"], "a");
      e.rows = Array.from({ length: count }, (_, i) => ({
        ...e.rows![0]!,
        entry_id: `e${String(i).padStart(4, "0")}`,
        gross_volume_bbl: 1000.125,
      }));
      expect(await intrusions(await statementPdf(statementOf(e))), `${count} entries`).to.deep.equal([]);
    }
    // Nine partners and a corrected ticket's 2,000-character reason: the reason moves whole to page 2, with its heading.
    const jv = evidence(["Alpha", "Bravo"]);
    const base = (jv.report.allocations as Array<Record<string, unknown>>)[0]!;
    jv.report.allocations = Array.from({ length: 9 }, (_, i) => ({ ...base, partner_id: `p${i}`, partner_name: `Partner ${i}` }));
    const note = "The terminal re-proved its meter and found the ticket computed with the wrong factor. ".repeat(30).slice(0, 2000);
    Object.assign(jv.report, {
      supersedes_receipt: {
        terminal_receipt_id: "r0",
        reconciliation_id: "r0_v1",
        note,
        by: "coord1",
        at: new Date("2026-09-03T10:00:00Z"),
      },
    });
    const jvItems = await pdfTextItems(await statementPdf(statementOf(jv)));
    expect(jvItems.filter((i) => i.y < 84 && !footer.test(i.text))).to.deep.equal([]);
    const headingAt = jvItems.find((i) => i.text === "Changes from the version replaced")!;
    const introAt = jvItems.find((i) => i.text.startsWith("This report replaces receipt r0"))!;
    expect([headingAt.page, introAt.page]).to.deep.equal([2, 2]);

    // A reason taller than a page (2,000 characters the fonts lack, each drawn as <U+…>) runs on over the pages, never over a footer, and leaves no page with a heading alone.
    Object.assign(jv.report, {
      supersedes_receipt: { ...(jv.report.supersedes_receipt as object), note: "Счётчик перепроверен. ".repeat(100).slice(0, 2000) },
    });
    const tall = await pdfTextItems(await statementPdf(statementOf(jv)));
    expect(tall.filter((i) => i.y < 84 && !footer.test(i.text))).to.deep.equal([]);
    const body = (page: number) => tall.filter((i) => i.page === page && !footer.test(i.text));
    const pages = Math.max(...tall.map((i) => i.page));
    for (let page = 1; page <= pages; page += 1) expect(body(page).length, `page ${page}`).to.be.greaterThan(1);

    const long = "Nigerian National Petroleum Corporation Exploration and Production Limited";
    const items = await pdfTextItems(await statementPdf(statementOf(evidence([long, "Bravo"], "a"))));
    const title = items.find((i) => i.text === "Allocation statement")!;
    const whose = items.find((i) => i.text.startsWith("Partner statement: "))!;
    expect(whose.y < title.y - 10 || whose.x > title.right, "beside the title only when it fits there").to.equal(true);
    expect(
      squash(
        items
          .filter((i) => i.page === 1 && i.y > 700)
          .map((i) => i.text)
          .join(""),
      ),
    ).to.contain(squash(`Partner statement: ${long} (a)`));
  });

  it("sets the release line below the measurement line, however long the standard's name", async () => {
    const jv = evidence(["A", "B"]);
    Object.assign(jv.report, { standard: STANDARD, method: ALLOCATION_METHOD, release_required: true, released: false });
    const items = await pdfTextItems(await statementPdf(statementOf(jv)));
    const measurement = items.filter((i) => i.page === 1 && /Measurement:|largest remainder/.test(i.text));
    const release = items.find((i) => i.page === 1 && i.text.includes("Release to the partners"))!;
    expect(measurement.length).to.be.greaterThan(0);
    expect(release.text).to.match(/^DRAFT\./);
    // Baselines from the page's bottom: the release's, a line (7.5 pt and more) below the measurement's lowest.
    expect(Math.min(...measurement.map((i) => i.y)) - release.y).to.be.at.least(8);
  });

  it("names the period by its contract days above its UTC instants", async () => {
    const e = evidence(["A", "B"]);
    // Days starting 06:00 at +01:00: the period 05:00 UTC on 1 September to 05:00 UTC on 2 September.
    e.report = {
      ...e.report,
      period_start: new Date("2026-09-01T05:00:00Z"),
      period_end: new Date("2026-09-02T05:00:00Z"),
      settings: { contract_day_start_hour: 6, utc_offset_minutes: 60 },
    };
    const pdf = await statementPdf(statementOf(e));
    if (process.env.STATEMENT_PDF_OUT) (await import("node:fs")).writeFileSync(process.env.STATEMENT_PDF_OUT, pdf);
    const text = squash(await pdfText(pdf));
    expect(text).to.contain(squash("Contract days 2026-09-01 to 2026-09-01"));
    expect(text).to.contain(squash("Period (UTC, end exclusive) 2026-09-01T05:00:00Z to 2026-09-02T05:00:00Z"));
  });

  it("says so, in the PDF and the CSV, while the close's post-close check has not run", async () => {
    const e = evidence(["A", "B"]);
    e.report = { ...e.report, close_check_pending: true };
    const pending = statementOf(e);
    const pdf = await statementPdf(pending);
    if (process.env.STATEMENT_PDF_OUT) (await import("node:fs")).writeFileSync(process.env.STATEMENT_PDF_OUT, pdf);
    expect(squash(await pdfText(pdf))).to.contain(squash(CLOSE_CHECK_PENDING_TEXT));
    expect(statementCsv(pending)).to.contain(
      `close_check,${CLOSE_CHECK_PENDING_TEXT.includes(",") ? `"${CLOSE_CHECK_PENDING_TEXT}"` : CLOSE_CHECK_PENDING_TEXT}`,
    );
    const checked = statementOf(evidence(["A", "B"]));
    expect(squash(await pdfText(await statementPdf(checked)))).to.not.contain(squash("Close not confirmed"));
    expect(statementCsv(checked)).to.contain("close_check,done");
    // A superseded version's flag is history, not a warning.
    e.report = { ...e.report, status: "superseded" };
    expect(statementOf(e).close_check_pending).to.equal(false);
  });

  it("says beside the terminal's name when the report does not bind it", async () => {
    const e = evidence(["A", "B"]);
    e.receipt = { ...e.receipt, terminal_name: "Port Ellery" };
    const older = squash(await pdfText(await statementPdf(statementOf(e))));
    expect(older).to.contain(squash(`Terminal Port Ellery (${TERMINAL_NAME_UNSEALED})`));
    e.report = { ...e.report, terminal_name: "Port Ellery" };
    const bound = squash(await pdfText(await statementPdf(statementOf(e))));
    expect(bound).to.contain(squash("Terminal Port Ellery")).and.not.contain(squash(TERMINAL_NAME_UNSEALED));
  });

  it("keeps names the standard fonts hold as they are", async () => {
    const names: [string, string] = ["Société Générale Énergie €", 'Bravo Oil, "Upstream" Co — Œuvre'];
    const text = squash(await pdfText(await statementPdf(statementOf(evidence(names)))));
    expect(text).to.contain(squash("Société Générale Énergie € (a)"));
    expect(text).to.contain(squash('Bravo Oil, "Upstream" Co — Œuvre (b)'));
  });

  it("shows each entry's CTL, CPL and CSW, re-derived from its readings, and says how they make its NSV", async () => {
    const text = (await pdfText(await statementPdf(statementOf(evidence(["A", "B"], "a"))))).split("\n");
    const f = entryFactors(evidence(["A", "B"], "a").rows![0]!)!;
    // 84.25 °F, 120.5 psig: factors below and above one, to 5 decimals.
    expect(f.ctl).to.be.below(1);
    expect(f.cpl).to.be.above(1);
    for (const factor of [f.ctl, f.cpl, f.ctpl, f.csw]) expect(text, String(factor)).to.include(factor.toFixed(5));
    expect(squash(text.join(" "))).to.contain(squash(ENTRY_FACTORS_NOTE));
    // The partner's one entry, totalled.
    expect(text).to.include("Total (1 entry)");
  });

  it("keeps each of an entry's readings on one line in its column, however many decimals it has", async () => {
    const e = evidence(["A", "B"], "a");
    Object.assign(e.rows![0]!, {
      gross_volume_bbl: 12345.125,
      api_gravity: 35.125,
      temperature_degF: 104.37,
      pressure_psig: 1200.5,
      meter_factor: 1.000125,
    });
    const lines = (await pdfText(await statementPdf(statementOf(e)))).split("\n").filter((l) => l.trim() !== "");
    for (const reading of ["12345.125", "35.125", "104.37", "1200.5", "1.000125"]) expect(lines, reading).to.include(reading);
    // A meter factor with fewer decimals is shown to 5, as every factor is.
    Object.assign(e.rows![0]!, { meter_factor: 1.0003 });
    expect((await pdfText(await statementPdf(statementOf(e)))).split("\n")).to.include("1.00030");
  });

  it("shows each reading as the report stores it, not rounded half up to the usual places", async () => {
    const text = (await pdfText(await statementPdf(statementOf(evidence(["A", "B"], "a"))))).split("\n");
    // The terminal's readings ...
    for (const reading of ["2000.125", "35.25", "76.25", "0.125"]) expect(text, reading).to.include(reading);
    // ... and the partner's entry (toFixed showed 1,000.13, 35.3, 84.3, 121, 0.13, 1.0013).
    for (const reading of ["1000.125", "35.25", "84.25", "120.5", "0.125", "1.00125"]) expect(text, reading).to.include(reading);
    expect(text).to.not.include("35.3");
    expect(text).to.not.include("121");
    // 1000.125 shown whole while the total adds it as 1,000.12: said under the table.
    expect(squash(text.join(" "))).to.contain(squash(GROSS_TOTAL_NOTE));
    const whole = squash(await pdfText(await statementPdf(statementOf(evidence(["A", "B"], "b")))));
    expect(whole).to.not.contain(squash(GROSS_TOTAL_NOTE));
  });

  it("warns that a stale version's figures no longer hold, and names the receipt a corrected ticket replaces", async () => {
    const jv = evidence(["A", "B"]);
    Object.assign(jv.report, {
      stale: true,
      stale_since: new Date("2026-09-05T07:30:00Z"),
      stale_changes: 2,
      supersedes_receipt: { terminal_receipt_id: "r0", reconciliation_id: "r0_v1" },
      changes_from_previous: { partners: [{ partner_id: "a", delta_bbl: 4.5, allocated_bbl_before: 985.5, allocated_bbl_after: 990 }] },
    });
    const statement = statementOf(jv);
    expect(statement.adjustments.map((a) => [a.kind, a.reference])).to.deep.equal([["change from replaced receipt's version", "r0_v1"]]);
    const pdf = await statementPdf(statement);
    if (process.env.STATEMENT_PDF_OUT) (await import("node:fs")).writeFileSync(process.env.STATEMENT_PDF_OUT, pdf);
    const text = squash(await pdfText(pdf));
    expect(text).to.contain(
      squash("Stale: 2 changes to entries of this period during or after its close (the first on 2026-09-05 07:30 UTC)."),
    );
    expect(text).to.contain(squash("Supersedes receipt r0 (r0_v1)"));
    expect(text).to.contain(
      squash(
        "This report replaces receipt r0 (r0_v1): each partner's change of allocation from it is raised as a pending prior-period adjustment",
      ),
    );
    expect(text).to.not.contain(squash("first version for the period"));
    // Each partner's figures against the replaced version, under the changes, not the carried adjustments.
    const changes = text.slice(
      text.indexOf(squash("Changes from the version replaced")),
      text.indexOf(squash("Prior-period adjustments carried")),
    );
    expect(changes).to.contain("985.50990.00+4.50");
    const current = squash(await pdfText(await statementPdf(statementOf(evidence(["A", "B"])))));
    expect(current).to.not.contain("Stale:");
    expect(current).to.not.contain(squash("Changes from the version replaced"));
    expect(current).to.contain(squash("None: no approved adjustment of an earlier period was carried by this report."));
  });

  it("keeps a re-run's changes apart from the adjustments it carries, and only the carried ones make the net position", async () => {
    const v2 = evidence(["Alpha", "Beta"]);
    Object.assign(v2.report, {
      version: 2,
      supersedes: "r1_v1",
      method: "pro-rata-nsv-largest-remainder-0.01bbl",
      changes_from_previous: {
        partners: [
          { partner_id: "a", delta_bbl: 7.24, allocated_bbl_before: 982.76, allocated_bbl_after: 990 },
          { partner_id: "b", delta_bbl: -7.24, allocated_bbl_before: 997.24, allocated_bbl_after: 990 },
        ],
      },
      prior_period_adjustments: [{ id: "r0_v2_a", partner_id: "a", delta_bbl: 3.5, from_reconciliation_id: "r0_v2" }],
      net_positions: [
        { partner_id: "a", allocated_bbl: 990, adjustments_bbl: 3.5, net_bbl: 993.5 },
        { partner_id: "b", allocated_bbl: 990, adjustments_bbl: 0, net_bbl: 990 },
      ],
    });
    const text = squash(await pdfText(await statementPdf(statementOf(v2))));
    const changes = text.indexOf(squash("Changes from the version replaced"));
    const carried = text.indexOf(squash("Prior-period adjustments carried"));
    expect(changes).to.be.greaterThan(-1);
    expect(carried).to.be.greaterThan(changes);
    const changeSection = text.slice(changes, carried);
    expect(changeSection).to.contain(squash("It is not part of this statement's net position."));
    // Each change with its sign; the method in words.
    expect(changeSection).to.contain("982.76990.00+7.24");
    expect(changeSection).to.contain("997.24990.00-7.24");
    expect(text).to.contain(squash("Allocation: pro rata to each partner's NSV, rounded to the cent-barrel by largest remainder."));
    expect(changeSection).to.not.contain("r0_v2_a");
    expect(text.slice(carried)).to.contain(squash("r0_v2_a (from r0_v2)"));
    expect(text.slice(carried)).to.contain("+3.50");
    expect(text.slice(carried)).to.contain("993.50");
    expect(text.slice(carried)).to.contain(squash("not on record"));

    // With the adjustment's document: where it comes from and who approved it, and why.
    v2.adjustments = {
      r0_v2_a: {
        from_reconciliation_id: "r0_v2",
        terminal_receipt_id: "r0",
        period_start: new Date("2026-08-01T00:00:00Z"),
        period_end: new Date("2026-08-04T00:00:00Z"),
        partner_id: "a",
        delta_bbl: 3.5,
        status: "approved",
        decided_by: "coord-1",
        decided_at: new Date("2026-08-20T09:15:00Z"),
        note: "late meter ticket M-7, restated",
      },
    };
    const recorded = squash(await pdfText(await statementPdf(statementOf(v2)))).slice(carried);
    // The report's days start at 00:00 UTC (no settings on it): 1 to 3 August.
    expect(recorded).to.contain(squash("contract days 2026-08-01 to 2026-08-03 (receipt r0)"));
    expect(recorded).to.contain(squash('approved by coord-1 on 2026-08-20 09:15 UTC: "late meter ticket M-7, restated"'));
    expect(recorded).to.not.contain(squash("not on record"));

    // The PDF's readers know the approver by name (people/{uid}); the uid stays beside it.
    const statement = statementOf(v2);
    expect(accountsNamed(statement)).to.deep.equal(["coord-1"]);
    const named = squash(await pdfText(await statementPdf(withAccountNames(statement, new Map([["coord-1", "Priya Raman"]])))));
    expect(named).to.contain(squash('approved by Priya Raman (coord-1) on 2026-08-20 09:15 UTC: "late meter ticket M-7, restated"'));
    // An account without a name is left as its uid.
    expect(squash(await pdfText(await statementPdf(withAccountNames(statement, new Map()))))).to.contain(squash("approved by coord-1 on"));
  });

  it("names the coordinator of a rejection on review in an exclusion reason, as the rest of the PDF names accounts", async () => {
    const e = evidence(["A", "B"]);
    e.exclusions = [
      { entry_id: "x1", partner_id: "a", reason: "rejected on review by demo-coordinator" },
      { entry_id: "x2", partner_id: "b", reason: "rejected by the auditor (BSW_LIMIT)" },
    ];
    const statement = statementOf(e);
    expect(accountsNamed(statement)).to.deep.equal(["demo-coordinator"]);
    const named = withAccountNames(statement, new Map([["demo-coordinator", "Dana Coordinator"]]));
    expect(named.excluded.map((x) => x.reason)).to.deep.equal([
      "rejected on review by Dana Coordinator (demo-coordinator)",
      "rejected by the auditor (BSW_LIMIT)",
    ]);
    const text = squash(await pdfText(await statementPdf(named)));
    expect(text).to.contain(squash("rejected on review by Dana Coordinator (demo-coordinator)"));
    // The CSV keeps the reason as the report freezes it.
    expect(statementCsv(statement)).to.contain("rejected on review by demo-coordinator");
  });

  it("names a partner's entries by contract day and meter, by the report's clock, where the entry is its own and has both", async () => {
    const ev = evidence(["Alpha", "Bravo"], "a");
    const rows = ev.rows as unknown as Array<Record<string, unknown>>;
    rows.push({ ...rows[0], entry_id: "k3JH2pQw9ZxTnB4cVa1L" }, { ...rows[0], entry_id: "e-other" }, { ...rows[0], entry_id: "e-bare" });
    const clock = { contract_day_start_hour: 6, utc_offset_minutes: 60 };
    const labelled = withEntryLabels(
      statementOf(ev),
      [
        { entry_id: "e1", partner_id: "a", meter_id: "LACT-01", measured_at: new Date("2026-09-01T04:59:00Z") },
        { entry_id: "k3JH2pQw9ZxTnB4cVa1L", partner_id: "a", meter_id: "LACT-02", measured_at: new Date("2026-09-01T05:00:00Z") },
        { entry_id: "e-other", partner_id: "b", meter_id: "LACT-09", measured_at: new Date("2026-09-01T08:00:00Z") },
        { entry_id: "e-bare", partner_id: "a", meter_id: "", measured_at: new Date("2026-09-01T08:00:00Z") },
      ],
      clock,
    );
    // 04:59 UTC is 05:59 at +01:00, before the 06:00 start: the day before.
    expect(labelled.entry_labels).to.deep.equal({ e1: "2026-08-31 · LACT-01", k3JH2pQw9ZxTnB4cVa1L: "2026-09-01 · LACT-02" });
    const text = squash(await pdfText(await statementPdf(labelled)));
    expect(text).to.contain(squash("Day · meter, entry id"));
    expect(text).to.contain(squash("2026-09-01 · LACT-02 k3JH2pQw9ZxTnB4cVa1L"));
    expect(text).to.contain(squash(ENTRY_LABELS_NOTE));
    expect(text).to.not.contain("LACT-09");
    const plain = squash(await pdfText(await statementPdf(statementOf(ev))));
    expect(plain).to.not.contain(squash(ENTRY_LABELS_NOTE));
    expect(plain).to.not.contain(squash("Day · meter"));
  });

  it("says why a version was made: the corrections behind it, with who, when and the note; a partner's own only, the others counted", async () => {
    const lateAt = new Date("2026-09-03T08:00:00Z");
    const fixAt = new Date("2026-09-04T10:30:00Z");
    const corrections = [
      { entry_id: "e-late", partner_id: "a", kind: "late entry", by: "coord-1", at: lateAt },
      { entry_id: "e-fix", partner_id: "b", kind: "correction", by: "coord-2", at: fixAt },
    ];
    const notes = {
      "e-late": { note: "ticket found in the gauger's book", corrected_at: lateAt },
      "e-fix": { note: "meter factor mistyped", corrected_at: fixAt },
    };
    const v2 = (partnerId?: string) => {
      const e = evidence(["Alpha", "Beta"], partnerId);
      Object.assign(e.report, {
        version: 2,
        supersedes: "r1_v1",
        changes_from_previous: { partners: [] },
        corrections: partnerId === undefined ? corrections : corrections.map((c) => (c.partner_id === partnerId ? c : { sealed: "x" })),
      });
      return e;
    };
    const jv = squash(await pdfText(await statementPdf(statementOf(v2(), {}, {}, notes))));
    const changes = jv.indexOf(squash("Changes from the version replaced"));
    const carried = jv.indexOf(squash("Prior-period adjustments carried"));
    const section = jv.slice(changes, carried);
    expect(section).to.contain(squash("Why this version: 2 entries of the period changed after r1_v1 read it"));
    expect(section).to.contain(squash(`e-late a late entry by coord-1 on 2026-09-03 08:00 UTC: "ticket found in the gauger's book"`));
    expect(section).to.contain(squash(`e-fix b correction by coord-2 on 2026-09-04 10:30 UTC: "meter factor mistyped"`));
    const partner = squash(await pdfText(await statementPdf(statementOf(v2("a"), {}, {}, notes))));
    expect(partner).to.contain(squash("ticket found in the gauger's book"));
    expect(partner).to.contain(squash("1 of them changed other partners' entries and is sealed in this statement."));
    expect(partner).to.not.contain(squash("meter factor mistyped"));
    // A version without corrections says nothing of them.
    expect(squash(await pdfText(await statementPdf(statementOf(evidence(["Alpha", "Beta"])))))).to.not.contain(squash("Why this version"));
  });

  it("says why a corrected ticket replaced the receipt, on its first version and on a later one; and when no reason was recorded", async () => {
    const replaced = { terminal_receipt_id: "r0", reconciliation_id: "r0_v1" };
    const why = { note: "meter re-proved after the lift", by: "coord-1", at: new Date("2026-09-02T06:05:00Z") };
    const pdf = async (extra: Record<string, unknown>) => {
      const e = evidence(["Alpha", "Beta"]);
      Object.assign(e.report, { changes_from_previous: { partners: [] }, ...extra });
      return squash(await pdfText(await statementPdf(statementOf(e))));
    };
    const said = squash(
      `Why the terminal's ticket was corrected: entered by coord-1 on 2026-09-02 06:05 UTC: "meter re-proved after the lift"`,
    );
    expect(await pdf({ supersedes_receipt: { ...replaced, ...why } })).to.contain(said);
    expect(await pdf({ version: 2, supersedes: "r1_v1", supersedes_receipt: { ...replaced, ...why } })).to.contain(said);
    expect(await pdf({ supersedes_receipt: replaced })).to.contain(
      squash("Why the terminal's ticket was corrected: not recorded (a receipt entered before a reason was required)."),
    );
  });

  it("says whether the shrinkage is within the LUAF band, and who released one outside it and why", async () => {
    const within = evidence(["A", "B"]);
    Object.assign(within.report, { luaf: { tolerance_percent: 2, shrinkage_percent: 0, within_band: true, acknowledgement: null } });
    expect(squash(await pdfText(await statementPdf(statementOf(within))))).to.contain(
      squash("Shrinkage 0.00000 % is within the LUAF band of ±2 %."),
    );
    const outside = evidence(["A", "B"]);
    Object.assign(outside.report, {
      luaf: {
        tolerance_percent: 2,
        shrinkage_percent: 0,
        within_band: false,
        acknowledgement: {
          by: "coord-1",
          role: "jv_coordinator",
          note: "Tank strapping error, see ticket 88",
          at: new Date("2026-09-03T10:15:00Z"),
        },
      },
    });
    expect(squash(await pdfText(await statementPdf(statementOf(outside))))).to.contain(
      squash(
        'Shrinkage 0.00000 % is OUTSIDE the LUAF band of ±2 %. Released by coord-1 (jv_coordinator) on 2026-09-03 10:15 UTC: "Tank strapping error, see ticket 88"',
      ),
    );
  });

  it("labels the totals under a partner's own line as the JV's, and leaves the JV statement's plain", async () => {
    const luaf = { tolerance_percent: 2, shrinkage_percent: 0, within_band: true, acknowledgement: null };
    const partner = evidence(["A", "B"], "a");
    Object.assign(partner.report, { luaf });
    const own = squash(await pdfText(await statementPdf(statementOf(partner))));
    expect(own)
      .to.contain(squash("JV field NSV"))
      .and.contain(squash("; JV shrinkage "))
      .and.contain(squash("of JV field NSV; JV entries: 2 used, 0 excluded."));
    expect(own).to.contain(squash("The JV's shrinkage 0.00000 % is within the LUAF band of ±2 %."));
    const csv = statementCsv(statementOf(partner));
    expect(csv).to.contain("The JV's shrinkage 0.00000 % is within the LUAF band of ±2 %.");
    const jv = evidence(["A", "B"]);
    Object.assign(jv.report, { luaf });
    const whole = squash(await pdfText(await statementPdf(statementOf(jv))));
    expect(whole).to.not.contain(squash("JV field NSV")).and.not.contain(squash("The JV's shrinkage"));
    expect(whole).to.contain(squash("Shrinkage 0.00000 % is within the LUAF band of ±2 %."));
  });

  it("shows the terminal's pressure in whole psig and its meter factor to 5 decimals", async () => {
    const e = evidence(["A", "B"]);
    e.report = { ...e.report, terminal_inputs: { ...(e.report.terminal_inputs as object), pressure_psig: 0 } };
    const text = squash(await pdfText(await statementPdf(statementOf(e))));
    expect(text).to.contain(squash("Pressure (psig) 0 ")).and.not.contain(squash("Pressure (psig) 0.0"));
    expect(text).to.match(/Meterfactor1\.\d{5}(?!\d)/);
  });

  it("shows a negative shrinkage as a gain in the partner rows, the total, the summary and the LUAF line", async () => {
    const gain = evidence(["A", "B"]);
    const report = gain.report as { allocations: Array<{ shrinkage_bbl: number }>; totals: Record<string, number> };
    report.allocations[0]!.shrinkage_bbl = -12.34;
    report.allocations[1]!.shrinkage_bbl = 5;
    Object.assign(report.totals, { shrinkage_bbl: -7.34, shrinkage_percent: -0.7 });
    Object.assign(gain.report, { luaf: { tolerance_percent: 2, shrinkage_percent: -0.7, within_band: true, acknowledgement: null } });
    const text = squash(await pdfText(await statementPdf(statementOf(gain))));
    expect(text).to.contain(squash("-12.34 (gain)"));
    expect(text).to.contain(squash("-7.34 (gain)"));
    expect(text).to.not.contain(squash("5.00 (gain)"));
    expect(text).to.contain(squash("shrinkage -7.34 bbl (gain) = -0.70000 % (gain) of field NSV"));
    expect(text).to.contain(squash("Shrinkage -0.70000 % (gain) is within the LUAF band of ±2 %."));
  });

  it("sums the shares as shown on the JV statement's total row, and shows no share total on a partner's", async () => {
    const jv = evidence(["A", "B"]);
    (jv.report.allocations as Array<{ share_percent: number }>)[0].share_percent = 50.00001;
    const whole = await pdfText(await statementPdf(statementOf(jv)));
    expect(squash(whole)).to.contain("100.00001");
    const partner = squash(await pdfText(await statementPdf(statementOf(evidence(["A", "B"], "a")))));
    expect(partner).to.not.contain("100.00000");
  });

  it("lists the excluded entries of the exclusion chunks, not only the report's preview, up to PDF_MAX_ENTRIES", async () => {
    const full = Array.from({ length: PDF_MAX_ENTRIES + 5 }, (_, i) => ({
      entry_id: `x${String(i).padStart(4, "0")}`,
      partner_id: i % 2 === 0 ? "a" : "b",
      reason: "audit rejected",
    }));
    const jv = evidence(["A", "B"]);
    jv.report.excluded = full.slice(0, 20);
    jv.exclusions = full;
    const text = (await pdfText(await statementPdf(statementOf(jv)))).split("\n");
    expect(text).to.include("x0020");
    expect(text).to.include(`x${String(PDF_MAX_ENTRIES - 1).padStart(4, "0")}`);
    expect(text).to.not.include(`x${String(PDF_MAX_ENTRIES).padStart(4, "0")}`);
    expect(text).to.include("5 more excluded entries are in the CSV and JSON exports.");
    jv.exclusions = full.slice(0, PDF_MAX_ENTRIES + 1);
    (jv.report.totals as { entries_used: number }).entries_used = 1;
    const one = await pdfText(await statementPdf(statementOf(jv)));
    expect(one.split("\n")).to.include("1 more excluded entry is in the CSV and JSON exports.");
    expect(squash(one)).to.contain(squash("1 entry used,"));
  });
});
