/**
 * @module
 * Zod issues translated into FastAPI's (pydantic 2's) validation error shape, so that a 422 from gatehouse
 * reads like one from FastAPI: `{"type": "missing", "loc": ["body", "username"], "msg": "Field required", "input": null}`.
 */
import type { z } from "zod";
import type { ValidationIssue } from "./errors.ts";

type Loc = (string | number)[];

/** Validate `value`; on failure return FastAPI-shaped issues located under `loc`. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  loc: Loc,
): { ok: true; value: z.output<S> } | { ok: false; issues: ValidationIssue[] } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => toFastAPIIssue(schema, issue, loc, value)) };
}

function toFastAPIIssue(schema: z.ZodType, issue: z.core.$ZodIssue, loc: Loc, root: unknown): ValidationIssue {
  const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
  // pydantic reports what was sent; Zod's own `input` is the value after coercion (NaN for "abc").
  const sent = valueAt(root, path);
  const input = sent !== undefined ? sent : "input" in issue ? issue.input : undefined;
  const base = { loc: [...loc, ...path] };
  const { type, msg, ctx } = describe(issue, input, schemaAt(schema, [...path]));
  // pydantic reports a missing field with the object that lacks it (or null for a lone parameter).
  const shown = type === "missing" ? (path.length > 0 ? parentOf(root, path) : null) : input ?? null;
  return ctx ? { type, ...base, msg, input: shown, ctx } : { type, ...base, msg, input: shown };
}

function parentOf(root: unknown, path: (string | number)[]): unknown {
  return valueAt(root, path.slice(0, -1)) ?? null;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const key of path) node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };

/** The schema that validated the value at `path`, unwrapped; `undefined` where it cannot be told. */
function schemaAt(schema: z.ZodType, path: (string | number)[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (let i = 0; node; i++) {
    const def: Def = node.def as Def;
    if (def.innerType) node = def.innerType;
    else if (def.type === "pipe" && def.in) node = def.in;
    else if (i >= path.length) return node;
    else if (def.shape) node = def.shape[path.shift() as string];
    else if (def.element) (path.shift(), (node = def.element));
    else return undefined;
  }
  return undefined;
}

function isInteger(schema: z.ZodType | undefined): boolean {
  return (schema as { format?: string | null } | undefined)?.format === "safeint";
}

const typeNames: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  number: ["float_parsing", "Input should be a valid number, unable to parse string as a number"],
  int: ["int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
  boolean: ["bool_parsing", "Input should be a valid boolean, unable to interpret input"],
  object: ["model_attributes_type", "Input should be a valid dictionary or object to extract fields from"],
  array: ["list_type", "Input should be a valid list"],
};

function describe(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType | undefined): { type: string; msg: string; ctx?: Record<string, unknown> } {
  switch (issue.code) {
    case "invalid_type": {
      if (input === undefined) return { type: "missing", msg: "Field required" };
      const known = typeNames[issue.expected === "number" && isInteger(schema) ? "int" : issue.expected];
      return known ? { type: known[0], msg: known[1] } : { type: `${issue.expected}_type`, msg: `Input should be a valid ${issue.expected}` };
    }
    case "too_small":
      return bound(issue.origin, issue.minimum, issue.inclusive ?? true, "min");
    case "too_big":
      return bound(issue.origin, issue.maximum, issue.inclusive ?? true, "max");
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue && issue.pattern) {
        const pattern = String(issue.pattern);
        return { type: "string_pattern_mismatch", msg: `String should match pattern '${pattern}'`, ctx: { pattern } };
      }
      return { type: "value_error", msg: `Value error, value is not a valid ${issue.format}` };
    case "invalid_value": {
      const expected = issue.values.map((v) => `'${String(v)}'`);
      const text = expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : (expected[0] ?? "");
      return { type: "literal_error", msg: `Input should be ${text}`, ctx: { expected: text } };
    }
    case "unrecognized_keys":
      return { type: "extra_forbidden", msg: "Extra inputs are not permitted" };
    default:
      return { type: "value_error", msg: `Value error, ${issue.message}` };
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean, side: "min" | "max") {
  const n = Number(limit);
  if (origin === "string") {
    return side === "min"
      ? { type: "string_too_short", msg: `String should have at least ${n} character${n === 1 ? "" : "s"}`, ctx: { min_length: n } }
      : { type: "string_too_long", msg: `String should have at most ${n} character${n === 1 ? "" : "s"}`, ctx: { max_length: n } };
  }
  if (origin === "array" || origin === "set") {
    return side === "min"
      ? { type: "too_short", msg: `List should have at least ${n} item${n === 1 ? "" : "s"} after validation`, ctx: { min_length: n } }
      : { type: "too_long", msg: `List should have at most ${n} item${n === 1 ? "" : "s"} after validation`, ctx: { max_length: n } };
  }
  const [type, words, key] =
    side === "min"
      ? inclusive ? ["greater_than_equal", "greater than or equal to", "ge"] : ["greater_than", "greater than", "gt"]
      : inclusive ? ["less_than_equal", "less than or equal to", "le"] : ["less_than", "less than", "lt"];
  return { type, msg: `Input should be ${words} ${n}`, ctx: { [key]: n } };
}
