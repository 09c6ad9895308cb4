import { useLiveQuery, type Doc } from "../../data/live";
import { closedDays } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import { bbl, dayOf, num } from "../../format";
import { href } from "../../router";
import { Badge } from "../../ui/common";
import { statusOf } from "./entry-verdict";

export function useClosedDays() {
  const live = useLiveQuery<{ reconciliation_id?: string }>(closedDays(), "closed-days");
  return new Map(live.value.docs.map((d) => [d.id, d.data.reconciliation_id ?? ""]));
}

/** A partner's entries grouped by production day, newest first; closed days say so. */
export function EntryList({ entries, closed, canEdit }: { entries: Doc<ProductionEntry>[]; closed: Map<string, string>; canEdit: boolean }) {
  const days = new Map<string, Doc<ProductionEntry>[]>();
  for (const e of entries) {
    const day = dayOf(e.data.measured_at);
    days.set(day, [...(days.get(day) ?? []), e]);
  }
  return (
    <div class="day-groups" data-testid="entry-list">
      {[...days].map(([day, list]) => {
        const closedBy = closed.get(day);
        return (
          <section key={day} class="day-group" aria-label={`Entries of ${day}`} data-day={day}>
            <h3>
              {day} {closedBy !== undefined ? <Badge status="closed" label={`Closed · ${closedBy}`} /> : <span class="muted small-text">open</span>}
            </h3>
            <table class="data">
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
              <tbody>
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
                        {canEdit && status === "rejected" && closedBy === undefined && (
                          <a href={href("entries", id)} class="edit">Correct<span class="sr-only"> {e.meter_id ?? id} on {day}</span></a>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
