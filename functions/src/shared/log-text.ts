/**
 * A Firestore error names the document it failed on; an API key's record is named by the key's
 * sha256, which logs leave out (key_id names the key where it matters).
 */
export function withoutKeyHashes(text: string): string {
  return text.replace(/api_keys\/[0-9a-f]{64}/g, "api_keys/<sha256>");
}
