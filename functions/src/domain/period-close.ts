// What a monthly close adds to a reconciliation's figures: a statement line for every
// partner that was a party to the period (zero when it produced nothing), the LUAF band, the
// approved prior-period adjustments it carries beside its own allocation, each partner's net
// position, and the content digest that decides whether a re-run changes anything.

import { bblToCb, cbToBbl } from "./cent-barrels";
import { canonicalJson } from "./canonical-json";
import { type ReportAllocation } from "./reconciliation-report";
import { sha256Hex } from "./report-hash";

export interface PartnerInfo {
  partner_id: string;
  name: string;
  active: boolean;
  /** Its first contract day as a party, when it joined after the JV began (absent otherwise, so digests of partners without one do not move). */
  joined_jv_on?: string;
  /** Its first contract day outside the JV, once it left (inactive only). */
  left_jv_on?: string;
}

/** Whether an active partner was a party on any of the period's contract days up to `lastDay`: it joined by then. */
export function joinedBy(partner: Pick<PartnerInfo, "joined_jv_on">, lastDay: string): boolean {
  return partner.joined_jv_on === undefined || partner.joined_jv_on <= lastDay;
}

/**
 * Whether a partner was a party to the JV on any of the contract days `firstDay`..`lastDay`: it had
 * joined by the last, and is active or left after the first. A deactivated partner (no departure
 * day) is none.
 */
export function partyTo(partner: Pick<PartnerInfo, "active" | "joined_jv_on" | "left_jv_on">, firstDay: string, lastDay: string): boolean {
  if (!joinedBy(partner, lastDay)) return false;
  return partner.active || (partner.left_jv_on !== undefined && partner.left_jv_on > firstDay);
}

export interface StatementLine extends ReportAllocation {
  /** The partner's `active` flag when the report was made. */
  partner_active: boolean;
  /** Why a line is zero; absent on a line with used entries. */
  reason?: string;
  /** On the line of a partner that left the JV after the period's first day (during it or since): the day it left. */
  left_jv_on?: string;
}

export const NO_PRODUCTION_REASON = "no used production entries in the period";

/** A statement line's figures for a partner that produced nothing. */
export const ZERO_FIGURES = Object.freeze({ entries: 0, gross_bbl: 0, nsv_bbl: 0, share_percent: 0, allocated_bbl: 0, shrinkage_bbl: 0 });

/**
 * The report's lines: each allocation (a partner no longer active keeps its line: its barrels were
 * produced), and a zero line for every other partner that was a party to the JV on one of the
 * period's contract days (`days`: its first and last), sorted by partner_id. A partner that joined
 * later is none, so a re-run of the period after it was added is unchanged; one that left after
 * its first day (during the period or since) keeps its line, zero or not, saying when it left.
 */
export function statementLines(
  allocations: readonly ReportAllocation[],
  partners: readonly PartnerInfo[],
  days: { first: string; last: string },
): StatementLine[] {
  const byId = new Map(partners.map((p) => [p.partner_id, p]));
  const lines: StatementLine[] = allocations.map((a) => {
    const p = byId.get(a.partner_id);
    const left = p && !p.active && p.left_jv_on !== undefined && p.left_jv_on > days.first ? { left_jv_on: p.left_jv_on } : {};
    return { ...a, partner_active: p?.active ?? false, ...left };
  });
  const present = new Set(allocations.map((a) => a.partner_id));
  for (const p of partners) {
    if (present.has(p.partner_id) || !partyTo(p, days.first, days.last)) continue;
    lines.push({
      partner_id: p.partner_id,
      partner_name: p.name,
      ...ZERO_FIGURES,
      partner_active: p.active,
      reason: NO_PRODUCTION_REASON,
      ...(p.active ? {} : { left_jv_on: p.left_jv_on }),
    });
  }
  return lines.sort((a, b) => (a.partner_id < b.partner_id ? -1 : a.partner_id > b.partner_id ? 1 : 0));
}

export interface LuafStatus {
  tolerance_percent: number;
  shrinkage_percent: number;
  /** |shrinkage_percent| <= tolerance_percent: a loss or a gain inside the band. */
  within_band: boolean;
}

export function luafStatus(shrinkagePercent: number, tolerancePercent: number): LuafStatus {
  return {
    tolerance_percent: tolerancePercent,
    shrinkage_percent: shrinkagePercent,
    within_band: Math.abs(shrinkagePercent) <= tolerancePercent,
  };
}

/** An approved prior-period adjustment as a later report carries it. */
export interface CarriedAdjustment {
  id: string;
  partner_id: string;
  delta_bbl: number;
  from_reconciliation_id: string;
}

export interface NetPosition {
  partner_id: string;
  allocated_bbl: number;
  adjustments_bbl: number;
  net_bbl: number;
}

/** Per partner: this period's allocation, the adjustments carried, and their sum, exact in cent-barrels. */
export function netPositions(
  lines: readonly Pick<ReportAllocation, "partner_id" | "allocated_bbl">[],
  carried: readonly CarriedAdjustment[],
): NetPosition[] {
  const allocated = new Map<string, number>();
  const adjusted = new Map<string, number>();
  for (const l of lines) allocated.set(l.partner_id, (allocated.get(l.partner_id) ?? 0) + bblToCb(l.allocated_bbl));
  for (const a of carried) adjusted.set(a.partner_id, (adjusted.get(a.partner_id) ?? 0) + bblToCb(a.delta_bbl));
  const ids = [...new Set([...allocated.keys(), ...adjusted.keys()])].sort();
  return ids.map((partner_id) => {
    const a = allocated.get(partner_id) ?? 0;
    const d = adjusted.get(partner_id) ?? 0;
    return { partner_id, allocated_bbl: cbToBbl(a), adjustments_bbl: cbToBbl(d), net_bbl: cbToBbl(a + d) };
  });
}

const CONTENT_DIGEST_HEADER = "flowshare/content-digest/v1\n";

/**
 * sha256 over what a report shows: the canonical JSON of `content` (the report's fields that
 * carry figures, names, lines, exclusions, settings and adjustments; see REPORT_CONTENT_FIELDS).
 * Same digest ⇔ same content: a re-run whose digest equals the current version's is that version.
 */
export function contentDigest(content: Readonly<Record<string, unknown>>): string {
  return sha256Hex(CONTENT_DIGEST_HEADER + canonicalJson(content));
}

/**
 * The report fields the content digest covers, in the stored report. Left out: the version's
 * own bookkeeping (version, status, supersedes, created_*, duration, manifest and exclusion
 * chunk names, changes_from_previous, the LUAF acknowledgement's author and note, stale marks).
 */
export const REPORT_CONTENT_FIELDS = [
  "terminal_receipt_id",
  "period_start",
  "period_end",
  "standard",
  "method",
  "terminal",
  "terminal_inputs",
  "totals",
  "allocations",
  "excluded",
  "inputs_digest",
  "exclusions_digest",
  "closed_days",
  "settings",
  "luaf",
  "supersedes_receipt",
  "prior_period_adjustments",
  "net_positions",
] as const;

/** The content part of a report (plain data: dates as ISO strings), with the acknowledgement left out. */
export function reportContent(report: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const field of REPORT_CONTENT_FIELDS) {
    let value = report[field];
    if (value instanceof Date) value = value.toISOString();
    if (field === "luaf" && value && typeof value === "object") {
      const { acknowledgement: _ack, ...rest } = value as Record<string, unknown>;
      value = rest;
    }
    content[field] = value ?? null;
  }
  return content;
}
