/**
 * Whether a partner-bound account (field operator, partner user) can act: the security rules
 * refuse everything partner-scoped once its partner is deactivated or missing (firestore.rules,
 * partnerActive), and let the account read its own partner's document to be told so.
 */
export type PartnerStanding = { kind: "active" | "unknown" } | { kind: "inactive"; name: string } | { kind: "missing" };

export function partnerStanding(
  partnerId: string,
  read: { loading: boolean; error?: string; docs?: { name?: unknown; active?: unknown } },
): PartnerStanding {
  // Not read yet, or not readable (offline): the screens say what they can and cannot read.
  if (read.loading || read.error !== undefined) return { kind: "unknown" };
  if (!read.docs) return { kind: "missing" };
  if (read.docs.active === true) return { kind: "active" };
  return { kind: "inactive", name: typeof read.docs.name === "string" && read.docs.name !== "" ? read.docs.name : partnerId };
}
