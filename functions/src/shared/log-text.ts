/**
 * A Firestore error names the document it failed on; an API key's record is named by the key's
 * sha256, which logs leave out (key_id names the key where it matters).
 */
export function withoutKeyHashes(text: string): string {
  return text.replace(/api_keys\/[0-9a-f]{64}/g, "api_keys/<sha256>");
}

/** An unexpected error's message and stack, as an internal-error log line carries them. */
export function errorForLog(error: unknown): { error: string; stack: string | undefined } {
  return {
    error: withoutKeyHashes(error instanceof Error ? error.message : String(error)),
    stack: error instanceof Error && error.stack ? withoutKeyHashes(error.stack) : undefined,
  };
}
