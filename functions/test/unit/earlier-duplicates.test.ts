import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { findEarlierDuplicates, ReadMeter } from "../../src/agents/auditor/audit-reads";
import { parseProductionEntry } from "../../src/domain/production-entry";

/** What findEarlierDuplicates asks of Firestore: ==, >=, <, orderBy, limit, select and get, over these documents. */
interface FakeDoc {
  id: string;
  data: Record<string, unknown>;
  createTime: Date;
}
function fakeDb(docs: FakeDoc[]) {
  const get = (d: FakeDoc, path: string) =>
    path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], d.data);
  const millis = (v: unknown) => (v as Timestamp).toMillis();
  const limits: number[] = [];
  const q = (filters: Array<(d: FakeDoc) => boolean>, order?: string, lim?: number): unknown => ({
    where: (f: string, op: string, v: unknown) =>
      q(
        [...filters, (d) => (op === "==" ? get(d, f) === v : op === ">=" ? millis(get(d, f)) >= millis(v) : millis(get(d, f)) < millis(v))],
        order,
        lim,
      ),
    orderBy: (f: string) => q(filters, f, lim),
    limit: (n: number) => q(filters, order, n),
    select: () => q(filters, order, lim),
    get: async () => {
      limits.push(lim ?? Infinity);
      let r = docs.filter((d) => filters.every((f) => f(d)));
      if (order) r = [...r].sort((a, b) => millis(get(a, order)) - millis(get(b, order)));
      if (lim !== undefined) r = r.slice(0, lim);
      const snaps = r.map((d) => ({ id: d.id, get: (f: string) => get(d, f), createTime: Timestamp.fromDate(d.createTime) }));
      return { docs: snaps, size: snaps.length };
    },
  });
  return { db: { collection: () => q([]) } as never, limits };
}

const DAY = "2026-01-10";
const dayStart = new Date(`${DAY}T00:00:00Z`);
const KEY = JSON.stringify(["p1", "M1", DAY]);
const T = Date.parse("2026-01-10T22:00:00Z");
const at = (hhmm: string) => Timestamp.fromDate(new Date(`${DAY}T${hhmm}:00Z`));
/** An entry of p1 on meter M1 measured at `hhmm`, arrived (and audited there) at T + `arrived` ms. */
const entryOn = (id: string, hhmm: string, arrived: number): FakeDoc => ({
  id,
  createTime: new Date(T + arrived),
  data: {
    partner_id: "p1",
    meter_id: "M1",
    measured_at: at(hhmm),
    audit: { duplicate_key: KEY, key_since: Timestamp.fromMillis(T + arrived) },
  },
});
function parsed(hhmm: string) {
  const p = parseProductionEntry({
    partner_id: "p1",
    meter_id: "M1",
    measured_at: at(hhmm),
    gross_volume_bbl: 1000,
    bsw_percent: 0.3,
    temperature_degF: 80,
    api_gravity: 35,
    created_by: "op1",
    created_at: at(hhmm),
  });
  if (!p.ok) throw new Error("the entry does not parse");
  return p.entry;
}

describe("findEarlierDuplicates", () => {
  const E = entryOn("E", "20:00", 1);
  const X = entryOn("X", "21:00", 2);
  /** Entries that arrived after X, measured earlier in the day: they fill the first page, in measured order. */
  const later = (n: number) => Array.from({ length: n }, (_, i) => entryOn(`Y${i}`, `${String(i + 1).padStart(2, "0")}:00`, 10 + i));
  const dupsOfX = (db: never) =>
    findEarlierDuplicates(db, parsed("21:00"), { id: "X", createdAt: new Date(T + 2) }, new ReadMeter(), dayStart, KEY);

  it("finds the entry that arrived first behind a full page of later arrivals measured earlier", async () => {
    const crowded = fakeDb([E, X, ...later(11)]);
    expect(await dupsOfX(crowded.db)).to.deep.equal(["E"]);
    expect(crowded.limits).to.deep.equal([11, 50]);
  });

  it("reads one page when it is not full or already names an earlier arrival", async () => {
    const few = fakeDb([E, X, ...later(5)]);
    expect(await dupsOfX(few.db)).to.deep.equal(["E"]);
    expect(few.limits).to.deep.equal([11]);
    const first = fakeDb([E, X]);
    expect(
      await findEarlierDuplicates(first.db, parsed("20:00"), { id: "E", createdAt: new Date(T + 1) }, new ReadMeter(), dayStart, KEY),
    ).to.deep.equal([]);
    expect(first.limits).to.deep.equal([11]);
  });
});
