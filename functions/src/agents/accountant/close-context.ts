/** What a close reads besides the entries: the current version, the receipt replaced, the adjustments carried, their digest. */
import { type DocumentData, type Firestore } from "firebase-admin/firestore";
import { dayField } from "../../domain/partner-membership";
import { sha256Hex } from "../../domain/report-hash";
import { type TerminalReceipt } from "../../domain/terminal-receipt";
import { canonicalJson } from "../../domain/canonical-json";
import { type JvSettings, settingsUsed, type SettingsUsed } from "../../domain/jv-settings";
import { type CarriedAdjustment, type PartnerInfo } from "../../domain/period-close";
import { COLLECTIONS } from "../../shared/collections";
import { correctionsAwaitingAudit } from "./corrections-awaiting-audit";
import { terminalInputs } from "./receipt-checks";
import {
  replacementsOf,
  type ReplacedReceipt,
  replacedReceipt,
  refuseReplacedReceipt,
  refuseReplacedBeforeReconciled,
} from "./receipt-replacements";
import { carriableAdjustments } from "./carried-adjustments";
import { type ReconcileResult } from "./reconcile-result";

/** A completed version with no stale mark (nor, made by older code, a pending post-close check): the only kind an unchanged call may return. */
function isFresh(version: DocumentData | undefined): version is DocumentData {
  return version !== undefined && version.status === "completed" && version.stale !== true && version.close_check_pending !== true;
}

export interface CloseContext {
  latest: DocumentData | undefined;
  /** The latest version is fresh and no correction on its days awaits its audit: it may be returned unscanned. */
  current: boolean;
  replaced: ReplacedReceipt | undefined;
  /** The versions whose carried adjustments this one may carry again (it replaces them). */
  inheritFrom: string[];
  carriable: { adjustments: CarriedAdjustment[]; released: string[]; documentsRead: number };
  context: string;
  cost: ReconcileResult["cost"];
}

/**
 * The receipt's current version, the receipt it supersedes and the adjustments it may carry,
 * and the digest of everything but the entries. `onLatest` hears when the current version is
 * not fresh, so that the caller can start scanning at once.
 */
export async function readCloseContext(
  db: Firestore,
  input: {
    receiptId: string;
    receipt: TerminalReceipt;
    settings: JvSettings;
    partners: PartnerInfo[];
    latestId: string | undefined;
    onLatest: () => void;
  },
): Promise<CloseContext> {
  const { receiptId, receipt, settings, partners, latestId } = input;
  // The adjustments' queries need the replaced receipt's version (when there is one), not ours.
  const carriedBy = replacedReceipt(db, receipt.supersedes_receipt_id, receiptId).then(async (replaced) => {
    const inheritFrom = [latestId, replaced?.reconciliationId].filter((id): id is string => typeof id === "string");
    // Only an open period takes up adjustments not carried yet: a receipt's first reconciliation
    // that replaces no reconciled receipt. A re-run, or a receipt replacing a reconciled one,
    // restates a closed period and carries again only what the versions it replaces carried.
    const open = inheritFrom.length === 0;
    return { replaced, inheritFrom, carriable: await carriableAdjustments(db, receiptId, receipt.period_start, inheritFrom, open) };
  });
  const [{ version: latest, current, reads: correctionReads }, { replaced, inheritFrom, carriable }, replacements] = await Promise.all([
    latestVersion(db, latestId).then(async (version) => {
      refuseReplacedReceipt(receiptId, latestId, version);
      // A fresh version is returned as it is, unless a correction on its days still awaits the audit that will mark it stale.
      // One page: more corrections since the version than it holds send the call to read the period.
      const awaiting = isFresh(version) ? await correctionsAwaitingAudit(db, version, 1) : undefined;
      const current = awaiting !== undefined && awaiting.complete && awaiting.ids.length === 0;
      if (!current) input.onLatest();
      return { version, current, reads: awaiting?.reads ?? 0 };
    }),
    carriedBy,
    replacementsOf(db, receiptId).get(),
  ]);
  refuseReplacedBeforeReconciled(receiptId, replacements);
  const context = contextDigest(receipt, settingsUsed(settings), partners, carriable.adjustments);
  const cost = {
    documents_read:
      2 +
      partners.length +
      (latest ? 1 : 0) +
      correctionReads +
      (replaced ? replaced.documentsRead : 0) +
      carriable.documentsRead +
      replacements.size,
    documents_written: 0,
  };
  return { latest, current, replaced, inheritFrom, carriable, context, cost };
}

export async function readPartners(db: Firestore): Promise<PartnerInfo[]> {
  const snap = await db.collection(COLLECTIONS.partners).select("name", "active", "joined_jv_on", "left_jv_on").get();
  return snap.docs
    .map((d): PartnerInfo => {
      // A day field that is no "YYYY-MM-DD" is none, as setPartner and setJvSettings read it.
      const joined = dayField(d.get("joined_jv_on"));
      const active = d.get("active") === true;
      const left = active ? null : dayField(d.get("left_jv_on"));
      return {
        partner_id: d.id,
        name: typeof d.get("name") === "string" ? String(d.get("name")) : d.id,
        active,
        ...(joined !== null ? { joined_jv_on: joined } : {}),
        ...(left !== null ? { left_jv_on: left } : {}),
      };
    })
    .sort((a, b) => (a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0));
}

function contextDigest(
  receipt: TerminalReceipt,
  settings: SettingsUsed,
  partners: readonly PartnerInfo[],
  carried: readonly CarriedAdjustment[],
): string {
  return sha256Hex(
    canonicalJson({
      receipt: {
        period_start: receipt.period_start.toISOString(),
        period_end: receipt.period_end.toISOString(),
        ...terminalInputs(receipt),
        supersedes_receipt_id: receipt.supersedes_receipt_id,
      },
      settings,
      partners,
      carried,
    }),
  );
}

async function latestVersion(db: Firestore, latestId: string | null | undefined): Promise<DocumentData | undefined> {
  if (!latestId) return undefined;
  const snap = await db.doc(`${COLLECTIONS.reconciliations}/${latestId}`).get();
  return snap.exists ? snap.data() : undefined;
}
