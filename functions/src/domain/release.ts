// Releasing a version to the partners: when the JV's settings require approval, a new version
// waits for a coordinator's or admin's release (someone other than who made it) before partners
// may read it, are told of it or export its statement. Lifecycle fields, outside the integrity
// hash: the release is recorded in the audit log (`reconciliation_released`).

/** The report fields of its release. */
export const RELEASE_FIELDS = ["release_required", "released", "released_by", "released_at", "release_note"] as const;

export interface ReleaseFields {
  /** Whether the JV's settings required approval when the version was made. */
  release_required: boolean;
  /** Whether partners may see it (the rules and the partners' queries use this field). */
  released: boolean;
  /** Who released it; null when it was released as it was made. */
  released_by: string | null;
  released_at: Date | null;
  release_note: string | null;
}

/** The most characters a release note keeps. */
export const RELEASE_NOTE_MAX = 2000;

/** A new version's release: waiting for approval, or released as it is made. */
export function releaseOnCreation(required: boolean, now: Date): ReleaseFields {
  return required
    ? { release_required: true, released: false, released_by: null, released_at: null, release_note: null }
    : { release_required: false, released: true, released_by: null, released_at: now, release_note: null };
}

/** Reports made before releases existed were released as they were made. */
export function isReleased(report: { released?: unknown }): boolean {
  return report.released !== false;
}

/** What a statement says of its release, e.g. "Released by u2 on 2026-10-02 09:15 UTC: \"checked\"". */
export function releaseText(report: Partial<Record<(typeof RELEASE_FIELDS)[number], unknown>>, when: (d: Date) => string): string {
  if (!isReleased(report)) return "Awaiting approval: not released to partners yet.";
  const at = report.released_at instanceof Date ? report.released_at : null;
  if (typeof report.released_by !== "string") {
    return report.release_required === false && at
      ? `Released as it was made on ${when(at)} (the JV's settings required no approval then).`
      : "Released as it was made (before releases were recorded).";
  }
  const note = typeof report.release_note === "string" && report.release_note !== "" ? `: "${report.release_note}"` : "";
  return `Approved and released by ${report.released_by}${at ? ` on ${when(at)}` : ""}${note}.`;
}
