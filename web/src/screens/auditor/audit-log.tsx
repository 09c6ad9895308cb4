import type { Timestamp } from "firebase/firestore";
import { useState } from "preact/hooks";
import { verifyAuditLog } from "../../data/callables";
import { useLiveQuery } from "../../data/live";
import { allPartners, AUDIT_CHAINS_LISTED, auditChains, auditStream } from "../../data/queries";
import type { AuditLogReport } from "../../data/types";
import { dateTime, errorMessage, num } from "../../format";
import { Alert, Card, Hash, Loaded, Page, TableScroll } from "../../ui/common";
import { PersonName } from "../../ui/person";
import { auditActionInWords } from "../../domain/audit-event";
import { documentKind, documentOf } from "../../domain/document-label";
import { groupStreams, streamInWords } from "../../domain/audit-stream";
import { EntryId } from "../entries/entry-link";
import { href } from "../../router";
import { JV_SETTINGS_PATH } from "../settings";

interface AuditEvent {
  seq: number;
  at?: Timestamp;
  actor?: string;
  action?: string;
  subject?: string;
  hash?: string;
  prev_hash?: string;
}

/**
 * What an event is about, by what names it: an account by its person's name, an entry or a
 * statement linked with its id (a support reference), the JV settings in words.
 */
function Subject({ path }: { path?: string }) {
  if (!path) return <span class="muted">—</span>;
  if (path === JV_SETTINGS_PATH) return <>JV settings</>;
  const { collection, id } = documentOf(path);
  const kind = documentKind(path);
  if (!kind || id === "") return <code class="doc-id">{path}</code>;
  const detail =
    collection === "users" ? <PersonName uid={id} />
    : collection === "production_entries" ? <a href={href("entry", id)}><EntryId id={id} /></a>
    : collection === "reconciliations" ? <a href={href("statements", id)}>{id}</a>
    : <code class="doc-id">{id}</code>;
  return <span data-subject={path}><span class="muted">{kind.charAt(0).toUpperCase() + kind.slice(1)}</span> {detail}</span>;
}

function Chain({ stream, label }: { stream: string; label: string }) {
  const events = useLiveQuery<AuditEvent>(auditStream(stream), stream);
  return (
    <Loaded live={events.value} empty={`No events in ${label}.`}>
      {(docs) => (
        <TableScroll label="Audit events"><table class="data" data-testid="audit-events">
          <caption class="sr-only">Newest events of {label}</caption>
          <thead><tr><th scope="col" class="num">Seq</th><th scope="col">At</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Hash</th></tr></thead>
          <tbody>
            {docs.map(({ id, data: e }) => (
              <tr key={id}>
                <td class="num">{e.seq}</td>
                <td class="nowrap">{dateTime(e.at)}</td>
                <td><PersonName uid={e.actor} /></td>
                <td title={e.action ? `Action: ${e.action}` : undefined}>{e.action ? auditActionInWords(e.action) : "—"}</td>
                <td class="wrap"><Subject path={e.subject} /></td>
                <td><Hash value={e.hash} short /></td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}
    </Loaded>
  );
}

/** Auditors: walk every hash chain (verifyAuditLog) and read any chain's newest events. */
export function AuditLogScreen() {
  const [report, setReport] = useState<AuditLogReport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [picked, setPicked] = useState<string>();
  const chains = useLiveQuery<{ seq?: number }>(auditChains(), "audit-chains");
  const partners = useLiveQuery<{ name?: string }>(allPartners(), "partners").value;
  const partnerName = (id: string) => partners.docs.find((p) => p.id === id)?.data.name || undefined;
  const groups = groupStreams(chains.value.docs.map((c) => ({ stream: c.id, events: c.data.seq ?? 0 })), partnerName);
  const listed = groups.flatMap((g) => g.streams.map((c) => c.stream));
  // The chain picked while the picker still lists it; otherwise the first it lists.
  const stream = picked !== undefined && listed.includes(picked) ? picked : (listed[0] ?? "");
  const capped = chains.value.docs.length >= AUDIT_CHAINS_LISTED;
  const inWords = (name: string) => streamInWords(name, partnerName).label;
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await verifyAuditLog({}));
    } catch (e) {
      setError(`Could not verify the audit log: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Audit log" intro="Every role change, audit, review and report is an event in a hash chain, one chain per stream. Verifying walks every chain and names the first edited, inserted or missing event.">
      <Card title="Verify every chain" actions={<button type="button" onClick={run} disabled={busy}>{busy ? "Verifying…" : "Verify audit log"}</button>}>
        {error && <Alert kind="error">{error}</Alert>}
        {!report && !error && <p class="muted">Not verified in this session yet.</p>}
        {report && (
          <div data-testid="audit-verify" data-ok={String(report.ok)}>
            <Alert kind={report.ok ? "ok" : "error"}>
              {report.ok
                ? `Intact: ${num(report.events, 0)} events in ${num(report.streams, 0)} chains, every hash links.`
                : `${report.problems.length} broken chain${report.problems.length === 1 ? "" : "s"} in ${num(report.streams, 0)} chains (${num(report.events, 0)} events).`}
            </Alert>
            {report.problems.length > 0 && (
              <ul class="problems">
                {report.problems.map((p) => <li key={p.stream}><strong>{inWords(p.stream)}</strong> (chain <code class="doc-id">{p.stream}</code>) at seq {p.seq}: {p.kind} — {p.message}</li>)}
              </ul>
            )}
          </div>
        )}
      </Card>
      <Card
        title="Events of one chain"
        actions={
          <label class="inline">
            Chain{" "}
            <select data-testid="audit-stream" class="chain-picker" value={stream} onChange={(e) => setPicked(e.currentTarget.value)}>
              {groups.map((g) => (
                <optgroup key={g.group} label={g.group}>
                  {g.streams.map((c) => <option key={c.stream} value={c.stream}>{`${c.label} (${num(c.events, 0)} events)`}</option>)}
                </optgroup>
              ))}
            </select>
          </label>
        }
      >
        {chains.value.error ? (
          <p class="error" role="alert" data-testid="audit-chain-count">{chains.value.error}</p>
        ) : (
          <p class="muted small-text" data-testid="audit-chain-count">
            {chains.value.loading
              ? "Reading the chain heads…"
              : capped
                ? `The first ${num(AUDIT_CHAINS_LISTED, 0)} chains by stream name are listed; Verify audit log walks them all.`
                : `${num(chains.value.docs.length, 0)} chains; pick one by what it records.`}
            {stream && <> Showing chain <code class="doc-id" data-testid="audit-stream-id">{stream}</code>.</>}
          </p>
        )}
        {stream && <Chain stream={stream} label={inWords(stream)} />}
        <p class="muted small-text">Newest 50 events; hashes abbreviated (hover for the full value).</p>
      </Card>
    </Page>
  );
}
