import type { Timestamp } from "firebase/firestore";
import { contractDayOf, contractPeriodText, resolveJvSettings, type JvSettings } from "../domain/jv-settings";
import { toDate } from "../format";
import { useLiveDoc } from "./live";

/** settings/jv as it is now (every role may read it), over the defaults while it loads. */
export function useJvSettings(): { settings: JvSettings; loading: boolean; error?: string } {
  const jv = useLiveDoc<Record<string, unknown>>("settings/jv");
  const { docs, loading, error } = jv.value;
  return { settings: resolveJvSettings(docs).settings, loading, error };
}

/** The contract day of a timestamp, "YYYY-MM-DD", under the current settings ("—" when absent). */
export function useContractDayOf(): (t: Timestamp | Date | undefined | null) => string {
  const { settings } = useJvSettings();
  return (t) => {
    const at = toDate(t);
    return at ? contractDayOf(at, settings) : "—";
  };
}

/** A report's or receipt's period [start, end) as the contract days it covers. */
export function usePeriodOf(): (start: Timestamp | Date | undefined, end: Timestamp | Date | undefined) => string {
  const { settings } = useJvSettings();
  return (start, end) => {
    const s = toDate(start);
    const e = toDate(end);
    return s && e ? contractPeriodText(s, e, settings) : "—";
  };
}
