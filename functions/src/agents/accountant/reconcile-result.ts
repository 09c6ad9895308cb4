/** The reconcile callable's answer. */
import { type DocumentData } from "firebase-admin/firestore";
import { type ReconciliationFigures } from "../../domain/reconciliation-report";
import { isReleased } from "../../domain/release";
import { reconciliationId } from "./version-ids";

export interface ReconcileResult {
  reconciliation_id: string;
  version: number;
  /** True when the report's content had not changed and the existing version was returned. */
  unchanged: boolean;
  totals: ReconciliationFigures["totals"];
  allocations: ReconciliationFigures["allocations"];
  /** Set when the new version was made stale by a change accepted during the close. */
  stale?: boolean;
  /** False while the version waits for its release to the partners (settings/jv `release_approval_required`). */
  released: boolean;
  /** Documents this call read and wrote — for the benchmark and the curious. */
  cost: { documents_read: number; documents_written: number };
}

/** The caller's answer: a version that is stale says so, also when it is answered as unchanged. */
export function resultOf(report: DocumentData, unchanged: boolean, cost: ReconcileResult["cost"]): ReconcileResult {
  return {
    cost,
    reconciliation_id: reconciliationId(String(report.terminal_receipt_id), Number(report.version)),
    version: Number(report.version),
    unchanged,
    totals: report.totals,
    allocations: report.allocations,
    released: isReleased(report),
    ...(report.stale === true ? { stale: true } : {}),
  };
}
