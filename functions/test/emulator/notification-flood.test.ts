import { expect } from "chai";
import type { Timestamp } from "firebase-admin/firestore";
import { flagWindowKey, flaggedEntryNotificationId } from "../../src/domain/notification-ids";
import { auditInputHash } from "../../src/domain/production-entry";
import { notificationsOf, seedUsers, user } from "../support/communicator-world";
import { adminDb, uniqueId, waitUntil } from "../support/emulator";
import { entryData, seedPartner, waitForAudit } from "../support/production-entries";
import { fakeGemini } from "./setup";

describe("notification floods: a burst of edits of one flagged entry", () => {
  it("11 edits by one operator leave each recipient one notification, in the latest state, and ask the communicator's Gemini at most twice", async function () {
    this.timeout(180_000);
    const partner = await seedPartner();
    const operator = user("field_operator", partner);
    const coordinator = user("jv_coordinator");
    await seedUsers([operator, coordinator]);
    const id = uniqueId("flood");
    const ref = adminDb().doc(`production_entries/${id}`);
    // BS&W above the typical 1 % flags every version of the entry.
    await ref.set(entryData(partner, { bsw_percent: 2.0, gross_volume_bbl: 1000 }));
    const first = await waitForAudit(id);
    for (let i = 1; i <= 10; i++) await ref.update({ gross_volume_bbl: 1000 + i * 10 });

    const last = (await ref.get()).data()!;
    const lastHash = auditInputHash(last);
    const lastAudit = await waitForAudit(id, (a) => a.input_hash === lastHash, 90_000);
    // One notification per recipient and 15-minute window: a burst across a window's end holds two.
    const windows = new Set([first, lastAudit].map((a) => flagWindowKey((a.checked_at as Timestamp).toDate())));
    const latestId = flaggedEntryNotificationId(id, flagWindowKey((lastAudit.checked_at as Timestamp).toDate()), operator.uid);
    const settled = await waitUntil(
      "the notifications to show the last edit",
      async () => {
        const latest = await adminDb().doc(`notifications/${latestId}`).get();
        return latest.get("data.input_hash") === lastHash ? latest : undefined;
      },
      90_000,
    );
    expect(settled.get("body") ?? "").to.satisfy((body: string) => body.includes("1,100.00") || settled.get("summary_source") === "gemini");
    for (const u of [operator, coordinator]) expect(await notificationsOf(u.uid, { entry_id: id }), u.role).to.have.length(windows.size);

    const communicatorCalls = fakeGemini()
      .requests()
      .filter((r) => r.system?.includes("You write notifications for FlowShare") && r.prompt.includes(id)).length;
    const auditorCalls = fakeGemini()
      .requests()
      .filter((r) => r.system?.includes("flagged") && !r.system.includes("You write notifications") && r.prompt.includes(id)).length;
    console.log(
      `      flood: 11 edits -> ${windows.size} notification(s) per recipient; Gemini calls: auditor ${auditorCalls}, communicator ${communicatorCalls}`,
    );
    expect(communicatorCalls).to.be.within(1, 2);
  });
});
