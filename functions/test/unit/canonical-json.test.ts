import { expect } from "chai";
import fc from "fast-check";
import { canonicalJson, canonicalTypedJson, fromTypedJson, toTypedJson } from "../../src/domain/canonical-json";

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") {
    // fromEntries defines own properties, so a "__proto__" key stays a key (assignment would set the prototype).
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((key) => [key, reverseKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

describe("canonicalJson", () => {
  it("sorts keys at every level and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x", { z: 0, y: -2.5 }], c: { e: 2, d: 1 } })).to.equal(
      '{"a":[true,null,"x",{"y":-2.5,"z":0}],"b":1,"c":{"d":1,"e":2}}',
    );
  });

  it("orders keys by UTF-16 code unit", () => {
    const text = canonicalJson({ "\uFF5E": 1, a: 2, "\u{1F600}": 3, B: 4, é: 5, "10": 6, "9": 7 });
    // "10" < "9" < "B" < "a" < "é" (U+00E9) < U+1F600 (0xD83D…) < U+FF5E
    expect(text).to.equal('{"10":6,"9":7,"B":4,"a":2,"é":5,"\u{1F600}":3,"\uFF5E":1}');
  });

  it("writes numbers in their shortest round-trip form", () => {
    expect(canonicalJson([9771.9, 100, 0.1 + 0.2, 1e21, 5e-7, -0, 0.00005, 2 ** 53])).to.equal(
      "[9771.9,100,0.30000000000000004,1e+21,5e-7,0,0.00005,9007199254740992]",
    );
  });

  it("escapes strings as JSON does, lone surrogates included", () => {
    expect(canonicalJson('line\nbreak "q" \\ \u0001')).to.equal('"line\\nbreak \\"q\\" \\\\ \\u0001"');
    expect(canonicalJson("\uD800")).to.equal('"\\ud800"');
  });

  it("writes a Date as its ISO string", () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 0, 31, 23, 59, 58, 7)) })).to.equal('{"at":"2024-01-31T23:59:58.007Z"}');
    expect(() => canonicalJson(new Date(Number.NaN))).to.throw(TypeError, /invalid Date/);
  });

  it("omits undefined properties", () => {
    expect(canonicalJson({ a: 1, b: undefined })).to.equal(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 1, b: undefined })).to.equal('{"a":1}');
  });

  it("rejects NaN and infinities, naming where they are", () => {
    expect(() => canonicalJson(Number.NaN)).to.throw(TypeError, /\$ is NaN/);
    expect(() => canonicalJson({ totals: { shrinkage_percent: Number.NaN } })).to.throw(TypeError, /\$\.totals\.shrinkage_percent is NaN/);
    expect(() => canonicalJson([1, Number.POSITIVE_INFINITY])).to.throw(TypeError, /\$\[1\] is Infinity/);
    expect(() => canonicalJson({ x: Number.NEGATIVE_INFINITY })).to.throw(TypeError, /-Infinity/);
  });

  it("rejects undefined outside an object property, and sparse arrays", () => {
    expect(() => canonicalJson(undefined)).to.throw(TypeError, /undefined/);
    expect(() => canonicalJson([1, undefined])).to.throw(TypeError, /\$\[1\] is undefined/);
    // eslint-disable-next-line no-sparse-arrays -- the hole is what this asserts on
    expect(() => canonicalJson([1, , 3])).to.throw(TypeError, /hole/);
  });

  it("rejects what JSON cannot hold instead of mangling it", () => {
    expect(() => canonicalJson({ n: 10n })).to.throw(TypeError, /bigint/);
    expect(() => canonicalJson({ f: () => 1 })).to.throw(TypeError, /function/);
    expect(() => canonicalJson({ s: Symbol("s") })).to.throw(TypeError, /symbol/);
    expect(() => canonicalJson({ m: new Map([["a", 1]]) })).to.throw(TypeError, /Map/);
    class Timestamp {
      constructor(readonly seconds: number) {}
    }
    expect(() => canonicalJson({ at: new Timestamp(1) })).to.throw(TypeError, /Timestamp/);
  });

  it("rejects cycles but accepts a value shared twice", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(() => canonicalJson(loop)).to.throw(TypeError, /cycle/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).to.equal('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it("accepts objects without a prototype", () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalJson(bare)).to.equal('{"a":1,"b":2}');
  });

  describe("properties", () => {
    it("does not depend on key insertion order", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          expect(canonicalJson(reverseKeys(value))).to.equal(canonicalJson(value));
        }),
        { numRuns: 300 },
      );
    });

    it("is stable: what it writes parses to a value it writes identically", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = canonicalJson(value);
          expect(canonicalJson(JSON.parse(text))).to.equal(text);
          expect(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')).to.not.match(/\s/); // no whitespace outside strings
        }),
        { numRuns: 300 },
      );
    });

    it("agrees with JSON.parse on the value", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          // JSON.stringify keeps insertion order; the parsed values must still be equal
          expect(JSON.parse(canonicalJson(value))).to.deep.equal(JSON.parse(JSON.stringify(value)));
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe("canonicalTypedJson and the typed JSON form", () => {
  it("writes a Date as a $date tag, so it never equals its ISO string", () => {
    const at = new Date(Date.UTC(2024, 0, 31, 23, 59, 58, 7));
    expect(canonicalTypedJson({ at })).to.equal('{"at":{"$date":"2024-01-31T23:59:58.007Z"}}');
    expect(canonicalTypedJson({ at: at.toISOString() })).to.equal('{"at":"2024-01-31T23:59:58.007Z"}');
  });

  it("rejects keys that could forge a tag", () => {
    expect(() => canonicalTypedJson({ at: { $date: "2024-01-31T23:59:58.007Z" } })).to.throw(/\$\.at\.\$date is a key starting with "\$"/);
  });

  it("round-trips Dates through JSON text", () => {
    const value = { a: [new Date(0), "x", { b: new Date(86_400_000) }], n: 1.5 };
    const back = fromTypedJson(JSON.parse(JSON.stringify(toTypedJson(value))));
    expect(canonicalTypedJson(back)).to.equal(canonicalTypedJson(value));
    expect(() => fromTypedJson({ $date: "not a date" })).to.throw(/\$date tag/);
  });

  it("reads a $date tag only as toTypedJson writes it: ISO 8601 in UTC, naming a real date", () => {
    const at = (text: unknown) => fromTypedJson({ at: { $date: text } }) as { at: Date };
    expect(at("2026-01-03T00:00:00.000Z").at.getTime()).to.equal(Date.UTC(2026, 0, 3));
    expect(at("2026-01-03T00:00:00Z").at.getTime()).to.equal(Date.UTC(2026, 0, 3));
    expect(at("2024-02-29T23:59:59.5Z").at.getTime()).to.equal(Date.UTC(2024, 1, 29, 23, 59, 59, 500));
    for (const text of [
      "Sat, 03 Jan 2026 00:00:00 GMT",
      "Sat, 03 Jan 2026 00:00:00 GMT (period end 2026-02-03)",
      "2026-01-03T00:00:00", // no zone: JavaScript reads it in local time
      "2026-01-03",
      "2026-01-03T00:00:00.000+00:00",
      "2026-01-03 00:00:00.000Z",
      "2026-01-03T00:00:00.0000Z",
      "2026-01-03T00:00:00.000z",
      "+002026-01-03T00:00:00.000Z",
    ]) {
      expect(() => at(text), text).to.throw(TypeError, /^canonical JSON: \$\.at is a \$date tag whose text .* is not an ISO 8601 UTC time/);
    }
    for (const text of ["2026-02-30T00:00:00.000Z", "2026-01-01T24:00:00.000Z", "2026-01-01T00:00:60Z", "2026-13-01T00:00:00Z"]) {
      expect(() => at(text), text).to.throw(TypeError, /names no such date and time/);
    }
    expect(() => at(1767398400000)).to.throw(TypeError, /\$\.at is a \$date tag whose value is not a string/);
  });

  it("refuses a __proto__ key at any depth instead of making it the prototype", () => {
    const parsed = JSON.parse('{"report":{"allocations":[{"__proto__":{"corrections":[]}}]}}') as unknown;
    expect(() => fromTypedJson(parsed, "$.bundle")).to.throw(
      TypeError,
      'canonical JSON: $.bundle.report.allocations[0].__proto__ is a "__proto__" key, refused: JavaScript would read it as the object\'s prototype, not as data',
    );
    // Every other key is an own property of an ordinary object, inherited names included.
    const back = fromTypedJson(JSON.parse('{"constructor":1,"toString":{"a":2}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).to.equal(Object.prototype);
    expect(back).to.deep.equal({ constructor: 1, toString: { a: 2 } });
    // toTypedJson keeps such a key as data too, rather than setting the copy's prototype.
    const typed = toTypedJson(JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.keys(typed)).to.deep.equal(["__proto__"]);
    expect(Object.getPrototypeOf(typed)).to.equal(Object.prototype);
  });
});
