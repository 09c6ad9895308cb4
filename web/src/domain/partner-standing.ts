/**
 * Whether a partner-bound account (field operator, partner user) can act: the security rules
 * refuse everything partner-scoped once its partner is deactivated or missing (firestore.rules,
 * partnerActive), and let the account read its own partner's document to be told so. A partner
 * that left the JV (left_jv_on and left_at set) is "former": its partner users keep reading what
 * came before left_at (isFormerPartner in the rules); its operators are cut off.
 */
export type PartnerStanding =
  | { kind: "active" | "unknown" }
  | { kind: "inactive"; name: string }
  | { kind: "former"; name: string; left: PartnerLeft }
  | { kind: "missing" };

/** When the partner left: its first contract day outside the JV, and that day's start. */
export interface PartnerLeft {
  on: string;
  at: Date;
}

export function partnerStanding(
  partnerId: string,
  read: { loading: boolean; error?: string; docs?: { name?: unknown; active?: unknown; left_jv_on?: unknown; left_at?: unknown } },
): PartnerStanding {
  // Not read yet, or not readable (offline): the screens say what they can and cannot read.
  if (read.loading || read.error !== undefined) return { kind: "unknown" };
  if (!read.docs) return { kind: "missing" };
  if (read.docs.active === true) return { kind: "active" };
  const name = typeof read.docs.name === "string" && read.docs.name !== "" ? read.docs.name : partnerId;
  const at = dateOf(read.docs.left_at);
  if (typeof read.docs.left_jv_on === "string" && at) return { kind: "former", name, left: { on: read.docs.left_jv_on, at } };
  return { kind: "inactive", name };
}

/** A Firestore Timestamp (anything with toDate) or a Date. */
function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (value && typeof (value as { toDate?: unknown }).toDate === "function") {
    const date = (value as { toDate: () => unknown }).toDate();
    return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
  }
  return undefined;
}
