/**
 * The emulator does not enforce composite indexes, production does: every query the web app
 * makes (declared as data in web/src/data/queries.ts, the only way the app builds queries) must
 * be served by firestore.indexes.json or by Firestore's automatic single-field indexes.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_QUERIES, type QuerySpec } from "../../../web/src/data/queries";

interface IndexDefinition {
  collectionGroup: string;
  queryScope: string;
  fields: Array<{ fieldPath: string; order?: "ASCENDING" | "DESCENDING" }>;
}

const indexes = (JSON.parse(readFileSync(join(__dirname, "../../../firestore.indexes.json"), "utf8")) as { indexes: IndexDefinition[] })
  .indexes;

const isEquality = (op: string) => op === "==" || op === "in";

/** The fields a query's index must hold, in index order: equalities (any order), then the sort orders. */
function shape(q: QuerySpec) {
  const equalities = [...new Set(q.filters.filter((f) => isEquality(f.op)).map((f) => f.field))];
  const ranges = [...new Set(q.filters.filter((f) => !isEquality(f.op)).map((f) => f.field))];
  const orders = q.orders.map((o) => ({ field: o.field, order: o.direction === "asc" ? "ASCENDING" : "DESCENDING" }));
  return { equalities, ranges, orders };
}

/** One field (ignoring the document key) is served by the automatic single-field index. */
function needsComposite(q: QuerySpec): boolean {
  const { equalities, orders } = shape(q);
  return new Set([...equalities, ...orders.map((o) => o.field)].filter((f) => f !== "__name__")).size > 1;
}

function serves(index: IndexDefinition, q: QuerySpec): boolean {
  const { equalities, orders } = shape(q);
  if (index.collectionGroup !== q.collection || index.queryScope !== "COLLECTION") return false;
  const head = index.fields.slice(0, equalities.length).map((f) => f.fieldPath);
  const rest = index.fields.slice(equalities.length);
  return (
    [...head].sort().join() === [...equalities].sort().join() &&
    rest.length === orders.length &&
    rest.every((f, i) => f.fieldPath === orders[i].field && f.order === orders[i].order)
  );
}

describe("firestore.indexes.json serves the web app's queries", () => {
  it("declares every query the app makes", () => {
    expect(ALL_QUERIES.length).to.be.greaterThan(10);
    expect(new Set(ALL_QUERIES.map((q) => q.name)).size).to.equal(ALL_QUERIES.length);
  });

  for (const q of ALL_QUERIES) {
    it(`${q.name} (${q.collection})`, () => {
      const { ranges, orders } = shape(q);
      expect(ranges.length, "at most one range field").to.be.at.most(1);
      if (ranges.length === 1) expect(orders[0]?.field, "the range field must be the first sort").to.equal(ranges[0]);
      expect(q.limit, "every query is bounded").to.be.greaterThan(0);
      if (needsComposite(q))
        expect(
          indexes.some((index) => serves(index, q)),
          `no composite index for ${JSON.stringify(shape(q))}`,
        ).to.equal(true);
    });
  }

  it("notices a query without its index", () => {
    const missing: QuerySpec = {
      name: "unindexed",
      collection: "production_entries",
      filters: [{ field: "meter_id", op: "==", value: "M" }],
      orders: [{ field: "gross_volume_bbl", direction: "desc" }],
      limit: 10,
    };
    expect(needsComposite(missing)).to.equal(true);
    expect(indexes.some((index) => serves(index, missing))).to.equal(false);
  });
});
