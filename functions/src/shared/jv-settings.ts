import { type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { ZodError } from "zod";
import { canonicalJson } from "../domain/canonical-json";
import { type JvSettings, resolveJvSettings } from "../domain/jv-settings";
import { COLLECTIONS } from "./collections";

export const JV_SETTINGS_PATH = `${COLLECTIONS.settings}/jv`;

/**
 * The JV settings as they are now (read at every run: an admin's change applies to the next
 * call; the ingestion endpoint remembers them, but has its transaction read them again). Absent document or fields take the defaults
 * (domain/jv-settings.ts); a stored value out of range is refused rather than guessed.
 */
export async function readJvSettings(db: Firestore, tx?: Transaction): Promise<JvSettings> {
  const ref = db.doc(JV_SETTINGS_PATH);
  return jvSettingsOf(tx ? await tx.get(ref) : await ref.get());
}

/** The settings a read of `settings/jv` holds, or the refusal of a stored value out of range. */
export function jvSettingsOf(snap: DocumentSnapshot): JvSettings {
  try {
    return resolveJvSettings(snap.exists ? snap.data() : undefined);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issues = error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new HttpsError(
      "failed-precondition",
      `The JV settings (${JV_SETTINGS_PATH}) are not valid: ${issues}. An admin must correct them with setJvSettings.`,
    );
  }
}

/**
 * What of the settings a ticket's checks are taken from: its contract day (start hour, UTC offset)
 * and the JV start date. The LUAF band and release approval play no part in ingesting a ticket.
 */
export function ticketSettingsJson(settings: JvSettings): string {
  const { contract_day_start_hour, utc_offset_minutes, jv_start_date } = settings;
  return canonicalJson({ contract_day_start_hour, utc_offset_minutes, jv_start_date });
}

/**
 * Whether a read of settings/jv still gives tickets prepared under `settings` the contract days
 * and start-date checks they were given (an unreadable document does not).
 */
export function holdsSettings(snap: DocumentSnapshot, settings: JvSettings): boolean {
  try {
    return ticketSettingsJson(jvSettingsOf(snap)) === ticketSettingsJson(settings);
  } catch {
    return false;
  }
}
