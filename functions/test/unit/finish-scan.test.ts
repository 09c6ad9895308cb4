import { expect } from "chai";
import fc from "fast-check";
import { finishScan } from "../../src/agents/accountant/entry-scan";
import { classified } from "../support/classified-entries";
import { InputsDigest, measuredRowLine, partnerInputs, type MeasuredInputRow } from "../../src/domain/report-hash";

const row = (id: string, partner: string, nsv: number, gross = nsv + 1): MeasuredInputRow => ({
  entry_id: id,
  partner_id: partner,
  nsv_bbl: nsv,
  gross_volume_bbl: gross,
  bsw_percent: 0.5,
  temperature_degF: 60,
  api_gravity: 30,
  pressure_psig: 0,
  meter_factor: 1,
});

const totals = (scan: ReturnType<typeof finishScan>) => scan.aggregator.aggregates((id) => id);

describe("what a scan classified, made into the scan", () => {
  it("lists the first 200 blocking entries by id whatever order they arrived in, and counts them all", () => {
    const ids = Array.from({ length: 250 }, (_, i) => `p${String(i).padStart(3, "0")}`);
    const shuffled = [...ids].sort(() => 0.5 - Math.random());
    const scan = finishScan(classified({ awaitingReview: shuffled, pendingAudit: [...shuffled].reverse() }));
    expect(scan.awaitingReviewCount).to.equal(250);
    expect(scan.awaitingReview).to.deep.equal(ids.slice(0, 200));
    expect([scan.pendingAudit, scan.pendingAuditCount]).to.deep.equal([ids.slice(0, 200), 250]);
  });

  it("gives the same scan in whatever order the entries of every kind arrived", () => {
    const kinds = ["used", "excluded", "pending", "review"] as const;
    const classifiedOf = (entries: Array<{ n: number; kind: (typeof kinds)[number] }>) =>
      classified({
        used: entries.filter((e) => e.kind === "used").map((e) => row(`e${e.n}`, `p${e.n % 3}`, (e.n % 97) + 0.25)),
        excluded: entries
          .filter((e) => e.kind === "excluded")
          .map((e) => ({ entry_id: `e${e.n}`, partner_id: `p${e.n % 3}`, reason: "rejected" })),
        pendingAudit: entries.filter((e) => e.kind === "pending").map((e) => `e${e.n}`),
        awaitingReview: entries.filter((e) => e.kind === "review").map((e) => `e${e.n}`),
        documentsRead: entries.length,
      });
    const view = (scan: ReturnType<typeof finishScan>) => ({
      rows: scan.rows,
      lines: scan.lines,
      totals: totals(scan),
      excluded: [scan.excluded, scan.exclusionsDigest, scan.excludedCount],
      blocking: [scan.pendingAudit, scan.pendingAuditCount, scan.awaitingReview, scan.awaitingReviewCount],
      read: scan.documentsRead,
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 999 }), kind: fc.constantFrom(...kinds), key: fc.nat() }), {
          minLength: 1,
          maxLength: 60,
          selector: (e) => e.n,
        }),
        (entries) => {
          const inOrder = finishScan(classifiedOf([...entries].sort((a, b) => a.n - b.n)));
          const arrived = finishScan(classifiedOf([...entries].sort((a, b) => a.key - b.key)));
          expect(view(arrived)).to.deep.equal(view(inOrder));
          expect(totals(inOrder).reduce((sum, t) => sum + t.entries, 0)).to.equal(entries.filter((e) => e.kind === "used").length);
        },
      ),
    );
  });
});

describe("the rows' lines, made once for the digests and the manifest", () => {
  const receipt = { gross_volume_bbl: 100, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30 };
  it("stay with their rows through the sort by entry id, and hash as the rows themselves do", () => {
    const rows = ["e7", "e2", "e9", "e1", "e5", "e3"].map((id, i) => row(id, `p${i % 2}`, 10 + i, 12.25 + i));
    const scan = finishScan(classified({ used: rows }));
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal(["e1", "e2", "e3", "e5", "e7", "e9"]);
    expect(scan.lines).to.deep.equal(scan.rows.map(measuredRowLine));
    expect(scan.lines.map((line) => JSON.parse(line) as MeasuredInputRow)).to.deep.equal(scan.rows);
    const fromRows = new InputsDigest();
    for (const r of scan.rows) fromRows.addRow(r);
    expect(scan.digest.setReceipt(receipt).digest()).to.equal(fromRows.setReceipt(receipt).digest());
    const lined = new Set(["p0", "p1"]);
    expect(partnerInputs(scan.rows, [], lined, scan.lines)).to.deep.equal(partnerInputs(scan.rows, [], lined));
  });

  it("leave with their rows when the sums refuse a row: it is listed as unmeasurable, in neither the lines nor the digest", () => {
    const rows = [row("e3", "p0", 12), row("e1", "p1", -5, 1), row("e2", "p0", 11)];
    const scan = finishScan(classified({ used: rows }));
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal(["e2", "e3"]);
    expect(scan.lines).to.deep.equal([measuredRowLine(rows[2]), measuredRowLine(rows[0])]);
    expect(scan.unmeasurable).to.deep.equal([{ entry_id: "e1", reason: "entry of partner p1 has a negative volume" }]);
    const kept = new InputsDigest();
    for (const r of [rows[2], rows[0]]) kept.addRow(r);
    expect(scan.digest.setReceipt(receipt).digest()).to.equal(kept.setReceipt(receipt).digest());
    expect(totals(scan).map((t) => [t.partner_id, t.entries])).to.deep.equal([["p0", 2]]);
  });

  it("are what the digests hash when given: a line that is not its row's changes them", () => {
    const rows = [row("e1", "p0", 10), row("e2", "p0", 11)];
    const lines = rows.map(measuredRowLine);
    const forged = [lines[0], lines[1].replace('"nsv_bbl":11', '"nsv_bbl":12')];
    const digest = (given: string[]) => {
      const d = new InputsDigest();
      rows.forEach((r, i) => d.addRow(r, given[i]));
      return d.setReceipt(receipt).digest();
    };
    expect(digest(forged)).not.to.equal(digest(lines));
    const lined = new Set(["p0"]);
    expect(partnerInputs(rows, [], lined, forged)[0].rows_digest).not.to.equal(partnerInputs(rows, [], lined, lines)[0].rows_digest);
    expect(() => partnerInputs(rows, [], lined, lines.slice(1))).to.throw("partnerInputs: 1 lines given for 2 rows");
  });
});
