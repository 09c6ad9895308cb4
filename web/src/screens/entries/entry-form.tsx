import { addDoc, collection, doc, serverTimestamp, Timestamp, updateDoc } from "firebase/firestore";
import { expectReaudit } from "../../data/reaudit";
import { keepStored, measuredChanged } from "../../domain/entry-edit";
import { useState } from "preact/hooks";
import { fieldHint, figureText, figureValue, MEASURED_INPUTS, refusedFields, type EntryField } from "../../domain/entry-checks";
import { MeasuredField } from "../../ui/field-hint";
import { contractDayOf, contractDayText, dailyTicketTime, type JvSettings } from "../../domain/jv-settings";
import { reportInWords } from "../../domain/statement-label";
import { entryLabel } from "../../domain/entry-label";
import { closedDayNextStep } from "../../domain/closed-day";
import { firebase } from "../../data/firebase";
import { useJvSettings } from "../../data/jv-settings";
import { useLiveDoc } from "../../data/live";
import type { SessionUser } from "../../data/session";
import type { ProductionEntry } from "../../data/types";
import { errorMessage, toDate } from "../../format";
import { Alert } from "../../ui/common";
import { meterIdProblem } from "../../domain/meter-id";
import { typedTextProblem } from "../../domain/typed-text";
import { NoteArea, problemAria, TextProblem } from "../../ui/text-problem";
import { listedOnMeterAndDay } from "../../domain/entry-duplicate";
import { href } from "../../router";

const FIELDS = MEASURED_INPUTS;

/** `day` is null until the operator picks one: the default follows the JV settings as they load. */
type Values = Record<EntryField, string> & { day: string | null; meter_id: string; note: string; correction_note: string; partner_id: string };

/** The rules' limit of a correction note (optionalText(data, 'correction_note', 2000) in firestore.rules). */
export const CORRECTION_NOTE_MAX = 2000;

const today = (s: JvSettings) => contractDayOf(new Date(), s);

function initialValues(entry?: ProductionEntry, day: string | null = null): Values {
  const text = (x: number | null | undefined) => (typeof x === "number" ? figureText(x) : "");
  return {
    day,
    correction_note: "",
    partner_id: "",
    meter_id: entry?.meter_id ?? "",
    note: entry?.note ?? "",
    gross_volume_bbl: text(entry?.gross_volume_bbl),
    bsw_percent: text(entry?.bsw_percent),
    temperature_degF: text(entry?.temperature_degF),
    api_gravity: text(entry?.api_gravity),
    pressure_psig: text(entry?.pressure_psig),
    meter_factor: text(entry?.meter_factor),
  };
}

/**
 * When the entry was measured: a correction that keeps its contract day keeps its time;
 * otherwise six hours into the chosen contract day (the daily ticket), never in the future and
 * never before the day starts.
 */
function measuredAt(day: string, settings: JvSettings, original?: Date): Date {
  if (original && contractDayOf(original, settings) === day) return original;
  return dailyTicketTime(day, settings, new Date(Date.now() - CLOCK_MARGIN_MS));
}

/**
 * How far this device's clock may run ahead of the server's: the rules refuse a measured_at after
 * the server's time, and today's entry in the day's first six hours is stamped "now". The
 * auditor's own tolerance for a future time (AUDIT_CONFIG.futureToleranceMs) is the same.
 */
const CLOCK_MARGIN_MS = 5 * 60_000;

function measuredFields(v: Values, day: string, settings: JvSettings, original?: Date) {
  return {
    measured_at: Timestamp.fromDate(measuredAt(day, settings, original)),
    gross_volume_bbl: figureValue(v.gross_volume_bbl),
    bsw_percent: figureValue(v.bsw_percent),
    temperature_degF: figureValue(v.temperature_degF),
    api_gravity: figureValue(v.api_gravity),
    pressure_psig: figureValue(v.pressure_psig),
    meter_factor: figureValue(v.meter_factor),
    meter_id: v.meter_id.trim() === "" ? null : v.meter_id.trim(),
    note: v.note.trim() === "" ? null : v.note.trim(),
  };
}

/**
 * The correction a coordinator or admin signs (the rules' coordinator create and update):
 * a new, non-empty correction_note, corrected_by = the user, corrected_at = the server's time
 * (request.time, so serverTimestamp()).
 */
function signedCorrection(v: Values, user: SessionUser) {
  return { correction_note: v.correction_note.trim(), corrected_by: user.uid, corrected_at: serverTimestamp() };
}

/** Whether the form's text is other than the entry's (as saved: trimmed, "" for none); every text of a new entry is. */
const changedText = (typed: string, stored: string | null | undefined) => typed.trim() !== (stored ?? "").trim();

/** Why a coordinator's correction note cannot be saved, if it cannot. */
function correctionNoteProblem(note: string, previous: string | undefined, late: boolean): string | undefined {
  const text = note.trim();
  if (text === "") return late ? "Say why this entry comes late: the note is required." : "Say why this correction is made: the note is required.";
  if (text.length > CORRECTION_NOTE_MAX) return `The note is ${text.length} characters; at most ${CORRECTION_NOTE_MAX}.`;
  if (previous !== undefined && text === previous.trim()) return "The note repeats the previous correction's note: say why this correction is made.";
  return undefined;
}

/**
 * The day's entry (or the correction of a rejected one): the auditor's limits beside each
 * field as the operator types; a closed day refuses the form (the rules refuse the write too).
 *
 * With `coordinator`, a coordinator's or admin's form (firestore.rules, the coordinator create
 * and update of production_entries): with `editing`, the correction of any entry; without, a late
 * entry for a partner chosen from `coordinator.partners`. Both on any day, closed ones too, with
 * a required "why" note, signed by the user and the server's time.
 */
export function EntryForm({ user, meters, listed, editing, onSaved, coordinator, initialDay, cancelHref }: {
  user: SessionUser;
  meters: string[];
  /** The partner's entries the screen lists: one already on the meter and day typed is said before saving. */
  listed?: ReadonlyArray<{ id: string; data: ProductionEntry }>;
  editing?: { id: string; entry: ProductionEntry };
  onSaved: (id: string) => void;
  /** `leftOn`: the partner left the JV on that contract day, and has no production from it (the rules refuse it). */
  coordinator?: { partners: Array<{ id: string; name: string; leftOn?: string }> };
  initialDay?: string;
  /** Where Cancel leads (the operator's correction: back to a new entry); no Cancel without it. */
  cancelHref?: string;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(editing?.entry, initialDay ?? null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { settings, loading: settingsLoading, error: settingsError } = useJvSettings();
  // The contract day, the closed-day check and the stamped time follow the settings: saving waits for them.
  const dated = !settingsLoading && !settingsError;
  const original = toDate(editing?.entry.measured_at);
  const day = values.day ?? (original ? contractDayOf(original, settings) : today(settings));
  const closed = useLiveDoc<{ reconciliation_id?: string }>(day ? `closed_days/${day}` : undefined);
  const closedBy = closed.value.docs;
  const set = (key: keyof Values) => (event: Event) => setValues({ ...values, [key]: (event.currentTarget as HTMLInputElement).value });
  const hints = Object.fromEntries(FIELDS.map((f) => [f.key, fieldHint(f.key, values[f.key])])) as Record<EntryField, ReturnType<typeof fieldHint>>;
  const future = day > today(settings);
  // The rules refuse a day before settings/jv.jv_start_date ("YYYY-MM-DD" strings compare as dates).
  const jvStart = settings.jv_start_date;
  const beforeStart = jvStart !== null && day < jvStart;
  const fromStart = jvStart ? ` from the JV's start (${jvStart})` : "";
  const late = !!coordinator && !editing;
  // A coordinator may write on a closed day; the day's reconciliation then turns stale.
  // An operator's entry on a closed day stays there: moving it to an open day is an edit of a closed day too.
  const originalDay = original ? contractDayOf(original, settings) : undefined;
  const originalClosed = useLiveDoc<{ reconciliation_id?: string }>(!coordinator && originalDay && originalDay !== day ? `closed_days/${originalDay}` : undefined);
  const lockedFrom = originalDay !== day ? originalClosed.value.docs : undefined;
  const blockedBy = coordinator ? undefined : (closedBy ?? lockedFrom);
  // Values the security rules refuse: not sent (the rules' refusal names no field), said here.
  // Text is judged only as typed: a note stored before these checks is saved again as it is.
  const typedProblems = {
    meter_id: changedText(values.meter_id, editing?.entry.meter_id) ? meterIdProblem(values.meter_id.trim()) : undefined,
    note: changedText(values.note, editing?.entry.note) ? typedTextProblem("Note", values.note.trim(), "lines") : undefined,
    correction_note: coordinator ? typedTextProblem(late ? "Why this late entry" : "Why this correction", values.correction_note.trim(), "lines") : undefined,
  };
  const meterTyped = values.meter_id.trim() === "" ? null : values.meter_id.trim();
  // A meter id the partner's listed entries never carried: most often a typo, which the auditor cannot tell (it scores a new meter on the partner's history).
  const newMeter = meterTyped !== null && meters.length > 0 && !meters.includes(meterTyped) ? meterTyped : undefined;
  // A correction that leaves the entry on its meter and day makes no new duplicate: the auditor keeps it first there.
  const moved = !editing || (editing.entry.meter_id?.trim() || null) !== meterTyped || originalDay !== day;
  const twin = listed && dated && !blockedBy && moved
    ? listedOnMeterAndDay(listed.map((d) => ({ id: d.id, entry: { meter_id: d.data.meter_id, measured_at: toDate(d.data.measured_at) } })), meterTyped, day, settings, editing?.id)
    : undefined;
  const chosenPartner = late ? coordinator.partners.find((p) => p.id === values.partner_id) : undefined;
  const afterLeaving = chosenPartner?.leftOn !== undefined && dated && day >= chosenPartner.leftOn
    ? `${chosenPartner.name} left the JV on ${chosenPartner.leftOn} and has no production from that day: choose a day before it`
    : undefined;
  const refused = [...refusedFields(values), ...Object.values(typedProblems).filter((p): p is string => p !== undefined), ...(afterLeaving ? [afterLeaving] : [])];
  const refusedText = refused.length > 0 ? `Cannot be saved: ${refused.join("; ")}.` : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!dated) return;
    if (refusedText) {
      setError(refusedText);
      return;
    }
    if (coordinator) {
      const problem = correctionNoteProblem(values.correction_note, editing?.entry.correction_note, late)
        ?? (late && !values.partner_id ? "Choose the partner whose entry this is." : undefined);
      if (problem) {
        setError(problem);
        return;
      }
    }
    if (blockedBy) {
      setError(closedBy
        ? `${day} is closed: ${reportInWords(blockedBy.reconciliation_id ?? "")} has allocated it. ${closedDayNextStep(day, editing ? "correct" : "add")}`
        : `This entry's day, ${originalDay}, is closed (${reportInWords(blockedBy.reconciliation_id ?? "")}): it cannot be moved. ${closedDayNextStep(originalDay ?? day, "correct")}`);
      return;
    }
    setBusy(true);
    try {
      const db = firebase().db;
      if (editing) {
        const fields = keepStored(measuredFields(values, day, settings, original), editing.entry);
        await updateDoc(doc(db, "production_entries", editing.id), {
          ...fields,
          ...(coordinator ? signedCorrection(values, user) : {}),
        });
        if (measuredChanged(fields, editing.entry)) expectReaudit(editing.id, editing.entry.audit?.input_hash ?? null);
        onSaved(editing.id);
      } else if (coordinator) {
        // An id as addDoc makes them (20 letters and digits): never api_…, the gateway's.
        const ref = await addDoc(collection(db, "production_entries"), {
          partner_id: values.partner_id,
          ...measuredFields(values, day, settings),
          ...signedCorrection(values, user),
          created_by: user.uid,
          created_at: serverTimestamp(),
        });
        setValues({ ...initialValues(undefined, day), partner_id: values.partner_id });
        onSaved(ref.id);
      } else {
        const ref = await addDoc(collection(db, "production_entries"), {
          partner_id: user.partnerId,
          ...measuredFields(values, day, settings),
          created_by: user.uid,
          created_at: serverTimestamp(),
        });
        setValues({ ...initialValues(), day, meter_id: values.meter_id });
        onSaved(ref.id);
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      // The rules' refusal carries no reason a person can use (the emulator's is its rule trace,
      // "PERMISSION_DENIED: false for 'update' @ L247…"): say what the rules accept instead.
      setError(code === "permission-denied"
        ? coordinator
          ? `Refused by the security rules. They accept a coordinator's or admin's entry only with a new note and figures within their bounds (gross volume above 0 bbl, BS&W from 0 to below 100 %, a meter factor above 0), on a day${fromStart} up to now, for a partner the JV has (one that left it: on a day before it left).`
          : `Refused by the security rules. They accept an operator's entry only for its own partner, on an open day${fromStart} up to now (the server's time: if this device's clock runs ahead, today's entry can look like the future), with figures within their bounds (gross volume above 0 bbl, BS&W from 0 to below 100 %, a meter factor above 0), and not once a coordinator has corrected it.`
        : `Not saved: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="entry-form" onSubmit={submit} aria-label={late ? "Late entry" : editing ? "Correct the entry" : "New production entry"} data-testid="entry-form" noValidate={false}>
      {late && (
        <label>
          Partner
          <select name="partner_id" required value={values.partner_id} onChange={set("partner_id")}>
            <option value="">Choose a partner</option>
            {coordinator.partners.map((p) => <option key={p.id} value={p.id}>{p.leftOn ? `${p.name} (left the JV on ${p.leftOn})` : p.name}</option>)}
          </select>
        </label>
      )}
      <div class="grid-2">
        <label>
          Contract day
          <input type="date" name="day" required min={jvStart ?? undefined} max={today(settings)} value={day} onInput={set("day")} aria-describedby="day-hint" />
          <span id="day-hint" class={blockedBy || future || beforeStart || settingsError ? "hint hint-critical" : closedBy ? "hint hint-warning" : "hint"} data-testid="day-hint">
            {settingsError
              ? `The JV settings could not be read (${settingsError}): entries cannot be dated to a contract day.`
              : settingsLoading
                ? "Reading the JV's contract day…"
                : lockedFrom && !closedBy
                  ? `The entry's own day, ${originalDay}, is closed: allocated by ${reportInWords(lockedFrom.reconciliation_id ?? "")}. It cannot be moved to another day. ${closedDayNextStep(originalDay ?? day, "correct")}`
                  : closedBy
                  ? coordinator
                    ? `Closed: allocated by ${reportInWords(closedBy.reconciliation_id ?? "")}. Saving marks it stale; reconcile the period again for a new version.`
                    : `Closed: allocated by ${reportInWords(closedBy.reconciliation_id ?? "")}. ${closedDayNextStep(day, editing ? "correct" : "add")}`
                  : future
                    ? "A contract day cannot be in the future."
                    : beforeStart
                      ? `The JV starts on ${jvStart}: no entry before that day.`
                      : <>One entry per meter per day. The contract day starts {contractDayText(settings)}.{jvStart && <> The JV started on {jvStart}.</>}</>}
          </span>
        </label>
        <label>
          <span class="label-text">Meter <span class="optional"> optional</span></span>
          <input
            name="meter_id"
            list="meters"
            maxLength={64}
            value={values.meter_id}
            onInput={set("meter_id")}
            {...problemAria("meter_id-problem", typedProblems.meter_id, "meter-hint")}
          />
          <datalist id="meters">{meters.map((m) => <option key={m} value={m} />)}</datalist>
          {/* An example only for an empty field: a correction's meter is prefilled with the entry's own. */}
          <span id="meter-hint" class="hint">
            LACT meter id{meters.length && values.meter_id.trim() === "" ? `, e.g. ${meters[0]}` : ""}. Left empty, the entry is named by its day
            alone (“{entryLabel({ meter_id: null }, day)}”); a second one without a meter that day is a duplicate.
          </span>
          <TextProblem id="meter_id-problem" problem={typedProblems.meter_id} />
          {newMeter && !typedProblems.meter_id && (
            <span class="hint hint-warning" role="status" data-testid="new-meter-hint">
              {newMeter} is not among the meters of the entries listed ({meters.slice(0, 5).join(", ")}{meters.length > 5 ? ", …" : ""}):
              check the id. A new meter is saved as typed, and its entries are named by it.
            </span>
          )}
        </label>
      </div>
      <fieldset disabled={!!blockedBy}>
        <legend>Measured figures</legend>
        <div class="grid-3">
          {FIELDS.map((f) => (
            <MeasuredField key={f.key} field={f} value={values[f.key]} onInput={set(f.key)} hint={hints[f.key]} by="Auditor" />
          ))}
        </div>
        <label class="note-field">
          <span class="label-text">Note <span class="optional"> optional</span></span>
          <NoteArea name="note" value={values.note} onInput={set("note")} problemId="note-problem" problem={typedProblems.note} />
        </label>
      </fieldset>
      {coordinator && (
        <label class="note-field">
          <span class="label-text">{late ? "Why this late entry" : "Why this correction"} <span class="muted">(required, recorded on the entry)</span></span>
          <NoteArea
            name="correction_note"
            rows={3}
            required
            maxLength={CORRECTION_NOTE_MAX}
            value={values.correction_note}
            onInput={(event) => { setError(undefined); set("correction_note")(event); }}
            problemId="correction_note-problem"
            problem={typedProblems.correction_note}
            hintId="correction-note-hint"
          />
          <span id="correction-note-hint" class="hint">
            {values.correction_note.length} / {CORRECTION_NOTE_MAX} characters.
            {editing?.entry.correction_note ? <> Previous correction: “{editing.entry.correction_note}”</> : null}
          </span>
        </label>
      )}
      {twin && (
        <p class="hint hint-warning" role="status" data-testid="duplicate-hint">
          Already entered: <a href={href("entry", twin.id)}>{entryLabel(twin.entry, day)}</a>. Saving this one as well makes a duplicate, which the
          auditor flags for a coordinator to decide. If that entry's figures are wrong, correct it instead; save this one only if it is another ticket.
        </p>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      <div class="form-actions">
        <button type="submit" disabled={busy || !dated || closed.value.loading || !!blockedBy || future || beforeStart || !!refusedText} aria-describedby={refusedText ? "refused-hint" : undefined}>{busy ? "Saving…" : editing ? "Save correction" : late ? "Save late entry" : "Save entry"}</button>
        {cancelHref && <a class="button secondary" href={cancelHref}>Cancel</a>}
        {refusedText && <span id="refused-hint" class="hint hint-critical" data-testid="refused-hint">{refusedText}</span>}
        <span class="muted">
          {coordinator
            ? "Signed with your name and the server's time. The auditor checks it again; a closed day's reconciliation turns stale."
            : "The statistics against your last 30 accepted entries and the duplicate check run after saving."}
        </span>
      </div>
    </form>
  );
}
