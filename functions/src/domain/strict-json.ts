/**
 * JSON with one meaning. `JSON.parse` keeps the last of an object's repeated keys and other
 * readers may keep the first, so a verification bundle that repeats a key could show one figure
 * to a person's tool and another to the verifier: such a text is refused, naming the key. So is
 * a "__proto__" key: JSON.parse keeps it as data, but a JavaScript copy of the object
 * (`out[key] = value`) makes it the copy's prototype, whose fields every read then inherits.
 */
export type StrictJson = { ok: true; value: unknown } | { ok: false; reason: "not_json" | "repeated_key" | "proto_key"; error: string };

export function parseStrictJson(text: string): StrictJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: "not_json", error: `not JSON: ${(error as Error).message}` };
  }
  const problem = refusedKey(text);
  if (!problem) return { ok: true, value };
  return problem.repeated
    ? { ok: false, reason: "repeated_key", error: `key ${JSON.stringify(problem.key)} appears twice in the object at ${problem.path}` }
    : {
        ok: false,
        reason: "proto_key",
        error: `key "__proto__" in the object at ${problem.path} is refused: JavaScript would read it as the object's prototype, not as data`,
      };
}

interface Frame {
  keys: Set<string> | null;
  path: string;
  /** The next array index, or the last key read (its value is the next token). */
  at: number | string;
}

/** The first key of `text` (well-formed JSON) repeated in its object or named "__proto__", with that object's path. */
function refusedKey(text: string): { key: string; path: string; repeated: boolean } | null {
  const stack: Frame[] = [];
  const childPath = () => {
    const top = stack[stack.length - 1];
    if (!top) return "$";
    if (typeof top.at === "number") return `${top.path}[${top.at}]`;
    // Quoted unless a plain name, so that a key holding dots, brackets or control characters reads as one key.
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(top.at) ? `${top.path}.${top.at}` : `${top.path}[${JSON.stringify(top.at)}]`;
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (key === "__proto__") return { key, path: top.path, repeated: false };
        if (top.keys.has(key)) return { key, path: top.path, repeated: true };
        top.keys.add(key);
        top.at = key;
        expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      stack.push({ keys: c === "{" ? new Set() : null, path: childPath(), at: 0 });
      expectKey = c === "{";
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
    }
  }
  return null;
}
