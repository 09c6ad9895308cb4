import { useRef } from "preact/hooks";
import { usePeriodOf } from "../../data/jv-settings";
import { decideAdjustment } from "../../data/callables";
import { useLiveDoc, useLiveQuery, type Doc } from "../../data/live";
import { decidedAdjustments, pendingAdjustments, restatementAdjustments } from "../../data/queries";
import type { PriorPeriodAdjustment, Reconciliation } from "../../data/types";
import { dateTime, deltaBbl, errorMessage, MINUS, toDate } from "../../format";
import { raisedBy, StatementLink } from "../statements/statement-link";
import { Badge, Card, Loaded, TableScroll } from "../../ui/common";
import { DecisionForm } from "../../ui/decision-form";
import { useLeavingFocus } from "../../ui/leaving-focus";
import { PersonName } from "../../ui/person";
import { PartnerName } from "../../ui/partner";
import { EntryWithCorrection } from "../entries/entry-correction";
import { isReleased, releasable } from "../statements/release";
import { reportInWords } from "../../domain/statement-label";
import { sumCb } from "../../domain/net-position";

/** A volume change with its sign: +9.85, −9.85. */
export function Delta({ value }: { value: number }) {
  const text = deltaBbl(value);
  return <span class={text.startsWith("+") ? "delta-pos" : text.startsWith(MINUS) ? "delta-neg" : undefined} data-testid="delta">{text}</span>;
}

/**
 * The entries behind a partner's change, each with who changed it, when and why. A partner with
 * none of its own moved pro rata: with the other partners' entries, or with the terminal's figure
 * (a corrected ticket) when no partner's entry changed. "None recorded" read as a loss unexplained.
 */
function EntriesBehind({ ids, othersChanged }: { ids?: string[]; othersChanged: boolean }) {
  if (!ids || ids.length === 0) {
    return (
      <span class="muted" data-testid="pro-rata">
        {othersChanged
          ? "None of its own: its share moved with the other partners' changes (pro rata)"
          : "None: its share moved with the terminal's figure (pro rata)"}
      </span>
    );
  }
  return (
    <>
      {ids.map((id) => (
        <EntryWithCorrection key={id} id={id} />
      ))}
    </>
  );
}

/** What became of a decision: said in the section's status line once its set has left the screen. */
type DecidedSet = (text: string, failed?: boolean) => void;

function SetDecision({ first, count, ready, onDecided }: { first: string; count: number; ready: boolean; onDecided: DecidedSet }) {
  if (!ready) return <p class="muted small-text">Reading the whole restatement before it can be decided…</p>;
  return (
    <DecisionForm
      label={`Decision on the ${count === 1 ? "adjustment" : `${count} adjustments`} of this restatement`}
      noteId={`adjustment-note-${first}`}
      noteLabel="Decision note"
      noteHint="(required to approve or reject)"
      rejectNeedsNote
      decide={async (decision, note) => {
        try {
          const done = await decideAdjustment({ adjustment_id: first, decision, note });
          const text = `${done.set.length === 1 ? "Adjustment" : `${done.set.length} adjustments`} ${done.status}.`;
          onDecided(text);
          return text;
        } catch (e) {
          // Refused because another coordinator decided it meanwhile: the set leaves with the form's message.
          onDecided(`Decision not saved: ${errorMessage(e)}`, true);
          throw e;
        }
      }}
      failure="Decision not saved"
    />
  );
}

/** Why a set cannot be decided yet: the version that raised it awaits its release (decideAdjustment refuses it until then). */
function UnreleasedSet({ from }: { from: string }) {
  const version = useLiveDoc<Reconciliation>(`reconciliations/${from}`).value.docs;
  return (
    <div class="alert alert-warn" data-testid="adjustment-unreleased">
      <p role="status">
        <strong>Release <StatementLink id={from} report={version} /> first.</strong> The version that raised these adjustments awaits its release to the partners; they are decided once it is released.
      </p>
      {version && !isReleased(version) && !releasable(version) && (
        <p class="small-text">
          {reportInWords(from)} is {version.stale && version.status === "completed" ? "stale" : version.status}
          {version.superseded_by ? ` by ${reportInWords(version.superseded_by)}` : ""}: it can no longer be released as it stands.
        </p>
      )}
    </div>
  );
}

/** A set's adjustments in one order wherever it is shown: by partner id. */
const byPartner = (a: Doc<PriorPeriodAdjustment>, b: Doc<PriorPeriodAdjustment>) => (a.data.partner_id < b.data.partner_id ? -1 : 1);

/**
 * The pending adjustments of one restatement: decided together, since together they sum to its
 * change of the terminal NSV. Read whole by their own query: the pending list may cut a set.
 */
function RestatementSet({ from, listed, onDecided }: { from: string; listed: Doc<PriorPeriodAdjustment>[]; onDecided: DecidedSet }) {
  const period = usePeriodOf();
  const whole = useLiveQuery<PriorPeriodAdjustment>(restatementAdjustments(from), `restatement-${from}`).value;
  const ready = !whole.loading && !whole.error;
  const docs = ready ? whole.docs.filter((d) => d.data.status === "pending").sort(byPartner) : listed;
  if (docs.length === 0) return null;
  const first = docs[0].data;
  const totalCb = sumCb(docs.map((d) => d.data.delta_bbl));
  return (
    <div class="adjustment-set" data-testid="adjustment-set" data-from={from} tabIndex={-1}>
      <dl class="factors">
        <div><dt>From statement</dt><dd><StatementLink id={from} report={raisedBy(first)} /></dd></div>
        {first.previous_reconciliation_id && <div><dt>Replacing</dt><dd><StatementLink id={first.previous_reconciliation_id} /></dd></div>}
        <div><dt>Period</dt><dd>{period(first.period_start, first.period_end)}</dd></div>
        <div><dt>Raised</dt><dd>{dateTime(first.created_at)}</dd></div>
      </dl>
      <TableScroll blocks="blocks-list" label="Changes by partner"><table class="data as-blocks" role="table">
        <thead role="rowgroup">
          <tr role="row"><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col" class="num">Change (bbl)</th><th role="columnheader" scope="col">Entries behind it</th></tr>
        </thead>
        <tbody role="rowgroup">
          {docs.map(({ id, data: a }) => (
            <tr role="row" key={id} data-testid="adjustment-item" data-adjustment={id}>
              <th role="rowheader" scope="row"><PartnerName id={a.partner_id} /></th>
              <td role="cell" class="num" data-label="Change (bbl)"><Delta value={a.delta_bbl} /></td>
              <td role="cell" class="wrap wide" data-label="Entries behind it"><EntriesBehind ids={a.entry_ids} othersChanged={docs.some((d) => d.id !== id && (d.data.entry_ids ?? []).length > 0)} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot role="rowgroup">
          <tr role="row"><th role="rowheader" scope="row">Sum</th><td role="cell" class="num" data-label="Change (bbl)" data-testid="set-total"><Delta value={totalCb / 100} /></td><td role="cell" class="muted small-text wide">{totalCb === 0 ? "the terminal's figure did not change: the partners' changes offset" : "the change of the terminal's figure"}</td></tr>
        </tfoot>
      </table></TableScroll>
      {whole.error && <p class="error" role="alert">{whole.error}</p>}
      {/* decideAdjustment refuses a set whose version awaits its release (absent: raised before releases, released). */}
      {docs.some((d) => d.data.released === false) ? (
        <UnreleasedSet from={from} />
      ) : (
        <SetDecision first={docs[0].id} count={docs.length} ready={ready} onDecided={onDecided} />
      )}
    </div>
  );
}

function Pending({ docs }: { docs: Doc<PriorPeriodAdjustment>[] }) {
  const sets = new Map<string, Doc<PriorPeriodAdjustment>[]>();
  for (const doc of docs) sets.set(doc.data.from_reconciliation_id, [...(sets.get(doc.data.from_reconciliation_id) ?? []), doc]);
  // A refusal is said in the status line only when its set had left by then.
  const list = useRef<HTMLDivElement>(null);
  const leaving = useLeavingFocus([...sets.keys()], list, "adjustment-set", "from");
  return (
    <>
      <p class="muted queue-decided" role="status" tabIndex={-1} ref={leaving.status} data-testid="adjustments-decided">
        {leaving.text}
      </p>
      {docs.length === 0 && <p class="muted">No adjustment waiting.</p>}
      <div ref={list}>
        {[...sets].map(([from, members]) => (
          <RestatementSet
            key={from}
            from={from}
            listed={members}
            onDecided={(text, failed = false) => {
              // A refusal while the set is still listed is said by the form itself.
              if (failed && leaving.isListed(from)) return;
              leaving.decide(from, text);
            }}
          />
        ))}
      </div>
    </>
  );
}

/**
 * A restatement's adjustments decided together, in the order read: by decideAdjustment's
 * `decided_with`, or, decided before it was written, by their version and decision time.
 */
function decidedSets(docs: Doc<PriorPeriodAdjustment>[]): Doc<PriorPeriodAdjustment>[][] {
  const sets = new Map<string, Doc<PriorPeriodAdjustment>[]>();
  for (const doc of docs) {
    const { decided_with, from_reconciliation_id, decided_at } = doc.data;
    const key = decided_with ?? `${from_reconciliation_id}@${toDate(decided_at)?.getTime() ?? doc.id}`;
    sets.set(key, [...(sets.get(key) ?? []), doc]);
  }
  return [...sets.values()];
}

/**
 * Each decision once: its statement, decision, note and who decided it, then its partners' changes
 * (a row per partner repeated all of that). The newest decisions first; a full read may cut the
 * oldest one, which is then left out rather than shown in part, unless it is the only one.
 */
function Decided({ docs, cut }: { docs: Doc<PriorPeriodAdjustment>[]; cut: boolean }) {
  if (docs.length === 0) return <p class="muted">None yet.</p>;
  const sets = decidedSets(docs);
  const shown = cut && sets.length > 1 ? sets.slice(0, -1) : sets;
  return (
    <div data-testid="decided-adjustments">
      {shown.map((members) => <DecidedSet key={members[0].id} members={members} partial={cut && sets.length === 1} />)}
      {cut && <p class="muted small-text" data-testid="decided-more">Older decisions are not listed: the newest {DECIDED_READ} decided adjustments are read.</p>}
    </div>
  );
}

/** An adjustment's change: pending or approved in a credit's or a debit's colours; rejected or withdrawn, never carried, muted. */
export function AdjustmentDelta({ value, status }: { value: number; status: PriorPeriodAdjustment["status"] }) {
  return status === "rejected" || status === "withdrawn" ? <span class="muted" data-testid="delta-not-carried">{deltaBbl(value)}</span> : <Delta value={value} />;
}

function DecidedSet({ members, partial }: { members: Doc<PriorPeriodAdjustment>[]; partial: boolean }) {
  const first = members[0].data;
  const carried = [...new Set(members.map((m) => m.data.carried_in ?? null))];
  const rows = [...members].sort(byPartner);
  const total = sumCb(rows.map((r) => r.data.delta_bbl)) / 100;
  return (
    <div role="group" class="adjustment-set" data-testid="decided-set" data-from={first.from_reconciliation_id} aria-label={`Decided: ${reportInWords(first.from_reconciliation_id)}`}>
      <dl class="factors decision-facts">
        <div class="wide-fact"><dt>From statement</dt><dd><StatementLink id={first.from_reconciliation_id} report={raisedBy(first)} /></dd></div>
        <div><dt>Decision</dt><dd><Badge status={first.status} label={first.status === "approved" ? "Approved" : "Rejected"} /></dd></div>
        <div><dt>Decided</dt><dd>{dateTime(first.decided_at)} by <PersonName uid={first.decided_by} /></dd></div>
        <div>
          <dt>Carried in</dt>
          <dd data-testid="carried-in">
            {carried.length === 1 && carried[0] ? <StatementLink id={carried[0]} /> : carried.length === 1 ? <span class="muted">{first.status === "approved" ? "not yet: the next period reconciled carries it" : `not carried: ${first.status}`}</span> : "see each partner"}
          </dd>
        </div>
      </dl>
      {first.note && <p class="decision-note"><span class="muted">Note:</span> {first.note}</p>}
      {partial && <p class="muted small-text">The read ends inside this decision: its other partners' changes are not listed.</p>}
      <table class="data set-changes" role="table">
        <caption class="sr-only">Changes by partner</caption>
        <thead role="rowgroup">
          <tr role="row"><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col" class="num">Change (bbl)</th>{carried.length > 1 && <th role="columnheader" scope="col">Carried in</th>}</tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map(({ id, data: a }) => (
            <tr role="row" key={id} data-adjustment={id}>
              <th role="rowheader" scope="row"><PartnerName id={a.partner_id} /></th>
              <td role="cell" class="num"><AdjustmentDelta value={a.delta_bbl} status={a.status} /></td>
              {carried.length > 1 && <td role="cell">{a.carried_in ? <StatementLink id={a.carried_in} /> : <span class="muted">not yet</span>}</td>}
            </tr>
          ))}
        </tbody>
        <tfoot role="rowgroup">
          <tr role="row"><th role="rowheader" scope="row">{partial ? "Sum of those listed" : "Sum of this decision"}</th><td role="cell" class="num"><AdjustmentDelta value={total} status={first.status} /></td>{carried.length > 1 && <td role="cell" />}</tr>
        </tfoot>
      </table>
    </div>
  );
}

const PENDING_LISTED = 100;
/** The newest decided adjustments read: a few restatements' sets of a JV's partners. */
const DECIDED_READ = 60;

/**
 * Prior-period adjustments: a new version of a closed period changed partners' allocations;
 * the coordinator approves (carried by the next period's statement) or rejects each restatement's set, once.
 */
export function AdjustmentsSection() {
  const pending = useLiveQuery<PriorPeriodAdjustment>(pendingAdjustments(PENDING_LISTED), "pending-adjustments");
  // A full page may leave more waiting: the count says so, and the list says which are shown.
  const cut = pending.value.docs.length >= PENDING_LISTED;
  const decided = useLiveQuery<PriorPeriodAdjustment>(decidedAdjustments(DECIDED_READ), "decided-adjustments");
  return (
    <>
      <h2 class="section-title" id="adjustments">
        Prior-period adjustments {!pending.value.loading && !pending.value.error && (
          <span class="count-pill" data-testid="pending-adjustments-count">{pending.value.docs.length}{cut ? "+" : ""}</span>
        )}
      </h2>
      <Card>
        <p class="muted small-text">A later version of a reconciled period changed these partners' allocations. A restatement's adjustments are approved or rejected together: they sum to its change of the terminal's figure, so carrying only some would allocate barrels that never arrived or lose ones that did. An approved set is carried by the statement of the next period reconciled for the first time; a period reconciled again does not take it up.</p>
        <Loaded live={pending.value}>{(docs) => <Pending docs={docs} />}</Loaded>
        {cut && !pending.value.loading && (
          <p class="muted" data-testid="adjustments-more">The oldest {PENDING_LISTED} waiting adjustments are shown; each decision brings more in.</p>
        )}
      </Card>
      <Card title="Recently decided adjustments">
        <Loaded live={decided.value}>{(docs) => <Decided docs={docs} cut={docs.length >= DECIDED_READ} />}</Loaded>
      </Card>
    </>
  );
}
