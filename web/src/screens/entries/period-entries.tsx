import { useLiveDoc } from "../../data/live";
import { usePagedQuery } from "../../data/paged";
import { partnerPeriodEntries } from "../../data/queries";
import { usePeriodOf } from "../../data/jv-settings";
import type { ProductionEntry, Reconciliation } from "../../data/types";
import { toDate } from "../../format";
import { href } from "../../router";
import { Card, Loaded, Page } from "../../ui/common";
import { PartnerName } from "../../ui/partner";
import { EntryList, ENTRIES_PAGE, useClosedDays } from "./entry-list";

/**
 * One partner's entries in the period of a statement version: where a coordinator finds the entry a
 * partner's line or exception is about, and opens it to correct it. Who may read them the rules decide.
 */
export function PeriodEntriesScreen({ partnerId, reconciliationId }: { partnerId: string; reconciliationId: string }) {
  const report = useLiveDoc<Reconciliation>(`reconciliations/${reconciliationId}`).value;
  const periodOf = usePeriodOf();
  const from = toDate(report.docs?.period_start);
  const to = toDate(report.docs?.period_end);
  const { live, older } = usePagedQuery<ProductionEntry>(
    (limit) => (from && to ? partnerPeriodEntries(partnerId, from, to, limit) : undefined),
    `${partnerId}:${reconciliationId}:${from?.getTime()}`,
    ENTRIES_PAGE,
  );
  const closedDays = useClosedDays(live.docs);
  const statement = report.docs ? `version ${report.docs.version} of receipt ${report.docs.terminal_receipt_id}` : reconciliationId;
  return (
    <Page
      title="Entries of a statement's period"
      intro={
        <>
          Production entries of <strong><PartnerName id={partnerId} /></strong> in the period of{" "}
          <a href={href("statements", reconciliationId)}>{statement}</a>
          {report.docs && <>, {periodOf(report.docs.period_start, report.docs.period_end)}</>}, newest first. An entry's page shows its
          verdict, and offers a coordinator or admin its correction.
        </>
      }
    >
      <Card>
        {report.loading ? (
          <p class="muted" aria-busy="true">Loading…</p>
        ) : report.error ? (
          <p class="error" role="alert">The statement could not be read: {report.error}</p>
        ) : !report.loading && !report.docs ? (
          <p class="error" role="alert">There is no statement {reconciliationId}.</p>
        ) : (
          <Loaded live={live} empty="No entries of this partner in the period.">
            {(docs) => <EntryList entries={docs} closedDays={closedDays} older={older} />}
          </Loaded>
        )}
      </Card>
    </Page>
  );
}
