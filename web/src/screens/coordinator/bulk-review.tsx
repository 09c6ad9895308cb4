import { useState } from "preact/hooks";
import { reviewEntries } from "../../data/callables";
import { useLiveQuery, type Doc } from "../../data/live";
import { allPartners, partnerAwaitingReview } from "../../data/queries";
import type { ProductionEntry } from "../../data/types";
import { bulkOutcomeText, inCalls, type BulkOutcome } from "../../domain/bulk-review";
import { counted } from "../../format";
import { Card } from "../../ui/common";
import { byPartnerName } from "../../domain/partner-membership";
import { DecisionForm } from "../../ui/decision-form";

/** reviewEntries' limit per call, and how many of a partner's waiting entries one decision takes. */
const PER_CALL = 100;

/**
 * One decision and one note for many waiting entries at once: the oldest the queue read (every
 * partner's), or a chosen partner's oldest 100, read apart, however far back in the queue they
 * wait. The way out of a flood of flagged entries (a gateway's glitch, a hostile operator),
 * which would otherwise block the period's reconciliation until each is reviewed on its own.
 */
export function BulkReview({ waiting, allWaiting }: { waiting: Doc<ProductionEntry>[]; allWaiting: number | string }) {
  const [partner, setPartner] = useState("");
  // What the last decision did, kept once its entries have left the queue (and the form with them).
  const [outcome, setOutcome] = useState<string>();
  const partners = useLiveQuery<{ name?: string }>(allPartners(), "partners").value;
  const ofPartner = useLiveQuery<ProductionEntry>(partner ? partnerAwaitingReview(partner, PER_CALL) : undefined, `bulk-${partner}`).value;
  if (waiting.length < 2 && partner === "" && outcome === undefined) return null;
  const chosen = partner === "" ? waiting : ofPartner.docs;
  const name = (id: string) => partners.docs.find((p) => p.id === id)?.data.name ?? id;
  const whose = partner === "" ? "" : ` of ${name(partner)}`;
  return (
    <Card title="Decide many at once">
      <div data-testid="bulk-review">
        <p class="muted small-text">
          One decision and one note for every entry that waits in the queue as read now, or for a partner's oldest {PER_CALL} that wait
          (however far back in the queue), each getting its own review and audit-log event, as a review of its own would. Read them first;
          an entry audited again afterwards drops its review.
        </p>
        <label for="bulk-partner">Entries of</label>{" "}
        <select id="bulk-partner" value={partner} onChange={(e) => {
            setPartner(e.currentTarget.value);
            setOutcome(undefined);
          }}>
          <option value="">
            {typeof allWaiting === "number" && allWaiting <= waiting.length
              ? `every partner: the ${counted(waiting.length, "entry", "entries")} waiting`
              : `every partner: the oldest ${counted(waiting.length, "entry", "entries")} of the ${allWaiting} waiting (as many as the queue has read)`}
          </option>
          {byPartnerName(partners.docs).map((p) => (
            <option key={p.id} value={p.id}>
              {p.data.name ?? p.id}
            </option>
          ))}
        </select>
        {chosen.length === 0 && !(partner !== "" && (ofPartner.loading || ofPartner.error)) ? (
          <p role="status" data-testid="bulk-review-none">
            {outcome ? `${outcome} ` : ""}
            {`No entry${whose} waits for a review.`}
          </p>
        ) : partner !== "" && ofPartner.loading ? (
          <p class="muted">Reading {name(partner)}'s waiting entries…</p>
        ) : partner !== "" && ofPartner.error ? (
          <p class="error" role="alert">{ofPartner.error}</p>
        ) : (
          <DecisionForm
            label={`Decide ${counted(chosen.length, "waiting entry", "waiting entries")}${whose} at once`}
            // A note typed for one partner's entries is never sent with another's.
            noteId={`bulk-review-note-${partner || "queue"}`}
            noteLabel={`One note for the ${counted(chosen.length, "entry", "entries")}${whose}: why`}
            noteHint="(required)"
            rejectNeedsNote={true}
            decide={async (decision, note) => {
              setOutcome(undefined);
              if (chosen.length === 0) return `No entry${whose} waits for a review.`;
              const counts: BulkOutcome = { decided: 0, unchanged: 0, refused: [] };
              // Each entry's audit as the queue showed it: one audited again on other figures since is refused, not decided unseen.
              const shown = new Map(chosen.map((d) => [d.id, d.data.audit?.input_hash]));
              for (const ids of inCalls(chosen.map((d) => d.id), PER_CALL)) {
                const input_hashes = Object.fromEntries(ids.flatMap((id) => (typeof shown.get(id) === "string" ? [[id, shown.get(id) as string]] : [])));
                const answer = await reviewEntries({ entry_ids: ids, decision, note, input_hashes });
                counts.decided += answer.counts.decided;
                counts.unchanged += answer.counts.unchanged;
                for (const r of answer.results) if (r.status === "refused") counts.refused.push({ entry_id: r.entry_id, reason: r.reason ?? r.code ?? "refused" });
              }
              const text = bulkOutcomeText(decision, counts);
              setOutcome(text);
              return text;
            }}
            failure="Decisions not saved (those already made stand; the queue shows what still waits)"
          />
        )}
      </div>
    </Card>
  );
}
