import { useState } from "preact/hooks";
import { useLiveDoc } from "../../data/live";
import { requireUser } from "../../data/session";
import type { ProductionEntry } from "../../data/types";
import { href } from "../../router";
import { Alert, Card, Loaded, Page } from "../../ui/common";
import { EntryForm } from "./entry-form";
import { EntryList, useClosedDays, usePartnerEntries } from "./entry-list";
import { LiveEntryVerdict } from "./entry-verdict";
import { EntryId, useEntryLabel } from "./entry-link";
import { PersonName } from "../../ui/person";
import { PartnerName } from "../../ui/partner";

/** The list below the form (a screen or two down on a phone): scrolled to, and given the focus. */
function showOurEntries() {
  const list = document.getElementById("our-entries");
  if (!list) return;
  list.tabIndex = -1;
  list.scrollIntoView({ block: "start" });
  list.focus({ preventScroll: true });
}

/** The field operator's screen: the day's entry form, the verdict of what was just saved, own entries. */
export function OperatorEntriesScreen({ editId }: { editId?: string }) {
  const user = requireUser();
  const { entries, older } = usePartnerEntries(user.partnerId ?? "");
  const editing = useLiveDoc<ProductionEntry>(editId ? `production_entries/${editId}` : undefined);
  const closedDays = useClosedDays(entries.docs);
  // What was saved on this form: a correction's verdict is no longer "saved" once another form is opened.
  const [saved, setSaved] = useState<{ id: string; on?: string }>();
  const savedId = saved && saved.on === editId ? saved.id : undefined;
  const meters = [...new Set(entries.docs.map((d) => d.data.meter_id).filter((m): m is string => !!m))].sort();
  const editEntry = editId && editing.value.docs ? { id: editId, entry: editing.value.docs } : undefined;
  // For an operator the rules refuse a missing entry as they refuse another partner's: either way, nothing to correct.
  const nothingToCorrect = !!editId && !editing.value.loading && !editing.value.docs;
  const label = useEntryLabel();
  return (
    <Page
      title="Production entries"
      intro={<>Daily meter tickets of <strong><PartnerName id={user.partnerId} /></strong>. The auditor checks every entry within seconds of saving.</>}
      actions={<button type="button" class="secondary" onClick={showOurEntries}>Our entries <span aria-hidden="true">↓</span></button>}
    >
      <div class="two-col">
        <Card title={editEntry ? `Correct ${label(editEntry.entry)}` : nothingToCorrect ? "Correct an entry" : "New entry"}>
          {editId && editing.value.loading ? (
            <p class="muted">Loading the entry…</p>
          ) : nothingToCorrect ? (
            <div data-testid="no-entry-to-correct">
              <Alert kind="error">No entry you can correct is at this address. {editing.value.error ?? "It does not exist."}</Alert>
              <p class="muted small-text">Reference: <EntryId id={editId} /></p>
              <p><a href={href("entries")}>File a new entry</a></p>
            </div>
          ) : editEntry?.entry.correction_note ? (
            <p class="muted" role="status">A coordinator corrected this entry ({editEntry.entry.correction_note}); only a coordinator can change it now.</p>
          ) : editEntry && editEntry.entry.created_by !== user.uid ? (
            <p class="muted" role="status">{label(editEntry.entry)} was filed by someone else (<PersonName uid={editEntry.entry.created_by} />); only its author or a coordinator can change it.</p>
          ) : (
            <EntryForm key={editEntry?.id ?? "new"} user={user} meters={meters} listed={entries.docs} editing={editEntry} onSaved={(id) => setSaved({ id, on: editId })} cancelHref={editEntry ? href("entries") : undefined} />
          )}
        </Card>
        <div>
          {editEntry ? (
            // The entry being corrected: why it was rejected beside the form, then its new verdict live.
            <LiveEntryVerdict id={editEntry.id} title={savedId === editEntry.id ? "Verdict of the saved correction" : "Its verdict now: what to correct"} />
          ) : savedId ? (
            <LiveEntryVerdict id={savedId} title="Verdict of the saved entry" />
          ) : (
            <Card title="Verdict">
              <p class="muted">Save an entry to see the auditor's verdict arrive: pending, then validated, flagged or rejected, with each reason beside its field.</p>
            </Card>
          )}
        </div>
      </div>
      <Card title="Our entries" id="our-entries">
        <Loaded live={entries} empty="No entries yet.">
          {(docs) => <EntryList entries={docs} closedDays={closedDays} editorUid={user.uid} older={older} />}
        </Loaded>
      </Card>
    </Page>
  );
}
