import { expect } from "chai";
import { internalError } from "../../src/agents/ingestion/ingest-production";
import { toHttpsError } from "../../src/shared/callable";

const sha = "ab".repeat(32);
const keyRecordError = () => new Error(`5 NOT_FOUND: no entity to update: projects/demo/databases/(default)/documents/api_keys/${sha}`);

/** What `work` logs to stderr (the logger's errors and warnings). */
function logged(work: () => void): string {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stderr.write = original;
  }
  return written.join("");
}

describe("an API key's sha256 in the logs", () => {
  it("is left out when a Firestore error names the key's record, at the endpoint", () => {
    let status = 0;
    const log = logged(() => (status = internalError(keyRecordError(), { key_id: "k1" }).status));
    expect(log).to.contain("api_keys/<sha256>").and.to.contain('"key_id":"k1"');
    expect(log).to.not.contain(sha);
    expect(status).to.equal(500);
  });

  it("is left out of a callable's internal error (createApiKey, revokeApiKey)", () => {
    let code = "";
    const log = logged(() => (code = toHttpsError(keyRecordError(), { fn: "revokeApiKey", uid: "a1", ids: {} }).code));
    expect(log).to.contain("api_keys/<sha256>");
    expect(log).to.not.contain(sha);
    expect(code).to.equal("internal");
  });
});
