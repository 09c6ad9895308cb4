import { useEffect } from "preact/hooks";
import { useJvSettings, usePeriodOf } from "../../data/jv-settings";
import { type Doc, type Live } from "../../data/live";
import { usePagedQuery, type OlderPages } from "../../data/paged";
import { partnerAdjustments, recentReports, releasedReports } from "../../data/queries";
import { requireUser } from "../../data/session";
import { useRestatements } from "../../data/restatements";
import type { PriorPeriodAdjustment, Reconciliation } from "../../data/types";
import { bbl, deltaBbl, isGain, pct, signedBbl } from "../../format";
import { Badge, Card, Loaded, OlderRows, Page, ReportBadge, TableScroll } from "../../ui/common";
import { AdjustmentDelta } from "../coordinator/adjustments";
import { carriedFor } from "../../domain/net-position";
import { asPartnerSees, trendPoints, type TrendPoint } from "../../domain/statement-lines";
import { restatementState } from "../../domain/restatement";
import { TrendChart } from "./trend-chart";
import { PartnerName } from "../../ui/partner";
import { partnerNameOf } from "../../data/partners";
import { found } from "../../data/lookup-state";
import { raisedBy, releasedToPartner, StatementLink, usePartnerMayOpen } from "./statement-link";
import type { PartnerLeft } from "../../domain/partner-standing";

/** The partner's figures in the newest completed statement with a line for it (reports: newest period first). */
function LatestAllocation({ partner, reports, restated }: { partner: string; reports: Array<{ id: string; data: Reconciliation }>; restated: Map<string, PriorPeriodAdjustment> }) {
  const latest = reports.find((d) => d.data.status === "completed" && d.data.allocations.some((a) => a.partner_id === partner));
  const row = latest?.data.allocations.find((a) => a.partner_id === partner);
  const net = latest?.data.net_positions?.find((n) => n.partner_id === partner);
  const carried = carriedFor(latest?.data.prior_period_adjustments, partner);
  return (
    <Card title="Latest statement">
      {!latest || !row ? (
        <p class="muted">No completed statement with a line for <PartnerName id={partner} /> yet.</p>
      ) : (
        <>
          <p class="meta">
            <StatementLink id={latest.id} report={latest.data} />
            {latest.data.stale && <> <ReportBadge report={latest.data} /></>}
          </p>
          {/* A restated allocation whose difference was rejected or waits: its figure alone misleads. */}
          <Restated adjustment={restated.get(latest.id)} />
          <dl class="big-figures">
            <div><dt>Allocated</dt><dd>{bbl(row.allocated_bbl)} <span class="unit">bbl</span></dd></div>
            <div><dt>Share</dt><dd data-testid="latest-share">{pct(row.share_percent, 5)} <span class="unit">%</span></dd></div>
            <div><dt>Our NSV</dt><dd>{bbl(row.nsv_bbl)} <span class="unit">bbl</span></dd></div>
            <div><dt>Shrinkage borne</dt><dd data-testid="latest-shrinkage">{signedBbl(row.shrinkage_bbl)} <span class="unit">bbl{isGain(row.shrinkage_bbl) ? " (gain)" : ""}</span></dd></div>
            {net && carried.length > 0 && (
              <>
                <div><dt data-testid="latest-adjustments-label">Adjustments carried ({carried.length})</dt><dd data-testid="latest-adjustments">{deltaBbl(net.adjustments_bbl)} <span class="unit">bbl</span></dd></div>
                <div><dt>Net including adjustments</dt><dd data-testid="latest-net">{signedBbl(net.net_bbl)} <span class="unit">bbl</span></dd></div>
              </>
            )}
          </dl>
        </>
      )}
    </Card>
  );
}

const ADJUSTMENT_STATUS: Record<string, string> = {
  pending: "Awaiting the coordinator",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn: replaced by a later version's",
};

/** The partner's own prior-period adjustments: what later versions changed, and where each is carried. */
function PartnerAdjustments({ live, older }: { live: Live<Doc<PriorPeriodAdjustment>[]>; older: OlderPages }) {
  const period = usePeriodOf();
  const mayOpen = usePartnerMayOpen();
  return (
    <Card title="Adjustments to earlier periods">
      <Loaded live={live} empty="None: no reconciled period of ours was revised.">
        {(docs) => (
          <TableScroll blocks="blocks-list" label="Our adjustments table"><table class="data as-blocks" data-testid="partner-adjustments" role="table">
            <thead role="rowgroup">
              <tr role="row"><th role="columnheader" scope="col">Period</th><th role="columnheader" scope="col" class="num">Change (bbl)</th><th role="columnheader" scope="col">From statement</th><th role="columnheader" scope="col">Status</th><th role="columnheader" scope="col">Note</th><th role="columnheader" scope="col">Carried in</th></tr>
            </thead>
            <tbody role="rowgroup">
              {docs.map(({ id, data: a }) => (
                <tr role="row" key={id} data-adjustment={id}>
                  <td role="cell" class="nowrap wide" data-label="Period">{period(a.period_start, a.period_end)}</td>
                  <td role="cell" class="num" data-label="Change (bbl)">
                    <AdjustmentDelta value={a.delta_bbl} status={a.status} />
                  </td>
                  <td role="cell" class="wide" data-label="From statement"><StatementLink id={a.from_reconciliation_id} report={raisedBy(a)} /></td>
                  <td role="cell" data-label="Status"><Badge status={a.status} label={ADJUSTMENT_STATUS[a.status] ?? a.status} /></td>
                  <td role="cell" class="wrap wide" data-label="Note">{a.note ? a.note : <span class="muted">{a.status === "pending" ? "not decided yet" : "—"}</span>}</td>
                  <td role="cell" class="wide" data-label="Carried in">
                    {a.carried_in && mayOpen(a.carried_in) ? (
                      <StatementLink id={a.carried_in} />
                    ) : a.carried_in && mayOpen(a.carried_in) === false ? (
                      <span class="muted" data-testid="carried-awaiting-release">a version awaiting its release to the partners</span>
                    ) : a.carried_in ? (
                      <span class="muted">…</span>
                    ) : a.status === "withdrawn" && a.withdrawn_in ? (
                      <span class="muted">replaced by the adjustment of <StatementLink id={a.withdrawn_in} /></span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table></TableScroll>
        )}
      </Loaded>
      <OlderRows older={older} what="adjustments" testId="adjustments-cut" />
    </Card>
  );
}

const REPORTS_PAGE = 100;
const ADJUSTMENTS_PAGE = 50;

/** Every report version by period; a partner sees its own allocation and its trend. */
export function StatementsScreen({ left }: { left?: PartnerLeft }) {
  const user = requireUser();
  const partner = user.role === "jv_partner" ? user.partnerId : undefined;
  // A partner reads released versions only (the rules refuse its query otherwise), a partner that
  // left the JV those of periods that began before; the JV's roles every one.
  const { live: reports, older } = usePagedQuery<Reconciliation>(
    (limit) => (partner ? releasedReports(limit, left?.at) : recentReports(limit)),
    partner ? `released-reports-${left?.on ?? ""}` : "reports",
    REPORTS_PAGE,
  );
  const docs = reports.docs;
  // A version released while the page is open joins this list: where it was refused (an
  // adjustment carried in it "awaiting its release"), it is read again.
  const listed = docs.map((d) => d.id).join(" ");
  useEffect(() => {
    if (partner) releasedToPartner(docs.map((d) => d.id));
  }, [partner, listed]);
  const { settings } = useJvSettings();
  // A version superseded by one not released yet is still the partner's statement of its period.
  const held = partner ? asPartnerSees(docs) : docs;
  const trend: TrendPoint[] = partner ? trendPoints(held, partner, settings) : [];
  const { live: adjustments, older: olderAdjustments } = usePagedQuery<PriorPeriodAdjustment>(
    (limit) => (partner ? partnerAdjustments(partner, limit) : undefined),
    `adjustments-${partner ?? "none"}`,
    ADJUSTMENTS_PAGE,
  );
  // The adjustment each listed version raised for the partner: its row says where the difference went.
  const { restated, error: restatedError } = useRestatements(partner, held.map((d) => d.id));
  const nsvLabel = partner ? "Our NSV (bbl)" : "Field NSV (bbl)";
  const figureLabel = partner ? "Allocated to us (bbl)" : "Terminal NSV (bbl)";
  return (
    <Page
      title={partner ? "Our allocation statements" : "Allocation statements"}
      intro={partner ? <>What <strong><PartnerName id={partner} /></strong> was allocated, per period and version. Each statement can be verified against its manifest and hash.</> : "Every reconciliation version, newest period first. A version marked Awaiting approval is not released to the partners yet."}
    >
      {/* Until the reports are in, the Statements card below says so (or why not), once. */}
      {partner && !reports.loading && !reports.error && (
        <div class="partner-summary">
          <Card title="Allocation trend">
            <TrendChart points={trend} title={`${found(partnerNameOf(partner).value) ?? "Our"} allocated bbl/day per period`} restated={restated.size > 0} />
          </Card>
          <LatestAllocation partner={partner} reports={held} restated={restated} />
        </div>
      )}
      <Card title="Statements">
        <Loaded live={{ ...reports, docs: held }} empty="No reconciliation yet.">
          {(list) => (
            <TableScroll blocks="blocks-list" label="Statements table"><table class="data as-blocks" data-testid="statements" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">Statement</th>
                  <th role="columnheader" scope="col">Status</th>
                  <th role="columnheader" scope="col" class="num">{nsvLabel}</th>
                  <th role="columnheader" scope="col" class="num">{figureLabel}</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {list.map(({ id, data: r }) => {
                  const row = partner ? r.allocations.find((a) => a.partner_id === partner) : undefined;
                  return (
                    <tr role="row" key={id} data-report={id}>
                      <td role="cell" class="wide">
                        <StatementLink id={id} report={r} />
                        {partner && <Restated adjustment={restated.get(id)} />}
                      </td>
                      <td role="cell" class="wide"><ReportBadge report={r} /></td>
                      <td role="cell" class="num" data-label={nsvLabel}>{bbl(partner ? row?.nsv_bbl : r.totals.field_nsv_bbl)}</td>
                      <td role="cell" class="num strong" data-label={figureLabel}>{bbl(partner ? row?.allocated_bbl : r.totals.terminal_nsv_bbl)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table></TableScroll>
          )}
        </Loaded>
        {restatedError && (
          <p class="error" role="alert" data-testid="restatements-error">
            Restated lines are not shown: {restatedError}
          </p>
        )}
        <OlderRows older={older} what="statements" testId="statements-cut" />
      </Card>
      {partner && <PartnerAdjustments live={adjustments} older={olderAdjustments} />}
    </Page>
  );
}

/**
 * Under a version that restated the partner's allocation: the difference is settled in a later
 * period's statement, not by this figure, so that adding this row to that statement's net does not
 * count it twice.
 */
function Restated({ adjustment: a }: { adjustment?: PriorPeriodAdjustment }) {
  const mayOpen = usePartnerMayOpen();
  if (!a) return null;
  const state = restatementState([a], mayOpen);
  const what =
    state.kind === "approved" && state.carriedIn.length > 0 ? (
      <>the difference is settled in <StatementLink id={state.carriedIn[0]!} />, as a prior-period adjustment</>
    ) : state.kind === "approved" && state.awaitingRelease ? (
      "the difference will be settled, as a prior-period adjustment, in a version awaiting its release to the partners"
    ) : state.kind === "approved" && state.reading ? (
      "the difference is settled in a later period's statement, as a prior-period adjustment"
    ) : state.kind === "approved" ? (
      "the difference is approved as a prior-period adjustment, to be settled in a later period's statement"
    ) : state.kind === "pending" ? (
      "the difference, a prior-period adjustment, waits for the coordinators' decision"
    ) : state.kind === "rejected" ? (
      "the coordinators rejected the difference: the figures before it stand"
    ) : (
      "a later version's adjustment replaces the difference"
    );
  return (
    <div class="restated muted small-text" data-testid="restated">
      Restated: <AdjustmentDelta value={a.delta_bbl} status={a.status} /> bbl against the figures before it; {what}.
    </div>
  );
}
