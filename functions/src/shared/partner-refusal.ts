import { type DocumentSnapshot } from "firebase-admin/firestore";
import { HttpsError, type FunctionsErrorCode } from "firebase-functions/v2/https";
import { partnerWords } from "../domain/partner-words";

/** A call naming a partner that is absent or not active; `issues` keeps the field's key for programs. */
export function unusablePartner(code: FunctionsErrorCode, partnerId: string, partner: DocumentSnapshot): HttpsError {
  const message = partner.exists
    ? `${partnerWords(partnerId, partner.get("name"))} is not active: choose an active partner.`
    : `${partnerWords(partnerId, undefined)} does not exist: choose an active partner.`;
  return new HttpsError(code, message, {
    issues: [{ path: "partner_id", code: "custom", message: partner.exists ? "the partner is not active" : "no such partner" }],
  });
}
