import { expect } from "chai";
import fc from "fast-check";
import { HttpsError } from "firebase-functions/v2/https";
import { joinParts } from "../../src/agents/accountant/entry-scan";
import { scanPart } from "../support/scan-part";
import { describeError, rebuildError } from "../../src/agents/accountant/scan-workers";
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

const totals = (scan: ReturnType<typeof joinParts>) => scan.aggregator.aggregates((id) => id);

describe("scan parts joined into one scan", () => {
  it("takes an entry read by two parts (it moved while they read) once, from the first part", () => {
    const scan = joinParts(
      [
        scanPart({ used: [row("e2", "a", 10), row("e1", "a", 5)], documentsRead: 2 }),
        scanPart({ pendingAudit: ["e2"], used: [row("e3", "b", 7)], documentsRead: 2 }),
      ],
      10,
    );
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal(["e1", "e2", "e3"]);
    expect(scan.pendingAuditCount).to.equal(0);
    expect(scan.documentsRead).to.equal(4);
    expect(scan.readers).to.equal(2);
    expect(totals(scan)).to.deep.equal([
      { partner_id: "a", partner_name: "a", entries: 2, gross_cb: 1700, nsv_cb: 1500 },
      { partner_id: "b", partner_name: "b", entries: 1, gross_cb: 800, nsv_cb: 700 },
    ]);
    const other = joinParts([scanPart({ pendingAudit: ["e2"] }), scanPart({ used: [row("e2", "a", 10)], excluded: [] })], 10);
    expect(other.rows).to.deep.equal([]);
    expect([other.pendingAudit, other.pendingAuditCount]).to.deep.equal([["e2"], 1]);
    expect(totals(other)).to.deep.equal([]);
  });

  it("tells an entry apart from another's hashed listing: an unbounded id listed as sha256-… does not hide an entry of that id", () => {
    const listed = "sha256-0123456789abcdef0123456789abcdef01234567";
    const scan = joinParts(
      [
        scanPart({ excluded: [{ entry_id: listed, partner_id: "a", reason: "document id not allowed" }], excludedIds: ["x".repeat(1500)] }),
        scanPart({ used: [row(listed, "b", 7)] }),
      ],
      10,
    );
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal([listed]);
    expect(scan.excludedCount).to.equal(1);
  });

  it("refuses more distinct entries than the bound, and counts an entry read twice once", () => {
    const twice = [scanPart({ used: [row("e1", "a", 1), row("e2", "a", 1)] }), scanPart({ used: [row("e2", "a", 1)] })];
    expect(joinParts(twice, 2).rows).to.have.length(2);
    const three = [
      scanPart({ used: [row("e1", "a", 1), row("e2", "a", 1)] }),
      scanPart({ excluded: [{ entry_id: "e3", partner_id: "a", reason: "rejected" }] }),
    ];
    expect(() => joinParts(three, 2))
      .to.throw(HttpsError, /more than 2 production entries/)
      .with.property("code", "failed-precondition");
  });

  it("lists the first 200 blocking entries by id whatever order they arrived in, and counts them all", () => {
    const ids = Array.from({ length: 250 }, (_, i) => `p${String(i).padStart(3, "0")}`);
    const shuffled = [...ids].sort(() => 0.5 - Math.random());
    const scan = joinParts([scanPart({ awaitingReview: shuffled.slice(0, 120) }), scanPart({ awaitingReview: shuffled.slice(120) })], 1000);
    expect(scan.awaitingReviewCount).to.equal(250);
    expect(scan.awaitingReview).to.deep.equal(ids.slice(0, 200));
  });

  it("gives the same scan however the entries of every kind are split between parts, and in whatever order they arrived", () => {
    const kinds = ["used", "excluded", "pending", "review"] as const;
    const partOf = (entries: Array<{ n: number; kind: (typeof kinds)[number] }>) =>
      scanPart({
        used: entries.filter((e) => e.kind === "used").map((e) => row(`e${e.n}`, `p${e.n % 3}`, (e.n % 97) + 0.25)),
        excluded: entries
          .filter((e) => e.kind === "excluded")
          .map((e) => ({ entry_id: `e${e.n}`, partner_id: `p${e.n % 3}`, reason: "rejected" })),
        pendingAudit: entries.filter((e) => e.kind === "pending").map((e) => `e${e.n}`),
        awaitingReview: entries.filter((e) => e.kind === "review").map((e) => `e${e.n}`),
        documentsRead: entries.length,
      });
    const view = (scan: ReturnType<typeof joinParts>) => ({
      rows: scan.rows,
      lines: scan.lines,
      totals: totals(scan),
      excluded: [scan.excluded, scan.exclusionsDigest, scan.excludedCount],
      blocking: [scan.pendingAudit, scan.pendingAuditCount, scan.awaitingReview, scan.awaitingReviewCount],
      read: scan.documentsRead,
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 999 }), kind: fc.constantFrom(...kinds), cut: fc.nat(3) }), {
          minLength: 1,
          maxLength: 60,
          selector: (e) => e.n,
        }),
        (entries) => {
          const alone = joinParts([partOf([...entries].sort((a, b) => a.n - b.n))], 1000);
          const split = joinParts(
            [0, 1, 2, 3].map((k) => partOf(entries.filter((e) => e.cut === k))),
            1000,
          );
          expect(view(split)).to.deep.equal(view(alone));
        },
      ),
    );
  });
});

describe("the rows' lines, made once for the digests and the manifest", () => {
  const receipt = { gross_volume_bbl: 100, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30 };
  it("stay with their rows through the join and the sort by entry id, and hash as the rows themselves do", () => {
    const rows = ["e7", "e2", "e9", "e1", "e5", "e3"].map((id, i) => row(id, `p${i % 2}`, 10 + i, 12.25 + i));
    const scan = joinParts([scanPart({ used: rows.slice(0, 3) }), scanPart({ used: rows.slice(3) })], 100);
    expect(scan.rows.map((r) => r.entry_id)).to.deep.equal(["e1", "e2", "e3", "e5", "e7", "e9"]);
    expect(scan.lines).to.deep.equal(scan.rows.map(measuredRowLine));
    expect(scan.lines.map((line) => JSON.parse(line) as MeasuredInputRow)).to.deep.equal(scan.rows);
    const fromRows = new InputsDigest();
    for (const r of scan.rows) fromRows.addRow(r);
    expect(scan.digest.setReceipt(receipt).digest()).to.equal(fromRows.setReceipt(receipt).digest());
    const lined = new Set(["p0", "p1"]);
    expect(partnerInputs(scan.rows, [], lined, scan.lines)).to.deep.equal(partnerInputs(scan.rows, [], lined));
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

describe("a scan worker's errors", () => {
  it("come back as what they were: an HttpsError with its code and details, a database error with its code", () => {
    const refusal = rebuildError(describeError(new HttpsError("failed-precondition", "too many", { max_entries: 3 })));
    expect(refusal).to.be.instanceOf(HttpsError);
    expect(refusal).to.include({ code: "failed-precondition", message: "too many" });
    expect((refusal as HttpsError).details).to.deep.equal({ max_entries: 3 });
    const unavailable = rebuildError(describeError(Object.assign(new Error("14 UNAVAILABLE: no connection"), { code: 14 })));
    expect(unavailable).not.to.be.instanceOf(HttpsError);
    expect(unavailable).to.include({ message: "14 UNAVAILABLE: no connection", code: 14 });
    expect(rebuildError(describeError("plain")))
      .to.include({ message: "plain" })
      .and.not.have.property("code");
  });
});
