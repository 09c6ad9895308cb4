import { useState } from "preact/hooks";
import { useLiveQuery, type Doc, type Live } from "../../data/live";
import { usePagedQuery, type OlderPages } from "../../data/paged";
import { closedDaysSince, partnerEntries } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import { useContractDayOf } from "../../data/jv-settings";
import { bbl, num, signedMeasured, toDate } from "../../format";
import { reportInWords } from "../../domain/statement-label";
import { closedDaysWindow } from "../../domain/closed-days-window";
import { href } from "../../router";
import { Badge, TableScroll } from "../../ui/common";
import { awaitingReaudit } from "../../data/reaudit";
import { correctableByItsOperator, excludedUntilCorrected, statusOf } from "./entry-verdict";

/** Which days the entries listed lie on are closed, back to the oldest of them (closed-days-window.ts). */
export function useClosedDays(entries: readonly Doc<ProductionEntry>[]) {
  let oldest: Date | undefined;
  for (const e of entries) {
    const at = toDate(e.data.measured_at);
    if (at && (!oldest || at < oldest)) oldest = at;
  }
  const { since, limit } = closedDaysWindow(oldest, new Date());
  const live = useLiveQuery<{ reconciliation_id?: string }>(closedDaysSince(since, limit), `closed-days-${since}-${limit}`, { keepDocs: true });
  const closed = new Map(live.value.docs.map((d) => [d.id, d.data.reconciliation_id ?? ""]));
  return { closed, error: live.value.error };
}

const DAYS_SHOWN = 10;
export const ENTRIES_PAGE = 150;

/**
 * A partner's newest entries (the only list the rules let operators and partners make),
 * ENTRIES_PAGE more at each `older.more()`.
 */
export function usePartnerEntries(partnerId: string, before?: Date): { entries: Live<Doc<ProductionEntry>[]>; older: OlderPages } {
  const { live, older } = usePagedQuery<ProductionEntry>((limit) => partnerEntries(partnerId, limit, before), `${partnerId} ${before?.toISOString() ?? ""}`, ENTRIES_PAGE);
  return { entries: live, older };
}

/**
 * A partner's entries grouped by contract day (settings/jv), newest first; closed days say so.
 * `editorUid`: the operator whose own excluded entries (rejected by the auditor or on review) may be corrected (the rules let only an
 * entry's author edit it: not another operator's, not the gateway's).
 */
export function EntryList({ entries, closedDays, editorUid, older }: { entries: Doc<ProductionEntry>[]; closedDays: ReturnType<typeof useClosedDays>; editorUid?: string; older?: OlderPages }) {
  const { closed, error } = closedDays;
  const [showAll, setShowAll] = useState(false);
  const dayOf = useContractDayOf();
  const days = new Map<string, Doc<ProductionEntry>[]>();
  for (const e of entries) {
    const day = dayOf(e.data.measured_at);
    days.set(day, [...(days.get(day) ?? []), e]);
  }
  const shown = showAll ? [...days] : [...days].slice(0, DAYS_SHOWN);
  return (
    <div data-testid="entry-list">
      {error && <p class="error" role="alert">Which days are closed is unknown: {error}</p>}
      <TableScroll blocks="entries-list" label="Entries table"><table class="data entries" role="table">
        <caption class="sr-only">Entries by contract day, newest first</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">Meter</th>
            <th role="columnheader" scope="col" class="num">Gross (bbl)</th>
            <th role="columnheader" scope="col" class="num">BS&amp;W (%)</th>
            <th role="columnheader" scope="col" class="num">Temp. (°F)</th>
            <th role="columnheader" scope="col" class="num">API</th>
            <th role="columnheader" scope="col" class="num">NSV (bbl)</th>
            <th role="columnheader" scope="col">Verdict</th>
            <th role="columnheader" scope="col"><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        {shown.map(([day, list]) => {
          const closedBy = closed.get(day);
          return (
            <tbody key={day} data-day={day} role="rowgroup">
              <tr class="day-row" role="row">
                <th role="rowheader" scope="colgroup" colSpan={8}>
                  {day} {closedBy !== undefined ? <><Badge status="closed" label="Closed" /> <span class="closed-by" title={`Report ${closedBy}`}>by {reportInWords(closedBy)}</span></> : <span class="open-day">open</span>}
                </th>
              </tr>
              {list.map(({ id, data: e }) => {
                const status = statusOf(e);
                return (
                  <tr key={id} data-entry={id} data-partner={e.partner_id} role="row">
                    <td role="cell" class="meter">{e.meter_id ?? <span class="muted">no meter</span>}</td>
                    <td role="cell" class="num" data-label="Gross (bbl)">{signedMeasured(e.gross_volume_bbl, 2)}</td>
                    <td role="cell" class="num" data-label="BS&W (%)">{signedMeasured(e.bsw_percent, 2)}</td>
                    <td role="cell" class="num" data-label="Temp. (°F)">{signedMeasured(e.temperature_degF, 1)}</td>
                    <td role="cell" class="num" data-label="API">{signedMeasured(e.api_gravity, 1)}</td>
                    <td role="cell" class="num" data-label="NSV (bbl)">
                      {awaitingReaudit(id, e) && e.audit?.nsv?.nsv_bbl != null ? (
                        // Saved figures beside the NSV of the audited ones: said to be the figures' before.
                        <span class="muted" data-testid="nsv-before">{bbl(e.audit?.nsv?.nsv_bbl)}<span class="small-text nsv-note"> of the figures before; being checked</span></span>
                      ) : excludedUntilCorrected(e) ? (
                        // A rejected entry's NSV is computed all the same: said not to count, lest it be added up.
                        <span class="muted" data-testid="nsv-excluded">{bbl(e.audit?.nsv?.nsv_bbl)}<span class="small-text nsv-note"> not allocated</span></span>
                      ) : bbl(e.audit?.nsv?.nsv_bbl)}
                    </td>
                    <td role="cell" class="verdict-cell">
                      <Badge status={status} />
                      {e.review && <span class="muted small-text"> · {e.review.decision === "approved" ? "approved on review" : "rejected on review"}</span>}
                    </td>
                    <td role="cell" class="actions">
                      <a href={href("entry", id)}>Details<span class="sr-only"> of {e.meter_id ?? "the entry without a meter"} on {day}</span></a>
                      {editorUid !== undefined && correctableByItsOperator(e) && closedBy === undefined && !e.correction_note && (
                        e.created_by === editorUid ? (
                          <a href={href("entries", id)} class="edit">Correct<span class="sr-only"> {e.meter_id ?? "the entry without a meter"} on {day}</span></a>
                        ) : (
                          // The rules let an operator edit its own entries only: say who can correct this one.
                          <span class="muted small-text" data-testid="corrected-by-others">
                            {" "}{e.created_by?.startsWith("api_key:") ? "A gateway's ticket: a coordinator corrects it" : "Another operator's entry: they or a coordinator correct it"}
                          </span>
                        )
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table></TableScroll>
      {days.size > DAYS_SHOWN && (
        <button type="button" class="secondary small show-more" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the last ${DAYS_SHOWN} days only` : `Show all ${days.size} days`}
        </button>
      )}
      {older?.cut && (
        <p class="muted small-text show-more" data-testid="entries-cut">
          Showing the newest {num(older.limit, 0)} entries: older ones, and perhaps some of the oldest day listed, are not shown.{" "}
          <button type="button" class="secondary small" aria-disabled={older.loading} onClick={older.loading ? undefined : () => { setShowAll(true); older.more(); }}>
            {older.loading ? "Loading older entries…" : "Show older entries"}
          </button>
        </p>
      )}
    </div>
  );
}
