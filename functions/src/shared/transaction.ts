import { type Firestore, type Transaction } from "firebase-admin/firestore";
import { codeOf } from "./firestore-errors";

const INVALID_ARGUMENT = 3;
const EXTRA_ATTEMPTS = 4;
const BACKOFF_MS = 50;

/**
 * `db.runTransaction`, read again also when the database ended the transaction under it.
 * Production says so as "The referenced transaction has expired or is no longer valid", which the
 * Admin SDK retries by itself. The Firestore emulator says "Transaction is invalid or has expired"
 * when it ends a transaction that waited on another's locks, which the SDK does not recognise: two
 * admins demoting each other at once then failed with that text instead of one being refused as
 * the last admin. Nothing of an ended transaction was written, so the work is safe to run again.
 */
export async function runTransaction<T>(db: Firestore, update: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.runTransaction(update);
    } catch (error) {
      if (attempt >= EXTRA_ATTEMPTS || !isEndedTransaction(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** The database ended the transaction (in the emulator's words): retrying it is the same as a first try. */
export function isEndedTransaction(error: unknown): boolean {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return codeOf(error) === INVALID_ARGUMENT && typeof message === "string" && /transaction is invalid or has expired/i.test(message);
}
