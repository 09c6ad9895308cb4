import { useJvSettings, usePeriodOf } from "../../data/jv-settings";
import { contractClockText } from "../../domain/contract-clock";
import { usePagedQuery } from "../../data/paged";
import { recentReceipts } from "../../data/queries";
import type { TerminalReceipt } from "../../data/types";
import { signedMeasured } from "../../format";
import { href } from "../../router";
import { Badge, Card, Loaded, OlderRows, Page, TableScroll } from "../../ui/common";
import { requireUser } from "../../data/session";
import { ReceiptForm } from "./receipt-form";
import { reportIdParts } from "../../domain/statement-label";
import { StatementId } from "../statements/statement-link";

const RECEIPTS_PAGE = 50;

export function ReceiptsScreen() {
  const period = usePeriodOf();
  const { settings } = useJvSettings();
  const user = requireUser();
  const canCreate = user.role === "jv_coordinator" || user.role === "admin";
  const { live: receipts, older } = usePagedQuery<TerminalReceipt>(recentReceipts, "receipts", RECEIPTS_PAGE);
  return (
    <Page title="Terminal receipts" intro="What the export terminal measured for each allocation period. Open a receipt to check what blocks its reconciliation, reconcile it and read the statement.">
      <Card>
        <p class="small-text" data-testid="contract-clock">Periods are named by the contract days they cover. {contractClockText(settings, "settings")}</p>
        <Loaded live={receipts} empty="No terminal receipts yet.">
          {(docs) => {
            const replacers = replacersOf(docs);
            return (
            <TableScroll blocks="receipts-list" label="Receipts table"><table class="data receipts-table" data-testid="receipts" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">Receipt</th>
                  <th role="columnheader" scope="col">Period</th>
                  <th role="columnheader" scope="col">Terminal</th>
                  <th role="columnheader" scope="col" class="num">Gross (bbl)</th>
                  <th role="columnheader" scope="col" class="num">API</th>
                  <th role="columnheader" scope="col" class="num">Temp. (°F)</th>
                  <th role="columnheader" scope="col" class="num">BS&amp;W (%)</th>
                  <th role="columnheader" scope="col">Latest version</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {docs.map(({ id, data: r }) => (
                  <tr key={id} data-receipt={id} role="row">
                    <td role="cell" class="nowrap"><a href={href("receipts", id)}>{id}</a></td>
                    <td role="cell" class="nowrap" data-label="Period">{period(r.period_start, r.period_end)}</td>
                    <td role="cell" class="terminal-name" data-label="Terminal">{r.terminal_name ?? <span class="muted">—</span>}</td>
                    <td role="cell" class="num" data-label="Gross (bbl)">{signedMeasured(r.gross_volume_bbl, 2)}</td>
                    <td role="cell" class="num" data-label="API">{signedMeasured(r.api_gravity, 1)}</td>
                    <td role="cell" class="num" data-label="Temp. (°F)">{signedMeasured(r.temperature_degF, 1)}</td>
                    <td role="cell" class="num" data-label="BS&W (%)">{signedMeasured(r.bsw_percent, 2)}</td>
                    <td role="cell" class="latest" data-label="Latest version">
                      {r.latest_reconciliation_id ? <><a href={href("statements", r.latest_reconciliation_id)}>{`version ${reportIdParts(r.latest_reconciliation_id)?.version ?? "?"}`}</a> <StatementId id={r.latest_reconciliation_id} /></> : r.withdrawn ? <Badge status="rejected" label="Withdrawn" /> : <Badge status="pending" label="Not reconciled" />}
                      {!r.withdrawn && <ReplacedBy replacer={replacers.get(id)} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table></TableScroll>
            );
          }}
        </Loaded>
        <OlderRows older={older} what="receipts" testId="receipts-cut" />
      </Card>
      {canCreate && (
        <Card title="New terminal receipt">
          <ReceiptForm receipts={receipts.docs.map(({ id, data }) => ({ id, label: `${id} · ${period(data.period_start, data.period_end)}` }))} />
        </Card>
      )}
    </Page>
  );
}

interface Replacer {
  id: string;
  reconciled: boolean;
}

/**
 * Each receipt a later one names in `supersedes_receipt_id` (a corrected ticket), with that one: a
 * reconciled replacement before any other (it holds the days), a withdrawn one never.
 */
function replacersOf(docs: ReadonlyArray<{ id: string; data: TerminalReceipt }>): Map<string, Replacer> {
  const replacers = new Map<string, Replacer>();
  for (const { id, data } of docs) {
    const replaced = data.supersedes_receipt_id;
    if (!replaced || data.withdrawn) continue;
    const reconciled = Boolean(data.latest_reconciliation_id);
    if (!replacers.get(replaced)?.reconciled) replacers.set(replaced, { id, reconciled });
  }
  return replacers;
}

/** Two receipts over the same days both read "version 1" otherwise: say which one holds the days. */
function ReplacedBy({ replacer }: { replacer?: Replacer }) {
  if (!replacer) return null;
  return replacer.reconciled ? (
    <span class="replaced-by" data-testid="replaced-by">
      <Badge status="superseded" label="Replaced" /> by <a href={href("receipts", replacer.id)}>{replacer.id}</a>
    </span>
  ) : (
    <span class="replaced-by muted small-text" data-testid="replaced-by">
      <a href={href("receipts", replacer.id)}>{replacer.id}</a> replaces it once reconciled
    </span>
  );
}
