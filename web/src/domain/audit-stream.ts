/**
 * An audit-log chain in the words of the screens: the streams are named by the functions that
 * append to them (functions/src: set-user-role, api-keys, set-jv-settings, set-partner, decide-adjustment,
 * reconcile, release-reconciliation, statement-exceptions, notify, entry-stream), and an auditor picks one by what
 * it records. Pure: the audit-log screen and the unit tests share it.
 */
export interface StreamInWords {
  /** The group the picker lists it under. */
  group: string;
  label: string;
}

export const STREAM_GROUPS = ["Administration", "Production entries", "Terminal receipts", "Notifications", "Other"] as const;

const FIXED: Readonly<Record<string, StreamInWords>> = {
  agent_admin: { group: "Administration", label: "Roles and API keys" },
  settings_jv: { group: "Administration", label: "JV settings" },
  partners: { group: "Administration", label: "Partners: added, renamed, deactivated, left or rejoined" },
  prior_period_adjustments: { group: "Administration", label: "Prior-period adjustment decisions" },
  statement_exceptions: { group: "Terminal receipts", label: "Exceptions to statements and their answers" },
  entries_unknown: { group: "Production entries", label: "Entries whose partner could not be read" },
};

/** `partnerName` gives a partner's name when known (undefined: the id is shown). */
export function streamInWords(stream: string, partnerName: (id: string) => string | undefined = () => undefined): StreamInWords {
  if (Object.hasOwn(FIXED, stream)) return FIXED[stream];
  const partner = /^partner_(.+)$/.exec(stream);
  if (partner) return { group: "Production entries", label: `${partnerName(partner[1]) ?? partner[1]}: audits, reviews and entry notices` };
  const notices = /^notify_receipt_(.+)$/.exec(stream);
  if (notices) return { group: "Notifications", label: `Receipt ${notices[1]}: notices sent` };
  const receipt = /^receipt_(.+)$/.exec(stream);
  if (receipt) return { group: "Terminal receipts", label: `Receipt ${receipt[1]}: reconciliations and releases` };
  return { group: "Other", label: stream };
}

/** The streams in the picker's groups, each group's streams by label. */
export function groupStreams<T extends { stream: string }>(
  streams: readonly T[],
  partnerName?: (id: string) => string | undefined,
): Array<{ group: string; streams: Array<T & StreamInWords> }> {
  const labelled = streams.map((s) => ({ ...s, ...streamInWords(s.stream, partnerName) }));
  return STREAM_GROUPS.map((group) => ({
    group,
    streams: labelled.filter((s) => s.group === group).sort((a, b) => a.label.localeCompare(b.label) || a.stream.localeCompare(b.stream)),
  })).filter((g) => g.streams.length > 0);
}
