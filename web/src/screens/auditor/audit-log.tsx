import { getDocs, type Timestamp } from "firebase/firestore";
import { useEffect, useRef, useState } from "preact/hooks";
import { verifyAuditLog } from "../../data/callables";
import { verificationText, verifyWholeLog } from "../../domain/audit-log-verification";
import { buildQuery, useLiveDoc, useLiveQuery, type Doc } from "../../data/live";
import { allPartners, AUDIT_CHAINS_LISTED, auditChains, auditStream, auditStreamUpTo } from "../../data/queries";
import type { AuditLogReport, PriorPeriodAdjustment } from "../../data/types";
import { counted, dateTime, errorMessage, num } from "../../format";
import { Alert, Card, Hash, Loaded, Page, TableScroll } from "../../ui/common";
import { PersonName } from "../../ui/person";
import { auditActionInWords, auditSubject } from "../../domain/audit-event";
import { auditEventDetails, scriptActor, type DetailPart } from "../../domain/audit-event-details";
import { StatementLink } from "../statements/statement-link";
import { groupStreams, streamInWords } from "../../domain/audit-stream";
import { LiveEntryLink } from "../entries/entry-link";
import { PartnerName } from "../../ui/partner";
import { Delta } from "../coordinator/adjustments";
import { settingChange } from "../settings";

interface AuditEvent {
  seq: number;
  at?: Timestamp;
  actor?: string;
  action?: string;
  subject?: string;
  hash?: string;
  prev_hash?: string;
  /** What the event recorded beside its subject (an API key's name and partner, …). */
  details?: Record<string, unknown>;
}

/** A prior-period adjustment by whose it is and what it changed, from its document; its id small, for support. */
function AdjustmentSubject({ id }: { id: string }) {
  const live = useLiveDoc<PriorPeriodAdjustment>(`prior_period_adjustments/${id}`).value;
  const a = live.docs;
  const ref = (
    <code class="doc-id" title="The adjustment's document id (for support)">
      {id}
    </code>
  );
  if (!a)
    return (
      <>
        {live.loading ? "…" : live.error ? "(could not be read)" : "(not found)"} {ref}
      </>
    );
  return (
    <>
      <PartnerName id={a.partner_id} />, <Delta value={a.delta_bbl} /> bbl from <StatementLink id={a.from_reconciliation_id} /> {ref}
    </>
  );
}

/** A partner's exception by the statement it was taken to and whose it is, as its event recorded them; its id small, for support. */
function ExceptionSubject({ id, details }: { id: string; details?: Record<string, unknown> }) {
  const statement = typeof details?.reconciliation_id === "string" ? details.reconciliation_id : undefined;
  const partner = typeof details?.partner_id === "string" ? details.partner_id : undefined;
  return (
    <>
      {partner && <PartnerName id={partner} />}
      {statement && <> to <StatementLink id={statement} /></>}{" "}
      <code class="doc-id" title="The exception's document id (for support)">
        {id}
      </code>
    </>
  );
}

/** A gateway key by its id (its name where keys are named: "gateway key …"), with the name and partner its event recorded. */
function KeySubject({ id, details }: { id: string; details?: Record<string, unknown> }) {
  const name = typeof details?.name === "string" && details.name.trim() !== "" ? details.name : undefined;
  const partner = typeof details?.partner_id === "string" && details.partner_id !== "" ? details.partner_id : undefined;
  return (
    <>
      <code class="doc-id">{id}</code>
      {name && <> “{name}”</>}
      {partner && (
        <>
          {" "}
          · <PartnerName id={partner} />
        </>
      )}
    </>
  );
}

/**
 * What an event is about, by what names it (domain/audit-event.ts): an account by its person's
 * name, an entry by its meter, contract day and partner, an adjustment by its partner and change,
 * each id small beside it (a support reference); a statement by its id, which is its name.
 */
function Subject({ path, details }: { path?: string; details?: Record<string, unknown> }) {
  const subject = auditSubject(path);
  if (subject.kind === "none") return <span class="muted">—</span>;
  if (subject.kind === "jv-settings") {
    // Which settings a change touched, by their labels, and from what to what, as the settings form shows them.
    const changed = Array.isArray(details?.changed) ? details.changed.filter((k): k is string => typeof k === "string") : [];
    const was = (details?.before ?? {}) as Record<string, unknown>;
    const now = (details?.after ?? {}) as Record<string, unknown>;
    return (
      <span data-subject={path}>
        JV settings{changed.length > 0 && <span class="muted">: {changed.map((k) => settingChange(k, was[k], now[k])).join("; ")}</span>}
      </span>
    );
  }
  if (subject.kind === "path") return <code class="doc-id">{subject.path}</code>;
  const [kind, detail] =
    subject.kind === "account"
      ? ["Account", <PersonName uid={subject.uid} />]
      : subject.kind === "entry"
        ? ["Entry", <LiveEntryLink id={subject.id} partner />]
        : subject.kind === "statement"
          ? ["Statement", <StatementLink id={subject.id} />]
          : subject.kind === "adjustment"
            ? ["Prior-period adjustment", <AdjustmentSubject id={subject.id} />]
            : subject.label === "Partner"
              ? ["Partner", <PartnerName id={subject.id} />]
              : subject.label === "API key"
                ? ["API key", <KeySubject id={subject.id} details={details} />]
                : subject.label === "Statement exception"
                  ? ["Exception", <ExceptionSubject id={subject.id} details={details} />]
                  : [subject.label, <code class="doc-id">{subject.id}</code>];
  return (
    <span data-subject={path}>
      <span class="muted">{kind}</span> {detail}
    </span>
  );
}

/** A reference in an event's details, by what names it: a partner, a statement, an account. */
function DetailRef({ part }: { part: DetailPart }) {
  if (typeof part === "string") return <>{part}</>;
  if ("partner" in part) return <PartnerName id={part.partner} />;
  if ("statement" in part) return <StatementLink id={part.statement} />;
  return <PersonName uid={part.person} />;
}

/**
 * What the event's details say (domain/audit-event-details.ts), under its subject: the role set
 * and what it was, the audit's verdict and reasons, a review's decision and note, …; nothing
 * where they say nothing more.
 */
function EventDetails({ action, details }: { action?: string; details?: Record<string, unknown> }) {
  const phrases = auditEventDetails(action, details);
  if (phrases.length === 0) return null;
  return (
    <span class="event-details" data-testid="event-details">
      <span class="sr-only">Details: </span>
      {phrases.map((p, i) => (
        <span key={i} class="event-detail">
          {i > 0 && " · "}
          {p.map((part, j) => (
            <DetailRef key={j} part={part} />
          ))}
        </span>
      ))}
    </span>
  );
}

/** Who did it: a person by name, an agent, or the set-up script that gave the first administrator's role. */
function Actor({ uid }: { uid?: string }) {
  const script = scriptActor(uid);
  if (script)
    return (
      <span data-uid={uid} title={`Actor id: ${uid}`}>
        {script}
      </span>
    );
  return <PersonName uid={uid} />;
}

/** How many events a page of a chain reads: the newest, each "Show older events", a jump to one event. */
const EVENTS_PAGE = 50;

/** Older pages of a chain as read (once: events are never changed), for the chain and place they were read from. */
interface OlderEvents {
  key: string;
  docs: Doc<AuditEvent>[];
  reading: boolean;
  /** A page came back short: the chain has nothing older. */
  ended: boolean;
  error?: string;
}

/**
 * One chain's events, newest first: its newest page live (or, after "Go to event", the page from
 * that event back), then each older page "Show older events" reads below it. `events` is the
 * chain head's seq: how many events it holds.
 */
function Chain({ stream, label, events }: { stream: string; label: string; events?: number }) {
  const [jump, setJump] = useState<{ stream: string; seq: number }>();
  const upTo = jump?.stream === stream ? jump.seq : undefined;
  const key = `${stream}:${upTo ?? "newest"}`;
  const top = useLiveQuery<AuditEvent>(
    upTo === undefined ? auditStream(stream, EVENTS_PAGE) : auditStreamUpTo(stream, upTo, EVENTS_PAGE),
    key,
  );
  const [read, setRead] = useState<OlderEvents>();
  const older = read?.key === key ? read : undefined;
  // The older pages hold the rows shown when each was asked for, so that new events pushing the
  // newest page up leave no gap above the older rows.
  const byId = new Map<string, Doc<AuditEvent>>();
  for (const d of [...top.value.docs, ...(older?.docs ?? [])]) byId.set(d.id, d);
  const shown = [...byId.values()].sort((a, b) => b.data.seq - a.data.seq);
  const newest = shown[0]?.data.seq;
  const oldest = shown[shown.length - 1]?.data.seq;
  const total = Math.max(events ?? 0, upTo === undefined ? (newest ?? 0) : 0);
  // Nothing older once event 1 is shown, or once a page came back short (a chain not reaching back to 1).
  const more = oldest !== undefined && oldest > 1 && !(older ? older.ended : top.value.docs.length < EVENTS_PAGE);
  const [focusSeq, setFocusSeq] = useState<number>();
  const table = useRef<HTMLDivElement>(null);
  // "Show older events" and "Go" move the focus to the first event they brought in, once it is listed.
  useEffect(() => {
    if (focusSeq === undefined) return;
    const row = table.current?.querySelector<HTMLElement>(`tr[data-seq="${focusSeq}"]`);
    if (row) row.focus();
    if (row || (!top.value.loading && !older?.reading)) setFocusSeq(undefined);
  });
  const showOlder = () => {
    if (oldest === undefined) return;
    setRead({ key, docs: shown, reading: true, ended: false });
    setFocusSeq(oldest - 1);
    const answer = (update: (was: OlderEvents) => OlderEvents) => setRead((was) => (was?.key === key ? update(was) : was));
    getDocs(buildQuery(auditStreamUpTo(stream, oldest - 1, EVENTS_PAGE))).then(
      (snap) =>
        answer((was) => ({
          ...was,
          docs: [...was.docs, ...snap.docs.map((d) => ({ id: d.id, data: d.data() as AuditEvent }))],
          reading: false,
          ended: snap.size < EVENTS_PAGE,
        })),
      (e) => answer((was) => ({ ...was, reading: false, error: `Could not read the older events: ${errorMessage(e)}` })),
    );
  };
  const [goTo, setGoTo] = useState("");
  return (
    <>
      <form
        class="inline-form"
        data-testid="audit-go-to"
        onSubmit={(e) => {
          e.preventDefault();
          const seq = Number(goTo);
          if (!Number.isInteger(seq) || seq < 1) return;
          setJump({ stream, seq });
          setFocusSeq(total > 0 ? Math.min(seq, total) : seq);
        }}
      >
        <label>
          Go to event #{" "}
          <input
            type="number"
            min={1}
            max={total > 0 ? total : undefined}
            step={1}
            required
            value={goTo}
            onInput={(e) => setGoTo(e.currentTarget.value)}
          />
        </label>{" "}
        <button type="submit" class="secondary">
          Go
        </button>
        {upTo !== undefined && (
          <>
            {" "}
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setJump(undefined);
                setFocusSeq(total || undefined);
              }}
            >
              Show the newest
            </button>
          </>
        )}
      </form>
      <Loaded live={top.value} empty={upTo === undefined ? `No events in ${label}.` : `No events up to #${upTo} in ${label}.`}>
        {() => (
          <div ref={table}>
            <TableScroll blocks="blocks-list" label="Audit events">
              <table class="data as-blocks" data-testid="audit-events" role="table">
                <caption class="sr-only">Events of {label}, newest first</caption>
                <thead role="rowgroup">
                  <tr role="row">
                    <th role="columnheader" scope="col" class="num">
                      Seq
                    </th>
                    <th role="columnheader" scope="col">
                      At
                    </th>
                    <th role="columnheader" scope="col">
                      Actor
                    </th>
                    <th role="columnheader" scope="col">
                      Action
                    </th>
                    <th role="columnheader" scope="col">
                      Subject
                    </th>
                    <th role="columnheader" scope="col">
                      Hash
                    </th>
                  </tr>
                </thead>
                <tbody role="rowgroup">
                  {shown.map(({ id, data: e }) => (
                    <tr role="row" key={id} data-seq={e.seq} tabIndex={-1}>
                      <td role="cell" class="num" data-label="Seq">
                        {e.seq}
                      </td>
                      <td role="cell" class="nowrap" data-label="At">
                        {dateTime(e.at)}
                      </td>
                      <td role="cell" class="wide" data-label="Actor">
                        <Actor uid={e.actor} />
                      </td>
                      <td role="cell" class="wide" data-label="Action" title={e.action ? `Action: ${e.action}` : undefined}>
                        {e.action ? auditActionInWords(e.action) : "—"}
                      </td>
                      <td role="cell" class="wrap wide" data-label="Subject">
                        <Subject path={e.subject} details={e.details} />
                        <EventDetails action={e.action} details={e.details} />
                      </td>
                      <td role="cell" class="wide" data-label="Hash">
                        <Hash value={e.hash} short />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </div>
        )}
      </Loaded>
      {older?.error && (
        <p class="error" role="alert">
          {older.error}
        </p>
      )}
      <p class="muted small-text" data-testid="audit-events-shown">
        {newest !== undefined && oldest !== undefined
          ? `Events ${num(newest, 0)} to ${num(oldest, 0)}${total > 0 ? ` of ${num(total, 0)}` : ""}, newest first; hashes abbreviated (hover for the full value).`
          : "Hashes abbreviated (hover for the full value)."}
      </p>
      {more && (
        <p>
          <button type="button" class="secondary" data-testid="audit-show-older" disabled={older?.reading} onClick={showOlder}>
            {older?.reading ? "Reading older events…" : "Show older events"}
          </button>
        </p>
      )}
    </>
  );
}

/** Up to this many chains the picker shows them all; more scroll inside it. */
const CHAINS_SHOWN_WHOLE = 40;

/**
 * The chains as radio buttons under their groups' headings, each label whole: a select cuts a long
 * label ("Receipt …: reconciliations and releases (… events)") at the width of its box, here they wrap.
 */
function ChainPicker({
  groups,
  stream,
  onPick,
}: {
  groups: ReturnType<typeof groupStreams<{ stream: string; events: number }>>;
  stream: string;
  onPick: (stream: string) => void;
}) {
  const chains = groups.reduce((n, g) => n + g.streams.length, 0);
  const scrolls = chains > CHAINS_SHOWN_WHOLE;
  return (
    <fieldset class="chain-picker" data-testid="audit-stream">
      <legend>Chain</legend>
      {/* A long list scrolls in its box (a scrollbar may only show while scrolling): the note says so. */}
      {scrolls && (
        <p class="muted small-text" data-testid="chain-list-scrolls">{`${counted(chains, "chain")}: scroll the list for them all.`}</p>
      )}
      <div class={scrolls ? "chain-list scrolls" : "chain-list"}>
        {groups.map((g, i) => (
          <div key={g.group} class="chain-group" role="group" aria-labelledby={`chain-group-${i}`}>
            <h3 id={`chain-group-${i}`}>{g.group}</h3>
            <ul>
              {g.streams.map((c) => (
                <li key={c.stream}>
                  <label class="radio">
                    <input
                      type="radio"
                      name="audit-chain"
                      value={c.stream}
                      checked={c.stream === stream}
                      onChange={() => onPick(c.stream)}
                    />
                    <span class="chain-label">{`${c.label} (${counted(c.events, "event")})`}</span>
                  </label>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Auditors: walk every hash chain (verifyAuditLog) and read any chain's events, newest first, page by page. */
export function AuditLogScreen() {
  const [report, setReport] = useState<AuditLogReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [picked, setPicked] = useState<string>();
  const chains = useLiveQuery<{ seq?: number }>(auditChains(), "audit-chains");
  const partners = useLiveQuery<{ name?: string }>(allPartners(), "partners").value;
  const partnerName = (id: string) => partners.docs.find((p) => p.id === id)?.data.name || undefined;
  const groups = groupStreams(
    chains.value.docs.map((c) => ({ stream: c.id, events: c.data.seq ?? 0 })),
    partnerName,
  );
  const listed = groups.flatMap((g) => g.streams.map((c) => c.stream));
  // The chain picked while the picker still lists it; otherwise the first it lists.
  const stream = picked !== undefined && listed.includes(picked) ? picked : (listed[0] ?? "");
  const capped = chains.value.docs.length >= AUDIT_CHAINS_LISTED;
  const inWords = (name: string) => streamInWords(name, partnerName).label;
  const [waiting, setWaiting] = useState<number>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const whole = await verifyWholeLog(verifyAuditLog, (sofar, wait) => {
        setReport(sofar);
        setWaiting(wait);
      });
      setWaiting(undefined);
      setReport(whole);
    } catch (e) {
      setWaiting(undefined);
      setReport(undefined);
      setError(`Could not verify the audit log: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page
      title="Audit log"
      intro="Every role change, audit, review and report is an event in a hash chain, one chain per stream. Verifying walks every chain and names the first edited, inserted or missing event."
    >
      <Card
        title="Verify every chain"
        actions={
          <button type="button" onClick={run} disabled={busy}>
            {busy ? "Verifying…" : "Verify audit log"}
          </button>
        }
      >
        {error && <Alert kind="error">{error}</Alert>}
        {!report && !error && !busy && <p class="muted">Not verified in this session yet.</p>}
        {busy && !report && <p class="muted">Verifying… the chains are walked 20,000 events a call.</p>}
        {report && (
          <div data-testid="audit-verify" data-ok={String(report.ok)} data-complete={String(report.complete)}>
            <Alert kind={!report.complete ? "info" : report.ok ? "ok" : "error"}>
              {verificationText(report, counted)}
              {waiting !== undefined && ` Waiting ${counted(waiting, "second")} for the limit of calls a minute.`}
            </Alert>
            {report.problems.length > 0 && (
              <ul class="problems">
                {report.problems.map((p, i) => (
                  <li key={`${p.stream}-${i}`}>
                    <strong>{inWords(p.stream)}</strong> (chain <code class="doc-id">{p.stream}</code>) at seq {p.seq}: {p.kind} —{" "}
                    {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </Card>
      <Card title="Events of one chain">
        {groups.length > 0 && <ChainPicker groups={groups} stream={stream} onPick={setPicked} />}
        {chains.value.error ? (
          <p class="error" role="alert" data-testid="audit-chain-count">
            {chains.value.error}
          </p>
        ) : (
          <p class="muted small-text" data-testid="audit-chain-count">
            {chains.value.loading
              ? "Reading the chain heads…"
              : capped
                ? `The first ${num(AUDIT_CHAINS_LISTED, 0)} chains by stream name are listed; Verify audit log walks them all.`
                : `${counted(chains.value.docs.length, "chain")}; pick one by what it records.`}
            {stream && (
              <>
                {" "}
                Showing <span data-testid="audit-stream-name">{inWords(stream)}</span> (chain{" "}
                <code class="doc-id" data-testid="audit-stream-id">
                  {stream}
                </code>
                ).
              </>
            )}
          </p>
        )}
        {stream && <Chain stream={stream} label={inWords(stream)} events={chains.value.docs.find((c) => c.id === stream)?.data.seq} />}
      </Card>
    </Page>
  );
}
