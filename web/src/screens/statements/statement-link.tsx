import type { Timestamp } from "firebase/firestore";
import { usePeriodOf } from "../../data/jv-settings";
import { cachedLookup } from "../../data/lookup";
import { found } from "../../data/lookup-state";
import type { MayOpen } from "../../domain/restatement";
import { reportIdParts, statementLabel } from "../../domain/statement-label";
export { raisedBy } from "../../domain/statement-label";
import { href } from "../../router";

/** What names a report version; none of it changes once the version is made. */
export interface StatementNamed {
  terminal_receipt_id: string;
  version: number;
  period_start?: Timestamp;
  period_end?: Timestamp;
}

/** The report's id, kept small beside what names it, for support. */
export function StatementId({ id }: { id: string }) {
  return (
    <code class="doc-id" title="The report's id (for support)">
      {id}
    </code>
  );
}

/** A statement's name in words; from its id alone (receipt and version) until its document is read. */
export function useStatementLabel(): (id: string, report: StatementNamed | undefined) => string {
  const period = usePeriodOf();
  return (id, report) => {
    if (report) return statementLabel(report.period_start && report.period_end ? period(report.period_start, report.period_end) : undefined, report.terminal_receipt_id, report.version);
    const parts = reportIdParts(id);
    return parts ? statementLabel(undefined, parts.receiptId, parts.version) : id;
  };
}

const reportOf = cachedLookup<StatementNamed & { released: boolean }>("reconciliations", (snap) => {
  const receipt = snap.get("terminal_receipt_id");
  const version = snap.get("version");
  if (typeof receipt !== "string" || typeof version !== "number") return null;
  return { terminal_receipt_id: receipt, version, period_start: snap.get("period_start"), period_end: snap.get("period_end"), released: snap.get("released") !== false };
}, { deniedIsNone: true });

/**
 * For a partner, whether it may open a version (`MayOpen`): one the rules let it read is released
 * to it; one they refuse (read as none) is not, until its release: the refused read is tried again
 * (lookup.ts), at once for a version the partner's released list shows (`releasedToPartner`).
 * Undefined while read, or while the read fails.
 */
export function usePartnerMayOpen(): MayOpen {
  return (id) => {
    const looked = reportOf(id).value;
    if (looked === null) return false;
    const report = found(looked);
    return report ? report.released : undefined;
  };
}

/** Versions a partner's live list of released versions shows: any it was refused before is read again now. */
export function releasedToPartner(ids: Iterable<string>): void {
  reportOf.recheck(ids);
}

/**
 * A link to a statement named by its period, receipt and version, its id small beside it.
 * Without `report` the version is read (once per page load) to name it; one the reader may not
 * read (a partner and a version not released to it) is named by its receipt and version until
 * its release.
 */
export function StatementLink({ id, report }: { id: string; report?: StatementNamed }) {
  const label = useStatementLabel();
  return report ? <Named id={id} text={label(id, report)} /> : <LiveNamed id={id} />;
}

function LiveNamed({ id }: { id: string }) {
  const label = useStatementLabel();
  return <Named id={id} text={label(id, found(reportOf(id).value))} />;
}

function Named({ id, text }: { id: string; text: string }) {
  return (
    <>
      <a href={href("statements", id)} data-statement={id}>{text}</a> <StatementId id={id} />
    </>
  );
}
