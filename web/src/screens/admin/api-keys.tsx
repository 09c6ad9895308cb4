import { Fragment } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createApiKey, revokeApiKey, type CreatedApiKey } from "../../data/callables";
import { useLiveQuery, type Doc } from "../../data/live";
import { allPartners, apiKeys } from "../../data/queries";
import type { ApiKeyRecord } from "../../data/types";
import { dateTime, errorMessage, toDate } from "../../format";
import { Alert, Badge, Card, Loaded, Page, TableScroll } from "../../ui/common";
import { typedTextProblem } from "../../domain/typed-text";
import { byPartnerName } from "../../domain/partner-membership";
import { problemAria, TextProblem } from "../../ui/text-problem";
import { PartnerName } from "../../ui/partner";

function keyStatus(k: ApiKeyRecord, now: number): "revoked" | "expired" | "active" {
  if (k.revoked_at) return "revoked";
  const expires = toDate(k.expires_at);
  return expires && expires.getTime() <= now ? "expired" : "active";
}

const STATUS_LABEL = { active: "Active", revoked: "Revoked", expired: "Expired" } as const;

/** The clear key, shown once right after createApiKey returned it. */
function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("The browser refused the clipboard: select the key and copy it by hand.");
    }
  };
  return (
    <div class="alert alert-ok" role="status" data-testid="new-key">
      <p>
        <strong>Key {created.key_id} created for <PartnerName id={created.partner_id} />.</strong> Copy it into the gateway's configuration now: it is shown
        this once. FlowShare keeps only its hash and cannot show it again.
      </p>
      <code class="secret" data-testid="new-key-secret">{created.key}</code>
      <div class="form-actions">
        <button type="button" class="small" onClick={copy}>Copy key</button>
        <button type="button" class="small secondary" onClick={onDone}>I have stored it — hide</button>
        {copied && <span class="muted">{copied}</span>}
      </div>
    </div>
  );
}

function CreateKeyForm({ partners, onCreated }: { partners: Array<{ id: string; name: string }>; onCreated: (k: CreatedApiKey) => void }) {
  const [partner, setPartner] = useState("");
  const [name, setName] = useState("");
  const [meters, setMeters] = useState("");
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // A meter id may contain spaces (functions/src/domain/meter-ticket.ts): only commas and line breaks separate them.
  const meterIds = meters.split(/[,\r\n]+/).map((m) => m.trim()).filter(Boolean);
  const repeated = meterIds.find((m, i) => meterIds.indexOf(m) !== i);
  const nameProblem = typedTextProblem("Name", name.trim(), "line");
  // One id per key asked for: a second click after a lost answer names the key made, not a new one.
  // Once that is said (or the key shown), the next click asks for a new key.
  const [answered, setAnswered] = useState(0);
  const requestId = useMemo(() => crypto.randomUUID(), [partner, name, meters, expires, answered]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await createApiKey({
        partner_id: partner,
        name: name.trim(),
        ...(meterIds.length > 0 ? { meter_ids: meterIds } : {}),
        ...(expires ? { expires_at: `${expires}T00:00:00Z` } : {}),
        request_id: requestId,
      });
      onCreated(created);
      setAnswered((n) => n + 1);
      setName("");
      setMeters("");
      setExpires("");
    } catch (e) {
      const madeBefore = (e as { code?: string }).code === "functions/already-exists";
      if (madeBefore) setAnswered((n) => n + 1);
      setError(madeBefore ? errorMessage(e) : `Key not created: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="New API key" data-testid="api-key-form">
      <div class="grid-2">
        <label>
          <span class="label-text">Partner</span>
          <select name="partner_id" required value={partner} onChange={(e) => setPartner(e.currentTarget.value)}>
            <option value="">Choose a partner</option>
            {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>
          <span class="label-text">Name <span class="unit">(which gateway)</span></span>
          <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} {...problemAria("key-name-problem", nameProblem)} />
          <TextProblem id="key-name-problem" problem={nameProblem} />
        </label>
        <label>
          <span class="label-text">Meters<span class="optional"> optional</span></span>
          <input name="meter_ids" value={meters} aria-describedby="meter-ids-hint" aria-invalid={repeated ? "true" : undefined} onInput={(e) => setMeters(e.currentTarget.value)} />
          <span id="meter-ids-hint" class={repeated ? "hint hint-critical" : "hint"}>
            {repeated ? `Meter ${repeated} is listed twice.` : "Meter ids separated by commas (an id may contain spaces); empty: any meter of the partner (at most 100)."}
          </span>
        </label>
        <label>
          <span class="label-text">Expires on (00:00 UTC)<span class="optional"> optional</span></span>
          <input name="expires_at" type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy || !partner || name.trim() === "" || !!nameProblem || !!repeated || meterIds.length > 100}>{busy ? "Creating…" : "Create key"}</button>
      </div>
      {error && <Alert kind="error">{error}</Alert>}
    </form>
  );
}

/**
 * Revoke… asks first. The focus follows: into the confirmation, back to Revoke… on Cancel, and to
 * the message once revoked (the buttons leave the row). "Yes, revoke" stays focusable while busy.
 */
function RevokeButton({ keyId, label, revoked }: { keyId: string; label: string; revoked: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string>();
  const group = useRef<HTMLDivElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  // Where the focus goes at the next render: the confirmation when it opens, Revoke… when it closes.
  const focusNext = useRef<"group" | "start" | undefined>(undefined);
  useEffect(() => {
    const target = focusNext.current === "group" ? group.current : focusNext.current === "start" ? start.current : null;
    if (target) {
      target.focus();
      focusNext.current = undefined;
    }
  });
  const revoke = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await revokeApiKey({ key_id: keyId });
      setDone(true);
    } catch (e) {
      setError(`Key not revoked: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  if (done) return <Alert kind="ok" focus>Revoked.</Alert>;
  if (revoked) return <span class="muted">—</span>;
  if (!confirming) {
    return (
      <button type="button" ref={start} class="small danger" aria-label={`Revoke ${label}`} onClick={() => { focusNext.current = "group"; setConfirming(true); }}>
        Revoke…
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={`Confirm revoking ${label}`} ref={group} tabIndex={-1}>
      <span>Gateways using it are refused at once. Revoke?</span>
      {/* aria-disabled, not disabled: a disabled button would drop the focus to the page. */}
      <button type="button" class="small danger" aria-disabled={busy ? "true" : undefined} onClick={revoke}>{busy ? "Revoking…" : "Yes, revoke"}</button>
      <button type="button" class="small secondary" disabled={busy} onClick={() => { focusNext.current = "start"; setConfirming(false); }}>Cancel</button>
      {error && <Alert kind="error">{error}</Alert>}
    </div>
  );
}

function KeyTable({ docs }: { docs: Doc<ApiKeyRecord>[] }) {
  const now = Date.now();
  return (
    <TableScroll blocks="blocks-list" label="Keys table"><table class="data as-blocks" data-testid="api-keys" role="table">
      <thead role="rowgroup">
        <tr role="row">
          <th role="columnheader" scope="col">Name</th><th role="columnheader" scope="col">Key</th><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Meters</th>
          <th role="columnheader" scope="col">Created</th><th role="columnheader" scope="col">Expires</th><th role="columnheader" scope="col">Last used</th><th role="columnheader" scope="col">Status</th><th role="columnheader" scope="col">Action</th>
        </tr>
      </thead>
      <tbody role="rowgroup">
        {docs.map(({ id, data: k }) => {
          const status = keyStatus(k, now);
          return (
            <tr role="row" key={id} data-key={k.key_id} data-status={status}>
              <th role="rowheader" scope="row">{k.name}</th>
              <td role="cell" class="wide" data-label="Key"><code>{k.key_id}</code><br /><code class="muted">{k.prefix}…{k.last_four}</code></td>
              <td role="cell" data-label="Partner"><PartnerName id={k.partner_id} /></td>
              <td role="cell" class="wrap" data-label="Meters">{k.meter_ids && k.meter_ids.length > 0 ? (
                  // Each meter id whole: "BRP-LACT-01A" broken at its hyphens reads as three ids.
                  k.meter_ids.map((m, i) => <Fragment key={m}>{i > 0 && ", "}<span class="nowrap">{m}</span></Fragment>)
                ) : <span class="muted">any</span>}</td>
              <td role="cell" class="nowrap" data-label="Created">{dateTime(k.created_at)}</td>
              <td role="cell" class="nowrap" data-label="Expires">{k.expires_at ? dateTime(k.expires_at) : <span class="muted">never</span>}</td>
              <td role="cell" class="nowrap" data-label="Last used">{k.last_used_at ? dateTime(k.last_used_at) : <span class="muted">never</span>}</td>
              <td role="cell" data-label="Status">
                <Badge status={status === "active" ? "ok" : "rejected"} label={STATUS_LABEL[status]} />
                {k.revoked_at && <div class="muted small-text">{dateTime(k.revoked_at)}</div>}
              </td>
              <td role="cell" class="wide"><RevokeButton keyId={k.key_id} label={`${k.name} (${k.key_id})`} revoked={status === "revoked"} /></td>
            </tr>
          );
        })}
      </tbody>
    </table></TableScroll>
  );
}

/** Admins: gateway keys for ingestProduction (docs/ingestion.md). The records hold no key, only its hash. */
export function ApiKeysScreen() {
  const keys = useLiveQuery<ApiKeyRecord>(apiKeys(), "api-keys");
  const partners = useLiveQuery<{ name?: string; active?: boolean }>(allPartners(), "partners");
  const [created, setCreated] = useState<CreatedApiKey>();
  const partnerList = byPartnerName(partners.value.docs).filter((p) => p.data.active === true).map((p) => ({ id: p.id, name: p.data.name ?? p.id }));
  return (
    <Page title="API keys" intro="Keys with which a partner's SCADA gateway sends its meter tickets to FlowShare (the contract for gateway authors is FlowShare's ingestion guide and its OpenAPI document). A key is shown once, when it is created; revoking it refuses the gateway at once.">
      <Card title="New key">
        {created && <NewKey created={created} onDone={() => setCreated(undefined)} />}
        {partners.value.error && <p class="error" role="alert">The partners could not be read, so a key cannot be given one: {partners.value.error}</p>}
        <CreateKeyForm partners={partnerList} onCreated={setCreated} />
      </Card>
      <Card title="Keys">
        <Loaded live={keys.value} empty="No API key yet.">{(docs) => <KeyTable docs={docs} />}</Loaded>
      </Card>
    </Page>
  );
}
