/** Firestore's gRPC status codes as the Admin SDK reports them on its errors (`error.code`). */
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;
const ABORTED = 10;
const UNAVAILABLE = 14;

/** The code an error carries (a gRPC status number, a Node or Auth code string), if any. */
export function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null | undefined)?.code;
}

/** A create met a document that exists: nothing of its commit was written. */
export function isAlreadyExists(error: unknown): boolean {
  return codeOf(error) === ALREADY_EXISTS;
}

/** A write's precondition did not hold (an update time that moved, a document absent or present): nothing was written. */
export function isUnmetPrecondition(error: unknown): boolean {
  const code = codeOf(error);
  return code === FAILED_PRECONDITION || code === NOT_FOUND || code === ALREADY_EXISTS;
}

/**
 * A transaction lost to others on the same documents after the SDK's own attempts ("Too much
 * contention", the emulator's "Transaction lock timeout"): nothing of it was written, and the
 * same work read again may well go through.
 */
export function isContention(error: unknown): boolean {
  return codeOf(error) === ABORTED;
}

/** A failure of the database's moment (contention, an outage, a timeout), not of the request or the code. */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code === ABORTED || code === UNAVAILABLE || code === DEADLINE_EXCEEDED || code === RESOURCE_EXHAUSTED;
}
