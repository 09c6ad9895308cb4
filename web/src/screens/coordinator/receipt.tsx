import { doc, getDoc } from "firebase/firestore";
import { useEffect, useRef, useState } from "preact/hooks";
import { firebase } from "../../data/firebase";
import { periodCoverage, reconcile, type PeriodCoverage } from "../../data/callables";
import { coverageLines } from "../../domain/period-coverage";
import { useLiveDoc, useLiveQuery } from "../../data/live";
import { allPartners, receiptVersions } from "../../data/queries";
import { requireUser, type SessionUser } from "../../data/session";
import type { ProductionEntry, Reconciliation, TerminalReceipt } from "../../data/types";
import { useContractDayOf, useJvSettings, usePeriodOf } from "../../data/jv-settings";
import { contractDayOf, contractDayStart } from "../../domain/jv-settings";
import { instantText, periodClockText } from "../../domain/contract-clock";
import { nothingToAllocate, overlapInWords, overlapsOf, receiptFigureProblems, type Overlap } from "../../domain/receipt-checks";
import { bbl, errorMessage, factor, isGain, luafTolerance, num, signed, signedMeasured } from "../../format";
import { href } from "../../router";
import { Alert, Card, Page, ReportBadge } from "../../ui/common";
import { typedTextProblem } from "../../domain/typed-text";
import { NoteArea } from "../../ui/text-problem";
import { EntryForm } from "../entries/entry-form";
import { PersonName } from "../../ui/person";
import { LiveEntryVerdict } from "../entries/entry-verdict";
import { EntryLink } from "../entries/entry-link";
import { PartnerName } from "../../ui/partner";
import { StatementView } from "../statements/statement-view";
import { closedDaysOf, preflight, type Preflight } from "./preflight";
import { WithdrawnNotice, WithdrawReceipt } from "./withdraw-receipt";
import { CorrectTicket } from "./correct-ticket";
import { ReplacedUnreconciledNotice } from "./replaced-receipt";
import { byPartnerName } from "../../domain/partner-membership";
import { ReasonTitles } from "../../ui/reasons";

/** What reconcile's refusal of a shrinkage outside the LUAF band carries (its error details). */
interface LuafRefusal {
  luaf: { tolerance_percent: number; shrinkage_percent: number; within_band: boolean };
  field_nsv_bbl?: number;
  terminal_nsv_bbl?: number;
}

/** Failures that say nothing of the receipt: a retry may pass. */
const TRANSIENT = new Set(["functions/unavailable", "functions/deadline-exceeded", "functions/internal", "functions/aborted"]);

function luafRefusal(error: unknown): LuafRefusal | undefined {
  const details = (error as { details?: unknown } | null)?.details as Partial<LuafRefusal> | undefined;
  return details && typeof details === "object" && details.luaf && typeof details.luaf.shrinkage_percent === "number" ? (details as LuafRefusal) : undefined;
}

/** Releases an allocation whose shrinkage is outside the LUAF band: reconcile again with the coordinator's note. */
function LuafAcknowledgement({ refusal, busy, gaps, onAcknowledge }: { refusal: LuafRefusal; busy: boolean; gaps: number; onAcknowledge: (note: string) => void }) {
  const [note, setNote] = useState("");
  const { luaf } = refusal;
  const problem = typedTextProblem("Note", note.trim(), "lines");
  return (
    <form class="review-form" aria-label="Acknowledge the shrinkage" onSubmit={(e) => { e.preventDefault(); if (note.trim() && !problem) onAcknowledge(note.trim()); }}>
      <p class="alert alert-error" role="alert">
        The shrinkage of <span data-testid="luaf-shrinkage">{signed(luaf.shrinkage_percent, 5)} %</span> ({isGain(luaf.shrinkage_percent, 5) ? "a gain" : "a loss"}
        {refusal.field_nsv_bbl !== undefined && refusal.terminal_nsv_bbl !== undefined && <>: field NSV {bbl(refusal.field_nsv_bbl)} bbl, terminal NSV {bbl(refusal.terminal_nsv_bbl)} bbl</>})
        {" "}is outside the LUAF band of ±{luafTolerance(luaf.tolerance_percent)} %. Investigate the receipt and the period's entries; to release the allocation anyway, say why.
        {gaps > 0 && <> The pre-flight lists {gaps === 1 ? "a partner" : `${gaps} partners`} with days without production: a missing entry is the first thing to look for.</>}
      </p>
      <label for="luaf-note">Why the loss or gain is accepted <span class="muted">(recorded on the statement)</span></label>
      <NoteArea id="luaf-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} problemId="luaf-note-problem" problem={problem} />
      <div class="form-actions">
        <button type="submit" disabled={busy || note.trim() === "" || !!problem}>Reconcile with this acknowledgement</button>
      </div>
    </form>
  );
}

/**
 * `lateEntryId`: the late entry last saved on this page; the check runs again when it is saved and
 * when its verdict or review arrives.
 */
function PreflightPanel({ receipt, canReconcile, onReconciled, lateEntryId }: { receipt: TerminalReceipt & { id: string }; canReconcile: boolean; onReconciled: (id: string) => void; lateEntryId?: string }) {
  const { settings } = useJvSettings();
  const late = useLiveDoc<ProductionEntry>(lateEntryId ? `production_entries/${lateEntryId}` : undefined).value.docs;
  const [check, setCheck] = useState<Preflight & { overlaps: Overlap[]; now: Date }>();
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "ok" | "info"; text: string }>();
  const [refusal, setRefusal] = useState<LuafRefusal>();
  const [coverage, setCoverage] = useState<PeriodCoverage | { error: string }>();
  // Checks may overlap (a late entry's save, then its verdict): only the newest one is shown.
  const latestRun = useRef(0);
  const run = async () => {
    const runId = ++latestRun.current;
    setChecking(true);
    try {
      // Entries before the JV's start date are excluded by the reconciliation whatever their audit
      // says: none of them blocks it.
      const periodStart = receipt.period_start.toDate();
      const jvStart = settings.jv_start_date ? contractDayStart(settings.jv_start_date, settings) : undefined;
      const periodEnd = receipt.period_end.toDate();
      const days = Math.round((periodEnd.getTime() - periodStart.getTime()) / 86_400_000);
      // Only coordinators and admins may ask; a failure leaves the rest of the check standing.
      const gaps = canReconcile ? periodCoverage({ terminal_receipt_id: receipt.id }).catch((e: unknown) => ({ error: errorMessage(e) })) : undefined;
      const [result, closed] = await Promise.all([
        preflight(jvStart && jvStart > periodStart ? jvStart : periodStart, periodEnd),
        closedDaysOf(contractDayOf(periodStart, settings), contractDayOf(new Date(periodEnd.getTime() - 1), settings), days),
      ]);
      const covered = await gaps;
      // A holder that replaces this receipt (a corrected ticket) is said as such: reconcile that one instead.
      const overlaps = await Promise.all(
        overlapsOf(closed, receipt).map(async (o) => {
          const holder = await getDoc(doc(firebase().db, "terminal_receipts", o.terminal_receipt_id)).catch(() => undefined);
          return holder?.get("supersedes_receipt_id") === receipt.id ? { ...o, replacesThis: true } : o;
        }),
      );
      if (runId === latestRun.current) {
        setCheck({ ...result, overlaps, now: new Date() });
        setCoverage(covered);
      }
    } catch (e) {
      if (runId === latestRun.current) setMessage({ kind: "error", text: `Pre-flight failed: ${errorMessage(e)}` });
    } finally {
      if (runId === latestRun.current) setChecking(false);
    }
  };
  useEffect(() => void run(), [receipt.id, settings.jv_start_date, settings.contract_day_start_hour, settings.utc_offset_minutes, lateEntryId, late?.audit?.status, late?.review?.decision]);
  // What reconcile refuses besides the entries: said here, before it is pressed.
  const periodEnd = receipt.period_end.toDate();
  const notOver = check !== undefined && periodEnd > check.now;
  const figures = receiptFigureProblems(receipt);
  const nothing = check ? nothingToAllocate({ entries: check.entries, usable: check.usable, pending: check.notAudited + check.awaitingReview.length, terminalGrossBbl: receipt.gross_volume_bbl }) : undefined;
  const blockers = check
    ? check.notAudited + check.awaitingReview.length + check.overlaps.length + (notOver ? 1 : 0) + figures.length + (nothing ? 1 : 0)
    : undefined;
  const endsText = `The period ends at ${instantText(periodEnd, settings)}; reconcile it once it has ended.`;
  const gapLines = coverage && !("error" in coverage) ? coverageLines(coverage.partners, coverage.days.length) : [];
  const doReconcile = async (acknowledgement?: string) => {
    setBusy(true);
    setMessage({ kind: "info", text: "Reconciling: measuring every entry of the period and allocating…" });
    try {
      const result = await reconcile({ terminal_receipt_id: receipt.id, ...(acknowledgement ? { acknowledge_luaf: { note: acknowledgement } } : {}) });
      setRefusal(undefined);
      const awaiting = result.released === false ? " It awaits its release: the partners do not see it yet." : "";
      const stale = result.stale ? " Entries of the period changed while it was made, so it is stale: reconcile again to include them." : "";
      setMessage({ kind: "ok", text: `${result.unchanged ? `Inputs unchanged: version ${result.version} (${result.reconciliation_id}) stands.` : `Reconciled: version ${result.version} (${result.reconciliation_id}).`}${awaiting}${stale}` });
      onReconciled(result.reconciliation_id);
    } catch (e) {
      const luaf = luafRefusal(e);
      // A refusal for the LUAF band is explained by the acknowledgement form (its new figures, the
      // note kept), not as a raw error; any other refusal (an overlap, say) takes the form away,
      // since acknowledging the shrinkage would not lift it.
      // A failure to reach the server is no refusal: the form and its note stay for the retry.
      const code = (e as { code?: string } | null)?.code ?? "";
      if (luaf || !TRANSIENT.has(code)) setRefusal(luaf);
      setMessage(luaf ? undefined : { kind: "error", text: `Not reconciled: ${errorMessage(e)}` });
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
            <li class={check.notAudited ? "bad" : "ok"}>{num(check.entries, 0)} {check.entries === 1 ? "entry" : "entries"} in the period; {check.notAudited === 0 ? "all audited" : `${check.notAudited} not yet audited`}</li>
            <li class={check.awaitingReview.length ? "bad" : "ok"}>
              {check.awaitingReview.length === 0 ? "no flagged entry awaits review" : `${check.awaitingReview.length} flagged entr${check.awaitingReview.length === 1 ? "y awaits" : "ies await"} review:`}
              {check.awaitingReview.length > 0 && (
                <ul>
                  {check.awaitingReview.map(({ id, entry }) => (
                    <li key={id}><PartnerName id={entry.partner_id} />: <EntryLink id={id} entry={entry} /> (<ReasonTitles codes={(entry.audit?.reasons ?? []).map((r) => r.code)} />)</li>
                  ))}
                </ul>
              )}
            </li>
            {check.overlaps.map((o) => (
              <li key={o.reconciliation_id} class="bad" data-testid="preflight-overlap">{overlapInWords(o)}.</li>
            ))}
            {notOver && <li class="bad" data-testid="preflight-not-over">{endsText}</li>}
            {figures.length > 0 && (
              <li class="bad" data-testid="preflight-figures">
                The receipt's figures are outside the ranges reconcile accepts (the auditor's and the standard's): {figures.join("; ")}. Withdraw this receipt (below) and enter the ticket again with its figures corrected.
              </li>
            )}
            {nothing && <li class="bad" data-testid="preflight-nothing">{nothing}</li>}
            {coverage && "error" in coverage && <li class="warn" data-testid="preflight-coverage">Days without production not checked: {coverage.error}</li>}
            {coverage && !("error" in coverage) && (gapLines.length === 0 ? (
              <li class="ok" data-testid="preflight-coverage">every active partner has production on each of the period's {coverage.days.length} contract day{coverage.days.length === 1 ? "" : "s"}, from every meter it reported</li>
            ) : (
              <li class="warn" data-testid="preflight-coverage">
                Days without production (not a blocker: a gap may be true, a shut-in well; if an entry is missing, the other partners take its share of the terminal's barrels):
                <ul>
                  {gapLines.map((line) => (
                    <li key={line.partner_id} data-partner={line.partner_id}><PartnerName id={line.partner_id} />: {line.text}.</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {canReconcile && (
            <div class="form-actions">
              <button type="button" onClick={() => doReconcile()} disabled={busy || blockers !== 0}>{busy ? "Reconciling…" : receipt.latest_reconciliation_id ? "Reconcile again (new version if inputs changed)" : "Reconcile"}</button>
              {blockers !== 0 && <span class="muted" data-testid="reconcile-blocked">{notOver ? endsText : "Resolve what blocks first."}</span>}
            </div>
          )}
        </div>
      )}
      {canReconcile && refusal && <LuafAcknowledgement refusal={refusal} busy={busy} gaps={gapLines.length} onAcknowledge={(note) => void doReconcile(note)} />}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </Card>
  );
}

/**
 * A coordinator's or admin's missed entry for a partner on a day of this receipt's period, closed
 * or not, with the required note; its verdict follows live below the form.
 */
function LateEntryPanel({ user, firstDay, reconciled, onSaved }: { user: SessionUser; firstDay: string; reconciled: boolean; onSaved: (id: string) => void }) {
  const partners = useLiveQuery<{ name: string; active?: boolean; left_jv_on?: string }>(allPartners(), "partners");
  const [open, setOpen] = useState(false);
  const [savedId, setSavedId] = useState<string>();
  const list = byPartnerName(partners.value.docs).map((p) => ({
    id: p.id,
    name: p.data.name ?? p.id,
    leftOn: p.data.active !== true && typeof p.data.left_jv_on === "string" ? p.data.left_jv_on : undefined,
  }));
  const saved = useLiveDoc<ProductionEntry>(savedId ? `production_entries/${savedId}` : undefined).value.docs;
  return (
    <Card title="Late entry" actions={!open && <button type="button" class="secondary small" onClick={() => setOpen(true)}>Add a late entry</button>}>
      {!open && !savedId && (
        <p class="muted small-text" data-testid="late-entry-intro">
          {reconciled
            ? "A partner's meter ticket missed before the close: enter it with a note saying why it comes late. The day's reconciliation then turns stale, and reconciling again makes a new version."
            : "A partner's meter ticket its operators did not enter for a day of this period: enter it for them with a note saying why. The period is not reconciled yet, so the pre-flight counts it once it is audited."}
        </p>
      )}
      {open && (
        <>
          {partners.value.error && <p class="error" role="alert">{partners.value.error}</p>}
          <EntryForm user={user} meters={[]} coordinator={{ partners: list }} initialDay={firstDay} onSaved={(entryId) => { setSavedId(entryId); setOpen(false); onSaved(entryId); }} />
          <div class="form-actions"><button type="button" class="secondary small" onClick={() => setOpen(false)}>Cancel</button></div>
        </>
      )}
      {savedId && (
        <div data-testid="late-entry-saved">
          <p class="small-text">Saved: <EntryLink id={savedId} entry={saved} />.</p>
          <LiveEntryVerdict id={savedId} title="Verdict of the late entry" />
        </div>
      )}
    </Card>
  );
}

export function ReceiptScreen({ id }: { id: string }) {
  const period = usePeriodOf();
  const { settings } = useJvSettings();
  const dayOf = useContractDayOf();
  const user = requireUser();
  const live = useLiveDoc<TerminalReceipt>(`terminal_receipts/${id}`);
  const versions = useLiveQuery<Reconciliation>(receiptVersions(id), id);
  const receipt = live.value.docs;
  const latest = versions.value.docs[0];
  const canReconcile = user.role === "jv_coordinator" || user.role === "admin";
  const [lateEntryId, setLateEntryId] = useState<string>();
  return (
    <Page title={`Terminal receipt ${id}`} actions={<a class="button secondary" href={href("receipts")}>All receipts</a>}>
      {live.value.error && <p class="error" role="alert">{live.value.error}</p>}
      {live.value.loading && <p class="muted">Loading…</p>}
      {!live.value.loading && !receipt && !live.value.error && <p class="muted">No receipt {id}.</p>}
      {receipt && (
        <>
          <Card title="Receipt">
            <dl class="factors">
              <div><dt>Period</dt><dd>{period(receipt.period_start, receipt.period_end)}</dd></div>
              <div><dt>Terminal</dt><dd>{receipt.terminal_name ?? "—"}</dd></div>
              <div><dt>Gross</dt><dd>{signedMeasured(receipt.gross_volume_bbl, 2)} bbl</dd></div>
              <div><dt>API (observed)</dt><dd>{signedMeasured(receipt.api_gravity, 1)}</dd></div>
              <div><dt>Temperature</dt><dd>{signedMeasured(receipt.temperature_degF, 1)} °F</dd></div>
              <div><dt>BS&amp;W</dt><dd>{signedMeasured(receipt.bsw_percent, 2)} %</dd></div>
              <div><dt>Pressure</dt><dd>{signedMeasured(receipt.pressure_psig ?? 0, 0)} psig</dd></div>
              <div><dt>Meter factor</dt><dd>{factor(receipt.meter_factor ?? 1)}</dd></div>
            </dl>
            <p class="small-text" data-testid="contract-clock">{periodClockText(receipt.period_start.toDate(), receipt.period_end.toDate(), settings, "settings")}</p>
            {receipt.supersedes_receipt_id && (
              <p class="small-text" data-testid="receipt-replaces">
                Replaces receipt <a href={href("receipts", receipt.supersedes_receipt_id)}>{receipt.supersedes_receipt_id}</a>
                {receipt.correction_note ? <>, entered by <PersonName uid={receipt.created_by} /> because: “{receipt.correction_note}”</> : " (no reason recorded: entered before one was required)"}
              </p>
            )}
            {receipt.withdrawn && <WithdrawnNotice receipt={receipt} />}
            <ReplacedUnreconciledNotice receipt={receipt} />
          </Card>
          {!receipt.withdrawn && !receipt.replaced_by_receipt_id && (
            <>
              <PreflightPanel key={id} receipt={{ ...receipt, id }} canReconcile={canReconcile} onReconciled={() => undefined} lateEntryId={lateEntryId} />
              {canReconcile && <LateEntryPanel user={user} firstDay={dayOf(receipt.period_start)} reconciled={Boolean(receipt.latest_reconciliation_id)} onSaved={setLateEntryId} />}
              {canReconcile && !receipt.latest_reconciliation_id && <WithdrawReceipt id={id} />}
              {canReconcile && receipt.latest_reconciliation_id && <CorrectTicket id={id} receipt={receipt} />}
            </>
          )}
        </>
      )}
      {versions.value.error && <p class="error" role="alert">This receipt's reconciliations could not be read: {versions.value.error}</p>}
      {versions.value.docs.length > 0 && (
        <nav class="versions" aria-label="Versions">
          Versions:{" "}
          {versions.value.docs.map((v) => (
            <a key={v.id} href={href("statements", v.id)}>v{v.data.version} <ReportBadge report={v.data} /></a>
          ))}
        </nav>
      )}
      {latest && <StatementView key={latest.id} id={latest.id} report={latest.data} />}
    </Page>
  );
}
