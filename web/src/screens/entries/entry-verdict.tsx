import type { ComponentChildren } from "preact";
import { useLiveDoc } from "../../data/live";
import type { AuditReason, ProductionEntry } from "../../data/types";
import { useContractDayOf } from "../../data/jv-settings";
import { bbl, dateTime, factor, median, num, signed, signedMeasured } from "../../format";
import { Badge, Card, TableScroll } from "../../ui/common";
import { PersonName } from "../../ui/person";
import { PartnerName } from "../../ui/partner";
import { EntryId } from "./entry-link";
import { requireUser, roleLabel } from "../../data/session";
import { CorrectionNote } from "./entry-correction";
import { awaitingReaudit } from "../../data/reaudit";
import { geminiReasonInWords } from "../../domain/gemini-use";
import { reasonTitle } from "../../domain/reason-code";
import { operatorMayNotCorrect } from "../../domain/closed-day";

/** How the auditor's rule-based explanation begins its last line, which says why Gemini's failed. */
const RULES_SAY_WHY = "(This is the auditor's rule-based explanation:";

/** `decimals`: the fewest shown; a figure stored with more shows them all (format.ts, measured). */
export const MEASURED_FIELDS: Array<{ key: keyof ProductionEntry & string; label: string; unit: string; decimals: number }> = [
  { key: "gross_volume_bbl", label: "Gross volume", unit: "bbl", decimals: 2 },
  { key: "bsw_percent", label: "BS&W", unit: "%", decimals: 2 },
  { key: "temperature_degF", label: "Temperature", unit: "°F", decimals: 1 },
  { key: "api_gravity", label: "API gravity", unit: "°API", decimals: 1 },
  { key: "pressure_psig", label: "Pressure", unit: "psig", decimals: 0 },
  { key: "meter_factor", label: "Meter factor", unit: "", decimals: 5 },
];

export function statusOf(entry: ProductionEntry): string {
  return entry.audit?.status ?? "pending";
}

/** Left out of reconciliations until its figures are corrected: rejected by the auditor, or on review of these figures. */
export function excludedUntilCorrected(entry: ProductionEntry): boolean {
  const status = statusOf(entry);
  // A review stored before reviews named their audit counts as of the current one (as the auditor reads it).
  const review = entry.review;
  return status === "rejected" || (status === "flagged" && review?.decision === "rejected" && (review.input_hash ?? entry.audit?.input_hash) === entry.audit?.input_hash);
}

/**
 * What its operator may correct (on an open day, and until a coordinator has corrected it): what
 * is left out until corrected, and a flagged entry, whose flag may be the operator's typo. The
 * rules let an operator edit any entry of its own on an open day.
 */
export function correctableByItsOperator(entry: ProductionEntry): boolean {
  return excludedUntilCorrected(entry) || statusOf(entry) === "flagged";
}

function ReasonList({ reasons }: { reasons: AuditReason[] }) {
  if (reasons.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="reasons">
      {reasons.map((r) => (
        <li key={r.code + r.message} class={`reason reason-${r.severity}`} data-code={r.code}>
          <span class="code" title={`Reason code: ${r.code}`}>{reasonTitle(r.code)}</span> {r.message}
        </li>
      ))}
    </ul>
  );
}

/** The entry's figures with each reason beside the field it concerns, the explanation, statistics and NSV. */
export function EntryVerdict({ id, entry }: { id: string; entry: ProductionEntry }) {
  const dayOf = useContractDayOf();
  const audit = entry.audit;
  const status = statusOf(entry);
  const reasons = audit?.reasons ?? [];
  const byField = (key: string) => reasons.filter((r) => r.field === key);
  const fieldKeys = new Set(MEASURED_FIELDS.map((f) => f.key as string));
  const other = reasons.filter((r) => !fieldKeys.has(r.field));
  const metrics = audit?.stats?.metrics ?? undefined;
  const explanation = audit?.explanation;
  const reauditing = awaitingReaudit(id, entry);
  // A flagged entry's explanation is written for the coordinator who reviews it (audit-explanation.ts): its operator is told so, and its own next step.
  const user = requireUser();
  const toOperator = status === "flagged" && user.role === "field_operator";
  const entryDay = toOperator ? dayOf(entry.measured_at) : "—";
  const closedDay = useLiveDoc<{ reconciliation_id?: string }>(toOperator && entryDay !== "—" ? `closed_days/${entryDay}` : undefined);
  const notOwnToCorrect = toOperator ? operatorMayNotCorrect(entry, user.uid, !!closedDay.value.docs) : undefined;
  const decided = !!entry.review && (entry.review.input_hash ?? audit?.input_hash) === audit?.input_hash;
  return (
    <div class="verdict" data-testid="verdict" data-status={reauditing ? "reauditing" : status} data-entry={id} aria-live="polite">
      {reauditing && (
        <p class="alert alert-info" role="status" data-testid="reauditing">
          Saved. The auditor is checking the new figures. Until its verdict arrives, the verdict below is the one of the figures before: the figures it audited are shown, with what was saved under each changed one.
        </p>
      )}
      <p class="verdict-head">
        <Badge status={status} />
        {entry.review && <Badge status={entry.review.decision} label={entry.review.decision === "approved" ? "Approved" : "Rejected on review"} />}
        <strong>{entry.meter_id ?? "no meter"}</strong>
        <span>{dayOf(entry.measured_at)}</span>
        <span class="muted"><PartnerName id={entry.partner_id} /></span>
        <EntryId id={id} />
      </p>
      {status === "pending" && <p class="muted">The auditor is checking this entry; its verdict appears here within seconds.</p>}
      <TableScroll label="Figures and the auditor's reasons">
      <table class="figures">
        <caption class="sr-only">Figures and the auditor's reasons</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col" class="num">Value</th>
            <th scope="col" class="num">Median</th>
            <th scope="col" class="num">z</th>
            <th scope="col">Auditor's reasons</th>
          </tr>
        </thead>
        <tbody>
          {MEASURED_FIELDS.map((f) => {
            const saved = entry[f.key] as number | null | undefined;
            // While re-audited, the audit's z, reasons and NSV are the figures' before: the row shows
            // those figures where the audit kept them, and otherwise says whose its z and reasons are.
            const audited = reauditing && audit?.figures && f.key in audit.figures ? audit.figures[f.key] : undefined;
            const value = audited !== undefined ? audited : saved;
            const m = metrics?.[f.key];
            const shown = (v: number | null | undefined) => (v === null || v === undefined ? "default" : `${signedMeasured(v, f.decimals)} ${f.unit}`.trim());
            const unknownBefore = reauditing && audited === undefined && (m?.z != null || byField(f.key).length > 0);
            return (
              <tr key={f.key} data-field={f.key} data-before={unknownBefore ? "true" : undefined}>
                <th scope="row">{f.label}</th>
                <td class="num">
                  {value === null || value === undefined ? <span class="muted">default</span> : shown(value)}
                  {audited !== undefined && audited !== (saved ?? null) && (
                    <span class="muted small-text nowrap" data-testid="saved-figure"><br />saved: {shown(saved)}, being checked</span>
                  )}
                </td>
                <td class="num" data-testid="median">{m?.median != null ? median(m.median, f.decimals, f.unit) : ""}</td>
                <td class={unknownBefore ? "num muted" : "num"} data-testid="z">{m?.z != null ? signed(m.z, 2) : ""}</td>
                <td>
                  {unknownBefore && <span class="muted small-text" data-testid="of-figures-before">Of the figures before this correction: </span>}
                  <ReasonList reasons={byField(f.key)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </TableScroll>
      {other.length > 0 && (
        <div class="other-reasons">
          <h3>Other reasons</h3>
          <ReasonList reasons={other} />
        </div>
      )}
      {explanation?.text && (
        <div class="explanation">
          <h3>
            {toOperator ? "The auditor's note to the coordinator who reviews it" : "Explanation"}{" "}
            <span class="source" data-testid="explanation-source">
              {explanation.source === "gemini" ? `written by Gemini${explanation.model ? ` (${explanation.model})` : ""}` : "written by the rules (deterministic)"}
            </span>
          </h3>
          {toOperator && (
            <p class="small-text" data-testid="explanation-for-operator">
              Written for the coordinator's review, not as an instruction to you. Your next step:{" "}
              {notOwnToCorrect
                ? `if a figure is wrong, ask a JV coordinator to correct it (${notOwnToCorrect})`
                : "if a figure was mistyped, correct the entry (the auditor checks it again)"}
              ; otherwise {decided ? "the coordinator's decision below stands" : "nothing: a coordinator approves or rejects it"}.
            </p>
          )}
          <p class="pre">{explanation.text}</p>
          {/* The auditor's rule-based text ends by saying why Gemini's failed (audit-explanation.ts rulesExplanation): said once. */}
          {explanation.gemini_error && !explanation.text.includes(RULES_SAY_WHY) && <p class="muted" data-testid="gemini-reason">Gemini gave no usable answer: {geminiReasonInWords(explanation.gemini_error)}.</p>}
        </div>
      )}
      {audit?.stats && (
        <p class="muted small-text">
          Statistics: {audit.stats.n ?? 0} accepted entries of {audit.stats.scope === "meter" ? "this meter" : "this partner"} in the window of {audit.stats.window ?? "?"}
          {audit.stats.enough_history === false ? ` (fewer than ${audit.stats.min_history ?? "?"}: no statistical reasons)` : `, |z| threshold ${audit.stats.z_threshold ?? "?"}`}.
        </p>
      )}
      {audit?.nsv && reauditing && (
        <p class="muted small-text" data-testid="nsv-before">The net standard volume below is the one of the figures before this correction.</p>
      )}
      {audit?.nsv && (
        <dl class={reauditing ? "factors muted" : "factors"} aria-label={reauditing ? "Net standard volume and its factors, of the figures before" : "Net standard volume and its factors"}>
          <div><dt>API60</dt><dd>{num(audit.nsv.api60, 1)}</dd></div>
          <div><dt>CTL</dt><dd>{factor(audit.nsv.ctl)}</dd></div>
          <div><dt>CPL</dt><dd>{factor(audit.nsv.cpl)}</dd></div>
          <div><dt>CTPL</dt><dd>{factor(audit.nsv.ctpl)}</dd></div>
          <div><dt>CSW</dt><dd>{factor(audit.nsv.csw)}</dd></div>
          <div><dt>GSV</dt><dd>{bbl(audit.nsv.gsv_bbl)} bbl</dd></div>
          <div><dt>NSV</dt><dd data-testid="nsv">{bbl(audit.nsv.nsv_bbl)} bbl</dd></div>
        </dl>
      )}
      <CorrectionNote entry={entry} />
      {entry.review && (
        <p class="review-note">
          Review {entry.review.revision && entry.review.revision > 1 ? `(revision ${entry.review.revision}) ` : ""}by <PersonName uid={entry.review.by} />
          {entry.review.by_role ? ` (${roleLabel(entry.review.by_role)})` : ""}, {dateTime(entry.review.at)}: “{entry.review.note}”
        </p>
      )}
      {audit && <p class="muted small-text">Rules {audit.rules_version} · checked {dateTime(audit.checked_at)}</p>}
    </div>
  );
}

/** An entry's verdict, live: pending until the auditor writes `audit`, then the verdict (and `after`, e.g. a review form). */
export function LiveEntryVerdict({ id, title = "Verdict", after }: { id: string; title?: string; after?: (entry: ProductionEntry) => ComponentChildren }) {
  const live = useLiveDoc<ProductionEntry>(`production_entries/${id}`);
  const { docs: entry, error, loading } = live.value;
  return (
    <Card title={title}>
      {error && <p class="error" role="alert">{error}</p>}
      {loading && <p class="muted">Loading…</p>}
      {!loading && !error && !entry && <p class="muted">No entry {id}.</p>}
      {entry && <EntryVerdict id={id} entry={entry} />}
      {entry && after?.(entry)}
    </Card>
  );
}
