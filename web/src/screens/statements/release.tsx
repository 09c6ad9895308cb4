import { useState } from "preact/hooks";
import { releaseReconciliation } from "../../data/callables";
import { requireUser } from "../../data/session";
import type { Reconciliation } from "../../data/types";
import { dateTime, errorMessage } from "../../format";
import { Alert } from "../../ui/common";
import { typedTextProblem } from "../../domain/typed-text";
import { NoteArea } from "../../ui/text-problem";
import { PersonName } from "../../ui/person";
import { reportInWords } from "../../domain/statement-label";
import { StatementLink } from "./statement-link";

/** The callable's bound on a release note (functions/src/domain/release.ts, RELEASE_NOTE_MAX). */
const RELEASE_NOTE_MAX = 2000;

type Release = Pick<Reconciliation, "status" | "stale" | "superseded_by" | "created_by" | "release_required" | "released" | "released_by" | "released_at" | "release_note" | "close_check_pending">;

/** Reports made before releases existed carry no `released`: they were released as they were made. */
export const isReleased = (report: { released?: boolean }) => report.released !== false;

/** Only the current, fresh version is released (releaseReconciliation refuses the others). */
export const releasable = (report: Pick<Release, "status" | "stale" | "released">) => !isReleased(report) && report.status === "completed" && report.stale !== true;

/** Another coordinator or an admin releases the version to the partners, saying what was checked. */
function ReleaseForm({ id, onReleased }: { id: string; onReleased: (adjustments: number) => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const noteId = `release-note-${id}`;
  const problem = typedTextProblem("Note", note.trim(), "lines");
  const submit = async (event: Event) => {
    event.preventDefault();
    if (note.trim() === "" || problem) return;
    setBusy(true);
    setError(undefined);
    try {
      const done = await releaseReconciliation({ reconciliation_id: id, note: note.trim() });
      onReleased(done.adjustments_released);
    } catch (e) {
      setError(`Not released: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="review-form release-form" aria-label={`Release ${reportInWords(id)} to the partners`} data-testid="release-form" onSubmit={submit}>
      <label for={noteId}>
        What was checked before the release <span class="muted">(required; shown on the statement and kept in the audit log)</span>
      </label>
      <NoteArea
        id={noteId}
        maxLength={RELEASE_NOTE_MAX}
        aria-required="true"
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
        problemId={`${noteId}-problem`}
        problem={problem}
      />
      <div class="form-actions">
        <button type="submit" disabled={busy || note.trim() === "" || !!problem}>{busy ? "Releasing…" : "Release to the partners"}</button>
      </div>
      {error && <Alert kind="error">{error}</Alert>}
    </form>
  );
}

/** How a released version came to be released: approved by someone, or as it was made. */
function releasedText(report: Release) {
  const at = report.released_at;
  if (typeof report.released_by === "string") {
    return (
      <>
        Approved and released by <PersonName uid={report.released_by} />
        {at ? ` on ${dateTime(at)}` : ""}
        {report.release_note ? <>: “{report.release_note}”</> : "."}
      </>
    );
  }
  if (report.release_required === false && at) return <>Released as it was made on {dateTime(at)} (the JV's settings required no approval then).</>;
  return <>Released as it was made (before releases were recorded).</>;
}

/**
 * Whether the partners see this version, and who released it. The JV's roles also read versions
 * that await a release (partners cannot); a coordinator or admin other than its maker releases it here.
 */
export function ReleaseStatus({ id, report }: { id: string; report: Release }) {
  const user = requireUser();
  const [released, setReleased] = useState<number>();
  if (isReleased(report)) {
    return (
      <>
        <p class="release release-done" role="status" data-testid="release" data-released="true">
          {releasedText(report)}
        </p>
        {released !== undefined && (
          <Alert kind="ok">
            Released to the partners{released > 0 ? `, with the ${released} prior-period adjustment${released === 1 ? "" : "s"} it raised (now to be decided)` : ""}.
          </Alert>
        )}
      </>
    );
  }
  const mayRelease = user.role === "jv_coordinator" || user.role === "admin";
  const own = report.created_by === user.uid;
  return (
    <div class="alert alert-warn release" data-testid="release" data-released="false">
      {releasable(report) ? (
        <>
          <p role="status"><strong>Awaiting approval: partners do not see this version yet.</strong></p>
          <p class="small-text">
            The JV's settings required a release when it was made: a coordinator or an admin other than its maker
            {report.created_by ? <> (<PersonName uid={report.created_by} />)</> : null} checks it and releases it to the partners.
          </p>
          {mayRelease && own && (
            <p class="small-text" data-testid="release-own">
              You made this version, so you cannot release it: another coordinator or an admin approves its release (four eyes).
            </p>
          )}
          {mayRelease && !own && report.close_check_pending === true && (
            <p class="small-text" data-testid="release-closing">Its close is still being checked for entries changed meanwhile: it can be released once that is done (if this stays, reconcile the receipt again).</p>
          )}
          {mayRelease && !own && report.close_check_pending !== true && <ReleaseForm id={id} onReleased={setReleased} />}
        </>
      ) : report.status === "completed" ? (
        <p role="status">
          <strong>Not released: stale before its release.</strong> Entries of its period changed during or after its close, so it cannot be released as it stands: reconcile the receipt again, and release the version that then stands (a new one, or this one when its figures still hold).
        </p>
      ) : (
        <p role="status">
          <strong>Not released:</strong> {report.status}
          {report.superseded_by ? <> by <StatementLink id={report.superseded_by} /></> : null} before its release; the partners never saw this version.
        </p>
      )}
    </div>
  );
}
