import { useState } from "preact/hooks";
import { answerStatementException, raiseStatementException, recordExceptionCorrection } from "../../data/callables";
import { useJvSettings } from "../../data/jv-settings";
import { useLiveQuery, type Doc, type Live } from "../../data/live";
import { partnerVersionExceptions, receiptVersions, versionExceptions } from "../../data/queries";
import { useReplacingVersions } from "../../data/replacing-versions";
import { requireUser } from "../../data/session";
import type { Reconciliation, StatementException } from "../../data/types";
import { typedTextProblem } from "../../domain/typed-text";
import { bbl, dateTime, errorMessage, num, toDate } from "../../format";
import { href } from "../../router";
import { Alert, Badge, Card } from "../../ui/common";
import { PartnerName } from "../../ui/partner";
import { PersonName } from "../../ui/person";
import { NoteArea } from "../../ui/text-problem";
import { isReleased } from "./release";
import { ANSWER_TEXT_MAX, ANSWER_TEXT_MIN, correctionChoices, EXCEPTION_TEXT_MAX, EXCEPTION_TEXT_MIN, exceptionWindowEnds } from "../../domain/statement-exception";


const STATUS: Record<StatementException["status"], { badge: string; label: string }> = {
  open: { badge: "flagged", label: "Open" },
  upheld: { badge: "approved", label: "Upheld" },
  rejected: { badge: "rejected", label: "Rejected" },
};

type Outcome = "upheld" | "rejected";

/**
 * The last moment a partner may take exception to the version, as raiseStatementException reckons
 * it: the JV's window from the version's release (or its making, when released as made).
 */
function useWindowEnd(report: Pick<Reconciliation, "released_at" | "created_at">): { ends?: Date; days: number; loading: boolean } {
  const { settings, loading, error } = useJvSettings();
  const issued = toDate(report.released_at ?? report.created_at);
  const days = settings.exception_window_days;
  // Settings not read: no end is claimed, and the callable decides.
  return { ends: issued && !loading && !error ? exceptionWindowEnds(issued, days) : undefined, days, loading };
}

/**
 * The partners' written exceptions to this version and the JV operator's answers. A partner reads
 * and takes its own (on the released version it holds, within the JV's window); a
 * coordinator or admin answers each once, and records the later version that corrects an upheld
 * one; an auditor reads them.
 */
export function StatementExceptions({ id, report, onlyPartner }: { id: string; report: Reconciliation; onlyPartner?: string }) {
  const user = requireUser();
  const query = onlyPartner ? partnerVersionExceptions(id, onlyPartner) : versionExceptions(id);
  const live = useLiveQuery<StatementException>(query, `exceptions-${id}-${onlyPartner ?? ""}`).value;
  const term = useWindowEnd(report);
  const [answered, setAnswered] = useState<{ text: string; n: number }>();
  const mayAnswer = user.role === "jv_coordinator" || user.role === "admin";
  // A partner's statement stands while a version replacing it awaits its release: the screen shows it as completed, and the callable takes exceptions to it.
  const current = report.status === "completed";
  // The callable refuses a partner without a line on the version: it has nothing there to dispute.
  const hasLine = onlyPartner !== undefined && report.allocations.some((a) => a.partner_id === onlyPartner);
  const open = !term.loading && (term.ends === undefined || Date.now() <= term.ends.getTime());
  // As read: the open ones first, each status newest first (versionExceptions).
  const listed = live.docs;
  // The receipt's versions, read only while an upheld exception awaits the version that corrects it.
  const awaitsCorrection = mayAnswer && listed.some((d) => d.data.status === "upheld" && !d.data.correction);
  const ownVersions = useLiveQuery<Reconciliation>(
    awaitsCorrection ? receiptVersions(report.terminal_receipt_id) : undefined,
    `${report.terminal_receipt_id}:${awaitsCorrection}`,
  ).value;
  const replacing = useReplacingVersions(report.terminal_receipt_id, awaitsCorrection);
  const replacingVersions = replacing.versions;
  const versions: Live<Doc<Reconciliation>[]> = {
    docs: [...ownVersions.docs, ...replacingVersions.docs],
    loading: ownVersions.loading || replacingVersions.loading,
    error: ownVersions.error ?? replacingVersions.error,
  };
  return (
    <Card title="Exceptions">
      <div data-testid="exceptions">
        <p class="muted small-text" data-testid="exception-window">
          {onlyPartner ? (
            !current ? (
              "This version has been replaced: exceptions are taken to the current version."
            ) : term.ends === undefined || open ? (
              <>
                If you disagree with this statement, say what is wrong and why: the JV operator answers here, and you are told in your inbox.
                {term.ends && (
                  <>
                    {" "}
                    You may take exception until <strong>{dateTime(term.ends)}</strong> ({num(term.days, 0)} days after it was issued).
                  </>
                )}
              </>
            ) : (
              <>
                The time to take exception to this statement ended on {dateTime(term.ends)} ({num(term.days, 0)} days after it was issued):
                it stands.
              </>
            )
          ) : (
            <>
              A partner's written exception to this version, and the JV operator's answer: upheld (the figures are then corrected with a late
              entry or a corrected ticket, and the receipt reconciled again) or rejected (the statement stands).
              {current && term.ends && (
                <>
                  {" "}
                  Partners may take exception until {dateTime(term.ends)} ({num(term.days, 0)} days after it was issued).
                </>
              )}
            </>
          )}
        </p>
        {live.error ? (
          <p class="error" role="alert">
            {live.error}
          </p>
        ) : live.loading ? (
          <p class="muted" aria-busy="true">
            Loading the exceptions…
          </p>
        ) : listed.length === 0 ? (
          <p class="muted" data-testid="no-exceptions">
            No exceptions taken to this version.
          </p>
        ) : (
          <ul class="exceptions" aria-label="Exceptions taken to this version">
            {listed.map((d) => (
              <ExceptionItem
                key={d.id}
                id={d.id}
                exception={d.data}
                showPartner={!onlyPartner}
                mayAnswer={mayAnswer}
                versions={versions}
                chain={replacing.chain}
                excepted={report}
                onAnswered={(text) => setAnswered({ text, n: (answered?.n ?? 0) + 1 })}
              />
            ))}
          </ul>
        )}
        {live.docs.length >= query.limit && <p class="muted small-text">Showing {num(query.limit, 0)} exceptions; there may be more.</p>}
        {/* The answered (or corrected) exception's form leaves with it: the confirmation stays here, and takes the focus. */}
        {answered && (
          <Alert key={answered.n} kind="ok" focus>
            {answered.text}
          </Alert>
        )}
        {hasLine && current && open && isReleased(report) && <RaiseForm id={id} known={new Set(live.docs.map((d) => d.id))} />}
      </div>
    </Card>
  );
}

function ExceptionItem({
  id,
  exception: e,
  showPartner,
  mayAnswer,
  versions,
  chain,
  excepted,
  onAnswered,
}: {
  id: string;
  exception: StatementException;
  showPartner: boolean;
  mayAnswer: boolean;
  /** The receipt's versions and those of receipts replacing it (coordinators and admins, while an upheld exception awaits its correction). */
  versions: Live<Doc<Reconciliation>[]>;
  /** The receipt, then the receipts replacing it in turn (replacementChain). */
  chain: readonly string[];
  /** The version excepted to (this page's). */
  excepted: Reconciliation;
  onAnswered: (text: string) => void;
}) {
  const status = STATUS[e.status] ?? { badge: e.status, label: e.status };
  return (
    <li class="exception" data-testid="exception" data-exception={id} data-status={e.status}>
      <p class="meta">
        <Badge status={status.badge} label={status.label} />{" "}
        {showPartner ? (
          <>
            <strong class="exception-partner">
              <PartnerName id={e.partner_id} />
            </strong>{" "}
            · raised
          </>
        ) : (
          "Raised"
        )}{" "}
        by <PersonName uid={e.raised_by} /> on {dateTime(e.raised_at)}
      </p>
      <p class="exception-text" data-testid="exception-text">
        {e.text}
      </p>
      {/* Where the entry it is about is found, and opened to be corrected. */}
      {mayAnswer && (
        <p class="small-text">
          <a href={href("period-entries", e.partner_id, e.reconciliation_id)} data-testid="exception-entries">
            Entries of <PartnerName id={e.partner_id} /> in this period
          </a>
        </p>
      )}
      {e.answer ? (
        <div class="exception-answer" data-testid="exception-answer">
          <p class="small-text">
            <strong>{status.label}</strong> by <PersonName uid={e.answer.by} /> on {dateTime(e.answer.at)}:{" "}
            {e.status === "upheld"
              ? "the JV operator agrees; the correction follows in a later version."
              : "the statement stands."}
          </p>
          <p class="exception-text" data-testid="exception-answer-text">
            {e.answer.text}
          </p>
          {e.status === "upheld" &&
            (e.correction ? (
              <p class="small-text" data-testid="exception-correction">
                <strong>
                  Corrected in{" "}
                  <a href={href("statements", e.correction.reconciliation_id)} data-statement={e.correction.reconciliation_id}>
                    version {e.correction.version}
                  </a>
                </strong>
                {e.correction.terminal_receipt_id !== e.terminal_receipt_id && (
                  <> of receipt {e.correction.terminal_receipt_id}, entered in place of this one</>
                )}
                {typeof e.correction.allocated_bbl_after === "number" && (
                  <>
                    : allocated {bbl(e.correction.allocated_bbl_after)} bbl ({bbl(e.correction.allocated_bbl_before)} bbl on this version)
                  </>
                )}{" "}
                · recorded by <PersonName uid={e.correction.by} /> on {dateTime(e.correction.at)}
              </p>
            ) : mayAnswer ? (
              <CorrectionForm id={id} exception={e} excepted={excepted} versions={versions} chain={chain} onRecorded={onAnswered} />
            ) : null)}
        </div>
      ) : mayAnswer ? (
        <AnswerForm id={id} onAnswered={onAnswered} />
      ) : (
        <p class="muted small-text">Awaiting the JV operator's answer.</p>
      )}
    </li>
  );
}

/** A partner says what is wrong with the statement and why. */
function RaiseForm({ id, known }: { id: string; known: Set<string> }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; n: number }>();
  const textId = `exception-text-${id}`;
  const trimmed = text.trim();
  const problem = typedTextProblem("The exception", trimmed, "lines");
  const short = trimmed.length < EXCEPTION_TEXT_MIN;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || short || problem) return;
    setBusy(true);
    setMessage(undefined);
    const n = (message?.n ?? 0) + 1;
    try {
      const done = await raiseStatementException({ reconciliation_id: id, text: trimmed });
      setText("");
      setMessage({
        kind: "ok",
        text: known.has(done.exception_id)
          ? `You took this exception already, on ${dateTime(new Date(done.raised_at))}: it is listed above.`
          : "Exception sent. The JV operator answers it here, and you are told in your inbox.",
        n,
      });
    } catch (e) {
      setMessage({ kind: "error", text: `Exception not sent: ${errorMessage(e)}`, n });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="review-form" aria-label="Take exception to this statement" data-testid="exception-form" onSubmit={submit}>
      <h3>Take exception</h3>
      <label for={textId}>
        What is wrong with this statement, and why <span class="muted">(the JV operator reads it, and it is kept in the audit log)</span>
      </label>
      <NoteArea
        id={textId}
        rows={4}
        maxLength={EXCEPTION_TEXT_MAX}
        aria-required="true"
        readOnly={busy}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        problemId={`${textId}-problem`}
        problem={problem}
        hintId={`${textId}-hint`}
      />
      <TextCount id={`${textId}-hint`} testId="exception-count" length={trimmed.length} min={EXCEPTION_TEXT_MIN} max={EXCEPTION_TEXT_MAX} />
      <div class="form-actions">
        <button type="submit" disabled={busy || short || !!problem}>
          {busy ? "Sending…" : "Take exception"}
        </button>
      </div>
      {message && (
        <Alert key={message.n} kind={message.kind} focus>
          {message.text}
        </Alert>
      )}
    </form>
  );
}

/**
 * A typed text's length as counted (trimmed, as the callable counts it) against its bounds, and,
 * while it is short, how many more characters it needs: the exception's and the answer's forms.
 */
function TextCount({ id, testId, length, min, max }: { id: string; testId: string; length: number; min: number; max: number }) {
  return (
    <span id={id} class="hint" data-testid={testId}>
      {num(length, 0)} / {num(max, 0)} characters
      {length < min ? `; at least ${num(min, 0)} (${num(min - length, 0)} more)` : ""}.
    </span>
  );
}

/** A coordinator or admin answers an open exception, once: upheld or rejected, saying why. */
function AnswerForm({ id, onAnswered }: { id: string; onAnswered: (text: string) => void }) {
  const [outcome, setOutcome] = useState<Outcome>();
  const [answer, setAnswer] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; n: number }>();
  const answerId = `exception-answer-${id}`;
  const trimmed = answer.trim();
  const problem = typedTextProblem("The answer", trimmed, "lines");
  const short = trimmed.length < ANSWER_TEXT_MIN;
  const ready = outcome !== undefined && !short && !problem;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || !ready) return;
    setBusy(true);
    setError(undefined);
    try {
      const done = await answerStatementException({ exception_id: id, outcome, answer: trimmed });
      onAnswered(`Answer sent: the exception is ${done.status}. The partner is told in its inbox.`);
    } catch (e) {
      setError({ text: `Answer not sent: ${errorMessage(e)}`, n: (error?.n ?? 0) + 1 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="review-form" aria-label="Answer this exception" data-testid="answer-form" onSubmit={submit}>
      <fieldset class="outcome" disabled={busy}>
        <legend>Answer</legend>
        {(["upheld", "rejected"] as const).map((o) => (
          <label class="radio" key={o}>
            <input type="radio" name={`outcome-${id}`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
            {o === "upheld" ? "Uphold: the figures are wrong, and will be corrected" : "Reject: the statement stands"}
          </label>
        ))}
      </fieldset>
      <label for={answerId}>
        Why <span class="muted">(required; the partner reads it, and it is kept in the audit log)</span>
      </label>
      <NoteArea
        id={answerId}
        rows={3}
        maxLength={ANSWER_TEXT_MAX}
        aria-required="true"
        readOnly={busy}
        value={answer}
        onInput={(e) => setAnswer(e.currentTarget.value)}
        problemId={`${answerId}-problem`}
        problem={problem}
        hintId={`${answerId}-hint`}
      />
      <TextCount id={`${answerId}-hint`} testId="answer-count" length={trimmed.length} min={ANSWER_TEXT_MIN} max={ANSWER_TEXT_MAX} />
      <div class="form-actions">
        <button type="submit" disabled={busy || !ready}>
          {busy ? "Sending…" : "Send answer"}
        </button>
        {!busy && outcome === undefined && <span class="hint">Choose Uphold or Reject.</span>}
      </div>
      {error && (
        <Alert key={error.n} kind="error" focus>
          {error.text}
        </Alert>
      )}
    </form>
  );
}

/** What the callable would refuse in a version offered, said beside it. */
const REFUSED: Record<string, string> = {
  "not released": " (not released to the partners yet)",
  "no line": " (no line for this partner)",
  unchanged: " (this partner's figures unchanged)",
};

/**
 * A coordinator or admin records the later version of the receipt that corrects an upheld
 * exception, once. The versions the callable would refuse are listed with why; it decides.
 */
function CorrectionForm({
  id,
  exception: e,
  excepted,
  versions,
  chain,
  onRecorded,
}: {
  id: string;
  exception: StatementException;
  excepted: Reconciliation;
  versions: Live<Doc<Reconciliation>[]>;
  chain: readonly string[];
  onRecorded: (text: string) => void;
}) {
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; n: number }>();
  const selectId = `exception-correction-${id}`;
  const choices = correctionChoices(
    e,
    excepted,
    versions.docs.map((v) => ({ id: v.id, ...v.data })),
    chain,
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || chosen === "") return;
    setBusy(true);
    setError(undefined);
    try {
      const done = await recordExceptionCorrection({ exception_id: id, reconciliation_id: chosen });
      onRecorded(
        `Correction recorded: version ${done.version} of receipt ${done.terminal_receipt_id} corrects the exception. The partner is told in its inbox.`,
      );
    } catch (err) {
      setError({ text: `Correction not recorded: ${errorMessage(err)}`, n: (error?.n ?? 0) + 1 });
    } finally {
      setBusy(false);
    }
  };
  if (versions.error) {
    return (
      <p class="error small-text" role="alert">
        The later versions of receipt {e.terminal_receipt_id} and of receipts replacing it could not be read: {versions.error}
      </p>
    );
  }
  if (versions.loading) {
    return (
      <p class="muted small-text" aria-busy="true">
        Reading the later versions of receipt {e.terminal_receipt_id} and of receipts replacing it…
      </p>
    );
  }
  if (choices.length === 0) {
    return (
      <p class="muted small-text" data-testid="correction-awaited">
        No later version of receipt {e.terminal_receipt_id}, nor of a receipt replacing it, yet: once the figures are corrected, the receipt
        reconciled again (or a corrected ticket entered and reconciled) and the new version released, record that version here as the correction
        (the partner is told).
      </p>
    );
  }
  return (
    <form class="review-form" aria-label="Record the version that corrects this exception" data-testid="correction-form" onSubmit={submit}>
      <label for={selectId}>
        Corrected in{" "}
        <span class="muted">
          (a later version of receipt {e.terminal_receipt_id} or of a receipt replacing it, released, that changes the partner's figures; the partner is
          told)
        </span>
      </label>
      <div class="inline-form">
        <select id={selectId} value={chosen} disabled={busy} onChange={(ev) => setChosen(ev.currentTarget.value)}>
          <option value="">— choose the version</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {!c.replacing
                ? `Version ${c.version}`
                : `Version ${c.version} of receipt ${c.terminal_receipt_id}, which replaces ${!c.replaces || c.replaces === e.terminal_receipt_id ? "this one" : `receipt ${c.replaces}`}`}
              {REFUSED[c.refused ?? ""] ?? ""}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || chosen === ""}>
          {busy ? "Recording…" : "Record correction"}
        </button>
      </div>
      {error && (
        <Alert key={error.n} kind="error" focus>
          {error.text}
        </Alert>
      )}
    </form>
  );
}
