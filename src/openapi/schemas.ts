/**
 * @module
 * Zod schemas → JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) with `z.toJSONSchema`, and the
 * document's `components.schemas`. A schema named with `.meta({ id: "User" })` becomes the component
 * `User`, referenced by `$ref` wherever it appears, as FastAPI does with pydantic models. Titles are added
 * the way pydantic writes them (`"title": "Full Name"`), so the docs pages read as FastAPI's do.
 */
import { z } from "zod";
import { titleCase } from "./names.ts";
import type { JSONSchema } from "./types.ts";

/** `input` describes what a client sends (requests), `output` what the app sends (responses). */
export type SchemaIO = "input" | "output";

const REF = "#/components/schemas/";
/** Separates a model's id from the direction in a reference whose final name is not known yet. */
const SEP = "\u0000";

/**
 * The named schemas of one document. A model used both ways whose input and output forms differ (a
 * default makes a field optional to send but always present in what is sent back) becomes two
 * components, `Item-Input` and `Item-Output`, as in FastAPI; otherwise it is one, `Item`.
 */
export class SchemaComponents {
  readonly #models = new Map<string, Partial<Record<SchemaIO, JSONSchema>>>();
  readonly #named = new Map<string, JSONSchema>();
  #unnamed = 0;

  /**
   * The JSON Schema of `schema`. Named schemas inside it become components; so does the schema itself
   * when `name` is given (FastAPI's `Body_<operation id>`) and it has no name of its own, or when it
   * refers to itself. References are final only after {@link finish}.
   */
  convert(schema: z.ZodType, io: SchemaIO, name?: string): JSONSchema {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JSONSchema;
    const { $schema: _dialect, $defs, ...root } = json;
    const defs = Object.entries(($defs ?? {}) as Record<string, JSONSchema>);
    // Zod numbers unnamed recursive schemas per call (`__schema0`); each gets a name unique in the document.
    // OpenAPI allows only `[A-Za-z0-9._-]` in a component's name.
    const ids = new Map(defs.map(([id]) => [id, id.startsWith("__schema") ? this.#fresh() : id.replace(/[^\w.-]/g, "_")]));
    // `"$ref": "#"` is Zod's reference to an unnamed root that contains itself.
    const recursive = JSON.stringify(json).includes('"$ref":"#"');
    const rootName = name ?? (recursive ? this.#fresh() : undefined);
    const to = (ref: string) => (ref === "#" ? REF + rootName : REF + ids.get(ref.slice(8)) + SEP + io);
    for (const [id, def] of defs) {
      const model = this.#models.get(ids.get(id)!) ?? {};
      model[io] ??= prepare(def, to);
      this.#models.set(ids.get(id)!, model);
    }
    const converted = prepare(root, to);
    if (rootName === undefined || typeof converted.$ref === "string") return converted;
    return this.define(rootName, converted);
  }

  /** Add a component under `name` and return a reference to it. */
  define(name: string, schema: JSONSchema): JSONSchema {
    this.#named.set(name, schema);
    return { $ref: REF + name };
  }

  /** The components, by name, and `resolve`, which gives a value's references their final names. */
  finish(): { schemas: Record<string, JSONSchema>; resolve: <T>(value: T) => T } {
    const split = new Set<string>();
    const nameOf = (id: string, io: string) => (split.has(id) ? `${id}-${io === "input" ? "Input" : "Output"}` : id);
    const resolve = <T>(value: T): T =>
      JSON.parse(JSON.stringify(value), (key, ref: unknown) =>
        key === "$ref" && typeof ref === "string" && ref.includes(SEP) ? REF + nameOf(...(ref.slice(REF.length).split(SEP) as [string, string])) : ref,
      ) as T;
    // Splitting one model changes the references in others, so look again until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, { input, output }] of this.#models) {
        if (input && output && !split.has(id) && JSON.stringify(resolve(input)) !== JSON.stringify(resolve(output))) {
          split.add(id);
          changed = true;
        }
      }
    }
    const schemas: Record<string, JSONSchema> = {};
    for (const [id, forms] of this.#models) {
      for (const [io, schema] of Object.entries(forms)) schemas[nameOf(id, io)] ??= { title: id, ...resolve(schema) };
    }
    for (const [name, schema] of this.#named) schemas[name] = { title: name, ...resolve(schema) };
    return { schemas, resolve };
  }

  #fresh(): string {
    return `Schema${++this.#unnamed}`;
  }
}

function prepare(schema: JSONSchema, to: (ref: string) => string): JSONSchema {
  return withTitles(rewriteRefs(schema, to));
}

function rewriteRefs(schema: JSONSchema, to: (ref: string) => string): JSONSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === "$ref" && typeof value === "string" && (value === "#" || value.startsWith("#/$defs/")) ? to(value) : value,
  ) as JSONSchema;
}

/** Keywords whose value is one subschema, and those whose value is a list of them. */
const SUBSCHEMA = new Set(["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"]);
const SUBSCHEMAS = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);

/** pydantic's titles: each property titled after its name, unless it is a bare `$ref` or has a title. */
export function withTitles(schema: JSONSchema): JSONSchema {
  const out: JSONSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([key, property]) => [key, isSchema(property) ? titled(key, withTitles(property)) : property]),
      );
    } else if (SUBSCHEMAS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((item: unknown) => (isSchema(item) ? withTitles(item) : item));
    } else if (SUBSCHEMA.has(keyword) && isSchema(value)) {
      out[keyword] = withTitles(value);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

/** A parameter's or property's schema, with pydantic's title for `name` unless it has one. */
export function titled(name: string, schema: JSONSchema): JSONSchema {
  if ("title" in schema || (typeof schema.$ref === "string" && Object.keys(schema).length === 1)) return schema;
  return { title: titleCase(name), ...schema };
}

function isSchema(value: unknown): value is JSONSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
