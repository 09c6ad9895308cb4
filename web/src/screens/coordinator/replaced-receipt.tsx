import type { TerminalReceipt } from "../../data/types";
import { href } from "../../router";
import { Alert } from "../../ui/common";

/**
 * A receipt never reconciled whose corrected ticket was (the server's mark, written with that
 * ticket's first version): it is done, and reconcile refuses it.
 */
export function ReplacedUnreconciledNotice({ receipt }: { receipt: TerminalReceipt }) {
  const by = receipt.replaced_by_receipt_id;
  if (!by) return null;
  const version = receipt.replaced_by_reconciliation_id;
  return (
    <Alert kind="info">
      <span data-testid="receipt-replaced-unreconciled">
        Replaced by receipt <a href={href("receipts", by)}>{by}</a>
        {version && (
          <>
            {" "}(reconciled as <a href={href("statements", version)}>{version}</a>)
          </>
        )}{" "}
        before this one was ever reconciled: it is not reconciled, and its ticket stays on record. To correct the ticket again, enter a new
        receipt that replaces {by}.
      </span>
    </Alert>
  );
}
