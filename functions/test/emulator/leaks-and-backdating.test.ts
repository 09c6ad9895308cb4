import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { adminDb, callFunction, uniqueId } from "../support/emulator";
import { entryData, seedPartner, waitForAudit, writeEntry } from "../support/production-entries";

describe("leaks: an internal error reaches the caller only as a correlation id", () => {
  it("verifyReconciliation on a document that breaks the hash answers internal with a reference, not the error's text", async () => {
    const id = `${uniqueId("broken")}_v1`;
    // NaN cannot be hashed as canonical JSON: the verifier throws a TypeError naming the field.
    await adminDb().doc(`reconciliations/${id}`).set({ secret_internal_field: Number.NaN, integrity_hash: "x" });
    const { error, result } = await callFunction(
      "verifyReconciliation",
      { reconciliation_id: id },
      { uid: uniqueId("auditor"), role: "auditor" },
    );
    expect(result).to.equal(undefined);
    expect(error?.status).to.equal("INTERNAL");
    // Either the pipeline's answer (a correlation id to quote) or, when the answer itself cannot
    // be encoded (a NaN echoed back as a stored value), firebase-functions' bare INTERNAL: never
    // the failure's own text.
    const details = error!.details as { correlation_id: string } | undefined;
    if (details !== undefined) {
      expect(details).to.have.keys(["correlation_id"]);
      expect(error!.message).to.equal(
        `FlowShare could not complete the request. The failure was logged with reference ${details.correlation_id}; quote it when you report the problem.`,
      );
    } else {
      expect(error!.message).to.equal("INTERNAL");
    }
    expect(JSON.stringify(error)).to.not.match(/canonical JSON|secret_internal_field|NaN|TypeError/);
  });
});

describe("backdating: a measurement before the 2000-01-01 floor is rejected with a reason", () => {
  it("an entry measured on 0001-01-01 is rejected, not validated", async function () {
    this.timeout(120_000);
    const partner = await seedPartner();
    const id = await writeEntry(entryData(partner, { measured_at: Timestamp.fromDate(new Date("0001-01-01T00:00:00Z")) }));
    const audit = await waitForAudit(id, undefined, 90_000);
    expect(audit.status).to.equal("rejected");
    const reason = audit.reasons.find((r: { code: string }) => r.code === "MEASURED_AT_BEFORE_FLOOR");
    expect(reason, JSON.stringify(audit.reasons)).to.include({ field: "measured_at", severity: "critical" });
    expect(reason.message).to.contain("before 2000-01-01");
  });
});
