import type { EntryField, FieldHint as Hint } from "../domain/entry-checks";

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A figure's limits, and what the rules or the checker (`by`: "Auditor", "Reconcile") will say of
 * the value typed: not a plain number (what to type instead), refused by the rules (the message
 * names the bound, once), or saved and then flagged or refused.
 */
export function FieldHint({ field, hint, by }: { field: EntryField; hint: Hint; by: string }) {
  return (
    <span id={`${field}-hint`} class={`hint hint-${hint.level}`} data-testid={`${field}-hint`} data-level={hint.level} data-refused={hint.refused ? "true" : undefined}>
      {hint.malformed ? (
        <strong>{capitalized(hint.message ?? "")}</strong>
      ) : hint.refused ? (
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

interface MeasuredFieldProps {
  field: { key: EntryField; label: string; unit: string; required: boolean };
  value: string;
  onInput: (event: Event) => void;
  hint: Hint;
  by: string;
}

/** A measured figure's input, labelled with its unit, and its hint (the entry and receipt forms). */
export function MeasuredField({ field: f, value, onInput, hint, by }: MeasuredFieldProps) {
  return (
    <label class={`field field-${hint.level}`}>
      <span class="label-text">
        {f.label}
        {f.unit && <span class="unit"> ({f.unit})</span>}
        {!f.required && <span class="optional"> optional</span>}
      </span>
      <input
        name={f.key}
        // Text, read by parseFigure: a number input drops what it cannot read ("3050,5" became
        // 30505, "2O" became 2) and tells the page nothing.
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellcheck={false}
        required={f.required}
        value={value}
        onInput={onInput}
        aria-invalid={hint.level === "critical" ? "true" : undefined}
        aria-describedby={`${f.key}-hint`}
      />
      <FieldHint field={f.key} hint={hint} by={by} />
    </label>
  );
}
