import { useState } from "preact/hooks";
import { useLiveQuery } from "../../data/live";
import { useJvSettings } from "../../data/jv-settings";
import { contractPeriodDays } from "../../domain/jv-settings";
import { receiptReplacements } from "../../data/queries";
import type { TerminalReceipt } from "../../data/types";
import { href } from "../../router";
import { ReceiptForm } from "./receipt-form";

/**
 * A reconciled receipt is never edited: a wrong ticket is corrected by a new receipt that replaces
 * it, whose reconciliation supersedes this one's version. Offered from the receipt itself, with
 * its period and figures filled in, so that a receipt long gone from the receipts list can be
 * corrected too. A replacement entered already is pointed to instead: two would contend for the days.
 */
export function CorrectTicket({ id, receipt }: { id: string; receipt: TerminalReceipt }) {
  const [open, setOpen] = useState(false);
  const { settings, loading: settingsLoading } = useJvSettings();
  // Read once the panel is opened: most visits to a receipt never open it.
  const replacements = useLiveQuery<TerminalReceipt>(open ? receiptReplacements(id) : undefined, `${id}:${open}`);
  const { docs, loading, error } = replacements.value;
  const standing = docs.filter((d) => !d.data.withdrawn);
  const reconciled = standing.find((d) => d.data.latest_reconciliation_id);
  const waiting = standing.find((d) => !d.data.latest_reconciliation_id);
  const link = (replacer: string) => <a href={href("receipts", replacer)}>{replacer}</a>;
  const days = contractPeriodDays(receipt.period_start.toDate(), receipt.period_end.toDate(), settings);
  return (
    <details class="correct-ticket" data-testid="correct-ticket" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Correct this ticket (enter a receipt that replaces it)</summary>
      {error && <p class="error" role="alert">The receipts that replace this one could not be read: {error}</p>}
      {!error && (loading || settingsLoading) && <p class="muted">Loading…</p>}
      {!error && !loading && reconciled && (
        <p data-testid="correct-ticket-replaced">
          Receipt {link(reconciled.id)} replaced this ticket and holds its days: to correct the ticket again, correct that receipt.
        </p>
      )}
      {!error && !loading && !reconciled && waiting && (
        <p data-testid="correct-ticket-waiting">
          Receipt {link(waiting.id)} was entered to replace this ticket and is not reconciled yet: reconcile it, or withdraw it and enter the
          corrected ticket again here.
        </p>
      )}
      {!error && !loading && !settingsLoading && standing.length === 0 && open && (
        <>
          <p class="muted small-text">
            The new receipt starts from this one's period and figures: change what the terminal corrected and say why. Once it is
            reconciled, its version replaces this receipt's, and each partner's change is raised as a prior-period adjustment.
          </p>
          <ReceiptForm receipts={[]} replacing={{ id, receipt, firstDay: days.first, lastDay: days.last }} />
        </>
      )}
    </details>
  );
}
