import { useEffect, useRef, useState } from "preact/hooks";
import { reviewEntry } from "../../data/callables";
import { countOf, useLiveQuery, type Doc, type Live } from "../../data/live";
import { awaitingReview, flaggedEntries, recentlyReviewed } from "../../data/queries";
import { awaitingDecision, unmarked } from "../../domain/review-queue";
import type { ProductionEntry, Review } from "../../data/types";
import { dateTime } from "../../format";
import { Badge, Card, Loaded, Page, TableScroll } from "../../ui/common";
import { useLeavingFocus } from "../../ui/leaving-focus";
import { DecisionForm, type Decision } from "../../ui/decision-form";
import { EntryVerdict } from "../entries/entry-verdict";
import { EntryLink, useEntryLabel } from "../entries/entry-link";
import { PersonName } from "../../ui/person";
import { ReasonTitles } from "../../ui/reasons";
import { PartnerName } from "../../ui/partner";
import { AdjustmentsSection } from "./adjustments";
import { OpenExceptionsSection } from "./open-exceptions";
import { BulkReview } from "./bulk-review";

/**
 * `inputHash`: the audit the reviewer reads; the decision is refused if the entry was audited again
 * since. `decided`: the decision standing, which this one replaces (the callable keeps each as a
 * revision). A rejection takes the entry's barrels out of the allocation: it needs a note too.
 */
export function ReviewForm({ id, entry, inputHash, decided, onDecided }: {
  id: string;
  entry: Pick<ProductionEntry, "meter_id" | "measured_at">;
  inputHash?: string;
  decided?: string;
  onDecided?: (decision: Decision) => void;
}) {
  const name = useEntryLabel()(entry);
  return (
    <DecisionForm
      label={decided ? `Change the decision on ${name}` : `Review of ${name}`}
      noteId={`note-${id}`}
      noteLabel={decided ? `Change the decision (now ${decided}): why` : "Review note"}
      noteHint="(required)"
      rejectNeedsNote={true}
      decide={async (decision, note) => `Entry ${(await reviewEntry({ entry_id: id, decision, note, ...(inputHash ? { input_hash: inputHash } : {}) })).decision}.`}
      failure="Decision not saved"
      onDecided={onDecided}
    />
  );
}

/**
 * A decision that replaced an earlier one on the same figures (`review.revision` > 1, counted up at
 * each change of decision or note): what it replaced, by whom and when, as the entry keeps it
 * (`review.previous`). Reviews changed before the entry kept it say only that there was one; every
 * earlier revision is in the partner's audit-log chain, which only auditors may read.
 */
function Revised({ review }: { review: Review }) {
  const revision = review.revision;
  if (!revision || revision < 2) return null;
  const before = review.previous;
  if (before?.decision) {
    const changed = before.decision !== review.decision;
    return (
      <span class="revised" data-testid="reviewed-revised">
        <span data-testid="reviewed-replaced">
          {changed ? `Replaces: ${before.decision}` : `Note changed (was ${before.decision} too,`} by <PersonName uid={before.by} /> on {dateTime(before.at)}
          {changed ? "" : ")"}
        </span>
        <span class="revised-note" data-testid="reviewed-replaced-note">
          {before.note ? `Its note: “${before.note}”` : "It had no note."}
          {revision > 2 ? ` ${revision - 2} earlier ${revision === 3 ? "revision is" : "revisions are"} in the partner's audit-log chain, which auditors read.` : ""}
        </span>
      </span>
    );
  }
  const earlier = revision === 2 ? "an earlier review" : `${revision - 1} earlier reviews`;
  return (
    <span
      class="revised"
      data-testid="reviewed-revised"
      title={`This decision replaced ${earlier} of the same figures (a changed decision or note). The earlier decision, who made it and when are in the partner's audit-log chain ("Entry reviewed" events), which auditors read.`}
    >
      Changed: revision {revision}, replaces {earlier}
    </span>
  );
}

/**
 * Recent decisions, named as the rest of the app names them: the entry by its meter and contract
 * day (its id small), the partner and the reviewer by name, each reason by its title (code on hover).
 */
function Reviewed({ docs }: { docs: Doc<ProductionEntry>[] }) {
  if (docs.length === 0) return <p class="muted">None yet.</p>;
  return (
    <TableScroll blocks="blocks-list" label="Recent decisions table"><table class="data as-blocks" data-testid="recently-reviewed" role="table">
      <thead role="rowgroup">
        <tr role="row">
          <th role="columnheader" scope="col">Decided</th><th role="columnheader" scope="col">Entry</th><th role="columnheader" scope="col">Partner</th><th role="columnheader" scope="col">Reasons</th><th role="columnheader" scope="col">Decision</th><th role="columnheader" scope="col">Note</th>
        </tr>
      </thead>
      <tbody role="rowgroup">
        {docs.map(({ id, data: e }) => (
          <tr role="row" key={id} data-reviewed={id}>
            <td role="cell" class="wide" data-label="Decided" data-testid="reviewed-when"><span class="nowrap">{dateTime(e.review!.at)}</span>{e.review!.by && <> by <PersonName uid={e.review!.by} /></>}</td>
            <td role="cell" data-label="Entry" data-testid="reviewed-entry"><EntryLink id={id} entry={e} /></td>
            <td role="cell" data-label="Partner" data-testid="reviewed-partner"><PartnerName id={e.partner_id} /></td>
            <td role="cell" class="wide" data-label="Reasons" data-testid="reviewed-reasons"><ReasonTitles codes={(e.audit?.reasons ?? []).filter((r) => r.severity !== "info").map((r) => r.code)} /></td>
            <td role="cell" class="wide" data-label="Decision">
              <Badge status={e.review!.decision} label={e.review!.decision === "approved" ? "Approved" : "Rejected"} />
              <Revised review={e.review!} />
            </td>
            <td role="cell" class="wrap wide" data-label="Note">{e.review!.note}</td>
          </tr>
        ))}
      </tbody>
    </table></TableScroll>
  );
}

const QUEUE_LIMIT = 100;
/** The entries shown at first, and the more each "Show more" adds: each is a whole review form. */
export const QUEUE_PAGE = 25;

/**
 * How many wait in all, asked of the server at each snapshot of a full first page, and again
 * every half minute: a decision on an entry past the first page, made elsewhere, changes no
 * snapshot here.
 */
const RECOUNT_MS = 30_000;

function useAwaitingTotal(snapshot: unknown, full: boolean): number | undefined {
  const [total, setTotal] = useState<number>();
  useEffect(() => {
    if (!full) {
      setTotal(undefined);
      return;
    }
    let current = true;
    const recount = () =>
      countOf(awaitingReview()).then(
        (n) => current && setTotal(n),
        () => current && setTotal(undefined),
      );
    void recount();
    const timer = setInterval(recount, RECOUNT_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [snapshot, full]);
  return total;
}

/** Flagged entries awaiting a coordinator's decision: figures, reasons, statistics, approve/reject. */
export function ReviewScreen() {
  const [shown, setShown] = useState(QUEUE_PAGE);
  // Read as many as are shown, and at least QUEUE_LIMIT: a decision brings the next one in at once.
  const readLimit = Math.max(QUEUE_LIMIT, shown);
  const queue = useLiveQuery<ProductionEntry>(awaitingReview(readLimit), `awaiting-${readLimit}`, { keepDocs: true, serverFirst: true });
  const flagged = useLiveQuery<ProductionEntry>(flaggedEntries(), "flagged");
  const full = queue.value.docs.length >= readLimit;
  const waiting = awaitingDecision(queue.value.docs, flagged.value.docs);
  const listed = waiting.slice(0, shown);
  const [focusAt, setFocusAt] = useState<number>();
  const list = useRef<HTMLDivElement>(null);
  // "Show more" moves the focus to the first entry it brought in, once it is listed.
  useEffect(() => {
    if (focusAt === undefined) return;
    const item = list.current?.querySelectorAll<HTMLElement>("[data-testid=review-item]")[focusAt];
    if (item) item.focus();
    if (item || !queue.value.loading) setFocusAt(undefined);
  });
  // A decided card leaves the queue, and the focus with it (ui/leaving-focus.ts).
  const label = useEntryLabel();
  const leaving = useLeavingFocus(listed.map((d) => d.id), list, "review-item", "entry");
  const marked = useAwaitingTotal(queue.value, full);
  const total = marked === undefined ? undefined : marked + unmarked(waiting);
  // More wait than are listed: past the shown ones, or past the read ones once the count is in.
  const more = waiting.length > listed.length || (total !== undefined && total > listed.length);
  const remaining = (total ?? waiting.length) - listed.length;
  // A "+" only when the read was full: fewer than its limit is every entry that waits.
  const allWaiting = total ?? (full ? `${waiting.length}+` : waiting.length);
  const reviewed = useLiveQuery<ProductionEntry>(recentlyReviewed(), "recently-reviewed");
  // The queue stands on its own query: a failed read of the newest flags (which only add flags
  // whose audit predates awaiting_review) is said above it, not put in its place.
  const both: Live<null> = {
    docs: null,
    // A longer read of the queue keeps the entries listed until it answers (useLiveQuery's keepDocs).
    loading: (queue.value.loading && queue.value.docs.length === 0) || flagged.value.loading,
    error: queue.value.error,
  };
  return (
    <Page title="Review queue" intro="Flagged entries wait for a decision, oldest first: approved entries are allocated, rejected ones are excluded. Unreviewed flags block the reconciliation of their period. Prior-period adjustments wait for a decision too, and partners' exceptions to statements for an answer.">
      <Loaded live={both}>
        {() => (
          <>
            <h2 class="section-title">
              Awaiting review <span class="count-pill" data-testid="awaiting-count">{allWaiting}</span>
            </h2>
            <p class="muted queue-decided" role="status" tabIndex={-1} ref={leaving.status} data-testid="queue-decided">
              {leaving.text && `${leaving.text}${waiting.length === 0 ? " Nothing else waits for a review." : ""}`}
            </p>
            {flagged.value.error && (
              <p class="error" role="alert">Flags from before the queue's own field could not be read, so the queue may miss some: {flagged.value.error}</p>
            )}
            {more && (
              <p class="muted" data-testid="queue-more">
                The oldest {listed.length} of {allWaiting} are shown; each decision brings the next one in.
              </p>
            )}
            {waiting.length === 0 && <p class="muted">Nothing to review.</p>}
            <BulkReview waiting={waiting} allWaiting={allWaiting} />
            <div ref={list}>
              {listed.map(({ id, data }) => (
                <Card key={id} id={`review-${id}`}>
                  <div data-testid="review-item" data-entry={id} tabIndex={-1}>
                    <EntryVerdict id={id} entry={data} />
                    <ReviewForm
                      id={id}
                      entry={data}
                      inputHash={data.audit?.input_hash}
                      onDecided={(decision) => leaving.decide(id, `${label(data)} ${decision}.`)}
                    />
                  </div>
                </Card>
              ))}
            </div>
            {more && (
              <p>
                <button
                  type="button"
                  class="secondary"
                  data-testid="queue-show-more"
                  disabled={queue.value.loading}
                  onClick={() => {
                    setFocusAt(listed.length);
                    setShown((n) => n + QUEUE_PAGE);
                  }}
                >
                  {queue.value.loading ? "Loading more…" : remaining > 0 ? `Show ${Math.min(QUEUE_PAGE, remaining)} more` : "Show more"}
                </button>{" "}
                <span class="muted">{`${listed.length} of ${allWaiting} shown`}</span>
              </p>
            )}
            <AdjustmentsSection />
            <OpenExceptionsSection />
            <Card title="Recently reviewed">
              <Loaded live={reviewed.value}>{(docs) => <Reviewed docs={docs} />}</Loaded>
            </Card>
          </>
        )}
      </Loaded>
    </Page>
  );
}
