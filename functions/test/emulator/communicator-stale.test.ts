/**
 * The stale-version notice (communicator/stale.ts) as a retried or late event meets it: it tells
 * the coordinators only while the version is still stale from the change the event names.
 */
import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { notifyStaleReconciliation } from "../../src/agents/communicator/stale";
import { adminDb, uniqueId } from "../support/emulator";
import { directDeps, reconciliationData, seedUsers, user, validatedEntry } from "../support/communicator-world";

describe("communicator: the stale-version notice", () => {
  const coordinator = user("jv_coordinator");
  const partner = uniqueId("partner");
  const changed = uniqueId("e-late");
  before(async () => {
    await seedUsers([coordinator]);
    await adminDb().doc(`partners/${partner}`).set({ name: "Northwind Energy", active: true });
    await adminDb()
      .doc(`production_entries/${changed}`)
      .set(validatedEntry(partner, { meter_id: "NWE-LACT-01" }));
  });

  async function staleVersion(stored: Record<string, unknown>) {
    const receiptId = uniqueId("stale");
    const id = `${receiptId}_v1`;
    const marked = {
      ...reconciliationData(receiptId, { alpha: `${receiptId}-a`, beta: `${receiptId}-b` }),
      stale: true,
      stale_since: Timestamp.fromMillis(Date.parse("2026-11-20T10:00:00Z")),
      stale_entry_ids: [changed, "e-gone"],
    };
    await adminDb()
      .doc(`reconciliations/${id}`)
      .set({ ...marked, ...stored });
    const event = { reconciliationId: id, before: { ...marked, stale: false }, after: marked };
    const notices = async () =>
      (await adminDb().collection("notifications").where("recipient_uid", "==", coordinator.uid).get()).docs.filter(
        // The version's creation tells of it too (notifyOnReconciliation): only the stale notice counts here.
        (d) => d.get("data.reconciliation_id") === id && d.get("type") === "reconciliation_stale",
      );
    return { event, notices };
  }

  it("tells the coordinators of a version still stale from the change the event names", async () => {
    const { event, notices } = await staleVersion({});
    const result = await notifyStaleReconciliation(directDeps("http://127.0.0.1:9"), event);
    expect(result).to.deep.include({ outcome: "notified" });
    const [notice] = await notices();
    const receiptId = event.reconciliationId.replace(/_v1$/, "");
    expect(notice!.get("title")).to.equal(`Version 1 of receipt ${receiptId} is out of date`);
    // The changed entries as coordinators know them; one no longer there by its id.
    expect(notice!.get("body")).to.equal(
      [
        "Production entries of its closed period changed during or after its close:",
        `- Northwind Energy · NWE-LACT-01, contract day 2026-11-03 (entry ${changed})`,
        "- entry e-gone",
        `Reconcile receipt ${receiptId} again to make version 2; each partner's change becomes a prior-period adjustment for you to approve or reject.`,
      ].join("\n"),
    );
  });

  for (const [what, stored] of [
    ["answered by a re-run since", { stale: false, stale_resolved_at: Timestamp.now() }],
    ["superseded since", { status: "superseded" }],
    ["stale again from a later change", { stale_since: Timestamp.fromMillis(Date.parse("2026-11-21T10:00:00Z")) }],
  ] as const) {
    it(`tells nobody when the version was ${what}`, async () => {
      const { event, notices } = await staleVersion(stored);
      const result = await notifyStaleReconciliation(directDeps("http://127.0.0.1:9"), event);
      expect(result).to.deep.equal({
        outcome: "skipped",
        reason: "the version is no longer stale from this change (reconciled again or superseded)",
      });
      expect(await notices()).to.have.length(0);
    });
  }
});
