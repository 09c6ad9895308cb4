import { useEffect, useRef, useState } from "preact/hooks";
import { setPartner } from "../../data/callables";
import { useJvSettings } from "../../data/jv-settings";
import { useLiveQuery, type Doc } from "../../data/live";
import { allPartners } from "../../data/queries";
import { contractDayOf } from "../../domain/jv-settings";
import {
  byPartnerName,
  departureDayProblem,
  PARTNER_NAME_MAX,
  partnerIdProblem,
  partnerNameProblem,
  partnerRecordOf,
  partnerStatus,
  type PartnerRecord,
} from "../../domain/partner-membership";
import { errorMessage } from "../../format";
import { Alert, Badge, Card, Loaded, Page, TableScroll } from "../../ui/common";

type StoredPartner = { name?: unknown; active?: unknown; left_jv_on?: unknown };
type Bounds = { today: string; jvStartDate: string | null };

const BADGE = { active: "ok", former: "closed", deactivated: "rejected" } as const;

function AddPartnerForm({ partners }: { partners: Doc<StoredPartner>[] }) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [joined, setJoined] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string }>();
  const partnerId = id.trim();
  const taken = partners.find((p) => p.id === partnerId);
  const idProblem = partnerIdProblem(partnerId, taken ? partnerRecordOf(taken.data) : undefined);
  const nameProblem = partnerNameProblem(name);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || idProblem || nameProblem || partnerId === "" || name.trim() === "") return;
    setBusy(true);
    setMessage(undefined);
    try {
      // new_partner: another admin's partner of the same id, added meanwhile, is refused, not renamed.
      const { partner } = await setPartner({ partner_id: partnerId, name: name.trim(), new_partner: true, ...(joined ? { joined_jv_on: joined } : {}) });
      setMessage({ kind: "ok", text: `Added ${partner.name} (${partner.partner_id}), active${joined ? `, a party from ${joined}` : ""}. Give its users their roles under Users & roles.` });
      setId("");
      setName("");
      setJoined("");
    } catch (e) {
      setMessage({ kind: "error", text: `Partner not added: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Add a partner" data-testid="add-partner-form" noValidate>
      <div class="grid-2">
        <label>
          <span class="label-text">Partner id</span>
          <input name="partner_id" required maxLength={64} autocomplete="off" spellcheck={false} value={id} onInput={(e) => setId(e.currentTarget.value)} aria-invalid={idProblem ? "true" : undefined} aria-describedby="partner-id-hint" />
          <span id="partner-id-hint" class={idProblem ? "hint hint-critical" : "hint"} data-testid="partner-id-hint">
            {idProblem ? `${idProblem}.` : "Letters, digits, '_' and '-'. It never changes: users, entries and gateway keys name the partner by it."}
          </span>
        </label>
        <label>
          <span class="label-text">Name</span>
          <input name="name" required maxLength={PARTNER_NAME_MAX + 20} value={name} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={nameProblem ? "true" : undefined} aria-describedby="partner-name-hint" />
          <span id="partner-name-hint" class={nameProblem ? "hint hint-critical" : "hint"}>
            {nameProblem ? `${nameProblem}.` : "As the statements name it, e.g. Northwind Energy."}
          </span>
        </label>
        <label>
          <span class="label-text">Joined the JV on (optional)</span>
          <input type="date" name="joined_jv_on" value={joined} onInput={(e) => setJoined(e.currentTarget.value)} aria-describedby="partner-joined-hint" />
          <span id="partner-joined-hint" class="hint">
            Its first contract day as a party, if it joins after the JV began: the statements of periods that ended before it give it no line, and the pre-flight expects its production from that day. Empty: a party from the start.
          </span>
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy || partnerId === "" || name.trim() === "" || !!idProblem || !!nameProblem}>{busy ? "Adding…" : "Add partner"}</button>
      </div>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

type Action = "rename" | "deactivate" | "depart" | "join";

/**
 * A partner's changes, each through setPartner. Rename…, Deactivate… and Record departure… open a
 * step that asks first (a deactivation and a departure cut users off); the focus goes into it, back
 * to its button on Cancel, and to the outcome once saved (the buttons change with the status).
 */
function PartnerActions({ id, partner, bounds }: { id: string; partner: PartnerRecord; bounds: Bounds }) {
  const [open, setOpen] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string }>();
  const [newName, setNewName] = useState("");
  const [day, setDay] = useState("");
  const group = useRef<HTMLDivElement>(null);
  const opener = useRef<Action | undefined>(undefined);
  const focusNext = useRef<"group" | Action | undefined>(undefined);
  const buttons = useRef<Partial<Record<Action, HTMLButtonElement | null>>>({});
  useEffect(() => {
    const target = focusNext.current === "group" ? group.current : focusNext.current ? buttons.current[focusNext.current] : null;
    if (target) {
      target.focus();
      focusNext.current = undefined;
    }
  });
  const name = partner.name ?? id;
  const start = (action: Action) => {
    setMessage(undefined);
    setNewName(partner.name ?? "");
    setDay(action === "join" ? (partner.joined_jv_on ?? "") : (partner.left_jv_on ?? bounds.today));
    opener.current = action;
    focusNext.current = "group";
    setOpen(action);
  };
  const cancel = () => {
    setMessage(undefined);
    focusNext.current = opener.current;
    setOpen(undefined);
  };
  const run = async (change: { name?: string; active?: boolean; left_jv_on?: string | null; joined_jv_on?: string | null }, done: (saved: string) => string) => {
    if (busy) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await setPartner({ partner_id: id, ...change });
      setMessage({ kind: "ok", text: result.changed.length === 0 ? `Nothing changed: ${result.partner.name} was already so.` : done(result.partner.name) });
      setOpen(undefined);
    } catch (e) {
      setMessage({ kind: "error", text: `Not changed: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  const nameProblem = partnerNameProblem(newName);
  const dayProblem = departureDayProblem(day, bounds);
  const button = (action: Action, label: string, danger = false) => (
    <button type="button" ref={(el) => { buttons.current[action] = el; }} class={danger ? "small danger" : "small secondary"} aria-label={`${label} ${name}`} onClick={() => start(action)}>
      {label}
    </button>
  );
  const outcome = message && <Alert kind={message.kind} focus>{message.text}</Alert>;

  if (open === "rename") {
    return (
      <div class="partner-step" role="group" aria-label={`Rename ${name}`} ref={group} tabIndex={-1}>
        <form class="inline-form" noValidate onSubmit={(e) => { e.preventDefault(); if (!nameProblem && newName.trim() !== "") void run({ name: newName.trim() }, (n) => `Renamed: the partner is now ${n}.`); }}>
          <label>
            New name <input name="new_name" required maxLength={PARTNER_NAME_MAX + 20} value={newName} onInput={(e) => setNewName(e.currentTarget.value)} aria-invalid={nameProblem ? "true" : undefined} />
          </label>
          <button type="submit" class="small" aria-disabled={busy || !!nameProblem || newName.trim() === "" ? "true" : undefined}>{busy ? "Saving…" : "Save name"}</button>
          <button type="button" class="small secondary" disabled={busy} onClick={cancel}>Cancel</button>
        </form>
        {nameProblem && <span class="hint hint-critical">{nameProblem}.</span>}
        {outcome}
      </div>
    );
  }
  if (open === "deactivate") {
    return (
      <div class="partner-step confirm" role="group" aria-label={`Confirm deactivating ${name}`} ref={group} tabIndex={-1}>
        <span>
          Every user of {name} is cut off at once: its field operators and partner users can no longer read or enter its data
          {partner.left_jv_on ? ", its statements from before it left included" : ""}. Deactivate?
        </span>
        <button type="button" class="small danger" aria-disabled={busy ? "true" : undefined} onClick={() => void run(partner.left_jv_on ? { left_jv_on: null } : { active: false }, (n) => `${n} is deactivated: all its users are cut off.`)}>
          {busy ? "Deactivating…" : "Yes, deactivate"}
        </button>
        <button type="button" class="small secondary" disabled={busy} onClick={cancel}>Cancel</button>
        {outcome}
      </div>
    );
  }
  if (open === "join") {
    return (
      <div class="partner-step" role="group" aria-label={`Set the day ${name} joined the JV`} ref={group} tabIndex={-1}>
        <form noValidate onSubmit={(e) => { e.preventDefault(); if (day !== "") void run({ joined_jv_on: day }, (n) => `Recorded: ${n} is a party from ${day}.`); }}>
          <label>
            <span class="label-text">Joined the JV on <span class="unit">(its first contract day as a party)</span></span>
            <input type="date" name="joined_jv_on" required value={day} onInput={(e) => setDay(e.currentTarget.value)} aria-describedby={`join-hint-${id}`} />
            <span id={`join-hint-${id}`} class="hint">
              Statements of periods that ended before it give it no line, and the pre-flight expects its production from that day. Refused while it has an entry from before.
            </span>
          </label>
          <div class="form-actions">
            <button type="submit" class="small" aria-disabled={busy || day === "" ? "true" : undefined}>{busy ? "Saving…" : "Save the day"}</button>
            {partner.joined_jv_on && (
              <button type="button" class="small secondary" disabled={busy} onClick={() => void run({ joined_jv_on: null }, (n) => `${n} is a party from the JV's start.`)}>
                A party from the start
              </button>
            )}
            <button type="button" class="small secondary" disabled={busy} onClick={cancel}>Cancel</button>
          </div>
        </form>
        {outcome}
      </div>
    );
  }
  if (open === "depart") {
    return (
      <div class="partner-step" role="group" aria-label={`Record the departure of ${name}`} ref={group} tabIndex={-1}>
        <form noValidate onSubmit={(e) => { e.preventDefault(); if (!dayProblem) void run({ left_jv_on: day }, (n) => `Recorded: ${n} left the JV on ${day}. Its field operators are cut off; its partner users keep its statements of periods that began before that day.`); }}>
          <label>
            <span class="label-text">Left the JV on <span class="unit">(the first contract day on which it is no longer a party)</span></span>
            <input type="date" name="left_jv_on" required max={bounds.today} min={bounds.jvStartDate ?? undefined} value={day} onInput={(e) => setDay(e.currentTarget.value)} aria-invalid={dayProblem ? "true" : undefined} aria-describedby={`depart-hint-${id}`} />
            <span id={`depart-hint-${id}`} class={dayProblem ? "hint hint-critical" : "hint"} data-testid="departure-hint">
              {dayProblem
                ? `${dayProblem}.`
                : "From that day its field operators are cut off; its partner users keep read access to the statements of periods that began before it, and may still take exception to them."}
            </span>
          </label>
          <div class="form-actions">
            <button type="submit" class="small danger" aria-disabled={busy || !!dayProblem ? "true" : undefined}>{busy ? "Recording…" : "Record the departure"}</button>
            <button type="button" class="small secondary" disabled={busy} onClick={cancel}>Cancel</button>
          </div>
        </form>
        {outcome}
      </div>
    );
  }
  const status = partnerStatus(partner).kind;
  return (
    <div class="partner-actions">
      <div class="inline-form">
        {button("rename", "Rename…")}
        {status === "active" ? (
          button("deactivate", "Deactivate…", true)
        ) : (
          <button type="button" class="small" aria-disabled={busy ? "true" : undefined} aria-label={`${status === "former" ? "Rejoin the JV" : "Reactivate"}: ${name}`} onClick={() => void run({ active: true }, (n) => `${n} is active again: its users have their access back.`)}>
            {busy ? "Saving…" : status === "former" ? "Rejoin the JV" : "Reactivate"}
          </button>
        )}
        {button("depart", status === "former" ? "Change departure day…" : "Record departure…")}
        {status === "active" && button("join", "Joined on…")}
        {status === "former" && button("deactivate", "Deactivate…", true)}
      </div>
      {outcome}
    </div>
  );
}

function PartnerTable({ docs, bounds }: { docs: Doc<StoredPartner>[]; bounds: Bounds }) {
  return (
    <TableScroll blocks="blocks-list" label="Partners table">
      <table class="data as-blocks partners-table" data-testid="partners" role="table">
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">Name</th>
            <th role="columnheader" scope="col">Id</th>
            <th role="columnheader" scope="col">Status</th>
            <th role="columnheader" scope="col">Change</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {docs.map(({ id, data }) => {
            const partner = partnerRecordOf(data);
            const status = partnerStatus(partner);
            return (
              <tr role="row" key={id} data-partner={id} data-status={status.kind}>
                <th role="rowheader" scope="row">{partner.name ?? <span class="muted">no name</span>}</th>
                <td role="cell" class="nowrap" data-label="Id"><code>{id}</code></td>
                <td role="cell" class="wide" data-label="Status" data-testid="partner-status">
                  <Badge status={BADGE[status.kind]} label={status.label} />
                  {status.rest && <span class="muted small-text">{status.rest}</span>}
                </td>
                <td role="cell" class="wide" data-label="Change"><PartnerActions id={id} partner={partner} bounds={bounds} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * Admins: the JV's partners (`partners`, which admins read live) and setPartner: add one, rename
 * it, deactivate it (every user cut off), record the day it left the JV (a former partner, whose
 * partner users keep its earlier statements), or have it rejoin.
 */
export function PartnersScreen() {
  const partners = useLiveQuery<StoredPartner>(allPartners(), "partners");
  const { settings } = useJvSettings();
  const bounds: Bounds = { today: contractDayOf(new Date(), settings), jvStartDate: settings.jv_start_date };
  return (
    <Page
      title="Partners"
      intro="The JV's partners, as the statements name them. Deactivating a partner cuts off all its users at once. A partner that left the JV is recorded with the first contract day on which it is no longer a party: its field operators are cut off, and its partner users keep read access to the statements of periods that began before that day (and may still take exception to them). Every change is on the audit log."
    >
      <Card title="Add a partner">
        {partners.value.error && <p class="error" role="alert">The partners could not be read, so a new id cannot be checked against them: {partners.value.error}</p>}
        <AddPartnerForm partners={partners.value.docs} />
      </Card>
      <Card title="The JV's partners">
        <Loaded live={partners.value} empty="No partner yet.">{(docs) => <PartnerTable docs={byPartnerName(docs)} bounds={bounds} />}</Loaded>
      </Card>
    </Page>
  );
}
