/**
 * The emulator does not enforce composite indexes, so this runs the server's real query
 * builders (the auditor's reads, the approval check's) against a recording stand-in for
 * Firestore and checks that firestore.indexes.json has an index serving each query they build.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Firestore } from "firebase-admin/firestore";
import { findEarlierDuplicates, ReadMeter, readHistory } from "../../src/agents/auditor/audit-reads";
import { readApprovalEvents } from "../../src/shared/approval-events";
import type { ProductionEntry } from "../../src/domain/production-entry";

interface RecordedQuery {
  collection: string;
  equalities: string[];
  ranges: string[];
  orders: Array<{ field: string; direction: "ASCENDING" | "DESCENDING" }>;
}

function recordingDb(recorded: RecordedQuery[]): Firestore {
  const query = (q: RecordedQuery) => {
    const chain = {
      where(field: string, op: string) {
        (op === "==" ? q.equalities : q.ranges).push(field);
        return chain;
      },
      orderBy(field: string, direction: "asc" | "desc" = "asc") {
        q.orders.push({ field, direction: direction === "asc" ? "ASCENDING" : "DESCENDING" });
        return chain;
      },
      limit: () => chain,
      select: () => chain,
      async get() {
        recorded.push(q);
        return { docs: [], size: 0 };
      },
    };
    return chain;
  };
  return {
    collection: (name: string) => query({ collection: name, equalities: [], ranges: [], orders: [] }),
    doc: (path: string) => ({ path }),
    getAll: async () => [],
  } as unknown as Firestore;
}

interface IndexField {
  fieldPath: string;
  order?: "ASCENDING" | "DESCENDING";
}
interface IndexDefinition {
  collectionGroup: string;
  queryScope: string;
  fields: IndexField[];
}

/** An index serves the query when it starts with its equality fields (any order), then its sort orders. */
function serves(index: IndexDefinition, query: RecordedQuery): boolean {
  if (index.collectionGroup !== query.collection || index.queryScope !== "COLLECTION") return false;
  const eq = index.fields.slice(0, query.equalities.length).map((f) => f.fieldPath);
  const rest = index.fields.slice(query.equalities.length);
  return (
    [...eq].sort().join() === [...query.equalities].sort().join() &&
    rest.length === query.orders.length &&
    rest.every((f, i) => f.fieldPath === query.orders[i].field && f.order === query.orders[i].direction)
  );
}

const indexes = (JSON.parse(readFileSync(join(__dirname, "../../../firestore.indexes.json"), "utf8")) as { indexes: IndexDefinition[] })
  .indexes;

const entry = (meter_id: string | undefined): ProductionEntry => ({
  partner_id: "p-1",
  measured_at: new Date("2025-03-14T06:00:00Z"),
  gross_volume_bbl: 1000,
  bsw_percent: 0.3,
  temperature_degF: 80,
  api_gravity: 35,
  pressure_psig: 0,
  meter_factor: 1,
  meter_id,
  note: undefined,
  correction_note: undefined,
  created_by: "u",
});

describe("firestore.indexes.json serves the server's queries", () => {
  const self = { id: "e-1", createdAt: new Date("2025-03-14T07:00:00Z") };
  const cases: Array<[string, (db: Firestore) => Promise<unknown>, number?]> = [
    // The recording stand-in answers no documents: the meter's history is too short, so its partner's is read too.
    [
      "history of a meter, then of its partner",
      (db) => readHistory(db, { partnerId: "p-1", meterId: "M-1" }, { id: "e-1", mayBeInHistory: false }, new ReadMeter()),
      2,
    ],
    [
      "history without a meter",
      (db) => readHistory(db, { partnerId: "p-1", meterId: undefined }, { id: "e-1", mayBeInHistory: false }, new ReadMeter()),
    ],
    [
      "duplicates on a meter",
      (db) => findEarlierDuplicates(db, entry("M-1"), self, new ReadMeter(), new Date("2025-03-14T00:00:00Z"), "key"),
    ],
    [
      "duplicates without a meter",
      (db) => findEarlierDuplicates(db, entry(undefined), self, new ReadMeter(), new Date("2025-03-14T00:00:00Z"), "key"),
    ],
    [
      "the latest decisions on a restatement (a carried adjustment's approval)",
      (db) =>
        readApprovalEvents(db, new Map([["q_v2_0", { from_reconciliation_id: "q_v2", decision_event: "adjustment_q_v2_0_approved" }]])),
    ],
  ];
  for (const [name, run, queries = 1] of cases) {
    it(name, async () => {
      const recorded: RecordedQuery[] = [];
      await run(recordingDb(recorded));

      expect(recorded).to.have.length(queries);
      for (const query of recorded) {
        expect(
          query.ranges.every((field) => query.orders[0]?.field === field),
          "a range field must be the first sort",
        ).to.equal(true);
        expect(
          indexes.some((index) => serves(index, query)),
          JSON.stringify(query),
        ).to.equal(true);
      }
    });
  }
});
