/**
 * A small JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator for the keywords the
 * ingestion contract uses. An unknown keyword is an error, so the contract can never use one
 * that is silently ignored here.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["description", "summary", "title", "example", "examples", "format", "default"]);
const KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "$ref",
  "oneOf",
  "anyOf",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function validate(document: Schema, schema: Schema, value: unknown, at = "$"): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) errors.push(`${at}: the validator does not know keyword ${key}`);
  }
  if (typeof schema.$ref === "string") {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, part) => (node as Schema)?.[part], document);
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`];
    errors.push(...validate(document, target as Schema, value, at));
  }
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const actual = typeOf(value);
    if (!allowed.includes(actual) && !(actual === "integer" && allowed.includes("number")))
      return [...errors, `${at}: expected ${allowed.join("|")}, got ${actual}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ("const" in schema && schema.const !== value) errors.push(`${at}: expected const ${JSON.stringify(schema.const)}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below minimum ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above maximum ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      errors.push(`${at}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
      errors.push(`${at}: not below ${schema.exclusiveMaximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength)
      errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...validate(document, schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in record)) errors.push(`${at}: missing ${name}`);
    for (const [name, item] of Object.entries(record)) {
      if (properties[name]) errors.push(...validate(document, properties[name], item, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${name}`);
      else if (typeof schema.additionalProperties === "object")
        errors.push(...validate(document, schema.additionalProperties as Schema, item, `${at}.${name}`));
    }
  }
  for (const combinator of ["oneOf", "anyOf"] as const) {
    const options = schema[combinator] as Schema[] | undefined;
    if (!options) continue;
    const passing = options.filter((option) => validate(document, option, value, at).length === 0).length;
    if (combinator === "oneOf" ? passing !== 1 : passing === 0) errors.push(`${at}: ${passing} of the ${combinator} schemas match`);
  }
  return errors;
}
