import { usePeriodOf } from "../../data/jv-settings";
import { useLiveDoc, useLiveQuery } from "../../data/live";
import { allPartners, partnerRestatementAdjustments, restatementAdjustments } from "../../data/queries";
import { restatementState } from "../../domain/restatement";
import type { ComponentChildren } from "preact";
import type { CarriedAdjustment, NetPosition, PriorPeriodAdjustment, ProductionEntry, Reconciliation, VersionCorrection } from "../../data/types";
import { excludedListing, leftJvText, methodInWords, partnersWithoutLine, statementRows } from "../../domain/statement-lines";
import { PartnerName } from "../../ui/partner";
import { netLedgers, sumCb } from "../../domain/net-position";
import { contractPeriodDays, contractPeriodText } from "../../domain/jv-settings";
import { periodClockText, reportDayClock } from "../../domain/contract-clock";
import { reportInWords } from "../../domain/statement-label";
import { staleChangesInWords, staleCountNote } from "../../domain/stale-label";
import { bbl, dateTime, toDate, deltaBbl, factor, luafTolerance, num, pct, shrinkage, signedBbl } from "../../format";
import { href } from "../../router";
import { Badge, Card, Hash, ReportBadge, TableScroll } from "../../ui/common";
import { Delta } from "../coordinator/adjustments";
import { ExportButtons } from "./export-buttons";
import { VerifyButton } from "./verify-button";
import { isReleased, ReleaseStatus } from "./release";
import { StatementExceptions } from "./statement-exceptions";
import { StatementId, StatementLink, usePartnerMayOpen } from "./statement-link";
import { PersonName } from "../../ui/person";
import { roleLabel } from "../../data/session";
import { EntryWithCorrection } from "../entries/entry-correction";
import { LiveEntryLink } from "../entries/entry-link";
import { sameCorrection } from "../../domain/corrections";
import { exclusionReason } from "../../domain/exclusion-reason";
import { ReasonTitles } from "../../ui/reasons";

interface ChangesFromPrevious {
  partners: Array<{ partner_id: string; allocated_bbl_before: number; allocated_bbl_after: number; delta_bbl: number; nsv_bbl_before: number; nsv_bbl_after: number }>;
  totals_delta?: Record<string, number>;
}

/** Each partner's change against the version compared with; a partner sees its own row only. */
function Changes({ changes, partner, names }: { changes: unknown; partner?: string; names: Map<string, string> }) {
  const nameOf = (id: string) => names.get(id) ?? <PartnerName id={id} />;
  if (changes === undefined || changes === null) return <p class="muted">First version: no previous version to compare.</p>;
  const c = { ...(changes as ChangesFromPrevious), partners: rowsSeen(changes, partner) };
  if (c.partners.length === 0) {
    return <p class="muted" data-testid="changes">{partner ? <>{nameOf(partner)}'s allocation did not change.</> : "No partner's allocation changed."}</p>;
  }
  return (
    <TableScroll blocks="blocks-list" label="Changes by partner"><table class="data as-blocks" data-testid="changes" role="table">
      <thead role="rowgroup">
        <tr role="row">
          <th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col" class="num">NSV before</th><th role="columnheader" scope="col" class="num">NSV after</th>
          <th role="columnheader" scope="col" class="num">Allocated before</th><th role="columnheader" scope="col" class="num">Allocated after</th><th role="columnheader" scope="col" class="num">Change (bbl)</th>
        </tr>
      </thead>
      <tbody role="rowgroup">
        {c.partners.map((p) => (
          <tr role="row" key={p.partner_id}>
            <th role="rowheader" scope="row">{nameOf(p.partner_id)}</th>
            <td role="cell" class="num" data-label="NSV before">{bbl(p.nsv_bbl_before)}</td><td role="cell" class="num" data-label="NSV after">{bbl(p.nsv_bbl_after)}</td>
            <td role="cell" class="num" data-label="Allocated before">{bbl(p.allocated_bbl_before)}</td><td role="cell" class="num" data-label="Allocated after">{bbl(p.allocated_bbl_after)}</td>
            <td role="cell" class="num strong" data-label="Change (bbl)">{deltaBbl(p.delta_bbl)}</td>
          </tr>
        ))}
      </tbody>
      {!partner && c.partners.length > 1 && (
        <tfoot role="rowgroup">
          <tr role="row" data-testid="changes-total">
            <th role="rowheader" scope="row">Total</th>
            <td role="cell" colSpan={4} class="muted small-text wide">the change of the terminal NSV allocated</td>
            <td role="cell" class="num strong" data-label="Change (bbl)">{deltaBbl(sumCb(c.partners.map((p) => p.delta_bbl)) / 100)}</td>
          </tr>
        </tfoot>
      )}
    </table></TableScroll>
  );
}

/** The change rows a reader sees: a partner its own only. */
function rowsSeen(changes: unknown, partner?: string): ChangesFromPrevious["partners"] {
  const rows = (changes as ChangesFromPrevious | null | undefined)?.partners;
  return (Array.isArray(rows) ? rows : []).filter((p) => !partner || p.partner_id === partner);
}

/** What became of the adjustments this version raised, as the PDF statement says it; a partner reads its own. */
function RestatementOutcome({ id, partner }: { id: string; partner?: string }) {
  const query = partner ? partnerRestatementAdjustments(id, partner) : restatementAdjustments(id);
  const live = useLiveQuery<PriorPeriodAdjustment>(query, `raised-${id}-${partner ?? ""}`).value;
  const partnerMayOpen = usePartnerMayOpen();
  const say = (body: ComponentChildren) => <p class="small-text" data-testid="restatement">{body}</p>;
  if (live.loading) return <p class="muted">Loading the prior-period adjustments this version raised…</p>;
  if (live.error) return <p class="muted">Could not read the prior-period adjustments this version raised: {live.error}</p>;
  const state = restatementState(live.docs.map((d) => d.data), partner ? partnerMayOpen : undefined);
  // "… by X on D. Note: “…”": the note keeps its own closing punctuation.
  const decision = (by: string | null, at: unknown, note: string | null) => (
    <>
      {by && <> by <PersonName uid={by} /></>}
      {at ? <> on {dateTime(at as Date)}</> : null}.{note && <> Note: “{note}”</>}
    </>
  );
  const outside = " It is not part of this statement's net position.";
  switch (state.kind) {
    case "none":
      return null;
    case "pending":
      return say(<>Each change of allocation is raised as a prior-period adjustment, waiting for the coordinators' decision: once they approve the restatement, a later period's statement carries it.{outside}</>);
    case "approved":
      return say(
        <>
          Each change was raised as a prior-period adjustment, and the coordinators approved the restatement{decision(state.by, state.at, state.note)}{" "}
          {state.carriedIn.length > 0 ? (
            <>Carried by {state.carriedIn.map((c, i) => <>{i > 0 && ", "}<StatementLink id={c} /></>)}.</>
          ) : state.awaitingRelease ? (
            "A version awaiting its release to the partners will carry it."
          ) : state.reading ? (
            "A later period's statement carries it."
          ) : (
            "A later period's statement carries it: none has yet."
          )}
          {outside}
        </>,
      );
    case "rejected":
      return say(<>Each change was raised as a prior-period adjustment, and the coordinators rejected the restatement{decision(state.by, state.at, state.note)} Nothing is carried, and the partners stay settled on the figures before it.{outside}</>);
    case "withdrawn":
      return say(<>Each change was raised as a prior-period adjustment, withdrawn undecided when {state.withdrawnIn ? <StatementLink id={state.withdrawnIn} /> : "a later version"} replaced this version: nothing is carried from it.</>);
    case "apart":
      return say(<>Each change was raised as a prior-period adjustment, decided apart: {state.counts.map(([status, n]) => `${n} ${status}`).join(", ")}. None is part of this statement's net position.</>);
  }
}

/**
 * A carried adjustment's period of origin and approval, read from its document (the report binds
 * its id, partner, change and origin report; the document whose figures match says the rest).
 */
function CarriedOrigin({ adjustment }: { adjustment: CarriedAdjustment }) {
  const period = usePeriodOf();
  const live = useLiveDoc<PriorPeriodAdjustment>(`prior_period_adjustments/${adjustment.id}`);
  const d = live.value.docs;
  const ref = <div><code class="doc-id" title="The adjustment's document id (for support)">{adjustment.id}</code></div>;
  if (live.value.loading) return <><td role="cell" class="muted wide">Loading…{ref}</td><td role="cell" /></>;
  if (live.value.error) return <><td role="cell" class="muted wide">Could not read the adjustment: {live.value.error}{ref}</td><td role="cell" /></>;
  const matches =
    d && d.status === "approved" && d.partner_id === adjustment.partner_id && d.delta_bbl === adjustment.delta_bbl && d.from_reconciliation_id === adjustment.from_reconciliation_id;
  if (!d || !matches) return <><td role="cell" class="muted wide">Not on record{ref}</td><td role="cell" /></>;
  return (
    <>
      <td role="cell" class="wide" data-label="Period of origin" data-testid="origin-period">
        {d.period_start && d.period_end ? period(d.period_start, d.period_end) : "Not recorded"}, terminal receipt {d.terminal_receipt_id}
        {ref}
      </td>
      <td role="cell" class="wide" data-label="Approved" data-testid="origin-approval">
        {dateTime(d.decided_at)} by <PersonName uid={d.decided_by} />
        {d.note ? <>: “{d.note}”</> : null}
      </td>
    </>
  );
}

/** Adjustments of earlier periods this statement carries, and each partner's net position. */
function Carried({ carried, net, names }: { carried: CarriedAdjustment[]; net: NetPosition[]; names: Map<string, string> }) {
  const ledgers = netLedgers(net, carried);
  return (
    <>
      <TableScroll blocks="blocks-list" label="Carried adjustments table"><table class="data as-blocks" data-testid="carried-adjustments" role="table">
        <caption class="sr-only">Prior-period adjustments carried</caption>
        <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col" class="num">Change (bbl)</th><th role="columnheader" scope="col">From statement</th><th role="columnheader" scope="col">Period of origin</th><th role="columnheader" scope="col">Approved</th></tr></thead>
        <tbody role="rowgroup">
          {carried.map((a) => (
            <tr role="row" key={a.id} data-adjustment={a.id}>
              <th role="rowheader" scope="row">{names.get(a.partner_id) ?? <PartnerName id={a.partner_id} />}</th>
              <td role="cell" class="num" data-label="Change (bbl)"><Delta value={a.delta_bbl} /></td>
              <td role="cell" class="wide" data-label="From statement"><StatementLink id={a.from_reconciliation_id} /></td>
              <CarriedOrigin adjustment={a} />
            </tr>
          ))}
        </tbody>
        {carried.length > 1 && (
          <tfoot role="rowgroup">
            <tr role="row" data-testid="carried-total">
              <th role="rowheader" scope="row">Total</th>
              <td role="cell" class="num" data-label="Change (bbl)"><Delta value={sumCb(carried.map((a) => a.delta_bbl)) / 100} /></td>
              <td role="cell" colSpan={3} />
            </tr>
          </tfoot>
        )}
      </table></TableScroll>
      {ledgers.length > 0 && <h3>Net position: this period's allocation and the adjustments carried</h3>}
      {ledgers.length > 0 && (
        <TableScroll blocks="blocks-list" label="Net positions table"><table class="data net-ledger" data-testid="net-positions" role="table">
          <caption class="sr-only">Net positions</caption>
          <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Line</th><th role="columnheader" scope="col" class="num">bbl</th></tr></thead>
          {ledgers.map((l) => (
            <tbody role="rowgroup" key={l.partner_id} data-partner={l.partner_id}>
              <tr role="row" data-line="allocated">
                <th role="rowheader" scope="rowgroup" rowSpan={l.adjustments.length + 2} aria-rowspan={l.adjustments.length + 2}>{names.get(l.partner_id) ?? l.partner_id}</th>
                <td role="cell">Allocated this period</td>
                <td role="cell" class="num">{signedBbl(l.allocated_cb / 100)}</td>
              </tr>
              {l.adjustments.map((a) => (
                <tr role="row" key={a.id} data-line="adjustment" data-adjustment={a.id}>
                  <td role="cell">Prior-period adjustment from <StatementLink id={a.from_reconciliation_id} /></td>
                  <td role="cell" class="num"><Delta value={a.delta_cb / 100} /></td>
                </tr>
              ))}
              <tr role="row" data-line="net" class="net-line">
                <td role="cell" class="strong">Net including adjustments</td>
                <td role="cell" class="num strong">{signedBbl(l.net_cb / 100)}</td>
              </tr>
            </tbody>
          ))}
          {ledgers.length > 1 && (
            <tfoot role="rowgroup" data-testid="net-total">
              <tr role="row" data-line="allocated">
                <th role="rowheader" scope="rowgroup" rowSpan={3} aria-rowspan={3}>All partners</th>
                <td role="cell">Allocated this period</td>
                <td role="cell" class="num">{signedBbl(ledgers.reduce((s, l) => s + l.allocated_cb, 0) / 100)}</td>
              </tr>
              <tr role="row" data-line="adjustments">
                <td role="cell">Prior-period adjustments</td>
                <td role="cell" class="num"><Delta value={ledgers.reduce((s, l) => s + l.adjustments.reduce((t, a) => t + a.delta_cb, 0), 0) / 100} /></td>
              </tr>
              <tr role="row" data-line="net" class="net-line">
                <td role="cell" class="strong">Net including adjustments</td>
                <td role="cell" class="num strong">{signedBbl(ledgers.reduce((s, l) => s + l.net_cb, 0) / 100)}</td>
              </tr>
            </tfoot>
          )}
        </table></TableScroll>
      )}
      {ledgers.some((l) => !l.adds_up) && (
        <p class="error" role="alert" data-testid="net-mismatch">
          The report's net position of {ledgers.filter((l) => !l.adds_up).map((l) => names.get(l.partner_id) ?? l.partner_id).join(", ")} is not the sum of the lines above: verify the statement.
        </p>
      )}
    </>
  );
}

/** Why a partner's line is zero, as a sentence: "No used production entries in this period". */
export function zeroReasonText(reason: string): string {
  return sentence(reason.trim().replace(/ in the period(;|$)/, " in this period$1"));
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** How many changed entries a stale version names (the functions' stale marks): a version's corrections at most. */
const STALE_ENTRY_IDS_LISTED = 50;

/** The note of a correction row, read live from the entry: shown while its last correction is the row's. */
function CorrectionRowNote({ row }: { row: VersionCorrection }) {
  const live = useLiveDoc<ProductionEntry>(row.at && row.kind !== "new entry" && row.kind !== "changed without a correction" ? `production_entries/${row.entry_id}` : undefined).value;
  if (!row.at || row.kind === "new entry" || row.kind === "changed without a correction") return <span class="muted">—</span>;
  if (live.loading) return <span class="muted">…</span>;
  if (live.error) return <span class="muted">not readable here ({live.error})</span>;
  const e = live.docs;
  const same = sameCorrection(e?.corrected_at, row.at);
  return same && e?.correction_note ? <>“{e.correction_note}”</> : <span class="muted">corrected again since: see the entry</span>;
}

const KIND_TEXT: Record<VersionCorrection["kind"], string> = {
  "late entry": "late entry",
  "entered since, then corrected": "entered since, then corrected",
  "new entry": "new entry (during the close)",
  correction: "correction",
  "changed without a correction": "review, verdict or an operator's change during the close",
};

/** The version a new one was made after, in words ("version 1 of receipt …"). */
const reportAfter = (id: string | null | undefined) => (id ? reportInWords(id) : "the version it replaces");

/** Why this version was made: the entries behind it, who changed them and when (frozen on the report), and the notes (live). */
function Corrections({ shown, others, after, names }: { shown: VersionCorrection[]; others: number; after: string; names: Map<string, string> }) {
  const total = shown.length + others;
  return (
    <div data-testid="corrections">
      <p class="muted small-text">
        {total} entr{total === 1 ? "y" : "ies"} of the period changed after {after} read the period{total >= STALE_ENTRY_IDS_LISTED ? ` (a version names at most ${STALE_ENTRY_IDS_LISTED}: there may be more)` : ""}: who changed each and when, as this version recorded it, and the correction's note as the entry holds it.
        {others > 0 && <> {others} of them {others === 1 ? "is" : "are"} other partners' entries, not shown here.</>}
      </p>
      {shown.length > 0 && (
        <TableScroll blocks="blocks-list" label="Entries changed behind this version"><table class="data as-blocks" role="table">
          <caption class="sr-only">Entries changed behind this version</caption>
          <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Entry</th><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Change</th><th role="columnheader" scope="col">By</th><th role="columnheader" scope="col">When</th><th role="columnheader" scope="col">Why</th></tr></thead>
          <tbody role="rowgroup">
            {shown.map((c) => (
              <tr role="row" key={c.entry_id} data-entry={c.entry_id} data-kind={c.kind}>
                <th role="rowheader" scope="row"><LiveEntryLink id={c.entry_id} /></th>
                <td role="cell" data-label="Partner">{names.get(c.partner_id) ?? <PartnerName id={c.partner_id} />}</td>
                <td role="cell" data-label="Change">{KIND_TEXT[c.kind] ?? c.kind}</td>
                <td role="cell" data-label="By">{c.by ? <PersonName uid={c.by} /> : "—"}</td>
                <td role="cell" data-label="When">{c.at ? dateTime(c.at) : "—"}</td>
                <td role="cell" class="wrap wide" data-label="Why"><CorrectionRowNote row={c} /></td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}
    </div>
  );
}

/**
 * One report version as an allocation statement. `onlyPartner` shows a partner only its own row
 * (the JV shares the report; the partner's screen shows what concerns it). `actions` is where
 * further per-statement actions go, beside Verify and the downloads.
 */
export function StatementView({ id, report, onlyPartner, actions }: { id: string; report: Reconciliation; onlyPartner?: string; actions?: ComponentChildren }) {
  const { clock, recorded } = reportDayClock(report.settings);
  const [start, end] = [toDate(report.period_start), toDate(report.period_end)];
  const t = report.totals;
  // A partner without a report line but with carried adjustments (inactive, no production) gets a
  // zero line saying why; its name comes from the partners collection (the report has none).
  const lineless = partnersWithoutLine(report).filter((p) => !onlyPartner || p === onlyPartner);
  const ownDoc = useLiveDoc<{ name?: string }>(onlyPartner && lineless.length > 0 ? `partners/${onlyPartner}` : undefined);
  const wantAll = !onlyPartner && lineless.length > 0;
  const partnerDocs = useLiveQuery<{ name?: string }>(wantAll ? allPartners() : undefined, wantAll ? "partners" : "");
  const knownNames: Record<string, string> = {};
  for (const p of partnerDocs.value.docs) if (typeof p.data.name === "string") knownNames[p.id] = p.data.name;
  if (onlyPartner && typeof ownDoc.value.docs?.name === "string") knownNames[onlyPartner] = ownDoc.value.docs.name;
  const rows = statementRows(report, onlyPartner, knownNames);
  const lastDay = start && end ? contractPeriodDays(start, end, clock).last : undefined;
  const { rows: excluded, title: excludedTitle, partial: excludedPartial } = excludedListing(report, onlyPartner);
  const shareSum = report.allocations.reduce((s, a) => s + a.share_percent, 0);
  const mine = <T extends { partner_id: string }>(rows: T[] | undefined) => (rows ?? []).filter((r) => !onlyPartner || r.partner_id === onlyPartner);
  const carried = mine(report.prior_period_adjustments);
  const corrections = mine(report.corrections);
  const othersCorrected = (report.corrections ?? []).length - corrections.length;
  const net = mine(report.net_positions);
  const names = new Map(rows.map((a) => [a.partner_id, a.partner_name]));
  const staleText = staleChangesInWords(report.stale_changes, report.stale_entry_ids);
  const staleSince = report.stale_since ? ` (first ${dateTime(report.stale_since)})` : "";
  const staleNoteText = staleCountNote(report.stale_changes, report.stale_entry_ids);
  const staleNote = staleNoteText ? ` ${staleNoteText}` : "";
  return (
    <div class="statement" data-testid="statement" data-id={id}>
      <Card title={<>Allocation statement · {start && end ? contractPeriodText(start, end, clock) : "—"}</>}>
        <p class="meta">
          <span data-testid="statement-name">
            Terminal receipt {onlyPartner ? report.terminal_receipt_id : <a href={href("receipts", report.terminal_receipt_id)}>{report.terminal_receipt_id}</a>} · version {report.version}
          </span>{" "}
          <ReportBadge report={report} /> · {dateTime(report.created_at)} · <StatementId id={id} />
          {report.superseded_by && <> · superseded by <StatementLink id={report.superseded_by} /></>}
          {report.supersedes_receipt && (
            <span data-testid="replaces">
              {" "}· replaces receipt {report.supersedes_receipt.terminal_receipt_id}
              {report.supersedes_receipt.reconciliation_id && <> (<StatementLink id={report.supersedes_receipt.reconciliation_id} />)</>}
            </span>
          )}
        </p>
        {start && end && <p class="small-text" data-testid="contract-clock">{periodClockText(start, end, clock, recorded ? "recorded" : "not recorded")}</p>}
        {report.supersedes_receipt && (
          <p class="small-text" data-testid="replaces-why">
            Why the terminal's ticket was corrected:{" "}
            {report.supersedes_receipt.note !== undefined
              ? <>entered by <PersonName uid={report.supersedes_receipt.by} />{report.supersedes_receipt.at ? `, ${dateTime(report.supersedes_receipt.at)}` : ""}: “{report.supersedes_receipt.note}”</>
              : <span class="muted">not recorded (a receipt entered before a reason was required)</span>}
          </p>
        )}
        <ReleaseStatus key={id} id={id} report={report} />
        {report.status === "completed" && report.close_check_pending === true && (
          <div class="alert alert-info" data-testid="close-unchecked">
            <p role="status">
              <strong>Close not confirmed yet.</strong> The check for entries changed while this version was being made has not run, so such a change may be missing from these figures. It runs when a coordinator reconciles the receipt again (the version is kept if nothing moved).
            </p>
          </div>
        )}
        {report.stale && (
          <div class="alert alert-info" data-testid="stale">
            {report.status === "superseded" && report.superseded_by ? (
              <p role="status" data-testid="stale-superseded">
                Superseded: <StatementLink id={report.superseded_by} /> replaced it and holds the {staleText} of this period made during or after its close{staleSince}.{staleNote}
              </p>
            ) : (
              <p role="status">
                Stale: {staleText} of this period during or after its close{staleSince}. These figures stand until a new version of the receipt replaces them (the receipt is reconciled again, and the new version released to the partners where the JV requires it).{staleNote}
              </p>
            )}
            {!onlyPartner && (report.stale_entry_ids ?? []).length > 0 && (
              <ul class="entries-behind" aria-label="Entries changed since">
                {(report.stale_entry_ids ?? []).map((e) => <li key={e}><EntryWithCorrection id={e} /></li>)}
              </ul>
            )}
          </div>
        )}
        <TableScroll blocks="statement-list" label="Allocation by partner"><table class="data statement-table" role="table">
          <caption class="sr-only">Allocation by partner</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">Partner</th>
              <th role="columnheader" scope="col" class="num">Entries</th>
              <th role="columnheader" scope="col" class="num">Gross (bbl)</th>
              <th role="columnheader" scope="col" class="num">NSV (bbl)</th>
              <th role="columnheader" scope="col" class="num">Share (%)</th>
              <th role="columnheader" scope="col" class="num">Allocated (bbl)</th>
              <th role="columnheader" scope="col" class="num">Shrinkage (bbl)</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {onlyPartner && rows.length === 0 && (
              <tr role="row" data-testid="no-line">
                <td role="cell" colSpan={7} class="muted">No line for {onlyPartner} in this report: nothing is allocated to it and no adjustment of its is carried.</td>
              </tr>
            )}
            {rows.map((a) => (
              <tr role="row" key={a.partner_id} data-partner={a.partner_id}>
                <th role="rowheader" scope="row">
                  <a href={href("period-entries", a.partner_id, id)} title="This partner's entries in the period">{a.partner_name}</a>
                  {a.reason && <div class="muted small-text" data-testid="zero-reason">{zeroReasonText(a.reason)}</div>}
                  {a.left_jv_on && !a.reason && lastDay && <div class="muted small-text" data-testid="left-jv">{sentence(leftJvText(a.left_jv_on, lastDay))}</div>}
                </th>
                <td role="cell" class="num" data-label="Entries">{num(a.entries, 0)}</td>
                <td role="cell" class="num" data-label="Gross (bbl)">{bbl(a.gross_bbl)}</td>
                <td role="cell" class="num" data-label="NSV (bbl)">{bbl(a.nsv_bbl)}</td>
                <td role="cell" class="num" data-label="Share (%)">{pct(a.share_percent, 5)}</td>
                <td role="cell" class="num strong" data-label="Allocated (bbl)" data-testid="allocated">{bbl(a.allocated_bbl)}</td>
                <td role="cell" class="num" data-label="Shrinkage (bbl)" data-testid="row-shrinkage">{shrinkage(a.shrinkage_bbl, 2)}</td>
              </tr>
            ))}
          </tbody>
          {!onlyPartner && (
            <tfoot role="rowgroup">
              <tr role="row">
                <th role="rowheader" scope="row">Total</th>
                <td role="cell" class="num" data-label="Entries">{num(t.entries_used, 0)}</td>
                <td role="cell" class="num" data-label="Gross (bbl)">{bbl(t.field_gross_bbl)}</td>
                <td role="cell" class="num" data-label="NSV (bbl)">{bbl(t.field_nsv_bbl)}</td>
                <td role="cell" class="num share-sum" title={`Shares are rounded to 5 decimals each; they sum to ${pct(shareSum, 5)}`}></td>
                <td role="cell" class="num strong" data-label="Allocated (bbl)">{bbl(t.terminal_nsv_bbl)}</td>
                <td role="cell" class="num" data-label="Shrinkage (bbl)" data-testid="total-shrinkage">{shrinkage(t.shrinkage_bbl, 2)}</td>
              </tr>
            </tfoot>
          )}
        </table></TableScroll>
        <div class="grid-2 statement-facts">
          <dl class="factors" aria-label="Terminal factors">
            <div><dt>Terminal gross</dt><dd>{bbl(report.terminal.gross_volume_bbl)} bbl</dd></div>
            <div><dt>API60</dt><dd>{num(report.terminal.api60, 1)}</dd></div>
            <div><dt>CTL</dt><dd>{factor(report.terminal.ctl)}</dd></div>
            <div><dt>CPL</dt><dd>{factor(report.terminal.cpl)}</dd></div>
            {report.terminal.ctpl !== undefined && <div><dt>CTPL</dt><dd>{factor(report.terminal.ctpl)}</dd></div>}
            {report.terminal.meter_factor !== undefined && <div><dt>Meter factor</dt><dd>{factor(report.terminal.meter_factor)}</dd></div>}
            {report.terminal.gsv_bbl !== undefined && <div><dt>Gross standard volume</dt><dd>{bbl(report.terminal.gsv_bbl)} bbl</dd></div>}
            <div><dt>CSW</dt><dd>{factor(report.terminal.csw)}</dd></div>
            <div><dt>Terminal NSV</dt><dd>{bbl(report.terminal.nsv_bbl)} bbl</dd></div>
          </dl>
          {/* The JV's figures, not the partner's: on a partner's view each says so, lest the JV's shrinkage read as its row's. */}
          <dl class="factors" aria-label={onlyPartner ? "JV shrinkage" : "Shrinkage"}>
            <div><dt>{onlyPartner ? "JV field NSV" : "Field NSV"}</dt><dd>{bbl(t.field_nsv_bbl)} bbl</dd></div>
            <div><dt>{onlyPartner ? "JV shrinkage" : "Shrinkage"}</dt><dd data-testid="summary-shrinkage">{shrinkage(t.shrinkage_bbl, 2, " bbl")}</dd></div>
            <div><dt>{onlyPartner ? "JV shrinkage of field NSV" : "Shrinkage of field NSV"}</dt><dd data-testid="summary-shrinkage-percent">{shrinkage(t.shrinkage_percent, 5, " %")}</dd></div>
            <div><dt>{onlyPartner ? "JV entries used / excluded" : "Entries used / excluded"}</dt><dd>{num(t.entries_used, 0)} / {num(t.entries_excluded, 0)}</dd></div>
            {report.luaf && (
              <div data-testid="luaf" class="wide-fact">
                <dt>{onlyPartner ? "JV LUAF band" : "LUAF band"}</dt>
                <dd>
                  ±{luafTolerance(report.luaf.tolerance_percent)} %; the {onlyPartner ? "JV's " : ""}shrinkage is {report.luaf.within_band ? "within it" : "outside it"}
                  {report.luaf.acknowledgement && (
                    <>
                      {" "}<Badge status="flagged" label="Accepted" />
                      <span class="fact-note"> by <PersonName uid={report.luaf.acknowledgement.by} /> ({roleLabel(report.luaf.acknowledgement.role)}): “{report.luaf.acknowledgement.note}”</span>
                    </>
                  )}
                </dd>
              </div>
            )}
          </dl>
        </div>
        <p class="muted small-text" data-testid="method">{report.standard} · <span title={report.method}>{methodInWords(report.method)}</span></p>
        <div class="hashes">
          <div>Integrity hash <Hash value={report.integrity_hash} /></div>
          <div>Inputs digest <Hash value={report.inputs_digest} /></div>
        </div>
        <div class="statement-actions" data-testid="statement-actions">
          {/* Keyed by the report: a verification or a download's sha256 belongs to the version it was made of. */}
          <VerifyButton key={id} id={id} />
          <ExportButtons key={id} id={id} partnerId={onlyPartner} />
          {actions}
        </div>
      </Card>
      {isReleased(report) && <StatementExceptions key={id} id={id} report={report} onlyPartner={onlyPartner} />}
      <Card title={excludedTitle}>
        {excludedPartial && <p class="muted small-text" data-testid="excluded-partial">{excludedPartial}</p>}
        {excluded.length === 0 ? (
          <p class="muted">{excludedPartial ? "None of those listed." : "None."}</p>
        ) : (
          <TableScroll blocks="blocks-list" label="Excluded entries table"><table class="data as-blocks" role="table">
            <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Entry</th><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Reason</th></tr></thead>
            <tbody role="rowgroup">
              {excluded.map((e) => (
                <tr role="row" key={e.entry_id} data-entry={e.entry_id}>
                  <td role="cell" class="wide"><LiveEntryLink id={e.entry_id} /></td>
                  <td role="cell" class="wide" data-label="Partner" data-testid="excluded-partner">{names.get(e.partner_id) ?? <PartnerName id={e.partner_id} />}</td>
                  <td role="cell" class="wrap wide" data-label="Reason" data-testid="excluded-reason"><ExclusionReasonText reason={e.reason} /></td>
                </tr>
              ))}
            </tbody>
          </table></TableScroll>
        )}
      </Card>
      {carried.length > 0 && (
        <Card title={`Prior-period adjustments carried (${carried.length})`}>
          <Carried carried={carried} net={net} names={names} />
        </Card>
      )}
      {(!onlyPartner || report.changes_from_previous) && (
        <Card
          title={
            report.changes_against !== undefined
              ? report.changes_against
                ? (report.changes_against_reason ?? "never released") === "never released"
                  ? `Changes from ${reportInWords(report.changes_against)}, the last version released to the partners`
                  : `Changes from ${reportInWords(report.changes_against)}, the last version the partners are settled on (the restatement of ${reportInWords(report.supersedes ?? report.supersedes_receipt?.reconciliation_id ?? "")} ${report.changes_against_reason === "restatement rejected" ? "was rejected" : "is withdrawn"})`
                : "Changes: no version was released to the partners before this one"
              : !report.supersedes && report.supersedes_receipt?.reconciliation_id && report.changes_from_previous
                ? `Changes from ${reportInWords(report.supersedes_receipt.reconciliation_id)}, the receipt this one replaces`
                : "Changes from the previous version"
          }
        >
          <Changes changes={report.changes_from_previous} partner={onlyPartner} names={names} />
          {rowsSeen(report.changes_from_previous, onlyPartner).length > 0 && <RestatementOutcome id={id} partner={onlyPartner} />}
        </Card>
      )}
      {(report.corrections ?? []).length > 0 && (
        <Card title="Why this version">
          <Corrections names={names} shown={corrections} others={othersCorrected} after={reportAfter(report.changes_against ?? report.supersedes ?? report.supersedes_receipt?.reconciliation_id)} />
        </Card>
      )}
    </div>
  );
}

/** An excluded entry's reason in words: the auditor's reasons by title (code on hover), a reviewer by name. */
function ExclusionReasonText({ reason }: { reason: string }) {
  const parts = exclusionReason(reason);
  if (parts.kind === "review") return <>Rejected on review by <PersonName uid={parts.by} /></>;
  if (parts.kind === "text") return <>{parts.text.charAt(0).toUpperCase() + parts.text.slice(1)}</>;
  return (
    <>
      Rejected by the auditor
      {parts.codes.length > 0 && ": "}
      <ReasonTitles codes={parts.codes} />
    </>
  );
}
