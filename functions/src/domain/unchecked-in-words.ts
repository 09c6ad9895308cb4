/**
 * What a verification could not check, in words for the statement's readers (a JV accountant, not
 * the verifier's author): what was not checked, why, and what the reader can do. The field names
 * stay in the technical note beside each (`not_checked`), which the CLI and the Checks details show.
 */
export const UNCHECKED = {
  corrections:
    "Who corrected the entries behind this version, and when. That list is sealed with the statement, but the entries themselves may have changed since.",
  oldHashScheme:
    "Dates written as text. This version was made before dates were sealed by type, so its seal cannot tell a date from the same date written as text.",
  oldAnchor:
    "The seal in the audit log. This older version's audit event records its inputs, not the statement's seal; the inputs are checked.",
  terminalName:
    "The terminal's name. This version was made before the statement's seal covered it: the name shown is the terminal receipt's as it is now.",
  chainHead:
    "That the audit log in this bundle is complete. A bundle cannot prove it: ask the JV's coordinator to confirm its latest event.",
  replacedElsewhere:
    "The version that replaced this one. It was made from another terminal receipt and is checked in that receipt's audit log: verify it there.",
  stillCurrentOffline:
    "Whether this is still the current version. A bundle cannot show it: use Verify on the statement in FlowShare, or ask the JV's coordinator.",
  staleLive:
    "Whether entries behind this version changed during or after its close. That is not sealed with the statement, so no check can prove it. FlowShare shows it as its records stand now: such a statement is marked Stale.",
  staleOffline:
    "Whether entries behind this version changed during or after its close. That is not sealed with the statement, and a bundle cannot show it: ask the JV's coordinator.",
  closedDays: "Which version each closed day belongs to. Only the check in FlowShare reads that: use Verify on the statement.",
  oldEntries: (count: number) =>
    `The net volumes of ${count} older ${count === 1 ? "entry" : "entries"}. ${count === 1 ? "It was" : "They were"} recorded before entries kept their measured readings, so ${count === 1 ? "its volume" : "their volumes"} cannot be recomputed.`,
  grossVolumes: "Gross volumes. Some entries were recorded without their measured readings, so their gross volumes cannot be recomputed.",
  othersRows: "Other partners' entries. Your bundle holds them sealed, so only their sum is checked against the statement's totals.",
  othersSealed:
    "Seals that run over every partner's figures. Your bundle holds only your own in the clear; the statement's seal covers the rest.",
  ownRowsOpen:
    "That none of your own rows among the changes and corrections is hidden. Whoever holds your bundle holds your key and could seal them, so keep it private.",
  activePartners:
    "Which partners were active when this version was made. The partner list changes over time; the statement's lines are sealed as they were.",
  partnerNames:
    "Partner names and active flags as they were when this version was made. The partner list may have changed since, so they cannot be recomputed; they are sealed with the statement.",
  exclusionList: "The full list of excluded entries. This evidence does not hold it; the count and the first ones listed are checked.",
  exclusionListCut: (count: number, listed: number) =>
    `The full list of excluded entries. ${count} were excluded but only ${listed} are listed on the statement, so the list as a whole cannot be recomputed.`,
  previousVersion:
    "The changes from the previous version. This check does not hold that version's figures: verify the previous version too.",
  adjustmentOrigins:
    "Adjustments carried to this period, against the versions that raised them. This evidence does not hold those versions: verify them too.",
  bundledPrevious:
    "The changes from the version replaced were checked against this bundle's copy of that version's figures, which it does not seal: verify that version too.",
  bundledAdjustmentOrigins:
    "Adjustments carried to this period were checked against the versions that raised them as this bundle copies them, which it does not seal: verify those versions too.",
  unrecordedAdjustmentOrigin:
    "An adjustment carried to this period against the corrected ticket's version that raised it: that version was made before such versions recorded their changes.",
  adjustmentApprovals:
    "Who approved each carried adjustment, when and with what note, as the statement prints them: this evidence does not hold the decisions' audit events. Verify the audit log to check them.",
  bundledAdjustmentApprovals:
    "Who approved each carried adjustment was checked against this bundle's copies of the decisions' audit events, which it does not seal: verify the audit log to check them.",
  adjustmentApprovalChain:
    "Each carried adjustment's approval was checked against its decision's event in the audit log, that event on its own: verify the audit log to check its place in the chain.",
  laterAdjustmentDecisions:
    "Whether a carried adjustment was decided again after its approval (its set put back to pending): this evidence does not hold the later decisions. Verify the audit log to check them.",
  adjustmentRecords:
    "Adjustments carried to this period, against the adjustment records. This evidence does not hold those records; the lines on the statement are sealed.",
  oldPartnerDigests:
    "Each partner's entries and exclusions on their own. This version predates that seal; the totals and partner rows are checked.",
  oldOwnDigests:
    "Your own entries one by one, and your exclusions. This version predates the seal per partner, so your entries are checked by their sums only.",
  partnerDigestInputs:
    "Each partner's entries and exclusions on their own. This evidence does not hold the entries with their measured readings.",
  partnerDigestExclusions: "Each partner's exclusions on their own. This evidence does not hold the list of excluded entries.",
  oldRelease: "Who released this version. It was made before releases were recorded; it was released as it was made.",
  bundleCopies:
    "That the receipt and audit log in this bundle are the ones stored now. Compare it with the JV's audit log, or use Verify on the statement in FlowShare.",
} as const;

/** Each text once, in the order first met. */
export function uniqueTexts(texts: readonly string[]): string[] {
  return [...new Set(texts)];
}
