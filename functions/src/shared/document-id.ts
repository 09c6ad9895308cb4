import { z } from "zod";
import { BOUNDED_ID_RULE, isBoundedId } from "../domain/bounded-id";

/** An id a callable may use as a Firestore document id: Firestore's own constraints, as schema issues. */
export const documentId = (maxLength = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(maxLength)
    .refine((id) => !id.includes("/"), { message: "must not contain '/'" })
    .refine((id) => id !== "." && id !== "..", { message: "must not be '.' or '..'" })
    .refine((id) => !/^__.*__$/.test(id), { message: "must not have the form __name__ (reserved by Firestore)" });

/** A stored reference that can be read as a document id (one written outside FlowShare may name anything, "a/b" too). */
export const isDocumentIdLike = (id: unknown): id is string =>
  typeof id === "string" && id !== "" && id.length <= 1500 && !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id);

/** The id of an entry or a receipt (domain/bounded-id.ts; firestore.rules checks the same). */
export const boundedId = () =>
  z
    .string()
    .trim()
    .refine(isBoundedId, { message: `must be ${BOUNDED_ID_RULE}` });
