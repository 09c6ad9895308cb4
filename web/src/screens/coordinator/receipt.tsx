import { useEffect, useState } from "preact/hooks";
import { reconcile } from "../../data/callables";
import { useLiveDoc, useLiveQuery } from "../../data/live";
import { receiptVersions } from "../../data/queries";
import { requireUser } from "../../data/session";
import type { Reconciliation, TerminalReceipt } from "../../data/types";
import { useContractDayOf, usePeriodOf } from "../../data/jv-settings";
import { bbl, errorMessage, num } from "../../format";
import { href } from "../../router";
import { Alert, Badge, Card, Page } from "../../ui/common";
import { StatementView } from "../statements/statement-view";
import { preflight, type Preflight } from "./preflight";

function PreflightPanel({ receipt, canReconcile, onReconciled }: { receipt: TerminalReceipt & { id: string }; canReconcile: boolean; onReconciled: (id: string) => void }) {
  const dayOf = useContractDayOf();
  const [check, setCheck] = useState<Preflight>();
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "ok" | "info"; text: string }>();
  const run = async () => {
    setChecking(true);
    try {
      setCheck(await preflight(receipt.period_start, receipt.period_end));
    } catch (e) {
      setMessage({ kind: "error", text: `Pre-flight failed: ${errorMessage(e)}` });
    } finally {
      setChecking(false);
    }
  };
  useEffect(() => void run(), [receipt.id]);
  const blockers = check ? check.notAudited + check.awaitingReview.length : undefined;
  const doReconcile = async () => {
    setBusy(true);
    setMessage({ kind: "info", text: "Reconciling: measuring every entry of the period and allocating…" });
    try {
      const result = await reconcile({ terminal_receipt_id: receipt.id });
      setMessage({ kind: "ok", text: result.unchanged ? `Inputs unchanged: ${result.reconciliation_id} (version ${result.version}) stands.` : `Reconciled: ${result.reconciliation_id} (version ${result.version}).` });
      onReconciled(result.reconciliation_id);
    } catch (e) {
      setMessage({ kind: "error", text: `reconcile refused: ${errorMessage(e)}` });
      void run();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Pre-flight" actions={<button type="button" class="secondary small" onClick={run} disabled={checking}>{checking ? "Checking…" : "Check again"}</button>}>
      {!check && checking && <p class="muted">Checking the period's entries…</p>}
      {check && (
        <div data-testid="preflight" data-blockers={String(blockers)}>
          <ul class="preflight">
            <li class={check.notAudited ? "bad" : "ok"}>{num(check.entries, 0)} entries in the period; {check.notAudited === 0 ? "all audited" : `${check.notAudited} not yet audited`}</li>
            <li class={check.awaitingReview.length ? "bad" : "ok"}>
              {check.awaitingReview.length === 0 ? "no flagged entry awaits review" : `${check.awaitingReview.length} flagged entr${check.awaitingReview.length === 1 ? "y awaits" : "ies await"} review:`}
              {check.awaitingReview.length > 0 && (
                <ul>
                  {check.awaitingReview.map(({ id, entry }) => (
                    <li key={id}><a href={href("review")}>{entry.partner_id} {entry.meter_id ?? ""} {dayOf(entry.measured_at)}</a> ({(entry.audit?.reasons ?? []).map((r) => r.code).join(", ")})</li>
                  ))}
                </ul>
              )}
            </li>
          </ul>
          {canReconcile && (
            <div class="form-actions">
              <button type="button" onClick={doReconcile} disabled={busy || blockers !== 0}>{busy ? "Reconciling…" : receipt.latest_reconciliation_id ? "Reconcile again (new version if inputs changed)" : "Reconcile"}</button>
              {blockers !== 0 && <span class="muted">Resolve what blocks first.</span>}
            </div>
          )}
        </div>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </Card>
  );
}

export function ReceiptScreen({ id }: { id: string }) {
  const period = usePeriodOf();
  const user = requireUser();
  const live = useLiveDoc<TerminalReceipt>(`terminal_receipts/${id}`);
  const versions = useLiveQuery<Reconciliation>(receiptVersions(id), id);
  const receipt = live.value.docs;
  const latest = versions.value.docs[0];
  const canReconcile = user.role === "jv_coordinator" || user.role === "admin";
  return (
    <Page title={`Terminal receipt ${id}`} actions={<a class="button secondary" href={href("receipts")}>All receipts</a>}>
      {live.value.error && <p class="error" role="alert">{live.value.error}</p>}
      {receipt && (
        <>
          <Card title="Receipt">
            <dl class="factors">
              <div><dt>Period</dt><dd>{period(receipt.period_start, receipt.period_end)}</dd></div>
              <div><dt>Terminal</dt><dd>{receipt.terminal_name ?? "—"}</dd></div>
              <div><dt>Gross</dt><dd>{bbl(receipt.gross_volume_bbl)} bbl</dd></div>
              <div><dt>API (observed)</dt><dd>{num(receipt.api_gravity, 1)}</dd></div>
              <div><dt>Temperature</dt><dd>{num(receipt.temperature_degF, 1)} °F</dd></div>
              <div><dt>BS&amp;W</dt><dd>{num(receipt.bsw_percent, 2)} %</dd></div>
            </dl>
          </Card>
          <PreflightPanel receipt={{ ...receipt, id }} canReconcile={canReconcile} onReconciled={() => undefined} />
        </>
      )}
      {versions.value.docs.length > 0 && (
        <nav class="versions" aria-label="Versions">
          Versions:{" "}
          {versions.value.docs.map((v) => (
            <a key={v.id} href={href("statements", v.id)}>v{v.data.version} <Badge status={v.data.status} /></a>
          ))}
        </nav>
      )}
      {latest && <StatementView id={latest.id} report={latest.data} />}
    </Page>
  );
}
