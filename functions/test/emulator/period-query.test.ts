import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { SELECTED_FIELDS } from "../../src/agents/accountant/entry-scan";
import { PeriodQueries, type RangeDocument, type RangeRead } from "../../src/agents/accountant/period-query";
import { adminDb, uniqueId } from "../support/emulator";
import { auditedEntry, isolatedPeriod, soundEntry } from "../support/seed";

const db = () => adminDb();

/** Entries of one period with every kind of value the scan's fields take, in measured_at order. */
async function period(count: number, odd: (i: number) => Record<string, unknown> = () => ({})) {
  const { start, end } = isolatedPeriod(1);
  const tag = uniqueId("pq");
  const batch = db().batch();
  for (let i = 0; i < count; i += 1) {
    const at = new Date(start.getTime() + Math.floor(i / 2) * 60_000 + 7);
    const entry = auditedEntry({
      ...soundEntry(`${tag}-${String(i).padStart(3, "0")}`, i % 3 === 0 ? `${tag}-Nörd-Öl ✓` : `${tag}-p${i % 3}`, at, 900 + i / 4),
      temperature_degF: i % 5 === 0 ? -12 : 60.5,
      pressure_psig: i % 4 === 0 ? undefined : i % 7,
      status: i % 6 === 0 ? "flagged" : "validated",
    });
    batch.set(db().doc(`production_entries/${tag}-${String(i).padStart(3, "0")}`), { ...entry, ...odd(i) });
  }
  await batch.commit();
  return { start, end };
}

const rangeOf = (start: Date, end: Date, limit = 1_000): RangeRead => ({
  collectionId: "production_entries",
  field: "measured_at",
  from: start,
  to: end,
  select: SELECTED_FIELDS,
  limit,
});

/** The range as the client library reads it: the answer the direct read must give. */
async function libraryRead(read: RangeRead): Promise<RangeDocument[]> {
  const snap = await db()
    .collection(read.collectionId)
    .where(read.field, ">=", Timestamp.fromDate(read.from))
    .where(read.field, "<", Timestamp.fromDate(read.to))
    .orderBy(read.field)
    .orderBy("__name__")
    .select(...read.select)
    .limit(read.limit)
    .get();
  return snap.docs.map((d) => ({ id: d.id, data: d.data() }));
}

function collect(queries: PeriodQueries, read: RangeRead): Promise<RangeDocument[]> {
  return new Promise((resolve, reject) => {
    const docs: RangeDocument[] = [];
    queries.stream(read, { data: (doc) => docs.push(doc), error: reject, end: () => resolve(docs) });
  });
}

describe("period queries: the scan's direct read of a range", function () {
  this.timeout(60_000);

  it("gives the documents, their order and their values as the client library does", async () => {
    const { start, end } = await period(40);
    const read = rangeOf(start, end);
    const queries = new PeriodQueries(db());
    const direct = await collect(queries, read);
    expect(direct).to.have.length(40);
    expect(direct).to.deep.equal(await libraryRead(read));
    expect(direct[0].data.measured_at).to.be.instanceOf(Timestamp);
    expect(direct[0].data.temperature_degF).to.equal(-12);
    expect(queries.direct).to.equal(true);
  });

  it("hands the rest of the range to the client library when a document cannot be decoded, losing and repeating none", async () => {
    // bytes in a selected field: the direct decoder refuses it, the library reads it.
    const { start, end } = await period(30, (i) => (i === 17 ? { meter_factor: Buffer.from([1, 2, 3]) } : {}));
    const read = rangeOf(start, end);
    const queries = new PeriodQueries(db());
    const docs = await collect(queries, read);
    expect(docs.map((d) => d.id)).to.deep.equal((await libraryRead(read)).map((d) => d.id));
    expect(docs).to.have.length(30);
    expect(Buffer.isBuffer(docs[17].data.meter_factor)).to.equal(true);
    // It failed after its first documents: the direct road stays open.
    expect(queries.direct).to.equal(true);
  });

  it("keeps to the limit across the handover", async () => {
    const { start, end } = await period(20, (i) => (i === 4 ? { meter_factor: Buffer.from([9]) } : {}));
    const read = rangeOf(start, end, 10);
    const docs = await collect(new PeriodQueries(db()), read);
    expect(docs.map((d) => d.id)).to.deep.equal((await libraryRead(read)).map((d) => d.id));
    expect(docs).to.have.length(10);
  });

  it("reads with the library for five minutes once direct queries failed at their start three times in a row", async () => {
    const { start, end } = await period(6, (i) => (i === 0 ? { gross_volume_bbl: Buffer.from([0]) } : {}));
    const read = rangeOf(start, end);
    const expected = (await libraryRead(read)).map((d) => d.id);
    let now = Date.UTC(2026, 11, 5, 8);
    const queries = new PeriodQueries(db(), () => now);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(queries.direct, `before attempt ${attempt}`).to.equal(true);
      expect((await collect(queries, read)).map((d) => d.id)).to.deep.equal(expected);
    }
    expect(queries.direct).to.equal(false);
    expect((await collect(queries, read)).map((d) => d.id)).to.deep.equal(expected);
    now += 4 * 60_000;
    expect(queries.direct).to.equal(false);
    now += 60_000;
    expect(queries.direct).to.equal(true);
    // Counted afresh: one failure does not pause it again.
    expect((await collect(queries, read)).map((d) => d.id)).to.deep.equal(expected);
    expect(queries.direct).to.equal(true);
  });

  it("delivers nothing once destroyed, and never ends", async () => {
    const { start, end } = await period(40);
    const queries = new PeriodQueries(db());
    let after = 0;
    let ended = false;
    let destroyedAt = -1;
    await new Promise<void>((resolve) => {
      let count = 0;
      const stream = queries.stream(rangeOf(start, end), {
        data: () => {
          count += 1;
          if (destroyedAt >= 0) after += 1;
          if (count === 5) {
            destroyedAt = count;
            stream.destroy();
            setTimeout(resolve, 500);
          }
        },
        error: () => undefined,
        end: () => {
          ended = true;
        },
      });
    });
    expect(destroyedAt).to.equal(5);
    expect(after).to.equal(0);
    expect(ended).to.equal(false);
  });
});
