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
import { flagsEarlierThatDay } from "../../src/agents/communicator/notify";
import { START_OF_LOG, walkAuditLogSegment } from "../../src/shared/audit-log-walk";
import type { ProductionEntry } from "../../src/domain/production-entry";
import { entryBeyond } from "../../src/agents/admin/set-partner";

interface RecordedQuery {
  collection: string;
  equalities: string[];
  ranges: string[];
  orders: Array<{ field: string; direction: "ASCENDING" | "DESCENDING" }>;
}

interface StandIn {
  /** The documents a query answers (none by default). */
  docs?: (query: RecordedQuery) => Array<{ id: string }>;
  /** What getAll answers for the paths asked (nothing by default). */
  getAll?: (paths: string[]) => unknown[];
}

function recordingDb(recorded: RecordedQuery[], standIn: StandIn = {}): Firestore {
  const query = (q: RecordedQuery) => {
    const chain = {
      where(field: string, op: string) {
        // An `in` filter needs an index as an equality does.
        (op === "==" || op === "in" ? q.equalities : q.ranges).push(field);
        return chain;
      },
      orderBy(field: unknown, direction: "asc" | "desc" = "asc") {
        // FieldPath.documentId() orders by the document name.
        const name = typeof field === "string" ? field : "__name__";
        q.orders.push({ field: name, direction: direction === "asc" ? "ASCENDING" : "DESCENDING" });
        return chain;
      },
      limit: () => chain,
      select: () => chain,
      count: () => ({
        async get() {
          recorded.push(q);
          return { data: () => ({ count: 0 }) };
        },
      }),
      startAfter: () => chain,
      endBefore: () => chain,
      async get() {
        recorded.push(q);
        const docs = standIn.docs?.(q) ?? [];
        return { docs, size: docs.length };
      },
    };
    return chain;
  };
  return {
    collection: (name: string) => query({ collection: name, equalities: [], ranges: [], orders: [] }),
    doc: (path: string) => ({ path }),
    getAll: async (...refs: Array<{ path: string }>) => standIn.getAll?.(refs.map((r) => r.path)) ?? [],
  } as unknown as Firestore;
}

/** A query ordered by the document name alone, with no filter, is served by Firestore's built-in index. */
function needsComposite(query: RecordedQuery): boolean {
  return query.equalities.length > 0 || query.ranges.length > 0 || query.orders.some((o) => o.field !== "__name__");
}

/** Firestore orders every index by the document name last, in the direction of its last field. */
function withoutTrailingName(query: RecordedQuery): RecordedQuery {
  const last = query.orders[query.orders.length - 1];
  const before = query.orders[query.orders.length - 2];
  return last?.field === "__name__" && before && last.direction === before.direction
    ? { ...query, orders: query.orders.slice(0, -1) }
    : query;
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
  const headOnlyChain: StandIn = {
    docs: (q) => (q.collection === "audit_chains" ? [{ id: "receipt_R1" }] : []),
    getAll: (paths) =>
      paths.map((path) => ({ id: path.split("/")[1], exists: true, get: (f: string) => (f === "seq" ? 1 : "a".repeat(64)) })),
  };
  const cases: Array<[string, (db: Firestore) => Promise<unknown>, number?, StandIn?]> = [
    // The recording stand-in answers no documents: the meter's history is too short, so its partner's is read too.
    [
      "history of a meter, then of its partner",
      (db) =>
        readHistory(
          db,
          { partnerId: "p-1", meterId: "M-1", measuredAt: entry("M-1").measured_at },
          { id: "e-1", mayBeInHistory: false },
          new ReadMeter(),
        ),
      2,
    ],
    [
      "history without a meter",
      (db) =>
        readHistory(
          db,
          { partnerId: "p-1", meterId: undefined, measuredAt: entry(undefined).measured_at },
          { id: "e-1", mayBeInHistory: false },
          new ReadMeter(),
        ),
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
    // The log walked in (stream, seq) order; a head met with no event of its stream has its events read up to it.
    [
      "a partner's flags and rejections earlier the same day (the communicator's daily digest)",
      (db) => flagsEarlierThatDay(db, "p-1", new Date("2025-03-14T07:00:00Z"), { contract_day_start_hour: 6, utc_offset_minutes: 60 }),
    ],
    [
      "a partner's latest entry from the day it left the JV (setPartner's check)",
      (db) => entryBeyond(db, "p-1", "from", new Date("2025-03-14T05:00:00Z")).get(),
    ],
    [
      "a partner's earliest entry before the day it joined the JV (setPartner's check)",
      (db) => entryBeyond(db, "p-1", "before", new Date("2025-03-14T05:00:00Z")).get(),
    ],
    [
      "the audit log walked whole, and a chain's events up to its head",
      (db) => walkAuditLogSegment(db, START_OF_LOG, 1000),
      3,
      headOnlyChain,
    ],
  ];
  for (const [name, run, queries = 1, standIn] of cases) {
    it(name, async () => {
      const recorded: RecordedQuery[] = [];
      await run(recordingDb(recorded, standIn));

      expect(recorded).to.have.length(queries);
      for (const query of recorded.filter(needsComposite).map(withoutTrailingName)) {
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
