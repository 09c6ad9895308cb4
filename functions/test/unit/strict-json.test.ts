import { expect } from "chai";
import { parseStrictJson } from "../../src/domain/strict-json";

describe("parseStrictJson", () => {
  it("reads JSON whose objects name each key once, as JSON.parse reads it", () => {
    const text = JSON.stringify({ a: 1, b: [{ a: 2, b: 'x"y' }, { a: 3 }], c: { d: { e: null } }, "a.b": "\\" });
    expect(parseStrictJson(text)).to.deep.equal({ ok: true, value: JSON.parse(text) });
  });

  it("refuses an object repeating a key, naming the key and the object's path", () => {
    expect(parseStrictJson('{"report":{"allocations":[{"allocated_bbl":1},{"allocated_bbl":2,"allocated_bbl":3}]}}')).to.deep.equal({
      ok: false,
      reason: "repeated_key",
      error: 'key "allocated_bbl" appears twice in the object at $.report.allocations[1]',
    });
    expect(parseStrictJson('{"a":1 , "a" :1}')).to.deep.equal({
      ok: false,
      reason: "repeated_key",
      error: 'key "a" appears twice in the object at $',
    });
  });

  it("compares keys as read, so an escaped spelling of the same key is the same key", () => {
    expect(parseStrictJson('{"sealed":1,"s\\u0065aled":2}')).to.deep.equal({
      ok: false,
      reason: "repeated_key",
      error: 'key "sealed" appears twice in the object at $',
    });
  });

  it("does not mistake quotes, braces and commas inside strings or equal keys in sibling objects for repeats", () => {
    const text = '[{"k":"a,\\"k\\":{"},{"k":"}]"},{"k":[{"k":1},{"k":2}]}]';
    expect(parseStrictJson(text)).to.deep.equal({ ok: true, value: JSON.parse(text) });
  });

  it("quotes a key and a path segment that are not plain names, so control characters and dots cannot disguise them", () => {
    expect(parseStrictJson('{"a.b":{"x\\u001b[2J":1,"x\\u001b[2J":2}}')).to.deep.equal({
      ok: false,
      reason: "repeated_key",
      error: 'key "x\\u001b[2J" appears twice in the object at $["a.b"]',
    });
  });

  it("refuses a __proto__ key at any depth, however its name is escaped, naming the object's path", () => {
    expect(parseStrictJson('{"report":{"allocations":[{"__proto__":{"allocated_bbl":1}}]}}')).to.deep.equal({
      ok: false,
      reason: "proto_key",
      error:
        'key "__proto__" in the object at $.report.allocations[0] is refused: JavaScript would read it as the object\'s prototype, not as data',
    });
    expect(parseStrictJson('{"\\u005f_proto__":null}')).to.include({ ok: false, reason: "proto_key" });
    // As a value, or a key that only contains the name, it is data like any other.
    expect(parseStrictJson('{"k":"__proto__","__proto__x":1}')).to.include({ ok: true });
  });

  it("says why a text is not JSON at all", () => {
    const result = parseStrictJson('{"a":1,}');
    expect(result.ok).to.equal(false);
    expect(result).to.include({ reason: "not_json" });
    expect((result as { error: string }).error).to.match(/^not JSON: /);
  });
});
