// Canonical JSON: one byte sequence per value, so that a hash of it is stable across
// processes, machines and languages. It is RFC 8785 (JSON Canonicalization Scheme)
// for plain JSON values, plus two documented extensions:
//
// - object keys sorted by UTF-16 code unit (JavaScript's default string order, not a
//   locale order); no whitespace anywhere;
// - strings escaped as JSON.stringify escapes them (lone surrogates become \udxxx, so
//   the output is always valid UTF-16 and encodes to UTF-8 without loss);
// - numbers in the shortest form that round-trips (ECMAScript Number::toString, as
//   JSON.stringify writes them: 9771.9, 0.00005, 1e+21); -0 is written 0;
//   NaN and ±Infinity are rejected: JSON cannot hold them and they are always a bug;
// - extension: a Date is written as its ISO 8601 string (an invalid Date is rejected);
// - extension: an object property whose value is undefined is omitted, as JSON.stringify
//   and Firestore's ignoreUndefinedProperties do, so {a: 1, b: undefined} ≡ {a: 1};
// - undefined anywhere else (top level, array element, array hole), bigint, functions,
//   symbols, cycles and objects that are not plain (Map, Set, class instances such as a
//   Firestore Timestamp: convert it to a Date first) are rejected with a TypeError
//   naming the path, rather than silently serialised as JSON.stringify would.
// toJSON methods are not honoured: what is hashed is the data, not a class's view of it.
//
// Typed canonical JSON (canonicalTypedJson, report hash scheme v2) differs in one rule: a
// Date is written as the object {"$date":"<ISO 8601>"}, and a plain object key starting
// with "$" is rejected (it is reserved for such type tags), so a Date and its ISO string
// never share a text. toTypedJson/fromTypedJson convert between a value and the JSON-safe
// form that carries the same tags (what a statement bundle holds).

export const DATE_TAG = "$date";

function fail(path: string, problem: string): never {
  throw new TypeError(`canonical JSON: ${path} ${problem}`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string, ancestors: Set<object>, out: string[], typed: boolean): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) fail(path, `is ${value}, which JSON cannot represent`);
      out.push(JSON.stringify(value)); // Number::toString; -0 → "0"
      return;
    case "object":
      break;
    case "bigint":
      return fail(path, "is a bigint; convert it to a number or a string first");
    default: // undefined, function, symbol
      fail(path, `is ${value === undefined ? "undefined" : `a ${typeof value}`}`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  const object = value as object;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) fail(path, "is an invalid Date");
    const iso = JSON.stringify(object.toISOString());
    out.push(typed ? `{"${DATE_TAG}":${iso}}` : iso);
    return;
  }
  if (ancestors.has(object)) fail(path, "refers back to itself (a cycle)");
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push("[");
    for (let i = 0; i < object.length; i += 1) {
      if (i > 0) out.push(",");
      if (!(i in object)) fail(`${path}[${i}]`, "is a hole in a sparse array");
      write(object[i], `${path}[${i}]`, ancestors, out, typed);
    }
    out.push("]");
  } else {
    if (!isPlainObject(object)) {
      fail(path, `is a ${object.constructor?.name ?? "non-plain"} object, not a plain object`);
    }
    const record = object as Record<string, unknown>;
    out.push("{");
    let first = true;
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      if (typed && key.startsWith("$"))
        fail(`${path}.${key}`, 'is a key starting with "$", which typed canonical JSON reserves for type tags');
      if (!first) out.push(",");
      first = false;
      out.push(JSON.stringify(key), ":");
      write(member, `${path}.${key}`, ancestors, out, typed);
    }
    out.push("}");
  }
  ancestors.delete(object);
}

/** The canonical JSON text of `value` (see the rules above). Throws a TypeError for what JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, "$", new Set<object>(), out, false);
  return out.join("");
}

/** The typed canonical JSON text of `value`: as canonicalJson, but a Date is {"$date":"…"} (see above). */
export function canonicalTypedJson(value: unknown): string {
  const out: string[] = [];
  write(value, "$", new Set<object>(), out, true);
  return out.join("");
}

/** `value` with every Date replaced by {"$date": ISO string}: JSON.stringify keeps the type. */
export function toTypedJson(value: unknown): unknown {
  if (value instanceof Date) return { [DATE_TAG]: value.toISOString() };
  if (Array.isArray(value)) return value.map(toTypedJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) setOwn(out, key, toTypedJson(member));
    return out;
  }
  return value;
}

/** The key whose assignment sets an object's prototype instead of a property: refused in data read from outside. */
export const PROTO_KEY = "__proto__";

/** Always an own data property: `out[key] = v` with key "__proto__" would set the prototype. */
function setOwn(out: Record<string, unknown>, key: string, member: unknown): void {
  Object.defineProperty(out, key, { value: member, writable: true, enumerable: true, configurable: true });
}

/** What toTypedJson writes for a Date (Date#toISOString, years 0000–9999); the fraction may be shorter or absent. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,3}))?Z$/;

/**
 * The Date a $date tag's text names, read as the exporter writes it and nothing else: V8's
 * Date parser also takes RFC 2822 and other texts, and reads a text without a zone in local
 * time, so a lenient read would let one bundle mean different instants on different machines.
 */
function dateOfTag(text: unknown, path: string): Date {
  if (typeof text !== "string") fail(path, `is a ${DATE_TAG} tag whose value is not a string`);
  const match = ISO_UTC.exec(text);
  if (!match) {
    fail(path, `is a ${DATE_TAG} tag whose text ${JSON.stringify(text)} is not an ISO 8601 UTC time YYYY-MM-DDTHH:MM:SS[.sss]Z`);
  }
  const date = new Date(text);
  const normalized = `${text.slice(0, 19)}.${(match[1] ?? "").padEnd(3, "0")}Z`;
  // Date rolls 2026-02-30 over to March 2 and 24:00 to the next day: the text must name the instant it reads as.
  if (Number.isNaN(date.getTime()) || date.toISOString() !== normalized) {
    fail(path, `is a ${DATE_TAG} tag whose text ${JSON.stringify(text)} names no such date and time`);
  }
  return date;
}

/**
 * The inverse of toTypedJson: {"$date": ISO} objects become Dates again. A TypeError names what
 * it refuses: a $date tag not written as toTypedJson writes it, and a "__proto__" key anywhere.
 */
export function fromTypedJson(value: unknown, path = "$"): unknown {
  if (Array.isArray(value)) return value.map((v, i) => fromTypedJson(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === DATE_TAG) return dateOfTag(record[DATE_TAG], path);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (key === PROTO_KEY) {
        fail(`${path}.${key}`, `is a "${PROTO_KEY}" key, refused: JavaScript would read it as the object's prototype, not as data`);
      }
      setOwn(out, key, fromTypedJson(record[key], `${path}.${key}`));
    }
    return out;
  }
  return value;
}
