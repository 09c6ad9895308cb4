import { expect } from "chai";
import { createRequire } from "node:module";
import { Timestamp } from "firebase-admin/firestore";
import type * as Protobuf from "protobufjs";
import { decodeRunQueryResponse, encodeRangeQuery, type RangeQuery } from "../../src/shared/run-query-wire";

// The published Firestore v1 messages, as the client library ships them: the decoder and the
// encoder are checked against protobufjs's own reading and writing of them.
const load = createRequire(__filename);
const protobuf = load("protobufjs") as typeof Protobuf;
const root = protobuf.Root.fromJSON(load("@google-cloud/firestore/build/protos/v1.json"));
const RunQueryResponse = root.lookupType("google.firestore.v1.RunQueryResponse");
const RunQueryRequest = root.lookupType("google.firestore.v1.RunQueryRequest");
const Long = load("long") as { fromString(text: string): unknown };

const response = (payload: Record<string, unknown>) => Buffer.from(RunQueryResponse.encode(RunQueryResponse.fromObject(payload)).finish());
/** The request encoded, as protobufjs reads it back. */
const encoded = (query: Omit<RangeQuery, "parent">) =>
  RunQueryRequest.decode(encodeRangeQuery({ parent: "projects/demo/databases/(default)/documents", ...query }));
const withFields = (fields: Record<string, unknown>) =>
  response({ document: { name: "projects/p/databases/(default)/documents/production_entries/E-1", fields }, readTime: { seconds: 7 } });

describe("RunQuery on the wire", () => {
  it("decodes a document's id and every value kind a scan selects as data() gives them", () => {
    const doc = decodeRunQueryResponse(
      withFields({
        gross_volume_bbl: { doubleValue: 1000.25 },
        pressure_psig: { integerValue: Long.fromString("14") },
        partner_id: { stringValue: "Nörd-Öl ✓" },
        active: { booleanValue: false },
        note: { nullValue: 0 },
        measured_at: { timestampValue: { seconds: Long.fromString("1725170400"), nanos: 5_000_000 } },
        audit: {
          mapValue: {
            fields: {
              status: { stringValue: "flagged" },
              reasons: { arrayValue: { values: [{ stringValue: "bsw_high" }, { mapValue: { fields: { code: { stringValue: "x" } } } }] } },
              recheck: { arrayValue: {} },
              nested: { mapValue: {} },
            },
          },
        },
      }),
    );
    expect(doc?.id).to.equal("E-1");
    const { measured_at: measuredAt, ...rest } = doc!.data;
    expect(rest).to.deep.equal({
      gross_volume_bbl: 1000.25,
      pressure_psig: 14,
      partner_id: "Nörd-Öl ✓",
      active: false,
      note: null,
      audit: { status: "flagged", reasons: ["bsw_high", { code: "x" }], recheck: [], nested: {} },
    });
    expect(measuredAt).to.be.instanceOf(Timestamp);
    expect((measuredAt as Timestamp).isEqual(new Timestamp(1725170400, 5_000_000))).to.equal(true);
  });

  it("reads int64 values, negative ones included, as the library's Numbers", () => {
    const values = [
      "0",
      "1",
      "-1",
      "127",
      "128",
      "-128",
      "2147483648",
      "-2147483649",
      "4294967301",
      "-1099511627779",
      "9007199254740991",
      "-9007199254740991",
    ];
    const fields = Object.fromEntries(values.map((v, i) => [`n${i}`, { integerValue: Long.fromString(v) }]));
    const data = decodeRunQueryResponse(withFields(fields))!.data;
    values.forEach((v, i) => expect(data[`n${i}`], v).to.equal(Number(v)));
    const before1970 = decodeRunQueryResponse(withFields({ at: { timestampValue: { seconds: Long.fromString("-86400"), nanos: 1 } } }))!;
    expect((before1970.data.at as Timestamp).isEqual(new Timestamp(-86400, 1))).to.equal(true);
  });

  it("keeps special doubles and an empty document", () => {
    const data = decodeRunQueryResponse(
      withFields({ a: { doubleValue: -0.5 }, b: { doubleValue: Number.NaN }, c: { doubleValue: -Infinity } }),
    )!.data;
    expect(data.a).to.equal(-0.5);
    expect(Number.isNaN(data.b)).to.equal(true);
    expect(data.c).to.equal(-Infinity);
    expect(decodeRunQueryResponse(withFields({}))!.data).to.deep.equal({});
  });

  it("answers undefined for a response that carries no document", () => {
    expect(decodeRunQueryResponse(response({ readTime: { seconds: 5 } }))).to.equal(undefined);
    expect(decodeRunQueryResponse(response({ readTime: { seconds: 5 }, skippedResults: 3 }))).to.equal(undefined);
  });

  it("refuses what it does not read rather than guessing: bytes, references, a truncated message", () => {
    expect(() => decodeRunQueryResponse(withFields({ raw: { bytesValue: Buffer.from([1, 2]) } }))).to.throw(/not read by this decoder/);
    expect(() => decodeRunQueryResponse(withFields({ ref: { referenceValue: "projects/p/databases/(default)/documents/a/b" } }))).to.throw(
      /not read by this decoder/,
    );
    const whole = withFields({ partner_id: { stringValue: "NWE" } });
    expect(() => decodeRunQueryResponse(whole.subarray(0, whole.length - 9))).to.throw(/RunQuery response: truncated/);
  });

  it("encodes a range that starts before 1970 with the negative seconds of its timestamp", () => {
    const request = encoded({ collectionId: "c", field: "at", from: new Date(-86_400_000 + 250), to: new Date(1000), select: [] });
    const plain = RunQueryRequest.toObject(request, { longs: String }) as {
      structuredQuery: { where: { compositeFilter: { filters: Array<{ fieldFilter: { value: { timestampValue: unknown } } }> } } };
    };
    expect(plain.structuredQuery.where.compositeFilter.filters.map((f) => f.fieldFilter.value.timestampValue)).to.deep.equal([
      { seconds: "-86400", nanos: 250_000_000 },
      { seconds: "1", nanos: 0 },
    ]);
  });

  it("encodes the scan's range query as the published RunQueryRequest", () => {
    const request = encoded({
      collectionId: "production_entries",
      field: "measured_at",
      from: new Date(Date.UTC(2026, 8, 1, 5)),
      to: new Date(Date.UTC(2026, 9, 1, 5, 0, 0, 250)),
      select: ["partner_id", "audit.status", "temperature_degF", "odd-name.x"],
      limit: 500_001,
    });
    expect(RunQueryRequest.toObject(request, { longs: String, enums: String })).to.deep.equal({
      parent: "projects/demo/databases/(default)/documents",
      structuredQuery: {
        select: {
          fields: [
            { fieldPath: "partner_id" },
            { fieldPath: "audit.status" },
            { fieldPath: "temperature_degF" },
            { fieldPath: "`odd-name`.x" },
          ],
        },
        from: [{ collectionId: "production_entries" }],
        where: {
          compositeFilter: {
            op: "AND",
            filters: [
              {
                fieldFilter: {
                  field: { fieldPath: "measured_at" },
                  op: "GREATER_THAN_OR_EQUAL",
                  value: { timestampValue: { seconds: "1788238800", nanos: 0 } },
                },
              },
              {
                fieldFilter: {
                  field: { fieldPath: "measured_at" },
                  op: "LESS_THAN",
                  value: { timestampValue: { seconds: "1790830800", nanos: 250_000_000 } },
                },
              },
            ],
          },
        },
        orderBy: [
          { field: { fieldPath: "measured_at" }, direction: "ASCENDING" },
          { field: { fieldPath: "__name__" }, direction: "ASCENDING" },
        ],
        limit: { value: 500_001 },
      },
    });
  });
});
