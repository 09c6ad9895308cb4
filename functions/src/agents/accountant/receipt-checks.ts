/** What reconcile checks of a terminal receipt itself: valid, not withdrawn, whole contract days, measurable, inside the bands. */
import { HttpsError } from "firebase-functions/v2/https";
import { type DocumentData, type DocumentSnapshot } from "firebase-admin/firestore";
import { type NetStandardVolume } from "../../domain/mpms";
import { measureFields } from "../../domain/measured-fields";
import { terminalReceiptSchema, type TerminalReceipt } from "../../domain/terminal-receipt";
import { measurementBandReasons } from "../../domain/audit-rules";
import { contractDayOf, contractDayStart, isContractDayBoundary, type JvSettings } from "../../domain/jv-settings";
import { utcMinute } from "../../domain/utc-minute";

/** Receipt periods are whole contract days: closed days then tile time exactly. */
export function requireWholeContractDays(receiptId: string, receipt: TerminalReceipt, settings: JvSettings): void {
  for (const [field, words, at] of [
    ["period_start", "starts", receipt.period_start],
    ["period_end", "ends", receipt.period_end],
  ] as const) {
    if (isContractDayBoundary(at, settings)) continue;
    const day = contractDayOf(at, settings);
    throw new HttpsError(
      "failed-precondition",
      `The period of terminal receipt ${receiptId} ${words} at ${utcMinute(at)}, inside contract day ${day}; a receipt period must start and end where a contract day starts ` +
        `(${String(settings.contract_day_start_hour).padStart(2, "0")}:00 at UTC${settings.utc_offset_minutes >= 0 ? "+" : "-"}${Math.abs(settings.utc_offset_minutes)} min, e.g. ${utcMinute(contractDayStart(day, settings))}).`,
      { field, contract_day: day },
    );
  }
}

/** The auditor's bands on the receipt's measured fields: a critical finding refuses the receipt. */
export function examineReceipt(receiptId: string, receipt: TerminalReceipt): void {
  const critical = measurementBandReasons(receipt).filter((r) => r.severity === "critical");
  if (critical.length === 0) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} is outside the measurement bands: ${critical.map((r) => r.message).join(" ")}`,
    { reasons: critical.map((r) => ({ code: r.code, field: r.field })) },
  );
}

/** The receipt's measured fields, as the report shows them and the context digest covers them. */
export function terminalInputs(receipt: TerminalReceipt) {
  const { gross_volume_bbl, bsw_percent, temperature_degF, api_gravity, pressure_psig, meter_factor } = receipt;
  return { gross_volume_bbl, bsw_percent, temperature_degF, api_gravity, pressure_psig, meter_factor };
}

/** A withdrawn receipt was never a ticket of the period: nothing can be its correction. */
export function refuseWithdrawnReplaced(receiptId: string, replaced: DocumentSnapshot): void {
  if (replaced.get("withdrawn") !== true) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} replaces receipt ${replaced.id}, which was withdrawn as entered by mistake: it replaces nothing. Enter it again as a receipt of its own period, without "Replaces receipt".`,
    { withdrawn_receipt_id: replaced.id },
  );
}

/** A receipt withdrawn as entered by mistake (withdrawReceipt) is never reconciled. */
export function refuseWithdrawn(receiptId: string, snap: DocumentSnapshot): void {
  if (snap.get("withdrawn") !== true) return;
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} was withdrawn (${String(snap.get("withdrawal_note"))}): it is not reconciled. Enter the ticket again as a new receipt.`,
    { withdrawn_by: snap.get("withdrawn_by") ?? null },
  );
}

export function parseReceipt(receiptId: string, data: DocumentData): TerminalReceipt {
  const parsed = terminalReceiptSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  throw new HttpsError(
    "failed-precondition",
    `Terminal receipt ${receiptId} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    { issues },
  );
}

export function measureTerminal(receiptId: string, receipt: TerminalReceipt): NetStandardVolume {
  try {
    return measureFields(receipt);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new HttpsError("failed-precondition", `Terminal receipt ${receiptId} cannot be measured: ${error.message}`);
  }
}
