import { requireUser } from "../../data/session";
import { Card, Loaded, Page } from "../../ui/common";
import { PartnerName } from "../../ui/partner";
import { EntryList, useClosedDays, usePartnerEntries } from "./entry-list";
import type { PartnerLeft } from "../../domain/partner-standing";

/** `left`: the partner left the JV; its entries from before are listed (the rules refuse the rest). */
export function PartnerEntriesScreen({ left }: { left?: PartnerLeft }) {
  const user = requireUser();
  const { entries, older } = usePartnerEntries(user.partnerId ?? "", left?.at);
  const closedDays = useClosedDays(entries.docs);
  return (
    <Page title="Our entries" intro={<>Production entries of <strong><PartnerName id={user.partnerId} /></strong> and the auditor's verdicts (read-only).</>}>
      <Card>
        <Loaded live={entries} empty="No entries yet.">
          {(docs) => <EntryList entries={docs} closedDays={closedDays} older={older} />}
        </Loaded>
      </Card>
    </Page>
  );
}
