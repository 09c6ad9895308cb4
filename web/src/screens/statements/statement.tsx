import { useLiveDoc, useLiveQuery } from "../../data/live";
import { receiptVersions, releasedReceiptVersions } from "../../data/queries";
import { requireUser } from "../../data/session";
import type { Reconciliation } from "../../data/types";
import { href } from "../../router";
import { Page, ReportBadge } from "../../ui/common";
import { StatementView } from "./statement-view";

/** One report version; the other versions of the same receipt are one click away. */
export function StatementScreen({ id }: { id: string }) {
  const user = requireUser();
  const live = useLiveDoc<Reconciliation>(`reconciliations/${id}`);
  const report = live.value.docs;
  const partner = user.role === "jv_partner" ? user.partnerId : undefined;
  // A partner lists only released versions: the rules refuse its query otherwise.
  const versionsOf = partner ? releasedReceiptVersions : receiptVersions;
  const versions = useLiveQuery<Reconciliation>(report ? versionsOf(report.terminal_receipt_id) : undefined, report?.terminal_receipt_id ?? "");
  return (
    <Page title="Allocation statement" actions={<a class="button secondary" href={href("statements")}>All statements</a>}>
      {live.value.error &&
        (partner && live.value.denied ? (
          // The rules refuse a partner a version not released to it as they refuse one that does not exist.
          <p class="muted" role="status" data-testid="not-released">No released statement {id}: it does not exist, or it awaits its release to the partners.</p>
        ) : (
          <p class="error" role="alert">{live.value.error}</p>
        ))}
      {live.value.loading && <p class="muted">Loading…</p>}
      {!live.value.loading && !report && !live.value.error && <p class="muted">No report {id}.</p>}
      {versions.value.docs.length > 1 && (
        <nav class="versions" aria-label="Versions">
          Versions:{" "}
          {versions.value.docs.map((v) => (
            <a key={v.id} href={href("statements", v.id)} aria-current={v.id === id ? "page" : undefined}>
              v{v.data.version} <ReportBadge report={v.data} />
            </a>
          ))}
        </nav>
      )}
      {report && <StatementView id={id} report={report} onlyPartner={partner} />}
    </Page>
  );
}
