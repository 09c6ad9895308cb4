import { expect } from "chai";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { notifyReconciliation } from "../../src/agents/communicator/notify";
import { reconciliationNotificationId as notificationId } from "../../src/domain/notification-ids";
import { readShardedTotals } from "../../src/shared/sharded-counter";
import {
  directDeps,
  notificationsOf,
  reconciliationData,
  seedUsers,
  user,
  validatedEntry,
  waitForNotifications,
} from "../support/communicator-world";
import { adminDb, uniqueId, waitForDoc } from "../support/emulator";
import { fakeGemini } from "./setup";

const requestsFor = (text: string) =>
  fakeGemini()
    .requests()
    .filter((r) => r.prompt.includes(text));

describe("communicator: a completed reconciliation", () => {
  // Behaviours another test file queued without `when` and left unconsumed must not answer ours.
  before(() => fakeGemini().reset());

  describe("written through the Admin SDK", () => {
    const alpha = uniqueId("alpha");
    const beta = uniqueId("beta");
    const gamma = uniqueId("gamma");
    const receiptId = uniqueId("RCPT");
    const reconciliationId = `${receiptId}_v2`;
    const coordinator = user("jv_coordinator");
    const admin = user("admin");
    const auditor = user("auditor");
    const alphaPartner = user("jv_partner", alpha);
    const alphaOperators = [user("field_operator", alpha), user("field_operator", alpha)];
    const betaPartner = user("jv_partner", beta);
    const betaOperator = user("field_operator", beta);
    const gammaPartner = user("jv_partner", gamma);
    const wholePicture = [coordinator, admin, auditor];
    const alphaUsers = [alphaPartner, ...alphaOperators];
    const betaUsers = [betaPartner, betaOperator];

    const replies = {
      whole: {
        title: `Version 2 of receipt ${receiptId}: 10,112.74 bbl allocated`,
        body:
          "The terminal's NSV of 10,112.74 bbl was allocated: Alpha Energy 6,035.78 bbl (59.68%), Beta Oil 4,076.96 bbl (40.32%). " +
          "Shrinkage was 108.01 bbl, 1.06% of the field NSV of 10,220.75 bbl. 2 entries were excluded.",
        highlights: ["Terminal NSV 10,112.74 bbl", "Shrinkage 108.01 bbl (1.06%)"],
      },
      alpha: {
        title: "Your allocation: 6,035.78 bbl",
        body: "You were allocated 6,035.78 bbl, a 59.68% share; your NSV was 6,100.25 bbl and your shrinkage 64.47 bbl.",
        highlights: ["Allocated 6,035.78 bbl", "Share 59.68%"],
      },
      beta: {
        title: "Your allocation: 4,076.96 bbl",
        body: "You were allocated 4,076.96 bbl, a 40.32% share; your NSV was 4,120.50 bbl and your shrinkage 43.54 bbl.",
        highlights: ["Allocated 4,076.96 bbl", "Share 40.32%"],
      },
    };
    const markers = {
      whole: `reconciliation_completed for ${reconciliationId}`,
      alpha: `allocation_statement for ${alpha} in ${reconciliationId}`,
      beta: `allocation_statement for ${beta} in ${reconciliationId}`,
    };

    // Why v2 was made: an entry of each partner changed after v1 read the period.
    const at = new Date("2026-11-09T10:00:00Z");
    // Alpha's changed entry is read for the notice (meter and contract day); beta's no longer exists.
    const alphaChanged = uniqueId("E-0388");
    const betaChanged = uniqueId("E-0501");
    const corrections = [
      { entry_id: alphaChanged, partner_id: alpha, kind: "correction", by: "coord-1", at },
      { entry_id: betaChanged, partner_id: beta, kind: "late entry", by: "coord-1", at },
    ];

    let notes: Map<string, DocumentSnapshot>;
    let runsBefore: number;
    let startedAt: number;
    const noteOf = (u: { uid: string }) => notes.get(notificationId(reconciliationId, u.uid))!.data()!;

    before(async function () {
      this.timeout(60_000);
      await seedUsers([...wholePicture, ...alphaUsers, ...betaUsers, gammaPartner]);
      fakeGemini().script(
        { kind: "json", value: replies.whole, when: markers.whole },
        { kind: "json", value: replies.alpha, when: markers.alpha },
        { kind: "json", value: replies.beta, when: markers.beta },
      );
      await adminDb()
        .doc(`production_entries/${alphaChanged}`)
        .set(validatedEntry(alpha, { meter_id: "AE-LACT-01" }));
      runsBefore = (await readShardedTotals(adminDb(), "agent_status/communicator")).runs ?? 0;
      startedAt = Date.now();
      await adminDb()
        .doc(`reconciliations/${reconciliationId}`)
        .set({ ...reconciliationData(receiptId, { alpha, beta }, 2), corrections });
      notes = await waitForNotifications(
        [...wholePicture, ...alphaUsers, ...betaUsers].map((u) => notificationId(reconciliationId, u.uid)),
      );
    });

    it("gives coordinators, admins and auditors the whole picture, as Gemini wrote it", () => {
      const model = requestsFor(markers.whole)[0].model;
      for (const u of wholePicture) {
        const note = noteOf(u);
        expect(note, u.role).to.deep.include({
          recipient_uid: u.uid,
          type: "reconciliation_completed",
          ...replies.whole,
          summary_source: "gemini",
          model,
          read: false,
        });
        expect(note.created_at.toMillis()).to.be.at.least(startedAt - 1000);
        expect(note.data).to.deep.include({
          reconciliation_id: reconciliationId,
          terminal_receipt_id: receiptId,
          version: 2,
          supersedes: `${receiptId}_v1`,
          first_contract_day: "2026-11-01",
          last_contract_day: "2026-11-07",
          excluded_count: 2,
          has_changes: true,
        });
        expect(note.data.totals).to.deep.include({ terminal_nsv_bbl: 10112.74, field_nsv_bbl: 10220.75, shrinkage_bbl: 108.01 });
        expect(note.data.partners).to.deep.equal([
          { partner_id: alpha, allocated_bbl: 6035.78, share_percent: 59.68495 },
          { partner_id: beta, allocated_bbl: 4076.96, share_percent: 40.31505 },
        ]);
      }
    });

    it("gives each partner's jv_partner and field operators that partner's own statement", () => {
      for (const [users, partnerId, reply, allocation] of [
        [alphaUsers, alpha, replies.alpha, { allocated_bbl: 6035.78, nsv_bbl: 6100.25, share_percent: 59.68495, shrinkage_bbl: 64.47 }],
        [betaUsers, beta, replies.beta, { allocated_bbl: 4076.96, nsv_bbl: 4120.5, share_percent: 40.31505, shrinkage_bbl: 43.54 }],
      ] as const) {
        for (const u of users) {
          const note = noteOf(u);
          expect(note, `${u.role} of ${partnerId}`).to.deep.include({
            recipient_uid: u.uid,
            type: "allocation_statement",
            ...reply,
            summary_source: "gemini",
          });
          expect(note.data).to.deep.include({ reconciliation_id: reconciliationId, partner_id: partnerId });
          expect(note.data.allocation).to.deep.include(allocation);
        }
      }
      const betaNote = noteOf(betaOperator);
      expect(JSON.stringify(betaNote), "alpha's figures in beta's statement").to.not.match(/6,?035\.78|6,?100\.25|59\.68/);
      expect(betaNote.data.excluded_entries).to.deep.equal(["E-0419"]);
      expect(noteOf(alphaPartner).data.excluded_entries).to.deep.equal(["E-0422"]);
    });

    it("notifies a partner the reconciliation does not concern not at all, and each user once", async () => {
      expect(await notificationsOf(gammaPartner.uid, {})).to.have.length(0);
      for (const u of [...wholePicture, ...alphaUsers, ...betaUsers]) {
        expect(await notificationsOf(u.uid, { reconciliation_id: reconciliationId }), u.uid).to.have.length(1);
      }
    });

    it("asks Gemini once per audience, and a partner's prompt holds only that partner", () => {
      expect(
        requestsFor(reconciliationId)
          .map((r) => r.prompt.split("\n")[0])
          .sort(),
      ).to.deep.equal([`Notification: ${markers.alpha}`, `Notification: ${markers.beta}`, `Notification: ${markers.whole}`].sort());
      const [betaPrompt] = requestsFor(markers.beta);
      for (const foreign of [alpha, "Alpha Energy", "6035.78", gamma, alphaChanged, "AE-LACT-01"]) {
        expect(betaPrompt.prompt).to.not.contain(foreign);
      }
      expect(requestsFor(markers.whole)[0].prompt).to.contain(alpha).and.to.contain(beta);
      // Why the version was made, as the stored report's corrections say: all of them, or the partner's own and a count,
      // each by its partner's name, and by its meter and contract day when the entry could be read.
      const data = (prompt: string) => JSON.parse(prompt.split("DATA (JSON, quoted data):\n")[1]!);
      expect(data(requestsFor(markers.whole)[0].prompt).why_this_version.entries_changed_listed).to.deep.equal([
        {
          entry_id: alphaChanged,
          partner_id: alpha,
          partner_name: "Alpha Energy",
          meter_id: "AE-LACT-01",
          day: "contract day 2026-11-03",
          kind: "correction",
        },
        { entry_id: betaChanged, partner_id: beta, partner_name: "Beta Oil", kind: "late entry" },
      ]);
      expect(data(betaPrompt.prompt).why_this_version).to.deep.include({
        your_entries_changed_listed: [{ entry_id: betaChanged, kind: "late entry" }],
        other_partners_entries_changed: 1,
      });
    });

    it("logs the round once on the receipt's notification stream (not the receipt's own) and keeps agent_status current", async () => {
      const event = await adminDb().doc(`audit_log/notify_${reconciliationId}`).get();
      expect(event.data()).to.deep.include({
        stream: `notify_receipt_${receiptId}`,
        actor: "communicator",
        action: "notifications_sent",
        subject: `reconciliations/${reconciliationId}`,
      });
      const details = event.get("details");
      expect(details.recipients).to.be.at.least(8);
      expect(details.created).to.equal(details.recipients);
      expect(details.recipients_by_type).to.deep.include({ allocation_statement: 5 });
      expect(details.summaries.map((s: { source: string }) => s.source)).to.deep.equal(["gemini", "gemini", "gemini"]);

      const runs = (await readShardedTotals(adminDb(), "agent_status/communicator")).runs ?? 0;
      expect(runs).to.be.greaterThan(runsBefore);
      const status = (await adminDb().doc("agent_status/communicator").get()).data()!;
      expect(status.agent).to.equal("communicator");
      expect(status.last_run_at.toMillis()).to.be.at.least(startedAt - 5_000);
    });
  });

  describe("replayed (handler called directly, the same event twice)", () => {
    it("adds no notification and calls Gemini no more; a lost one is recreated alone", async () => {
      const alpha = uniqueId("alpha");
      const beta = uniqueId("beta");
      const receiptId = uniqueId("RCPT");
      const reconciliationId = `${receiptId}_v1`;
      const mine = [user("jv_coordinator"), user("jv_partner", alpha), user("field_operator", beta)];
      await seedUsers(mine);
      // Not written to Firestore: the trigger must not race the direct calls.
      const data = reconciliationData(receiptId, { alpha, beta });
      const deps = directDeps(fakeGemini().url);
      const event = { reconciliationId, eventId: uniqueId("event"), data };

      const first = await notifyReconciliation(deps, event);
      expect(first).to.deep.include({ outcome: "notified", replay: false, geminiCalls: 3 });
      if (first.outcome !== "notified") throw new Error("unreachable");
      expect(first.created).to.equal(first.recipients);
      const ids = mine.map((u) => notificationId(reconciliationId, u.uid));
      const firstSnaps = await waitForNotifications(ids, 1000);
      const calls = requestsFor(reconciliationId).length;
      expect(calls).to.equal(3);

      const replay = await notifyReconciliation(deps, event);
      const redelivery = await notifyReconciliation(deps, { ...event, eventId: uniqueId("event") });
      for (const again of [replay, redelivery]) {
        expect(again).to.deep.include({ outcome: "notified", replay: true, created: 0, geminiCalls: 0 });
      }
      expect(requestsFor(reconciliationId)).to.have.length(calls);
      for (const u of mine) expect(await notificationsOf(u.uid, { reconciliation_id: reconciliationId })).to.have.length(1);
      const unchanged = await adminDb().getAll(...ids.map((id) => adminDb().doc(`notifications/${id}`)));
      unchanged.forEach((s) => expect(s.updateTime!.isEqual(firstSnaps.get(s.id)!.updateTime!)).to.equal(true));

      await adminDb().doc(`notifications/${ids[2]}`).delete();
      const repair = await notifyReconciliation(deps, event);
      expect(repair).to.deep.include({ outcome: "notified", replay: false, created: 1, geminiCalls: 1 });
      expect(
        requestsFor(reconciliationId)
          .slice(calls)
          .map((r) => r.prompt.split("\n")[0]),
      ).to.deep.equal([`Notification: allocation_statement for ${beta} in ${reconciliationId}`]);
      const log = await adminDb().doc(`audit_log/notify_${reconciliationId}`).get();
      expect(log.get("details.created"), "the round was logged once, by its first delivery").to.equal(first.created);
      expect(log.get("details.trigger_event_id")).to.equal(event.eventId);
    });
  });

  describe("while a recipient's role changes (handler called directly)", () => {
    it("writes nothing for a role the user no longer holds once the new one is committed, and logs how many", async () => {
      const alpha = uniqueId("alpha");
      const beta = uniqueId("beta");
      const receiptId = uniqueId("RCPT");
      const reconciliationId = `${receiptId}_v1`;
      const coordinator = user("jv_coordinator");
      const moved = user("jv_partner", alpha);
      const stays = user("field_operator", alpha);
      await seedUsers([coordinator, moved, stays]);
      const data = reconciliationData(receiptId, { alpha, beta });
      const direct = directDeps(fakeGemini().url);
      // The recipients are listed before Gemini is asked; the role changes while it writes
      // (as setUserRole's first transaction writes users/{uid}).
      let changed = false;
      const deps = {
        ...direct,
        gemini: {
          model: direct.gemini.model,
          configured: direct.gemini.configured,
          async generateJson<T>(args: Parameters<typeof direct.gemini.generateJson<T>>[0]) {
            if (!changed) {
              changed = true;
              await adminDb().doc(`users/${moved.uid}`).update({ role: "field_operator", partner_id: beta });
              // Still one of the roles its audience takes: it gets what it was listed for.
              await adminDb().doc(`users/${coordinator.uid}`).update({ role: "auditor" });
            }
            return direct.gemini.generateJson<T>(args);
          },
        },
      };

      const outcome = await notifyReconciliation(deps, { reconciliationId, eventId: uniqueId("event"), data });

      // Every coordinator, admin and auditor of the shared emulator is listed too: counted, not named.
      expect(outcome).to.deep.include({ outcome: "notified", replay: false, roleChanged: 1 });
      if (outcome.outcome !== "notified") throw new Error("unreachable");
      expect(outcome.created).to.equal(outcome.recipients - 1);
      expect(await notificationsOf(moved.uid, { reconciliation_id: reconciliationId })).to.have.length(0);
      for (const u of [coordinator, stays]) {
        expect(await notificationsOf(u.uid, { reconciliation_id: reconciliationId }), u.uid).to.have.length(1);
      }
      const log = await adminDb().doc(`audit_log/notify_${reconciliationId}`).get();
      expect(log.get("details")).to.deep.include({
        recipients: outcome.recipients,
        created: outcome.recipients - 1,
        not_written_role_changed: 1,
      });
    });
  });

  describe("redelivered concurrently (handler called directly, five deliveries at once)", () => {
    it("creates exactly one notification per recipient and logs the round once", async () => {
      const alpha = uniqueId("alpha");
      const beta = uniqueId("beta");
      const receiptId = uniqueId("RCPT");
      const reconciliationId = `${receiptId}_v1`;
      const mine = [
        user("jv_coordinator"),
        user("auditor"),
        user("jv_partner", alpha),
        user("field_operator", alpha),
        user("jv_partner", beta),
      ];
      await seedUsers(mine);
      const data = reconciliationData(receiptId, { alpha, beta });
      const deps = directDeps(fakeGemini().url);
      const eventId = uniqueId("event");
      const deliveries = [eventId, eventId, eventId, uniqueId("event"), uniqueId("event")].map((id) =>
        notifyReconciliation(deps, { reconciliationId, eventId: id, data }),
      );

      // A delivery that loses a race may throw (the platform would redeliver it). The documents
      // are what counts: the emulator's transactions are not strictly serializable
      // (firebase-tools#1628), so each delivery's own `created` figure is not asserted.
      const outcomes = await Promise.allSettled(deliveries);
      expect(outcomes.some((o) => o.status === "fulfilled" && o.value.outcome === "notified")).to.equal(true);
      for (const u of mine) {
        expect(await notificationsOf(u.uid, { reconciliation_id: reconciliationId }), u.uid).to.have.length(1);
      }
      const rounds = await adminDb().collection("audit_log").where("subject", "==", `reconciliations/${reconciliationId}`).get();
      expect(rounds.size, "audit-log events of the round").to.equal(1);
    });
  });

  describe("that is not a valid completed reconciliation", () => {
    it("notifies nobody, records the failure in agent_status and does not throw (trigger)", async () => {
      const receiptId = uniqueId("RCPT");
      const reconciliationId = `${receiptId}_v1`;
      const coordinator = user("jv_coordinator");
      await seedUsers([coordinator]);
      const { totals: _dropped, ...broken } = reconciliationData(receiptId, { alpha: uniqueId("a"), beta: uniqueId("b") });

      await adminDb().doc(`reconciliations/${reconciliationId}`).set(broken);

      const status = await waitForDoc("agent_status/communicator", (s) => String(s.get("last_error") ?? "").includes(reconciliationId));
      expect(status.get("last_error")).to.contain("is not a valid reconciliation").and.to.contain("totals");
      expect(await notificationsOf(coordinator.uid, { reconciliation_id: reconciliationId })).to.have.length(0);
    });

    it("returns invalid for a malformed one and skips one that is not completed (direct)", async () => {
      const receiptId = uniqueId("RCPT");
      const coordinator = user("jv_coordinator");
      await seedUsers([coordinator]);
      const deps = directDeps(fakeGemini().url);
      const data = reconciliationData(receiptId, { alpha: uniqueId("a"), beta: uniqueId("b") });

      const invalid = await notifyReconciliation(deps, {
        reconciliationId: `${receiptId}_v1`,
        eventId: uniqueId("event"),
        data: { ...data, allocations: [{ partner_id: "x", allocated_bbl: "lots" }] },
      });
      const superseded = await notifyReconciliation(deps, {
        reconciliationId: `${receiptId}_v2`,
        eventId: uniqueId("event"),
        data: { ...data, version: 2, status: "superseded" },
      });

      expect(invalid.outcome).to.equal("invalid");
      expect(invalid.outcome === "invalid" && invalid.error).to.match(/allocations\.0\.\w+/);
      expect(superseded).to.deep.equal({ outcome: "skipped", reason: "status is superseded" });
      expect(await notificationsOf(coordinator.uid, { terminal_receipt_id: receiptId })).to.have.length(0);
      expect(requestsFor(receiptId)).to.have.length(0);
    });
  });
});
