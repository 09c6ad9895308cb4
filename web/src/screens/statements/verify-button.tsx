import { useState } from "preact/hooks";
import { verifyReconciliation } from "../../data/callables";
import type { VerificationReport } from "../../data/types";
import { errorMessage } from "../../format";
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
      setError(`verifyReconciliation failed: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const failed = report?.checks.filter((c) => !c.ok) ?? [];
  return (
    <div class="verify" data-testid="verify">
      <button type="button" class="secondary" onClick={run} disabled={busy}>{busy ? "Verifying…" : "Verify"}</button>
      {error && <Alert kind="error">{error}</Alert>}
      {report && (
        <div data-testid="verify-result" data-ok={String(report.ok)}>
          <Alert kind={report.ok ? "ok" : "error"}>
            {report.ok
              ? `Verified: all ${report.checks.length} checks pass (the hash and its anchor in the audit chain, the receipt, every entry's NSV, every total and partner row).`
              : `Verification FAILED: ${failed.map((c) => c.check).join(", ")}`}
          </Alert>
          {report.not_checked && report.not_checked.length > 0 && (
            <p class="muted small-text">Not checked from this evidence: {report.not_checked.join("; ")}</p>
          )}
          <details>
            <summary>Checks</summary>
            <ul class="checks">
              {report.checks.map((c) => (
                <li key={c.check} class={c.ok ? "ok" : "bad"}>{c.ok ? "✓" : "✗"} {c.check}{!c.ok && ` — stored ${JSON.stringify(c.stored)}, recomputed ${JSON.stringify(c.recomputed)}`}</li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </div>
  );
}
