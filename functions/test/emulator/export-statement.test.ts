import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { bblToCb } from "../../src/domain/cent-barrels";
import { verifyStatementBundle } from "../../src/domain/statement-bundle";
import { adminDb, callFunction, uniqueId, waitForDoc, type TestUser } from "../support/emulator";
import { HOSTILE_NAME, reconciledStatement, type StatementWorld } from "../support/statement-world";

interface Exported {
  filename: string;
  content_type: string;
  sha256: string;
  base64: string;
}
type Plain = Record<string, any>;

async function exportAs(user: TestUser, data: Record<string, unknown>) {
  const { result, error } = await callFunction<Exported>("exportStatement", data, user);
  return { result, error, bytes: result ? Buffer.from(result.base64, "base64") : Buffer.alloc(0) };
}

async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i += 1) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"));
  }
  return pages.join("\n");
}

const bblText = (v: number) => v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The rows of one "# section" of the statement CSV, with its header row as keys. */
function csvSection(records: string[][], title: string): Array<Record<string, string>> {
  const start = records.findIndex((r) => r[0] === `# ${title}`);
  expect(start, `section ${title}`).to.be.greaterThan(-1);
  const header = records[start + 1]!;
  const rows: Array<Record<string, string>> = [];
  for (let i = start + 2; i < records.length && !(records[i]!.length === 1 && records[i]![0]!.startsWith("# ")); i += 1) {
    if (records[i]!.length === 1 && records[i]![0] === "") continue;
    rows.push(Object.fromEntries(header.map((h, j) => [h, records[i]![j]!])));
  }
  return rows;
}

describe("exportStatement: PDF, CSV and JSON statements by role", function () {
  this.timeout(180_000);
  let world: StatementWorld;
  let report: Plain;
  const auditor: TestUser = { uid: uniqueId("auditor"), role: "auditor" };
  const partnerUser = (i: number): TestUser => ({ uid: uniqueId("partner"), role: "jv_partner", partner_id: world.partners[i] });

  before(async () => {
    world = await reconciledStatement();
    report = (await adminDb().doc(`reconciliations/${world.reconciliationId}`).get()).data()!;
  });

  it("gives the coordinator a JV PDF holding every stored figure, with the same bytes every time", async () => {
    const first = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "pdf" });
    expect(first.error, JSON.stringify(first.error)).to.equal(undefined);
    expect(first.result!).to.include({ content_type: "application/pdf", filename: `statement-${world.receiptId}-v1.pdf` });
    expect(first.result!.sha256).to.equal(createHash("sha256").update(first.bytes).digest("hex"));
    const again = await exportAs(auditor, { reconciliation_id: world.reconciliationId, format: "pdf" });
    expect(again.result!.sha256).to.equal(first.result!.sha256);
    if (process.env.STATEMENT_EXPORT_DIR) {
      mkdirSync(process.env.STATEMENT_EXPORT_DIR, { recursive: true });
      writeFileSync(join(process.env.STATEMENT_EXPORT_DIR, "jv.pdf"), first.bytes);
    }

    const text = await pdfText(first.bytes);
    const expected: string[] = [
      world.reconciliationId,
      world.receiptId,
      report.integrity_hash,
      `reconcile_${world.reconciliationId}`,
      bblText(report.terminal.gross_volume_bbl),
      report.terminal.api60.toFixed(1),
      report.terminal.ctl.toFixed(5),
      report.terminal.cpl.toFixed(5),
      report.terminal.ctpl.toFixed(5),
      report.terminal.csw.toFixed(5),
      bblText(report.terminal.gsv_bbl),
      bblText(report.terminal.nsv_bbl),
      report.terminal_inputs.temperature_degF.toFixed(1),
      report.terminal_inputs.api_gravity.toFixed(1),
      report.terminal_inputs.bsw_percent.toFixed(2),
      bblText(report.totals.field_gross_bbl),
      bblText(report.totals.field_nsv_bbl),
      bblText(report.totals.shrinkage_bbl),
      report.totals.shrinkage_percent.toFixed(5),
      ...report.excluded.flatMap((e: Plain) => [e.entry_id, e.reason]),
    ];
    for (const a of report.allocations) {
      expected.push(
        a.partner_name,
        String(a.entries),
        bblText(a.gross_bbl),
        bblText(a.nsv_bbl),
        a.share_percent.toFixed(5),
        bblText(a.allocated_bbl),
        bblText(a.shrinkage_bbl),
      );
    }
    // A long name wraps in its cell: compare without the line breaks and spaces.
    const flat = text.replace(/\s+/g, "");
    const missing = expected.filter((figure) => !flat.includes(String(figure).replace(/\s+/g, "")));
    expect(missing).to.deep.equal([]);
  });

  it("gives a partner its own PDF and CSV: its rows and entries, the shared totals, no other partner", async () => {
    const own = world.partners[0];
    // The communicator's round (whose audiences name every partner) has been logged: it must not
    // be in the audit chain a partner's bundle carries.
    await waitForDoc(`audit_log/notify_${world.reconciliationId}`, (snap) => snap.exists);
    for (const format of ["pdf", "csv", "json"] as const) {
      // Whatever it asks for, a jv_partner gets its own statement or a refusal.
      const mine = await exportAs(partnerUser(0), { reconciliation_id: world.reconciliationId, format });
      expect(mine.error, JSON.stringify(mine.error)).to.equal(undefined);
      const text = format === "pdf" ? await pdfText(mine.bytes) : mine.bytes.toString("utf8");
      if (process.env.STATEMENT_EXPORT_DIR) writeFileSync(join(process.env.STATEMENT_EXPORT_DIR, `partner.${format}`), mine.bytes);
      const ownRow = report.allocations.find((a: Plain) => a.partner_id === own);
      expect(text).to.contain(format === "pdf" ? bblText(ownRow.allocated_bbl) : String(ownRow.allocated_bbl));
      expect(text).to.contain(format === "pdf" ? bblText(report.totals.terminal_nsv_bbl) : String(report.totals.terminal_nsv_bbl));
      for (const other of report.allocations.filter((a: Plain) => a.partner_id !== own)) {
        // A zero line (an active partner of another test, no production) has only its name to leak.
        const figures =
          other.entries === 0
            ? []
            : [
                String(other.nsv_bbl),
                String(other.allocated_bbl),
                String(other.gross_bbl),
                bblText(other.nsv_bbl),
                bblText(other.allocated_bbl),
              ];
        // Another world's partner may share the own partner's name (each seeds the same names).
        const name = other.partner_name === ownRow.partner_name ? [] : [other.partner_name, other.partner_id];
        for (const secret of [...name, ...figures]) {
          // A figure counts as a whole number in the text, not as digits inside a hex hash or a longer number.
          const figure = /^[\d.,-]+$/.test(secret)
            ? new RegExp(`(?<![0-9A-Za-z.,])${secret.replace(/[.]/g, "\\.")}(?![0-9A-Za-z])`)
            : undefined;
          if (figure) expect(figure.test(text), `${format} leaks ${secret}`).to.equal(false);
          else expect(text, `${format} leaks ${secret}`).to.not.contain(secret);
        }
      }
      for (const e of report.excluded.filter((x: Plain) => x.partner_id !== own)) expect(text).to.not.contain(e.entry_id);
      const other = await exportAs(partnerUser(0), { reconciliation_id: world.reconciliationId, format, partner_id: world.partners[1] });
      expect(other.error!.status).to.equal("PERMISSION_DENIED");
    }
  });

  it("writes an RFC 4180 CSV that parses back to the stored figures and sums to the terminal NSV", async () => {
    const { bytes, result } = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "csv" });
    expect(result!.content_type).to.match(/^text\/csv/);
    const text = bytes.toString("utf8");
    expect(text.split("\r\n").length).to.be.greaterThan(20);
    expect(text.replace(/\r\n/g, "")).to.not.match(/\n/);
    const records = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
    const allocations = csvSection(records, "allocations");
    expect(allocations).to.have.length(report.allocations.length);
    for (const [i, a] of report.allocations.entries()) {
      const row = allocations[i]!;
      for (const field of ["entries", "gross_bbl", "nsv_bbl", "share_percent", "allocated_bbl", "shrinkage_bbl"])
        expect(Number(row[field]), field).to.equal(a[field]);
    }
    const allocatedCb = allocations.reduce((sum, r) => sum + bblToCb(Number(r.allocated_bbl)), 0);
    expect(allocatedCb).to.equal(bblToCb(report.totals.terminal_nsv_bbl));
    const totals = Object.fromEntries(csvSection(records, "totals").map((r) => [r.total, Number(r.value)]));
    expect(totals).to.deep.equal(report.totals);
    const factors = Object.fromEntries(csvSection(records, "terminal measurement").map((r) => [r.factor, Number(r.value)]));
    for (const f of ["api60", "ctl", "cpl", "ctpl", "csw", "nsv_bbl", "gsv_bbl"]) expect(factors[f], f).to.equal(report.terminal[f]);
    expect(csvSection(records, "entries")).to.have.length(report.totals.entries_used);

    // The hostile name is text a spreadsheet shows, not a formula it runs.
    const hostile = allocations.find((r) => r.partner_id === world.partners[2])!;
    expect(hostile.partner_name).to.equal(`'${HOSTILE_NAME}`);
    expect(text).to.contain(`"'=HYPERLINK(""http://evil.example/x"",""Click me"")"`);
    expect(text).to.not.match(/(^|,)=HYPERLINK/m);
  });

  it("exports a JSON bundle that verifies offline, and fails naming the check after a one-cent edit", async () => {
    for (const user of [world.coordinator, partnerUser(1)]) {
      const { bytes } = await exportAs(user, { reconciliation_id: world.reconciliationId, format: "json" });
      const bundle = JSON.parse(bytes.toString("utf8"));
      if (process.env.STATEMENT_EXPORT_DIR) writeFileSync(join(process.env.STATEMENT_EXPORT_DIR, `${user.role}.json`), bytes);
      const clean = verifyStatementBundle(bundle);
      expect(
        clean.checks.filter((c) => !c.ok),
        JSON.stringify(clean.checks.filter((c) => !c.ok)),
      ).to.deep.equal([]);
      expect(clean.not_checked.length).to.be.greaterThan(0);

      const edited = structuredClone(bundle);
      const row = edited.report.allocations.find((a: Plain) => !("sealed" in a));
      row.allocated_bbl = Math.round((row.allocated_bbl + 0.01) * 100) / 100;
      const failed = verifyStatementBundle(edited)
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
      const index = edited.report.allocations.indexOf(row);
      expect(failed).to.include("integrity_hash");
      expect(
        failed.filter((name) => name.startsWith(`allocations[${index}].`)),
        failed.join(", "),
      ).to.not.be.empty;
    }
  });

  it("refuses unknown reports and partners, bad formats, and field operators", async () => {
    expect((await exportAs(world.coordinator, { reconciliation_id: uniqueId("none"), format: "pdf" })).error!.status).to.equal("NOT_FOUND");
    expect(
      (await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "pdf", partner_id: "nobody" })).error!.status,
    ).to.equal("NOT_FOUND");
    expect((await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "xlsx" })).error!.status).to.equal(
      "INVALID_ARGUMENT",
    );
    const operator = { uid: uniqueId("op"), role: "field_operator", partner_id: world.partners[0] };
    expect((await exportAs(operator, { reconciliation_id: world.reconciliationId, format: "csv" })).error!.status).to.equal(
      "PERMISSION_DENIED",
    );
  });
});
