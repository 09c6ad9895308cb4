// The report against its terminal receipt: the inputs it used against the receipt as it is now, the
// terminal measurement recomputed from them, and the days its period closed.

import { ALLOCATION_METHOD } from "./allocation";
import { periodContractDays } from "./jv-settings";
import { measureFields } from "./measured-fields";
import { type ReceiptMeasuredFields } from "./report-hash";
import { periodDays } from "./terminal-receipt";
import { UNCHECKED } from "./unchecked-in-words";
import { attempt, receiptFields, record, type SectionCheck } from "./verification-context";

export const checkReceipt: SectionCheck = (ctx) => {
  const receipt = ctx.evidence.receipt;
  if (!receipt) {
    ctx.fail("receipt", `terminal receipt ${String(ctx.report.terminal_receipt_id)} is missing`);
    return;
  }
  const now = receiptFields(receipt);
  const used = receiptFields(record(ctx.report.terminal_inputs));
  for (const key of Object.keys(now) as Array<keyof ReceiptMeasuredFields>) {
    ctx.check(`receipt.${key}`, used[key], now[key], "the report's terminal_inputs against the receipt document as it is now");
  }
  ctx.check("period_start", ctx.report.period_start, receipt.period_start);
  ctx.check("period_end", ctx.report.period_end, receipt.period_end);
  if (ctx.report.terminal_name !== undefined) {
    const name = typeof receipt.terminal_name === "string" ? receipt.terminal_name : null;
    ctx.check(
      "receipt.terminal_name",
      ctx.report.terminal_name,
      name,
      "the report's terminal_name against the receipt document as it is now",
    );
  } else {
    ctx.skip(
      "receipt.terminal_name: the report predates recording the terminal's name; a statement prints the receipt's as it is now",
      UNCHECKED.terminalName,
    );
  }
};

export const checkTerminal: SectionCheck = (ctx) => {
  const stored = record(ctx.report.terminal);
  const measured = attempt(ctx, "terminal", () => measureFields(receiptFields(record(ctx.report.terminal_inputs))));
  if (!measured) return;
  const recomputed: Record<string, number> = {
    gross_volume_bbl: measured.grossVolumeBbl,
    api60: measured.api60,
    ctl: measured.ctl,
    cpl: measured.cpl,
    ctpl: measured.ctpl,
    csw: measured.csw,
    meter_factor: measured.meterFactor,
    gsv_bbl: measured.gsvBbl,
    nsv_bbl: measured.nsvBbl,
  };
  for (const [field, value] of Object.entries(recomputed)) ctx.check(`terminal.${field}`, stored[field], value);
  const extra = Object.keys(stored).filter((k) => !(k in recomputed));
  if (extra.length > 0) ctx.fail("terminal", `fields no measurement produces: ${extra.join(", ")}`);
};

export const checkPeriod: SectionCheck = (ctx) => {
  const start = ctx.report.period_start;
  const end = ctx.report.period_end;
  if (!(start instanceof Date) || !(end instanceof Date)) {
    ctx.fail("closed_days", "period_start and period_end must be dates");
    return;
  }
  // Contract days under the settings the report was made with; UTC calendar days before settings existed.
  const settings = record(ctx.report.settings);
  const days = attempt(ctx, "closed_days", () =>
    ctx.report.settings === undefined
      ? periodDays(start, end)
      : periodContractDays(start, end, settings as unknown as Parameters<typeof periodContractDays>[2]),
  );
  if (days) ctx.check("closed_days", ctx.report.closed_days, days);
  ctx.check("method", ctx.report.method, ALLOCATION_METHOD);
};
