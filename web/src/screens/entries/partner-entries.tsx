import { useLiveQuery } from "../../data/live";
import { partnerEntries } from "../../data/queries";
import { requireUser } from "../../data/session";
import type { ProductionEntry } from "../../data/types";
import { Card, Loaded, Page } from "../../ui/common";
import { EntryList, useClosedDays } from "./entry-list";

export function PartnerEntriesScreen() {
  const user = requireUser();
  const entries = useLiveQuery<ProductionEntry>(partnerEntries(user.partnerId ?? ""), user.partnerId ?? "");
  const closedDays = useClosedDays();
  return (
    <Page title="Our entries" intro={<>Production entries of <strong>{user.partnerId}</strong> and the auditor's verdicts (read-only).</>}>
      <Card>
        <Loaded live={entries.value} empty="No entries yet.">
          {(docs) => <EntryList entries={docs} closedDays={closedDays} />}
        </Loaded>
      </Card>
    </Page>
  );
}
