import { useState } from "preact/hooks";
import { useLiveQuery, type Doc } from "../../data/live";
import { closedDaysSince } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import { useContractDayOf } from "../../data/jv-settings";
import { bbl, num } from "../../format";
import { href } from "../../router";
import { Badge } from "../../ui/common";
import { statusOf } from "./entry-verdict";

export function useClosedDays() {
  // A year and a bit back covers every day an entry list shows.
  const since = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
  const live = useLiveQuery<{ reconciliation_id?: string }>(closedDaysSince(since), `closed-days-${since}`);
  const closed = new Map(live.value.docs.map((d) => [d.id, d.data.reconciliation_id ?? ""]));
  return { closed, error: live.value.error };
}

const DAYS_SHOWN = 10;

/**
 * A partner's entries grouped by contract day (settings/jv), newest first; closed days say so.
 * `editorUid`: the operator whose own rejected entries may be corrected (the rules let only an
 * entry's author edit it: not another operator's, not the gateway's).
 */
export function EntryList({ entries, closedDays, editorUid }: { entries: Doc<ProductionEntry>[]; closedDays: ReturnType<typeof useClosedDays>; editorUid?: string }) {
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
      <table class="data entries">
        <caption class="sr-only">Entries by contract day, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Meter</th>
            <th scope="col" class="num">Gross (bbl)</th>
            <th scope="col" class="num">BS&amp;W (%)</th>
            <th scope="col" class="num">Temp. (°F)</th>
            <th scope="col" class="num">API</th>
            <th scope="col" class="num">NSV (bbl)</th>
            <th scope="col">Verdict</th>
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr>
        </thead>
        {shown.map(([day, list]) => {
          const closedBy = closed.get(day);
          return (
            <tbody key={day} data-day={day}>
              <tr class="day-row">
                <th scope="colgroup" colSpan={8}>
                  {day} {closedBy !== undefined ? <Badge status="closed" label={`Closed · ${closedBy}`} /> : <span class="open-day">open</span>}
                </th>
              </tr>
              {list.map(({ id, data: e }) => {
                const status = statusOf(e);
                return (
                  <tr key={id} data-entry={id} data-partner={e.partner_id}>
                    <td>{e.meter_id ?? <span class="muted">—</span>}</td>
                    <td class="num">{bbl(e.gross_volume_bbl)}</td>
                    <td class="num">{num(e.bsw_percent, 2)}</td>
                    <td class="num">{num(e.temperature_degF, 1)}</td>
                    <td class="num">{num(e.api_gravity, 1)}</td>
                    <td class="num">{bbl(e.audit?.nsv?.nsv_bbl)}</td>
                    <td>
                      <Badge status={status} />
                      {e.review && <span class="muted small-text"> {e.review.decision === "approved" ? "approved" : "rejected on review"}</span>}
                    </td>
                    <td class="actions">
                      <a href={href("entry", id)}>Details<span class="sr-only"> of {e.meter_id ?? id} on {day}</span></a>
                      {editorUid !== undefined && e.created_by === editorUid && status === "rejected" && closedBy === undefined && !e.correction_note && (
                        <a href={href("entries", id)} class="edit">Correct<span class="sr-only"> {e.meter_id ?? id} on {day}</span></a>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table>
      {days.size > DAYS_SHOWN && (
        <button type="button" class="secondary small show-more" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the last ${DAYS_SHOWN} days only` : `Show all ${days.size} days`}
        </button>
      )}
    </div>
  );
}
