import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { FieldValue } from "firebase-admin/firestore";
import { decideAdjustment } from "../../src/agents/accountant/decide-adjustment";
import { exportStatement } from "../../src/agents/accountant/export-statement";
import { reconcile as reconcileHandler } from "../../src/agents/accountant/reconcile";
import { gatherEvidence } from "../../src/agents/accountant/verify";
import { bblToCb } from "../../src/domain/cent-barrels";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { formatDay, NO_LINE_REASON } from "../../src/domain/statement";
import { contractDayOf, reportContractClock } from "../../src/domain/jv-settings";
import { partnerEvidence, verifyStatementBundle, verifyStatementBundleText } from "../../src/domain/statement-bundle";
import { directDeps } from "../support/communicator-world";
import { adminDb, callFunction, uniqueId, waitForDoc, type TestUser } from "../support/emulator";
import { isolatedPeriod, receiptOf, seedAdjustmentOrigin, seedEntries, seedPartner, seedReceipt, soundEntry } from "../support/seed";
import { HOSTILE_NAME, reconciledStatement, type StatementWorld } from "../support/statement-world";
import { pdfText } from "../support/pdf-text";
import { manifestRowsGzip, manifestRowsOf } from "../../src/agents/accountant/manifest";

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
      if (format === "pdf") {
        // Its entries named as its people know them: contract day (the report's clock) and meter, then the id.
        const seeded = (
          await adminDb()
            .doc(`production_entries/${world.partners[0].replace(/-alpha$/, "")}-a1`)
            .get()
        ).get("measured_at");
        const day = contractDayOf(seeded.toDate(), reportContractClock(report.settings));
        expect(text.replace(/\s+/g, " ")).to.contain(`${day} · LACT-A1`);
      }
      const other = await exportAs(partnerUser(0), { reconciliation_id: world.reconciliationId, format, partner_id: world.partners[1] });
      expect(other.error!.status).to.equal("PERMISSION_DENIED");
    }
  });

  it("tells a partner its statement stands while the version replacing it awaits its release; a coordinator, that it is superseded", async () => {
    const ref = adminDb().doc(`reconciliations/${world.reconciliationId}`);
    const receipt = String(report.terminal_receipt_id);
    const next = adminDb().doc(`reconciliations/${receipt}_v${Number(report.version) + 1}`);
    const later = adminDb().doc(`reconciliations/${receipt}_v${Number(report.version) + 2}`);
    const statusOf = async (user: TestUser) => {
      const { result, error } = await callFunction<Exported>(
        "exportStatement",
        { reconciliation_id: world.reconciliationId, format: "csv" },
        user,
      );
      expect(error, JSON.stringify(error)).to.equal(undefined);
      const records = parse(
        Buffer.from(result!.base64, "base64")
          .toString("utf8")
          .replace(/^\uFEFF/, ""),
        { relax_column_count: true },
      ) as string[][];
      const field = (name: string) => records.find((r) => r[0] === name)?.[1];
      return [field("status"), field("superseded_by") ?? ""];
    };
    await ref.update({ status: "superseded", superseded_by: next.id });
    await next.set({ terminal_receipt_id: receipt, version: Number(report.version) + 1, status: "completed", released: false });
    try {
      expect(await statusOf(partnerUser(0))).to.deep.equal(["completed", ""]);
      expect(await statusOf(world.coordinator)).to.deep.equal(["superseded", next.id]);
      // A later version released to the partners: superseded by that one, the first it may read.
      await next.update({ status: "superseded", superseded_by: later.id });
      await later.set({ terminal_receipt_id: receipt, version: Number(report.version) + 2, status: "completed", released: true });
      expect(await statusOf(partnerUser(0))).to.deep.equal(["superseded", later.id]);
    } finally {
      await ref.update({
        status: report.status,
        superseded_by: report.superseded_by === undefined ? FieldValue.delete() : report.superseded_by,
      });
      await next.delete();
      await later.delete();
    }
  });

  it("writes an RFC 4180 CSV that parses back to the stored figures and sums to the terminal NSV", async () => {
    const { bytes, result } = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "csv" });
    expect(result!.content_type).to.match(/^text\/csv/);
    expect([...bytes.subarray(0, 3)], "a UTF-8 byte-order mark, for spreadsheets").to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
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
    const entries = csvSection(records, "entries");
    expect(entries).to.have.length(report.totals.entries_used);
    // Each entry's factors lead to its NSV: gross × meter factor × CTPL is the GSV, × CSW the NSV (to the cent-barrel).
    for (const e of entries) {
      const n = (field: string) => Number(e[field]);
      expect(n("ctl"), e.entry_id).to.be.within(0.9, 1.1);
      expect(Math.abs(n("ctl") * n("cpl") - n("ctpl")), e.entry_id).to.be.at.most(0.0000051);
      const used = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places; // as the engine takes them
      expect(Math.abs(used(n("gross_volume_bbl"), 2) * used(n("meter_factor"), 4) * n("ctpl") - n("gsv_bbl")), e.entry_id).to.be.at.most(
        0.0051,
      );
      expect(Math.abs(n("gsv_bbl") * n("csw") - n("nsv_bbl")), e.entry_id).to.be.at.most(0.0051);
    }

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
      const clean = verifyStatementBundleText(bytes.toString("utf8"));
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

describe("exportStatement: a partner with a carried adjustment but no allocation line", function () {
  this.timeout(180_000);
  const db = () => adminDb();
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const caller = { uid: "hunt-coordinator", role: "jv_coordinator" as const };
  const plainDeps = () => directDeps("http://127.0.0.1:9", { now: new Date() });
  const failureOf = async (run: () => Promise<unknown>): Promise<string> => {
    try {
      await run();
      return "exported";
    } catch (error) {
      return `${String((error as { code?: unknown }).code)}: ${(error as Error).message}`;
    }
  };

  it("a partner with a carried adjustment but no line (inactive, no production) can export its statement", async () => {
    const tag = uniqueId("hexp");
    const a = `${tag}-a`;
    const b = `${tag}-b`;
    const c = `${tag}-c`;
    await seedPartner(db(), a, "Partner A");
    await seedPartner(db(), b, "Partner B", false);
    await seedPartner(db(), c, "Partner C", false); // inactive, no production, no adjustment
    const { start, end } = isolatedPeriod(1);
    await seedEntries(db(), [soundEntry(`${a}-1`, a, new Date(start.getTime() + 8 * HOUR))]);
    await seedReceipt(db(), receiptOf(`${tag}-r`, start, end, 1000));
    const decidedAt = new Date(Date.UTC(2026, 9, 2, 9, 15, 30));
    await seedAdjustmentOrigin(db(), `${tag}-old`, b, { start: new Date(start.getTime() - 2 * DAY), end: start }, -2.25);
    await db()
      .doc(`prior_period_adjustments/${tag}-old_v2_0`)
      .set({
        from_reconciliation_id: `${tag}-old_v2`,
        previous_reconciliation_id: `${tag}-old_v1`,
        terminal_receipt_id: `${tag}-old`,
        period_start: new Date(start.getTime() - 2 * DAY),
        period_end: start,
        partner_id: b,
        delta_bbl: -2.25,
        entry_ids: [],
        status: "pending",
        decided_by: null,
        decided_at: null,
        note: null,
        carried_in: null,
        created_at: new Date(),
      });
    await decideAdjustment(
      directDeps("http://127.0.0.1:9", { now: decidedAt }),
      { adjustment_id: `${tag}-old_v2_0`, decision: "approved", note: "late ticket of meter M-7" },
      { uid: "c", role: "jv_coordinator" },
    );
    const v1 = await reconcileHandler(plainDeps(), { terminal_receipt_id: `${tag}-r` }, caller);
    const id = v1.reconciliation_id;

    // The report is as before: no line for b, its adjustment and net position beside the allocation.
    const stored = (await db().doc(`reconciliations/${id}`).get()).data()!;
    expect(stored.allocations.map((l: Plain) => l.partner_id)).to.not.include(b);
    expect(stored.prior_period_adjustments.filter((p: Plain) => p.partner_id === b)).to.deep.equal([
      { id: `${tag}-old_v2_0`, partner_id: b, delta_bbl: -2.25, from_reconciliation_id: `${tag}-old_v2` },
    ]);
    expect(stored.net_positions.find((n: Plain) => n.partner_id === b)).to.deep.equal({
      partner_id: b,
      allocated_bbl: 0,
      adjustments_bbl: -2.25,
      net_bbl: -2.25,
    });

    expect(stored.settings).to.deep.include({ contract_day_start_hour: 0, utc_offset_minutes: 0 });

    // CSV: a zero line with the reason, the adjustment line, the net position; nothing of a's.
    const csv = await exportStatement(plainDeps(), { reconciliation_id: id, format: "csv", partner_id: b }, caller);
    const text = Buffer.from(csv.base64, "base64").toString("utf8");
    expect(csv.filename).to.equal(`statement-${tag}-r-v1-${b}.csv`);
    const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    expect(records.find((r) => r[0] === "partner_name")).to.deep.equal(["partner_name", "Partner B"]);
    expect(csvSection(records, "allocations")).to.deep.equal([
      {
        partner_id: b,
        partner_name: "Partner B",
        entries: "0",
        gross_bbl: "0.00",
        nsv_bbl: "0.00",
        share_percent: "0.00000",
        allocated_bbl: "0.00",
        shrinkage_bbl: "0.00",
        reason: NO_LINE_REASON,
        left_jv_on: "",
      },
    ]);
    expect(csvSection(records, "adjustments")).to.deep.equal([
      {
        kind: "prior-period adjustment",
        reference: `${tag}-old_v2_0 (from ${tag}-old_v2)`,
        partner_id: b,
        partner_name: "Partner B",
        allocated_bbl_before: "",
        allocated_bbl_after: "",
        delta_bbl: "-2.25",
        // Where it comes from and who approved it, from the adjustment's document (not in b's bundle).
        origin_receipt: `${tag}-old`,
        origin_period_start: formatDay(new Date(start.getTime() - 2 * DAY)),
        origin_period_end: formatDay(start),
        // The report's days start at 00:00 UTC (checked below): the two days before this period.
        origin_first_contract_day: formatDay(new Date(start.getTime() - 2 * DAY)),
        origin_last_contract_day: formatDay(new Date(start.getTime() - DAY)),
        approved_by: "c",
        approved_at: decidedAt.toISOString(),
        approval_note: "late ticket of meter M-7",
      },
    ]);
    expect(csvSection(records, "net positions")).to.deep.equal([
      { partner_id: b, partner_name: "Partner B", allocated_bbl: "0.00", adjustments_bbl: "-2.25", net_bbl: "-2.25" },
    ]);
    expect(csvSection(records, "entries")).to.deep.equal([]);
    // (a's id is a prefix of the adjustment's id: compare whole cells.)
    expect(records.flat().filter((cell) => cell === a || cell.includes(`${a}-1`))).to.deep.equal([]);
    expect(text).to.not.contain("Partner A");

    // PDF: the same, as the partner itself asks for it.
    const partnerCaller = { uid: `${tag}-user`, role: "jv_partner" as const, partnerId: b };
    const pdf = await exportStatement(plainDeps(), { reconciliation_id: id, format: "pdf" }, partnerCaller);
    const pdfBytes = Buffer.from(pdf.base64, "base64");
    if (process.env.STATEMENT_EXPORT_DIR) {
      mkdirSync(process.env.STATEMENT_EXPORT_DIR, { recursive: true });
      writeFileSync(join(process.env.STATEMENT_EXPORT_DIR, "no-line-partner.pdf"), pdfBytes);
    }
    const pdfWords = await pdfText(pdfBytes);
    const flat = pdfWords.replace(/\s+/g, "");
    for (const shown of [
      `PartnerB(${b})`,
      `zeroline(${NO_LINE_REASON})`,
      `${tag}-old_v2_0`,
      "-2.25",
      "Netpositions",
      `contract days ${formatDay(new Date(start.getTime() - 2 * DAY))} to ${formatDay(new Date(start.getTime() - DAY))} (receipt ${tag}-old)`,
      'approved by c on 2026-10-02 09:15 UTC: "late ticket of meter M-7"',
    ]) {
      expect(flat, shown).to.contain(shown.replace(/\s+/g, ""));
    }
    expect(pdfWords).to.not.contain("Partner A");
    expect(flat).to.not.contain(`${a})`);

    // JSON: b's bundle verifies offline; the report itself still verifies (its content is unchanged).
    const json = await exportStatement(plainDeps(), { reconciliation_id: id, format: "json", partner_id: b }, caller);
    const bundleChecks = verifyStatementBundle(JSON.parse(Buffer.from(json.base64, "base64").toString("utf8")));
    expect(bundleChecks.checks.filter((x) => !x.ok)).to.deep.equal([]);
    const evidence = (await gatherEvidence(db(), id))!;
    const jvChecks = verifyReportEvidence(evidence);
    expect(jvChecks.checks.filter((x) => !x.ok)).to.deep.equal([]);
    expect(jvChecks.checks.map((x) => x.check)).to.include.members(["integrity_hash", "net_positions"]);
    expect(verifyReportEvidence(partnerEvidence(evidence, b)).checks.filter((x) => !x.ok)).to.deep.equal([]);

    // A partner with neither a line nor an adjustment is still refused, saying why.
    expect(await failureOf(() => exportStatement(plainDeps(), { reconciliation_id: id, format: "csv", partner_id: c }, caller))).to.equal(
      `not-found: Partner ${c} has no allocation line and no prior-period adjustment in reconciliation ${id}: there is no statement of it for this period.`,
    );
    expect(
      await failureOf(() =>
        exportStatement(plainDeps(), { reconciliation_id: id, format: "pdf" }, { uid: `${tag}-c-user`, role: "jv_partner", partnerId: c }),
      ),
    ).to.match(/^not-found: Partner .* has no allocation line and no prior-period adjustment/);
  });
});

describe("exportStatement: a report whose excluded entries cannot be read", function () {
  this.timeout(180_000);

  it("refuses the PDF and CSV (data-loss, naming what is missing); the JSON bundle carries the problem and fails verification", async () => {
    const world = await reconciledStatement();
    const chunks = await adminDb().collection(`reconciliations/${world.reconciliationId}/exclusions`).get();
    expect(chunks.size, "the world has an excluded entry").to.be.greaterThan(0);
    await Promise.all(chunks.docs.map((d) => d.ref.delete()));

    for (const format of ["pdf", "csv"]) {
      const { error } = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format });
      expect(error?.status, format).to.equal("DATA_LOSS");
      expect(error?.message).to.contain("list of excluded entries");
    }
    const partner: TestUser = { uid: uniqueId("partner"), role: "jv_partner", partner_id: world.partners[0] };
    for (const user of [world.coordinator, partner]) {
      const { result, bytes } = await exportAs(user, { reconciliation_id: world.reconciliationId, format: "json" });
      expect(result, user.role).to.not.equal(undefined);
      const failed = verifyStatementBundle(JSON.parse(bytes.toString("utf8")))
        .checks.filter((c) => !c.ok)
        .map((c) => c.check);
      expect(failed, user.role).to.include("exclusions");
    }
  });

  it("refuses the PDF and CSV of a report whose chunks were changed after the close (an entry renamed, an exclusion's reason rewritten)", async () => {
    const world = await reconciledStatement();
    const inputs = await adminDb().collection(`reconciliations/${world.reconciliationId}/inputs`).get();
    const first = inputs.docs[0]!;
    const rows = manifestRowsOf(first.id, first.data());
    rows[0]!.entry_id = "FORGED-1";
    await first.ref.update(await manifestRowsGzip(rows));
    for (const format of ["pdf", "csv"]) {
      const { error } = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format });
      expect(error?.status, format).to.equal("DATA_LOSS");
      expect(error?.message).to.contain("its rows do not give the report's inputs digest");
    }
    await first.ref.update({ rows_gzip: first.get("rows_gzip") });
    expect((await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "csv" })).error).to.equal(undefined);

    const exclusions = await adminDb().collection(`reconciliations/${world.reconciliationId}/exclusions`).get();
    const chunk = exclusions.docs[0]!;
    const field = chunk.get("rows_json") !== undefined ? "rows_json" : "rows";
    const excluded = (field === "rows_json" ? JSON.parse(String(chunk.get(field))) : chunk.get(field)) as Array<{ reason: string }>;
    excluded[0]!.reason = "duplicate entry";
    await chunk.ref.update({ [field]: field === "rows_json" ? JSON.stringify(excluded) : excluded });
    const partner: TestUser = { uid: uniqueId("partner"), role: "jv_partner", partner_id: world.partners[0] };
    const { error } = await exportAs(partner, { reconciliation_id: world.reconciliationId, format: "pdf" });
    expect(error?.status).to.equal("DATA_LOSS");
    expect(error?.message).to.contain("its rows do not give the report's exclusions digest");
  });

  it("refuses the PDF and CSV of a report whose figures were edited after the close, under the hash and anchor it was closed with", async () => {
    const world = await reconciledStatement();
    const ref = adminDb().doc(`reconciliations/${world.reconciliationId}`);
    const stored = (await ref.get()).data()!;
    const allocations = structuredClone(stored.allocations) as Array<{ allocated_bbl: number }>;
    expect(allocations.length, "the world allocates to two partners at least").to.be.greaterThan(1);
    allocations[0]!.allocated_bbl = Math.round((allocations[0]!.allocated_bbl + 10) * 100) / 100;
    allocations[1]!.allocated_bbl = Math.round((allocations[1]!.allocated_bbl - 10) * 100) / 100;
    await ref.update({ allocations });
    const partner: TestUser = { uid: uniqueId("partner"), role: "jv_partner", partner_id: world.partners[0] };
    for (const [user, format] of [
      [world.coordinator, "pdf"],
      [world.coordinator, "csv"],
      [partner, "pdf"],
    ] as const) {
      const { error } = await exportAs(user, { reconciliation_id: world.reconciliationId, format });
      expect(error?.status, `${user.role} ${format}`).to.equal("DATA_LOSS");
      expect(error?.message).to.match(/does not give the hashes it was closed with \(.*integrity_hash.* fail verification\)/);
    }
    // The bundle still goes out: it is what an auditor verifies, and it fails there, naming why.
    const { bytes } = await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "json" });
    const failed = verifyStatementBundle(JSON.parse(bytes.toString("utf8")))
      .checks.filter((c) => !c.ok)
      .map((c) => c.check);
    expect(failed).to.include("integrity_hash");
    await ref.update({ allocations: stored.allocations });
    expect((await exportAs(world.coordinator, { reconciliation_id: world.reconciliationId, format: "pdf" })).error).to.equal(undefined);
  });
});
