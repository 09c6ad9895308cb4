// The statement as one RFC 4180 CSV file: CRLF line ends, fields quoted when they hold a
// comma, a quote, CR or LF (quotes doubled). A header block, then one table per section,
// each introduced by a line naming it and separated by an empty line. Numbers are written
// as plain numbers (no thousands separators, no exponent) so a spreadsheet reads them as
// numbers: volumes to 0.01 bbl, factors and percentages to 5 decimals, readings as measured.
// Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR, also
// after leading white space, which spreadsheets skip, and the fullwidth ＝ ＋ － ＠ that some
// locales take for them) are prefixed with an apostrophe (OWASP's CSV injection guidance). Only
// text is guarded: a negative number stays a number.

import { ALLOCATION_FIELDS } from "./allocation-verification";
import {
  entryFactors,
  formatDay,
  fixedNumber,
  plainNumber,
  luafText,
  replacedReceiptText,
  replacementReasonText,
  staleText,
  CLOSE_CHECK_PENDING_TEXT,
  correctionsIntro,
  releaseLine,
  type Statement,
  TERMINAL_NAME_UNSEALED,
} from "./statement";

/** A number written with exactly `decimals` places. */
interface Fixed {
  fixed: number;
  decimals: number;
}
type Cell = string | number | Fixed | null;

const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** A volume in bbl, to 0.01. */
const bbl = (value: number | undefined): Cell => (value === undefined ? null : { fixed: value, decimals: 2 });
/** A correction factor or a percentage, to 5 decimals. */
const five = (value: number | undefined): Cell => (value === undefined ? null : { fixed: value, decimals: 5 });

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`a CSV number must be finite, got ${value}`);
  return value;
}

export function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "object") return fixedNumber(finite(value.fixed), value.decimals);
  // A reading as measured: every decimal it has, never in exponent form (1e-7).
  if (typeof value === "number") return plainNumber(finite(value));
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function lines(rows: Cell[][]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n");
}

export function statementCsv(s: Statement): string {
  const header: Cell[][] = [
    ["FlowShare allocation statement"],
    ["statement", s.partner_id ? `partner ${s.partner_id}` : "joint venture (all partners)"],
    ...(s.partner_name ? [["partner_name", s.partner_name] as Cell[]] : []),
    ["reconciliation_id", s.reconciliation_id],
    ["terminal_receipt_id", s.terminal_receipt_id],
    ["terminal_name", s.terminal_name],
    ["terminal_name_sealed", s.terminal_name_sealed ? "yes" : `no, ${TERMINAL_NAME_UNSEALED}`],
    ["period_start", formatDay(s.period_start)],
    ["period_end", formatDay(s.period_end)],
    ["first_contract_day", s.contract_days.first],
    ["last_contract_day", s.contract_days.last],
    ["version", s.version],
    ["supersedes", s.supersedes],
    ["supersedes_receipt", s.supersedes_receipt ? replacedReceiptText(s.supersedes_receipt) : null],
    ["supersedes_receipt_reason", s.supersedes_receipt ? (replacementReasonText(s.supersedes_receipt) ?? null) : null],
    ["status", s.status],
    ["superseded_by", s.superseded_by],
    ["stale", s.stale ? staleText(s) : "no"],
    ["close_check", s.close_check_pending ? CLOSE_CHECK_PENDING_TEXT : "done"],
    ["why_this_version", correctionsIntro(s) ?? null],
    ["release", releaseLine(s)],
    ["luaf_tolerance_percent", s.luaf?.tolerance_percent ?? null],
    ["luaf", s.luaf ? luafText(s.luaf, s.totals.shrinkage_percent, Boolean(s.partner_id)) : null],
    ["standard", s.standard],
    ["method", s.method],
    ["hash_scheme", s.hash_scheme],
    ["integrity_hash", s.integrity_hash],
    ["audit_anchor", s.anchor ? `${s.anchor.event_id} (stream ${s.anchor.stream}, seq ${s.anchor.seq}, hash ${s.anchor.hash})` : null],
  ];
  const terminalFields = ["gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity", "pressure_psig", "meter_factor"];
  const factorFields = ["api60", "ctl", "cpl", "ctpl", "csw", "meter_factor", "gsv_bbl", "nsv_bbl"];
  const FIVE_PLACES = new Set(["ctl", "cpl", "ctpl", "csw", "meter_factor"]);
  const sections: Array<[string, Cell[][]]> = [
    ["terminal inputs", [["field", "value"], ...terminalFields.map((f) => [f, s.terminal_inputs[f] ?? null])]],
    [
      "terminal measurement",
      [
        ["factor", "value"],
        ...factorFields.map((f) => [
          f,
          f.endsWith("_bbl") ? bbl(s.terminal[f]) : FIVE_PLACES.has(f) ? five(s.terminal[f]) : (s.terminal[f] ?? null),
        ]),
      ],
    ],
    [
      "allocations",
      [
        [...ALLOCATION_FIELDS, "reason", "left_jv_on"],
        ...s.allocations.map((a) => [
          a.partner_id,
          a.partner_name,
          a.entries,
          bbl(a.gross_bbl),
          bbl(a.nsv_bbl),
          five(a.share_percent),
          bbl(a.allocated_bbl),
          bbl(a.shrinkage_bbl),
          a.reason ?? null,
          a.left_jv_on ?? null,
        ]),
      ],
    ],
    [
      "totals",
      [
        ["total", "value"],
        ...(Object.entries(s.totals) as Array<[string, number]>).map(([k, v]) => [
          k,
          k.endsWith("_bbl") ? bbl(v) : k.endsWith("_percent") ? five(v) : v,
        ]),
      ],
    ],
    [
      "entries",
      [
        [
          "entry_id",
          "partner_id",
          "gross_volume_bbl",
          "bsw_percent",
          "temperature_degF",
          "api_gravity",
          "pressure_psig",
          "meter_factor",
          "api60",
          "ctl",
          "cpl",
          "ctpl",
          "gsv_bbl",
          "csw",
          "nsv_bbl",
        ],
        ...s.entries.map((e) => {
          const m = e as unknown as Partial<Record<string, number>>;
          const f = entryFactors(e);
          return [
            e.entry_id,
            e.partner_id,
            m.gross_volume_bbl ?? null,
            m.bsw_percent ?? null,
            m.temperature_degF ?? null,
            m.api_gravity ?? null,
            m.pressure_psig ?? null,
            m.meter_factor ?? null,
            f?.api60 ?? null,
            five(f?.ctl),
            five(f?.cpl),
            five(f?.ctpl),
            bbl(f?.gsv_bbl),
            five(f?.csw),
            bbl(e.nsv_bbl),
          ];
        }),
      ],
    ],
    [
      "adjustments",
      [
        [
          "kind",
          "reference",
          "partner_id",
          "partner_name",
          "allocated_bbl_before",
          "allocated_bbl_after",
          "delta_bbl",
          "origin_receipt",
          "origin_period_start",
          "origin_period_end",
          "origin_first_contract_day",
          "origin_last_contract_day",
          "approved_by",
          "approved_at",
          "approval_note",
        ],
        ...s.adjustments.map((a) => [
          a.kind,
          a.reference,
          a.partner_id,
          a.partner_name,
          bbl(a.allocated_bbl_before),
          bbl(a.allocated_bbl_after),
          bbl(a.delta_bbl),
          a.origin?.terminal_receipt_id ?? null,
          a.origin?.period_start ? formatDay(a.origin.period_start) : null,
          a.origin?.period_end ? formatDay(a.origin.period_end) : null,
          a.origin?.contract_days?.first ?? null,
          a.origin?.contract_days?.last ?? null,
          a.origin?.decided_by ?? null,
          a.origin?.decided_at ? a.origin.decided_at.toISOString() : null,
          a.origin?.note ?? null,
        ]),
      ],
    ],
    [
      "net positions",
      [
        ["partner_id", "partner_name", "allocated_bbl", "adjustments_bbl", "net_bbl"],
        ...s.net_positions.map((n) => [n.partner_id, n.partner_name, bbl(n.allocated_bbl), bbl(n.adjustments_bbl), bbl(n.net_bbl)]),
      ],
    ],
    ["excluded entries", [["entry_id", "partner_id", "reason"], ...s.excluded.map((e) => [e.entry_id, e.partner_id, e.reason])]],
    [
      "corrections behind this version",
      [
        ["entry_id", "partner_id", "kind", "by", "at", "note"],
        ...s.corrections.map((c) => [c.entry_id, c.partner_id, c.kind, c.by, c.at ? c.at.toISOString() : null, c.note ?? null]),
      ],
    ],
  ];
  const body = sections.map(([title, rows]) => lines([[`# ${title}`], ...rows]));
  return `${[lines(header), ...body].join("\r\n\r\n")}\r\n`;
}
