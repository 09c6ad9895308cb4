import type { EntryField, FieldHint as Hint } from "../domain/entry-checks";

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A figure's limits, and what the rules or the checker (`by`: "Auditor", "Reconcile") will say of
 * the value typed: refused by the rules (the message names the bound, once), or saved and then
 * flagged or refused.
 */
export function FieldHint({ field, hint, by }: { field: EntryField; hint: Hint; by: string }) {
  return (
    <span id={`${field}-hint`} class={`hint hint-${hint.level}`} data-testid={`${field}-hint`} data-level={hint.level} data-refused={hint.refused ? "true" : undefined}>
      {hint.refused ? (
        <strong>{capitalized(hint.message ?? "")}.</strong>
      ) : (
        <>
          {hint.message ? <strong>{hint.level === "info" ? capitalized(hint.message) : `Can be saved, then ${hint.message}`}. </strong> : null}
          {by}: {hint.limits}.
        </>
      )}
    </span>
  );
}
