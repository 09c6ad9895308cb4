import { expect } from "chai";
import { internalError } from "../../src/agents/ingestion/ingest-production";

describe("ingestion logs", () => {
  it("log no key's sha256 when a Firestore error names the key's record", () => {
    const sha = "ab".repeat(32);
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let answer;
    try {
      answer = internalError(new Error(`5 NOT_FOUND: no entity to update: projects/demo/databases/(default)/documents/api_keys/${sha}`), {
        key_id: "k1",
      });
    } finally {
      process.stderr.write = original;
    }
    const log = written.join("");
    expect(log).to.contain("api_keys/<sha256>").and.to.contain('"key_id":"k1"');
    expect(log).to.not.contain(sha);
    expect(answer.status).to.equal(500);
  });
});
