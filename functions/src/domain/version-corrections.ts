// Why a version was made: the entries that changed after the version before it was read, and who
// changed them when. The notes saying why stay on the entries (a partner reads only its own).

/** How many changed entry ids a stale reconciliation lists (its count of changes tells the rest), so a new version's corrections at most. */
export const STALE_ENTRY_IDS_LISTED = 50;

export type CorrectionKind = "late entry" | "entered since, then corrected" | "new entry" | "correction" | "changed without a correction";

/**
 * One entry behind a new version, relative to the start of the version before it: a coordinator's
 * late entry (created and signed in one write); an entry created since and corrected after its
 * creation (a late entry or an operator's or gateway's entry); an entry created since without a
 * correction (an operator's or a gateway's, during the close); a coordinator's correction of an
 * entry that existed; or a change with no correction (a review, a verdict, an operator's edit
 * while the period was being closed). `by` and `at`: the last correction's, or the creation's.
 */
export interface VersionCorrection {
  entry_id: string;
  partner_id: string;
  kind: CorrectionKind;
  by: string | null;
  at: Date | null;
}

const time = (value: unknown): number | undefined => (value instanceof Date ? value.getTime() : undefined);

/**
 * `entry`: the entry's plain data (dates as Dates); `since`: when the call that made the version
 * before began (its reading of the period followed: a change in between may be in its figures and
 * still count as since, so a change may be listed by two versions, never by none).
 */
export function versionCorrection(entryId: string, entry: Readonly<Record<string, unknown>>, since: Date): VersionCorrection {
  const partnerId = typeof entry.partner_id === "string" ? entry.partner_id : String(entry.partner_id ?? "");
  const row = (kind: CorrectionKind, by: unknown, at: unknown): VersionCorrection => ({
    entry_id: entryId,
    partner_id: partnerId,
    kind,
    by: typeof by === "string" ? by : null,
    at: at instanceof Date ? at : null,
  });
  const created = time(entry.created_at);
  const corrected = time(entry.corrected_at);
  const signed = typeof entry.corrected_by === "string" && typeof entry.correction_note === "string" && corrected !== undefined;
  if (created !== undefined && created >= since.getTime()) {
    if (!signed) return row("new entry", entry.created_by, entry.created_at);
    const late = entry.created_by === entry.corrected_by && corrected === created;
    return row(late ? "late entry" : "entered since, then corrected", entry.corrected_by, entry.corrected_at);
  }
  if (signed && corrected >= since.getTime()) return row("correction", entry.corrected_by, entry.corrected_at);
  return row("changed without a correction", null, null);
}

/** Oldest first (those without a time last), then by entry id: the order a reader follows them in. */
export function byCorrectionTime(a: VersionCorrection, b: VersionCorrection): number {
  const ta = a.at?.getTime() ?? Number.POSITIVE_INFINITY;
  const tb = b.at?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.entry_id < b.entry_id ? -1 : a.entry_id > b.entry_id ? 1 : 0;
}

/** An entry's correction note as it stands, with the time of the correction that wrote it. */
export interface CorrectionNote {
  note: string;
  corrected_at: Date | null;
}

/**
 * The note of a row's correction: the entry's note when its last correction is the row's (same
 * time); undefined when the row has none to show or the entry was corrected again since.
 */
export function noteOf(c: Readonly<VersionCorrection>, current: Readonly<CorrectionNote> | undefined): string | undefined {
  if (!current || c.at === null || c.kind === "new entry" || c.kind === "changed without a correction") return undefined;
  return current.corrected_at !== null && current.corrected_at.getTime() === c.at.getTime() ? current.note : undefined;
}

/**
 * What a statement says of one, e.g. `correction by u1 on 2026-10-02 09:15 UTC: "meter factor
 * mistyped"`; a note not on record (corrected again since, or not readable) is said so.
 */
export function correctionText(c: Readonly<VersionCorrection>, note: string | undefined, when: (d: Date) => string): string {
  if (c.kind === "changed without a correction")
    return "changed without a correction (a review or verdict, or an operator's change while the period was being closed)";
  const head = `${c.kind} by ${c.by ?? "?"}${c.at ? ` on ${when(c.at)}` : ""}`;
  if (c.kind === "new entry") return head;
  return note === undefined ? `${head} (its note is not on record here: see the entry and the audit log)` : `${head}: "${note}"`;
}

/**
 * The corrections behind a version that follows one never released to the partners: that
 * version's own (what changed before it, which partners were never shown) and the new ones,
 * an entry once (its latest row), oldest first, at most `cap`.
 */
export function mergeCorrections(
  earlier: readonly VersionCorrection[],
  later: readonly VersionCorrection[],
  cap = STALE_ENTRY_IDS_LISTED,
): VersionCorrection[] {
  const byEntry = new Map<string, VersionCorrection>();
  for (const c of [...earlier, ...later]) byEntry.set(c.entry_id, c);
  return [...byEntry.values()].sort(byCorrectionTime).slice(-cap);
}

/** A stored report's `corrections` in plain values (dates as Dates, shared/timestamps.ts) as rows; anything else is left out. */
export function storedCorrections(value: unknown): VersionCorrection[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (r): r is Record<string, unknown> =>
        typeof r === "object" && r !== null && typeof (r as { entry_id?: unknown }).entry_id === "string",
    )
    .map((r) => ({
      entry_id: String(r.entry_id),
      partner_id: String(r.partner_id ?? ""),
      kind: r.kind as CorrectionKind,
      by: typeof r.by === "string" ? r.by : null,
      at: r.at instanceof Date ? r.at : null,
    }));
}
