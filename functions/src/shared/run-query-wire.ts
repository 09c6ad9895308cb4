/**
 * The Firestore v1 RunQuery messages a period scan sends and receives, in protobuf wire format
 * (google/firestore/v1/firestore.proto, query.proto, document.proto; field numbers are part of
 * the published API and never change). Decoding a response straight into the plain values that
 * `DocumentSnapshot.data()` gives, instead of the client library's message objects and their
 * conversion, is most of the CPU a scan spends per entry.
 */
import { Timestamp } from "firebase-admin/firestore";

export interface RangeQuery {
  /** `projects/{project}/databases/{database}/documents` */
  parent: string;
  collectionId: string;
  /** Ordered by this field, then the document id; the range is [from, to). */
  field: string;
  from: Date;
  to: Date;
  select: readonly string[];
  limit?: number;
}

export interface WireDocument {
  id: string;
  data: Record<string, unknown>;
}

/** A RunQueryRequest for `field` in [from, to), ordered by it and the document id, projected to `select`. */
export function encodeRangeQuery(query: RangeQuery): Buffer {
  const fieldRef = (path: string) => message(2, bytes(quotedPath(path)));
  const timestamp = (at: Date) => {
    const ms = at.getTime();
    const seconds = Math.floor(ms / 1000);
    return Buffer.concat([int64Field(1, seconds), varintField(2, (ms - seconds * 1000) * 1_000_000)]);
  };
  // One of CompositeFilter.filters (2), each a Filter holding a field_filter (2).
  const fieldFilter = (op: number, at: Date) =>
    message(2, message(2, Buffer.concat([message(1, fieldRef(query.field)), varintField(2, op), message(3, message(10, timestamp(at)))])));
  const order = (path: string) => message(4, Buffer.concat([message(1, fieldRef(path)), varintField(2, ASCENDING)]));
  const structured = Buffer.concat([
    message(1, Buffer.concat(query.select.map((path) => message(2, fieldRef(path))))),
    message(2, message(2, bytes(query.collectionId))),
    message(
      3,
      message(1, Buffer.concat([varintField(1, AND), fieldFilter(GREATER_THAN_OR_EQUAL, query.from), fieldFilter(LESS_THAN, query.to)])),
    ),
    order(query.field),
    order("__name__"),
    ...(query.limit !== undefined ? [message(5, varintField(1, query.limit))] : []),
  ]);
  return Buffer.concat([message(1, bytes(query.parent)), message(2, structured)]);
}

/** The document a RunQueryResponse carries, or undefined for a response without one (progress, the end). */
export function decodeRunQueryResponse(buffer: Buffer): WireDocument | undefined {
  const reader = new Reader(buffer);
  let found: WireDocument | undefined;
  while (reader.more(buffer.length)) {
    const tag = reader.varint();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) found = decodeDocument(reader, reader.lengthEnd());
    else reader.skip(tag & 7);
  }
  return found;
}

const AND = 1;
const LESS_THAN = 1;
const GREATER_THAN_OR_EQUAL = 4;
const ASCENDING = 1;
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** A field path segment that is not a plain identifier is written in backquotes. */
function quotedPath(path: string): string {
  return path
    .split(".")
    .map((segment) => (/^[A-Za-z_][A-Za-z_0-9]*$/.test(segment) ? segment : `\`${segment.replace(/[\\`]/g, "\\$&")}\``))
    .join(".");
}

function varint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint: ${value}`);
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

const varintField = (field: number, value: number) => Buffer.concat([varint(field << 3), varint(value)]);

/** An int64 field: a negative value is its two's complement, ten bytes long. */
function int64Field(field: number, value: number): Buffer {
  if (value >= 0) return varintField(field, value);
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return Buffer.concat([varint(field << 3), Buffer.from(out)]);
}
const bytes = (text: string) => Buffer.from(text, "utf8");
const message = (field: number, body: Buffer) => Buffer.concat([varint((field << 3) | LENGTH_DELIMITED), varint(body.length), body]);

class Reader {
  pos = 0;
  constructor(readonly buffer: Buffer) {}

  more(end: number): boolean {
    return this.pos < end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buffer.length) throw new Error("RunQuery response: truncated varint");
      const byte = this.buffer[this.pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new Error("RunQuery response: varint too long");
    }
  }

  /** An int64 as a Number (the client library's default), negatives in two's complement over ten bytes. */
  int64(): number {
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i += 1) {
      if (this.pos >= this.buffer.length) throw new Error("RunQuery response: truncated varint");
      const bits = this.buffer[this.pos++] & 0x7f;
      const shift = i * 7;
      if (shift < 28) low |= bits << shift;
      else if (shift === 28) {
        low |= bits << 28;
        high |= bits >> 4;
      } else high |= bits << (shift - 32);
      if ((this.buffer[this.pos - 1] & 0x80) === 0) return int64Number(low >>> 0, high >>> 0);
    }
    throw new Error("RunQuery response: varint too long");
  }

  /** The end of the length-delimited field whose length comes next. */
  lengthEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buffer.length) throw new Error("RunQuery response: truncated field");
    return end;
  }

  text(): string {
    const end = this.lengthEnd();
    const text = this.buffer.toString("utf8", this.pos, end);
    this.pos = end;
    return text;
  }

  double(): number {
    const value = this.buffer.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.pos += 8;
        return;
      case LENGTH_DELIMITED:
        this.pos = this.lengthEnd();
        return;
      case FIXED32:
        this.pos += 4;
        return;
      default:
        throw new Error(`RunQuery response: wire type ${wireType} not expected`);
    }
  }
}

function int64Number(low: number, high: number): number {
  if (high >>> 31 === 0) return high * 4294967296 + low;
  const negatedLow = (~low + 1) >>> 0;
  const negatedHigh = (~high + (negatedLow === 0 ? 1 : 0)) >>> 0;
  return -(negatedHigh * 4294967296 + negatedLow);
}

function decodeDocument(reader: Reader, end: number): WireDocument {
  let name = "";
  const data: Record<string, unknown> = {};
  while (reader.more(end)) {
    const tag = reader.varint();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) name = reader.text();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) mapEntry(reader, reader.lengthEnd(), data);
    else reader.skip(tag & 7);
  }
  reader.pos = end;
  return { id: name.slice(name.lastIndexOf("/") + 1), data };
}

/** One `map<string, Value>` entry (key 1, value 2) into `into`. */
function mapEntry(reader: Reader, end: number, into: Record<string, unknown>): void {
  let key = "";
  let value: unknown = null;
  while (reader.more(end)) {
    const tag = reader.varint();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) key = reader.text();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) value = decodeValue(reader, reader.lengthEnd());
    else reader.skip(tag & 7);
  }
  reader.pos = end;
  into[key] = value;
}

/** A Value as `data()` gives it: numbers, strings, booleans, null, Timestamps, plain maps and arrays. */
function decodeValue(reader: Reader, end: number): unknown {
  let value: unknown = null;
  while (reader.more(end)) {
    const tag = reader.varint();
    switch (tag) {
      case (11 << 3) | VARINT:
        reader.varint();
        value = null;
        break;
      case (1 << 3) | VARINT:
        value = reader.varint() !== 0;
        break;
      case (2 << 3) | VARINT:
        value = reader.int64();
        break;
      case (3 << 3) | FIXED64:
        value = reader.double();
        break;
      case (17 << 3) | LENGTH_DELIMITED:
        value = reader.text();
        break;
      case (10 << 3) | LENGTH_DELIMITED:
        value = decodeTimestamp(reader, reader.lengthEnd());
        break;
      case (6 << 3) | LENGTH_DELIMITED: {
        const mapEnd = reader.lengthEnd();
        const map: Record<string, unknown> = {};
        while (reader.more(mapEnd)) {
          const entryTag = reader.varint();
          if (entryTag === ((1 << 3) | LENGTH_DELIMITED)) mapEntry(reader, reader.lengthEnd(), map);
          else reader.skip(entryTag & 7);
        }
        value = map;
        break;
      }
      case (9 << 3) | LENGTH_DELIMITED: {
        const arrayEnd = reader.lengthEnd();
        const array: unknown[] = [];
        while (reader.more(arrayEnd)) {
          const itemTag = reader.varint();
          if (itemTag === ((1 << 3) | LENGTH_DELIMITED)) array.push(decodeValue(reader, reader.lengthEnd()));
          else reader.skip(itemTag & 7);
        }
        value = array;
        break;
      }
      default:
        // bytes, references and geo points: no field a scan selects holds one.
        throw new Error(`RunQuery response: a value of field ${tag >>> 3} is not read by this decoder`);
    }
  }
  reader.pos = end;
  return value;
}

function decodeTimestamp(reader: Reader, end: number): Timestamp {
  let seconds = 0;
  let nanos = 0;
  while (reader.more(end)) {
    const tag = reader.varint();
    if (tag === ((1 << 3) | VARINT)) seconds = reader.int64();
    else if (tag === ((2 << 3) | VARINT)) nanos = reader.varint();
    else reader.skip(tag & 7);
  }
  reader.pos = end;
  return new Timestamp(seconds, nanos);
}
