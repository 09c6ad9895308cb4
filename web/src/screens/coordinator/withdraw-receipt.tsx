import { useState } from "preact/hooks";
import { withdrawReceipt } from "../../data/callables";
import type { TerminalReceipt } from "../../data/types";
import { dateTime, errorMessage } from "../../format";
import { Alert } from "../../ui/common";
import { typedTextProblem } from "../../domain/typed-text";
import { NoteArea } from "../../ui/text-problem";
import { PersonName } from "../../ui/person";

/** Who withdrew a receipt entered by mistake, when and why. */
export function WithdrawnNotice({ receipt }: { receipt: TerminalReceipt }) {
  return (
    <Alert kind="info">
      <span data-testid="receipt-withdrawn">
        Withdrawn by <PersonName uid={receipt.withdrawn_by} /> on {dateTime(receipt.withdrawn_at)}: “{receipt.withdrawal_note}”
      </span>
      <br />
      It is not reconciled; the ticket is entered again as a new receipt.
    </Alert>
  );
}

/**
 * Withdraws a receipt not reconciled yet (a wrong period, a mistyped figure), with a note the
 * callable requires; behind a disclosure, since it is the exception on a receipt's page.
 */
export function WithdrawReceipt({ id }: { id: string }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const problem = typedTextProblem("Note", note.trim(), "lines");
  const withdraw = async (event: Event) => {
    event.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
      await withdrawReceipt({ terminal_receipt_id: id, note });
    } catch (e) {
      setError(`Not withdrawn: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="withdraw-receipt" data-testid="withdraw-receipt">
      <summary>Withdraw this receipt (entered by mistake)</summary>
      <form onSubmit={withdraw} aria-label={`Withdraw receipt ${id}`}>
        <p class="muted small-text">
          A receipt not reconciled yet can be withdrawn: it stays listed as withdrawn, with your note, and is never reconciled. A reconciled
          receipt is corrected by a receipt that replaces it instead.
        </p>
        <label for="withdrawal-note">Why it is withdrawn <span class="muted">(required)</span></label>
        <NoteArea id="withdrawal-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} problemId="withdrawal-note-problem" problem={problem} />
        <div class="form-actions">
          <button type="submit" class="danger" disabled={busy || note.trim() === "" || !!problem}>{busy ? "Withdrawing…" : "Withdraw receipt"}</button>
        </div>
        {error && <Alert kind="error">{error}</Alert>}
      </form>
    </details>
  );
}
