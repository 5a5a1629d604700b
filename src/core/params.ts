/**
 * @module
 * Request parameters declared with Zod: `query`, `path`, `header`, `cookie`, `body` (JSON) and `form`.
 * The key under which a parameter stands in `needs` is its name, as a Python parameter name is in FastAPI.
 */
import { gatehouseError } from "./errors.ts";
import { z } from "zod";
import type { ValidationIssue } from "./errors.ts";
import { firstValue, lastValue, type RequestView } from "./request.ts";
import type { Injectable } from "./types.ts";
import { validate } from "./validation.ts";

export type ParamLocation = "path" | "query" | "header" | "cookie" | "body" | "form";

export interface ParamOptions {
  /** The name on the wire, when it differs from the key in `needs`. */
  readonly alias?: string;
  readonly description?: string;
  readonly deprecated?: boolean;
}

export interface BodyOptions extends ParamOptions {
  /** Read the body's field named by the key instead of the whole body (FastAPI's `Body(embed=True)`). */
  readonly embed?: boolean;
}

/** A declared request parameter; injects its validated value. */
export class Param<T> implements Injectable<T, never> {
  declare readonly "~types": { readonly value: T; readonly scopes: never };
  readonly kind = "param" as const;

  constructor(
    readonly location: ParamLocation,
    readonly schema: z.ZodType,
    readonly options: BodyOptions = {},
  ) {}

  /** The parameter's name on the wire when it stands under `key` in `needs`. */
  wireName(key: string): string {
    if (this.options.alias) return this.options.alias;
    // FastAPI turns `user_agent` into `user-agent`; camelCase keys get the same treatment.
    if (this.location === "header") return key.replace(/_/g, "-").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
    return key;
  }
}

/** A query parameter: `?name=value`. Repeated values: the last wins, unless the schema is an array. */
export const query = <S extends z.ZodType>(schema: S, options?: ParamOptions) => new Param<z.output<S>>("query", schema, options);
/** A path parameter: `/items/{id}`. */
export const path = <S extends z.ZodType>(schema: S, options?: ParamOptions) => new Param<z.output<S>>("path", schema, options);
/** A header; `userAgent` or `user_agent` reads `user-agent`. */
export const header = <S extends z.ZodType>(schema: S, options?: ParamOptions) => new Param<z.output<S>>("header", schema, options);
/** A cookie. */
export const cookie = <S extends z.ZodType>(schema: S, options?: ParamOptions) => new Param<z.output<S>>("cookie", schema, options);
/** The JSON body (or one field of it, with `embed: true`). */
export const body = <S extends z.ZodType>(schema: S, options?: BodyOptions) => new Param<z.output<S>>("body", schema, options);
/**
 * An `application/x-www-form-urlencoded` or multipart body, one Zod field per form field. As in FastAPI,
 * an empty field counts as absent.
 */
export const form = <S extends z.ZodObject>(schema: S, options?: ParamOptions) => {
  if (!(schema instanceof z.ZodObject)) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: form(schema) needs a z.object({...}) schema");
  return new Param<z.output<S>>("form", schema, options);
};

export type ParamResult = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/** Compile, once, the function that reads and validates a parameter from a request. */
export function paramReader(param: Param<unknown>, key: string): (req: RequestView) => ParamResult {
  const name = param.wireName(key);
  const schema = param.schema;
  const many = isArraySchema(schema);
  switch (param.location) {
    case "path":
      return (req) => validate(schema, req.params[name], ["path", name]);
    case "query":
      return (req) => validate(schema, pick(req.query[name], many), ["query", name]);
    case "header":
      return (req) => validate(schema, many ? req.headers[name] : req.header(name), ["header", name]);
    case "cookie":
      return (req) => validate(schema, req.cookies[name], ["cookie", name]);
    case "body":
      if (param.options.embed) return (req) => validate(schema, fieldsOf(req.body)[name], ["body", name]);
      return (req) => validate(schema, jsonBody(req.body), ["body"]);
    case "form":
      return formReader(schema as z.ZodObject);
  }
}

function formReader(schema: z.ZodObject): (req: RequestView) => ParamResult {
  const fields = Object.entries(schema.shape).map(([field, fieldSchema]) => [field, isArraySchema(fieldSchema as z.ZodType)] as const);
  return (req) => {
    // Like Starlette's request.form(), only a form media type has fields; a JSON body has none.
    const sent = isFormRequest(req) ? fieldsOf(req.body) : {};
    const values: Record<string, unknown> = {};
    for (const [field, many] of fields) {
      const raw = pick(sent[field] as string | string[] | undefined, many);
      // FastAPI treats an empty form field as not sent, so defaults apply and required fields are missing.
      if (raw !== undefined && raw !== "" && !(Array.isArray(raw) && raw.length === 0)) values[field] = raw;
    }
    const result = validate(schema, values, ["body"]);
    if (!result.ok) for (const issue of result.issues) if (issue.type === "missing") issue.input = null;
    return result;
  };
}

function isFormRequest(req: RequestView): boolean {
  const type = firstValue(req.headers["content-type"])?.toLowerCase() ?? "";
  return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
}

function pick(value: string | string[] | undefined, many: boolean): string | string[] | undefined {
  if (many) return value === undefined ? undefined : Array.isArray(value) ? value : [value];
  return lastValue(value);
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : {};
}

function jsonBody(body: unknown): unknown {
  return Buffer.isBuffer(body) ? body.toString("utf8") : body;
}

function isArraySchema(schema: z.ZodType): boolean {
  let def = schema.def as { type: string; innerType?: z.ZodType };
  while (def.innerType) def = def.innerType.def as typeof def;
  return def.type === "array";
}
