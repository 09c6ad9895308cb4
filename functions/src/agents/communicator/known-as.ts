// Notices name partners and entries as their readers know them: a partner by partners/{id}.name,
// an entry by its partner, meter and day, read beside the round's other reads. What is missing
// (no document, no name) is named by its id. These never enter a notification's id or the test
// that a round was already delivered, so a name changed between an attempt and its retry cannot
// make a second notice.

import type { Firestore } from "firebase-admin/firestore";
import {
  entryDayText,
  type EntryKnownAs,
  type KnownAs,
  knownFromReport,
  type ReconciliationReport,
} from "../../domain/notification-templates";
import { COLLECTIONS } from "../../shared/collections";
import { isValidDocumentId } from "../../shared/entry-stream";
import { accountNames } from "../../shared/people";

export async function readPartnerNames(db: Firestore, partnerIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(partnerIds)].filter(isValidDocumentId);
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const snaps = await db.getAll(...ids.map((id) => db.doc(`${COLLECTIONS.partners}/${id}`)));
  snaps.forEach((snap, i) => {
    const name = snap.get("name");
    if (typeof name === "string" && name.trim() !== "") names.set(ids[i]!, name);
  });
  return names;
}

/** The entries' meters and days, as they stand now. */
async function readEntries(db: Firestore, entryIds: readonly string[]): Promise<Map<string, EntryKnownAs>> {
  const ids = [...new Set(entryIds)].filter(isValidDocumentId);
  const entries = new Map<string, EntryKnownAs>();
  if (ids.length === 0) return entries;
  const snaps = await db.getAll(...ids.map((id) => db.doc(`${COLLECTIONS.productionEntries}/${id}`)));
  snaps.forEach((snap, i) => {
    const measuredAt = snap.get("measured_at") as { toDate?: () => Date } | undefined;
    const contractDay = snap.get("audit.contract_day");
    if (!snap.exists || typeof measuredAt?.toDate !== "function") return;
    const meter = snap.get("meter_id");
    entries.set(ids[i]!, {
      partner_id: String(snap.get("partner_id")),
      ...(typeof meter === "string" && meter !== "" ? { meter_id: meter } : {}),
      day: entryDayText(
        { measured_at: measuredAt as { toDate(): Date } },
        { contract_day: typeof contractDay === "string" ? contractDay : null },
      ),
    });
  });
  return entries;
}

/**
 * What the given entries and their partners are known as (the entries read first); `report`: its
 * own names stand; `accountIds`: the accounts a notice names (people/{uid}).
 */
export async function readKnownAs(
  db: Firestore,
  wanted: {
    entryIds: readonly string[];
    partnerIds?: readonly string[];
    report?: Pick<ReconciliationReport, "allocations">;
    accountIds?: readonly (string | null | undefined)[];
  },
): Promise<KnownAs> {
  const own = wanted.report ? knownFromReport(wanted.report).partners : new Map<string, string>();
  const accountIds = (wanted.accountIds ?? []).filter((uid): uid is string => typeof uid === "string");
  const [entries, people] = await Promise.all([readEntries(db, wanted.entryIds), accountNames(db, accountIds)]);
  const partnerIds = [...(wanted.partnerIds ?? []), ...[...entries.values()].map((e) => e.partner_id)];
  const partners = await readPartnerNames(
    db,
    partnerIds.filter((id) => !own.has(id)),
  );
  return { partners: new Map([...partners, ...own]), entries, people };
}

/** An account's name as people know it (people/{uid}.display_name), or null without one. */
export async function readPersonName(db: Firestore, uid: string): Promise<string | null> {
  if (uid.includes("/")) return null;
  const name = (await db.doc(`${COLLECTIONS.people}/${uid}`).get()).get("display_name");
  return typeof name === "string" && name !== "" ? name : null;
}
