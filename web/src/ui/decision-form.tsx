import { useState } from "preact/hooks";
import { errorMessage } from "../format";
import { Alert } from "./common";
import { typedTextProblem } from "../domain/typed-text";
import { NoteArea } from "./text-problem";

export type Decision = "approved" | "rejected";

interface DecisionFormProps {
  /** The form's accessible name, e.g. "Review of NWE-LACT-01 on 2026-11-04". */
  label: string;
  noteId: string;
  noteLabel: string;
  /** When the note is required, e.g. "(required to approve)". */
  noteHint: string;
  /** Rejecting needs a note too (approving always does). */
  rejectNeedsNote: boolean;
  /** Calls the callable; answers the confirmation shown. */
  decide: (decision: Decision, note: string) => Promise<string>;
  /** What did not happen, before the callable's message, e.g. "Decision not saved". */
  failure: string;
  /** Told of a decision saved (the review queue, whose card then leaves, says it and moves the focus on). */
  onDecided?: (decision: Decision) => void;
}

/**
 * Notes typed and not yet sent, by note field: a card that leaves the screen (the queue moving, a
 * look at the entry's page) finds its note again; a reload forgets them.
 */
const drafts = new Map<string, string>();

/** Approve / reject with a note: the review of a flagged entry, the decision on an adjustment. */
export function DecisionForm(props: DecisionFormProps) {
  const [note, setNoteState] = useState(() => drafts.get(props.noteId) ?? "");
  const setNote = (text: string) => {
    setNoteState(text);
    if (text === "") drafts.delete(props.noteId);
    else drafts.set(props.noteId, text);
  };
  // The decision being saved: its button says so, and neither can be pressed again meanwhile (a cold callable took over 4 s).
  const [saving, setSaving] = useState<Decision>();
  // `n` counts the messages: each new one is a new Alert, which takes the focus from the disabled buttons.
  const [message, setMessage] = useState<{ kind: "error" | "ok"; text: string; n: number }>();
  const [count, setCount] = useState(0);
  const decide = async (decision: Decision) => {
    if (saving || problem) return;
    setSaving(decision);
    setMessage(undefined);
    setCount(count + 1);
    try {
      setMessage({ kind: "ok", text: await props.decide(decision, note), n: count + 1 });
      // The form may stay for a later decision (a review changed): that one needs its own note.
      setNote("");
      props.onDecided?.(decision);
    } catch (e) {
      setMessage({ kind: "error", text: `${props.failure}: ${errorMessage(e)}`, n: count + 1 });
    } finally {
      setSaving(undefined);
    }
  };
  const blank = note.trim() === "";
  // What the callable would refuse, said beside the note before anything is sent.
  const problem = typedTextProblem("Note", note.trim(), "lines");
  return (
    <form class="review-form" onSubmit={(e) => { e.preventDefault(); void decide("approved"); }} aria-label={props.label}>
      <label for={props.noteId}>{props.noteLabel} <span class="muted">{props.noteHint}</span></label>
      <NoteArea id={props.noteId} value={note} readOnly={!!saving} onInput={(e) => setNote(e.currentTarget.value)} problemId={`${props.noteId}-problem`} problem={problem} />
      <div class="form-actions">
        <button type="submit" disabled={!!saving || blank || !!problem}>{saving === "approved" ? "Saving…" : "Approve"}</button>
        <button type="button" class="danger" disabled={!!saving || (props.rejectNeedsNote && blank) || !!problem} onClick={() => decide("rejected")}>{saving === "rejected" ? "Saving…" : "Reject"}</button>
        {saving && <span class="muted" role="status" data-testid="decision-saving">Saving the decision ({saving === "approved" ? "approve" : "reject"})…</span>}
      </div>
      {message && <Alert key={message.n} kind={message.kind} focus>{message.text}</Alert>}
    </form>
  );
}
