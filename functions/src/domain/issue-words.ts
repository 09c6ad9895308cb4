import type { z } from "zod";

/**
 * What is wrong with one field of a request, in words a person can act on. A schema's own
 * message ("must be YYYY-MM-DD") is kept as written; zod's stock ones ("Too big: expected string
 * to have <=64 characters", "Invalid ISO datetime") are said again plainly.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_big":
      if (!issue.message.startsWith("Too big")) return issue.message;
      if (issue.exact) return exactly(issue.origin, issue.maximum);
      return bound("most", "below", issue.origin, issue.maximum, issue.inclusive !== false);
    case "too_small":
      if (!issue.message.startsWith("Too small")) return issue.message;
      if (issue.exact) return exactly(issue.origin, issue.minimum);
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      return bound("least", "above", issue.origin, issue.minimum, issue.inclusive !== false);
    case "invalid_type": {
      const got = /received (-?\w+)/.exec(issue.message)?.[1];
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      if (got === "undefined") return "is required";
      // JSON's 1e400 and -1e400 parse to ±Infinity: the sender did send a number, one no double holds.
      if (got === "Infinity" || got === "-Infinity") return "is out of range (overflows a double)";
      // 5.5 against .int(): a number, not a whole one.
      if (issue.expected === "int")
        return got === "number" ? "must be a whole number" : `must be a whole number, not ${article(got ?? "")}`;
      return `must be ${article(issue.expected)}${got ? `, not ${article(got)}` : ""}`;
    }
    case "invalid_format":
      if (issue.format === "datetime" && issue.message.startsWith("Invalid")) {
        return "must be an RFC 3339 date-time with a zone, e.g. 2026-10-31T06:00:00Z or 2026-10-31T07:00:00+01:00";
      }
      return issue.message;
    case "invalid_value":
      if (!issue.message.startsWith("Invalid")) return issue.message;
      return `must be ${issue.values.length === 1 ? "" : "one of "}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `${issue.keys.length === 1 ? "unknown field" : "unknown fields"} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** A field's path in words: "meter_ids item 2" for meter_ids.1 (items counted from 1), "" for the request itself. */
export function pathInWords(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => (typeof segment === "number" ? ` item ${segment + 1}` : `${i === 0 ? "" : "."}${String(segment)}`))
    .join("")
    .trim();
}

function bound(
  inclusiveWord: "most" | "least",
  exclusiveWord: "below" | "above",
  origin: string,
  limit: unknown,
  inclusive: boolean,
): string {
  const n = String(limit);
  switch (origin) {
    case "string":
      return `must be at ${inclusiveWord} ${n} characters`;
    case "array":
    case "set":
      return `must hold at ${inclusiveWord} ${n} ${n === "1" ? "item" : "items"}`;
    default:
      return inclusive ? `must be at ${inclusiveWord} ${n}` : `must be ${exclusiveWord} ${n}`;
  }
}

/** "a number", "an object"; null, NaN and Infinity as they are. */
function exactly(origin: string, n: unknown): string {
  if (origin === "string") return `must be exactly ${String(n)} characters`;
  return origin === "array" || origin === "set" ? `must hold exactly ${String(n)} items` : `must be exactly ${String(n)}`;
}

const article = (type: string) => (!/^[a-z]/.test(type) || type === "null" ? type : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
