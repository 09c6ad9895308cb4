import type { Timestamp } from "firebase/firestore";
import { contractDayOf, resolveJvSettings, type JvSettings } from "../domain/jv-settings";
import { toDate } from "../format";
import { useLiveDoc } from "./live";

/** settings/jv as it is now (every role may read it), over the defaults. */
export function useJvSettings(): JvSettings {
  const jv = useLiveDoc<Record<string, unknown>>("settings/jv");
  return resolveJvSettings(jv.value.docs).settings;
}

/** The contract day of a timestamp, "YYYY-MM-DD", under the current settings ("—" when absent). */
export function useContractDayOf(): (t: Timestamp | Date | undefined | null) => string {
  const settings = useJvSettings();
  return (t) => {
    const at = toDate(t);
    return at ? contractDayOf(at, settings) : "—";
  };
}
