import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Timestamp, type DocumentReference } from "firebase-admin/firestore";
import { apiKeySha256 } from "../../src/domain/api-key";
import { handleIngest, type IngestDeps, type IngestRequest } from "../../src/agents/ingestion/ingest-production";
import { KnownKeys, RateLimitedKeys, type InstanceMemory } from "../../src/agents/ingestion/instance-memory";
import { Recent } from "../../src/shared/recent";
import { DEFAULT_JV_SETTINGS } from "../../src/domain/jv-settings";
import { systemClock } from "../../src/shared/clock";
import { adminDb, uniqueId } from "../support/emulator";
import { createKey, partnerEntryCount, settingsChangedAfterRead, ticket } from "../support/ingestion";
import { seedPartner } from "../support/production-entries";
import { closeDay } from "../support/seed";

/**
 * The handler driven in this process against the Firestore emulator, with an instance memory of
 * the test's own: a key and settings the instance remembers are checked only by the batch's
 * transaction, and whatever that read finds (revoked, expired, another grant, other settings)
 * decides the answer.
 */
const CENTURY_MS = 100 * 365.25 * 86_400_000;

describe("ingestProduction: what an instance remembers", () => {
  const deps = (memory: InstanceMemory): IngestDeps => ({
    db: adminDb(),
    clock: systemClock,
    // Windows start on the clock's boundaries, and any turn of one splits the counts these tests
    // assert (a minute's turn did in one CI run, an hour's in another): this window runs from
    // 1970 to 2070.
    rateLimit: { maxRequests: 100, windowMs: CENTURY_MS },
    memory,
  });
  const remembering = (): InstanceMemory => ({ keys: new KnownKeys(), limited: new RateLimitedKeys() });
  const request = (key: string, body: string | object): IngestRequest => ({
    method: "POST",
    path: "/v1/production",
    url: "/v1/production",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    rawBody: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  });
  const batch = () => ({ tickets: [ticket(uniqueId("KK"))] });
  const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

  it("remembers a key once found, and refuses it at once when revoked or expired since (nothing written)", async () => {
    const partner = await seedPartner();
    const memory = remembering();
    const revoked = await createKey(partner);
    const expired = await createKey(partner);
    for (const { key } of [revoked, expired]) {
      expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
      expect(memory.keys.get(apiKeySha256(key))?.partnerId).to.equal(partner);
    }
    await adminDb()
      .doc(`api_keys/${apiKeySha256(revoked.key)}`)
      .update({ revoked_at: Timestamp.now() });
    await adminDb()
      .doc(`api_keys/${apiKeySha256(expired.key)}`)
      .update({ expires_at: Timestamp.fromMillis(Date.now() - 1_000) });

    const afterRevoke = await handleIngest(deps(memory), request(revoked.key, batch()));
    expect([afterRevoke.status, errorCode(afterRevoke.body)]).to.deep.equal([401, "revoked_api_key"]);
    const afterExpiry = await handleIngest(deps(memory), request(expired.key, batch()));
    expect([afterExpiry.status, errorCode(afterExpiry.body)]).to.deep.equal([401, "expired_api_key"]);
    expect(memory.keys.get(apiKeySha256(revoked.key))).to.equal(undefined);
    expect(memory.keys.get(apiKeySha256(expired.key))).to.equal(undefined);
    expect(await partnerEntryCount(partner)).to.equal(2);
  });

  it("answers a revoked known key 401 even when its body is malformed (the key is looked up first)", async () => {
    const partner = await seedPartner();
    const memory = remembering();
    const { key } = await createKey(partner);
    expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
    const malformed = await handleIngest(deps(memory), request(key, "{not json"));
    expect([malformed.status, errorCode(malformed.body)]).to.deep.equal([400, "malformed_json"]);
    await adminDb()
      .doc(`api_keys/${apiKeySha256(key)}`)
      .update({ revoked_at: Timestamp.now() });
    const refused = await handleIngest(deps(memory), request(key, "{not json"));
    expect([refused.status, errorCode(refused.body)]).to.deep.equal([401, "revoked_api_key"]);
  });

  it("refuses a key it answered 429 before reading or parsing anything, until the window ends", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const memory = remembering();
    // The instance's clock stands still until "later": a minute's turn between the first two
    // requests would otherwise open a new window and admit the second.
    const at = new Date();
    const limitedDeps = { ...deps(memory), clock: { now: () => at }, rateLimit: { maxRequests: 1, windowMs: 60_000 } };
    expect((await handleIngest(limitedDeps, request(key, batch()))).status).to.equal(200);
    const counted = await handleIngest(limitedDeps, request(key, batch()));
    expect([counted.status, errorCode(counted.body)]).to.deep.equal([429, "rate_limited"]);
    const retryAfter = Number(counted.headers["Retry-After"]);
    expect(retryAfter).to.be.within(1, 60);

    // The body is never touched: a request whose body cannot even be read is answered 429 alike.
    const untouchable = request(key, batch());
    Object.defineProperty(untouchable, "rawBody", {
      get() {
        throw new Error("the body was read");
      },
    });
    const refused = await handleIngest(limitedDeps, untouchable);
    expect([refused.status, errorCode(refused.body)]).to.deep.equal([429, "rate_limited"]);
    expect(Number(refused.headers["Retry-After"])).to.be.within(1, retryAfter);
    // Once the window has passed (the instance's clock moved on), the key is read and counted again.
    const later = { ...limitedDeps, clock: { now: () => new Date(at.getTime() + 61_000) } };
    expect((await handleIngest(later, request(key, batch()))).status).to.equal(200);
    expect(await partnerEntryCount(partner)).to.equal(2);
  });

  it("prepares the batch anew when the key's grant changed since it was found", async () => {
    const first = await seedPartner();
    const second = await seedPartner();
    const memory = remembering();
    const { key } = await createKey(first);
    expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
    await adminDb()
      .doc(`api_keys/${apiKeySha256(key)}`)
      .update({ partner_id: second });
    const moved = await handleIngest(deps(memory), request(key, batch()));
    expect(moved.status).to.equal(200);
    expect(await partnerEntryCount(first)).to.equal(1);
    expect(await partnerEntryCount(second)).to.equal(1);
    expect(memory.keys.get(apiKeySha256(key))?.partnerId).to.equal(second);
  });

  it("answers a remembered key's repeated tickets duplicate, counts each request once and touches last_used_at once", async () => {
    const partner = await seedPartner();
    const memory = remembering();
    const { key, key_id } = await createKey(partner);
    const keyRef = adminDb().doc(`api_keys/${apiKeySha256(key)}`);
    const same = batch();
    expect((await handleIngest(deps(memory), request(key, same))).status).to.equal(200);
    const touched = (await keyRef.get()).get("last_used_at") as Timestamp;
    expect(touched).to.be.instanceOf(Timestamp);
    const again = await handleIngest(deps(memory), request(key, same));
    const statuses = (again.body as { results: Array<{ status: string }> }).results.map((r) => r.status);
    expect([again.status, statuses]).to.deep.equal([200, ["duplicate"]]);
    expect(((await keyRef.get()).get("last_used_at") as Timestamp).isEqual(touched)).to.equal(true);
    expect((await adminDb().doc(`rate_limits/apikey_${key_id}`).get()).get("count")).to.equal(2);
    expect(await partnerEntryCount(partner)).to.equal(1);
  });

  describe("a batch transaction that fails before it reads anything", () => {
    /** The emulator's Firestore, whose next `runTransaction` fails as a lost connection would. */
    const failingOnce = () => {
      const db = adminDb();
      let failed = false;
      return new Proxy(db, {
        get(target, property) {
          if (property === "runTransaction" && !failed) {
            failed = true;
            return async () => {
              throw Object.assign(new Error("14 UNAVAILABLE: injected by the test"), { code: 14 });
            };
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    };
    const countOf = async (keyId: string) => (await adminDb().doc(`rate_limits/apikey_${keyId}`).get()).get("count") as number;
    const failedWith = async (work: Promise<unknown>) => {
      try {
        await work;
      } catch (error) {
        return (error as Error).message;
      }
      return "no failure";
    };

    it("leaves a remembered key's request uncounted: the key was never read, so it may have been revoked", async () => {
      const partner = await seedPartner();
      const memory = remembering();
      const { key, key_id } = await createKey(partner);
      expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
      expect(await countOf(key_id)).to.equal(1);

      const message = await failedWith(handleIngest({ ...deps(memory), db: failingOnce() }, request(key, batch())));

      expect(message).to.contain("injected by the test");
      expect(await countOf(key_id)).to.equal(1);
      expect(await partnerEntryCount(partner)).to.equal(1);
      expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
      expect(await countOf(key_id)).to.equal(2);
    });

    it("counts the request of a key it has just read and found valid, and writes nothing", async () => {
      const partner = await seedPartner();
      const { key, key_id } = await createKey(partner);

      const message = await failedWith(handleIngest({ ...deps(remembering()), db: failingOnce() }, request(key, batch())));

      expect(message).to.contain("injected by the test");
      expect(await countOf(key_id)).to.equal(1);
      expect(await partnerEntryCount(partner)).to.equal(0);
    });
  });

  it("answers day_closed for a ticket whose day closes between the plan's read and the write (a batch holding a stored ticket)", async () => {
    const partner = await seedPartner();
    const { key } = await createKey(partner);
    const stored = ticket(uniqueId("E"), {}, 3);
    const fresh = ticket(uniqueId("N"), {}, 2);
    const day = fresh.measured_at.slice(0, 10);
    const real = adminDb();
    // A reconcile closes the day right after the handler's own closed-day lookup.
    let closedAfterRead = false;
    const closing = new Proxy(real, {
      get(target, property) {
        if (property === "getAll") {
          return async (...refs: DocumentReference[]) => {
            const snaps = await target.getAll(...refs);
            if (!closedAfterRead && refs.some((r) => r.path === `closed_days/${day}`)) {
              closedAfterRead = true;
              await target.doc(`closed_days/${day}`).set({ reconciliation_id: "race-close_v1" });
            }
            return snaps;
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    try {
      expect((await handleIngest(deps(remembering()), request(key, { tickets: [stored] }))).status).to.equal(200);
      const answer = await handleIngest({ ...deps(remembering()), db: closing }, request(key, { tickets: [stored, fresh] }));
      expect(closedAfterRead).to.equal(true);
      const results = (answer.body as { results: Array<{ status: string; issues?: Array<{ code: string }> }> }).results;
      expect(results.map((r) => [r.status, (r.issues ?? []).map((i) => i.code)])).to.deep.equal([
        ["duplicate", []],
        ["invalid", ["day_closed"]],
      ]);
      expect(await partnerEntryCount(partner)).to.equal(1);
    } finally {
      await real.doc(`closed_days/${day}`).delete();
    }
  });

  describe("a batch written against the versions the key's last batch found", () => {
    const withVersions = (): InstanceMemory => ({ ...remembering(), versions: new Recent() });
    /** The emulator's Firestore, counting the transactions and batches the handler starts. */
    const counting = () => {
      const calls = { runTransaction: 0, batch: 0 };
      const db = new Proxy(adminDb(), {
        get(target, property) {
          if (property === "runTransaction" || property === "batch") calls[property] += 1;
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      return { db, calls };
    };
    const countOf = async (keyId: string) => (await adminDb().doc(`rate_limits/apikey_${keyId}`).get()).get("count") as number;
    /** A key whose first two batches were written the usual way: the second left versions to write the next against. */
    const warmed = async (expiresAt?: number) => {
      const partner = await seedPartner();
      const issued = await createKey(partner);
      if (expiresAt !== undefined) {
        await adminDb()
          .doc(`api_keys/${apiKeySha256(issued.key)}`)
          .update({ expires_at: Timestamp.fromMillis(expiresAt) });
      }
      const memory = withVersions();
      for (let i = 0; i < 2; i++) expect((await handleIngest(deps(memory), request(issued.key, batch()))).status).to.equal(200);
      expect(memory.versions!.get(apiKeySha256(issued.key))).to.not.equal(undefined);
      return { partner, ...issued, memory };
    };

    it("writes the next batch in one commit without a transaction, counts it, and replays its stored response", async () => {
      const { partner, key, key_id, memory } = await warmed();
      const { db, calls } = counting();
      const sent = request(key, { tickets: [ticket(uniqueId("F")), ticket(uniqueId("F"), {}, 2)] });

      const first = await handleIngest({ ...deps(memory), db }, sent);

      expect(calls).to.deep.equal({ runTransaction: 0, batch: 1 });
      expect(first.status).to.equal(200);
      const statuses = (first.body as { results: Array<{ status: string }> }).results.map((r) => r.status);
      expect(statuses).to.deep.equal(["created", "created"]);
      expect(await partnerEntryCount(partner)).to.equal(4);
      expect(await countOf(key_id)).to.equal(3);

      const again = await handleIngest({ ...deps(memory), db }, sent);
      expect([again.status, again.headers["Idempotency-Replayed"]]).to.deep.equal([200, "true"]);
      expect(again.body).to.deep.equal(first.body);
      expect(await partnerEntryCount(partner)).to.equal(4);
      expect(await countOf(key_id)).to.equal(4);

      // The replay took the usual road (one transaction), which forgot the versions; the next batch's
      // transaction leaves new ones, and the batch after it needs none: holding changed nothing held.
      expect((await handleIngest({ ...deps(memory), db }, request(key, batch()))).status).to.equal(200);
      expect((await handleIngest({ ...deps(memory), db }, request(key, batch()))).status).to.equal(200);
      expect((await handleIngest({ ...deps(memory), db }, request(key, batch()))).status).to.equal(200);
      expect(calls).to.deep.equal({ runTransaction: 2, batch: 4 });
      expect(await partnerEntryCount(partner)).to.equal(7);
      expect(await countOf(key_id)).to.equal(7);
    });

    it("writes the batches of several partners' gateways sent at once, each once and without a transaction: their holds on the JV-wide documents change nothing another holds", async () => {
      const memory = withVersions();
      const gateways: Array<{ partner: string; key: string; key_id: string }> = [];
      for (let g = 0; g < 4; g++) {
        const partner = await seedPartner();
        const issued = await createKey(partner);
        for (let i = 0; i < 2; i++) expect((await handleIngest(deps(memory), request(issued.key, batch()))).status).to.equal(200);
        gateways.push({ partner, ...issued });
      }
      const { db, calls } = counting();
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(
          gateways.map(({ key }) =>
            handleIngest({ ...deps(memory), db }, request(key, { tickets: [ticket(uniqueId("G")), ticket(uniqueId("G"), {}, 2)] })),
          ),
        );
        for (const answer of answers) {
          expect(answer.status).to.equal(200);
          expect((answer.body as { results: Array<{ status: string }> }).results.map((r) => r.status)).to.deep.equal([
            "created",
            "created",
          ]);
        }
      }
      expect(calls).to.deep.equal({ runTransaction: 0, batch: 12 });
      for (const { partner, key_id } of gateways) {
        expect(await partnerEntryCount(partner)).to.equal(8);
        expect(await countOf(key_id)).to.equal(5);
      }
    });

    it("takes the usual road, having written nothing, once a key revoked, a partner deactivated, a close, a grant or another instance's count changed what it remembers", async () => {
      const revoked = await warmed();
      await adminDb()
        .doc(`api_keys/${apiKeySha256(revoked.key)}`)
        .update({ revoked_at: Timestamp.now() });
      const refused = await handleIngest(deps(revoked.memory), request(revoked.key, batch()));
      expect([refused.status, errorCode(refused.body)]).to.deep.equal([401, "revoked_api_key"]);
      expect(await partnerEntryCount(revoked.partner)).to.equal(2);

      // An expiry passes without a write to the key's document: the remembered read is checked again at the batch's time.
      const expiresAt = Date.now() + 6_000;
      const expiring = await warmed(expiresAt);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 200)));
      const expired = await handleIngest(deps(expiring.memory), request(expiring.key, batch()));
      expect([expired.status, errorCode(expired.body)]).to.deep.equal([401, "expired_api_key"]);
      expect(await partnerEntryCount(expiring.partner)).to.equal(2);

      const deactivated = await warmed();
      await adminDb().doc(`partners/${deactivated.partner}`).update({ active: false });
      const inactive = await handleIngest(deps(deactivated.memory), request(deactivated.key, batch()));
      expect([inactive.status, errorCode(inactive.body)]).to.deep.equal([403, "partner_inactive"]);
      expect(await partnerEntryCount(deactivated.partner)).to.equal(2);

      const closing = await warmed();
      const late = ticket(uniqueId("L"), {}, 440);
      const day = late.measured_at.slice(0, 10);
      await closeDay(adminDb(), day, "remembered-close_v1");
      try {
        const answer = await handleIngest(deps(closing.memory), request(closing.key, { tickets: [late, ticket(uniqueId("O"))] }));
        const results = (answer.body as { results: Array<{ status: string; issues?: Array<{ code: string }> }> }).results;
        expect(results.map((r) => [r.status, (r.issues ?? []).map((i) => i.code)])).to.deep.equal([
          ["invalid", ["day_closed"]],
          ["created", []],
        ]);
        expect(await partnerEntryCount(closing.partner)).to.equal(3);
      } finally {
        await adminDb().doc(`closed_days/${day}`).delete();
      }

      // A grant in memory older than the held key document's (a slower lookup that ended later) is not written under.
      const regranted = await warmed();
      const sha256 = apiKeySha256(regranted.key);
      const older = regranted.memory.keys.get(sha256)!;
      await adminDb()
        .doc(`api_keys/${sha256}`)
        .update({ meter_ids: ["M-9"] });
      const onM9 = () => ({ tickets: [ticket(uniqueId("G"), { meter_id: "M-9" })] });
      for (let i = 0; i < 2; i++) expect((await handleIngest(deps(regranted.memory), request(regranted.key, onM9()))).status).to.equal(200);
      expect(regranted.memory.versions!.get(sha256)).to.not.equal(undefined);
      regranted.memory.keys.remember(older);
      const outOfScope = await handleIngest(deps(regranted.memory), request(regranted.key, batch()));
      expect([outOfScope.status, errorCode(outOfScope.body)]).to.deep.equal([403, "meter_not_allowed"]);
      expect(await partnerEntryCount(regranted.partner)).to.equal(4);

      const shared = await warmed();
      // Another instance counts a request of the same key.
      await adminDb().doc(`rate_limits/apikey_${shared.key_id}`).update({ count: 3 });
      const { db, calls } = counting();
      expect((await handleIngest({ ...deps(shared.memory), db }, request(shared.key, batch()))).status).to.equal(200);
      expect(calls.runTransaction).to.be.greaterThan(0);
      expect(await countOf(shared.key_id)).to.equal(4);
      expect(await partnerEntryCount(shared.partner)).to.equal(3);
    });
  });

  describe("settings", () => {
    beforeEach(async () => {
      await adminDb().doc("settings/jv").delete();
    });
    afterEach(async () => {
      await adminDb().doc("settings/jv").delete();
    });

    it("writes a key's next batch without reads only under the settings its held version says: created since, or other in memory, it reads", async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      const memory: InstanceMemory = { ...remembering(), versions: new Recent() };
      for (let i = 0; i < 2; i++) expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
      const sha256 = apiKeySha256(key);
      expect(memory.versions!.get(sha256)?.settings).to.equal(null);
      const jvStart = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const outcome = (answer: { body: unknown }) =>
        (answer.body as { results: Array<{ status: string; issues?: Array<{ code: string }> }> }).results.map((r) => [
          r.status,
          r.issues?.[0]?.code,
        ]);

      // Settings the instance holds in memory that are not the held version's (a slower read that
      // ended later): the batch is not prepared under them without a read.
      memory.settings = { ...DEFAULT_JV_SETTINGS, jv_start_date: jvStart };
      expect(outcome(await handleIngest(deps(memory), request(key, batch())))).to.deep.equal([["created", undefined]]);
      expect(memory.settings).to.deep.equal(DEFAULT_JV_SETTINGS);

      // Settings written since the held version (absent then): the commit fails and the batch is judged by them.
      await handleIngest(deps(memory), request(key, batch()));
      expect(memory.versions!.get(sha256)).to.not.equal(undefined);
      await adminDb().doc("settings/jv").set({ jv_start_date: jvStart });
      expect(outcome(await handleIngest(deps(memory), request(key, batch())))).to.deep.equal([["invalid", "before_jv_start"]]);
      expect(await partnerEntryCount(partner)).to.equal(4);
    });

    it("judges a batch by the settings as they are at its commit, not as a fresh request read them before", async () => {
      const partner = await seedPartner();
      const { key } = await createKey(partner);
      const jvStart = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      // An admin sets a start date after the request read the settings, before its transaction.
      const racing = settingsChangedAfterRead((n) => (n === 1 ? { jv_start_date: jvStart } : undefined));
      try {
        const answer = await handleIngest({ ...deps(remembering()), db: racing.db, memory: undefined }, request(key, batch()));
        const results = (answer.body as { results: Array<{ status: string; issues?: Array<{ code: string }> }> }).results;
        expect(racing.reads()).to.be.at.least(1);
        expect([answer.status, results[0].status, results[0].issues?.[0].code]).to.deep.equal([200, "invalid", "before_jv_start"]);
        expect(await partnerEntryCount(partner)).to.equal(0);
      } finally {
        await adminDb().doc("settings/jv").delete();
      }
    });

    it("writes a batch whose settings changed before its commit only in the LUAF band or release approval, without preparing it again", async () => {
      const partner = await seedPartner();
      const { key, key_id } = await createKey(partner);
      const memory = remembering();
      // An admin changes the LUAF band and release approval after the request read the settings, before its transaction.
      const racing = settingsChangedAfterRead((n) =>
        n === 1 ? { luaf_tolerance_percent: 3.5, release_approval_required: true } : undefined,
      );
      const answer = await handleIngest({ ...deps(memory), db: racing.db }, request(key, batch()));
      const results = (answer.body as { results: Array<{ status: string }> }).results;
      // Read once, not again for a request made anew: the settings it remembers are still the ones it read first.
      expect(racing.reads()).to.equal(1);
      expect([answer.status, results[0].status]).to.deep.equal([200, "created"]);
      expect(memory.settings).to.deep.equal(DEFAULT_JV_SETTINGS);
      expect((await adminDb().doc(`rate_limits/apikey_${key_id}`).get()).get("count")).to.equal(1);
      expect(await partnerEntryCount(partner)).to.equal(1);
    });

    it("remembers the settings it read, and writes under the settings as they are when they change", async () => {
      const partner = await seedPartner();
      const memory = remembering();
      const { key, key_id } = await createKey(partner);
      expect((await handleIngest(deps(memory), request(key, batch()))).status).to.equal(200);
      expect(memory.settings).to.deep.equal(DEFAULT_JV_SETTINGS);
      // A start date after every ticket's day: the next batch is judged by it, not by the remembered settings.
      const jvStart = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await adminDb().doc("settings/jv").set({ jv_start_date: jvStart });
      const late = await handleIngest(deps(memory), request(key, batch()));
      const results = (late.body as { results: Array<{ status: string; issues?: Array<{ code: string }> }> }).results;
      expect([late.status, results[0].status, results[0].issues?.[0].code]).to.deep.equal([200, "invalid", "before_jv_start"]);
      expect(memory.settings?.jv_start_date).to.equal(jvStart);
      expect(await partnerEntryCount(partner)).to.equal(1);
      // The request redone under the new settings was counted once.
      expect((await adminDb().doc(`rate_limits/apikey_${key_id}`).get()).get("count")).to.equal(2);
    });
  });
});
