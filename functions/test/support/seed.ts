/** Seeding helpers for emulator tests: partners, users, audited entries, receipts. */
import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import { RULES_VERSION } from "../../src/domain/audit-config";
import { auditInputHash } from "../../src/domain/production-entry";
import { CLOSE_HORIZON_PATH, laterDay, readHorizon, writeHorizon } from "../../src/shared/close-horizon";
import { sampleReport } from "./sample-report";

export interface EntrySeed {
  id: string;
  partner_id: string;
  measured_at: Date;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  meter_factor?: number;
  meter_id?: string;
  /** Omit for an entry still pending audit. */
  status?: "validated" | "flagged" | "rejected";
  review?: "approved" | "rejected";
}

export async function seedPartner(db: Firestore, id: string, name = id, active = true): Promise<void> {
  await db.doc(`partners/${id}`).set({ name, active });
}

/** The measured fields of an entry as the web app writes them. */
export function entryFields(seed: EntrySeed): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    partner_id: seed.partner_id,
    measured_at: Timestamp.fromDate(seed.measured_at),
    gross_volume_bbl: seed.gross_volume_bbl,
    bsw_percent: seed.bsw_percent,
    temperature_degF: seed.temperature_degF,
    api_gravity: seed.api_gravity,
    created_by: "seed",
    created_at: Timestamp.now(),
  };
  if (seed.pressure_psig !== undefined) fields.pressure_psig = seed.pressure_psig;
  if (seed.meter_factor !== undefined) fields.meter_factor = seed.meter_factor;
  if (seed.meter_id !== undefined) fields.meter_id = seed.meter_id;
  return fields;
}

/**
 * An entry as it stands after the auditor (and maybe a coordinator) handled it. Its
 * `audit.input_hash` matches its fields, so the auditor trigger leaves it alone.
 */
export function auditedEntry(seed: EntrySeed): Record<string, unknown> {
  const doc = entryFields(seed);
  if (seed.status) {
    doc.audit = {
      status: seed.status,
      reasons:
        seed.status === "validated"
          ? []
          : [
              {
                code: seed.status === "rejected" ? "BSW_ABOVE_LIMIT" : "GROSS_VOLUME_OUTLIER",
                field: "bsw_percent",
                severity: seed.status === "rejected" ? "critical" : "warning",
                message: "seeded",
              },
            ],
      stats: null,
      explanation: { text: "seeded", source: "rules" },
      input_hash: auditInputHash(doc),
      rules_version: RULES_VERSION,
      // As the auditor writes it, under the default settings (00:00 UTC days).
      contract_day: seed.measured_at.toISOString().slice(0, 10),
      checked_at: Timestamp.now(),
      history_eligible: seed.status === "validated" || seed.review === "approved",
      awaiting_review: seed.status === "flagged" && seed.review === undefined,
    };
  }
  if (seed.review) doc.review = { decision: seed.review, by: "seed-coordinator", at: Timestamp.now(), note: "seeded review" };
  return doc;
}

export async function seedEntries(db: Firestore, seeds: readonly EntrySeed[]): Promise<void> {
  for (let i = 0; i < seeds.length; i += 400) {
    const batch = db.batch();
    for (const seed of seeds.slice(i, i + 400)) batch.set(db.doc(`production_entries/${seed.id}`), auditedEntry(seed));
    await batch.commit();
  }
}

export interface ReceiptSeed {
  id: string;
  period_start: Date;
  period_end: Date;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig?: number;
  supersedes_receipt_id?: string;
  /** Why a corrected ticket replaces the receipt (the rules require it of clients with supersedes_receipt_id). */
  correction_note?: string;
}

export async function seedReceipt(db: Firestore, seed: ReceiptSeed): Promise<void> {
  const { id, period_start, period_end, ...measured } = seed;
  await db.doc(`terminal_receipts/${id}`).set({
    ...measured,
    period_start: Timestamp.fromDate(period_start),
    period_end: Timestamp.fromDate(period_end),
    terminal_name: "Test terminal",
    created_by: "seed-coordinator",
    created_at: Timestamp.now(),
  });
}

let nextPeriodStart = Date.UTC(2001, 0, 1);

/**
 * A period of `days` UTC days that no other test of this run uses (periods are handed out
 * one after another from 2001, after the 2000-01-01 floor on measured_at), so the period
 * query of one test never sees another's entries.
 */
export function isolatedPeriod(days: number): { start: Date; end: Date } {
  const start = nextPeriodStart;
  nextPeriodStart += (days + 1) * 86_400_000;
  return { start: new Date(start), end: new Date(start + days * 86_400_000) };
}

/** A sound, validated entry of 1,000 bbl (or `gross`) at `at`: the close tests' usual input. */
export function soundEntry(id: string, partner: string, at: Date, gross = 1000): EntrySeed {
  return {
    id,
    partner_id: partner,
    measured_at: at,
    gross_volume_bbl: gross,
    bsw_percent: 0.5,
    temperature_degF: 60,
    api_gravity: 30,
    status: "validated",
  };
}

/** A terminal receipt for [start, end) with the close tests' usual terminal readings. */
export function receiptOf(id: string, start: Date, end: Date, gross: number, extra: Partial<ReceiptSeed> = {}): ReceiptSeed {
  return {
    id,
    period_start: start,
    period_end: end,
    gross_volume_bbl: gross,
    bsw_percent: 0.5,
    temperature_degF: 60,
    api_gravity: 30,
    ...extra,
  };
}

/**
 * A day closed as reconcile closes it: its closed_days record and the close horizon raised in one
 * transaction (a record written alone would be missed by the gateway endpoint, close-horizon.ts).
 */
export async function closeDay(db: Firestore, day: string, reconciliationId = "test-closing"): Promise<void> {
  await db.runTransaction(async (tx) => {
    const horizon = await readHorizon(db, tx, await tx.get(db.doc(CLOSE_HORIZON_PATH)));
    writeHorizon(db, tx, laterDay(horizon.latest, day));
    tx.set(db.doc(`closed_days/${day}`), { reconciliation_id: reconciliationId, closed_at: Timestamp.now() });
  });
}

/**
 * The superseded version `{receiptId}_v2` of [start, end) whose only change is `delta` bbl for
 * `partner`: the version an adjustment `{receiptId}_v2_0` names, as reconcile and the verifier
 * read it (`changes_from_previous`). Its other figures are the sample report's; superseded, no
 * notice is sent for it.
 */
export async function seedAdjustmentOrigin(
  db: Firestore,
  receiptId: string,
  partner: string,
  period: { start: Date; end: Date },
  delta: number,
): Promise<string> {
  const id = `${receiptId}_v2`;
  const change = { ...sampleReport.changes_from_previous!.partners[0], partner_id: partner, delta_bbl: delta };
  await db.doc(`reconciliations/${id}`).set({
    ...sampleReport,
    terminal_receipt_id: receiptId,
    supersedes: `${receiptId}_v1`,
    period_start: period.start,
    period_end: period.end,
    status: "superseded",
    superseded_by: `${receiptId}_v3`,
    changes_from_previous: { ...sampleReport.changes_from_previous!, partners: [change] },
  });
  return id;
}

/**
 * A pending prior-period adjustment `{tag}-old_v2_0` of `delta` bbl for `partner`, raised by an
 * earlier receipt `{tag}-old`'s v2 for [start, end) (seedAdjustmentOrigin): what decideAdjustment
 * then decides and reconcile carries.
 */
export async function seedPendingAdjustment(
  db: Firestore,
  tag: string,
  partner: string,
  period: { start: Date; end: Date },
  delta: number,
): Promise<DocumentReference> {
  const origin = await seedAdjustmentOrigin(db, `${tag}-old`, partner, period, delta);
  const ref = db.doc(`prior_period_adjustments/${origin}_0`);
  await ref.set({
    from_reconciliation_id: `${tag}-old_v2`,
    previous_reconciliation_id: `${tag}-old_v1`,
    terminal_receipt_id: `${tag}-old`,
    period_start: period.start,
    period_end: period.end,
    partner_id: partner,
    delta_bbl: delta,
    entry_ids: [],
    status: "pending",
    decided_by: null,
    decided_at: null,
    note: null,
    carried_in: null,
    created_at: new Date(),
  });
  return ref;
}
