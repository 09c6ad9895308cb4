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
