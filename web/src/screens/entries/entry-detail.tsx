import { requireUser } from "../../data/session";
import { Page } from "../../ui/common";
import { ReviewForm } from "../coordinator/review-queue";
import { LiveEntryVerdict, statusOf } from "./entry-verdict";

/**
 * One entry. A coordinator or admin reviews a flagged entry here too: the review queue lists the
 * newest flagged entries only, and the pre-flight links each entry that blocks a period here.
 */
export function EntryScreen({ id }: { id: string }) {
  const user = requireUser();
  const reviewer = user.role === "jv_coordinator" || user.role === "admin";
  return (
    <Page title="Production entry" actions={<button type="button" class="secondary" onClick={() => history.back()}>Back</button>}>
      <LiveEntryVerdict
        id={id}
        title="Figures and the auditor's verdict"
        after={(entry) => (reviewer && statusOf(entry) === "flagged" && !entry.review ? <ReviewForm id={id} inputHash={entry.audit?.input_hash} /> : null)}
      />
    </Page>
  );
}
