/**
 * The demo joint venture, built deterministically: partners and their meters, users for every
 * role, 60 days of production entries already audited (and the flagged ones reviewed), a
 * terminal receipt for the period, the audit-log events of all that, and the figures the demo
 * (scripts/demo/run.ts) enters on the next day.
 *
 * Pure: no Firebase, no clock, no Math.random. The same SEED gives the same dataset, to the
 * last digit. Audits are computed with the auditor's own domain code (rules, robust statistics,
 * verdict, explanation, input hash) replaying the period in time order, exactly as the auditor
 * trigger would have seen it (its history reads: the meter's history-eligible entries, or the
 * partner's while the meter has too few; newest production day first), so the auditor
 * recognises every seeded audit as current and leaves it
 * alone. buildDataset() throws if any entry's verdict differs from the story told below.
 */
import { apiKeyCreatedEvent, apiKeyRecord, issueApiKey, type ApiKeyGrant, type IssuedApiKey } from "../../functions/src/domain/api-key";
import { AUDIT_CONFIG, RULES_VERSION } from "../../functions/src/domain/audit-config";
import { evaluateRules } from "../../functions/src/domain/audit-rules";
import { decideVerdict, ruleExplanation, type Verdict } from "../../functions/src/domain/audit-verdict";
import { bblToCb, cbToBbl, sumCb } from "../../functions/src/domain/cent-barrels";
import { apiFromDensity, densityFromApi } from "../../functions/src/domain/mpms-limits";
import { api60Table5A, table6A } from "../../functions/src/domain/mpms";
import {
  auditInputHash,
  type AuditReason,
  parseProductionEntry,
  productionDay,
  type ProductionEntry,
} from "../../functions/src/domain/production-entry";
import {
  holdsEnoughHistory,
  type HistoryScope,
  type HistoryStats,
  type MetricValues,
  scoreAgainstHistory,
  STAT_METRICS,
} from "../../functions/src/domain/robust-stats";
import { measureFields, nsvFigures, type NsvFigures } from "../../functions/src/domain/measured-fields";
import type { AuditEventInput } from "../../functions/src/shared/audit-log";

export const PROJECT_ID = "demo-flowshare";
/** Every demo user's password (Auth emulator only). */
export const DEMO_PASSWORD = "flowshare-demo";
export const SEED = 20260901;
export const FIELD_NAME = "Harrowgate Field";
export const TERMINAL_NAME = "Port Ellery Crude Terminal";

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
export const PERIOD_DAYS = 60;
/** The seeded period: 2026-09-01 (inclusive) to 2026-10-31 (exclusive), 60 UTC days. */
export const PERIOD_START = new Date(Date.UTC(2026, 8, 1));
export const PERIOD_END = new Date(PERIOD_START.getTime() + PERIOD_DAYS * DAY_MS);
/** The day after the period: the demo's operators report it, the demo reconciles it. */
export const DEMO_DAY = PERIOD_END;
export const PERIOD_RECEIPT_ID = "pet-20260901-20261030";
export const DEMO_DAY_RECEIPT_ID = "pet-20261031";

// ------------------------------------------------------------------------------------ PRNG

/** mulberry32: a small, well-mixed 32-bit generator; plenty for plausible noise. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (x: number, decimals: number) => Number(x.toFixed(decimals));

// ------------------------------------------------------------------------------- the JV

export interface MeterProfile {
  id: string;
  /** Barrels per day on the first day of the period. */
  rate: number;
  api: number;
  tempF: number;
  bsw: number;
  psig: number;
  meterFactor: number;
}

export interface DemoPartner {
  id: string;
  name: string;
  meters: MeterProfile[];
}

/**
 * Five partners, seven custody (LACT) meters; crude from 29 to 40 °API. Basalt and Kestrel
 * each meter their battery's stream through two parallel meter runs of one LACT skid (same
 * crude, same sample), which split the flow about evenly.
 */
export const PARTNERS: DemoPartner[] = [
  {
    id: "northwind",
    name: "Northwind Energy",
    meters: [{ id: "NWE-LACT-01", rate: 3150, api: 36.8, tempF: 104, bsw: 0.32, psig: 38, meterFactor: 1.0007 }],
  },
  {
    id: "basalt",
    name: "Basalt Ridge Petroleum",
    meters: [
      { id: "BRP-LACT-01A", rate: 1900, api: 33.5, tempF: 96, bsw: 0.45, psig: 22, meterFactor: 0.9991 },
      { id: "BRP-LACT-01B", rate: 1900, api: 33.5, tempF: 96, bsw: 0.45, psig: 22, meterFactor: 1.0012 },
    ],
  },
  {
    id: "meridian",
    name: "Meridian Hydrocarbons",
    meters: [{ id: "MHC-LACT-01", rate: 2720, api: 40.2, tempF: 88, bsw: 0.18, psig: 12, meterFactor: 1.0004 }],
  },
  {
    id: "kestrel",
    name: "Kestrel Upstream",
    meters: [
      { id: "KUP-LACT-02A", rate: 1500, api: 29.8, tempF: 87, bsw: 0.58, psig: 31, meterFactor: 0.9986 },
      { id: "KUP-LACT-02B", rate: 1500, api: 29.8, tempF: 87, bsw: 0.58, psig: 31, meterFactor: 1.0009 },
    ],
  },
  {
    id: "sable",
    name: "Sable Creek Resources",
    meters: [{ id: "SCR-LACT-01", rate: 2150, api: 38.9, tempF: 79, bsw: 0.27, psig: 8, meterFactor: 1.0015 }],
  },
];

/** The demo JV's SCADA gateway: Basalt's LACT skid reports both meter runs through POST /v1/production. */
export const GATEWAY = { partner_id: "basalt", name: "Basalt Ridge LACT-01 SCADA gateway", meter_ids: ["BRP-LACT-01A", "BRP-LACT-01B"] };

/** The gateway's clear key, from the seed: emulator data only (`npm run emulators` prints it). */
export function demoGatewayKey(seed = SEED): IssuedApiKey {
  const rng = mulberry32(seed ^ 0x6a7e4b3d);
  return issueApiKey((count) => Uint8Array.from({ length: count }, () => Math.floor(rng() * 256)));
}

export type Role = "admin" | "jv_coordinator" | "auditor" | "jv_partner" | "field_operator";

export interface DemoUser {
  uid: string;
  email: string;
  display_name: string;
  role: Role;
  partner_id?: string;
}

const PARTNER_PEOPLE: Record<string, { partner: string; operator: string }> = {
  northwind: { partner: "Helen Marsh", operator: "Ben Okafor" },
  basalt: { partner: "Rafael Duarte", operator: "Kim Andersen" },
  meridian: { partner: "Aisha Bello", operator: "Luis Moreno" },
  kestrel: { partner: "Oliver Grant", operator: "Mei Tanaka" },
  sable: { partner: "Nora Lindqvist", operator: "Sam Whitaker" },
};

/** Fixed uids and emails; every password is DEMO_PASSWORD. */
export const USERS: DemoUser[] = [
  { uid: "demo-admin", email: "admin@flowshare.example", display_name: "Dana Whitfield", role: "admin" },
  { uid: "demo-coordinator", email: "coordinator@flowshare.example", display_name: "Priya Raman", role: "jv_coordinator" },
  { uid: "demo-coordinator-2", email: "coordinator2@flowshare.example", display_name: "Tomas Eriksen", role: "jv_coordinator" },
  { uid: "demo-auditor", email: "auditor@flowshare.example", display_name: "Grace Liu", role: "auditor" },
  ...PARTNERS.flatMap((p): DemoUser[] => [
    {
      uid: `demo-partner-${p.id}`,
      email: `partner.${p.id}@flowshare.example`,
      display_name: PARTNER_PEOPLE[p.id].partner,
      role: "jv_partner",
      partner_id: p.id,
    },
    {
      uid: `demo-operator-${p.id}`,
      email: `operator.${p.id}@flowshare.example`,
      display_name: PARTNER_PEOPLE[p.id].operator,
      role: "field_operator",
      partner_id: p.id,
    },
  ]),
];

export const userByUid = (uid: string): DemoUser => {
  const user = USERS.find((u) => u.uid === uid);
  if (!user) throw new Error(`no demo user ${uid}`);
  return user;
};
export const operatorOf = (partnerId: string) => userByUid(`demo-operator-${partnerId}`);
export const partnerUserOf = (partnerId: string) => userByUid(`demo-partner-${partnerId}`);
const COORDINATOR = "demo-coordinator";
const COORDINATOR_2 = "demo-coordinator-2";

// --------------------------------------------------------------------------- documents

/** The client-written fields of a production entry, as the web app writes them. */
export interface EntryFields {
  partner_id: string;
  measured_at: Date;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig: number;
  meter_factor: number;
  meter_id: string;
  note?: string;
  created_by: string;
  created_at: Date;
}

export interface SeedAudit {
  status: Verdict;
  reasons: AuditReason[];
  stats: HistoryStats;
  explanation: { text: string; source: "rules" };
  input_hash: string;
  rules_version: string;
  checked_at: Date;
  history_eligible: boolean;
  /** As the auditor writes it: flagged and not reviewed (the review queue's query). */
  awaiting_review: boolean;
  nsv?: NsvFigures;
}

export interface SeedReview {
  decision: "approved" | "rejected";
  by: string;
  by_role: Role;
  at: Date;
  note: string;
  input_hash: string;
  revision: number;
}

/** What happened to an entry, in words: the demo prints it beside the verdict. */
export type Story =
  "normal" | "volume_spike" | "spike_correction" | "bsw_water_breakthrough" | "temperature_typo" | "typo_correction" | "double_submission";

export interface SeedEntry {
  id: string;
  story: Story;
  fields: EntryFields;
  audit: SeedAudit;
  review?: SeedReview;
}

export interface ReceiptFields {
  period_start: Date;
  period_end: Date;
  terminal_name: string;
  gross_volume_bbl: number;
  bsw_percent: number;
  temperature_degF: number;
  api_gravity: number;
  pressure_psig: number;
}

export interface SeedReceipt {
  id: string;
  fields: ReceiptFields & { created_by: string; created_at: Date };
}

/** An audit-log event as the seed appends it: the log's own input, at a fixed time. */
export interface AuditEventSeed extends AuditEventInput {
  at: Date;
}

export interface UserDoc {
  uid: string;
  data: { email: string; display_name: string; role: Role; partner_id: string | null; updated_at: Date; updated_by: string };
}

/** What the demo's operators enter on DEMO_DAY, and what the auditor should make of it. */
export interface DemoDayEntry {
  operator_uid: string;
  fields: Omit<EntryFields, "created_by" | "created_at">;
  expected_verdict: Verdict;
  expected_codes: string[];
}

export interface Dataset {
  partners: DemoPartner[];
  users: DemoUser[];
  userDocs: UserDoc[];
  entries: SeedEntry[];
  receipt: SeedReceipt;
  events: AuditEventSeed[];
  /** The SCADA gateway's key as stored (`api_keys/{sha256}`); its clear text is demoGatewayKey(). */
  gatewayKey: { sha256: string; data: Record<string, unknown> };
  demo: {
    day: Date;
    entries: DemoDayEntry[];
    /** The coordinator's note approving the flagged demo entry. */
    approval_note: string;
    receipt: ReceiptFields & { id: string };
  };
  /** Figures the generator prints and the tests check. */
  summary: {
    field_gross_bbl: number;
    field_nsv_bbl: number;
    terminal_gross_bbl: number;
    terminal_nsv_bbl: number;
    shrinkage_percent: number;
    verdicts: Record<Verdict, number>;
  };
}

// ------------------------------------------------------------------------- simulation

interface MeterDay {
  partner: DemoPartner;
  meter: MeterProfile;
  meterIndex: number;
  dayIndex: number;
}

const meterIndexes = (() => {
  const list: Array<{ partner: DemoPartner; meter: MeterProfile; meterIndex: number }> = [];
  for (const partner of PARTNERS) for (const meter of partner.meters) list.push({ partner, meter, meterIndex: list.length });
  return list;
})();

/** Meter factors are re-proved every 14 days: constant in between, within 0.998 to 1.002. */
function meterFactorOn(meter: MeterProfile, dayIndex: number, seed: number): number {
  const proving = Math.floor(dayIndex / 14);
  const rng = mulberry32(seed ^ (proving * 7919) ^ hashString(meter.id));
  const factor = meter.meterFactor + (rng() - 0.5) * 0.0012;
  return round(Math.min(1.002, Math.max(0.998, factor)), 4);
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * One ordinary day's readings of one meter: slow decline, autumn cooling, bounded noise. The
 * noise stays within about three of the auditor's spread floors (1 % of the volume, 1 °F,
 * 0.1 % BS&W, 0.2 °API) of the recent median, so no ordinary reading can pass its outlier
 * threshold (robust z 3.5) whatever the seed — even early on, when the history is short.
 */
function ordinaryReading(md: MeterDay, rng: () => number, seed: number) {
  const { meter, dayIndex } = md;
  const u = (half: number) => (rng() * 2 - 1) * half;
  const temp = round(meter.tempF - 0.06 * dayIndex + u(1.5), 1);
  return {
    gross_volume_bbl: round(meter.rate * (1 - 0.0007 * dayIndex) * (1 + u(0.015)), 2),
    bsw_percent: round(Math.min(0.8, Math.max(0.1, meter.bsw + u(0.06))), 2),
    temperature_degF: temp,
    // A hydrometer read hot reads lighter: about 0.04 °API per °F here.
    api_gravity: round(meter.api + 0.04 * (temp - meter.tempF) + u(0.15), 1),
    pressure_psig: Math.round(meter.psig + u(2)),
    meter_factor: meterFactorOn(meter, dayIndex, seed),
  };
}

const dayStart = (dayIndex: number) => new Date(PERIOD_START.getTime() + dayIndex * DAY_MS);
/** The daily gauging: 06:00 UTC, the meters read six minutes apart. */
const measuredAt = (dayIndex: number, meterIndex: number) => new Date(dayStart(dayIndex).getTime() + (6 * 60 + 6 * meterIndex) * MIN_MS);
const entryId = (dayIndex: number, meterId: string, suffix = "") => `${productionDay(dayStart(dayIndex))}_${meterId}${suffix}`;

interface Planned {
  id: string;
  story: Story;
  fields: EntryFields;
  checkedAt: Date;
  expected: { verdict: Verdict; codes: string[] };
  review?: { decision: "approved" | "rejected"; by: string; afterMs: number; note: (ids: Record<string, string>) => string };
}

/** The anomalies of the period: what the operators got wrong, and what the coordinators decided. */
const ANOMALY_DAYS = { spike: 13, bsw: 26, typo: 37, duplicate: 59 } as const;

function plan(seed: number): Planned[] {
  const rng = mulberry32(seed);
  const planned: Planned[] = [];
  const ids: Record<string, string> = {};
  for (let dayIndex = 0; dayIndex < PERIOD_DAYS; dayIndex += 1) {
    for (const { partner, meter, meterIndex } of meterIndexes) {
      const md = { partner, meter, meterIndex, dayIndex };
      const reading = ordinaryReading(md, rng, seed);
      const createdAt = new Date(
        measuredAt(dayIndex, meterIndex).getTime() + (60 + Math.floor(rng() * 90)) * MIN_MS + Math.floor(rng() * 60_000),
      );
      const checkedAt = new Date(createdAt.getTime() + 1500 + Math.floor(rng() * 3500));
      const base: EntryFields = {
        partner_id: partner.id,
        measured_at: measuredAt(dayIndex, meterIndex),
        ...reading,
        meter_id: meter.id,
        created_by: operatorOf(partner.id).uid,
        created_at: createdAt,
      };
      const id = entryId(dayIndex, meter.id);
      const ordinary = (): Planned => ({ id, story: "normal", fields: base, checkedAt, expected: { verdict: "validated", codes: [] } });

      if (dayIndex === ANOMALY_DAYS.spike && meter.id === "BRP-LACT-01A") {
        // The totaliser's five-day reading keyed as the day's volume; rejected on review and re-entered.
        ids.spike = id;
        ids.spikeTicket = base.gross_volume_bbl.toFixed(2);
        planned.push({
          id,
          story: "volume_spike",
          fields: { ...base, gross_volume_bbl: round(base.gross_volume_bbl * 5, 2) },
          checkedAt,
          expected: { verdict: "flagged", codes: ["GROSS_VOLUME_OUTLIER"] },
          review: {
            decision: "rejected",
            by: COORDINATOR,
            afterMs: 95 * MIN_MS,
            note: (i) =>
              `The operator keyed the totaliser's cumulative five-day reading instead of the day's ticket ` +
              `(LACT ticket BRP-0914: ${i.spikeTicket} bbl). Rejected; the ticket figure is re-entered as ${i.spikeFix}.`,
          },
        });
        const fixCreated = new Date(checkedAt.getTime() + 110 * MIN_MS);
        ids.spikeFix = entryId(dayIndex, meter.id, "_b");
        planned.push({
          id: ids.spikeFix,
          story: "spike_correction",
          fields: { ...base, note: `Re-entry from LACT ticket BRP-0914; replaces ${id}.`, created_at: fixCreated },
          checkedAt: new Date(fixCreated.getTime() + 2300),
          expected: { verdict: "flagged", codes: ["DUPLICATE_ENTRY"] },
          review: {
            decision: "approved",
            by: COORDINATOR,
            afterMs: 40 * MIN_MS,
            note: (i) => `Replaces ${i.spike}, rejected on review; figures match LACT ticket BRP-0914.`,
          },
        });
      } else if (dayIndex === ANOMALY_DAYS.bsw && meter.id === "MHC-LACT-01") {
        planned.push({
          id,
          story: "bsw_water_breakthrough",
          fields: { ...base, bsw_percent: 3.0, note: "Heater-treater tripped overnight; sample re-run twice." },
          checkedAt,
          expected: { verdict: "flagged", codes: ["BSW_ABOVE_TYPICAL", "BSW_OUTLIER"] },
          review: {
            decision: "approved",
            by: COORDINATOR_2,
            afterMs: 4 * 60 * MIN_MS,
            note: () =>
              "Lab re-sample confirmed 3.0 % BS&W: the Meridian battery's heater-treater tripped overnight and was " +
              "back in service on 09-28. The water is deducted in the NSV.",
          },
        });
      } else if (dayIndex === ANOMALY_DAYS.typo && meter.id === "KUP-LACT-02B") {
        // 85.0 °F keyed as 850: outside the standard's range, so the auditor rejects it outright.
        ids.typo = id;
        ids.typoTemp = base.temperature_degF.toFixed(1);
        ids.typoValue = String(round(base.temperature_degF * 10, 0));
        planned.push({
          id,
          story: "temperature_typo",
          fields: { ...base, temperature_degF: round(base.temperature_degF * 10, 0) },
          checkedAt,
          expected: { verdict: "rejected", codes: ["TEMPERATURE_OUT_OF_RANGE", "TEMPERATURE_OUTLIER"] },
        });
        const fixCreated = new Date(checkedAt.getTime() + 35 * MIN_MS);
        planned.push({
          id: entryId(dayIndex, meter.id, "_b"),
          story: "typo_correction",
          fields: {
            ...base,
            note: `Re-entered: temperature keyed as ${round(base.temperature_degF * 10, 0)} in ${id}.`,
            created_at: fixCreated,
          },
          checkedAt: new Date(fixCreated.getTime() + 2100),
          expected: { verdict: "flagged", codes: ["DUPLICATE_ENTRY"] },
          review: {
            decision: "approved",
            by: COORDINATOR,
            afterMs: 150 * MIN_MS,
            note: (i) => `Replaces ${i.typo}, which the auditor rejected (${i.typoValue} °F); the ticket reads ${i.typoTemp} °F.`,
          },
        });
      } else if (dayIndex === ANOMALY_DAYS.duplicate && meter.id === "SCR-LACT-01") {
        // The field tablet re-sent the day's entry after a dropped connection.
        planned.push(ordinary());
        const againCreated = new Date(createdAt.getTime() + 3 * MIN_MS + 12_000);
        planned.push({
          id: entryId(dayIndex, meter.id, "_b"),
          story: "double_submission",
          fields: { ...base, created_at: againCreated },
          checkedAt: new Date(againCreated.getTime() + 1900),
          expected: { verdict: "flagged", codes: ["DUPLICATE_ENTRY"] },
          review: {
            decision: "rejected",
            by: COORDINATOR_2,
            afterMs: 70 * MIN_MS,
            note: () => `Double submission from the field tablet after a dropped connection; ${id} stands.`,
          },
        });
      } else {
        planned.push(ordinary());
      }
    }
  }
  // Notes that name other entries are resolved once every id is known.
  for (const p of planned) {
    if (p.review) {
      const note = p.review.note(ids);
      p.review.note = () => note;
    }
  }
  return planned;
}

interface HistoryRow {
  id: string;
  partnerId: string;
  meterId: string;
  measuredAt: number;
  eligibleFrom: number;
  metrics: MetricValues;
}

/**
 * The auditor's history reads at time `at` (audit-reads.ts readHistory): the meter's
 * history-eligible entries measured up to the entry when they are enough to score against, else
 * the partner's; newest production day first (ties by document id, descending), one statistics
 * window, not itself.
 */
function historyAt(
  rows: readonly HistoryRow[],
  owner: { partnerId: string; meterId: string },
  self: { id: string; measuredAt: number },
  at: number,
): { rows: MetricValues[]; scope: HistoryScope } {
  const window = (match: (r: HistoryRow) => boolean) =>
    rows
      .filter((r) => match(r) && r.id !== self.id && r.eligibleFrom <= at && r.measuredAt <= self.measuredAt)
      .sort((a, b) => b.measuredAt - a.measuredAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, AUDIT_CONFIG.statistics.window)
      .map((r) => r.metrics);
  const meter = window((r) => r.partnerId === owner.partnerId && r.meterId === owner.meterId);
  if (holdsEnoughHistory(meter)) return { rows: meter, scope: "meter" };
  return { rows: window((r) => r.partnerId === owner.partnerId), scope: "partner" };
}

/** Earlier entries (by creation time) of the same partner, meter and UTC day. */
function earlierDuplicates(all: readonly { id: string; fields: EntryFields }[], self: { id: string; fields: EntryFields }): string[] {
  const day = productionDay(self.fields.measured_at);
  return all
    .filter((o) => o.id !== self.id && o.fields.partner_id === self.fields.partner_id && o.fields.meter_id === self.fields.meter_id)
    .filter((o) => productionDay(o.fields.measured_at) === day)
    .filter(
      (o) =>
        o.fields.created_at.getTime() < self.fields.created_at.getTime() ||
        (o.fields.created_at.getTime() === self.fields.created_at.getTime() && o.id < self.id),
    )
    .map((o) => o.id)
    .slice(0, 10);
}

function metricsOf(fields: EntryFields): MetricValues {
  const row = {} as MetricValues;
  for (const metric of STAT_METRICS) row[metric] = fields[metric];
  return row;
}

function parsed(fields: EntryFields): ProductionEntry {
  const result = parseProductionEntry(fields);
  if (!result.ok) throw new Error(`seed entry does not parse: ${JSON.stringify(result.reasons)}`);
  return result.entry;
}

/** The auditor's assessment of one entry, from its rules, statistics and verdict. */
function assess(fields: EntryFields, now: Date, history: { rows: MetricValues[]; scope: HistoryScope }, duplicateEntryIds: string[]) {
  const entry = parsed(fields);
  const score = scoreAgainstHistory(entry, history.rows, AUDIT_CONFIG.statistics, history.scope);
  const reasons = [...evaluateRules(entry, { now, partner: { exists: true, active: true }, duplicateEntryIds }), ...score.reasons];
  return { verdict: decideVerdict(reasons), reasons, stats: score.stats };
}

const sameCodes = (a: readonly string[], b: readonly string[]) => [...a].sort().join(",") === [...b].sort().join(",");

/**
 * A terminal receipt for entries whose NSV the terminal received less `shrinkage` (a
 * fraction): the blend's API gravity read at the tank temperature, the gross volume solved so
 * that the receipt's own NSV (API MPMS 11.1, as the accountant measures it) lands there.
 */
function terminalReceipt(
  entries: readonly EntryFields[],
  period: { start: Date; end: Date },
  tank: { tempF: number; bsw: number },
  shrinkage: number,
): ReceiptFields {
  const measured = entries.map((e) => nsvFigures(e)!);
  const fieldNsvCb = sumCb(measured.map((m) => bblToCb(m.nsv_bbl)));
  const api60 = round(measured.reduce((s, m) => s + m.api60 * m.nsv_bbl, 0) / cbToBbl(fieldNsvCb), 1);
  // The observed gravity (0.1 °API) that Table 5A takes back to the blend's API at 60 °F.
  const hot = apiFromDensity(densityFromApi(api60) * table6A(api60, tank.tempF).ctl);
  let apiObserved = round(hot, 1);
  for (const candidate of [round(hot, 1), round(hot - 0.1, 1), round(hot + 0.1, 1)]) {
    if (api60Table5A(candidate, tank.tempF) === api60) {
      apiObserved = candidate;
      break;
    }
  }
  const base = {
    period_start: period.start,
    period_end: period.end,
    terminal_name: TERMINAL_NAME,
    bsw_percent: tank.bsw,
    temperature_degF: tank.tempF,
    api_gravity: apiObserved,
    pressure_psig: 0,
  };
  const factors = measureFields({ ...base, gross_volume_bbl: 1000, meter_factor: 1 });
  const target = cbToBbl(fieldNsvCb) * (1 - shrinkage);
  return { ...base, gross_volume_bbl: round(target / (factors.ctpl * factors.csw), 2) };
}

export function buildDataset(seed = SEED): Dataset {
  const planned = plan(seed);
  const byCheck = [...planned].sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime() || (a.id < b.id ? -1 : 1));
  const history: HistoryRow[] = [];
  const entries: SeedEntry[] = [];
  const events: AuditEventSeed[] = [];

  for (const p of byCheck) {
    const { verdict, reasons, stats } = assess(
      p.fields,
      p.checkedAt,
      historyAt(
        history,
        { partnerId: p.fields.partner_id, meterId: p.fields.meter_id },
        { id: p.id, measuredAt: p.fields.measured_at.getTime() },
        p.checkedAt.getTime(),
      ),
      earlierDuplicates(planned, p),
    );
    const codes = reasons.map((r) => r.code);
    if (verdict !== p.expected.verdict || !sameCodes(codes, p.expected.codes)) {
      throw new Error(
        `seed ${seed}: entry ${p.id} (${p.story}) came out ${verdict} [${codes.join(", ")}], ` +
          `the story needs ${p.expected.verdict} [${p.expected.codes.join(", ")}]; adjust the noise or the anomaly`,
      );
    }
    const inputHash = auditInputHash(p.fields);
    const review: SeedReview | undefined = p.review && {
      decision: p.review.decision,
      by: p.review.by,
      by_role: userByUid(p.review.by).role,
      at: new Date(p.checkedAt.getTime() + p.review.afterMs),
      note: p.review.note({}),
      input_hash: inputHash,
      revision: 1,
    };
    const eligible = verdict === "validated" || (verdict === "flagged" && review?.decision === "approved");
    if (eligible) {
      const from = verdict === "validated" ? p.checkedAt : review!.at;
      history.push({
        id: p.id,
        partnerId: p.fields.partner_id,
        meterId: p.fields.meter_id,
        measuredAt: p.fields.measured_at.getTime(),
        eligibleFrom: from.getTime(),
        metrics: metricsOf(p.fields),
      });
    }
    const nsv = nsvFigures(p.fields);
    const audit: SeedAudit = {
      status: verdict,
      reasons,
      stats,
      explanation: { text: ruleExplanation(reasons, stats), source: "rules" },
      input_hash: inputHash,
      rules_version: RULES_VERSION,
      checked_at: p.checkedAt,
      history_eligible: eligible,
      awaiting_review: verdict === "flagged" && review === undefined,
      ...(nsv ? { nsv } : {}),
    };
    entries.push({ id: p.id, story: p.story, fields: p.fields, audit, ...(review ? { review } : {}) });
    const stream = `partner_${p.fields.partner_id}`;
    const subject = `production_entries/${p.id}`;
    events.push({
      eventId: `audit_seed-${p.id}`,
      stream,
      actor: "auditor",
      action: "entry_audited",
      subject,
      details: { verdict, reason_codes: codes, input_hash: inputHash, rules_version: RULES_VERSION, explanation_source: "rules" },
      at: p.checkedAt,
    });
    if (review) {
      events.push({
        eventId: `review_${p.id}_${inputHash.slice(0, 16)}_r1_${review.at.getTime()}`,
        stream,
        actor: review.by,
        action: "entry_reviewed",
        subject,
        details: {
          decision: review.decision,
          note: review.note,
          role: review.by_role,
          input_hash: inputHash,
          revision: 1,
          previous_decision: null,
        },
        at: review.at,
      });
    }
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : 1));

  // Roles were set by the admin a week before the period (the admin's own by the bootstrap).
  const rolesAt = (i: number) => new Date(PERIOD_START.getTime() - 7 * DAY_MS + 9 * 3_600_000 + i * MIN_MS);
  const userDocs: UserDoc[] = USERS.map((u, i) => ({
    uid: u.uid,
    data: {
      email: u.email,
      display_name: u.display_name,
      role: u.role,
      partner_id: u.partner_id ?? null,
      updated_at: rolesAt(i),
      updated_by: i === 0 ? "flowshare-bootstrap" : "demo-admin",
    },
  }));
  USERS.forEach((u, i) =>
    events.push({
      eventId: `role_${u.uid}_${rolesAt(i).getTime()}_${userDocs[i].data.updated_by}`,
      stream: "agent_admin",
      actor: userDocs[i].data.updated_by,
      action: "user_role_set",
      subject: `users/${u.uid}`,
      details: { role: u.role, partner_id: u.partner_id ?? null, previous_role: null, previous_partner_id: null },
      at: rolesAt(i),
    }),
  );
  const issued = demoGatewayKey(seed);
  const grant: ApiKeyGrant = { ...GATEWAY, expires_at: null, created_by: "demo-admin", created_at: rolesAt(USERS.length) };
  events.push({ ...apiKeyCreatedEvent(issued, grant), at: grant.created_at });
  const gatewayKey = { sha256: issued.sha256, data: apiKeyRecord(issued, grant) };
  events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.eventId < b.eventId ? -1 : 1));

  // What the period's allocation uses: validated, or flagged and approved.
  const used = entries.filter((e) => e.audit.status === "validated" || e.review?.decision === "approved");
  const receiptFields = terminalReceipt(
    used.map((e) => e.fields),
    { start: PERIOD_START, end: PERIOD_END },
    { tempF: 86.8, bsw: 0.36 },
    0.0034,
  );
  const receipt: SeedReceipt = {
    id: PERIOD_RECEIPT_ID,
    fields: { ...receiptFields, created_by: COORDINATOR, created_at: new Date(PERIOD_END.getTime() + 10 * 3_600_000 + 15 * MIN_MS) },
  };
  const terminal = measureFields({ ...receiptFields, meter_factor: 1 });
  const fieldNsvCb = sumCb(used.map((e) => bblToCb(nsvFigures(e.fields)!.nsv_bbl)));
  const fieldGrossCb = sumCb(used.map((e) => bblToCb(e.fields.gross_volume_bbl)));

  const demo = demoDay(seed, history, entries);
  const verdicts = { validated: 0, flagged: 0, rejected: 0 } as Record<Verdict, number>;
  for (const e of entries) verdicts[e.audit.status] += 1;
  return {
    partners: PARTNERS,
    users: USERS,
    userDocs,
    entries,
    receipt,
    events,
    gatewayKey,
    demo,
    summary: {
      field_gross_bbl: cbToBbl(fieldGrossCb),
      field_nsv_bbl: cbToBbl(fieldNsvCb),
      terminal_gross_bbl: receiptFields.gross_volume_bbl,
      terminal_nsv_bbl: terminal.nsvBbl,
      shrinkage_percent: round(((cbToBbl(fieldNsvCb) - terminal.nsvBbl) / cbToBbl(fieldNsvCb)) * 100, 4),
      verdicts,
    },
  };
}

/**
 * DEMO_DAY: every meter's ordinary reading, except Northwind's, up 60 % because a well came
 * back on line after a workover — the auditor flags the jump and the coordinator approves it.
 */
function demoDay(seed: number, history: HistoryRow[], seeded: readonly SeedEntry[]): Dataset["demo"] {
  const rng = mulberry32(seed ^ 0x5eed);
  const now = new Date(DEMO_DAY.getTime() + DAY_MS);
  const rows: DemoDayEntry[] = [];
  const fieldsList: EntryFields[] = [];
  for (const { partner, meter, meterIndex } of meterIndexes) {
    const reading = ordinaryReading({ partner, meter, meterIndex, dayIndex: PERIOD_DAYS }, rng, seed);
    const workover = meter.id === "NWE-LACT-01";
    const fields: EntryFields = {
      partner_id: partner.id,
      measured_at: new Date(DEMO_DAY.getTime() + (6 * 60 + 6 * meterIndex) * MIN_MS),
      ...reading,
      ...(workover
        ? {
            gross_volume_bbl: round(reading.gross_volume_bbl * 1.6, 2),
            note: "Well NW-07 back on line after its workover; rate confirmed on the LACT ticket.",
          }
        : {}),
      meter_id: meter.id,
      created_by: operatorOf(partner.id).uid,
      created_at: new Date(DEMO_DAY.getTime() + (8 * 60 + meterIndex) * MIN_MS),
    };
    const { verdict, reasons } = assess(
      fields,
      now,
      historyAt(history, { partnerId: partner.id, meterId: meter.id }, { id: "", measuredAt: fields.measured_at.getTime() }, now.getTime()),
      earlierDuplicates([...seeded, ...fieldsList.map((f, i) => ({ id: `demo-${i}`, fields: f }))], { id: "demo-self", fields }),
    );
    const expected = workover ? { verdict: "flagged", codes: ["GROSS_VOLUME_OUTLIER"] } : { verdict: "validated", codes: [] };
    if (
      verdict !== expected.verdict ||
      !sameCodes(
        reasons.map((r) => r.code),
        expected.codes,
      )
    ) {
      throw new Error(
        `seed ${seed}: the demo day's ${meter.id} entry came out ${verdict} [${reasons.map((r) => r.code).join(", ")}], expected ${expected.verdict}`,
      );
    }
    fieldsList.push(fields);
    const { created_by, created_at, ...clientFields } = fields;
    void created_at;
    rows.push({ operator_uid: created_by, fields: clientFields, expected_verdict: verdict, expected_codes: reasons.map((r) => r.code) });
  }
  const receipt = terminalReceipt(
    fieldsList,
    { start: DEMO_DAY, end: new Date(DEMO_DAY.getTime() + DAY_MS) },
    { tempF: 85.6, bsw: 0.35 },
    0.0029,
  );
  return {
    day: DEMO_DAY,
    entries: rows,
    approval_note: "Confirmed against LACT ticket NWE-1031 and the workover report: well NW-07 is back on line at the new rate.",
    receipt: { id: DEMO_DAY_RECEIPT_ID, ...receipt },
  };
}
