import {
  approvalText,
  correctionLine,
  correctionsIntro,
  entryFactors,
  formatBblText,
  signedBblText,
  formatDay,
  formatFixed,
  formatReading,
  formatReadingBbl,
  replacedReceiptText,
  changesIntro,
  releaseLine,
  releaseStatus,
  staleText,
  CLOSE_CHECK_PENDING_TEXT,
  leftJvText,
  luafText,
  originPeriodText,
  shareTotalPercent,
  shrinkageText,
  type Statement,
  TERMINAL_NAME_UNSEALED,
} from "../../domain/statement";
import { VERIFY_COMMAND } from "../../domain/statement-bundle";
import { plural } from "../../domain/plural";
import { methodInWords } from "../../domain/allocation";

/** Why a total of gross volumes read with more than two decimals is not their sum as shown. */
export const GROSS_TOTAL_NOTE =
  "Gross volumes are shown as measured; the total adds each rounded to 0.01 bbl (half to even), as the allocation uses it.";

/** Entries (and excluded entries) listed in a PDF; the CSV and JSON carry all of them. */
export const PDF_MAX_ENTRIES = 400;
/** Where an entry's day and meter come from: the manifest the figures are read from holds neither. */
export const ENTRY_LABELS_NOTE =
  "An entry's contract day and meter are as the entry is recorded when this statement was made; its figures are those the reconciliation used.";
/** How an entry's row reads, under the entries table. */
export const ENTRY_FACTORS_NOTE =
  "Each entry's CTL and CPL (one above the other), CTPL and CSW are re-derived from its readings by the engine that measured it (API MPMS 11.1-2004): " +
  "its gross (to 0.01 bbl) × meter factor (to 4 decimals) × CTPL is its gross standard volume, which × CSW is its NSV, " +
  "each rounded half to even to 0.01 bbl. CTPL is CTL × CPL before either is rounded, then rounded to 5 decimals: " +
  "the printed CTL × CPL can differ from it in the fifth decimal. The CSV adds API gravity at 60 °F and the gross standard volume.";

const MARGIN = 40;
const PAGE = { width: 595.28, height: 841.89 }; // A4, points
const CONTENT_BOTTOM = PAGE.height - 92; // room for the footer
/** A block of text up to this tall (points, about 12 lines) is moved whole rather than split across pages. */
const KEEP_WHOLE = 120;
const INK = "#1b1f24";
const MUTED = "#59636e";
const RULE = "#c9d1d9";
const BAR = "#2f6f9f";
const HEAD_FILL = "#eef2f6";
const WARN = "#9a3412";

/** The characters above U+00FF that WinAnsi, the standard fonts' encoding, holds. */
const WIN_ANSI_ABOVE_FF = "ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™";

/**
 * Text the standard fonts can draw: a character outside WinAnsi (pdfkit would draw it as
 * other characters, and lose the text after it) is written as its code point, <U+0141>, so
 * a partner's name is never shown as another; the CSV and JSON carry the name as it is.
 */
export function pdfText(text: string): string {
  let drawable = "";
  for (const char of text.normalize("NFC")) {
    const code = char.codePointAt(0)!;
    const inWinAnsi = char === "\n" || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_ABOVE_FF.includes(char);
    drawable += inWinAnsi ? char : `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
  }
  return drawable;
}

/** The statement with every text made drawable (pdfText); numbers and dates as they are. */
function drawableStrings<T>(value: T): T {
  if (typeof value === "string") return pdfText(value) as T;
  if (Array.isArray(value)) return value.map(drawableStrings) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, drawableStrings(v)])) as T;
  }
  return value;
}

interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}

/**
 * The statement as a PDF an accountant signs: header, terminal measurement with every
 * factor, the partner table, a bar chart of allocations drawn as vectors, totals,
 * adjustments, exclusions (and a partner's entries), and on every page a footer with the
 * integrity hash, the audit anchor and how to verify. Standard fonts only, and the
 * document dates are the report's creation time: the same report gives the same bytes.
 */
export async function statementPdf(statement: Statement): Promise<Buffer> {
  const s = drawableStrings(statement);
  const created = s.created_at ?? new Date(0);
  // Loaded here, not at the top: every function instance loads this module, and only an export needs pdfkit.
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `Allocation statement ${s.reconciliation_id}${s.partner_id ? ` (${s.partner_id})` : ""}`,
      Author: "FlowShare",
      Subject: `Terminal receipt ${s.terminal_receipt_id}, version ${s.version}`,
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  let y = MARGIN;
  const width = PAGE.width - 2 * MARGIN;
  // Never from the top of a page: what is taller than a page is drawn across pages, not after a blank one.
  const ensure = (height: number) => {
    if (y > MARGIN && y + height > CONTENT_BOTTOM) {
      doc.addPage();
      y = MARGIN;
    }
  };
  /**
   * A block of wrapped text: moved whole to the next page when it would run into the footer, if it
   * is short (KEEP_WHOLE); a longer one fills the page and goes on over the next ones.
   */
  const paragraph = (text: string, options: { font?: string; size?: number; color?: string; gap?: number } = {}) => {
    const font = () => doc.font(options.font ?? "Helvetica").fontSize(options.size ?? 8);
    const heightOfText = (part: string) => font().heightOfString(part, { width });
    let rest = text;
    if (heightOfText(rest) <= KEEP_WHOLE) ensure(heightOfText(rest));
    while (heightOfText(rest) > CONTENT_BOTTOM - y) {
      // The longest start of the rest that fits above the footer (a binary search on its length), cut after a space when one is near.
      let fits = 0;
      let over = rest.length;
      while (over - fits > 1) {
        const mid = Math.floor((fits + over) / 2);
        if (heightOfText(rest.slice(0, mid)) <= CONTENT_BOTTOM - y) fits = mid;
        else over = mid;
      }
      const space = rest.lastIndexOf(" ", fits);
      const cut = space > fits / 2 ? space + 1 : fits;
      if (cut > 0)
        font()
          .fillColor(options.color ?? MUTED)
          .text(rest.slice(0, cut), MARGIN, y, { width });
      rest = rest.slice(cut);
      doc.addPage();
      y = MARGIN;
    }
    const height = heightOfText(rest);
    font()
      .fillColor(options.color ?? MUTED)
      .text(rest, MARGIN, y, { width });
    y += height + (options.gap ?? 6);
  };
  const heightOf = (text: string, size: number) => doc.font("Helvetica").fontSize(size).heightOfString(text, { width });
  /** One line of muted text. */
  const note = (text: string, size = 8) => {
    ensure(14);
    doc.font("Helvetica").fontSize(size).fillColor(MUTED).text(text, MARGIN, y, { width, lineBreak: false });
    y += 14;
  };
  /** A section's heading, kept on one page with the first `keepWith` points of what follows (a table's head and first row by default). */
  const heading = (text: string, keepWith = 32) => {
    ensure(40 + Math.min(keepWith, KEEP_WHOLE));
    y += 8;
    doc.font("Helvetica-Bold").fontSize(11).fillColor(INK).text(text, MARGIN, y, { lineBreak: false });
    y += 16;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke();
    y += 5;
  };
  const table = (columns: Column[], rows: string[][], options: { boldLast?: boolean } = {}) => {
    const rowHeight = 14;
    const drawHead = () => {
      doc.rect(MARGIN, y, width, rowHeight + 2).fill(HEAD_FILL);
      let x = MARGIN;
      doc.font("Helvetica-Bold").fontSize(7.5).fillColor(INK);
      for (const c of columns) {
        doc.text(c.title, x + 3, y + 4, { width: c.width - 6, align: c.align ?? "left", lineBreak: false });
        x += c.width;
      }
      y += rowHeight + 2;
    };
    ensure(rowHeight * 2 + 4);
    drawHead();
    rows.forEach((row, i) => {
      const bold = options.boldLast && i === rows.length - 1;
      doc
        .font(bold ? "Helvetica-Bold" : "Helvetica")
        .fontSize(8)
        .fillColor(INK);
      // Text columns wrap (a long name is shown whole); figures never need to.
      const height = Math.max(rowHeight, ...row.map((cell, j) => doc.heightOfString(cell, { width: columns[j]!.width - 6 }) + 5));
      if (y + height > CONTENT_BOTTOM) {
        doc.addPage();
        y = MARGIN;
        drawHead();
        doc
          .font(bold ? "Helvetica-Bold" : "Helvetica")
          .fontSize(8)
          .fillColor(INK);
      }
      if (bold)
        doc
          .moveTo(MARGIN, y)
          .lineTo(MARGIN + width, y)
          .lineWidth(0.6)
          .strokeColor(INK)
          .stroke();
      let x = MARGIN;
      row.forEach((cell, j) => {
        const c = columns[j]!;
        doc.fillColor(INK).text(cell, x + 3, y + 3.5, { width: c.width - 6, align: c.align ?? "left" });
        x += c.width;
      });
      y += height;
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + width, y)
        .lineWidth(0.3)
        .strokeColor(RULE)
        .stroke();
    });
    y += 6;
  };
  const keyValues = (pairs: Array<[string, string]>, x: number, colWidth: number, top: number, labelWidth = colWidth * 0.55): number => {
    let yy = top;
    for (const [k, v] of pairs) {
      doc.font("Helvetica").fontSize(8).fillColor(MUTED).text(k, x, yy, { width: labelWidth, lineBreak: false });
      doc.font("Helvetica").fontSize(8).fillColor(INK);
      const valueWidth = colWidth - labelWidth;
      doc.text(v, x + labelWidth, yy, { width: valueWidth, align: "right" });
      yy += Math.max(12, doc.heightOfString(v, { width: valueWidth }) + 3);
    }
    return yy;
  };

  // Header: whose statement, beside the title, or under it when the name is too long to fit there.
  doc.font("Helvetica-Bold").fontSize(17).fillColor(INK).text("Allocation statement", MARGIN, y, { lineBreak: false });
  const titleWidth = doc.widthOfString("Allocation statement") + 16;
  const whose = s.partner_id ? `Partner statement: ${s.partner_name} (${s.partner_id})` : "Joint venture statement: all partners";
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  if (doc.widthOfString(whose) <= width - titleWidth) {
    doc.text(whose, MARGIN, y + 4, { width, align: "right", lineBreak: false });
    y += 26;
  } else {
    y += 24;
    doc.text(whose, MARGIN, y, { width });
    y += doc.heightOfString(whose, { width }) + 6;
  }
  const headerLeft: Array<[string, string]> = [
    ["Terminal", `${s.terminal_name || "-"}${s.terminal_name_sealed ? "" : ` (${TERMINAL_NAME_UNSEALED})`}`],
    ["Terminal receipt", s.terminal_receipt_id],
    ["Contract days", `${s.contract_days.first} to ${s.contract_days.last}`],
    ["Period (UTC, end exclusive)", `${formatDay(s.period_start)} to ${formatDay(s.period_end)}`],
    ["Reconciliation", s.reconciliation_id],
  ];
  const headerRight: Array<[string, string]> = [
    ["Version", String(s.version)],
    ["Supersedes", s.supersedes ?? (s.supersedes_receipt ? replacedReceiptText(s.supersedes_receipt) : "none (first version)")],
    ["Status", [s.status, s.superseded_by ? `by ${s.superseded_by}` : "", releaseStatus(s)].filter((part) => part !== "").join(", ")],
    ["Reconciled (UTC)", s.created_at ? s.created_at.toISOString().slice(0, 19).replace("T", " ") : "-"],
  ];
  const half = (width - 20) / 2;
  const end1 = keyValues(headerLeft, MARGIN, half + 45, y, 105);
  const end2 = keyValues(headerRight, MARGIN + half + 65, half - 45, y, 75);
  y = Math.max(end1, end2) + 2;
  // Two lines with the standard's full name: below them, not over them, the release.
  paragraph(`Measurement: ${s.standard}. Allocation: ${methodInWords(s.method)}.`, { size: 7.5, gap: 3 });
  const release = `Release to the partners: ${releaseLine(s)}`;
  const draft = s.release !== null && !s.release.released;
  paragraph(draft ? `DRAFT. ${release}` : release, draft ? { font: "Helvetica-Bold", size: 8.5, color: WARN } : { size: 7.5 });
  for (const warning of [s.stale ? staleText(s) : null, s.close_check_pending ? CLOSE_CHECK_PENDING_TEXT : null]) {
    if (warning) paragraph(warning, { font: "Helvetica-Bold", size: 8.5, color: WARN });
  }

  // Terminal measurement
  heading("Terminal measurement", 8 * 12 + 4);
  const ti = s.terminal_inputs;
  const t = s.terminal;
  const top = y;
  const left = keyValues(
    [
      ["Gross observed volume (bbl)", formatReadingBbl(ti.gross_volume_bbl ?? NaN)],
      ["Observed API gravity", formatReading(ti.api_gravity ?? NaN, 1)],
      ["Temperature (°F)", formatReading(ti.temperature_degF ?? NaN, 1)],
      ["Pressure (psig)", formatReading(ti.pressure_psig ?? 0, 0)],
      ["BS&W (%)", formatReading(ti.bsw_percent ?? NaN, 2)],
    ],
    MARGIN,
    half,
    top,
  );
  const right = keyValues(
    [
      ["API gravity at 60 °F", formatFixed(t.api60 ?? NaN, 1)],
      ["CTL", formatFixed(t.ctl ?? NaN, 5)],
      ["CPL", formatFixed(t.cpl ?? NaN, 5)],
      ["CTPL", formatFixed(t.ctpl ?? NaN, 5)],
      ["Meter factor", formatFixed(t.meter_factor ?? NaN, 5)],
      ["Gross standard volume (bbl)", formatBblText(t.gsv_bbl ?? NaN)],
      ["CSW", formatFixed(t.csw ?? NaN, 5)],
      ["Net standard volume (bbl)", formatBblText(t.nsv_bbl ?? NaN)],
    ],
    MARGIN + half + 20,
    half,
    top,
  );
  y = Math.max(left, right) + 4;

  // Partners
  heading(s.partner_id ? "Partner allocation" : "Partner allocations");
  const partnerColumns: Column[] = [
    { title: "Partner", width: 140 },
    { title: "Entries", width: 42, align: "right" },
    { title: "Gross bbl", width: 66, align: "right" },
    { title: "NSV bbl", width: 66, align: "right" },
    { title: "Share %", width: 56, align: "right" },
    { title: "Allocated bbl", width: 75, align: "right" },
    { title: "Shrinkage bbl", width: width - 445, align: "right" },
  ];
  const partnerRows = s.allocations.map((a) => [
    `${a.partner_name} (${a.partner_id})${a.entries === 0 ? ", no entries used" : ""}`,
    String(a.entries),
    formatBblText(a.gross_bbl),
    formatBblText(a.nsv_bbl),
    formatFixed(a.share_percent, 5),
    formatBblText(a.allocated_bbl),
    shrinkageText(formatBblText(a.shrinkage_bbl)),
  ]);
  const tot = s.totals;
  partnerRows.push([
    s.partner_id ? `JV total (${s.partner_count} partners)` : "Total",
    String(tot.entries_used),
    formatBblText(tot.field_gross_bbl),
    formatBblText(tot.field_nsv_bbl),
    // The shares as shown, summed (each is rounded to 5 decimals, so they may add to 100.00001);
    // a partner's statement shows its own share only.
    s.partner_id ? "" : formatFixed(shareTotalPercent(s.allocations), 5),
    formatBblText(tot.terminal_nsv_bbl),
    shrinkageText(formatBblText(tot.shrinkage_bbl)),
  ]);
  table(partnerColumns, partnerRows, { boldLast: true });
  // Under a partner's own line the totals are the JV's: said so, as the web statement labels them.
  const jv = s.partner_id ? "JV " : "";
  note(
    `${jv ? "JV field NSV" : "Field NSV"} ${formatBblText(tot.field_nsv_bbl)} bbl; terminal NSV ${formatBblText(tot.terminal_nsv_bbl)} bbl; ${jv}shrinkage ${shrinkageText(formatBblText(tot.shrinkage_bbl), " bbl")} = ${shrinkageText(formatFixed(tot.shrinkage_percent, 5), " %")} of ${jv}field NSV; ${jv ? `JV entries: ${tot.entries_used} used` : `${plural(tot.entries_used, "entry", "entries")} used`}, ${tot.entries_excluded} excluded.`,
    7.5,
  );
  if (s.luaf) {
    const within = s.luaf.within_band;
    paragraph(luafText(s.luaf, tot.shrinkage_percent, Boolean(s.partner_id)), {
      font: within ? "Helvetica" : "Helvetica-Bold",
      size: 7.5,
      color: within ? MUTED : WARN,
      gap: 4,
    });
  }
  // Why a zero line is zero (no production; or no report line at all: inactive, adjustments only).
  const zeroReasons = new Map<string, string[]>();
  for (const a of s.allocations) {
    if (a.reason !== undefined) zeroReasons.set(a.reason, [...(zeroReasons.get(a.reason) ?? []), `${a.partner_name} (${a.partner_id})`]);
  }
  for (const [reason, partners] of zeroReasons) {
    paragraph(`${partners.join(", ")}: zero line${partners.length === 1 ? "" : "s"} (${reason}).`, { size: 7.5, gap: 3 });
  }
  for (const a of s.allocations) {
    if (a.left_jv_on !== undefined && a.reason === undefined) {
      paragraph(`${a.partner_name} (${a.partner_id}) ${leftJvText(a.left_jv_on, s.contract_days.last)}.`, { size: 7.5, gap: 3 });
    }
  }

  // Bar chart (vector rectangles)
  const barCount = s.partner_id ? s.allocations.length + 1 : s.allocations.length;
  heading(s.partner_id ? "Allocation against the terminal NSV" : "Allocated volume by partner", Math.min(barCount, 3) * 17);
  const bars = s.partner_id
    ? [
        ...s.allocations.map((a) => ({ label: a.partner_name, value: a.allocated_bbl })),
        { label: "Terminal NSV (all partners)", value: tot.terminal_nsv_bbl },
      ]
    : s.allocations.map((a) => ({ label: a.partner_name, value: a.allocated_bbl }));
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = 150;
  const barSpace = width - labelWidth - 80;
  for (const bar of bars) {
    ensure(17);
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(INK)
      .text(bar.label, MARGIN, y + 3, { width: labelWidth - 8, height: 10, ellipsis: true });
    doc.rect(MARGIN + labelWidth, y, barSpace, 12).fill("#f3f5f7");
    doc.rect(MARGIN + labelWidth, y, Math.max(0.5, (bar.value / max) * barSpace), 12).fill(BAR);
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(INK)
      .text(`${formatBblText(bar.value)} bbl`, MARGIN + labelWidth + barSpace + 4, y + 3, { width: 76, align: "right", lineBreak: false });
    y += 17;
  }
  y += 4;

  // Changes from the version this one replaces, then the adjustments this statement carries: a
  // change is raised as a pending adjustment for a later period, never part of this net position.
  const changes = s.adjustments.filter((a) => a.kind !== "prior-period adjustment");
  const carried = s.adjustments.filter((a) => a.kind === "prior-period adjustment");
  if (s.supersedes || s.supersedes_receipt) {
    // Against another version when the partners are not settled on the one replaced (the intro says why).
    const intro = changesIntro(s, changes.length > 0);
    heading(s.changes_against ? `Changes from ${s.changes_against}` : "Changes from the version replaced", heightOf(intro, 8));
    paragraph(intro);
    if (changes.length > 0) {
      table(
        [
          { title: "Partner", width: 200 },
          { title: "Before bbl", width: 100, align: "right" },
          { title: "After bbl", width: 100, align: "right" },
          { title: "Change bbl", width: width - 400, align: "right" },
        ],
        changes.map((a) => [
          a.partner_name,
          a.allocated_bbl_before === undefined ? "" : formatBblText(a.allocated_bbl_before),
          a.allocated_bbl_after === undefined ? "" : formatBblText(a.allocated_bbl_after),
          signedBblText(a.delta_bbl),
        ]),
      );
    }
    const why = correctionsIntro(s);
    if (why) {
      ensure(48);
      paragraph(why);
      if (s.corrections.length > 0) {
        table(
          [
            { title: "Entry", width: 140 },
            { title: "Partner", width: 80 },
            { title: "Who, when and why", width: width - 220 },
          ],
          s.corrections.map((c) => [c.entry_id, c.partner_id, correctionLine(c)]),
        );
      }
    }
  }
  heading("Prior-period adjustments carried");
  if (carried.length === 0) {
    paragraph("None: no approved adjustment of an earlier period was carried by this report.");
  } else {
    table(
      [
        { title: "Adjustment (from report)", width: 150 },
        { title: "Period of origin", width: 105 },
        { title: "Approval", width: 135 },
        { title: "Partner", width: 70 },
        { title: "Change bbl", width: width - 460, align: "right" },
      ],
      carried.map((a) => [
        a.reference,
        a.origin ? originPeriodText(a.origin) : "not on record",
        a.origin ? approvalText(a.origin) : "not on record",
        a.partner_name,
        signedBblText(a.delta_bbl),
      ]),
    );
    paragraph(
      "Period of origin and approval as the adjustment's document records them, where that approval is the coordinator's decision in the audit log; a row without them says so.",
      { size: 7.5 },
    );
  }

  // Net positions: only when adjustments move a partner's position off its allocation.
  if (s.net_positions.some((n) => n.adjustments_bbl !== 0)) {
    heading("Net positions (allocation plus prior-period adjustments)");
    table(
      [
        { title: "Partner", width: 200 },
        { title: "Allocated bbl", width: 100, align: "right" },
        { title: "Adjustments bbl", width: 100, align: "right" },
        { title: "Net bbl", width: width - 400, align: "right" },
      ],
      s.net_positions.map((n) => [
        `${n.partner_name} (${n.partner_id})`,
        formatBblText(n.allocated_bbl),
        signedBblText(n.adjustments_bbl),
        formatBblText(n.net_bbl),
      ]),
    );
  }

  // Exclusions
  heading(`Excluded entries (${s.partner_id ? `${s.excluded.length} of this partner, ` : ""}${tot.entries_excluded} in the period)`);
  if (s.excluded.length === 0) {
    note("None.");
  } else {
    const listedExcluded = s.excluded.slice(0, PDF_MAX_ENTRIES);
    table(
      [
        { title: "Entry", width: 150 },
        { title: "Partner", width: 110 },
        { title: "Reason", width: width - 260 },
      ],
      listedExcluded.map((e) => [e.entry_id, e.partner_id, e.reason]),
    );
    if (s.excluded.length > listedExcluded.length) {
      const more = s.excluded.length - listedExcluded.length;
      note(`${plural(more, "more excluded entry is", "more excluded entries are")} in the CSV and JSON exports.`);
    }
  }

  // A partner's own entries with their measured inputs
  if (s.partner_id) {
    heading(`Entries used (${s.entries.length})`);
    const listed = s.entries.slice(0, PDF_MAX_ENTRIES);
    const labelled = listed.some((e) => s.entry_labels?.[e.entry_id] !== undefined);
    table(
      [
        { title: labelled ? "Day · meter, entry id" : "Entry", width: 122 },
        { title: "Gross bbl", width: 50, align: "right" },
        { title: "API", width: 31, align: "right" },
        { title: "°F", width: 31, align: "right" },
        { title: "psig", width: 31, align: "right" },
        { title: "BS&W %", width: 38, align: "right" },
        { title: "Meter f.", width: 40, align: "right" },
        // Two lines, CTL above CPL: a row is two lines tall already (day and meter above the entry id).
        { title: "CTL/CPL", width: 38, align: "right" },
        { title: "CTPL", width: 36, align: "right" },
        { title: "CSW", width: 36, align: "right" },
        { title: "NSV bbl", width: width - 453, align: "right" },
      ],
      listed
        .map((e) => {
          const m = e as unknown as Partial<Record<string, number>>;
          const num = (v: number | undefined, d: number) => (v === undefined ? "" : formatReading(v, d));
          const f = entryFactors(e);
          const factor = (v: number | undefined) => (v === undefined ? "" : formatFixed(v, 5));
          const label = s.entry_labels?.[e.entry_id];
          return [
            label ? `${label}\n${e.entry_id}` : e.entry_id,
            m.gross_volume_bbl === undefined ? "" : formatReadingBbl(m.gross_volume_bbl),
            num(m.api_gravity, 1),
            num(m.temperature_degF, 1),
            num(m.pressure_psig, 0),
            num(m.bsw_percent, 2),
            num(m.meter_factor, 5),
            `${factor(f?.ctl)}\n${factor(f?.cpl)}`,
            factor(f?.ctpl),
            factor(f?.csw),
            formatBblText(e.nsv_bbl),
          ];
        })
        .concat(
          s.allocations.map((a) => [
            `Total (${plural(a.entries, "entry", "entries")})`,
            formatBblText(a.gross_bbl),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            formatBblText(a.nsv_bbl),
          ]),
        ),
      { boldLast: true },
    );
    if (s.entries.length > listed.length) {
      note(`${s.entries.length - listed.length} more entries are in the CSV and JSON exports.`);
    }
    if (labelled) paragraph(ENTRY_LABELS_NOTE);
    if (listed.some((e) => entryFactors(e) !== undefined)) paragraph(ENTRY_FACTORS_NOTE);
    // A reading shown whole (more than two decimals) is not what the total adds up.
    const finer = s.entries.some((e) => {
      const gross = (e as unknown as Partial<Record<string, number>>).gross_volume_bbl;
      return gross !== undefined && Number(gross.toFixed(2)) !== gross;
    });
    if (finer) paragraph(GROSS_TOTAL_NOTE);
  }

  // Footer on every page. Ids may be 64 characters: each value wraps within the footer, the rows
  // flowing down, and the page's bottom margin is lifted meanwhile, lest pdfkit start a new page.
  const range = doc.bufferedPageRange();
  const valueX = MARGIN + 70;
  const valueWidth = MARGIN + width - valueX;
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = PAGE.height - 82;
    doc
      .moveTo(MARGIN, fy)
      .lineTo(MARGIN + width, fy)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke();
    let y = fy + 6;
    const row = (label: string, value: string) => {
      if (label) doc.font("Helvetica-Bold").fontSize(7).fillColor(INK).text(label, MARGIN, y, { lineBreak: false });
      doc.font("Courier").fontSize(7).fillColor(INK).text(value, valueX, y, { width: valueWidth });
      y += doc.heightOfString(value, { width: valueWidth }) + 2;
    };
    doc
      .font("Helvetica")
      .fontSize(7)
      .fillColor(MUTED)
      .text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width, align: "right", lineBreak: false });
    row("Integrity hash", `${s.integrity_hash} (${s.hash_scheme})`);
    row("Audit anchor", s.anchor ? `${s.anchor.event_id}, stream ${s.anchor.stream} #${s.anchor.seq}` : "none found");
    if (s.anchor) row("", `event hash ${s.anchor.hash}`);
    const verify = `Verify: ask FlowShare's verifyReconciliation for ${s.reconciliation_id}, or export the JSON bundle and run ${VERIFY_COMMAND} --expect-hash <integrity hash> --expect-anchor "<audit anchor>" --expect-anchor-hash <event hash> offline.`;
    doc
      .font("Helvetica")
      .fontSize(7)
      .fillColor(MUTED)
      .text(verify, MARGIN, y + 3, { width });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return finished;
}
