import { expect } from "chai";
import { type Firestore, type Transaction } from "firebase-admin/firestore";
import { isEndedTransaction, runTransaction } from "../../src/shared/transaction";

/** The emulator's error for a transaction it ended while the transaction waited on another's locks. */
const ended = () => Object.assign(new Error("3 INVALID_ARGUMENT: Transaction is invalid or has expired."), { code: 3 });

/** A database whose transactions fail with the given errors, one per attempt, then run the update. */
function databaseFailing(...errors: Error[]): { db: Firestore; attempts: () => number } {
  let attempts = 0;
  const db = {
    runTransaction: async <T>(update: (tx: Transaction) => Promise<T>): Promise<T> => {
      const error = errors[attempts++];
      if (error) throw error;
      return update({} as Transaction);
    },
  } as unknown as Firestore;
  return { db, attempts: () => attempts };
}

describe("runTransaction", () => {
  it("runs a transaction the emulator ended again, and answers what the later attempt returned", async () => {
    const { db, attempts } = databaseFailing(ended(), ended());
    expect(await runTransaction(db, async () => "done")).to.equal("done");
    expect(attempts()).to.equal(3);
  });

  it("gives up after five attempts with the database's own error", async () => {
    const { db, attempts } = databaseFailing(ended(), ended(), ended(), ended(), ended(), ended());
    const error = await runTransaction(db, async () => "never").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain("Transaction is invalid or has expired");
    expect(attempts()).to.equal(5);
  });

  it("passes every other error through at once: a refusal, another invalid argument, contention the SDK already retried", async () => {
    const others = [
      Object.assign(new Error("You are the JV's only admin"), { code: "failed-precondition" }),
      Object.assign(new Error("3 INVALID_ARGUMENT: Property x contains an invalid nested entity."), { code: 3 }),
      Object.assign(new Error("10 ABORTED: Too much contention on these documents."), { code: 10 }),
    ];
    for (const other of others) {
      const { db, attempts } = databaseFailing(other);
      const error = await runTransaction(db, async () => "never").then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error, other.message).to.equal(other);
      expect(attempts(), other.message).to.equal(1);
      expect(isEndedTransaction(other), other.message).to.equal(false);
    }
    expect(isEndedTransaction(ended())).to.equal(true);
    expect(isEndedTransaction(null)).to.equal(false);
  });
});
