/**
 * @module
 * What an operation reads from the request, read off its dependency tree: `parameters` (path, query,
 * header, cookie) and the `requestBody` (JSON, or a form as `application/x-www-form-urlencoded`), as
 * FastAPI's `_get_openapi_operation_parameters` and `get_openapi_operation_request_body` write them.
 */
import { z } from "zod";
import type { Param } from "../core/params.ts";
import { walk, type DependantNode } from "../core/tree.ts";
import { titleCase } from "./names.ts";
import { titled, type SchemaComponents } from "./schemas.ts";
import type { JSONSchema, ParameterObject, RequestBodyObject } from "./types.ts";

interface Declared {
  readonly key: string;
  readonly param: Param<unknown>;
}

/** Every parameter in the tree, once per dependency however many times it is reached (FastAPI's skip_repeats). */
export function declaredParams(tree: DependantNode): Declared[] {
  const seenNodes = new Set<string>();
  const seenParams = new Map<Param<unknown>, Set<string>>();
  const params: Declared[] = [];
  for (const node of walk(tree)) {
    if (seenNodes.has(node.cacheKey)) continue;
    seenNodes.add(node.cacheKey);
    for (const declared of node.params) {
      const keys = seenParams.get(declared.param) ?? new Set<string>();
      if (keys.has(declared.key)) continue;
      seenParams.set(declared.param, keys.add(declared.key));
      params.push(declared);
    }
  }
  return params;
}

/**
 * The operation's `parameters`. A required declaration wins over an optional one of the same parameter;
 * a `{name}` in the path that nothing declares is still documented, as a string, since OpenAPI requires it.
 */
export function operationParameters(params: readonly Declared[], path: string, components: SchemaComponents): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const { key, param } of params) {
    if (param.location === "body" || param.location === "form") continue;
    const name = param.wireName(key);
    const schema = components.convert(param.schema, "input");
    const parameter: ParameterObject = {
      name,
      in: param.location,
      required: param.location === "path" || !param.schema.isOptional(),
      schema: titled(name, schema),
    };
    const description = param.options.description ?? (typeof schema.description === "string" ? schema.description : undefined);
    if (description) parameter.description = description;
    if (param.options.deprecated) parameter.deprecated = true;
    const id = `${parameter.in} ${name}`;
    if (!byKey.get(id)?.required) byKey.set(id, parameter);
  }
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    const id = `path ${name}`;
    if (!byKey.has(id)) byKey.set(id, { name: name!, in: "path", required: true, schema: { title: titleCase(name!), type: "string" } });
  }
  return [...byKey.values()];
}

/**
 * The operation's `requestBody`. One JSON body parameter is the body's schema; embedded ones (and form
 * fields) are gathered into one object named `Body_<operation id>`, FastAPI's name for it.
 */
export function operationRequestBody(params: readonly Declared[], uniqueId: string, components: SchemaComponents): RequestBodyObject | undefined {
  const json = params.filter(({ param }) => param.location === "body");
  const forms = params.filter(({ param }) => param.location === "form");
  if (json.length === 0 && forms.length === 0) return undefined;
  const content: RequestBodyObject["content"] = {};
  let required = false;
  if (json.length > 0) {
    const whole = json.filter(({ param }) => !param.options.embed);
    const embedded = json.filter(({ param }) => param.options.embed);
    const parts: JSONSchema[] = whole.map(({ param }) => components.convert(param.schema, "input"));
    if (embedded.length > 0) {
      const shape = Object.fromEntries(embedded.map(({ key, param }) => [param.wireName(key), param.schema]));
      parts.push(components.convert(z.object(shape), "input", `Body_${uniqueId}`));
    }
    content["application/json"] = { schema: parts.length === 1 ? parts[0]! : { allOf: parts } };
    required ||= json.some(({ param }) => !param.schema.isOptional());
  }
  if (forms.length > 0) {
    const single = forms.length === 1 ? forms[0]!.param.schema : undefined;
    const shape = Object.assign({}, ...forms.map(({ param }) => (param.schema as z.ZodObject).shape)) as z.ZodRawShape;
    const schema = components.convert(single ?? z.object(shape), "input", `Body_${uniqueId}`);
    content["application/x-www-form-urlencoded"] = { schema };
    required ||= Object.values(shape).some((field) => !(field as z.ZodType).isOptional());
  }
  const body: RequestBodyObject = { content, required };
  const description = params.find(({ param }) => param.location === "body" || param.location === "form")?.param.options.description;
  if (description) body.description = description;
  if (!required) delete body.required;
  return body;
}
