import { useState } from "preact/hooks";
import { verifyReconciliation } from "../../data/callables";
import type { VerificationReport } from "../../data/types";
import { errorMessage, num } from "../../format";
import { Alert } from "../../ui/common";

/** Recomputes the report from its manifest and hash on the server (verifyReconciliation). */
export function VerifyButton({ id }: { id: string }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerificationReport>();
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await verifyReconciliation({ reconciliation_id: id }));
    } catch (e) {
      setError(`Could not verify: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const failed = report?.checks.filter((c) => !c.ok) ?? [];
  const total = num(report?.checks.length, 0);
  const inWords = report?.not_checked_in_words ?? [];
  const byField = report?.not_checked ?? [];
  return (
    <div class="verify" data-testid="verify">
      <button type="button" class="secondary" onClick={run} disabled={busy}>{busy ? "Verifying…" : "Verify"}</button>
      {error && <Alert kind="error">{error}</Alert>}
      {report && (
        <div data-testid="verify-result" data-ok={String(report.ok)}>
          <Alert kind={report.ok ? "ok" : "error"}>
            {report.ok
              ? `Verified: all ${total} checks pass. The statement's seal and its record in the audit log, the terminal receipt, every entry's net volume, every total and every partner row were recomputed and match${inWords.length > 0 ? ", but for what this check cannot confirm, listed below" : ""}.`
              : `Verification failed: ${num(failed.length, 0)} of ${total} checks do not match (listed under Checks). Do not rely on these figures; tell the JV's coordinator.`}
          </Alert>
          {inWords.length > 0 && (
            <div class="muted small-text" data-testid="not-checked">
              <p>What this check cannot confirm:</p>
              <ul>
                {inWords.map((text) => <li key={text}>{text}</li>)}
              </ul>
            </div>
          )}
          <details>
            <summary>Checks</summary>
            <ul class="checks">
              {report.checks.map((c) => (
                <li key={c.check} class={c.ok ? "ok" : "bad"}>{c.ok ? "✓" : "✗"} {c.check}{!c.ok && ` — stored ${JSON.stringify(c.stored)}, recomputed ${JSON.stringify(c.recomputed)}`}</li>
              ))}
            </ul>
            {byField.length > 0 && (
              <>
                <p class="small-text">Not checked, by field:</p>
                <ul class="checks" data-testid="not-checked-fields">
                  {byField.map((n) => <li key={n}>– {n}</li>)}
                </ul>
              </>
            )}
          </details>
        </div>
      )}
    </div>
  );
}
