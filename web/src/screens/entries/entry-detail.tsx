import { useState } from "preact/hooks";
import { requireUser, type SessionUser } from "../../data/session";
import type { ProductionEntry } from "../../data/types";
import { Alert, Page } from "../../ui/common";
import { ReviewForm } from "../coordinator/review-queue";
import { EntryForm } from "./entry-form";
import { LiveEntryVerdict, statusOf } from "./entry-verdict";

/**
 * A coordinator's or admin's correction of any entry (an operator's, a gateway's api_key:…,
 * on an open or a closed day): the measured fields prefilled, a required note, signed.
 */
function CorrectionPanel({ id, entry, user }: { id: string; entry: ProductionEntry; user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!open) {
    return (
      <div class="form-actions">
        <button type="button" class="secondary" onClick={() => { setSaved(false); setOpen(true); }}>Correct</button>
        {saved
          ? <Alert kind="ok">Correction saved. The auditor checks changed figures again; the verdict above follows live.</Alert>
          : <span class="muted">Change the measured figures with a note saying why, also on a closed day.</span>}
      </div>
    );
  }
  return (
    <section class="correction" aria-labelledby="correction-title">
      <h3 id="correction-title">Correct entry {id}</h3>
      <EntryForm
        key={id}
        user={user}
        meters={entry.meter_id ? [entry.meter_id] : []}
        editing={{ id, entry }}
        coordinator={{ partners: [] }}
        onSaved={() => { setSaved(true); setOpen(false); }}
      />
      <div class="form-actions">
        <button type="button" class="secondary small" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </section>
  );
}

/**
 * One entry. A coordinator or admin reviews a flagged entry here too: the review queue lists the
 * newest flagged entries only, and the pre-flight links each entry that blocks a period here.
 * A coordinator or admin also corrects it here (Correct).
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
            {statusOf(entry) === "flagged" ? <ReviewForm id={id} inputHash={entry.audit?.input_hash} decided={entry.review && entry.review.input_hash === entry.audit?.input_hash ? entry.review.decision : undefined} /> : null}
            <CorrectionPanel id={id} entry={entry} user={user} />
          </>
        ) : null)}
      />
    </Page>
  );
}
