import { expect } from "chai";
import fc from "fast-check";
import { type DocumentData, Timestamp } from "firebase-admin/firestore";
import { adminDb, sleep, uniqueId, waitUntil } from "../../support/emulator";
import { entryData, seedPartner } from "../../support/production-entries";
import { fakeGemini } from "../setup";

/**
 * The reliability suite of the whole event graph: a load burst, generated malformed
 * entries, and Gemini failing in three ways during a burst. Each part prints its figure;
 * none asserts a timing.
 */
const db = () => adminDb();

async function writeAll(docs: Array<{ id: string; data: DocumentData }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 250) {
    const batch = db().batch();
    for (const { id, data } of docs.slice(i, i + 250)) batch.set(db().doc(`production_entries/${id}`), data);
    await batch.commit();
  }
}

/** Polls until every entry has an audit; returns the audits by id. */
async function waitForVerdicts(ids: readonly string[], timeoutMs: number): Promise<Map<string, Record<string, any>>> {
  const refs = ids.map((id) => db().doc(`production_entries/${id}`));
  const audits = new Map<string, Record<string, any>>();
  await waitUntil(
    `${ids.length} verdicts`,
    async () => {
      const pending = refs.filter((r) => !audits.has(r.id));
      for (let i = 0; i < pending.length; i += 500) {
        for (const snap of await db().getAll(...pending.slice(i, i + 500))) {
          const audit = snap.get("audit");
          if (audit) audits.set(snap.id, audit);
        }
      }
      return audits.size === ids.length || undefined;
    },
    timeoutMs,
  );
  return audits;
}

function countBy<T>(values: Iterable<T>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

describe("reliability: load, hostile entries and Gemini faults", function () {
  this.timeout(900_000);

  it("load: a burst of 1,000 entries across 10 partners gets 1,000 verdicts, none lost", async () => {
    const partners = await Promise.all(Array.from({ length: 10 }, () => seedPartner()));
    const docs = Array.from({ length: 1000 }, (_, i) => ({
      id: uniqueId(`load-${i}`),
      data: entryData(partners[i % 10]!, { meter_id: `M-${Math.floor(i / 10)}`, gross_volume_bbl: 900 + (i % 7) * 25 }, 1 + (i % 20)),
    }));
    const started = Date.now();
    await writeAll(docs);
    const audits = await waitForVerdicts(
      docs.map((d) => d.id),
      840_000,
    );
    const seconds = (Date.now() - started) / 1000;
    expect(audits.size).to.equal(1000);
    const events = await db()
      .collection("audit_log")
      .where("action", "==", "entry_audited")
      .where(
        "stream",
        "in",
        partners.map((p) => `partner_${p}`),
      )
      .count()
      .get();
    expect(events.data().count).to.equal(1000);
    console.log(
      `      load: 1000 entries written, ${audits.size} verdicts ${JSON.stringify(countBy([...audits.values()].map((a) => a.status)))}, ${events.data().count} audit events, all within ${seconds.toFixed(0)} s`,
    );
  });

  it("hostile input: 1,000 generated malformed entries are each rejected with a reason per broken field, nothing else written", async () => {
    const partner = await seedPartner();
    const breakable = ["partner_id", "measured_at", "gross_volume_bbl", "bsw_percent", "temperature_degF", "api_gravity"] as const;
    const badValue = fc.oneof(
      fc.constant("__delete__"),
      fc.constant(null),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.string({ maxLength: 8 }),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.constantFrom("a", "b", "value"), fc.integer(), { maxKeys: 2 }),
    );
    const corruption = fc
      .uniqueArray(fc.constantFrom(...breakable), { minLength: 1, maxLength: 3 })
      .chain((fields) => fc.tuple(fc.constant(fields), fc.array(badValue, { minLength: fields.length, maxLength: fields.length })));
    const samples = fc.sample(corruption, { numRuns: 1000, seed: 4242 });
    const docs = samples.map(([fields, values], i) => {
      const data = entryData(partner, { meter_id: `H-${i}` });
      fields.forEach((field, k) => {
        const value = values[k];
        // Strings are valid for partner_id: break it with a non-string instead.
        const bad =
          field === "partner_id" && typeof value === "string" ? 42 : field === "measured_at" && value === null ? "yesterday" : value;
        if (bad === "__delete__") delete data[field];
        else data[field] = bad;
      });
      return { id: uniqueId(`hostile-${i}`), data, broken: fields };
    });
    await writeAll(docs);
    const audits = await waitForVerdicts(
      docs.map((d) => d.id),
      840_000,
    );
    let reasons = 0;
    for (const doc of docs) {
      const audit = audits.get(doc.id)!;
      expect(audit.status, `${doc.id} ${JSON.stringify(doc.broken)}`).to.equal("rejected");
      for (const field of doc.broken) {
        expect(
          audit.reasons.some((r: { field: string }) => r.field === field),
          `${doc.id}: no reason names ${field}: ${JSON.stringify(audit.reasons)}`,
        ).to.equal(true);
      }
      reasons += audit.reasons.length;
    }
    // Nothing but the auditor's `audit` and `changed_at` (the close's race check) was written: the
    // other stored fields are the ones the test wrote.
    for (const doc of docs.slice(0, 100)) {
      const stored = (await db().doc(`production_entries/${doc.id}`).get()).data()!;
      expect(stored.changed_at, doc.id).to.be.instanceOf(Timestamp);
      expect(
        Object.keys(stored)
          .filter((k) => k !== "audit" && k !== "changed_at")
          .sort(),
      ).to.deep.equal(Object.keys(doc.data).sort());
    }
    console.log(`      hostile entries: ${docs.length} malformed entries, ${docs.length} rejected, ${reasons} reasons, 0 other writes`);
  });

  it("faults: Gemini down, slow and returning garbage during a burst — every verdict and every notification still written", async () => {
    const partner = await seedPartner();
    const coordinator = uniqueId("fault-coord");
    await db()
      .doc(`users/${coordinator}`)
      .set({ email: `${coordinator}@example.test`, display_name: "Fault coordinator", role: "jv_coordinator", partner_id: null });
    const results: string[] = [];
    try {
      for (const [mode, count] of [
        ["error-500", 8],
        ["hang", 4],
        ["malformed", 8],
      ] as const) {
        fakeGemini().setDefault(mode);
        // BS&W above the typical level: flagged, so Gemini is asked to explain.
        const docs = Array.from({ length: count }, (_, i) => ({
          id: uniqueId(`fault-${mode}-${i}`),
          data: entryData(partner, { bsw_percent: 2.5, meter_id: `F-${mode}-${i}` }),
        }));
        await writeAll(docs);
        const audits = await waitForVerdicts(
          docs.map((d) => d.id),
          300_000,
        );
        for (const doc of docs) {
          expect(audits.get(doc.id)!.status).to.equal("flagged");
          expect(audits.get(doc.id)!.explanation.source).to.equal("rules");
        }
        const notes = await waitUntil(
          `notifications for ${mode}`,
          async () => {
            const snap = await db().collection("notifications").where("recipient_uid", "==", coordinator).get();
            const forBurst = snap.docs.filter((d) => docs.some((x) => x.id === d.get("data.entry_id")));
            return forBurst.length === count ? forBurst : undefined;
          },
          300_000,
        );
        expect(notes.every((n) => n.get("summary_source") === "template")).to.equal(true);
        results.push(`${mode}: ${count} verdicts (rules), ${notes.length} notifications (template)`);
      }
    } finally {
      fakeGemini().setDefault("schema");
      await sleep(0);
    }
    console.log(`      faults: ${results.join("; ")}`);
  });
});
