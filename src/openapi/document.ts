/**
 * @module
 * The OpenAPI 3.1 document of an app, built from its compiled routes (FastAPI's `get_openapi`). The
 * engine calls it once and serves the result; nothing here runs per request.
 */
import { gatehouseError } from "../core/errors.ts";
import type { CompiledRoute } from "../core/route.ts";
import { operationIdFor, summaryFor } from "./names.ts";
import { declaredParams, operationParameters, operationRequestBody } from "./parameters.ts";
import { operationResponses } from "./responses.ts";
import { SchemaComponents } from "./schemas.ts";
import { operationSecurity, securitySchemes, type SecurityStyle } from "./security.ts";
import type { OpenAPIDocument, OpenAPIInfo, OperationObject } from "./types.ts";

export type { OpenAPIDocument, OpenAPIInfo } from "./types.ts";

export interface BuildOptions {
  /** `servers` of the document, e.g. the prefix the routes are mounted under. */
  readonly servers?: readonly { readonly url: string }[];
  /** How each operation's `security` is written; see {@link SecurityStyle}. Default `"fastapi"`. */
  readonly securityStyle?: SecurityStyle;
}

/**
 * Build the document for the given routes. Throws a `TypeError` when two operations share an
 * `operationId` or two schemes a scheme name, since the document would then lie about one of them.
 *
 * @example
 * const document = buildOpenAPI(app.compiledRoutes, { title: "Items", version: "1.0.0" });
 */
export function buildOpenAPI(routes: readonly CompiledRoute[], info: OpenAPIInfo, options: BuildOptions = {}): OpenAPIDocument {
  const documented = routes.filter((route) => route.definition.config.includeInSchema !== false);
  const components = new SchemaComponents();
  const paths: OpenAPIDocument["paths"] = {};
  const owners = new Map<string, string>();
  for (const route of documented) {
    const operation = buildOperation(route, components, options.securityStyle ?? "fastapi");
    const owner = owners.get(operation.operationId);
    if (owner) throw gatehouseError("GH_OPERATION_ID_CONFLICT", `gatehouse: ${owner} and ${route.label} both have the operationId "${operation.operationId}"; give one another \`operationId\``);
    owners.set(operation.operationId, route.label);
    (paths[route.definition.path] ??= {})[route.definition.method.toLowerCase()] = operation;
  }
  const { schemas: named, resolve } = components.finish();
  const document: OpenAPIDocument = { openapi: "3.1.0", info: infoOf(info), paths: resolve(paths) };
  if (options.servers && options.servers.length > 0) document.servers = options.servers.map(({ url }) => ({ url }));
  const schemes = securitySchemes(documented.map((route) => route.tree));
  const schemas = sortedByName(named);
  if (Object.keys(schemas).length > 0 || Object.keys(schemes).length > 0) {
    document.components = {};
    if (Object.keys(schemas).length > 0) document.components.schemas = schemas;
    if (Object.keys(schemes).length > 0) document.components.securitySchemes = schemes;
  }
  return document;
}

/** One operation, its keys in FastAPI's order. */
function buildOperation(route: CompiledRoute, components: SchemaComponents, securityStyle: SecurityStyle): OperationObject {
  const { definition } = route;
  const { config } = definition;
  const name = config.name ?? definition.handler.name;
  const uniqueId = operationIdFor(name, definition.path, definition.method).replace(/^_+/, "");
  const operation: Partial<OperationObject> = {};
  const tags = [...new Set(definition.tags)];
  if (tags.length > 0) operation.tags = tags;
  operation.summary = config.summary ?? (name ? summaryFor(name) : route.label);
  if (config.description) operation.description = config.description;
  operation.operationId = config.operationId ?? uniqueId;
  if (config.deprecated) operation.deprecated = true;
  const params = declaredParams(route.tree);
  const parameters = operationParameters(params, definition.path, components);
  if (parameters.length > 0) operation.parameters = parameters;
  const requestBody = operationRequestBody(params, uniqueId, components);
  if (requestBody) operation.requestBody = requestBody;
  operation.responses = operationResponses(route, components, params.length > 0);
  const security = operationSecurity(route.tree, securityStyle, route.dropsInheritedSecurity);
  if (security) operation.security = security;
  return operation as OperationObject;
}

function infoOf(info: OpenAPIInfo): OpenAPIInfo {
  return info.description ? { title: info.title, version: info.version, description: info.description } : { title: info.title, version: info.version };
}

/** FastAPI lists component schemas by name. */
function sortedByName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
