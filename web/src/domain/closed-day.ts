/**
 * What an operator does about a closed contract day: the rules refuse its writes there, and late
 * data goes through a coordinator or admin, who adds a missed ticket as a late entry or corrects
 * an entry, with a note saying why (docs/monthly-close.md). The app cannot name them: an operator
 * reads a person by uid only, and nothing it may read says who the coordinators are.
 */
export function closedDayNextStep(day: string, change: "add" | "correct"): string {
  return change === "add"
    ? `Operators cannot add entries to ${day}: ask a JV coordinator (or an admin) to add the ticket as a late entry, with a note saying why.`
    : `Operators cannot change the entries of ${day}: ask a JV coordinator (or an admin) to correct this entry, with a note saying why.`;
}

/**
 * Why an operator may not correct an entry itself, when it may not (the rules' operator update):
 * a coordinator corrected or entered it, another account filed it (another operator, a gateway's
 * key), or its day is closed. Undefined when it may.
 */
export function operatorMayNotCorrect(
  entry: { correction_note?: string | null; created_by?: string },
  uid: string,
  dayClosed: boolean,
): string | undefined {
  if (entry.correction_note) return "a coordinator corrected or entered it, so only a coordinator (or an admin) can change it";
  if (entry.created_by !== uid) return "only the account that filed it, or a coordinator, can change it";
  if (dayClosed) return "its contract day is closed";
  return undefined;
}
