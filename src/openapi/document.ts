/**
 * @module
 * The OpenAPI 3.1 document of an app, generated once from its compiled routes.
 */
import { z } from "zod";
import type { CompiledRoute } from "../core/route.ts";
import { walk } from "../core/tree.ts";
import { operationSecurity, securitySchemes } from "./security.ts";

export interface OpenAPIInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

export type OpenAPIDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };

/** Build the document for the given routes. */
export function buildOpenAPI(routes: readonly CompiledRoute[], info: OpenAPIInfo): OpenAPIDocument {
  const documented = routes.filter((route) => route.definition.config.includeInSchema !== false);
  const paths: OpenAPIDocument["paths"] = {};
  for (const route of documented) {
    const { method, path, config } = route.definition;
    const operation: Record<string, unknown> = {};
    if (config.summary) operation.summary = config.summary;
    if (config.operationId) operation.operationId = config.operationId;
    const requestBody = requestBodyOf(route);
    if (requestBody) operation.requestBody = requestBody;
    operation.responses = { [String(route.status)]: { description: "Successful Response", content: { "application/json": { schema: {} } } } };
    const security = operationSecurity(route.tree);
    if (security.length > 0) operation.security = security;
    (paths[path] ??= {})[method.toLowerCase()] = operation;
  }
  const schemes = securitySchemes(documented.map((route) => route.tree));
  const document: OpenAPIDocument = { openapi: "3.1.0", info: { ...info }, paths };
  if (Object.keys(schemes).length > 0) document.components = { securitySchemes: schemes };
  return document;
}

function requestBodyOf(route: CompiledRoute): Record<string, unknown> | undefined {
  for (const node of walk(route.tree)) {
    for (const { param } of node.params) {
      if (param.location === "form") {
        return { content: { "application/x-www-form-urlencoded": { schema: z.toJSONSchema(param.schema, { io: "input" }) } }, required: true };
      }
      if (param.location === "body") {
        return { content: { "application/json": { schema: z.toJSONSchema(param.schema, { io: "input" }) } }, required: true };
      }
    }
  }
  return undefined;
}
