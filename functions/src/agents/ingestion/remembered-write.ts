/**
 * A gateway's next batch written without a round of reads. From the key's last batch written the
 * usual way (admission.ts), the instance remembers the versions (update times) of what that
 * batch's admission read: the key's count, the partner, the close horizon, the key and the JV
 * settings, with what that key and those settings said. The next batch is one atomic commit
 * whose preconditions require each of them unchanged since: the count updated against its
 * version, the others held by a write that changes nothing (the removal of a field no document
 * has, against the version; a delete that requires absence for a settings document that did not
 * exist), the Idempotency-Key record and the entries created, which requires that none exists.
 * A revocation, a grant, partner or settings change, a close that raised the horizon, another
 * instance's count, a reused Idempotency-Key or a ticket stored before each fail that commit with
 * nothing written, and the batch takes the usual road, reading afresh. The key and settings the
 * batch is prepared with must be what the held versions say, and the key is checked again at the
 * batch's time (an expiry passes without a write).
 *
 * Why: the round of reads before the write is most of a batch's cost over the floor through the
 * emulator (docs/benchmarks.md), and a gateway sends its batches one after another. The price is
 * a write lock on the JV-wide settings and horizon documents for each such batch
 * (docs/ingestion.md).
 */
import {
  FieldPath,
  FieldValue,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Timestamp,
  type WriteBatch,
} from "firebase-admin/firestore";
import { COLLECTIONS } from "../../shared/collections";
import { CLOSE_HORIZON_PATH, horizonOf } from "../../shared/close-horizon";
import { JV_SETTINGS_PATH, jvSettingsOf, ticketSettingsJson } from "../../shared/jv-settings";
import { type JvSettings } from "../../domain/jv-settings";
import { type AdmissionReads } from "./admission";
import { apiKeyRef, checkGatewayKey, sameGrant, type GatewayKey } from "./api-keys";
import { completedRecord } from "./idempotency-store";
import { countAfter, counterFields, keyRateRef, storedCount, type KeyCount, type KeyRateLimit } from "./key-rate-limit";
import { createPlannedEntries, planWrites, type PreparedTickets, type TicketResult } from "./ticket-writes";

export interface RememberedVersions {
  counter: { stored: KeyCount; updateTime: Timestamp };
  partner: Timestamp;
  /** The key's document as read: what it says is checked again at each batch's time (an expiry passes without a write). */
  key: DocumentSnapshot;
  /** null: there was no settings document (the defaults). */
  settings: Timestamp | null;
  /** What that version of the settings says of tickets (ticketSettingsJson): a batch is prepared under exactly these. */
  settingsJson: string;
  horizon: { latest: string | null; updateTime: Timestamp };
}

/**
 * The versions to remember from a written batch's reads (`checks` as the key's document, then the
 * settings), with the count as read once the batch is committed; undefined when one of them is
 * not known (settings not read in the batch's transaction, a horizon it rebuilt, no count).
 */
export async function versionsAfter(db: Firestore, key: GatewayKey, reads: AdmissionReads): Promise<RememberedVersions | undefined> {
  const [keySnap, settingsSnap] = reads.checks;
  const latest = reads.horizon ? horizonOf(reads.horizon) : undefined;
  if (!settingsSnap || !reads.horizon || latest === undefined || !reads.partner.exists || !keySnap.exists) return undefined;
  const counter: DocumentSnapshot = await keyRateRef(db, key.keyId).get();
  const stored = storedCount(counter);
  if (!stored) return undefined;
  return {
    counter: { stored, updateTime: counter.updateTime! },
    partner: reads.partner.updateTime!,
    key: keySnap,
    settings: settingsSnap.exists ? settingsSnap.updateTime! : null,
    settingsJson: ticketSettingsJson(jvSettingsOf(settingsSnap)),
    horizon: { latest, updateTime: reads.horizon.updateTime! },
  };
}

/**
 * The batch written against `remembered`: its results and the versions to remember next, or
 * undefined when it is not for this road (a day on or before the horizon, whose record must be
 * read; the count at the limit; a key expired since; a key or settings prepared with that are not
 * what the held versions say) or its commit failed, having written nothing.
 */
export async function writeRemembered(
  db: Firestore,
  remembered: RememberedVersions,
  key: GatewayKey,
  settings: JvSettings,
  prepared: PreparedTickets,
  idempotency: { ref: DocumentReference; bodySha256: string },
  limit: KeyRateLimit,
  now: Date,
): Promise<{ results: TicketResult[]; versions: RememberedVersions } | undefined> {
  const latest = remembered.horizon.latest;
  if (latest !== null && prepared.candidates.some((c) => c.day <= latest)) return undefined;
  // The key and settings the batch was prepared with must be what the held versions say.
  const found = checkGatewayKey(remembered.key, key.sha256, now);
  if (!found.ok || !sameGrant(found.key, key) || ticketSettingsJson(settings) !== remembered.settingsJson) return undefined;
  const { next } = countAfter(remembered.counter.stored, limit, now);
  if (!next) return undefined;
  const plan = planWrites(
    prepared,
    prepared.candidates.map(() => null),
  );
  const batch = db.batch();
  const results = createPlannedEntries(db, batch, plan, key);
  batch.update(keyRateRef(db, key.keyId), counterFields(key.keyId, next, limit), { lastUpdateTime: remembered.counter.updateTime });
  batch.create(idempotency.ref, completedRecord(idempotency.bodySha256, { status: 200, body: { results } }, now));
  hold(batch, db.doc(`${COLLECTIONS.partners}/${key.partnerId}`), remembered.partner);
  hold(batch, apiKeyRef(db, key.sha256), remembered.key.updateTime!);
  hold(batch, db.doc(JV_SETTINGS_PATH), remembered.settings);
  hold(batch, db.doc(CLOSE_HORIZON_PATH), remembered.horizon.updateTime);
  let written;
  try {
    written = await batch.commit();
  } catch {
    return undefined;
  }
  const counted = written[plan.toCreate.length].writeTime;
  return { results, versions: { ...remembered, counter: { stored: next, updateTime: counted } } };
}

/** No document of this project has this field: removing it changes nothing, but the write's precondition is checked. */
const ABSENT_FIELD = new FieldPath("unchanged_since_read");

function hold(batch: WriteBatch, ref: DocumentReference, version: Timestamp | null): void {
  if (version === null) batch.delete(ref, { exists: false });
  else batch.update(ref, ABSENT_FIELD, FieldValue.delete(), { lastUpdateTime: version });
}
