import { Page } from "../../ui/common";
import { LiveEntryVerdict } from "./entry-verdict";

export function EntryScreen({ id }: { id: string }) {
  return (
    <Page title="Production entry" actions={<button type="button" class="secondary" onClick={() => history.back()}>Back</button>}>
      <LiveEntryVerdict id={id} title="Figures and the auditor's verdict" />
    </Page>
  );
}
