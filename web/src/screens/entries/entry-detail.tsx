import { useEffect, useRef, useState } from "preact/hooks";
import { requireUser, type SessionUser } from "../../data/session";
import type { ProductionEntry } from "../../data/types";
import { Alert, Page } from "../../ui/common";
import { ReviewForm } from "../coordinator/review-queue";
import { EntryForm } from "./entry-form";
import { useEntryLabel } from "./entry-link";
import { correctableByItsOperator, excludedUntilCorrected, LiveEntryVerdict, statusOf } from "./entry-verdict";
import { useLiveDoc } from "../../data/live";
import { useContractDayOf } from "../../data/jv-settings";
import { href } from "../../router";
import { closedDayNextStep } from "../../domain/closed-day";

/**
 * A coordinator's or admin's correction of any entry (an operator's, a gateway's api_key:…,
 * on an open or a closed day): the measured fields prefilled, a required note, signed.
 */
function CorrectionPanel({ id, entry, user }: { id: string; entry: ProductionEntry; user: SessionUser }) {
  const label = useEntryLabel();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  // The form closing takes the focus with it: a saved correction's message takes it, a Cancel gives it back to Correct.
  const correct = useRef<HTMLButtonElement>(null);
  const [cancelled, setCancelled] = useState(false);
  useEffect(() => {
    if (cancelled) {
      correct.current?.focus();
      setCancelled(false);
    }
  }, [cancelled]);
  if (!open) {
    return (
      <div class="form-actions">
        <button type="button" class="secondary" ref={correct} onClick={() => { setSaved(false); setOpen(true); }}>Correct</button>
        {saved
          ? <Alert kind="ok" focus>Correction saved. The auditor checks changed figures again; the verdict above follows live.</Alert>
          : <span class="muted">Change the measured figures with a note saying why, also on a closed day.</span>}
      </div>
    );
  }
  return (
    <section class="correction" aria-labelledby="correction-title">
      <h3 id="correction-title">Correct {label(entry)}</h3>
      <EntryForm
        key={id}
        user={user}
        meters={entry.meter_id ? [entry.meter_id] : []}
        editing={{ id, entry }}
        coordinator={{ partners: [] }}
        onSaved={() => { setSaved(true); setOpen(false); }}
      />
      <div class="form-actions">
        <button type="button" class="secondary small" onClick={() => { setOpen(false); setCancelled(true); }}>Cancel</button>
      </div>
    </section>
  );
}

/**
 * The entry's author, a field operator, corrects an entry left out of reconciliations, or a flagged one, on the
 * entries screen while its contract day is open (the rules lock a closed day's entries).
 */
function OwnEntryCorrection({ id, entry }: { id: string; entry: ProductionEntry }) {
  const dayOf = useContractDayOf();
  const day = dayOf(entry.measured_at);
  const closed = useLiveDoc<{ reconciliation_id?: string }>(`closed_days/${day}`).value;
  if (!correctableByItsOperator(entry) || entry.correction_note || closed.loading) return null;
  if (closed.error) return <Alert kind="error">Whether {day} is closed is unknown: {closed.error}</Alert>;
  if (closed.docs !== undefined) {
    return <p class="muted" data-testid="own-correction">Contract day {day} is closed. {closedDayNextStep(day, "correct")}</p>;
  }
  return (
    <div class="form-actions" data-testid="own-correction">
      <a href={href("entries", id)} class="button secondary">Correct</a>
      <span class="muted">
        {excludedUntilCorrected(entry)
          ? `Until its figures are corrected, this entry is left out of the reconciliation of ${day}.`
          : "If a figure was mistyped, correct it: the auditor checks the corrected figures again, and a review of these figures no longer applies."}
      </span>
    </div>
  );
}

/**
 * One entry. A coordinator or admin reviews a flagged entry here too: the review queue lists the
 * newest flagged entries only, and the pre-flight links each entry that blocks a period here.
 * A coordinator or admin also corrects it here (Correct); its author, a field operator, is led to
 * the entries screen to correct it.
 */
export function EntryScreen({ id }: { id: string }) {
  const user = requireUser();
  const reviewer = user.role === "jv_coordinator" || user.role === "admin";
  return (
    <Page title="Production entry" actions={<button type="button" class="secondary" onClick={() => history.back()}>Back</button>}>
      <LiveEntryVerdict
        id={id}
        title="Figures and the auditor's verdict"
        after={(entry) => (reviewer ? (
          <>
            {statusOf(entry) === "flagged" ? <ReviewForm id={id} entry={entry} inputHash={entry.audit?.input_hash} decided={entry.review && entry.review.input_hash === entry.audit?.input_hash ? entry.review.decision : undefined} /> : null}
            <CorrectionPanel id={id} entry={entry} user={user} />
          </>
        ) : user.role === "field_operator" && entry.created_by === user.uid ? <OwnEntryCorrection id={id} entry={entry} /> : null)}
      />
    </Page>
  );
}
