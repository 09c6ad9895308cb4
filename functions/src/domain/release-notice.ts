// What the JV's own people (coordinators, admins, auditors) are told when a version held for its
// release is released to the partners: they were told it awaits approval, and its maker waits on it.

import type { NotificationBrief } from "./notification-briefs";
import type { NotificationText } from "./notification-templates";
import { oneLine } from "./typed-text";
import { utcMinute } from "./utc-minute";

export interface ReleasedVersion {
  reconciliation_id: string;
  terminal_receipt_id: string;
  version: number;
  released_by: string;
  /** people/{uid}.display_name of the releaser; null without one. */
  releaser_name: string | null;
  released_at: Date;
  release_note: string;
}

export function releaseNotice(release: ReleasedVersion): NotificationText {
  const who = release.releaser_name ? oneLine(release.releaser_name) : "A coordinator or an admin";
  const version = `version ${release.version} of receipt ${release.terminal_receipt_id}`;
  return {
    title: `Version ${release.version} of receipt ${release.terminal_receipt_id}: released to the partners`,
    body: [
      `${who} released ${version} to the partners at ${utcMinute(release.released_at)}, after checking it.`,
      `Their note: "${oneLine(release.release_note)}"`,
      "Each partner's users are told of their own allocation statement now, and read this version from now on; its prior-period adjustments, if any, can now be decided.",
    ].join("\n"),
    highlights: [`Released by ${release.releaser_name ? who : "a coordinator or an admin"}`, `"${oneLine(release.release_note)}"`],
  };
}

/** The release is a coordinator's (or admin's) decision, told in the standard text without Gemini. */
export function releaseBrief(release: ReleasedVersion): NotificationBrief {
  return {
    type: "reconciliation_released",
    marker: `reconciliation_released for ${release.reconciliation_id}`,
    prompt: "",
    grounding: { numbers: [], trustedStrings: [], untrustedStrings: [] },
    typed: [],
    budgetPartner: null,
    template: releaseNotice(release),
    templateOnly: {
      reason: "coordinator_decision",
      detail: "A release is told in the standard text, with the releaser's own note, without Gemini.",
    },
    data: {
      reconciliation_id: release.reconciliation_id,
      terminal_receipt_id: release.terminal_receipt_id,
      version: release.version,
      released_by: release.released_by,
      releaser_name: release.releaser_name,
      released_at: release.released_at.toISOString(),
    },
  };
}
