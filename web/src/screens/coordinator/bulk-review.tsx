import { useState } from "preact/hooks";
import { reviewEntries } from "../../data/callables";
import type { Doc } from "../../data/live";
import { partnerNameOf } from "../../data/partners";
import type { ProductionEntry } from "../../data/types";
import { bulkOutcomeText, inCalls, type BulkOutcome } from "../../domain/bulk-review";
import { Card } from "../../ui/common";
import { DecisionForm } from "../../ui/decision-form";

/** reviewEntries' limit per call. */
const PER_CALL = 100;

function PartnerOption({ id, count }: { id: string; count: number }) {
  const name = partnerNameOf(id).value;
  return <option value={id}>{`${typeof name === "string" ? name : id} (${count})`}</option>;
}

/**
 * One decision and one note for many waiting entries at once, a partner's or everyone's: the way
 * out of a flood of flagged entries (a gateway's glitch, a hostile operator), which would
 * otherwise block the period's reconciliation until each is reviewed on its own.
 */
export function BulkReview({ waiting }: { waiting: Doc<ProductionEntry>[] }) {
  const [picked, setPartner] = useState("");
  const counts = new Map<string, number>();
  for (const d of waiting) counts.set(d.data.partner_id, (counts.get(d.data.partner_id) ?? 0) + 1);
  // A partner whose entries were all decided meanwhile: every partner's again.
  const partner = counts.has(picked) ? picked : "";
  const chosen = waiting.filter((d) => partner === "" || d.data.partner_id === partner);
  if (waiting.length < 2) return null;
  const whose = partner === "" ? "" : " of this partner";
  return (
    <Card title="Decide many at once">
      <div data-testid="bulk-review">
        <p class="muted small-text">
          One decision and one note for every entry{whose} that waits in the queue as read now (the oldest first): each entry gets its own
          review and audit-log event, as a review of its own would. Read each first; an entry audited again afterwards drops its review.
        </p>
        <label for="bulk-partner">Entries of</label>{" "}
        <select id="bulk-partner" value={partner} onChange={(e) => setPartner(e.currentTarget.value)}>
          <option value="">{`every partner (${waiting.length})`}</option>
          {[...counts.keys()].sort().map((id) => (
            <PartnerOption key={id} id={id} count={counts.get(id)!} />
          ))}
        </select>
        <DecisionForm
          label={`Decide ${chosen.length} waiting entries at once`}
          noteId="bulk-review-note"
          noteLabel={`One note for the ${chosen.length} entries: why`}
          noteHint="(required)"
          rejectNeedsNote={true}
          decide={async (decision, note) => {
            const outcome: BulkOutcome = { decided: 0, unchanged: 0, refused: [] };
            for (const ids of inCalls(chosen.map((d) => d.id), PER_CALL)) {
              const answer = await reviewEntries({ entry_ids: ids, decision, note });
              outcome.decided += answer.counts.decided;
              outcome.unchanged += answer.counts.unchanged;
              for (const r of answer.results) if (r.status === "refused") outcome.refused.push({ entry_id: r.entry_id, reason: r.reason ?? r.code ?? "refused" });
            }
            return bulkOutcomeText(decision, outcome);
          }}
          failure="Decisions not saved (those already made stand; the queue shows what still waits)"
        />
      </div>
    </Card>
  );
}
