import { expect } from "chai";
import fc from "fast-check";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { seedPartner } from "../support/seed";

/**
 * Property-based hostile input against the callables over HTTP: arbitrary JSON payloads and
 * near-miss payloads (right keys, wrong types or values). Every call must end in a clear,
 * specific rejection — never `internal`, never a 200 — and write nothing.
 */
const CLEAR_REJECTIONS = new Set(["INVALID_ARGUMENT", "NOT_FOUND", "FAILED_PRECONDITION", "PERMISSION_DENIED"]);

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("", " ", "a/b", "../x", "\u0000", "x".repeat(300), "__proto__"),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

const payloads = {
  reconcile: fc.oneof(anyJson, fc.record({ terminal_receipt_id: scalar }), fc.record({ terminal_receipt_id: scalar, extra: anyJson })),
  setUserRole: fc.oneof(
    anyJson,
    fc.record({ uid: scalar, role: fc.oneof(scalar, fc.constantFrom("admin", "jv_partner", "field_operator")) }),
    fc.record({ uid: scalar, role: scalar, partner_id: scalar }, { requiredKeys: ["uid"] }),
  ),
  verifyReconciliation: fc.oneof(anyJson, fc.record({ reconciliation_id: scalar })),
  exportStatement: fc.oneof(
    anyJson,
    fc.record(
      { reconciliation_id: scalar, format: fc.oneof(scalar, fc.constantFrom("pdf", "csv", "json")), partner_id: scalar },
      { requiredKeys: ["reconciliation_id"] },
    ),
  ),
  reviewEntry: fc.oneof(
    anyJson,
    fc.record({ entry_id: scalar, decision: fc.oneof(scalar, fc.constantFrom("approved", "rejected")), note: scalar }),
    fc.record({ entry_id: scalar, decision: fc.constantFrom("approved", "rejected") }, { requiredKeys: ["entry_id"] }),
  ),
};

const callers: Record<keyof typeof payloads, () => TestUser> = {
  reconcile: () => ({ uid: uniqueId("hostile-coord"), role: "jv_coordinator" }),
  setUserRole: () => ({ uid: uniqueId("hostile-admin"), role: "admin" }),
  verifyReconciliation: () => ({ uid: uniqueId("hostile-auditor"), role: "auditor" }),
  exportStatement: () => ({ uid: uniqueId("hostile-partner"), role: "jv_partner", partner_id: "hostile-partner" }),
  reviewEntry: () => ({ uid: uniqueId("hostile-reviewer"), role: "jv_coordinator" }),
};

describe("hostile input: callable payloads", () => {
  const runs = Number(process.env.HOSTILE_CALLABLE_RUNS ?? 300);
  const tally: Record<string, number> = {};

  // The partner the hostile jv_partner is bound to exists: its payloads reach the input checks, not a refusal of the account.
  before(() => seedPartner(adminDb(), "hostile-partner", "Hostile Partner"));

  after(() => {
    const total = Object.values(tally).reduce((a, b) => a + b, 0);
    console.log(`      hostile callable payloads: ${total} calls, answers by status ${JSON.stringify(tally)}`);
  });

  for (const name of Object.keys(payloads) as Array<keyof typeof payloads>) {
    it(`${name}: ${runs} generated payloads each get a clear rejection and write nothing`, async function () {
      this.timeout(300_000);
      const reconciliationsBefore = (await adminDb().collection("reconciliations").count().get()).data().count;
      const usersBefore = (await adminDb().collection("users").count().get()).data().count;
      const answers: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(payloads[name], async (data) => {
          const { status, error, result } = await callFunction(name, data, callers[name]());
          tally[error?.status ?? `HTTP_${status}`] = (tally[error?.status ?? `HTTP_${status}`] ?? 0) + 1;
          answers[error?.status ?? `HTTP_${status}`] = (answers[error?.status ?? `HTTP_${status}`] ?? 0) + 1;
          expect(result, `${name}(${JSON.stringify(data)}) answered a result`).to.equal(undefined);
          expect(CLEAR_REJECTIONS.has(error?.status ?? ""), `${name}(${JSON.stringify(data)}) -> ${JSON.stringify(error)}`).to.equal(true);
          expect(error!.message.length).to.be.greaterThan(10);
        }),
        { numRuns: runs, seed: 20261122 },
      );
      // The payloads reached the input checks: most of them are malformed.
      expect(answers.INVALID_ARGUMENT ?? 0, JSON.stringify(answers)).to.be.greaterThan(runs / 4);
      expect((await adminDb().collection("reconciliations").count().get()).data().count).to.equal(reconciliationsBefore);
      expect((await adminDb().collection("users").count().get()).data().count).to.equal(usersBefore);
    });
  }
});
