/** A reconciled period for the statement tests: three partners (one with a hostile name), an excluded entry. */
import { callFunction, adminDb, uniqueId, type TestUser } from "./emulator";
import { isolatedPeriod, seedEntries, seedPartner, seedReceipt, type EntrySeed } from "./seed";

export const HOSTILE_NAME = '=HYPERLINK("http://evil.example/x","Click me")';

export interface StatementWorld {
  partners: [string, string, string];
  names: [string, string, string];
  receiptId: string;
  reconciliationId: string;
  coordinator: TestUser;
}

export async function reconciledStatement(): Promise<StatementWorld> {
  const db = adminDb();
  const tag = uniqueId("stmt");
  const partners = ["alpha", "bravo", "charlie"].map((s) => `${tag}-${s}`) as [string, string, string];
  const names: [string, string, string] = ["Alpha Energy Ltd", 'Bravo Oil, "Upstream" Co', HOSTILE_NAME];
  for (const [i, p] of partners.entries()) await seedPartner(db, p, names[i]);
  const { start, end } = isolatedPeriod(2);
  const at = (h: number) => new Date(start.getTime() + h * 3_600_000);
  const seeds: EntrySeed[] = [
    {
      id: `${tag}-a1`,
      partner_id: partners[0],
      measured_at: at(6),
      meter_id: "LACT-A1",
      gross_volume_bbl: 1000,
      api_gravity: 35.2,
      temperature_degF: 84,
      bsw_percent: 0.3,
      status: "validated",
    },
    {
      id: `${tag}-a2`,
      partner_id: partners[0],
      measured_at: at(30),
      gross_volume_bbl: 1012.5,
      api_gravity: 35.0,
      temperature_degF: 80,
      bsw_percent: 0.35,
      pressure_psig: 120,
      meter_factor: 1.0012,
      status: "validated",
    },
    {
      id: `${tag}-b1`,
      partner_id: partners[1],
      measured_at: at(7),
      gross_volume_bbl: 1500,
      api_gravity: 32.0,
      temperature_degF: 90,
      bsw_percent: 0.5,
      status: "validated",
    },
    {
      id: `${tag}-c1`,
      partner_id: partners[2],
      measured_at: at(8),
      gross_volume_bbl: 800,
      api_gravity: 40.1,
      temperature_degF: 70,
      bsw_percent: 0.2,
      status: "validated",
    },
    {
      id: `${tag}-c2`,
      partner_id: partners[2],
      measured_at: at(9),
      gross_volume_bbl: 75,
      api_gravity: 40.1,
      temperature_degF: 70,
      bsw_percent: 9,
      status: "rejected",
    },
  ];
  await seedEntries(db, seeds);
  const receiptId = `${tag}-receipt`;
  await seedReceipt(db, {
    id: receiptId,
    period_start: start,
    period_end: end,
    gross_volume_bbl: 4285,
    api_gravity: 34.5,
    temperature_degF: 76,
    bsw_percent: 0.4,
    pressure_psig: 15,
  });
  const coordinator: TestUser = { uid: uniqueId("coord"), role: "jv_coordinator" };
  const { result, error } = await callFunction<{ reconciliation_id: string }>("reconcile", { terminal_receipt_id: receiptId }, coordinator);
  if (!result) throw new Error(`reconcile failed: ${JSON.stringify(error)}`);
  return { partners, names, receiptId, reconciliationId: result.reconciliation_id, coordinator };
}
