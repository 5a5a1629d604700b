/** @module gatehouse/openapi — the OpenAPI 3.1 document of an app, and its routes' security trees. */
export { buildOpenAPI } from "./document.ts";
export type { BuildOptions } from "./document.ts";
export { operationIdFor, snakeCase, summaryFor } from "./names.ts";
export { formatRoute, formatRouteTree } from "./route-tree.ts";
export { HTTP_VALIDATION_ERROR, VALIDATION_ERROR } from "./responses.ts";
export { operationSecurity, securitySchemes } from "./security.ts";
export type { SecurityRequirement, SecurityStyle } from "./security.ts";
export type {
  JSONSchema,
  MediaTypeObject,
  OpenAPIDocument,
  OpenAPIInfo,
  OperationObject,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
} from "./types.ts";
