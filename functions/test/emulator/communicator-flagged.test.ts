import { expect } from "chai";
import { type DocumentSnapshot, Timestamp } from "firebase-admin/firestore";
import { FLAG_NOTICES_PER_PARTNER_DAY, flagsEarlierThatDay, notifyFlaggedEntry } from "../../src/agents/communicator/notify";
import { appendAuditEvent } from "../../src/shared/audit-log";
import { entryAuditStream } from "../../src/shared/entry-stream";
import {
  FLAG_NOTIFY_WINDOW_MS,
  flagDigestNotificationId,
  flaggedEntryNotificationId,
  flagWindowKey,
} from "../../src/domain/notification-ids";
import { auditInputHash } from "../../src/domain/production-entry";
import {
  auditFor,
  directDeps,
  GROSS_OUTLIER,
  notificationsOf,
  seedUsers,
  user,
  validatedEntry,
  waitForNotifications,
} from "../support/communicator-world";
import { adminDb, uniqueId, waitForDoc, waitUntil } from "../support/emulator";
import { entryData, seedPartner, waitForAudit, writeEntry } from "../support/production-entries";
import { clearOfUtcMidnight } from "../support/test-day";
import { fakeGemini } from "./setup";

const requestsFor = (text: string) =>
  fakeGemini()
    .requests()
    .filter((r) => r.prompt.includes(text));

/** The entry's fields without its audit, as the auditor hashes them. */
function withoutAudit(entry: Record<string, unknown>): Record<string, unknown> {
  const { audit: _ignored, ...rest } = entry;
  return rest;
}

/** Waits until the notification shows a second revision (the debounced update). */
function waitUntilRevised(id: string): Promise<DocumentSnapshot> {
  return waitForDoc(`notifications/${id}`, (s) => s.exists && s.get("revision") === 2);
}

describe("communicator: a flagged entry", () => {
  // Behaviours another test file queued without `when` and left unconsumed must not answer ours.
  before(() => fakeGemini().reset());

  const alpha = uniqueId("alpha");
  const beta = uniqueId("beta");
  const entryId = uniqueId("entry");
  const coordinator = user("jv_coordinator");
  const admin = user("admin");
  const alphaOperators = [user("field_operator", alpha), user("field_operator", alpha)];
  const alphaPartner = user("jv_partner", alpha);
  const betaOperator = user("field_operator", beta);
  const auditor = user("auditor");
  const notified = [coordinator, admin, ...alphaOperators];
  const entryRef = () => adminDb().doc(`production_entries/${entryId}`);
  // A partner's and a meter's names with digits: Gemini names them, and they ground no figure.
  const partnerName = "Block 42 Energy";
  const meter = "LACT-01";
  const reply = {
    title: `${partnerName} · ${meter}, contract day 2026-11-03: flagged`,
    body: `The gross volume of 1,840.25 bbl on meter ${meter} of ${partnerName} is far above the partner's median. A coordinator must approve or reject it.`,
    highlights: ["Gross 1,840.25 bbl", "Flagged on 2026-11-03"],
  };

  // Every flag of this test is checked at the same instant: one debounce window.
  const checkedAt = Timestamp.fromDate(new Date());
  const notificationId = (entry: string, _hash: string, uid: string) =>
    flaggedEntryNotificationId(entry, flagWindowKey(checkedAt.toDate()), uid);
  const flaggedAudit = (fields: Record<string, unknown>) => ({ ...auditFor(fields, "flagged", [GROSS_OUTLIER]), checked_at: checkedAt });

  let entry: Record<string, unknown>;
  let firstHash: string;
  let notes: Map<string, DocumentSnapshot>;

  before(async function () {
    // The first trigger of this file may queue behind the previous file's events in a loaded CI run.
    this.timeout(150_000);
    await seedUsers([...notified, alphaPartner, betaOperator, auditor]);
    await adminDb().doc(`partners/${alpha}`).set({ name: partnerName, active: true });
    entry = validatedEntry(alpha, { meter_id: meter });
    firstHash = auditInputHash(entry);
    expect((entry.audit as { input_hash: string }).input_hash).to.equal(firstHash);
    await entryRef().set(entry);
    fakeGemini().script({ kind: "json", value: reply, when: `entry_flagged for ${entryId}` });
    // The auditor's write: same measured fields, the verdict now flagged.
    await entryRef().update({ audit: flaggedAudit(withoutAudit(entry)) });
    notes = await waitForNotifications(
      notified.map((u) => notificationId(entryId, firstHash, u.uid)),
      120_000,
    );
  });

  it("notifies coordinators, admins and the partner's field operators with the entry, the findings and the explanation", () => {
    for (const u of notified) {
      const note = notes.get(notificationId(entryId, firstHash, u.uid))!.data()!;
      expect(note, u.role).to.deep.include({
        recipient_uid: u.uid,
        type: "entry_flagged",
        ...reply,
        summary_source: "gemini",
        read: false,
      });
      expect(note.data).to.deep.equal({
        entry_id: entryId,
        partner_id: alpha,
        partner_name: partnerName,
        contract_day: "2026-11-03",
        audit_status: "flagged",
        input_hash: firstHash,
        reason_codes: ["GROSS_OUTLIER"],
        explanation_source: "rules",
      });
    }
    const [request] = requestsFor(`entry_flagged for ${entryId}`);
    expect(request.prompt).to.contain(GROSS_OUTLIER.message).and.to.contain("twice this partner's median");
    expect(request.prompt).to.contain(`"partner_name": "${partnerName}"`).and.to.contain(`"meter_id": "${meter}"`);
  });

  it("does not notify the partner's jv_partner, another partner's operators or auditors", async () => {
    for (const u of [alphaPartner, betaOperator, auditor]) {
      expect(await notificationsOf(u.uid, { entry_id: entryId }), u.role).to.have.length(0);
    }
  });

  it("a correction flagged again in the same window updates the same notifications to the latest state, without asking Gemini", async function () {
    this.timeout(60_000);
    const corrected = { ...withoutAudit(entry), gross_volume_bbl: 1790.5, correction_note: "re-gauged" };
    const secondHash = auditInputHash(corrected);
    expect(secondHash).to.not.equal(firstHash);
    const asked = requestsFor(entryId).length;

    await entryRef().update({ gross_volume_bbl: 1790.5, correction_note: "re-gauged", audit: flaggedAudit(corrected) });
    const coordinatorNote = notificationId(entryId, secondHash, coordinator.uid);
    const again = await waitForNotifications([coordinatorNote]);
    const note = (await waitUntilRevised(coordinatorNote)).data()!;

    expect(again.size).to.equal(1);
    expect(note.summary_source).to.equal("template");
    expect(note.data.input_hash).to.equal(secondHash);
    expect(note.data.summary_fallback.reason).to.equal("debounced");
    expect(note.title).to.equal(`${partnerName} · ${meter}, contract day 2026-11-03: flagged, 1 finding`);
    expect(note.body).to.contain(
      `The auditor flagged the production entry of ${partnerName} on meter ${meter} for contract day 2026-11-03.`,
    );
    expect(note.body).to.contain(`Entry id ${entryId}.`);
    expect(note.body).to.contain("gross 1,790.50 bbl");
    expect(note.body).to.contain(`- [warning] Gross volume: ${GROSS_OUTLIER.message}`);
    expect(note.revision).to.equal(2);
    for (const u of notified) expect(await notificationsOf(u.uid, { entry_id: entryId }), u.role).to.have.length(1);
    expect(requestsFor(entryId), "no Gemini call for the debounced flag").to.have.length(asked);
  });

  it("ignores a review, a rewrite of the same flag and other verdicts, and adds none on a replay (direct)", async () => {
    const deps = directDeps(fakeGemini().url);
    const flagged = (await entryRef().get()).data()!;
    const hash = (flagged.audit as { input_hash: string }).input_hash;
    const callsBefore = requestsFor(entryId).length;

    const skipped = [
      await notifyFlaggedEntry(deps, {
        entryId,
        eventId: uniqueId("e"),
        before: flagged,
        after: { ...flagged, review: { decision: "approved" } },
      }),
      await notifyFlaggedEntry(deps, {
        entryId,
        eventId: uniqueId("e"),
        before: flagged,
        after: { ...flagged, audit: { ...(flagged.audit as object), rules_version: "next" } },
      }),
      await notifyFlaggedEntry(deps, { entryId, eventId: uniqueId("e"), before: undefined, after: undefined }),
    ];
    const replay = await notifyFlaggedEntry(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: { ...flagged, audit: undefined },
      after: flagged,
    });

    skipped.forEach((s) => expect(s).to.deep.equal({ outcome: "skipped", reason: "not a new flag or rejection" }));
    // A rejection the entry does not carry (the stored entry is still flagged) writes nothing.
    expect(
      await notifyFlaggedEntry(deps, {
        entryId,
        eventId: uniqueId("e"),
        before: flagged,
        after: { ...flagged, audit: { ...(flagged.audit as object), status: "rejected" } },
      }),
    ).to.deep.equal({ outcome: "skipped", reason: "a newer verdict of the entry superseded this one" });
    expect(replay).to.deep.include({ outcome: "notified", replay: true, created: 0, geminiCalls: 0 });
    expect(requestsFor(entryId)).to.have.length(callsBefore);
    const window = flagWindowKey((flagged.audit as { checked_at: Timestamp }).checked_at.toDate());
    expect(
      (
        await adminDb()
          .doc(`audit_log/notify_${entryId}_${hash.slice(0, 16)}_w${window}`)
          .get()
      ).get("stream"),
    ).to.equal(`partner_${alpha}`);
  });

  it("a partner renamed between an attempt and its retry makes no second notice: the retry writes only the missing one, under the new name (direct)", async () => {
    const flagged = (await entryRef().get()).data()!;
    const lost = notificationId(entryId, "", alphaOperators[0]!.uid);
    await adminDb().doc(`notifications/${lost}`).delete();
    await adminDb().doc(`partners/${alpha}`).update({ name: "Block 43 Energy" });
    try {
      const retry = await notifyFlaggedEntry(directDeps(fakeGemini().url), {
        entryId,
        eventId: uniqueId("e"),
        before: { ...flagged, audit: undefined },
        after: flagged,
      });
      expect(retry).to.deep.include({ outcome: "notified", replay: false, created: 1 });
      for (const u of notified) expect(await notificationsOf(u.uid, { entry_id: entryId }), u.role).to.have.length(1);
      expect((await adminDb().doc(`notifications/${lost}`).get()).get("title")).to.equal(
        `Block 43 Energy · ${meter}, contract day 2026-11-03: flagged, 1 finding`,
      );
    } finally {
      await adminDb().doc(`partners/${alpha}`).update({ name: partnerName });
    }
  });

  it("the same flag again in a later window (figures put back after a correction) notifies again, and the log has both rounds (direct)", async () => {
    const deps = directDeps(fakeGemini().url);
    const flagged = (await entryRef().get()).data()!;
    const audit = flagged.audit as { input_hash: string; checked_at: Timestamp };
    const later = Timestamp.fromMillis(audit.checked_at.toMillis() + 2 * FLAG_NOTIFY_WINDOW_MS);
    const again = await notifyFlaggedEntry(deps, {
      entryId,
      eventId: uniqueId("e"),
      before: { ...flagged, audit: undefined },
      after: { ...flagged, audit: { ...audit, checked_at: later } },
    });
    expect(again).to.deep.include({ outcome: "notified", replay: false, debounced: false });
    const rounds = await adminDb()
      .collection("audit_log")
      .where("subject", "==", `production_entries/${entryId}`)
      .where("action", "==", "notifications_sent")
      .get();
    const windows = rounds.docs.filter((d) => d.id.includes(audit.input_hash.slice(0, 16))).map((d) => d.get("details.window"));
    expect(windows).to.include.members([flagWindowKey(audit.checked_at.toDate()), flagWindowKey(later.toDate())]);
  });

  it("returns invalid for a flagged entry it cannot read, notifying nobody (direct)", async () => {
    const reviewer = user("jv_coordinator");
    await seedUsers([reviewer]);
    const broken = { ...validatedEntry(alpha), gross_volume_bbl: "a lot" };
    const after = { ...broken, audit: { ...auditFor(withoutAudit(broken), "flagged", [GROSS_OUTLIER]) } };

    const brokenId = uniqueId("entry");

    const result = await notifyFlaggedEntry(directDeps(fakeGemini().url), {
      entryId: brokenId,
      eventId: uniqueId("e"),
      before: broken,
      after,
    });

    expect(result.outcome).to.equal("invalid");
    expect(result.outcome === "invalid" && result.error).to.contain("gross_volume_bbl");
    expect(await notificationsOf(reviewer.uid, { entry_id: brokenId })).to.have.length(0);
  });
});

describe("communicator: a rejected entry", () => {
  const gamma = uniqueId("gamma");
  const entryId = uniqueId("rejected");
  const coordinator = user("jv_coordinator");
  const operator = user("field_operator", gamma);
  const gammaPartner = user("jv_partner", gamma);
  const BSW_RANGE = {
    code: "BSW_RANGE",
    field: "bsw_percent",
    severity: "critical",
    message: "BS&W of 0.45 % is outside the allowed 0-0.40 % for this meter.",
  };

  it("tells the partner's field operators and the coordinators that the operator must correct it (entry_rejected)", async function () {
    this.timeout(60_000);
    await seedUsers([coordinator, operator, gammaPartner]);
    const entry = validatedEntry(gamma);
    const ref = adminDb().doc(`production_entries/${entryId}`);
    await ref.set(entry);
    const audit = { ...auditFor(withoutAudit(entry), "rejected", [BSW_RANGE]), checked_at: Timestamp.fromDate(new Date()) };
    await ref.update({ audit });
    const id = (uid: string) => flaggedEntryNotificationId(entryId, flagWindowKey(audit.checked_at.toDate()), uid);
    const notes = await waitForNotifications([coordinator.uid, operator.uid].map(id));
    for (const u of [coordinator, operator]) {
      const note = notes.get(id(u.uid))!.data()!;
      expect(note.type, u.role).to.equal("entry_rejected");
      expect(note.data).to.deep.include({ entry_id: entryId, audit_status: "rejected", reason_codes: ["BSW_RANGE"] });
      // The rules' verdict in the standard text: Gemini is not asked about a rejection.
      expect(note, u.role).to.deep.include({ summary_source: "template" });
      expect(note.data.summary_fallback.reason).to.equal("rules_verdict");
      // A partner without a partners document is named by its id.
      expect(note.title).to.equal(`${gamma} · M-7, contract day 2026-11-03: rejected, 1 finding`);
      expect(note.body).to.contain(`Entry id ${entryId}.`);
      expect(note.body).to.contain("the field operator who entered it corrects its measured fields");
    }
    expect(requestsFor(entryId), "Gemini was not asked").to.have.length(0);
    expect(await notificationsOf(gammaPartner.uid, { entry_id: entryId })).to.have.length(0);
  });

  it("tells the coordinators of an entry whose partner id cannot be a document id, logging the round in entries_unknown", async function () {
    this.timeout(60_000);
    await seedUsers([coordinator]);
    const slashed = uniqueId("slashed");
    const entry = { ...validatedEntry(gamma), partner_id: `${gamma}/x` };
    const ref = adminDb().doc(`production_entries/${slashed}`);
    await ref.set(entry);
    const audit = { ...auditFor(withoutAudit(entry), "rejected", [BSW_RANGE]), checked_at: Timestamp.fromDate(new Date()) };
    await ref.update({ audit });
    const id = flaggedEntryNotificationId(slashed, flagWindowKey(audit.checked_at.toDate()), coordinator.uid);
    const note = (await waitForNotifications([id])).get(id)!.data()!;
    expect(note.type).to.equal("entry_rejected");
    const logged = await adminDb()
      .collection("audit_log")
      .where("subject", "==", `production_entries/${slashed}`)
      .where("action", "==", "notifications_sent")
      .get();
    expect(logged.docs.map((d) => d.get("stream"))).to.deep.equal(["entries_unknown"]);
  });
});

describe("communicator: a flood of one partner's flags in a day", () => {
  it("counts a partner's flags and rejections in the contract day the flag falls in, not the UTC day (direct)", async () => {
    const partner = uniqueId("contract-day-flags");
    const stream = entryAuditStream(partner);
    const logged: Array<[string, string]> = [
      ["2026-03-14T04:30:00Z", "flagged"],
      ["2026-03-14T05:00:00Z", "rejected"],
      ["2026-03-14T05:30:00Z", "flagged"],
      ["2026-03-14T06:00:00Z", "validated"],
      ["2026-03-15T04:59:00Z", "flagged"],
    ];
    for (const [i, [at, verdict]] of logged.entries()) {
      const appended = await appendAuditEvent(
        adminDb(),
        {
          eventId: `${partner}_${i}`,
          stream,
          actor: "auditor",
          action: "entry_audited",
          subject: `production_entries/${partner}-${i}`,
          details: { verdict },
        },
        new Date(at),
      );
      expect(appended).to.equal(true);
    }
    // 06:00 at UTC+01:00: contract day 2026-03-14 runs from 05:00Z on the 14th to 05:00Z on the 15th.
    const sixAtPlusOne = { contract_day_start_hour: 6, utc_offset_minutes: 60 };
    expect(await flagsEarlierThatDay(adminDb(), partner, new Date("2026-03-15T04:59:30Z"), sixAtPlusOne)).to.deep.equal({
      day: "2026-03-14",
      earlier: 3,
    });
    expect(await flagsEarlierThatDay(adminDb(), partner, new Date("2026-03-14T05:00:00Z"), sixAtPlusOne)).to.deep.equal({
      day: "2026-03-14",
      earlier: 0,
    });
    expect(await flagsEarlierThatDay(adminDb(), partner, new Date("2026-03-14T04:59:00Z"), sixAtPlusOne)).to.deep.equal({
      day: "2026-03-13",
      earlier: 1,
    });
    // The same flags on UTC days (no settings/jv): the 15th has one before 04:59:30Z.
    const utc = { contract_day_start_hour: 0, utc_offset_minutes: 0 };
    expect(await flagsEarlierThatDay(adminDb(), partner, new Date("2026-03-15T04:59:30Z"), utc)).to.deep.equal({
      day: "2026-03-15",
      earlier: 1,
    });
  });

  it(`tells the first ${FLAG_NOTICES_PER_PARTNER_DAY} one by one, and the others in one notice for the day`, async function () {
    this.timeout(300_000);
    // The flags are counted per contract day of their audits' time (00:00 UTC here): all on one.
    await clearOfUtcMidnight(this, 120_000);
    const partner = await seedPartner({ name: "Flood Ridge Oil" });
    const coordinator = user("jv_coordinator");
    const operator = user("field_operator", partner);
    await seedUsers([coordinator, operator]);
    // BS&W 2 %: the auditor flags each, and logs each flag in the partner's chain.
    const ids = await Promise.all(
      Array.from({ length: FLAG_NOTICES_PER_PARTNER_DAY + 2 }, (_, i) =>
        writeEntry(entryData(partner, { bsw_percent: 2, meter_id: `F-${i}` })),
      ),
    );
    const audits = await Promise.all(ids.map((id) => waitForAudit(id)));
    expect(audits.every((a) => a.status === "flagged")).to.equal(true);
    const times = audits.map((a) => (a.checked_at as unknown as Timestamp).toMillis());
    const day = new Date(Math.min(...times)).toISOString().slice(0, 10);
    expect(
      times.every((t) => new Date(t).toISOString().slice(0, 10) === day),
      "one UTC day",
    ).to.equal(true);
    // Told one by one: those with fewer than the day's limit flagged strictly before them (ties count alike).
    const oneByOne = ids.filter((_, i) => times.filter((t) => t < times[i]!).length < FLAG_NOTICES_PER_PARTNER_DAY).sort();
    expect(oneByOne.length).to.be.within(FLAG_NOTICES_PER_PARTNER_DAY, ids.length - 1);

    const digestIds = [coordinator, operator].map((u) => flagDigestNotificationId(partner, day, u.uid));
    const digests = await waitForNotifications(digestIds, 180_000);
    for (const [i, u] of [coordinator, operator].entries()) {
      const note = digests.get(digestIds[i]!)!.data()!;
      expect(note).to.deep.include({ recipient_uid: u.uid, type: "entry_flagged", summary_source: "template" });
      expect(note.title).to.equal(
        `Flood Ridge Oil: more than ${FLAG_NOTICES_PER_PARTNER_DAY} entries flagged or rejected on contract day ${day}`,
      );
      expect(note.data).to.deep.include({ partner_id: partner, day, digest: true });
    }
    await waitForNotifications(
      oneByOne.map((id) => flaggedEntryNotificationId(id, flagWindowKey(new Date(times[ids.indexOf(id)]!)), operator.uid)),
      180_000,
    );
    // Every round is over (each entry's own, and the digest's, logged once), then nothing more arrives.
    await waitUntil(
      "every flag's notice round logged",
      async () => {
        const logged = await adminDb()
          .collection("audit_log")
          .where("stream", "==", `partner_${partner}`)
          .where("action", "==", "notifications_sent")
          .get();
        return logged.size >= oneByOne.length + 1 || undefined;
      },
      120_000,
    );
    const mine = (await notificationsOf(operator.uid, {})).filter((n) => n.get("data.partner_id") === partner);
    expect(mine.filter((n) => n.get("data.digest") === true)).to.have.length(1);
    expect(
      mine
        .filter((n) => typeof n.get("data.entry_id") === "string")
        .map((n) => n.get("data.entry_id"))
        .sort(),
    ).to.deep.equal(oneByOne);
  });
});
