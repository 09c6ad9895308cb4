import type { TextareaHTMLAttributes } from "preact";

/**
 * Why the text typed beside it cannot be saved (typedTextProblem: the server's refusal, before
 * anything is sent), in the field's own hint line; nothing when it can.
 */
export function TextProblem({ id, problem }: { id: string; problem: string | undefined }) {
  if (!problem) return null;
  return (
    <span id={id} class="hint hint-critical" data-testid={id}>
      <strong>{problem}.</strong> Delete it: pasted text can carry it unseen.
    </span>
  );
}

/** The text field's aria attributes while it holds a problem: invalid, described by its TextProblem (after `hintId`, its usual hint). */
export function problemAria(id: string, problem: string | undefined, hintId?: string) {
  const describedBy = [hintId, problem ? id : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": problem ? ("true" as const) : undefined, "aria-describedby": describedBy || undefined };
}

/** A note's textarea with its TextProblem under it (`hintId`: the hint it is described by besides). */
export function NoteArea({ problemId, problem, hintId, ...textarea }: TextareaHTMLAttributes<HTMLTextAreaElement> & { problemId: string; problem: string | undefined; hintId?: string }) {
  return (
    <>
      <textarea rows={2} maxLength={2000} {...textarea} {...problemAria(problemId, problem, hintId)} />
      <TextProblem id={problemId} problem={problem} />
    </>
  );
}
