import { doc, getDoc, serverTimestamp, setDoc, Timestamp } from "firebase/firestore";
import { useState } from "preact/hooks";
import { figureText, figureValue, MEASURED_INPUTS, receiptFieldHint, refusedFields, type EntryField, type FieldHint as Hint } from "../../domain/entry-checks";
import { MeasuredField } from "../../ui/field-hint";
import { contractDayStart, contractDayText } from "../../domain/jv-settings";
import { firebase } from "../../data/firebase";
import { useJvSettings } from "../../data/jv-settings";
import { requireUser } from "../../data/session";
import { errorMessage } from "../../format";
import { href } from "../../router";
import { Alert } from "../../ui/common";
import { typedTextProblem } from "../../domain/typed-text";
import { NoteArea, problemAria, TextProblem } from "../../ui/text-problem";
import type { TerminalReceipt } from "../../data/types";

const FIELDS = MEASURED_INPUTS;
/** MAX_PERIOD_DAYS of functions/src/domain/terminal-receipt.ts, which the rules enforce too. */
const MAX_PERIOD_DAYS = 366;

type Key = (typeof FIELDS)[number]["key"] | "id" | "start" | "last" | "terminal_name" | "supersedes" | "correction_note";

/**
 * A coordinator enters what the terminal measured for a period of whole contract days (first
 * and last day; settings/jv says when a day starts). Receipts are never edited: a wrong one is
 * replaced by a new receipt naming it (supersedes_receipt_id), which reconcile then supersedes;
 * the rules then want a correction_note saying why.
 */

/**
 * The rules' refusal of a new receipt, in words: they give no reason a person can use (the
 * emulator's is its rule trace), and the usual one is an id already taken.
 */
async function receiptRefusal(id: string): Promise<string> {
  const taken = await getDoc(doc(firebase().db, "terminal_receipts", id)).then((d) => d.exists(), () => false);
  return taken
    ? `Receipt ${id} already exists, and a receipt is never changed: to correct it, enter a new receipt under another id and choose ${id} under “Replaces receipt”.`
    : `Refused by the security rules. They accept a receipt from a coordinator or admin with a new id, a first day before its last, a period of at most ${MAX_PERIOD_DAYS} days and, when it replaces another receipt, a note of at most 2,000 characters saying why.`;
}

/**
 * A receipt being corrected: the form starts from its period and figures, and names it as the one
 * replaced. Its first and last contract days come worked out under the JV's settings as loaded:
 * the form's own reading of them may still be loading (the default clock) when it first renders.
 */
export interface ReplacedTicket {
  id: string;
  receipt: TerminalReceipt;
  firstDay: string;
  lastDay: string;
}

const EMPTY: Record<Key, string> = { id: "", start: "", last: "", terminal_name: "", supersedes: "", correction_note: "", gross_volume_bbl: "", bsw_percent: "", temperature_degF: "", api_gravity: "", pressure_psig: "", meter_factor: "" };

/** The form's fields for a corrected ticket: the replaced receipt's period in contract days and its figures as stored. */
function startingFrom(replacing: ReplacedTicket): Record<Key, string> {
  const r = replacing.receipt;
  const figure = (value: number | undefined) => (value === undefined ? "" : figureText(value));
  return {
    ...EMPTY,
    start: replacing.firstDay,
    last: replacing.lastDay,
    terminal_name: r.terminal_name ?? "",
    supersedes: replacing.id,
    gross_volume_bbl: figure(r.gross_volume_bbl),
    bsw_percent: figure(r.bsw_percent),
    temperature_degF: figure(r.temperature_degF),
    api_gravity: figure(r.api_gravity),
    pressure_psig: figure(r.pressure_psig),
    meter_factor: figure(r.meter_factor),
  };
}

/**
 * `receipts`: those offered under "Replaces receipt". With `replacing`, the form enters a
 * corrected ticket for that receipt: its period and figures filled in, the receipt replaced fixed.
 */
export function ReceiptForm({ receipts, replacing }: { receipts: Array<{ id: string; label: string }>; replacing?: ReplacedTicket }) {
  const user = requireUser();
  const { settings, loading: settingsLoading, error: settingsError } = useJvSettings();
  const [v, setV] = useState<Record<Key, string>>(() => (replacing ? startingFrom(replacing) : EMPTY));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; id?: string }>();
  // A change answers the error it may have caused: an error shown stays only until the form changes.
  const set = (key: Key) => (e: Event) => {
    setV({ ...v, [key]: (e.currentTarget as HTMLInputElement).value });
    if (message?.kind === "error") setMessage(undefined);
  };
  const hints = Object.fromEntries(FIELDS.map((f) => [f.key, receiptFieldHint(f.key, v[f.key])])) as Record<EntryField, Hint>;
  const textProblems = {
    terminal_name: typedTextProblem("Terminal", v.terminal_name.trim(), "line"),
    correction_note: v.supersedes ? typedTextProblem("Why it replaces the receipt", v.correction_note.trim(), "lines") : undefined,
  };
  const refused = [...refusedFields(v, receiptFieldHint), ...Object.values(textProblems).filter((p): p is string => p !== undefined)];
  const refusedText = refused.length > 0 ? `Cannot be saved: ${refused.join("; ")}.` : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(undefined);
    if (refusedText) return;
    const id = v.id.trim();
    const start = contractDayStart(v.start, settings);
    const end = new Date(contractDayStart(v.last, settings).getTime() + 86_400_000);
    if (!(start < end)) {
      setMessage({ kind: "error", text: "The last day must not be before the first day." });
      return;
    }
    const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
    if (v.supersedes && v.correction_note.trim() === "") {
      setMessage({ kind: "error", text: `Say why this receipt replaces ${v.supersedes}: the statement of its reconciliation shows the reason.` });
      return;
    }
    if (days > MAX_PERIOD_DAYS) {
      setMessage({ kind: "error", text: `A receipt covers at most ${MAX_PERIOD_DAYS} contract days; ${v.start} to ${v.last} is ${days}.` });
      return;
    }
    setBusy(true);
    try {
      await setDoc(doc(firebase().db, "terminal_receipts", id), {
        period_start: Timestamp.fromDate(start),
        period_end: Timestamp.fromDate(end),
        ...(v.terminal_name.trim() ? { terminal_name: v.terminal_name.trim() } : {}),
        ...(v.supersedes ? { supersedes_receipt_id: v.supersedes, correction_note: v.correction_note.trim() } : {}),
        gross_volume_bbl: figureValue(v.gross_volume_bbl),
        bsw_percent: figureValue(v.bsw_percent),
        temperature_degF: figureValue(v.temperature_degF),
        api_gravity: figureValue(v.api_gravity),
        ...(v.pressure_psig.trim() === "" ? {} : { pressure_psig: figureValue(v.pressure_psig) }),
        ...(v.meter_factor.trim() === "" ? {} : { meter_factor: figureValue(v.meter_factor) }),
        created_by: user.uid,
        created_at: serverTimestamp(),
      });
      setMessage({ kind: "ok", text: `Terminal receipt ${id} saved.`, id });
    } catch (e) {
      setMessage({ kind: "error", text: (e as { code?: string }).code === "permission-denied" ? await receiptRefusal(id) : `Not saved: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="receipt-form" onSubmit={submit} aria-label={replacing ? `Corrected ticket for receipt ${replacing.id}` : "New terminal receipt"}>
      <div class="grid-3">
        <label>
          <span class="label-text">Receipt id</span>
          <input name="id" required pattern="[A-Za-z0-9_\-]{1,64}" title="1 to 64 letters, digits, _ or -" placeholder={replacing ? `${replacing.id}-b` : "pet-20261031"} value={v.id} onInput={set("id")} />
        </label>
        <label>
          <span class="label-text">First contract day</span>
          <input name="start" type="date" required value={v.start} onInput={set("start")} />
        </label>
        <label>
          <span class="label-text">Last contract day</span>
          <input name="last" type="date" required value={v.last} onInput={set("last")} />
        </label>
        {replacing ? (
          <div>
            <span class="label-text">Replaces receipt</span>
            <p class="fixed-value" data-testid="replaces-fixed">{replacing.id}</p>
          </div>
        ) : (
          <label>
            <span class="label-text">Replaces receipt<span class="optional"> optional</span></span>
            <select name="supersedes" value={v.supersedes} onChange={set("supersedes")}>
              <option value="">— none (a new period)</option>
              {receipts.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
            </select>
          </label>
        )}
        {v.supersedes && (
          <label class="span-3">
            <span class="label-text">Why this receipt replaces {v.supersedes} <span class="optional">(required; shown on the statements)</span></span>
            <NoteArea name="correction_note" value={v.correction_note} onInput={set("correction_note")} problemId="receipt-correction_note-problem" problem={textProblems.correction_note} />
          </label>
        )}
        <label>
          <span class="label-text">Terminal<span class="optional"> optional</span></span>
          <input
            name="terminal_name"
            maxLength={128}
            value={v.terminal_name}
            onInput={set("terminal_name")}
            {...problemAria("terminal_name-problem", textProblems.terminal_name)}
          />
          <TextProblem id="terminal_name-problem" problem={textProblems.terminal_name} />
        </label>
        {FIELDS.map((f) => (
          <MeasuredField key={f.key} field={f} value={v[f.key]} onInput={set(f.key)} hint={hints[f.key]} by="Reconcile" />
        ))}
      </div>
      <p class="hint" data-testid="receipt-days-hint">
        {settingsError
          ? `The JV settings could not be read (${settingsError}): the period's contract days are unknown.`
          : `The period runs from the start of the first contract day to the end of the last (a contract day starts ${contractDayText(settings)}). A receipt that overlaps a reconciled one must name it under "Replaces receipt".`}
      </p>
      <div class="form-actions">
        <button type="submit" disabled={busy || settingsLoading || !!settingsError || !!refusedText} aria-describedby={refusedText ? "receipt-refused-hint" : undefined}>{busy ? "Saving…" : "Save receipt"}</button>
        {refusedText && <span id="receipt-refused-hint" class="hint hint-critical" data-testid="refused-hint">{refusedText}</span>}
      </div>
      {message && (
        <Alert kind={message.kind}>
          {message.text} {message.id && <a href={href("receipts", message.id)}>Open it to reconcile</a>}
        </Alert>
      )}
    </form>
  );
}
