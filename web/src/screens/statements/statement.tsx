import { useEffect, useState } from "preact/hooks";
import { useLiveDoc, useLiveQuery } from "../../data/live";
import { receiptVersions, releasedReceiptVersions } from "../../data/queries";
import { requireUser } from "../../data/session";
import type { Reconciliation } from "../../data/types";
import { href } from "../../router";
import { Page, ReportBadge } from "../../ui/common";
import { StatementView } from "./statement-view";
import { asPartnerSees, partnerSeesOne, receiptOfVersion } from "../../domain/statement-lines";
import type { PartnerLeft } from "../../domain/partner-standing";

/** One report version; the other versions of the same receipt are one click away. */
export function StatementScreen({ id, left }: { id: string; left?: PartnerLeft }) {
  const user = requireUser();
  const [attempt, setAttempt] = useState(0);
  const live = useLiveDoc<Reconciliation>(`reconciliations/${id}`, attempt);
  const report = live.value.docs;
  const partner = user.role === "jv_partner" ? user.partnerId : undefined;
  // A partner lists only released versions: the rules refuse its query otherwise.
  const versionsOf = (receiptId: string) => (partner ? releasedReceiptVersions(receiptId, 20, left?.at) : receiptVersions(receiptId));
  // A version refused to a partner (not released yet) is listened for among the released versions
  // of the receipt its id names: once released, it joins them, and is read again (the refused
  // listener has ended).
  const refused = partner !== undefined && live.value.denied === true;
  const receipt = report?.terminal_receipt_id ?? (refused ? receiptOfVersion(id) : undefined);
  const versions = useLiveQuery<Reconciliation>(receipt ? versionsOf(receipt) : undefined, receipt ?? "");
  const releasedSince = refused && versions.value.docs.some((v) => v.id === id);
  useEffect(() => {
    if (releasedSince) setAttempt((n) => n + 1);
  }, [releasedSince]);
  // A partner's statement stands while the version replacing it awaits its release: the rules
  // refuse the partner that one, and the lists show this one as current (asPartnerSees).
  const successorPath = partner && report?.status === "superseded" && report.superseded_by ? `reconciliations/${report.superseded_by}` : undefined;
  const successor = useLiveDoc<Reconciliation>(successorPath);
  const denied = successorPath !== undefined && successor.value.denied === true;
  // Replaced by another receipt's version it may not read: that receipt's released versions too.
  const successorReceipt = denied && report?.superseded_by ? receiptOfVersion(report.superseded_by) : undefined;
  const replacingReceipt = successorReceipt !== undefined && successorReceipt !== report?.terminal_receipt_id ? successorReceipt : undefined;
  const replacing = useLiveQuery<Reconciliation>(replacingReceipt ? releasedReceiptVersions(replacingReceipt, 20, left?.at) : undefined, replacingReceipt ?? "");
  const shown: Reconciliation | undefined =
    report && denied ? partnerSeesOne(id, report, [...versions.value.docs, ...replacing.value.docs]) : report;
  const successorWaits = report?.status === "superseded" && shown?.status === "completed";
  const listed = (partner ? asPartnerSees(versions.value.docs) : versions.value.docs).map((v) =>
    v.id === id && shown ? { ...v, data: { ...v.data, status: shown.status } } : v,
  );
  return (
    <Page title="Allocation statement" actions={<a class="button secondary" href={href("statements")}>All statements</a>}>
      {live.value.error &&
        (partner && live.value.denied ? (
          // The rules refuse a partner a version not released to it as they refuse one that does not exist.
          <p class="muted" role="status" data-testid="not-released">No released statement {id}: it does not exist, or it awaits its release to the partners (it shows here once released).</p>
        ) : (
          <p class="error" role="alert">{live.value.error}</p>
        ))}
      {live.value.loading && <p class="muted">Loading…</p>}
      {!live.value.loading && !report && !live.value.error && <p class="muted">No report {id}.</p>}
      {successorWaits && (
        <p class="muted" role="status" data-testid="successor-waits">
          A newer version of this period awaits its release to the partners; until then this statement stands.
        </p>
      )}
      {versions.value.error && <p class="error" role="alert">The other versions of this period could not be read: {versions.value.error}</p>}
      {listed.length > 1 && (
        <nav class="versions" aria-label="Versions">
          Versions:{" "}
          {listed.map((v) => (
            <a key={v.id} href={href("statements", v.id)} aria-current={v.id === id ? "page" : undefined}>
              v{v.data.version} <ReportBadge report={v.data} />
            </a>
          ))}
        </nav>
      )}
      {shown && <StatementView id={id} report={shown} onlyPartner={partner} />}
    </Page>
  );
}
