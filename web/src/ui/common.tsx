import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Live } from "../data/live";
import type { OlderPages } from "../data/paged";
import { num } from "../format";

export function Page({ title, intro, children, actions }: { title: string; intro?: ComponentChildren; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <div>
          <h1 id="page-title">{title}</h1>
          {intro && <p class="intro">{intro}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Card({ title, children, id, actions }: { title?: ComponentChildren; children: ComponentChildren; id?: string; actions?: ComponentChildren }) {
  return (
    <section class="card" id={id} aria-label={typeof title === "string" ? title : undefined}>
      {(title || actions) && (
        <div class="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div class="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

const STATUS_TEXT: Record<string, string> = {
  pending: "Pending audit",
  validated: "Validated",
  flagged: "Flagged",
  rejected: "Rejected",
  approved: "Approved",
  completed: "Completed",
  stale: "Stale",
  superseded: "Superseded",
  closed: "Closed",
  ok: "OK",
  error: "Error",
};

export function Badge({ status, label }: { status: string; label?: string }) {
  return <span class={`badge badge-${status}`} data-status={status}>{label ?? STATUS_TEXT[status] ?? status}</span>;
}

/**
 * A report version's status: a completed one that entry changes made stale since says so, and one
 * not released to the partners (the JV's roles read those too) whether it awaits its approval.
 */
export function ReportBadge({ report }: { report: { status: string; stale?: boolean; released?: boolean } }) {
  const current = report.status === "completed" && !report.stale;
  const status = <Badge status={report.status === "completed" && report.stale ? "stale" : report.status} />;
  if (report.released !== false) return status;
  // A current version not yet released is, to its readers, awaiting approval: "Completed" beside it read as a contradiction.
  if (current) return <Badge status="unreleased" label="Awaiting approval" />;
  return (
    <>
      {status} <Badge status="unreleased" label="Not released" />
    </>
  );
}

/** Loading and error states of a live query, or its content. */
export function Loaded<T>({ live, empty, children }: { live: Live<T>; empty?: string; children: (docs: T) => ComponentChildren }) {
  if (live.error) return <p class="error" role="alert">{live.error}</p>;
  if (live.loading) return <p class="muted" aria-busy="true">Loading…</p>;
  if (empty && Array.isArray(live.docs) && live.docs.length === 0) return <p class="muted">{empty}</p>;
  return <>{children(live.docs)}</>;
}

/**
 * `focus`: the message takes the focus when it appears, for one that replaces the control which had
 * it (a button disabled while busy, a form closed), so that the focus is not lost to the page.
 */
export function Alert({ kind, children, focus }: { kind: "error" | "ok" | "info"; children: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return <p ref={ref} tabIndex={focus ? -1 : undefined} class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>{children}</p>;
}

/** A sha256 in full (statements) or abbreviated with the full value on hover (tables). */
export function Hash({ value, short }: { value?: string; short?: boolean }) {
  if (!value) return <span class="muted">—</span>;
  return <code class="hash" title={value}>{short ? `${value.slice(0, 12)}…` : value}</code>;
}

/** The containers whose width turns their table's rows into blocks on a phone (styles.css). */
type BlocksContainer = "blocks-list" | "statement-list" | "receipts-list" | "entries-list";

/**
 * A wide table's box: on a narrow screen the table scrolls sideways inside it, and the page does
 * not. Focusable and named, so that keyboard users can scroll it too (`label` says what it holds;
 * it must not repeat a card's title, which names a region already). With `blocks`, the box sits in
 * that container, and below its phone width each row is a block instead.
 */
export function TableScroll({ label, blocks, children }: { label: string; blocks?: BlocksContainer; children: ComponentChildren }) {
  const box = (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
  return blocks ? <div class={blocks}>{box}</div> : box;
}

/** Under a newest-first list read a page at a time: that older rows may not be shown, and a button to read them. */
export function OlderRows({ older, what, testId }: { older: OlderPages; what: string; testId: string }) {
  if (!older.cut) return null;
  return (
    <p class="muted small-text show-more" data-testid={testId}>
      Showing the newest {num(older.limit, 0)} {what}; older ones, if any, are not shown.{" "}
      {/* aria-disabled, not disabled: the focus stays on the button while the rows come in. */}
      <button type="button" class="secondary small" aria-disabled={older.loading} onClick={older.loading ? undefined : older.more}>
        {older.loading ? `Loading older ${what}…` : `Show older ${what}`}
      </button>
    </p>
  );
}
